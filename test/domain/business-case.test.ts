import { describe, expect, it } from 'vitest';
import { REFORM_GAP } from '#domain/benefits';
import {
  type BusinessCase,
  businessCase,
  type CitizenCase,
  type GroupCase,
  type MonthPoint,
  nextCohortCost,
  type ProgrammePayment,
  PUBLISHED_PROGRAMME_COST_OERE,
  paybackMonth,
} from '#domain/business-case';
import { EARNINGS_RULE_NOTE } from '#domain/earnings';
import { municipalities } from '#domain/programme';
import { defaultSavingsAssumptions, savingsByWeek, savingsByYear } from '#domain/savings';
import { koldingExample } from './worked-example.ts';

const start = '2026-01-01';
/**
 * Most tests here are about the mechanics with the periods they give, so they read the expected basis (the periods
 * as given); the confirmed basis and the two views have their own tests below.
 */
const basis = 'expected' as const;

/** The worked example's citizen; the off-benefit periods vary per test. */
function kolding(offBenefit: CitizenCase['offBenefit'], referralId = 'kolding-1'): CitizenCase {
  const { benefit, rateGroup, weeksOnBenefitAtReferral, referredOn } = koldingExample.input;
  return {
    referralId,
    municipality: koldingExample.municipality,
    benefit,
    rateGroup,
    readiness: 'aktivitetsparat',
    weeksOnBenefitAtReferral,
    referredOn,
    offBenefit,
  };
}

const koldingJob = { from: koldingExample.input.from, until: koldingExample.input.until };

/** Illustrative amounts, not the rate card's: the business case takes whatever was paid. */
function pay(
  municipality: string,
  amountOere: number,
  dueDate: string,
  payee: ProgrammePayment['payee'] = 'employment-actor',
): ProgrammePayment {
  return { municipality, amountOere, dueDate, payee };
}

function group(result: BusinessCase, key: string): GroupCase {
  const found = [result.programme, ...result.clusters, ...result.municipalities].find((g) => g.key === key);
  if (!found) throw new Error(`no group ${key}`);
  return found;
}

describe('the worked example in the business case', () => {
  // Prepare: 26 weeks off benefit from 2027-01-04; DKK 25,000 due on 2027-02-03 (month 14 from January 2026).
  const result = businessCase([kolding([koldingJob])], [pay('621', 2_500_000, '2027-02-03')], {
    start,
    basis,
  });
  const koldingCase = group(result, '621');

  it('gives Kolding the savings worked by hand', () => {
    expect(koldingCase).toMatchObject({
      kind: 'municipality',
      name: 'Kolding',
      places: 1,
      citizens: 1,
      paidOere: 2_500_000,
      paidToEmploymentActorsOere: 2_500_000,
      paidToAcceleratorOere: 0,
      municipalSavingsOere: koldingExample.after.municipalityOere,
      stateSavingsOere: koldingExample.after.stateOere,
      netOere: 4_844_154 - 2_500_000,
      nextCohortCostOere: 2_500_000,
      fundsNextCohort: false, // DKK 23,441.54 net does not pay for another DKK 25,000
    });
    expect(koldingCase.savingsByYear).toEqual([
      { year: 2026, municipalityOere: 0, stateOere: 0 },
      { year: 2027, ...koldingExample.after },
      { year: 2028, municipalityOere: 0, stateOere: 0 },
      { year: 2029, municipalityOere: 0, stateOere: 0 },
      { year: 2030, municipalityOere: 0, stateOere: 0 },
    ]);
  });

  it('pays back in month 16 (April 2027)', () => {
    // Weeks starting per month of 2027: January 4, February 4, March 5, April 4; at 232,892 øre each, less 20 %:
    //   month 14 (Feb):  8 weeks 1,863,136 → 1,490,509 < 2,500,000
    //   month 15 (Mar): 13 weeks 3,027,596 → 2,422,077 < 2,500,000
    //   month 16 (Apr): 17 weeks 3,959,164 → 3,167,331 ≥ 2,500,000
    expect(koldingCase.series.slice(12, 16)).toEqual([
      { month: '2027-01', cumulativePaidOere: 0, cumulativeSavedOere: 745_254 },
      { month: '2027-02', cumulativePaidOere: 2_500_000, cumulativeSavedOere: 1_490_509 },
      { month: '2027-03', cumulativePaidOere: 2_500_000, cumulativeSavedOere: 2_422_077 },
      { month: '2027-04', cumulativePaidOere: 2_500_000, cumulativeSavedOere: 3_167_331 },
    ]);
    expect(koldingCase.paybackMonth).toBe(16);
  });

  it('runs its series over the whole five-year horizon', () => {
    expect(result.horizon).toEqual({ startMonth: '2026-01', end: '2031-01-01', years: 5, months: 60 });
    expect(koldingCase.series).toHaveLength(60);
    expect(koldingCase.series[0]?.month).toBe('2026-01');
    expect(koldingCase.series.at(-1)).toEqual({
      month: '2030-12',
      cumulativePaidOere: 2_500_000,
      cumulativeSavedOere: koldingExample.after.municipalityOere,
    });
  });

  it('agrees with savingsByYear for the same weeks', () => {
    const summary = savingsByYear(savingsByWeek(koldingExample.input), defaultSavingsAssumptions);
    expect(koldingCase.municipalSavingsOere).toBe(summary.total.municipalityOere);
    expect(koldingCase.stateSavingsOere).toBe(summary.total.stateOere);
  });

  it('echoes the assumptions with their explanation', () => {
    // No deadweight figure given: each citizen's follows readiness (20 % for aktivitetsparat, as before).
    expect(result.assumptions).toEqual(expect.objectContaining({ annualRetentionBasisPoints: 8000 }));
    expect(result.assumptions.deadweightBasisPoints).toBeUndefined();
    expect(result.deadweight.map((d) => d.basisPoints)).toEqual([{ aktivitetsparat: 2000, jobparat: 3500 }]);
    expect(result.assumptions.explanations.map((e) => e.name)).toEqual([
      'deadweightBasisPoints',
      'annualRetentionBasisPoints',
    ]);
  });
});

describe('payback and the next cohort', () => {
  it.each([
    ['projected to the horizon end: funds the next cohort', '2031-01-01', 2_500_000, 16, true],
    ['26 weeks: pays back, too little for another cohort', '2027-07-05', 2_500_000, 16, false],
    ['26 weeks against DKK 60,000: never pays back', '2027-07-05', 6_000_000, null, false],
  ])('%s', (_label, until, paid, payback, funds) => {
    // Act
    const result = businessCase(
      [kolding([{ from: koldingJob.from, until }])],
      [pay('621', paid, '2027-02-03')],
      { start, basis },
    );
    // Assess
    expect(group(result, '621')).toMatchObject({ paybackMonth: payback, fundsNextCohort: funds });
  });

  const month = (paid: number, saved: number): MonthPoint => ({
    month: '2027-01',
    cumulativePaidOere: paid,
    cumulativeSavedOere: saved,
  });
  it.each([
    ['nothing paid, nothing saved', [month(0, 0), month(0, 0)], null],
    ['saved before anything was paid', [month(0, 5), month(10, 5), month(10, 10)], 3],
    ['reaches it exactly', [month(10, 0), month(10, 10)], 2],
    ['covered from the first month', [month(10, 10), month(10, 20)], 1],
    ['falls behind after a later payment, then catches up', [month(10, 10), month(20, 15), month(20, 20)], 3],
    ['falls behind at the end', [month(10, 10), month(20, 15)], null],
    ['never covered', [month(10, 0), month(10, 9)], null],
  ])('payback month when %s', (_label, series, expected) => {
    expect(paybackMonth(series)).toBe(expected);
  });

  it.each([
    [2_500_000, 1, 1, 2_500_000],
    [2_500_000, 1, 2, 5_000_000],
    [5_000_000, 3, 2, 3_333_333], // 3,333,333.33 → 3,333,333
    [5_000_000, 3, 1, 1_666_667], // 1,666,666.67 → 1,666,667
    [0, 2, 2, 0],
    [0, 0, 2, 0], // no citizens: nothing to base a cost on
  ])('paid %i øre for %i citizens: %i places cost %i øre', (paid, citizens, places, expected) => {
    expect(nextCohortCost(paid, citizens, places)).toBe(expected);
  });
});

describe('groups', () => {
  // Prepare: citizens in both clusters, amounts chosen so that rounding differs between the parts and a sum.
  const citizens: CitizenCase[] = [
    kolding([koldingJob]),
    kolding(
      [
        { from: '2026-09-07', until: '2026-12-07' },
        { from: '2027-03-01', until: '2031-01-01' },
      ],
      'kolding-2',
    ),
    {
      referralId: 'aalborg-1',
      municipality: '851',
      benefit: 'kontanthjaelp',
      rateGroup: 'under-30-living-away',
      readiness: 'aktivitetsparat',
      weeksOnBenefitAtReferral: 2,
      referredOn: '2026-02-02',
      offBenefit: [{ from: '2026-08-03', until: '2029-05-01' }],
    },
    {
      referralId: 'koege-1',
      municipality: '259',
      benefit: 'integrationsydelse',
      rateGroup: 'single-parent',
      readiness: 'aktivitetsparat',
      weeksOnBenefitAtReferral: 10,
      referredOn: '2027-01-04',
      offBenefit: [{ from: '2027-11-01', until: '2031-01-01' }],
    },
    {
      referralId: 'stevns-1',
      municipality: '336',
      benefit: 'kontanthjaelp',
      rateGroup: '30-plus-with-children',
      readiness: 'aktivitetsparat',
      weeksOnBenefitAtReferral: 0,
      referredOn: '2027-02-01',
      offBenefit: [],
    },
  ];
  const payments: ProgrammePayment[] = [
    pay('621', 2_500_000, '2027-02-03'),
    pay('621', 1_650_001, '2026-10-07'),
    pay('851', 2_500_000, '2026-09-02'),
    pay('851', 1_000_003, '2026-09-02', 'social-accelerator'),
    pay('259', 1_500_000, '2027-12-01'),
    pay('259', 500_000, '2027-12-01', 'social-accelerator'),
  ];
  const result = businessCase(citizens, payments, { start, basis });

  const additive = [
    'places',
    'citizens',
    'paidOere',
    'paidToEmploymentActorsOere',
    'paidToAcceleratorOere',
    'municipalSavingsOere',
    'stateSavingsOere',
    'netOere',
  ] as const;

  function sumOf(parts: readonly GroupCase[]) {
    return {
      figures: Object.fromEntries(additive.map((f) => [f, parts.reduce((s, g) => s + g[f], 0)])),
      series: parts[0]?.series.map((p, i) => ({
        month: p.month,
        cumulativePaidOere: parts.reduce((s, g) => s + (g.series[i]?.cumulativePaidOere ?? 0), 0),
        cumulativeSavedOere: parts.reduce((s, g) => s + (g.series[i]?.cumulativeSavedOere ?? 0), 0),
      })),
      years: parts[0]?.savingsByYear.map((y, i) => ({
        year: y.year,
        municipalityOere: parts.reduce((s, g) => s + (g.savingsByYear[i]?.municipalityOere ?? 0), 0),
        stateOere: parts.reduce((s, g) => s + (g.savingsByYear[i]?.stateOere ?? 0), 0),
      })),
    };
  }

  function figuresOf(g: GroupCase) {
    return {
      figures: Object.fromEntries(additive.map((f) => [f, g[f]])),
      series: g.series,
      years: g.savingsByYear,
    };
  }

  it('lists every municipality of the programme, with or without citizens, in programme order', () => {
    expect(result.municipalities.map((g) => g.key)).toEqual(municipalities.map((m) => m.code));
    expect(result.clusters.map((g) => [g.key, g.name, g.places])).toEqual([
      ['cluster-1', 'Klynge 1 (2019)', 9],
      ['cluster-2', 'Klynge 2 (2020)', 9],
    ]);
    expect(result.programme).toMatchObject({ kind: 'programme', key: 'programme', places: 18, citizens: 5 });
  });

  it.each([1, 2])('cluster %i is the sum of its municipalities, to the øre and month by month', (cluster) => {
    // Prepare
    const codes = municipalities.filter((m) => m.cluster === cluster).map((m) => m.code);
    const parts = result.municipalities.filter((g) => codes.includes(g.key));
    // Act
    const expected = sumOf(parts);
    // Assess
    expect(figuresOf(group(result, `cluster-${cluster}`))).toEqual(expected);
  });

  it('the programme is the sum of both clusters', () => {
    expect(figuresOf(result.programme)).toEqual(sumOf(result.clusters));
  });

  it('a municipality without citizens has nothing paid, saved or owed, and no payback', () => {
    // Act
    const holbaek = group(result, '316');
    // Assess
    expect(holbaek).toMatchObject({
      name: 'Holbæk',
      places: 1,
      citizens: 0,
      paidOere: 0,
      municipalSavingsOere: 0,
      stateSavingsOere: 0,
      netOere: 0,
      paybackMonth: null,
      nextCohortCostOere: 0,
      fundsNextCohort: false,
    });
    expect(holbaek.series).toHaveLength(60);
    expect(holbaek.series.every((p) => p.cumulativePaidOere === 0 && p.cumulativeSavedOere === 0)).toBe(true);
    expect(holbaek.savingsByYear.map((y) => y.year)).toEqual([2026, 2027, 2028, 2029, 2030]);
  });

  it('a citizen with no period off benefit counts as a citizen and saves nothing', () => {
    expect(group(result, '336')).toMatchObject({ citizens: 1, municipalSavingsOere: 0, paybackMonth: null });
  });

  it('splits what was paid by payee', () => {
    expect(group(result, '851')).toMatchObject({
      paidOere: 3_500_003,
      paidToEmploymentActorsOere: 2_500_000,
      paidToAcceleratorOere: 1_000_003,
      nextCohortCostOere: 7_000_006, // 3,500,003 for one citizen, two places
    });
  });

  it("derives each cluster's next cohort from its own average, not as a sum", () => {
    // Cluster 1: Kolding 2 citizens (4,150,001 paid) + Aalborg 1 (3,500,003) = 7,650,004 for 3 citizens;
    // 9 places × 7,650,004 / 3 = 22,950,012
    expect(group(result, 'cluster-1').nextCohortCostOere).toBe(22_950_012);
  });
});

describe('the horizon', () => {
  it('leaves out weeks and payments from its end, and counts a week whole in the month it starts', () => {
    // Prepare: one year from January 2026; off benefit from 2026-12-14 into 2027.
    const citizen = kolding([{ from: '2026-12-14', until: '2027-03-01' }]);
    const payments = [pay('621', 100_000, '2026-12-31'), pay('621', 999_999, '2027-01-01')];
    // Act
    const result = businessCase([citizen], payments, { start: '2026-01-15', horizonYears: 1, basis });
    // Assess: weeks of 14, 21 and 28 December 2026 (cumulative weeks 80–82, 20 % state) at 2026's assumed
    // DKK 12,429 a month (286,823 øre a week: state 57,365, municipality 229,458): 3 × 229,458 = 688,374, less
    // 20 % (137,674.8 → 137,675) = 550,699; state 3 × 57,365 = 172,095 less 34,419 = 137,676.
    const koldingCase = group(result, '621');
    expect(result.horizon).toEqual({ startMonth: '2026-01', end: '2027-01-01', years: 1, months: 12 });
    expect(koldingCase).toMatchObject({
      paidOere: 100_000,
      municipalSavingsOere: 550_699,
      stateSavingsOere: 137_676,
      paybackMonth: 12,
    });
    expect(koldingCase.series.at(-1)).toEqual({
      month: '2026-12',
      cumulativePaidOere: 100_000,
      cumulativeSavedOere: 550_699,
    });
    expect(koldingCase.savingsByYear).toEqual([
      { year: 2026, municipalityOere: 550_699, stateOere: 137_676 },
    ]);
    // The one rate the counted weeks used, with its assumption, and the reform's gap (the horizon reaches it).
    expect(result.rates.map((r) => [r.effectiveFrom, r.monthlyOere, r.assumption !== undefined])).toEqual([
      ['2026-01-01', 1_242_900, true],
    ]);
    expect(result.rateNotes).toEqual([
      expect.stringContaining('1,5 %'),
      REFORM_GAP,
      expect.stringContaining('80 % i uge 1–4, 40 % i uge 5–26, 30 % i uge 27–52 og 20 % fra uge 53'),
      EARNINGS_RULE_NOTE,
    ]);
  });

  it('ignores a period that begins after the horizon', () => {
    const result = businessCase([kolding([{ from: '2031-01-06', until: '2032-01-05' }])], [], {
      start,
      basis,
    });
    expect(group(result, '621')).toMatchObject({ citizens: 1, municipalSavingsOere: 0 });
  });

  it('uses the assumptions it is given', () => {
    // Act
    const result = businessCase([kolding([koldingJob])], [], {
      basis,
      start,
      assumptions: { deadweightBasisPoints: 0, annualRetentionBasisPoints: 8000 },
    });
    // Assess
    expect(group(result, '621').municipalSavingsOere).toBe(koldingExample.before.municipalityOere);
  });
});

describe('refused input', () => {
  it.each([
    ['an unknown municipality', [{ ...kolding([]), municipality: '101' }], [], {}, /not in the programme/],
    ['a payment to an unknown municipality', [], [pay('101', 1, '2026-02-01')], {}, /not in the programme/],
    ['a payment before the first month', [], [pay('621', 1, '2025-12-31')], {}, /before the programme/],
    [
      'a week off benefit before the first month',
      [kolding([{ from: '2026-01-05', until: '2026-02-02' }])],
      [],
      { start: '2026-02-01' },
      /before the programme/,
    ],
    [
      'overlapping periods',
      [kolding([koldingJob, { from: '2027-03-01', until: '2027-09-06' }])],
      [],
      {},
      /overlapping/,
    ],
    ['the same referral twice', [kolding([]), kolding([])], [], {}, /listed twice/],
    ['a horizon of 0 years', [], [], { horizonYears: 0 }, /horizon/],
    ['a start that is no date', [], [], { start: '2026-13-01' }, /not a calendar date/],
    ['a fraction of an øre', [], [pay('621', 0.5, '2026-02-01')], {}, /whole øre/],
  ] as const)('refuses %s', (_label, citizenList, paymentList, options, message) => {
    expect(() => businessCase(citizenList, paymentList, { start, ...options })).toThrow(message);
  });
});

describe('confirmed and expected savings, and the two views (issue 9)', () => {
  // Prepare: the worked example's job, confirmed through its 26 weeks and expected to last to the horizon's end.
  const citizen: CitizenCase = {
    ...kolding([{ from: koldingJob.from, until: '2031-01-01' }]),
    confirmed: [koldingJob],
  };
  const payments = [pay('621', 2_500_000, '2027-02-03')];

  it('shows both bases side by side; the headline follows the basis, confirmed by default', () => {
    // Act
    const byDefault = group(businessCase([citizen], payments, { start }), '621');
    const onExpected = group(businessCase([citizen], payments, { start, basis: 'expected' }), '621');

    // Assess: the confirmed basis is the worked example's 26 weeks (DKK 48,441.54); the expected one more.
    expect(byDefault.savings.confirmed.municipalSavingsOere).toBe(koldingExample.after.municipalityOere);
    expect(byDefault.savings.expected.municipalSavingsOere).toBeGreaterThan(
      koldingExample.after.municipalityOere,
    );
    expect(byDefault.municipalSavingsOere).toBe(koldingExample.after.municipalityOere);
    expect(byDefault.netOere).toBe(koldingExample.after.municipalityOere - 2_500_000);
    expect(onExpected.municipalSavingsOere).toBe(byDefault.savings.expected.municipalSavingsOere);
    expect(onExpected.savings).toEqual(byDefault.savings);
    expect(onExpected.verdicts).toEqual(byDefault.verdicts);
  });

  it('a job recorded yesterday is expected to save, and has confirmed nothing', () => {
    // Act
    const fresh = group(
      businessCase([kolding([{ from: koldingJob.from, until: '2031-01-01' }])], payments, { start }),
      '621',
    );
    // Assess
    expect(fresh.savings.confirmed.municipalSavingsOere).toBe(0);
    expect(fresh.savings.expected.municipalSavingsOere).toBeGreaterThan(0);
    expect(fresh.verdicts.pbr.confirmed).toMatchObject({ netOere: -2_500_000, paybackMonth: null });
  });

  it('the full view adds the programme’s own costs per citizen and per company, up front', () => {
    // Act
    const kol = group(businessCase([citizen], payments, { start }), '621');
    // Assess: 1 citizen × 948,689.14 + 1 company (1 place) × 948,689.14 = DKK 1,897,378.28.
    expect(kol.programmeCostOere).toBe(189_737_828);
    expect(kol.verdicts.full.confirmed).toEqual({
      costOere: 2_500_000 + 189_737_828,
      netOere: 4_844_154 - 2_500_000 - 189_737_828,
      paybackMonth: null,
      nextCohortCostOere: 2_500_000 + 189_737_828,
      fundsNextCohort: false,
    });
    expect(kol.verdicts.pbr.confirmed).toEqual({
      costOere: 2_500_000,
      netOere: 4_844_154 - 2_500_000,
      paybackMonth: 16,
      nextCohortCostOere: 2_500_000,
      fundsNextCohort: false,
    });
  });

  it('defaults to the published programme total spread over its 18 places and 18 companies', () => {
    // Prepare: one citizen per place of the seed.
    const oneEach = municipalities.flatMap((m) =>
      Array.from({ length: m.places }, (_, i) => ({
        ...kolding([]),
        referralId: `${m.code}-${i}`,
        municipality: m.code,
      })),
    );
    // Act
    const result = businessCase(oneEach, [], { start });
    // Assess: 36 × 94,868,914 øre is the published DKK 34,152,809 and 4 øre of rounding.
    expect(result.programme.programmeCostOere).toBe(PUBLISHED_PROGRAMME_COST_OERE + 4);
    expect(result.programmeCosts.perCitizenOere).toBe(94_868_914);
  });

  it('takes other programme costs as inputs', () => {
    const kol = group(
      businessCase([citizen], payments, {
        start,
        programmeCosts: { perCitizenOere: 100_000, perCompanyOere: 0 },
      }),
      '621',
    );
    expect(kol.verdicts.full.confirmed.netOere).toBe(4_844_154 - 2_500_000 - 100_000);
    expect(kol.verdicts.full.confirmed.paybackMonth).toBe(16);
  });

  it('applies deadweight by readiness: 35 % for a jobparat citizen', () => {
    // Act: the worked example's 26 weeks, raw 6,055,192 øre for the municipality; 35 % is 2,119,317.2 → 2,119,317.
    const jobparat = group(businessCase([{ ...citizen, readiness: 'jobparat' }], [], { start }), '621');
    const oneFigure = group(
      businessCase([{ ...citizen, readiness: 'jobparat' }], [], {
        start,
        assumptions: { deadweightBasisPoints: 2000, annualRetentionBasisPoints: 8000 },
      }),
      '621',
    );
    // Assess
    expect(jobparat.savings.confirmed.municipalSavingsOere).toBe(6_055_192 - 2_119_317);
    expect(oneFigure.savings.confirmed.municipalSavingsOere).toBe(koldingExample.after.municipalityOere);
  });

  it('refuses a confirmed period outside the expected ones', () => {
    expect(() =>
      businessCase(
        [{ ...kolding([koldingJob]), confirmed: [{ from: koldingJob.from, until: '2028-01-03' }] }],
        [],
        {
          start,
        },
      ),
    ).toThrow(/confirmed period/);
  });
});

describe('the two sides: paid to each, and what each side’s results saved (issue 7, item 5)', () => {
  // Prepare: two Kolding citizens with a job each (one with an accelerator company), an Aalborg citizen on
  // the employment actor's side, and a Køge citizen with the accelerator; confirmed through part of the period.
  const withAccelerator = (citizen: CitizenCase): CitizenCase => ({ ...citizen, side: 'social-accelerator' });
  const actorsCitizen: CitizenCase = {
    ...kolding([{ from: koldingJob.from, until: '2031-01-01' }]),
    confirmed: [koldingJob],
  };
  const acceleratorCitizen: CitizenCase = withAccelerator({
    ...kolding([{ from: '2026-09-07', until: '2029-12-07' }], 'kolding-2'),
    confirmed: [{ from: '2026-09-07', until: '2027-03-08' }],
  });
  const aalborg: CitizenCase = {
    referralId: 'aalborg-1',
    municipality: '851',
    benefit: 'kontanthjaelp',
    rateGroup: 'under-30-living-away',
    readiness: 'jobparat',
    weeksOnBenefitAtReferral: 2,
    referredOn: '2026-02-02',
    offBenefit: [{ from: '2026-08-03', until: '2029-05-01' }],
  };
  const koege: CitizenCase = withAccelerator({
    referralId: 'koege-1',
    municipality: '259',
    benefit: 'integrationsydelse',
    rateGroup: 'single-parent',
    readiness: 'aktivitetsparat',
    weeksOnBenefitAtReferral: 10,
    referredOn: '2027-01-04',
    offBenefit: [{ from: '2027-11-01', until: '2031-01-01' }],
  });
  /** No result: its side counts nothing. */
  const noResult: CitizenCase = withAccelerator({ ...kolding([], 'kolding-3') });
  const company = (municipality: string, amountOere: number, dueDate: string): ProgrammePayment => ({
    ...pay(municipality, amountOere, dueDate, 'social-accelerator'),
    track: 'company',
  });
  const citizenPayments: ProgrammePayment[] = [
    pay('621', 2_500_000, '2027-02-03'),
    pay('621', 1_875_000, '2026-10-07'),
    pay('621', 625_000, '2026-10-07', 'social-accelerator'),
    pay('851', 2_500_000, '2026-09-02'),
  ];
  const companyPayments = [company('621', 1_160_000, '2027-12-31'), company('621', 80_000, '2028-03-01')];
  const all = [actorsCitizen, acceleratorCitizen, aalborg, koege, noResult];
  const without = businessCase(all, citizenPayments, { start, basis });
  const withCompany = businessCase(all, [...citizenPayments, ...companyPayments], { start, basis });
  const groups = (result: BusinessCase) => [result.programme, ...result.clusters, ...result.municipalities];

  it.each([
    ['employment actors only', [actorsCitizen, aalborg], 'employment-actor'],
    ['the accelerator only', [acceleratorCitizen, koege], 'social-accelerator'],
  ] as const)('counts every saving for one side when all results are %s', (_label, citizens, side) => {
    // Act
    const result = businessCase(citizens, [], { start, basis });
    // Assess
    const other = side === 'employment-actor' ? 'social-accelerator' : 'employment-actor';
    for (const g of groups(result)) {
      expect(g.sides[side].savings).toEqual({
        confirmed: {
          municipalSavingsOere: g.savings.confirmed.municipalSavingsOere,
          stateSavingsOere: g.savings.confirmed.stateSavingsOere,
        },
        expected: {
          municipalSavingsOere: g.savings.expected.municipalSavingsOere,
          stateSavingsOere: g.savings.expected.stateSavingsOere,
        },
      });
      expect(g.sides[other].savings.confirmed).toEqual({ municipalSavingsOere: 0, stateSavingsOere: 0 });
      expect(g.sides[other].savings.expected).toEqual({ municipalSavingsOere: 0, stateSavingsOere: 0 });
    }
    expect(result.programme.sides[side].results).toBe(2);
    expect(result.programme.sides[other].results).toBe(0);
  });

  it.each(['programme', 'cluster-1', 'cluster-2', '621', '851', '259'])(
    'in %s the two sides add up to the group’s savings and payments, to the øre',
    (key) => {
      // Act
      const g = group(withCompany, key);
      const { 'employment-actor': actor, 'social-accelerator': accelerator } = g.sides;
      // Assess
      for (const b of ['confirmed', 'expected'] as const) {
        expect(actor.savings[b].municipalSavingsOere + accelerator.savings[b].municipalSavingsOere).toBe(
          g.savings[b].municipalSavingsOere,
        );
        expect(actor.savings[b].stateSavingsOere + accelerator.savings[b].stateSavingsOere).toBe(
          g.savings[b].stateSavingsOere,
        );
      }
      expect(actor.paidOere + accelerator.paidOere).toBe(g.paidOere);
      expect(actor.paidOere).toBe(g.paidToEmploymentActorsOere);
      expect(accelerator.paidOere).toBe(g.paidToAcceleratorOere);
      expect(accelerator.paidForCitizenResultsOere + accelerator.paidForCompanyResultsOere).toBe(
        accelerator.paidOere,
      );
      expect(accelerator.municipalSavingsOere).toBe(accelerator.savings[basis].municipalSavingsOere);
    },
  );

  it("computes the accelerator's side as the business case of its citizens alone", () => {
    // Act: deadweight on the side's own running total, as a business case of only those citizens would.
    const alone = businessCase([acceleratorCitizen, koege], [], { start, basis });
    // Assess
    for (const key of ['621', '259', 'programme']) {
      const side = group(withCompany, key).sides['social-accelerator'];
      const own = group(alone, key);
      expect([
        side.savings.confirmed.municipalSavingsOere,
        side.savings.expected.municipalSavingsOere,
      ]).toEqual([own.savings.confirmed.municipalSavingsOere, own.savings.expected.municipalSavingsOere]);
      expect(side.savings.expected.municipalSavingsOere).toBeGreaterThan(0);
    }
  });

  it.each([
    // [group, results (actor, accelerator), paid (actor, accelerator for citizens, accelerator for companies)]
    ['621', [1, 1], [4_375_000, 625_000, 1_240_000]],
    ['851', [1, 0], [2_500_000, 0, 0]],
    ['259', [0, 1], [0, 0, 0]],
    ['cluster-1', [2, 1], [6_875_000, 625_000, 1_240_000]],
    ['programme', [2, 2], [6_875_000, 625_000, 1_240_000]],
  ] as const)(
    '%s: results and payments per side',
    (key, [actorResults, accResults], [actor, accCitizen, accCompany]) => {
      // Act
      const { sides } = group(withCompany, key);
      // Assess
      expect(sides['employment-actor']).toMatchObject({
        results: actorResults,
        paidOere: actor,
        paidForCitizenResultsOere: actor,
        paidForCompanyResultsOere: 0,
      });
      expect(sides['social-accelerator']).toMatchObject({
        results: accResults,
        paidOere: accCitizen + accCompany,
        paidForCitizenResultsOere: accCitizen,
        paidForCompanyResultsOere: accCompany,
      });
    },
  );

  it('adds the company-side payments to what was paid, and changes no saving', () => {
    // Act
    const before = group(without, '621');
    const after = group(withCompany, '621');
    // Assess
    expect(after.paidOere).toBe(before.paidOere + 1_240_000);
    expect(after.paidToAcceleratorOere).toBe(before.paidToAcceleratorOere + 1_240_000);
    expect(after.paidToEmploymentActorsOere).toBe(before.paidToEmploymentActorsOere);
    expect(after.savings).toEqual(before.savings);
    expect(after.sides['employment-actor']).toEqual(before.sides['employment-actor']);
    expect(after.netOere).toBe(before.netOere - 1_240_000);
    // Due in December 2027 and March 2028: months 24 and 27 of the horizon.
    expect(after.series[22]?.cumulativePaidOere).toBe(before.series[22]?.cumulativePaidOere);
    expect(after.series[23]?.cumulativePaidOere).toBe(
      (before.series[23]?.cumulativePaidOere ?? 0) + 1_160_000,
    );
    expect(after.series[26]?.cumulativePaidOere).toBe(
      (before.series[26]?.cumulativePaidOere ?? 0) + 1_240_000,
    );
  });

  it('leaves every existing figure as it was when there are no sides and no company payments', () => {
    // Act: the same citizens without a side are all the employment actors'.
    const unsided = businessCase(
      all.map(({ side: _side, ...citizen }) => citizen),
      citizenPayments,
      { start, basis },
    );
    // Assess
    const { sides: _a, ...figures } = unsided.programme;
    const { sides: _b, ...same } = without.programme;
    expect(figures).toEqual(same);
    expect(unsided.programme.sides['social-accelerator'].savings.expected.municipalSavingsOere).toBe(0);
  });

  it('refuses a company-side payment to an employment actor', () => {
    const wrong: ProgrammePayment = { ...pay('621', 80_000, '2027-12-31'), track: 'company' };
    expect(() => businessCase([], [wrong], { start })).toThrow(/paid to the social accelerator/);
  });
});
