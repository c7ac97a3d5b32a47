import { describe, expect, it } from 'vitest';
import { cohortOf } from '#domain/accelerator';
import {
  advanceOnTimer,
  campDateProblem,
  decideSelection,
  invite,
  type JourneyDecision,
  type JourneyState,
  recordAttendance,
  withdraw,
} from '#domain/company-journey';

const cohort = cohortOf(1, 2019);
const company = { cvr: '29000018', municipality: '621' };
const actorOn = (today: string) => ({ today, at: `${today}T10:00:00.000Z`, by: 'kolding-accelerator' });

/** A journey as the invitation on 2018-09-03 left it, then changed by `overrides`. */
function journey(overrides: Partial<JourneyState> = {}): JourneyState {
  const invited = invite(cohort, undefined, company, actorOn('2018-09-03'));
  if (invited.kind !== 'change') throw new Error('not invited');
  return { ...invited.state, ...overrides };
}

const changed = (decision: JourneyDecision) => {
  if (decision.kind !== 'change') throw new Error(`expected a change, got ${JSON.stringify(decision)}`);
  return decision;
};

describe('inviting a company into a cohort', () => {
  it('starts the journey as invited, its first leg running to the boot camp', () => {
    // Act
    const decision = changed(invite(cohort, undefined, company, actorOn('2018-09-03')));

    // Assess
    expect(decision.state).toMatchObject({
      stage: 'invited',
      legSeq: 1,
      legEndsOn: '2018-11-15',
      eventSeq: 1,
      invitedOn: '2018-09-03',
    });
    expect(decision.events).toEqual([
      expect.objectContaining({
        kind: 'stage-started',
        seq: 1,
        stage: 'invited',
        legSeq: 1,
        // Midnight in Copenhagen (UTC+1 in November).
        legEndsAt: '2018-11-14T23:00:00Z',
        trigger: 'invitation',
      }),
    ]);
  });

  it.each([
    // Before the recruitment campaign (1 September 2018) the first leg would outlast a timer execution (200 days).
    ['the day before the recruitment campaign', '2018-08-31', 'refused'],
    ['the recruitment campaign’s first day', '2018-09-01', 'change'],
    ['the day before the boot camp', '2018-11-14', 'change'],
    ['on the boot camp’s first day', '2018-11-15', 'refused'],
    ['in the accelerator', '2019-03-01', 'refused'],
  ])('%s (%s): %s', (_, today, kind) => {
    expect(invite(cohort, undefined, company, actorOn(today)).kind).toBe(kind);
  });

  it('answers a repeat with the journey as it is, unchanged, even after the boot camp', () => {
    // Prepare
    const existing = journey({ stage: 'accelerator' });

    // Act
    const decision = invite(cohort, existing, company, actorOn('2019-03-01'));

    // Assess
    expect(decision).toEqual({ kind: 'unchanged', state: existing });
  });
});

describe('the timer at the end of a leg', () => {
  it.each([
    // [leg ends on, decisions, stage after, next leg ends on]
    ['2018-11-15', {}, 'boot-camp', '2018-11-17'],
    ['2018-11-17', {}, 'awaiting-selection', '2019-01-01'],
    ['2018-11-17', { selected: true }, 'selected', '2019-01-01'],
    ['2019-01-01', {}, 'not-selected', null],
    ['2019-01-01', { selected: true }, 'accelerator', '2019-02-07'],
    ['2019-02-07', { selected: true }, 'accelerator', '2019-05-02'],
    ['2020-01-01', { selected: true }, 'follow-up', '2020-07-01'],
    ['2020-07-01', { selected: true }, 'completed', null],
  ] as const)(
    'a leg ending on %s with %j moves the company to %s, the next leg ending %s',
    (endsOn, decisions, stage, next) => {
      // Prepare
      const running = journey({ legSeq: 3, legEndsOn: endsOn, decisions, eventSeq: 5 });

      // Act
      const decision = changed(advanceOnTimer(cohort, running, 3, { at: 'now', by: 'timer' }));

      // Assess
      expect(decision.state).toMatchObject({ stage, legSeq: 4, legEndsOn: next, eventSeq: 6 });
      expect(decision.events).toEqual([
        expect.objectContaining({
          kind: 'stage-started',
          seq: 6,
          legSeq: 4,
          startedOn: endsOn,
          trigger: 'timer',
        }),
      ]);
      const started = decision.events[0];
      // A timer only for a leg that has an end.
      expect(started?.kind === 'stage-started' && started.legEndsAt !== undefined).toBe(next !== null);
    },
  );

  it.each([
    ['another leg is running', journey({ legSeq: 4 })],
    ['the journey has ended', journey({ legSeq: 3, stage: 'withdrawn', legEndsOn: null })],
  ])('does nothing when %s', (_, state) => {
    expect(advanceOnTimer(cohort, state, 3, { at: 'now', by: 'timer' }).kind).toBe('unchanged');
  });
});

describe('selection', () => {
  it.each([
    ['before the boot camp', '2018-11-14', 'refused'],
    ['on the boot camp’s first day', '2018-11-15', 'change'],
    ['on the last day before the accelerator', '2018-12-31', 'change'],
    ['once the accelerator runs', '2019-01-01', 'refused'],
  ])('%s (%s): %s', (_, today, kind) => {
    expect(decideSelection(cohort, journey(), true, actorOn(today)).kind).toBe(kind);
  });

  it('keeps the journey on its legs for a "yes": selected after the boot camp, no new leg', () => {
    // Prepare
    const waiting = journey({ stage: 'awaiting-selection', legSeq: 3, legEndsOn: '2019-01-01' });

    // Act
    const decision = changed(decideSelection(cohort, waiting, true, actorOn('2018-12-01')));

    // Assess
    expect(decision.state).toMatchObject({ stage: 'selected', legSeq: 3, legEndsOn: '2019-01-01' });
    expect(decision.events.map((e) => e.kind)).toEqual(['selection-decided']);
  });

  it('ends the journey on a "no", with a final leg that stops the running timer', () => {
    // Prepare
    const atBootCamp = journey({ stage: 'boot-camp', legSeq: 2, legEndsOn: '2018-11-17' });

    // Act
    const decision = changed(decideSelection(cohort, atBootCamp, false, actorOn('2018-11-16')));

    // Assess
    expect(decision.state).toMatchObject({ stage: 'not-selected', legSeq: 3, legEndsOn: null });
    expect(decision.events).toEqual([
      expect.objectContaining({ kind: 'selection-decided', selected: false, seq: 2 }),
      expect.objectContaining({
        kind: 'stage-started',
        stage: 'not-selected',
        legSeq: 3,
        trigger: 'decision',
        seq: 3,
      }),
    ]);
    const last = decision.events[1];
    expect(last?.kind === 'stage-started' && last.legEndsAt).toBeFalsy();
  });

  it.each([
    ['the same answer again is a repeat', { selected: true }, true, 'unchanged'],
    ['the other answer is refused', { selected: true }, false, 'refused'],
  ] as const)('%s', (_, decisions, selected, kind) => {
    expect(decideSelection(cohort, journey({ decisions }), selected, actorOn('2018-12-01')).kind).toBe(kind);
  });
});

describe('withdrawal', () => {
  const inAccelerator = journey({
    stage: 'accelerator',
    legSeq: 5,
    legEndsOn: '2019-05-02',
    decisions: { selected: true },
  });

  it('ends the journey in month 3 with a final leg', () => {
    // Act
    const decision = changed(
      withdraw(cohort, inAccelerator, { on: '2019-03-15', reason: 'Ingen kapacitet' }, actorOn('2019-03-15')),
    );

    // Assess
    expect(decision.state).toMatchObject({
      stage: 'withdrawn',
      legSeq: 6,
      legEndsOn: null,
      decisions: { selected: true, withdrawnOn: '2019-03-15', withdrawalReason: 'Ingen kapacitet' },
    });
    expect(decision.events.map((e) => e.kind)).toEqual(['withdrawn', 'stage-started']);
  });

  it.each([
    ['a day after today', inAccelerator, '2019-03-16', 400, 'date'],
    ['a day before the invitation', inAccelerator, '2018-09-02', 400, 'date'],
    ['a completed journey', journey({ stage: 'completed', legEndsOn: null }), '2019-03-15', 409, 'cohortId'],
    [
      'a journey not selected',
      journey({ stage: 'not-selected', legEndsOn: null }),
      '2019-03-15',
      409,
      'cohortId',
    ],
  ])('refuses %s', (_, state, on, status, field) => {
    expect(withdraw(cohort, state, { on, reason: 'x' }, actorOn('2019-03-15'))).toMatchObject({
      kind: 'refused',
      status,
      field,
    });
  });

  it('answers the same withdrawal again as a repeat', () => {
    // Prepare
    const withdrawal = { on: '2019-03-15', reason: 'Ingen kapacitet' };
    const first = changed(withdraw(cohort, inAccelerator, withdrawal, actorOn('2019-03-15')));

    // Act
    const repeat = withdraw(cohort, first.state, withdrawal, actorOn('2019-03-20'));

    // Assess
    expect(repeat.kind).toBe('unchanged');
  });
});

describe('camp attendance', () => {
  const inAccelerator = journey({ stage: 'accelerator', decisions: { selected: true } });

  it.each([
    ['the boot camp', '2018-11-15', 'Datoen ligger uden for acceleratorforløbet'],
    ['a day in follow-up', '2020-02-06', 'Datoen ligger uden for acceleratorforløbet'],
    [
      'a day in the accelerator without a camp',
      '2019-02-08',
      'Der er ingen camp på den dato (brug campens første dag)',
    ],
    ['the first camp', '2019-02-07', undefined],
  ])('%s (%s): %s', (_, date, problem) => {
    expect(campDateProblem(cohort, date)).toBe(problem);
  });

  it.each([
    ['a company in the accelerator, on the camp day', inAccelerator, '2019-02-07', 'change'],
    ['a camp not yet begun', inAccelerator, '2019-01-20', 'refused'],
    ['a company in follow-up', journey({ stage: 'follow-up' }), '2020-02-01', 'refused'],
    [
      'the same value again',
      journey({ stage: 'follow-up', attendance: { '2019-02-07': true } }),
      '2020-02-01',
      'unchanged',
    ],
  ] as const)('%s: %s', (_, state, today, kind) => {
    expect(
      recordAttendance(cohort, state, { campDate: '2019-02-07', present: true }, actorOn(today)).kind,
    ).toBe(kind);
  });
});
