import { describe, expect, it } from 'vitest';
import {
  advanceOnTimer,
  applyOutcome,
  checkOutcomeDate,
  checkStartDate,
  type PathwayPosition,
  PathwayRuleError,
  phaseEndsAt,
  planPathway,
  startPathway,
} from '#domain/pathway';

const plan = planPathway('2026-08-31');

describe('pathway plan', () => {
  it('gives six calendar months of training, six of induction and six of tracking', () => {
    expect(plan).toEqual({
      training: { start: '2026-08-31', end: '2027-02-28' },
      induction: { start: '2027-02-28', end: '2027-08-31' },
      tracking: { start: '2027-08-31', end: '2028-02-29' },
    });
  });

  it.each([
    ['2026-11-26', '2026-10-26', null],
    ['2026-11-26', '2026-10-25', 'too-early'],
    ['2026-11-26', '2027-02-26', null],
    ['2026-11-26', '2027-02-27', 'too-late'],
  ])('on %s a start date of %s is %s', (today, start, problem) => {
    expect(checkStartDate(start, today)).toBe(problem);
  });
});

describe('phase timer', () => {
  it('waits in "referred" until the start date when referred in advance', () => {
    expect(startPathway(plan, '2026-08-01')).toEqual({
      phase: 'referred',
      phaseSeq: 1,
      phaseStartedOn: '2026-08-01',
      phaseEndsOn: '2026-08-31',
    });
  });

  it('starts training at once when the start date has come', () => {
    expect(startPathway(plan, '2026-09-02')).toMatchObject({
      phase: 'training',
      phaseStartedOn: '2026-08-31',
    });
  });

  it('walks referred → training → induction → tracking → closed on the planned dates', () => {
    // Prepare
    let position: PathwayPosition = startPathway(plan, '2026-08-01');
    const seen: Array<[string, string, string | null]> = [];
    // Act
    while (position.phase !== 'closed') {
      position = advanceOnTimer(position, plan);
      seen.push([position.phase, position.phaseStartedOn, position.phaseEndsOn]);
    }
    // Assess
    expect(seen).toEqual([
      ['training', '2026-08-31', '2027-02-28'],
      ['induction', '2027-02-28', '2027-08-31'],
      ['tracking', '2027-08-31', '2028-02-29'],
      ['closed', '2028-02-29', null],
    ]);
    expect(position).toMatchObject({ phaseSeq: 5, closedReason: 'completed' });
  });

  it('keeps tracking to the end set when an early outcome started it', () => {
    const tracking: PathwayPosition = {
      phase: 'tracking',
      phaseSeq: 3,
      phaseStartedOn: '2026-10-01',
      phaseEndsOn: '2027-04-01',
    };
    expect(advanceOnTimer(tracking, plan)).toMatchObject({ phase: 'closed', phaseStartedOn: '2027-04-01' });
  });

  it('has no next phase once closed', () => {
    const closed: PathwayPosition = {
      phase: 'closed',
      phaseSeq: 5,
      phaseStartedOn: '2028-02-29',
      phaseEndsOn: null,
    };
    expect(() => advanceOnTimer(closed, plan)).toThrow(PathwayRuleError);
  });

  it('fires at midnight Danish time on the end date', () => {
    const training: PathwayPosition = {
      phase: 'training',
      phaseSeq: 1,
      phaseStartedOn: '2026-08-31',
      phaseEndsOn: '2027-02-28',
    };
    expect(phaseEndsAt(training)).toBe('2027-02-27T23:00:00Z');
    expect(phaseEndsAt({ ...training, phase: 'closed', phaseEndsOn: null })).toBeNull();
  });
});

describe('outcomes', () => {
  const training: PathwayPosition = {
    phase: 'training',
    phaseSeq: 2,
    phaseStartedOn: '2026-08-31',
    phaseEndsOn: '2027-02-28',
  };

  it('closes the pathway at once on a drop-out and frees the place', () => {
    expect(applyOutcome(training, { type: 'dropout', date: '2026-10-15' })).toEqual({
      next: {
        phase: 'closed',
        phaseSeq: 3,
        phaseStartedOn: '2026-10-15',
        phaseEndsOn: null,
        closedReason: 'dropout',
      },
      releasesPlace: true,
      releasesCitizen: true,
    });
  });

  it.each(['job-start', 'education-start'] as const)(
    'moves to six months of tracking at once on %s',
    (type) => {
      expect(applyOutcome(training, { type, date: '2026-10-15', hoursPerWeek: 37 })).toEqual({
        next: { phase: 'tracking', phaseSeq: 3, phaseStartedOn: '2026-10-15', phaseEndsOn: '2027-04-15' },
        releasesPlace: false,
        releasesCitizen: false,
      });
    },
  );

  it('starts tracking no earlier than the current phase when the outcome is recorded late', () => {
    // Prepare: in induction since 2027-03-01; the job began during training but is recorded only now.
    const induction: PathwayPosition = {
      phase: 'induction',
      phaseSeq: 2,
      phaseStartedOn: '2027-03-01',
      phaseEndsOn: '2027-09-01',
    };
    // Act
    const effect = applyOutcome(induction, { type: 'job-start', date: '2026-12-15', hoursPerWeek: 30 });
    // Assess
    expect(effect.next).toEqual({
      phase: 'tracking',
      phaseSeq: 3,
      phaseStartedOn: '2027-03-01',
      phaseEndsOn: '2027-09-01',
    });
    expect(applyOutcome(induction, { type: 'dropout', date: '2026-12-15' }).next?.phaseStartedOn).toBe(
      '2027-03-01',
    );
  });

  it.each([
    [9, null],
    [10, 'tracking'],
  ])('a job of %i hours a week moves the pathway to %s', (hoursPerWeek, phase) => {
    expect(
      applyOutcome(training, { type: 'job-start', date: '2026-10-15', hoursPerWeek }).next?.phase ?? null,
    ).toBe(phase);
  });

  it('leaves tracking as it is on a second job start', () => {
    const tracking = { ...training, phase: 'tracking' as const };
    expect(applyOutcome(tracking, { type: 'job-start', date: '2026-12-01' }).next).toBeNull();
  });

  it('refuses any outcome on a closed pathway', () => {
    const closed = { ...training, phase: 'closed' as const, phaseEndsOn: null };
    expect(() => applyOutcome(closed, { type: 'job-start', date: '2026-12-01' })).toThrow(PathwayRuleError);
  });

  it.each([
    ['2026-09-01', null],
    ['2026-08-31', 'before-referral'],
    ['2026-11-27', 'in-future'],
    ['2026-11-26', null],
  ])('an outcome dated %s is %s (referred 2026-09-01, today 2026-11-26)', (date, rule) => {
    expect(checkOutcomeDate(date, '2026-09-01', '2026-11-26')?.rule ?? null).toBe(rule);
  });
});
