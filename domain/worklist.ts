import { z } from 'zod';
import type { Action } from './access.ts';
import { addDays, type IsoDate } from './dates.ts';
import { type ClosedReason, type Phase, phases } from './pathway.ts';

/**
 * What needs doing on a pathway, and by when: the rules of the worklist ("Opgaver"), written once. A pathway's
 * summary is recomputed from the whole pathway whenever it changes (functions/events/project-views.ts), so a task
 * disappears when the record that resolves it is stored. Which tasks show on a given day is decided when the list
 * is read (`isShown`), so a task that only depends on the date (a phase ending) needs no timer.
 */

/** A phase ending within this many days is on the worklist. */
export const PHASE_ENDING_NOTICE_DAYS = 14;

export const taskKinds = ['confirm-milestone', 'place-induction', 'phase-ending', 'workflow-failed'] as const;
export type TaskKind = (typeof taskKinds)[number];

export interface Task {
  kind: TaskKind;
  /** The day by which it should be done; the list is sorted by it. */
  due: IsoDate;
  /** The first day it is shown. */
  shownFrom: IsoDate;
  /** confirm-milestone: which milestone (weeks) of which result. */
  weeks?: number;
  outcomeId?: string;
  /** phase-ending: the phase that ends. */
  phase?: Phase;
}

/** Who can resolve a task: it is shown to the roles that may take this action (domain/access.ts). */
export const taskActions: Record<TaskKind, Action> = {
  'confirm-milestone': 'record-confirmation',
  'place-induction': 'record-placement',
  'phase-ending': 'read-pathway',
  'workflow-failed': 'read-pathway',
};

/** What the summary is made from: the pathway's records, only the fields the rules read. */
export interface WorklistInput {
  referralId: string;
  municipality: string;
  name: string;
  phase: Phase;
  phaseStartedOn: IsoDate;
  phaseEndsOn: IsoDate | null;
  closedReason?: ClosedReason;
  hasInductionPlacement: boolean;
  /** The pathway's last event's sequence number. */
  eventSeq: number;
  /**
   * The last time a step of the pathway's workflows got something done: its last event, or a payment written or
   * notified. A failure after it is not yet resolved; a retry or a restart that succeeded leaves a later mark.
   */
  lastProgressAt: string;
  milestones: ReadonlyArray<{
    outcomeId: string;
    weeks: number;
    dueOn: IsoDate;
    deadlineOn: IsoDate;
    status: string;
  }>;
  failures: ReadonlyArray<{ at: string }>;
}

export interface PathwaySummary {
  referralId: string;
  municipality: string;
  name: string;
  phase: Phase;
  phaseStartedOn: IsoDate;
  phaseEndsOn: IsoDate | null;
  closedReason: ClosedReason | null;
  /** The earliest due date of its tasks, else the end of its phase; null for a closed pathway without tasks. */
  nextDeadline: IsoDate | null;
  tasks: Task[];
  /** The event sequence the summary was made from: an older one never replaces a newer one. */
  eventSeq: number;
}

/** The pathway's open tasks, whatever the date; `isShown` decides which are shown on a day. */
export function tasksOf(input: WorklistInput): Task[] {
  const tasks: Task[] = [];
  // A drop-out stops the follow-up: a milestone left open then cannot be answered (409), so it is no task.
  const followed = input.closedReason !== 'dropout';
  for (const m of input.milestones) {
    if (!followed || m.status !== 'awaiting-confirmation') continue;
    tasks.push({
      kind: 'confirm-milestone',
      due: m.deadlineOn,
      shownFrom: m.dueOn,
      weeks: m.weeks,
      outcomeId: m.outcomeId,
    });
  }
  if (input.phase === 'induction' && !input.hasInductionPlacement) {
    tasks.push({ kind: 'place-induction', due: input.phaseStartedOn, shownFrom: input.phaseStartedOn });
  }
  if (input.phase !== 'closed' && input.phaseEndsOn) {
    tasks.push({
      kind: 'phase-ending',
      due: input.phaseEndsOn,
      shownFrom: addDays(input.phaseEndsOn, -PHASE_ENDING_NOTICE_DAYS),
      phase: input.phase,
    });
  }
  // A step that failed after the pathway's last progress: nothing has moved it on since.
  const unresolved = input.failures.filter((f) => f.at > input.lastProgressAt).map((f) => f.at.slice(0, 10));
  if (unresolved.length > 0) {
    const first = unresolved.sort()[0] as IsoDate;
    tasks.push({ kind: 'workflow-failed', due: first, shownFrom: first });
  }
  return tasks.sort((a, b) => a.due.localeCompare(b.due) || a.kind.localeCompare(b.kind));
}

export function summarize(input: WorklistInput): PathwaySummary {
  const tasks = tasksOf(input);
  return {
    referralId: input.referralId,
    municipality: input.municipality,
    name: input.name,
    phase: input.phase,
    phaseStartedOn: input.phaseStartedOn,
    phaseEndsOn: input.phaseEndsOn,
    closedReason: input.closedReason ?? null,
    nextDeadline: tasks[0]?.due ?? (input.phase === 'closed' ? null : input.phaseEndsOn),
    tasks,
    eventSeq: input.eventSeq,
  };
}

/** A task is on the list from its first day on; it leaves it when the pathway's records resolve it. */
export function isShown(task: Pick<Task, 'shownFrom'>, today: IsoDate): boolean {
  return task.shownFrom <= today;
}

/** The earliest day any of the tasks is shown, or null: the worklist index sorts pathways by it. */
export function firstShownOn(tasks: readonly Pick<Task, 'shownFrom'>[]): IsoDate | null {
  return tasks.reduce<IsoDate | null>(
    (first, t) => (first === null || t.shownFrom < first ? t.shownFrom : first),
    null,
  );
}

const taskSchema = z.object({
  kind: z.enum(taskKinds),
  due: z.string(),
  shownFrom: z.string(),
  weeks: z.number().int().optional(),
  outcomeId: z.string().optional(),
  phase: z.enum(phases).optional(),
});

/** A stored summary as read back: checked, not cast (an older version may have written it). */
export const summarySchema = z.object({
  referralId: z.string(),
  municipality: z.string(),
  name: z.string(),
  phase: z.enum(phases),
  phaseStartedOn: z.string(),
  phaseEndsOn: z.string().nullable(),
  closedReason: z.enum(['completed', 'dropout']).nullable(),
  nextDeadline: z.string().nullable(),
  tasks: z.array(taskSchema),
  eventSeq: z.number().int(),
});
