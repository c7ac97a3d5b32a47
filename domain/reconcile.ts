import { addDays, type IsoDate } from './dates.ts';
import {
  type ClosedReason,
  isFollowedResult,
  isFollowUpRunning,
  type MilestoneState,
  type OutcomeType,
  type Phase,
  phaseEndsAt,
} from './pathway.ts';

/**
 * The reconciler's rule: from what a pathway's stored facts say should be running, and the executions that
 * exist, what to start and what to stop. The table is the truth; executions are its consequences, and a lost
 * stream record, a failed StartExecution or a stopped run must not leave a pathway stuck.
 */

export type Workflow = 'phase-timer' | 'sustainment' | 'payment';
export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

/** The names the dispatcher gives executions (functions/shared/execution-names.ts), passed in to stay pure. */
export interface ExecutionNaming {
  phaseTimer(referralId: string, phaseSeq: number): string;
  payment(resultId: string): string;
  sustainment(outcomeId: string): string;
}

/** What a pathway's items say, as much as the rule reads of them. */
export interface PathwayFacts {
  referral: {
    referralId: string;
    phase: Phase;
    phaseSeq: number;
    phaseStartedOn: IsoDate;
    phaseEndsOn: IsoDate | null;
    closedReason?: ClosedReason;
  };
  outcomes: ReadonlyArray<{
    outcomeId: string;
    type: OutcomeType;
    date: IsoDate;
    hoursPerWeek?: number;
    endedOn?: IsoDate;
    recordedAt: string;
  }>;
  milestones: ReadonlyArray<{
    outcomeId: string;
    weeks: number;
    status: MilestoneState;
    endedOn?: IsoDate;
    confirmedAt?: string;
  }>;
  payments: ReadonlyArray<{ resultId: string; notifiedAt?: string }>;
}

/** An execution that should exist, with what its input is built from. */
export type WantedExecution =
  | {
      workflow: 'phase-timer';
      name: string;
      referralId: string;
      phaseSeq: number;
      phase: Phase;
      phaseEndsAt: string;
    }
  | { workflow: 'sustainment'; name: string; referralId: string; outcomeId: string; date: IsoDate }
  | { workflow: 'payment'; name: string; referralId: string; outcomeId: string; milestoneWeeks?: number };

export interface UnwantedExecution {
  workflow: 'phase-timer' | 'sustainment';
  name: string;
  why: 'superseded-phase' | 'dropped-out';
}

export interface Expectations {
  wanted: WantedExecution[];
  unwanted: UnwantedExecution[];
}

/**
 * How long after its result a payment run is still checked. Step Functions keeps a closed execution's record
 * for 90 days; after that a finished run looks missing and would be started again. A daily reconciler has
 * found a lost payment long before 60 days.
 */
export const PAYMENT_CHECK_DAYS = 60;

/** How often a run that ended badly (stopped, failed, timed out) is started again before it is given up on. */
export const MAX_RESTARTS = 3;

/**
 * What should run for a pathway on `today`:
 * - the current phase's timer, unless the pathway is closed;
 * - a sustainment run for every followed result (a job or an education) still followed, unless the citizen
 *   dropped out (a pathway that completed still follows a result started late in tracking to its milestones);
 * - a payment run for every result (an outcome, or a confirmed milestone) from the last PAYMENT_CHECK_DAYS whose
 *   payments are not all written and notified: a result that pays nothing has a run that succeeded.
 * And what should not: the timers of earlier phases, and every sustainment run of a pathway dropped out of.
 */
export function expectedExecutions(
  facts: PathwayFacts,
  names: ExecutionNaming,
  today: IsoDate,
): Expectations {
  const { referral } = facts;
  const { referralId } = referral;
  const wanted: WantedExecution[] = [];
  const unwanted: UnwantedExecution[] = [];

  const endsAt = phaseEndsAt(referral);
  if (referral.phase !== 'closed' && endsAt) {
    wanted.push({
      workflow: 'phase-timer',
      name: names.phaseTimer(referralId, referral.phaseSeq),
      referralId,
      phaseSeq: referral.phaseSeq,
      phase: referral.phase,
      phaseEndsAt: endsAt,
    });
  }
  for (let seq = 1; seq < referral.phaseSeq; seq++) {
    unwanted.push({
      workflow: 'phase-timer',
      name: names.phaseTimer(referralId, seq),
      why: 'superseded-phase',
    });
  }

  const droppedOut = referral.closedReason === 'dropout';
  for (const result of facts.outcomes.filter(isFollowedResult)) {
    const name = names.sustainment(result.outcomeId);
    const milestones = facts.milestones.filter((m) => m.outcomeId === result.outcomeId);
    if (droppedOut) unwanted.push({ workflow: 'sustainment', name, why: 'dropped-out' });
    else if (isFollowUpRunning(result, milestones)) {
      wanted.push({
        workflow: 'sustainment',
        name,
        referralId,
        outcomeId: result.outcomeId,
        date: result.date,
      });
    }
  }

  const since = addDays(today, -PAYMENT_CHECK_DAYS);
  const settled = (resultId: string) => {
    const payments = facts.payments.filter((p) => p.resultId === resultId);
    return payments.length > 0 && payments.every((p) => p.notifiedAt !== undefined);
  };
  for (const outcome of facts.outcomes) {
    if (outcome.recordedAt.slice(0, 10) < since || settled(outcome.outcomeId)) continue;
    wanted.push({
      workflow: 'payment',
      name: names.payment(outcome.outcomeId),
      referralId,
      outcomeId: outcome.outcomeId,
    });
  }
  for (const milestone of facts.milestones) {
    // Only a confirmation that the job (or education) goes on is a result; the dispatcher starts no payment for
    // the others. An education's confirmed milestone has a run too, which ends "not due" (calculate-payment).
    if (milestone.status !== 'confirmed' || !milestone.confirmedAt) continue;
    const resultId = `${milestone.outcomeId}-w${milestone.weeks}`;
    if (milestone.confirmedAt.slice(0, 10) < since || settled(resultId)) continue;
    wanted.push({
      workflow: 'payment',
      name: names.payment(resultId),
      referralId,
      outcomeId: milestone.outcomeId,
      milestoneWeeks: milestone.weeks,
    });
  }
  return { wanted, unwanted };
}

/** One run of an execution: the dispatcher's name, or a restart of it (`<name>-r<n>`). */
export interface ObservedRun {
  name: string;
  status: ExecutionStatus;
}

export interface Corrections {
  /** Executions to start: the wanted one, named for its first run or for a restart. */
  start: Array<WantedExecution & { runName: string }>;
  /** Runs to stop, by name. */
  stop: Array<{ workflow: UnwantedExecution['workflow']; runName: string; why: UnwantedExecution['why'] }>;
  /** Wanted executions that ended badly MAX_RESTARTS times: an operator's business now. */
  givenUp: string[];
}

/**
 * Compares the expectations with the runs that exist (per wanted or unwanted name, its runs in order: the
 * dispatcher's, then each restart). A wanted execution with a running run, or whose last run succeeded, is
 * fine; one with no run is started under the dispatcher's own name (so a start racing the dispatcher is a
 * no-op); one whose last run was stopped, failed or timed out is started again under the next restart name,
 * because Step Functions never reuses a name. Every running run of an unwanted execution is stopped.
 */
export function corrections(
  expectations: Expectations,
  runs: ReadonlyMap<string, readonly ObservedRun[]>,
  restartName: (name: string, attempt: number) => string,
): Corrections {
  const result: Corrections = { start: [], stop: [], givenUp: [] };
  for (const wanted of expectations.wanted) {
    const observed = runs.get(wanted.name) ?? [];
    const last = observed.at(-1);
    if (!last) result.start.push({ ...wanted, runName: wanted.name });
    else if (last.status === 'RUNNING' || last.status === 'SUCCEEDED') continue;
    else if (observed.length > MAX_RESTARTS) result.givenUp.push(wanted.name);
    else result.start.push({ ...wanted, runName: restartName(wanted.name, observed.length) });
  }
  for (const unwanted of expectations.unwanted) {
    for (const run of runs.get(unwanted.name) ?? []) {
      if (run.status === 'RUNNING') {
        result.stop.push({ workflow: unwanted.workflow, runName: run.name, why: unwanted.why });
      }
    }
  }
  return result;
}
