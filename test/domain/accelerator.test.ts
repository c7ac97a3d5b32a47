import { describe, expect, it } from 'vitest';
import {
  cohortOf,
  cohortOfCluster,
  cohorts,
  isFinalStage,
  isWithinAccelerator,
  journeyBoundaries,
  nextBoundary,
  stageOn,
} from '#domain/accelerator';
import { addDays, daysBetween } from '#domain/dates';

describe('the cohorts of the social accelerator', () => {
  it('has cluster 1 in 2019 and cluster 2 in 2020, each with a two-day boot camp on a Thursday in the November before', () => {
    // Act
    const [first, second] = cohorts;

    // Assess
    expect(first).toMatchObject({
      id: 'cluster-1-2019',
      recruitment: { start: '2018-09-01', end: '2018-11-01' },
      // 1 November 2018 was a Thursday: the third one after it is 15 November.
      bootCamp: { start: '2018-11-15', end: '2018-11-17' },
      selectionBy: '2018-12-15',
      accelerator: { start: '2019-01-01', end: '2020-01-01' },
      followUp: { start: '2020-01-01', end: '2020-07-01' },
    });
    expect(second).toMatchObject({
      id: 'cluster-2-2020',
      bootCamp: { start: '2019-11-21', end: '2019-11-23' },
      accelerator: { start: '2020-01-01', end: '2021-01-01' },
    });
    for (const cohort of cohorts) {
      expect(new Date(`${cohort.bootCamp.start}T12:00:00Z`).getUTCDay()).toBe(4);
      expect(cohort.bootCamp.start.slice(5, 7)).toBe('11');
    }
  });

  it('puts four two-day camps inside the accelerator, on Thursdays', () => {
    // Act
    const { camps } = cohortOf(1, 2019);

    // Assess
    expect(camps.map((c) => c.date)).toEqual(['2019-02-07', '2019-05-02', '2019-09-05', '2019-11-07']);
    for (const camp of camps) expect(isWithinAccelerator(cohortOf(1, 2019), camp.date)).toBe(true);
  });

  it.each([
    ['2018-11-15', false], // the boot camp is not a camp of the accelerator
    ['2018-12-31', false],
    ['2019-01-01', true],
    ['2019-12-31', true],
    ['2020-01-01', false], // follow-up
  ])('a camp on %s is inside the 2019 accelerator: %s', (date, inside) => {
    expect(isWithinAccelerator(cohortOf(1, 2019), date)).toBe(inside);
  });
});

describe('where a company is on a day', () => {
  const cohort = cohortOf(1, 2019);

  it.each([
    ['invited during the campaign', {}, '2018-10-01', 'invited'],
    ['at the boot camp', {}, '2018-11-16', 'boot-camp'],
    ['after it, not yet decided', {}, '2018-12-01', 'awaiting-selection'],
    ['not chosen', { selected: false }, '2018-12-01', 'not-selected'],
    ["not chosen on the boot camp's first day", { selected: false }, '2018-11-15', 'not-selected'],
    ['chosen during the boot camp', { selected: true }, '2018-11-16', 'boot-camp'],
    ['selected, before the start', { selected: true }, '2018-12-20', 'selected'],
    ['in the accelerator', { selected: true }, '2019-06-01', 'accelerator'],
    ['never decided, once the accelerator runs', {}, '2019-01-02', 'not-selected'],
    ['in follow-up', { selected: true }, '2020-03-01', 'follow-up'],
    ['completed', { selected: true }, '2020-07-01', 'completed'],
    ['withdrawn in month 3', { selected: true, withdrawnOn: '2019-03-15' }, '2019-03-15', 'withdrawn'],
    [
      'the day before it withdrew',
      { selected: true, withdrawnOn: '2019-03-15' },
      '2019-03-14',
      'accelerator',
    ],
  ] as const)('%s', (_, decisions, date, stage) => {
    expect(stageOn(cohort, decisions, date)).toBe(stage);
  });
});

describe('the legs of a journey', () => {
  const cohort = cohortOf(1, 2019);

  it('ends legs at the boot camp, the accelerator start, each camp, the accelerator end and the follow-up end', () => {
    // Act
    const boundaries = journeyBoundaries(cohort);

    // Assess
    expect(boundaries).toEqual([
      '2018-11-15',
      '2018-11-17',
      '2019-01-01',
      '2019-02-07',
      '2019-05-02',
      '2019-09-05',
      '2019-11-07',
      '2020-01-01',
      '2020-07-01',
    ]);
  });

  it.each([
    ['during recruitment', '2018-09-03', '2018-11-15'],
    ['the day before the boot camp', '2018-11-14', '2018-11-15'],
    ["on the boot camp's first day", '2018-11-15', '2018-11-17'],
    ['awaiting selection', '2018-12-01', '2019-01-01'],
    ["on the accelerator's first day", '2019-01-01', '2019-02-07'],
    ['on a camp day', '2019-02-07', '2019-05-02'],
    ['in the summer', '2019-07-01', '2019-09-05'],
    ['after the last camp', '2019-11-08', '2020-01-01'],
    ['in follow-up', '2020-01-01', '2020-07-01'],
    ['after the follow-up', '2020-07-01', undefined],
  ])('the leg running %s (%s) ends on %s', (_, date, end) => {
    expect(nextBoundary(cohort, date)).toBe(end);
  });

  it.each(cohorts.map((c) => [c.id, c] as const))(
    'keeps every leg of %s well under a year (2020 is a leap year)',
    (_, c) => {
      // Prepare: the longest leg is from the recruitment's start to the boot camp, or between two boundaries.
      const days = [c.recruitment.start, ...journeyBoundaries(c)];

      // Act
      const legs = days.slice(1).map((day, i) => daysBetween(days[i] ?? day, day));

      // Assess: the phase timer's 200-day bound holds for companies too.
      expect(Math.max(...legs)).toBeLessThanOrEqual(184);
      expect(Math.min(...legs)).toBeGreaterThan(0);
    },
  );

  it('moves a stage only on a boundary: the stage is the same on every day of a leg', () => {
    // Prepare
    const decisions = { selected: true };
    const boundaries = journeyBoundaries(cohort);

    for (let day = '2018-09-01'; day < '2020-08-01'; day = addDays(day, 1)) {
      // Act
      const legStart = [...boundaries].reverse().find((b) => b <= day) ?? '2018-09-01';

      // Assess
      expect(stageOn(cohort, decisions, day), day).toBe(stageOn(cohort, decisions, legStart));
    }
  });

  it.each([
    ['invited', false],
    ['accelerator', false],
    ['not-selected', true],
    ['completed', true],
    ['withdrawn', true],
  ] as const)('%s is a final stage: %s', (stage, final) => {
    expect(isFinalStage(stage)).toBe(final);
  });

  it("finds each cluster's cohort", () => {
    expect(cohortOfCluster(1)?.id).toBe('cluster-1-2019');
    expect(cohortOfCluster(2)?.id).toBe('cluster-2-2020');
  });
});
