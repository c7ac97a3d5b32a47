import { describe, expect, it } from 'vitest';
import {
  advanceOnTimer,
  applyOutcome,
  checkJobStart,
  checkOutcomeDate,
  checkStartDate,
  isFollowedJob,
  isFollowedResult,
  isFollowUpRunning,
  type MilestoneState,
  milestoneEndsJob,
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

describe('a running job, and a followed education', () => {
  const job = { type: 'job-start', date: '2026-11-02', hoursPerWeek: 37 } as const;
  const education = { type: 'education-start', date: '2026-11-02' } as const;
  const milestone = (weeks: number, status: MilestoneState, endedOn?: string) => ({ weeks, status, endedOn });

  it.each([
    [{ ...job }, true],
    [{ ...job, hoursPerWeek: 10 }, true],
    [{ ...job, hoursPerWeek: 9 }, false],
    [{ ...job, hoursPerWeek: undefined }, false],
    [{ type: 'education-start', date: '2026-11-02' } as const, false],
    [{ type: 'dropout', date: '2026-11-02' } as const, false],
    // Before the first rate card (a pathway started on a 2018 clock): the first card's hours still say what a job is.
    [{ ...job, date: '2018-11-15' }, true],
    [{ ...job, date: '2018-11-15', hoursPerWeek: 9 }, false],
  ])('%j is a followed job: %s', (outcome, followed) => {
    expect(isFollowedJob(outcome)).toBe(followed);
  });

  it.each([
    [{ ...job }, true],
    [{ ...job, hoursPerWeek: 10 }, true],
    [{ ...job, hoursPerWeek: 9 }, false],
    [{ ...job, hoursPerWeek: undefined }, false],
    [{ type: 'education-start', date: '2026-11-02' } as const, true],
    [{ type: 'education-start', date: '2026-11-02', hoursPerWeek: 5 } as const, true],
    [{ type: 'dropout', date: '2026-11-02' } as const, false],
  ])('%j is followed to its milestones: %s', (outcome, followed) => {
    expect(isFollowedResult(outcome)).toBe(followed);
  });

  it.each([
    ['a new job', job, [], true],
    ['a job below the hours threshold (never followed)', { ...job, hoursPerWeek: 5 }, [], false],
    ['a job with its end recorded', { ...job, endedOn: '2027-01-15' }, [], false],
    ['a job awaiting its 13-week answer', job, [milestone(13, 'awaiting-confirmation')], true],
    ['a job confirmed at 13 weeks', job, [milestone(13, 'confirmed')], true],
    ['a job confirmed at 13 weeks that ended after', job, [milestone(13, 'confirmed', '2027-02-10')], false],
    ['a job that ended by 13 weeks', job, [milestone(13, 'job-ended', '2027-01-15')], false],
    ['a job whose 13-week milestone went unanswered', job, [milestone(13, 'unconfirmed')], false],
    [
      'a job awaiting its 26-week answer',
      job,
      [milestone(13, 'confirmed'), milestone(26, 'awaiting-confirmation')],
      true,
    ],
    [
      'a job confirmed at 26 weeks (follow-up over)',
      job,
      [milestone(13, 'confirmed'), milestone(26, 'confirmed')],
      false,
    ],
    ['a new education', education, [], true],
    ['an education confirmed at 13 weeks', education, [milestone(13, 'confirmed')], true],
    ['an education dropped by 13 weeks', education, [milestone(13, 'job-ended', '2027-01-15')], false],
    ['an education with its end recorded', { ...education, endedOn: '2027-01-15' }, [], false],
    [
      'an education confirmed at 26 weeks (follow-up over)',
      education,
      [milestone(13, 'confirmed'), milestone(26, 'confirmed')],
      false,
    ],
    ['a drop-out (never followed)', { type: 'dropout', date: '2026-11-02' }, [], false],
  ] as const)('%s is followed: %s', (_, outcome, milestones, running) => {
    expect(isFollowUpRunning(outcome, milestones)).toBe(running);
  });

  it.each([
    [milestone(13, 'awaiting-confirmation'), false],
    [milestone(13, 'confirmed'), false],
    [milestone(13, 'confirmed', '2027-02-10'), true],
    [milestone(13, 'job-ended', '2027-01-15'), true],
    [milestone(13, 'unconfirmed'), true],
    [milestone(26, 'awaiting-confirmation'), false],
    [milestone(26, 'confirmed'), true],
  ])('milestone %j ends the job’s follow-up: %s', (state, ends) => {
    expect(milestoneEndsJob(state)).toBe(ends);
  });

  it.each([
    [undefined, 'job-start', null],
    [{ outcomeId: 'o-1', date: '2026-11-02' }, 'job-start', 'job-running'],
    [{ outcomeId: 'o-1', date: '2026-11-02' }, 'education-start', null],
    [{ outcomeId: 'o-1', date: '2026-11-02' }, 'dropout', null],
    [undefined, 'dropout', null],
  ] as const)('with running job %j a %s is refused: %s', (running, type, problem) => {
    expect(checkJobStart(running, { type })).toBe(problem);
  });
});
