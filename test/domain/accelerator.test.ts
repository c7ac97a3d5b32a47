import { describe, expect, it } from 'vitest';
import { cohortOf, cohorts, isWithinAccelerator, stageOn } from '#domain/accelerator';

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
