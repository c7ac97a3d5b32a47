import { describe, expect, it } from 'vitest';
import {
  type Benefit,
  benefitRateOn,
  benefitRates,
  FIRST_RATE_YEAR,
  LAST_RATE_YEAR,
  type RateGroup,
  rateGroups,
} from '#domain/benefits';
import { staircaseWeeksBeforeReferral } from '#domain/reimbursement';
import { savingsByWeek, savingsByYear } from '#domain/savings';
import { example2019 } from './worked-example.ts';

/** [benefit, group, date, DKK a month, published (true) or assumed (false), a word of its label or source]. */
type Row = [Benefit, RateGroup, string, number, boolean, string];

describe('benefit rates per year, published or assumed (DOMAIN.md, "Money")', () => {
  it.each<Row>([
    // Kontanthjælp, 30+ without children: published 2019–2021, 2023, 2024; 2022 regulated from 2021.
    ['kontanthjaelp', '30-plus-without-children', '2019-01-01', 11_423, true, 'satser for kontanthjælp 2019'],
    ['kontanthjaelp', '30-plus-without-children', '2020-06-30', 11_554, true, 'satser for kontanthjælp 2020'],
    ['kontanthjaelp', '30-plus-without-children', '2021-12-31', 11_698, true, 'satser for kontanthjælp 2021'],
    [
      'kontanthjaelp',
      '30-plus-without-children',
      '2022-01-01',
      11_873,
      false,
      'satsen fra 2021-01-01 reguleret med 1,5 %',
    ], // 11,698 × 1.015 = 11,873.47
    ['kontanthjaelp', '30-plus-without-children', '2023-03-01', 11_944, true, 'satser for kontanthjælp 2023'],
    ['kontanthjaelp', '30-plus-without-children', '2024-12-31', 12_326, true, 'satser for kontanthjælp 2024'],
    [
      'kontanthjaelp',
      '30-plus-without-children',
      '2025-06-30',
      12_511,
      false,
      'satsen fra 2024-01-01 reguleret',
    ], // 12,326 × 1.015 = 12,510.89
    // The reform: the forhøjet sats, DKK 12,064 at 2024 level, × 1.015 = 12,244.96.
    ['kontanthjaelp', '30-plus-without-children', '2025-07-01', 12_245, false, 'forhøjet sats'],
    ['kontanthjaelp', '30-plus-without-children', '2026-01-01', 12_429, false, 'satsen fra 2025-07-01'],
    ['kontanthjaelp', '30-plus-without-children', '2027-01-04', 12_615, false, 'satsen fra 2026-01-01'],
    ['kontanthjaelp', '30-plus-with-children', '2019-05-01', 15_180, true, 'satser for kontanthjælp 2019'],
    ['kontanthjaelp', '30-plus-with-children', '2022-05-01', 15_780, false, 'reguleret med 1,5 %'], // 15,547 × 1.015 = 15,780.2
    // No reform amount for a parent (the child supplement was not found): the previous rate goes on, regulated.
    ['kontanthjaelp', '30-plus-with-children', '2025-07-01', 16_628, false, 'satsen fra 2024-01-01'],
    [
      'kontanthjaelp',
      '30-plus-with-children',
      '2026-01-01',
      16_877,
      false,
      'reformens sats for gruppen er ikke fundet',
    ],
    // Under 30 living away: 2019 and 2020 not found, regulated down from 2021's 7,541 (÷ 1.015 = 7,429.56; 7,319.76).
    [
      'kontanthjaelp',
      'under-30-living-away',
      '2019-01-01',
      7_320,
      false,
      '2020-satsen nedreguleret med 1,5 %',
    ],
    [
      'kontanthjaelp',
      'under-30-living-away',
      '2020-01-01',
      7_430,
      false,
      '2021-satsen nedreguleret med 1,5 %',
    ],
    ['kontanthjaelp', 'under-30-living-away', '2021-01-01', 7_541, true, 'satser for kontanthjælp 2021'],
    ['kontanthjaelp', 'under-30-living-away', '2025-07-01', 7_059, false, 'grundsats'], // 6,955 × 1.015 = 7,059.3
    ['kontanthjaelp', 'under-30-living-with-parents', '2020-01-01', 3_585, false, 'nedreguleret'],
    [
      'kontanthjaelp',
      'under-30-living-with-parents',
      '2024-01-01',
      3_834,
      true,
      'satser for kontanthjælp 2024',
    ],
    // Integrationsydelse: published 2019–2021, then regulated; the reform's mindstesats for non-parents.
    ['integrationsydelse', 'single-parent', '2019-01-01', 12_143, true, 'Herning'],
    ['integrationsydelse', 'parent', '2020-01-01', 8_596, true, 'Roskilde'],
    ['integrationsydelse', 'non-parent', '2021-01-01', 6_219, true, 'ishoj.dk'],
    ['integrationsydelse', 'non-parent', '2022-01-01', 6_312, false, 'satsen fra 2021-01-01 reguleret'], // 6,219 × 1.015 = 6,312.29
    ['integrationsydelse', 'non-parent', '2025-07-01', 6_651, false, 'mindstesats'], // 6,553 × 1.015 = 6,651.3
    ['integrationsydelse', 'under-30-living-with-parents', '2023-01-01', 2_760, false, 'reguleret med 1,5 %'],
  ])('%s / %s on %s: DKK %i a month (published: %s)', (benefit, group, date, kroner, isPublished, words) => {
    // Act
    const rate = benefitRateOn(benefit, group, date);
    // Assess
    expect(rate.monthlyOere).toBe(kroner * 100);
    expect(rate.assumption === undefined).toBe(isPublished);
    expect(isPublished ? rate.source : rate.assumption).toContain(words);
    expect(rate.source).not.toBe('');
  });

  it('has a rate from 1 January of every year for every group, so no year falls back to another in silence', () => {
    // Prepare
    const groups = (Object.keys(rateGroups) as Benefit[]).flatMap((b) =>
      rateGroups[b].map((g) => [b, g] as const),
    );
    // Act
    const missing = groups.flatMap(([benefit, group]) =>
      Array.from({ length: LAST_RATE_YEAR - FIRST_RATE_YEAR + 1 }, (_, i) => FIRST_RATE_YEAR + i)
        .filter(
          (year) =>
            !benefitRates.some(
              (r) => r.benefit === benefit && r.rateGroup === group && r.effectiveFrom === `${year}-01-01`,
            ),
        )
        .map((year) => `${benefit}/${group}/${year}`),
    );
    // Assess
    expect(missing).toEqual([]);
  });

  it('labels every rate that was not published, and only those', () => {
    // Act
    const assumed = benefitRates.filter((r) => r.assumption !== undefined);
    // Assess: 28 published rates (DOMAIN.md's table), every other one assumed with a Danish label.
    expect(benefitRates.length - assumed.length).toBe(28);
    expect(assumed.every((r) => /antagelse/.test(r.assumption ?? ''))).toBe(true);
  });

  it.each([
    ['2018-12-31', 'before the first year'],
    [`${LAST_RATE_YEAR + 1}-01-01`, 'after the last year'],
  ])('refuses a date %s (%s) rather than borrowing another year', (date) => {
    expect(() => benefitRateOn('kontanthjaelp', '30-plus-without-children', date)).toThrow(RangeError);
  });
});

describe('the worked example: a 2019 referral, priced with the rates of 2019 and 2020', () => {
  it('prices 13 weeks at 2019 and 13 at 2020 published rates, and saves what was worked by hand', () => {
    // Act
    const weeks = savingsByWeek(example2019.input);
    const summary = savingsByYear(weeks);
    // Assess
    const byYear = example2019.weeks.map(({ year }) => {
      const inYear = weeks.filter((w) => w.weekStart.startsWith(String(year)));
      return {
        year,
        count: inYear.length,
        rateEffectiveFrom: inYear[0]?.rateEffectiveFrom,
        weeklyRateOere: inYear[0]?.weeklyRateOere,
        stateOere: inYear[0]?.stateOere,
      };
    });
    expect(byYear).toEqual(example2019.weeks);
    expect(weeks.every((w) => w.cumulativeWeek >= 53)).toBe(true);
    expect(summary).toEqual(example2019.after);
    // Both rates are published ones, with their sources.
    for (const from of ['2019-01-01', '2020-01-01']) {
      const rate = benefitRateOn('kontanthjaelp', '30-plus-without-children', from);
      expect(rate.assumption).toBeUndefined();
      expect(rate.source).toContain(`satser for kontanthjælp ${from.slice(0, 4)}`);
    }
  });

  it('is the referral a staircase week of 31 makes', () => {
    expect(staircaseWeeksBeforeReferral(example2019.staircaseWeek)).toBe(
      example2019.input.weeksOnBenefitAtReferral,
    );
  });
});
