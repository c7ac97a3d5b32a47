import { describe, expect, it } from 'vitest';
import { businessCase, type CitizenCase } from '#domain/business-case';
import { amountOn, earningsAmounts, jobEarnings, reformAllowanceOere, suOn } from '#domain/earnings';
import { type SavedResult, savingsByWeek, savingsByYear } from '#domain/savings';
import { moneyExamples } from './worked-example.ts';

describe('dated wages, disregards and SU', () => {
  it.each([
    // Published: Industriens Overenskomst's minimum from 1 March 2023 and 2024; 2022 derived from the same text.
    ['hourly-wage', '2024-03-01', 13_615, false],
    ['hourly-wage', '2024-02-29', 13_165, false],
    ['hourly-wage', '2022-03-01', 12_715, false],
    // 2021: 127.15 regulated down by 1.5 %: 12,715 × 10,000 / 10,150 = 12,527.09… → 12,527.
    ['hourly-wage', '2021-06-01', 12_527, true],
    // 2025: 136.15 regulated up: 13,615 × 1.015 = 13,819.225 → 13,819.
    ['hourly-wage', '2025-03-01', 13_819, true],
    ['hourly-disregard', '2019-01-01', 2_732, false],
    // 2020: 27.32 × 1.015 = 27.7298 → 27.73.
    ['hourly-disregard', '2020-12-31', 2_773, true],
    ['hourly-disregard', '2022-06-01', 2_866, false],
    ['su-away-from-home', '2024-01-01', 682_000, false],
    // 2019: 2018's 6,090 × 1.015 = 6,181.35.
    ['su-away-from-home', '2019-08-01', 618_135, true],
    ['su-living-with-parents', '2024-05-01', 268_600, false],
  ] as const)('%s on %s is %i øre (assumed: %s)', (series, date, oere, assumed) => {
    // Act
    const amount = amountOn(series, date);
    // Assess
    expect(amount.oere).toBe(oere);
    expect(amount.assumption !== undefined).toBe(assumed);
    expect(amount.source).not.toBe('');
  });

  it('covers every day from 1 January 2019 (a wage changing on 1 March needs 2018 for January)', () => {
    // Act
    const january2019 = amountOn('hourly-wage', '2019-01-15');
    // Assess
    expect(january2019.effectiveFrom).toBe('2018-03-01');
    expect(() => amountOn('hourly-disregard', '2018-12-31')).toThrow(RangeError);
  });

  it('labels every assumed amount in Danish and names its basis', () => {
    const assumed = earningsAmounts.filter((a) => a.assumption);
    expect(assumed.length).toBeGreaterThan(0);
    expect(assumed.every((a) => a.assumption?.includes('vores antagelse'))).toBe(true);
  });

  it('gives students living with their parents the lower SU', () => {
    expect(suOn('under-30-living-with-parents', '2024-05-01').series).toBe('su-living-with-parents');
    expect(suOn('30-plus-with-children', '2024-05-01').series).toBe('su-away-from-home');
  });
});

describe('what a job saves: the earnings deduction', () => {
  const kh30 = 1_232_600; // kontanthjælp, 30+ without children, 2024: DKK 12,326 a month.

  it.each([
    // Before the reform: earnings − disregard × hours, both a month. 2024-06-03, wage 136.15, disregard 29.53.
    // 15 h: earnings 13,615 × 15 × 52 / 12 = 884,975; disregard 2,953 × 780 / 12 = 191,945; saves 693,030.
    ['15 h before the reform saves earnings less the hourly disregard', 15, '2024-06-03', 884_975, 693_030],
    // 37 h: earnings 2,182,938 (2,182,938.3) less 2,953 × 160 = 472,480 → 1,710,458, more than the benefit: all of it.
    ['37 h before the reform saves the whole benefit', 37, '2024-06-03', 2_182_938, kh30],
    // 0 h: nothing earned, nothing saved.
    ['no hours save nothing', 0, '2024-06-03', 0, 0],
  ])('%s', (_label, hours, date, earnings, saved) => {
    // Act
    const result = jobEarnings('kontanthjaelp', '30-plus-without-children', kh30, hours, date);
    // Assess
    expect(result.monthlyEarningsOere).toBe(earnings);
    expect(result.monthlySavedOere).toBe(saved);
    expect(result.disregard?.oere).toBe(2_953);
    expect(result.allowanceOere).toBeUndefined();
  });

  it('caps the disregard at 160 hours a month', () => {
    // 50 h a week is 216⅔ hours a month: the disregard counts 160 of them (2,953 × 160 = 472,480).
    const result = jobEarnings('kontanthjaelp', '30-plus-with-children', 5_000_000, 50, '2024-06-03');
    expect(result.monthlyEarningsOere - result.monthlySavedOere).toBe(472_480);
  });

  it.each([
    // From 1 July 2025: 65 % of earnings above the allowance. 2026-06-01, wage 140.26 (assumed), 25 h:
    // earnings 14,026 × 25 × 52 / 12 = 1,519,483.3 → 1,519,483.
    ['forhøjet sats (30+): 2,500 allowance', 'kontanthjaelp', '30-plus-without-children', 825_164],
    // (1,519,483 − 500,000) × 65 % = 662,663.95 → 662,664.
    ['grundsats (under 30 away): 5,000', 'kontanthjaelp', 'under-30-living-away', 662_664],
    ['mindstesats (integrationsydelse): 5,000', 'integrationsydelse', 'non-parent', 662_664],
    // No allowance: 1,519,483 × 65 % = 987,663.95 → 987,664.
    ['young people at home: none', 'kontanthjaelp', 'under-30-living-with-parents', 987_664],
  ] as const)('after the reform, %s', (_label, benefit, group, saved) => {
    // Act: a benefit large enough not to cap the saving.
    const result = jobEarnings(benefit, group, 2_000_000, 25, '2026-06-01');
    // Assess
    expect(result.monthlyEarningsOere).toBe(1_519_483);
    expect(result.allowanceOere).toBe(reformAllowanceOere[benefit][group]);
    expect(result.monthlySavedOere).toBe(saved);
    expect(result.disregard).toBeUndefined();
  });

  it('never saves more than the benefit, nor less than nothing', () => {
    expect(
      jobEarnings('kontanthjaelp', 'under-30-living-away', 100_000, 37, '2026-06-01').monthlySavedOere,
    ).toBe(100_000);
    expect(
      jobEarnings('kontanthjaelp', 'under-30-living-away', 700_000, 1, '2026-06-01').monthlySavedOere,
    ).toBe(0);
  });

  it('refuses hours that are not a whole number', () => {
    expect(() => jobEarnings('kontanthjaelp', 'under-30-living-away', 700_000, 12.5, '2026-06-01')).toThrow(
      RangeError,
    );
  });
});

describe('weeks off benefit priced by their result', () => {
  const citizen = {
    benefit: 'kontanthjaelp',
    rateGroup: '30-plus-without-children',
    weeksOnBenefitAtReferral: 60,
    referredOn: '2024-01-01',
  } as const;

  it('a part-time job saves only what its earnings take off the benefit, split by the staircase', () => {
    // Prepare: 15 h from Monday 2024-06-03 for one week; saves 693,030 a month (above) → 693,030 × 12 / 52 =
    // 159,930 a week; cumulative week 60 + 22 + 1 = 83: the state's 20 % is 31,986, the municipality's 127,944.
    // Act
    const [week] = savingsByWeek({
      ...citizen,
      from: '2024-06-03',
      until: '2024-06-10',
      result: { kind: 'job', hoursPerWeek: 15 },
    });
    // Assess
    expect(week).toMatchObject({
      weeklyRateOere: 284_446,
      grossOere: 159_930,
      stateOere: 31_986,
      municipalityOere: 127_944,
      suOere: 0,
    });
    expect(week?.earnings?.monthlySavedOere).toBe(693_030);
  });

  it('an education saves the municipality its share, and the state its share less the SU it pays', () => {
    // Prepare: SU away from home 2024: 6,820 a month → 682,000 × 12 / 52 = 157,384.6 → 157,385 a week. The
    // benefit, 284,446 a week: state 20 % = 56,889, municipality 227,557; the state's saving 56,889 − 157,385.
    // Act
    const [week] = savingsByWeek({
      ...citizen,
      from: '2024-06-03',
      until: '2024-06-10',
      result: { kind: 'education' },
    });
    // Assess
    expect(week).toMatchObject({
      grossOere: 284_446,
      municipalityOere: 227_557,
      suOere: 157_385,
      stateOere: 56_889 - 157_385,
    });
    expect(week?.su?.oere).toBe(682_000);
  });

  it('without a result the whole rate is saved, as before', () => {
    // 1,232,600 × 12 / 52 = 284,446.15… → 284,446.
    const [week] = savingsByWeek({ ...citizen, from: '2024-06-03', until: '2024-06-10' });
    expect(week).toMatchObject({
      grossOere: 284_446,
      stateOere: 56_889,
      municipalityOere: 227_557,
      suOere: 0,
    });
  });
});

describe('the worked examples of issue 9 item 2 (test/domain/worked-example.ts)', () => {
  const { referredOn, resultOn, confirmedUntil, weeksOnBenefitAtReferral, partTime, education } =
    moneyExamples;
  const period = { referredOn, weeksOnBenefitAtReferral, from: resultOn, until: confirmedUntil } as const;
  const assumptions = { deadweightBasisPoints: 2000, annualRetentionBasisPoints: 8000 };

  it('a 15-hour job saves what its earnings take off the benefit, to the øre', () => {
    // Act
    const weeks = savingsByWeek({
      ...period,
      benefit: 'kontanthjaelp',
      rateGroup: partTime.rateGroup,
      result: { kind: 'job', hoursPerWeek: partTime.hoursPerWeek },
    });
    // Assess
    const [first, second] = partTime.weeks;
    expect(
      weeks.map((w) => [w.grossOere, w.stateOere, w.municipalityOere, w.earnings?.monthlySavedOere]),
    ).toEqual([
      ...Array(first.count).fill([
        first.grossOere,
        first.stateOere,
        first.municipalityOere,
        first.monthlySavedOere,
      ]),
      ...Array(second.count).fill([
        second.grossOere,
        second.stateOere,
        second.municipalityOere,
        second.monthlySavedOere,
      ]),
    ]);
    expect(weeks.map((w) => w.cumulativeWeek)).toEqual(Array.from({ length: 26 }, (_, i) => 83 + i));
    expect(savingsByYear(weeks, assumptions).total).toEqual(partTime.after);
  });

  it('an education saves the municipality its share while the state pays SU, to the øre', () => {
    // Act
    const weeks = savingsByWeek({
      ...period,
      benefit: 'kontanthjaelp',
      rateGroup: education.rateGroup,
      result: { kind: 'education' },
    });
    // Assess
    expect(weeks).toHaveLength(26);
    for (const week of weeks) expect(week).toMatchObject(education.week);
    expect(savingsByYear(weeks, assumptions).total).toEqual(education.after);
  });

  it('the business case counts them as confirmed once both milestones are', () => {
    // Prepare: both citizens, expected to the horizon's end, confirmed for their 26 weeks.
    const citizen = (key: 'partTime' | 'education', result: SavedResult): CitizenCase => ({
      referralId: key,
      municipality: moneyExamples[key].municipality,
      benefit: 'kontanthjaelp',
      rateGroup: moneyExamples[key].rateGroup,
      readiness: 'aktivitetsparat',
      weeksOnBenefitAtReferral,
      referredOn,
      offBenefit: [{ from: resultOn, until: '2032-01-01', result }],
      confirmed: [{ from: resultOn, until: confirmedUntil, result }],
    });
    // Act
    const result = businessCase(
      [
        citizen('partTime', { kind: 'job', hoursPerWeek: partTime.hoursPerWeek }),
        citizen('education', { kind: 'education' }),
      ],
      [],
      { start: referredOn, horizonYears: 2 },
    );
    // Assess
    const byKey = (key: string) => result.municipalities.find((m) => m.key === key);
    expect(byKey(partTime.municipality)).toMatchObject({
      municipalSavingsOere: partTime.after.municipalityOere,
      stateSavingsOere: partTime.after.stateOere,
    });
    expect(byKey(education.municipality)).toMatchObject({
      municipalSavingsOere: education.after.municipalityOere,
      stateSavingsOere: education.after.stateOere,
    });
    expect(result.earningsAmounts.map((a) => [a.series, a.effectiveFrom])).toEqual([
      ['hourly-wage', '2030-03-01'],
      ['hourly-wage', '2031-03-01'],
      ['su-away-from-home', '2031-01-01'],
    ]);
  });
});
