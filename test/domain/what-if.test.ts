import { describe, expect, it } from 'vitest';
import { addDays, addMonths } from '#domain/dates';
import { findMunicipality } from '#domain/programme';
import { calculatePayment, type PaymentRule, type ResultKind } from '#domain/rate-card';
import { type SavedResult, savingsByWeek, savingsByYear, type WeekSaving } from '#domain/savings';
import { sustainmentMilestones } from '#domain/sustainment';
import {
  defaultWhatIfAssumptions,
  histogram,
  percentile,
  simulateWhatIf,
  type WhatIfAssumptions,
} from '#domain/what-if';

const start = '2027-01-01';
const horizonEnd = addMonths(start, 60);

/** Nothing uncertain: one rate group, one readiness, one result, fixed retention, deadweight and prices. */
function fixed(result: SavedResult): WhatIfAssumptions {
  const rates = {
    'full-job': result.kind === 'job' && result.hoursPerWeek >= 15 ? 10_000 : 0,
    'partial-job': result.kind === 'job' && result.hoursPerWeek < 15 ? 10_000 : 0,
    education: result.kind === 'education' ? 10_000 : 0,
    none: 0,
  };
  const hours = result.kind === 'job' ? result.hoursPerWeek : 37;
  return {
    ...defaultWhatIfAssumptions(start),
    outcomeRates: rates,
    outcomeSpreadBasisPoints: 0,
    fullJobHours: [[hours, 1]],
    partialJobHours: [[hours, 1]],
    // Week 13 is never drawn, but it is the earliest: the profile of week 39 is taken from its later weeks.
    weeksToResult: [
      [13, 0],
      [39, 1],
    ],
    annualRetention: { min: 7_500, max: 7_500 },
    deadweight: { aktivitetsparat: { min: 2_000, max: 2_000 }, jobparat: { min: 2_000, max: 2_000 } },
    rateGroupMix: [[{ benefit: 'kontanthjaelp', rateGroup: '30-plus-with-children' }, 1]],
    readinessMix: [['aktivitetsparat', 1]],
    mixSpreadBasisPoints: 0,
    rateCardScale: { min: 10_000, max: 10_000 },
    staircaseWeek: 104,
  };
}

/** The deterministic calculation, week by week, for `citizens` alike citizens: savings less payments. */
function deterministicNet(result: SavedResult, citizens: number): number {
  const from = addDays(start, 39 * 7);
  const weeks: WeekSaving[] = [];
  const assumptions = { deadweightBasisPoints: 2_000, annualRetentionBasisPoints: 7_500 };
  for (let i = 0; i < citizens; i++) {
    weeks.push(
      ...savingsByWeek(
        {
          benefit: 'kontanthjaelp',
          rateGroup: '30-plus-with-children',
          weeksOnBenefitAtReferral: 103,
          referredOn: start,
          from,
          until: horizonEnd,
          result,
        },
        assumptions,
      ),
    );
  }
  const saved = savingsByYear(weeks, assumptions).total.municipalityOere;
  const kinds: [ResultKind, string][] =
    result.kind === 'education'
      ? [['education-start', from]]
      : [
          ['job-start', from],
          ['sustained-13-weeks', sustainmentMilestones(from)[0]?.dueOn ?? ''],
          ['sustained-26-weeks', sustainmentMilestones(from)[1]?.dueOn ?? ''],
        ];
  const byRule = new Map<PaymentRule, number>();
  let paid = 0;
  for (const [kind, date] of kinds) {
    const decision = calculatePayment(
      {
        kind,
        date,
        group: { benefit: 'kontanthjaelp', rateGroup: '30-plus-with-children', readiness: 'aktivitetsparat' },
        ...(result.kind === 'job' ? { hoursPerWeek: result.hoursPerWeek } : {}),
      },
      date,
      { byRule, citizenOere: paid, municipalityOere: paid, municipalityPlaces: 1 },
    );
    if (!decision.due) continue;
    for (const p of decision.payments) {
      byRule.set(p.rule, p.amountOere);
      paid += p.amountOere;
    }
  }
  return saved - paid * citizens;
}

describe('simulateWhatIf', () => {
  it('gives the same result for the same seed, and another for another seed', () => {
    // Act
    const first = simulateWhatIf({ start, draws: 300, seed: 42 });
    const again = simulateWhatIf({ start, draws: 300, seed: 42 });
    const other = simulateWhatIf({ start, draws: 300, seed: 43 });

    // Assess
    expect(again).toEqual(first);
    expect(other.programme).not.toEqual(first.programme);
  });

  it.each<[string, SavedResult]>([
    ['a full job of 37 hours', { kind: 'job', hoursPerWeek: 37 }],
    ['a partial job of 12 hours', { kind: 'job', hoursPerWeek: 12 }],
    ['an education', { kind: 'education' }],
  ])('equals the deterministic calculation to the øre when nothing is uncertain: %s', (_, result) => {
    // Prepare
    const aalborg = findMunicipality('851');
    const expected = deterministicNet(result, aalborg?.places ?? 0);

    // Act
    const whatIf = simulateWhatIf({ start, draws: 50, seed: 7, assumptions: fixed(result) });
    const got = whatIf.municipalities.find((m) => m.key === '851');

    // Assess: every draw is the same, and it is the week-by-week figure.
    expect(aalborg?.places).toBe(2);
    expect(got).toMatchObject({
      citizens: 2,
      p10Oere: expected,
      p50Oere: expected,
      p90Oere: expected,
      meanOere: expected,
      minOere: expected,
      maxOere: expected,
      probabilityOfGain: expected > 0 ? 1 : 0,
    });
  });

  it('keeps probabilities within 0–1 and P10 ≤ P50 ≤ P90 within the extremes, each histogram holding every draw', () => {
    // Act
    const whatIf = simulateWhatIf({ start, draws: 1_000, seed: 3 });

    // Assess
    const groups = [whatIf.programme, ...whatIf.clusters, ...whatIf.municipalities];
    expect(groups).toHaveLength(15);
    for (const g of groups) {
      expect(g.probabilityOfGain, g.key).toBeGreaterThanOrEqual(0);
      expect(g.probabilityOfGain, g.key).toBeLessThanOrEqual(1);
      expect(g.minOere, g.key).toBeLessThanOrEqual(g.p10Oere);
      expect(g.p10Oere, g.key).toBeLessThanOrEqual(g.p50Oere);
      expect(g.p50Oere, g.key).toBeLessThanOrEqual(g.p90Oere);
      expect(g.p90Oere, g.key).toBeLessThanOrEqual(g.maxOere);
      expect(g.meanOere, g.key).toBeGreaterThanOrEqual(g.minOere);
      expect(g.meanOere, g.key).toBeLessThanOrEqual(g.maxOere);
      expect(Number.isInteger(g.p50Oere) && Number.isInteger(g.meanOere), g.key).toBe(true);
      expect(
        g.histogram.reduce((sum, bin) => sum + bin.count, 0),
        g.key,
      ).toBe(1_000);
    }
    // Clusters and the programme are draw by draw sums of their municipalities: means add up (to rounding).
    const sumOfMeans = whatIf.municipalities.reduce((sum, m) => sum + m.meanOere, 0);
    expect(Math.abs(whatIf.programme.meanOere - sumOfMeans)).toBeLessThanOrEqual(12);
    expect(whatIf.programme.citizens).toBe(18);
  });

  it('knows a sure loss: no results, and the programme costs charged per citizen and company', () => {
    // Prepare
    const assumptions: WhatIfAssumptions = {
      ...defaultWhatIfAssumptions(start),
      outcomeRates: { 'full-job': 0, 'partial-job': 0, education: 0, none: 10_000 },
    };

    // Act
    const whatIf = simulateWhatIf({
      start,
      draws: 200,
      seed: 1,
      assumptions,
      programmeCosts: { perCitizenOere: 100_000_00, perCompanyOere: 50_000_00 },
    });

    // Assess: Kolding's one citizen and one company cost DKK 150,000 in every draw.
    expect(whatIf.municipalities.find((m) => m.key === '621')).toMatchObject({
      probabilityOfGain: 0,
      p10Oere: -150_000_00,
      p90Oere: -150_000_00,
    });
    expect(whatIf.programme.maxOere).toBe(-18 * 150_000_00);
  });

  it('refuses more draws than the limit and rates that do not add up to 100 %', () => {
    // Act / Assess
    expect(() => simulateWhatIf({ start, draws: 20_001, seed: 1 })).toThrow(/draws/);
    expect(() =>
      simulateWhatIf({
        start,
        draws: 10,
        seed: 1,
        assumptions: {
          ...defaultWhatIfAssumptions(start),
          outcomeRates: { 'full-job': 5_000, 'partial-job': 0, education: 0, none: 0 },
        },
      }),
    ).toThrow(/10000/);
  });
});

describe('percentile and histogram', () => {
  it('takes the nearest rank and bins every value', () => {
    // Prepare
    const sorted = Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);

    // Act / Assess
    expect([percentile(sorted, 0.1), percentile(sorted, 0.5), percentile(sorted, 0.9)]).toEqual([1, 5, 9]);
    expect(histogram(sorted, 4)).toEqual([
      { fromOere: 1, toOere: 3, count: 3 },
      { fromOere: 4, toOere: 6, count: 3 },
      { fromOere: 7, toOere: 9, count: 3 },
      { fromOere: 10, toOere: 10, count: 1 },
    ]);
    expect(histogram(Float64Array.from([5, 5]), 20)).toEqual([{ fromOere: 5, toOere: 5, count: 2 }]);
  });
});
