import { addDays, type IsoDate, startOfDanishDay } from './dates.ts';

/**
 * Sustained employment is verified, not assumed (as in the UK Work Programme's and Australia's DES outcome
 * points at 13 and 26 weeks): at each milestone after a job start, the employment actor or the caseworker
 * confirms that the job goes on. A milestone can be confirmed from the day it falls due until its deadline;
 * an unanswered one pays nothing and is flagged for follow-up. A job that has ended stops later milestones.
 * An education start is followed the same way, at the same weeks and with the same window (domain/pathway.ts
 * `isFollowedResult`): its milestones confirm that the citizen is still enrolled, and pay nothing (the rate
 * card pays the education start alone); an education dropped stops its later milestones.
 */
export const MILESTONE_WEEKS = [13, 26] as const;
export type MilestoneWeeks = (typeof MILESTONE_WEEKS)[number];
/** Four weeks to confirm: long enough for a payslip or a call to the employer. */
export const CONFIRMATION_WINDOW_DAYS = 28;

export interface MilestonePlan {
  weeks: MilestoneWeeks;
  dueOn: IsoDate;
  /** The last day a confirmation is accepted. */
  deadlineOn: IsoDate;
  /** When the workflow opens the milestone (midnight in Copenhagen on the due date). */
  dueAt: string;
  /** When the workflow closes it (midnight after the deadline day). */
  deadlineAt: string;
}

/** The milestones of a followed result (a job or an education), counted from its start date. */
export function sustainmentMilestones(resultStart: IsoDate): MilestonePlan[] {
  return MILESTONE_WEEKS.map((weeks) => {
    const dueOn = addDays(resultStart, weeks * 7);
    const deadlineOn = addDays(dueOn, CONFIRMATION_WINDOW_DAYS);
    return {
      weeks,
      dueOn,
      deadlineOn,
      dueAt: startOfDanishDay(dueOn),
      deadlineAt: deadlineInstant(deadlineOn),
    };
  });
}

/** The last day to answer a milestone opened on `openedOn`: its planned deadline, or a full window if later. */
export function confirmationDeadline(plannedDeadlineOn: IsoDate, openedOn: IsoDate): IsoDate {
  const fullWindow = addDays(openedOn, CONFIRMATION_WINDOW_DAYS);
  return fullWindow > plannedDeadlineOn ? fullWindow : plannedDeadlineOn;
}

/** When the workflow closes a milestone: midnight in Copenhagen after its deadline day. */
export function deadlineInstant(deadlineOn: IsoDate): string {
  return startOfDanishDay(addDays(deadlineOn, 1));
}

export type ConfirmationProblem = 'not-yet-due' | 'deadline-passed';

export function checkConfirmationDay(
  milestone: { dueOn: IsoDate; deadlineOn: IsoDate },
  today: IsoDate,
): ConfirmationProblem | null {
  if (today < milestone.dueOn) return 'not-yet-due';
  if (today > milestone.deadlineOn) return 'deadline-passed';
  return null;
}
