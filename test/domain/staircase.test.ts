import { describe, expect, it } from 'vitest';
import { addDays } from '#domain/dates';
import {
  checkStaircaseWeek,
  maxStaircaseWeek,
  reimbursementBasisPoints,
  staircaseWeekFromWeeksOnBenefit,
  staircaseWeeksBeforeReferral,
} from '#domain/reimbursement';
import { cumulativeBenefitWeek, savingsByWeek, savingsByYear } from '#domain/savings';
import { staircase120Example } from './worked-example.ts';

describe('the staircase week recorded at referral (finansieringsloven §§ 5–6)', () => {
  it.each([
    // staircase week at referral, days from referral to a week off benefit, its staircase week, state share (bp)
    [0, 0, 1, 8000], // not on the staircase (never, or restarted under § 6): the referral's week is week 1
    [1, 0, 1, 8000],
    [4, 7, 5, 4000],
    [31, 364, 83, 2000], // the worked example: 30 old "weeks on benefit" = staircase week 31
    [52, 0, 52, 3000],
    [53, 0, 53, 2000],
    [120, 0, 120, 2000], // far above 52: the old form capped this at 52
    [120, 70, 130, 2000],
  ])(
    'at staircase week %i, a week off benefit %i days on is week %i, reimbursed %i bp',
    (week, days, expected, bp) => {
      // Act
      const cumulative = cumulativeBenefitWeek(
        staircaseWeeksBeforeReferral(week),
        '2026-01-05',
        addDays('2026-01-05', days),
      );
      // Assess
      expect(cumulative).toBe(expected);
      expect(reimbursementBasisPoints(cumulative)).toBe(bp);
    },
  );

  it.each([
    [0, 1],
    [30, 31],
    [52, 53],
  ])(
    'maps an old referral with %i weeks on benefit to staircase week %i, pricing it as before',
    (weeks, week) => {
      // Act
      const mapped = staircaseWeekFromWeeksOnBenefit(weeks);
      // Assess: the savings count on from the same number of weeks as the old field gave them.
      expect(mapped).toBe(week);
      expect(staircaseWeeksBeforeReferral(mapped)).toBe(weeks);
    },
  );

  it.each([
    ['2014-07-01', 1],
    ['2014-07-07', 1],
    ['2014-07-08', 2],
    ['2026-12-02', 649], // 4,537 days since 1 July 2014: 648 whole weeks, in the 649th
  ])('on %s no citizen is above staircase week %i (the count began 1 July 2014)', (date, max) => {
    expect(maxStaircaseWeek(date)).toBe(max);
    expect(checkStaircaseWeek(max, date)).toBe('ok');
    expect(checkStaircaseWeek(max + 1, date)).toBe('too-high');
  });

  it.each([-1, 2.5, Number.NaN])('refuses %s as a staircase week', (week) => {
    expect(checkStaircaseWeek(week, '2026-12-02')).toBe('invalid');
    expect(() => staircaseWeeksBeforeReferral(week)).toThrow(RangeError);
  });
});

describe('the worked example: the same job at staircase week 120 and at week 1', () => {
  it.each([
    ['at120', 120],
    ['at1', 1],
  ] as const)('%s (staircase week %i) saves what was worked by hand, to the øre', (key, staircaseWeek) => {
    // Prepare
    const expected = staircase120Example[key];
    const input = {
      ...staircase120Example.input,
      weeksOnBenefitAtReferral: staircaseWeeksBeforeReferral(staircaseWeek),
    };
    // Act
    const weeks = savingsByWeek(input);
    const summary = savingsByYear(weeks);
    // Assess
    const sum = (pick: (w: (typeof weeks)[number]) => number) => weeks.reduce((s, w) => s + pick(w), 0);
    expect(weeks).toHaveLength(26);
    expect([weeks[0]?.cumulativeWeek, weeks.at(-1)?.cumulativeWeek]).toEqual(expected.cumulativeWeeks);
    expect(weeks.every((w) => w.weeklyRateOere === staircase120Example.weeklyRateOere)).toBe(true);
    expect({ municipalityOere: sum((w) => w.municipalityOere), stateOere: sum((w) => w.stateOere) }).toEqual(
      expected.before,
    );
    expect(summary.total).toEqual(expected.after);
  });
});
