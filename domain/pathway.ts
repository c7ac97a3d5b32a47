import { addMonths, daysBetween, type IsoDate, startOfDanishDay } from './dates.ts';
import { hoursThresholdsOn } from './rate-card.ts';
import { MILESTONE_WEEKS } from './sustainment.ts';

/**
 * The citizen's pathway (seed, "Udsattes kvalificering"): six calendar months of labour-market training with
 * the employment actor (about 10 hours a week), six months of company induction, then follow-up (tracking) on
 * ordinary unsubsidised employment. The tracking length is our assumption: six months, long enough to see a
 * job that starts at the end of induction through its 26th week.
 */
export const TRAINING_MONTHS = 6;
export const INDUCTION_MONTHS = 6;
export const TRACKING_MONTHS = 6;
export const TRAINING_HOURS_PER_WEEK = 10;
/** How far back a referral's start date may lie (a referral registered after the first meeting). */
export const MAX_START_DAYS_BACK = 31;
/** How far ahead a start date may lie; it also bounds the "referred" timer well inside one execution. */
export const MAX_START_DAYS_AHEAD = 92;

export const phases = ['referred', 'training', 'induction', 'tracking', 'closed'] as const;
export type Phase = (typeof phases)[number];
export type TimedPhase = Exclude<Phase, 'closed'>;
export type OutcomeType = 'job-start' | 'education-start' | 'dropout';
export type ClosedReason = 'completed' | 'dropout';

export interface DateRange {
  start: IsoDate;
  /** Exclusive: the day the next phase begins. */
  end: IsoDate;
}

export interface PhasePlan {
  training: DateRange;
  induction: DateRange;
  tracking: DateRange;
}

/** Where the pathway stands. `phaseEndsOn` is null only when closed. */
export interface PathwayPosition {
  phase: Phase;
  phaseSeq: number;
  phaseStartedOn: IsoDate;
  phaseEndsOn: IsoDate | null;
  closedReason?: ClosedReason;
}

export function planPathway(startDate: IsoDate): PhasePlan {
  const trainingEnd = addMonths(startDate, TRAINING_MONTHS);
  const inductionEnd = addMonths(startDate, TRAINING_MONTHS + INDUCTION_MONTHS);
  return {
    training: { start: startDate, end: trainingEnd },
    induction: { start: trainingEnd, end: inductionEnd },
    tracking: {
      start: inductionEnd,
      end: addMonths(startDate, TRAINING_MONTHS + INDUCTION_MONTHS + TRACKING_MONTHS),
    },
  };
}

export type StartDateProblem = 'too-early' | 'too-late';

export function checkStartDate(startDate: IsoDate, today: IsoDate): StartDateProblem | null {
  const days = daysBetween(today, startDate);
  if (days < -MAX_START_DAYS_BACK) return 'too-early';
  if (days > MAX_START_DAYS_AHEAD) return 'too-late';
  return null;
}

/** The first position of a new pathway: waiting for its start date, or in training if that date has come. */
export function startPathway(plan: PhasePlan, referredOn: IsoDate): PathwayPosition {
  if (referredOn < plan.training.start) {
    return { phase: 'referred', phaseSeq: 1, phaseStartedOn: referredOn, phaseEndsOn: plan.training.start };
  }
  return {
    phase: 'training',
    phaseSeq: 1,
    phaseStartedOn: plan.training.start,
    phaseEndsOn: plan.training.end,
  };
}

/**
 * What the phase timer moves the pathway to when the current phase runs out. Dates come from the plan (or
 * from the position itself), never from "now": a timer that fires late still yields the planned dates.
 */
export function advanceOnTimer(position: PathwayPosition, plan: PhasePlan): PathwayPosition {
  const seq = position.phaseSeq + 1;
  switch (position.phase) {
    case 'referred':
      return {
        phase: 'training',
        phaseSeq: seq,
        phaseStartedOn: plan.training.start,
        phaseEndsOn: plan.training.end,
      };
    case 'training':
      return {
        phase: 'induction',
        phaseSeq: seq,
        phaseStartedOn: plan.induction.start,
        phaseEndsOn: plan.induction.end,
      };
    case 'induction':
      return {
        phase: 'tracking',
        phaseSeq: seq,
        phaseStartedOn: plan.tracking.start,
        phaseEndsOn: plan.tracking.end,
      };
    case 'tracking':
      return closed(position, seq, 'completed', position.phaseEndsOn ?? plan.tracking.end);
    case 'closed':
      throw new PathwayRuleError('closed', 'A closed pathway has no next phase');
  }
}

export class PathwayRuleError extends Error {
  constructor(
    public readonly rule: 'closed' | 'before-referral' | 'in-future',
    message: string,
  ) {
    super(message);
    this.name = 'PathwayRuleError';
  }
}

export interface OutcomeEffect {
  /** The new position, or null when the outcome leaves the phase as it is. */
  next: PathwayPosition | null;
  /** A drop-out frees the municipality's place for a replacement; a completed pathway keeps it. */
  releasesPlace: boolean;
  /** The citizen may be referred again once the pathway is closed. */
  releasesCitizen: boolean;
}

/**
 * A job of fewer hours than this is recorded but does not end the current phase: it is not yet a way out of
 * the pathway (the rate card's own thresholds decide what it pays).
 */
export const MIN_JOB_HOURS_TO_LEAVE_PHASE = 10;

/**
 * How an outcome moves the pathway, at once: a drop-out closes it; a job or education start before tracking
 * ends the current phase and starts six months of tracking. An outcome recorded late never moves the history
 * backwards: the new phase starts no earlier than the current one did.
 */
export function applyOutcome(
  position: PathwayPosition,
  outcome: { type: OutcomeType; date: IsoDate; hoursPerWeek?: number },
): OutcomeEffect {
  if (position.phase === 'closed') throw new PathwayRuleError('closed', 'The pathway is closed');
  const seq = position.phaseSeq + 1;
  // ISO dates order as strings; Math.max would not take them.
  // biome-ignore lint/complexity/useMathMinMax: these are ISO date strings, not numbers
  const from = outcome.date > position.phaseStartedOn ? outcome.date : position.phaseStartedOn;
  if (outcome.type === 'dropout') {
    return { next: closed(position, seq, 'dropout', from), releasesPlace: true, releasesCitizen: true };
  }
  const unchanged = { next: null, releasesPlace: false, releasesCitizen: false };
  if (position.phase === 'tracking') return unchanged;
  if (outcome.type === 'job-start' && (outcome.hoursPerWeek ?? 0) < MIN_JOB_HOURS_TO_LEAVE_PHASE)
    return unchanged;
  return {
    next: {
      phase: 'tracking',
      phaseSeq: seq,
      phaseStartedOn: from,
      phaseEndsOn: addMonths(from, TRACKING_MONTHS),
    },
    releasesPlace: false,
    releasesCitizen: false,
  };
}

function closed(_from: PathwayPosition, seq: number, reason: ClosedReason, on: IsoDate): PathwayPosition {
  return { phase: 'closed', phaseSeq: seq, phaseStartedOn: on, phaseEndsOn: null, closedReason: reason };
}

/** The instant a phase timer fires: midnight in Copenhagen at the start of the phase's end date. */
export function phaseEndsAt(position: PathwayPosition): string | null {
  return position.phaseEndsOn ? startOfDanishDay(position.phaseEndsOn) : null;
}

/**
 * Where the company induction (months 7–12) takes place (seed, "Udsattes kvalificering"): in the employment
 * actor's own social-economy company, or in an accelerator company, then with a social-work support person
 * from the employment actor.
 */
export type InductionPlacementType = 'own-company' | 'accelerator-company';

export interface InductionPlacement {
  type: InductionPlacementType;
  /** The company's name as it was when placed; placements made before companies were records have only this. */
  company: string;
  /** The company's CVR number (issue 7): a company record of the pathway's partnership. */
  companyCvr?: string;
  /** Required for an accelerator company. */
  supportPerson?: string;
}

/** The placement can be set or changed until the pathway leaves induction. */
export function canPlaceInduction(phase: Phase): boolean {
  return phase === 'referred' || phase === 'training' || phase === 'induction';
}

export function checkOutcomeDate(
  date: IsoDate,
  referredOn: IsoDate,
  today: IsoDate,
): PathwayRuleError | null {
  if (date < referredOn) return new PathwayRuleError('before-referral', 'before-referral');
  if (date > today) return new PathwayRuleError('in-future', 'in-future');
  return null;
}

/**
 * A job that is followed to its sustainment milestones: a job start the rate card counts as a result (full or
 * partial). A job of fewer hours is recorded but not followed, so it never runs a sustainment workflow.
 */
export function isFollowedJob(outcome: { type: OutcomeType; date: IsoDate; hoursPerWeek?: number }): boolean {
  return (
    outcome.type === 'job-start' &&
    (outcome.hoursPerWeek ?? 0) >= hoursThresholdsOn(outcome.date).partialHoursPerWeek
  );
}

/**
 * A result that is followed to its sustainment milestones: a followed job, or an education start, whose
 * enrolment is confirmed at the same milestones (issue 9: education saves the municipality its share only while
 * the citizen is enrolled). Each followed result has its own sustainment run. Only a job counts for the
 * one-running-job rule (`checkJobStart`): an education being followed does not block a job start, and a job
 * start does not end the education's follow-up.
 */
export function isFollowedResult(outcome: {
  type: OutcomeType;
  date: IsoDate;
  hoursPerWeek?: number;
}): boolean {
  return outcome.type === 'education-start' || isFollowedJob(outcome);
}

/** The job the pathway is following, kept on the pathway's state while it runs. */
export interface RunningJob {
  outcomeId: string;
  /** The job's start date, named in the answer to a second job start. */
  date: IsoDate;
}

export type MilestoneState = 'awaiting-confirmation' | 'confirmed' | 'job-ended' | 'unconfirmed';

/**
 * Whether a milestone in this state ends the follow-up of its result (a job, or an education): an answer that
 * it has ended (or an end date given with it; the status is `job-ended` for an education too), an unanswered
 * milestone (the workflow stops and flags it), or the last milestone confirmed (nothing is left to follow).
 * Until then the result's sustainment workflow is running.
 */
export function milestoneEndsJob(milestone: {
  weeks: number;
  status: MilestoneState;
  endedOn?: IsoDate;
}): boolean {
  if (milestone.status === 'awaiting-confirmation') return false;
  if (milestone.status !== 'confirmed' || milestone.endedOn !== undefined) return true;
  return milestone.weeks >= Math.max(...MILESTONE_WEEKS);
}

/**
 * A result still being followed: a followed result whose end has not been recorded and whose milestones have
 * not ended its follow-up. A pathway has at most one such job (checkJobStart), and may follow an education
 * beside it.
 */
export function isFollowUpRunning(
  result: { type: OutcomeType; date: IsoDate; hoursPerWeek?: number; endedOn?: IsoDate },
  milestones: ReadonlyArray<{ weeks: number; status: MilestoneState; endedOn?: IsoDate }>,
): boolean {
  return isFollowedResult(result) && result.endedOn === undefined && !milestones.some(milestoneEndsJob);
}

/**
 * A job start while a job is running is refused, whatever its hours: the sustainment milestones follow one
 * job, and a second job start would start a second sustainment run (and ten clicks would start ten). We chose
 * refusing over recording a "job change": a change of employer during the follow-up would need its own rules
 * (does the 13-week count go on, what does the new employer's start pay), which the programme has not set.
 * Once a milestone answer says the job has ended (or its follow-up is over), a new job start is recorded.
 */
export function checkJobStart(
  running: RunningJob | undefined,
  outcome: { type: OutcomeType },
): 'job-running' | null {
  return outcome.type === 'job-start' && running !== undefined ? 'job-running' : null;
}
