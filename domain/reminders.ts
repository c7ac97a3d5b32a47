import { addDays, danishDay, type IsoDate, startOfDanishDay } from './dates.ts';
import { findMunicipality } from './programme.ts';
import { deadlineInstant } from './sustainment.ts';

/**
 * Reminders about sustainment milestones (domain/sustainment.ts), sent by the Sustainment workflow's timers:
 * the employment actor, who confirms, hears when a milestone opens and again a week before its deadline while
 * it still awaits an answer; the caseworker hears when it lapsed unanswered, because the pathway is then
 * flagged for follow-up. Each goes out by e-mail, so it names the citizen only by the pathway's id: no CPR
 * number, no name.
 */
export const REMINDER_KINDS = ['milestone-opened', 'deadline-approaching', 'milestone-lapsed'] as const;
export type ReminderKind = (typeof REMINDER_KINDS)[number];

export const REMINDER_AUDIENCES = ['employment-actor', 'caseworker'] as const;
export type ReminderAudience = (typeof REMINDER_AUDIENCES)[number];

/** A week before the last day: time to call the employer or ask for a payslip. */
export const REMINDER_DAYS_BEFORE_DEADLINE = 7;

export const audienceOf: Record<ReminderKind, ReminderAudience> = {
  'milestone-opened': 'employment-actor',
  'deadline-approaching': 'employment-actor',
  'milestone-lapsed': 'caseworker',
};

/** What a reminder needs to know about its milestone (a subset of the stored milestone). */
export interface MilestoneDates {
  dueOn: IsoDate;
  /** The last day a confirmation is accepted. */
  deadlineOn: IsoDate;
}

/**
 * The day the deadline reminder goes out: a week before the last day, and never before the milestone opened
 * (a window is at least four weeks, domain/sustainment.ts, so this only guards against a shorter one).
 */
export function deadlineReminderOn(milestone: MilestoneDates): IsoDate {
  const weekBefore = addDays(milestone.deadlineOn, -REMINDER_DAYS_BEFORE_DEADLINE);
  // biome-ignore lint/complexity/useMathMinMax: ISO dates compare as strings; Math.max would make them NaN.
  return weekBefore > milestone.dueOn ? weekBefore : milestone.dueOn;
}

/**
 * When each reminder is due, as the instant a Wait state waits for: the opening at midnight in Copenhagen on
 * the due date (when the workflow opens it), the deadline reminder at midnight on its day, the lapse when the
 * workflow closes the milestone (midnight after the last day).
 */
export function reminderDueAt(kind: ReminderKind, milestone: MilestoneDates): string {
  switch (kind) {
    case 'milestone-opened':
      return startOfDanishDay(milestone.dueOn);
    case 'deadline-approaching':
      return startOfDanishDay(deadlineReminderOn(milestone));
    case 'milestone-lapsed':
      return deadlineInstant(milestone.deadlineOn);
  }
}

export type MilestoneState = 'awaiting-confirmation' | 'confirmed' | 'job-ended' | 'unconfirmed';

export type ReminderDecision =
  | { send: true }
  | { send: false; reason: 'already-answered' | 'deadline-passed' | 'not-lapsed' };

/**
 * Whether a reminder still applies when its timer fires. A milestone answered in the meantime needs no
 * reminder to answer it; one past its last day can no longer be answered (a rerun of the workflow after a
 * failure reaches its reminders late); only a milestone closed unanswered has lapsed.
 */
export function reminderApplies(
  kind: ReminderKind,
  milestone: MilestoneDates & { status: MilestoneState },
  today: IsoDate,
): ReminderDecision {
  if (kind === 'milestone-lapsed') {
    return milestone.status === 'unconfirmed' ? { send: true } : { send: false, reason: 'not-lapsed' };
  }
  if (milestone.status !== 'awaiting-confirmation') return { send: false, reason: 'already-answered' };
  if (today > milestone.deadlineOn) return { send: false, reason: 'deadline-passed' };
  return { send: true };
}

export interface ReminderFacts extends MilestoneDates {
  kind: ReminderKind;
  referralId: string;
  /** Kommunekode. */
  municipality: string;
  weeks: number;
}

/** The path of the pathway's page (the e-mail cannot know the address the system is reached at). */
export const pathwayPath = (referralId: string) => `/referrals/${referralId}`;

/**
 * The Danish e-mail of one reminder: the milestone, the pathway's id as its reference, the municipality, the
 * deadline and where to answer. Nothing that identifies the citizen outside the system.
 */
export function reminderMessage(facts: ReminderFacts): { subject: string; message: string } {
  const municipality = findMunicipality(facts.municipality);
  const milestone = `${facts.weeks} uger`;
  const deadline = danishDay(facts.deadlineOn);
  const heading: Record<ReminderKind, string> = {
    'milestone-opened': `Fastholdelse ${milestone}: klar til bekræftelse`,
    'deadline-approaching': `Fastholdelse ${milestone}: fristen udløber ${deadline}`,
    'milestone-lapsed': `Fastholdelse ${milestone}: ikke bekræftet inden fristen`,
  };
  const action: Record<ReminderKind, string[]> = {
    'milestone-opened': [
      `Milepælen på ${milestone} er åben. Bekræft på forløbets side, om borgeren stadig er i job eller`,
      `uddannelse, senest ${deadline}. En milepæl uden svar ved fristen udløser ingen betaling.`,
    ],
    'deadline-approaching': [
      `Milepælen på ${milestone} venter stadig på bekræftelse. Fristen er ${deadline}; uden svar inden da`,
      'udløser den ingen betaling og markeres til opfølgning.',
    ],
    'milestone-lapsed': [
      `Milepælen på ${milestone} blev ikke bekræftet inden fristen ${deadline}. Der betales ikke for den,`,
      'og forløbet er markeret til opfølgning: tag kontakt til beskæftigelsesaktøren og borgeren.',
    ],
  };
  const lines = [
    `${heading[facts.kind]} (Social inklusion gennem Vækstpartnerskaber)`,
    '',
    `Borgerreference (forløb): ${facts.referralId}`,
    `Kommune: ${municipality?.name ?? facts.municipality} (${facts.municipality})`,
    `Milepæl: ${milestone}`,
    `Frist for bekræftelse: ${deadline}`,
    `Forløbets side: ${pathwayPath(facts.referralId)}`,
    '',
    ...action[facts.kind],
  ];
  // The subject stays short (SNS e-mail subjects end at 99 characters); the pathway's id is in the text.
  return {
    subject: `${heading[facts.kind]} - ${municipality?.name ?? facts.municipality}`,
    message: lines.join('\n'),
  };
}
