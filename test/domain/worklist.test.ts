import { describe, expect, it } from 'vitest';
import { firstShownOn, isShown, summarize, tasksOf, type WorklistInput } from '#domain/worklist';

const base: WorklistInput = {
  referralId: '00000000-0000-4000-8000-000000000001',
  municipality: '621',
  name: 'Anna Hansen',
  phase: 'training',
  phaseStartedOn: '2027-01-04',
  phaseEndsOn: '2027-07-04',
  hasInductionPlacement: false,
  eventSeq: 3,
  lastProgressAt: '2027-01-04T09:00:00.000Z',
  milestones: [],
  failures: [],
};

describe('the worklist rules', () => {
  it.each([
    [
      'a phase ending',
      {},
      [{ kind: 'phase-ending', due: '2027-07-04', shownFrom: '2027-06-20', phase: 'training' }],
    ],
    [
      'an induction without a placement (and its end)',
      { phase: 'induction' as const, phaseStartedOn: '2027-07-04', phaseEndsOn: '2028-01-04' },
      [
        { kind: 'place-induction', due: '2027-07-04', shownFrom: '2027-07-04' },
        { kind: 'phase-ending', due: '2028-01-04', shownFrom: '2027-12-21', phase: 'induction' },
      ],
    ],
    [
      'an induction with a placement: only its end',
      {
        phase: 'induction' as const,
        phaseStartedOn: '2027-07-04',
        phaseEndsOn: '2028-01-04',
        hasInductionPlacement: true,
      },
      [{ kind: 'phase-ending', due: '2028-01-04', shownFrom: '2027-12-21', phase: 'induction' }],
    ],
    [
      'a closed pathway: nothing',
      { phase: 'closed' as const, phaseEndsOn: null, closedReason: 'completed' as const },
      [],
    ],
    [
      'a milestone awaiting confirmation, due by its deadline, shown from when it opens',
      {
        phase: 'closed' as const,
        phaseEndsOn: null,
        milestones: [
          {
            outcomeId: 'o1',
            weeks: 13,
            dueOn: '2027-04-05',
            deadlineOn: '2027-05-03',
            status: 'awaiting-confirmation',
          },
          { outcomeId: 'o1', weeks: 26, dueOn: '2027-07-05', deadlineOn: '2027-08-02', status: 'confirmed' },
        ],
      },
      [{ kind: 'confirm-milestone', due: '2027-05-03', shownFrom: '2027-04-05', weeks: 13, outcomeId: 'o1' }],
    ],
    [
      'a milestone left open by a drop-out: nothing, as it can no longer be answered',
      {
        phase: 'closed' as const,
        phaseEndsOn: null,
        closedReason: 'dropout' as const,
        milestones: [
          {
            outcomeId: 'o1',
            weeks: 13,
            dueOn: '2027-04-05',
            deadlineOn: '2027-05-03',
            status: 'awaiting-confirmation',
          },
        ],
      },
      [],
    ],
    [
      'a failure after the last event, once, from its first day',
      {
        phase: 'closed' as const,
        phaseEndsOn: null,
        failures: [
          { at: '2027-02-02T10:00:00.000Z' },
          { at: '2027-02-01T10:00:00.000Z' },
          { at: '2027-01-01T00:00:00.000Z' },
        ],
      },
      [{ kind: 'workflow-failed', due: '2027-02-01', shownFrom: '2027-02-01' }],
    ],
  ])('%s', (_, change, expected) => {
    // Act
    const tasks = tasksOf({ ...base, ...change });

    // Assess
    expect(tasks).toEqual(expected);
  });

  it('puts the soonest task first and takes its date as the next deadline', () => {
    // Prepare: a milestone due before the phase ends.
    const input: WorklistInput = {
      ...base,
      phase: 'tracking',
      phaseEndsOn: '2028-07-04',
      milestones: [
        {
          outcomeId: 'o1',
          weeks: 13,
          dueOn: '2027-10-04',
          deadlineOn: '2027-11-01',
          status: 'awaiting-confirmation',
        },
      ],
    };

    // Act
    const summary = summarize(input);

    // Assess
    expect(summary.tasks.map((t) => t.kind)).toEqual(['confirm-milestone', 'phase-ending']);
    expect(summary.nextDeadline).toBe('2027-11-01');
    expect(firstShownOn(summary.tasks)).toBe('2027-10-04');
  });

  it('has no next deadline for a closed pathway without tasks, and the phase end for an open one', () => {
    expect(summarize({ ...base, phase: 'closed', phaseEndsOn: null }).nextDeadline).toBeNull();
    expect(summarize(base).nextDeadline).toBe('2027-07-04');
  });

  it.each([
    ['2027-06-19', false],
    ['2027-06-20', true],
    ['2027-08-01', true],
  ])('shows a task first shown on 2027-06-20 on %s: %s', (today, shown) => {
    expect(isShown({ shownFrom: '2027-06-20' }, today)).toBe(shown);
  });
});
