import {
  type Cohort,
  type CompanyStage,
  isFinalStage,
  isWithinAccelerator,
  nextBoundary,
  stageOn,
} from './accelerator.ts';
import { danishDay, type IsoDate, startOfDanishDay } from './dates.ts';

/**
 * A company's journey through one cohort of the social accelerator (issue 7) as a sequence of legs: each leg runs
 * until the next day the calendar can move the company on (domain/accelerator.ts `nextBoundary`), and a timer
 * (the CompanyStageTimer workflow) ends it. Decisions (selection, withdrawal) move it off the calendar's path.
 * Every change is decided here, purely, and written by functions/shared/journey-store.ts as one transaction of the
 * new state and its events; the events' `stage-started` starts the next leg's timer.
 */

export interface JourneyDecisions {
  /** The selection after the boot camp: true or false once made. */
  selected?: boolean;
  /** The day the selection was recorded. */
  selectedOn?: IsoDate;
  withdrawnOn?: IsoDate;
  withdrawalReason?: string;
}

export interface JourneyState {
  cvr: string;
  cohortId: string;
  /** The municipality whose partnership the company belongs to (the state item lives in its partition). */
  municipality: string;
  stage: CompanyStage;
  /** The running leg; every leg has its own timer execution, named by it. */
  legSeq: number;
  /** The day the running leg ends (its timer fires at Danish midnight); null once the journey has ended. */
  legEndsOn: IsoDate | null;
  decisions: JourneyDecisions;
  /** Camp date → present. */
  attendance: Record<IsoDate, boolean>;
  /** How many events the journey has; every write is conditional on it. */
  eventSeq: number;
  invitedOn: IsoDate;
  invitedAt: string;
  invitedBy: string;
}

export type StageTrigger = 'invitation' | 'timer' | 'decision';

export type JourneyEventBody =
  | {
      kind: 'stage-started';
      stage: CompanyStage;
      legSeq: number;
      startedOn: IsoDate;
      legEndsOn: IsoDate | null;
      /** When the leg's timer fires (RFC 3339); absent when the journey has ended. */
      legEndsAt?: string;
      /** Only a decision leaves a running timer behind, which the dispatcher stops. */
      trigger: StageTrigger;
    }
  | { kind: 'selection-decided'; selected: boolean; on: IsoDate }
  | { kind: 'attendance-recorded'; campDate: IsoDate; present: boolean }
  | { kind: 'withdrawn'; on: IsoDate; reason: string };

export type JourneyEvent = JourneyEventBody & {
  cvr: string;
  cohortId: string;
  municipality: string;
  seq: number;
  at: string;
  by: string;
};

/** What a request or a timer comes to: a change to write, nothing to do, or a refusal with its field. */
export type JourneyDecision =
  | { kind: 'change'; state: JourneyState; events: JourneyEvent[] }
  | { kind: 'unchanged'; state: JourneyState }
  | { kind: 'refused'; status: 400 | 404 | 409; field: string; message: string };

const refused = (status: 400 | 404 | 409, field: string, message: string): JourneyDecision => ({
  kind: 'refused',
  status,
  field,
  message,
});

/** Who and when, for the events of one change. */
export interface Actor {
  today: IsoDate;
  at: string;
  by: string;
}

/** The state after `bodies`, and the events that say so, numbered on from the state's `eventSeq`. */
function changed(before: JourneyState, after: JourneyState, bodies: JourneyEventBody[], actor: Actor) {
  const events = bodies.map(
    (body, i): JourneyEvent => ({
      ...body,
      cvr: before.cvr,
      cohortId: before.cohortId,
      municipality: before.municipality,
      seq: before.eventSeq + i + 1,
      at: actor.at,
      by: actor.by,
    }),
  );
  return {
    kind: 'change' as const,
    state: { ...after, eventSeq: before.eventSeq + bodies.length },
    events,
  };
}

/** A leg that starts on `startedOn` in `stage`: it runs to the next boundary, or nowhere for a final stage. */
function leg(
  cohort: Cohort,
  stage: CompanyStage,
  legSeq: number,
  startedOn: IsoDate,
  trigger: StageTrigger,
): { legEndsOn: IsoDate | null; body: JourneyEventBody } {
  const legEndsOn = isFinalStage(stage) ? null : (nextBoundary(cohort, startedOn) ?? null);
  return {
    legEndsOn,
    body: {
      kind: 'stage-started',
      stage,
      legSeq,
      startedOn,
      legEndsOn,
      legEndsAt: legEndsOn ? startOfDanishDay(legEndsOn) : undefined,
      trigger,
    },
  };
}

/**
 * Invites a company into a cohort: allowed until the boot camp begins. An existing journey is the answer to a
 * repeated invitation (unchanged), whatever has happened to it since.
 */
export function invite(
  cohort: Cohort,
  existing: JourneyState | undefined,
  company: { cvr: string; municipality: string },
  actor: Actor,
): JourneyDecision {
  if (existing) return { kind: 'unchanged', state: existing };
  // Invitations belong to the cohort's recruitment campaign: before it, the first leg (to the boot camp) would be
  // longer than a timer execution may wait (200 days).
  if (actor.today < cohort.recruitment.start) {
    return refused(
      409,
      'cohortId',
      `Rekrutteringen til holdet begynder ${danishDay(cohort.recruitment.start)}; virksomheder inviteres fra den dag`,
    );
  }
  if (actor.today >= cohort.bootCamp.start) {
    return refused(
      409,
      'cohortId',
      'Bootcampen er begyndt; virksomheder kan ikke længere inviteres til holdet',
    );
  }
  const stage = stageOn(cohort, {}, actor.today);
  const first = leg(cohort, stage, 1, actor.today, 'invitation');
  const empty: JourneyState = {
    cvr: company.cvr,
    cohortId: cohort.id,
    municipality: company.municipality,
    stage,
    legSeq: 1,
    legEndsOn: first.legEndsOn,
    decisions: {},
    attendance: {},
    eventSeq: 0,
    invitedOn: actor.today,
    invitedAt: actor.at,
    invitedBy: actor.by,
  };
  return changed(empty, empty, [first.body], actor);
}

/**
 * The timer of leg `legSeq` has run out: the company is where the calendar puts it on the leg's last day, and a
 * new leg starts (or the journey ends). A timer whose leg is no longer the running one (a decision moved the
 * journey meanwhile, or this is a repeat) changes nothing.
 */
export function advanceOnTimer(
  cohort: Cohort,
  state: JourneyState,
  legSeq: number,
  actor: Omit<Actor, 'today'>,
): JourneyDecision {
  if (state.legSeq !== legSeq || state.legEndsOn === null || isFinalStage(state.stage)) {
    return { kind: 'unchanged', state };
  }
  const on = state.legEndsOn;
  const stage = stageOn(cohort, state.decisions, on);
  const next = leg(cohort, stage, legSeq + 1, on, 'timer');
  return changed(state, { ...state, stage, legSeq: legSeq + 1, legEndsOn: next.legEndsOn }, [next.body], {
    ...actor,
    today: on,
  });
}

/** A decision that ends the journey: a new, final leg, so the dispatcher stops the running one's timer. */
function ending(
  cohort: Cohort,
  state: JourneyState,
  decisions: JourneyDecisions,
  stage: CompanyStage,
  decided: JourneyEventBody,
  actor: Actor,
): JourneyDecision {
  const last = leg(cohort, stage, state.legSeq + 1, actor.today, 'decision');
  return changed(
    state,
    { ...state, decisions, stage, legSeq: state.legSeq + 1, legEndsOn: null },
    [decided, last.body],
    actor,
  );
}

/**
 * The selection after the boot camp: from the boot camp's first day until the accelerator starts. "Yes" keeps
 * the journey on its legs (the company is selected from the boot camp's end); "no" ends it. The same answer
 * again is a repeat (unchanged); the other answer, once one is recorded, is refused.
 */
export function decideSelection(
  cohort: Cohort,
  state: JourneyState,
  selected: boolean,
  actor: Actor,
): JourneyDecision {
  if (state.decisions.selected === selected) return { kind: 'unchanged', state };
  if (isFinalStage(state.stage)) return refused(409, 'selected', 'Virksomhedens forløb er afsluttet');
  if (state.decisions.selected !== undefined) {
    return refused(
      409,
      'selected',
      'Udvælgelsen er allerede afgjort; en virksomhed, der vil ud, meldes udtrådt',
    );
  }
  if (actor.today < cohort.bootCamp.start || actor.today >= cohort.accelerator.start) {
    return refused(
      409,
      'selected',
      'Udvælgelsen sker fra bootcampens første dag, til acceleratorforløbet begynder',
    );
  }
  const decisions = { ...state.decisions, selected, selectedOn: actor.today };
  const decided: JourneyEventBody = { kind: 'selection-decided', selected, on: actor.today };
  if (!selected) return ending(cohort, state, decisions, 'not-selected', decided, actor);
  const stage = stageOn(cohort, decisions, actor.today);
  return changed(state, { ...state, decisions, stage }, [decided], actor);
}

/**
 * A company withdraws, at any stage before its journey has ended, on a day from its invitation until today. The
 * same withdrawal again is a repeat.
 */
export function withdraw(
  cohort: Cohort,
  state: JourneyState,
  withdrawal: { on: IsoDate; reason: string },
  actor: Actor,
): JourneyDecision {
  const { decisions } = state;
  if (
    state.stage === 'withdrawn' &&
    decisions.withdrawnOn === withdrawal.on &&
    decisions.withdrawalReason === withdrawal.reason
  ) {
    return { kind: 'unchanged', state };
  }
  if (withdrawal.on > actor.today) return refused(400, 'date', 'Datoen må ikke ligge efter i dag');
  if (withdrawal.on < state.invitedOn) {
    return refused(400, 'date', 'Datoen ligger før virksomheden blev inviteret');
  }
  if (isFinalStage(state.stage)) {
    return refused(409, 'cohortId', 'Virksomhedens forløb er allerede afsluttet');
  }
  return ending(
    cohort,
    state,
    { ...decisions, withdrawnOn: withdrawal.on, withdrawalReason: withdrawal.reason },
    'withdrawn',
    { kind: 'withdrawn', on: withdrawal.on, reason: withdrawal.reason },
    actor,
  );
}

/** Why a day is no camp of the cohort (a 400 on `campDate`), or undefined for one of its camps. */
export function campDateProblem(cohort: Cohort, campDate: IsoDate): string | undefined {
  if (!isWithinAccelerator(cohort, campDate)) return 'Datoen ligger uden for acceleratorforløbet';
  if (!cohort.camps.some((camp) => camp.date === campDate)) {
    return 'Der er ingen camp på den dato (brug campens første dag)';
  }
  return undefined;
}

/**
 * Attendance at one of the cohort's camps, for a company in the accelerator, once the camp has begun. Recording
 * the other value corrects it; the same value again is a repeat.
 */
export function recordAttendance(
  cohort: Cohort,
  state: JourneyState,
  attendance: { campDate: IsoDate; present: boolean },
  actor: Actor,
): JourneyDecision {
  const problem = campDateProblem(cohort, attendance.campDate);
  if (problem) return refused(400, 'campDate', problem);
  if (state.attendance[attendance.campDate] === attendance.present) return { kind: 'unchanged', state };
  if (state.stage !== 'accelerator') {
    return refused(409, 'cohortId', 'Fremmøde registreres kun for virksomheder i acceleratorforløbet');
  }
  if (attendance.campDate > actor.today) {
    return refused(409, 'campDate', 'Campen er ikke begyndt endnu');
  }
  return changed(
    state,
    { ...state, attendance: { ...state.attendance, [attendance.campDate]: attendance.present } },
    [{ kind: 'attendance-recorded', campDate: attendance.campDate, present: attendance.present }],
    actor,
  );
}
