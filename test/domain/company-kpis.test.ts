import { describe, expect, it } from 'vitest';
import { cohortOf } from '#domain/accelerator';
import {
  type CompanyKpis,
  type KpiPoint,
  kpiChanges,
  kpiDueDate,
  kpiOpenOn,
  kpiPointLabels,
  kpiPoints,
  kpiReportSchema,
  kpiWindow,
} from '#domain/company-kpis';

// Cluster 1 in 2019: boot camp 15 November 2018, selection by 15 December 2018, accelerator 2019, follow-up to
// 1 July 2020 (test/domain/accelerator.test.ts).
const cohort = cohortOf(1, 2019);

const valid = {
  point: 'baseline',
  revenueKroner: 2_500_000,
  fullTimeEmployees: 12.5,
  vulnerableEmployed: 2,
  vulnerableStillEmployed: 1,
};

function fieldErrors(input: unknown): Record<string, string> {
  const parsed = kpiReportSchema.safeParse(input);
  if (parsed.success) return {};
  return Object.fromEntries(parsed.error.issues.map((issue) => [issue.path.join('.'), issue.message]));
}

const REVENUE = 'Omsætning skal være et helt antal kroner fra 0 til 10.000.000.000';
const FTE = 'Antal fuldtidsansatte skal være et tal fra 0 til 100.000 med højst én decimal';
const EMPLOYED = 'Antal udsatte borgere ansat skal være et helt tal fra 0 til 100.000';
const STILL = 'Antal udsatte borgere stadig ansat skal være et helt tal fra 0 til 100.000';

describe('a KPI report over the API', () => {
  it('takes revenue in whole kroner and gives it in øre', () => {
    // Act
    const report = kpiReportSchema.parse(valid);

    // Assess
    expect(report).toEqual({
      point: 'baseline',
      revenueOere: 250_000_000,
      fullTimeEmployees: 12.5,
      vulnerableEmployed: 2,
      vulnerableStillEmployed: 1,
    });
  });

  it('reads a form as Danes write it: thousands dots, a decimal comma', () => {
    // Act
    const report = kpiReportSchema.parse({
      point: 'month-12',
      revenueKroner: '1.250.000',
      fullTimeEmployees: '7,5',
      vulnerableEmployed: '3',
      vulnerableStillEmployed: '3',
    });

    // Assess
    expect(report).toMatchObject({ revenueOere: 125_000_000, fullTimeEmployees: 7.5, vulnerableEmployed: 3 });
  });

  it.each([
    [
      'a zero report',
      { revenueKroner: 0, fullTimeEmployees: 0, vulnerableEmployed: 0, vulnerableStillEmployed: 0 },
      {},
    ],
    ['the largest revenue and staff', { revenueKroner: 10_000_000_000, fullTimeEmployees: 100_000 }, {}],
    ['FTE with one decimal as text', { fullTimeEmployees: '0.1' }, {}],
    [
      'an unknown point',
      { point: 'month-6' },
      {
        point:
          'Målepunkt skal være baseline (udgangspunkt), month-12 (efter 12 måneder) eller month-18 (efter 18 måneder)',
      },
    ],
    ['no revenue', { revenueKroner: undefined }, { revenueKroner: REVENUE }],
    ['an empty revenue field', { revenueKroner: '' }, { revenueKroner: REVENUE }],
    ['negative revenue', { revenueKroner: -1 }, { revenueKroner: REVENUE }],
    ['revenue in øre fractions', { revenueKroner: 1.5 }, { revenueKroner: REVENUE }],
    ['revenue above the limit', { revenueKroner: 10_000_000_001 }, { revenueKroner: REVENUE }],
    ['revenue in words', { revenueKroner: 'to millioner' }, { revenueKroner: REVENUE }],
    ['revenue with broken thousands', { revenueKroner: '1.25' }, { revenueKroner: REVENUE }],
    ['FTE with two decimals', { fullTimeEmployees: 12.25 }, { fullTimeEmployees: FTE }],
    ['FTE with two decimals as text', { fullTimeEmployees: '12,25' }, { fullTimeEmployees: FTE }],
    ['negative FTE', { fullTimeEmployees: -0.5 }, { fullTimeEmployees: FTE }],
    ['FTE above the limit', { fullTimeEmployees: 100_000.1 }, { fullTimeEmployees: FTE }],
    ['half a vulnerable citizen', { vulnerableEmployed: 2.5 }, { vulnerableEmployed: EMPLOYED }],
    ['negative still employed', { vulnerableStillEmployed: -1 }, { vulnerableStillEmployed: STILL }],
    [
      'more still employed than employed',
      { vulnerableEmployed: 2, vulnerableStillEmployed: 3 },
      {
        vulnerableStillEmployed:
          'Antal udsatte borgere stadig ansat kan ikke være større end antal udsatte borgere ansat',
      },
    ],
  ])('%s', (_case, change, expected) => {
    // Act
    const errors = fieldErrors({ ...valid, ...change });

    // Assess
    expect(errors).toEqual(expected);
  });

  it('has a Danish label per point', () => {
    expect(kpiPoints.map((p) => kpiPointLabels[p])).toEqual([
      'Udgangspunkt (ved udvælgelsen)',
      'Efter 12 måneder (acceleratorens afslutning)',
      'Efter 18 måneder (opfølgningens afslutning)',
    ]);
  });
});

describe('when each point is due and open', () => {
  it.each<[KpiPoint, string, { start: string; end: string }]>([
    // From the boot camp's first day to 90 days after selection day.
    ['baseline', '2018-12-15', { start: '2018-11-15', end: '2019-03-16' }],
    // 30 days before the accelerator's end to 90 days after (2020 is a leap year).
    ['month-12', '2020-01-01', { start: '2019-12-02', end: '2020-04-01' }],
    ['month-18', '2020-07-01', { start: '2020-06-01', end: '2020-09-30' }],
  ])('%s is due on %s, open from %o (end exclusive)', (point, due, window) => {
    // Act
    const result = [kpiDueDate(cohort, point), kpiWindow(cohort, point)];

    // Assess
    expect(result).toEqual([due, window]);
  });

  it.each<[KpiPoint, string, boolean]>([
    ['baseline', '2018-11-14', false],
    ['baseline', '2018-11-15', true],
    ['baseline', '2018-12-15', true],
    ['baseline', '2019-03-15', true],
    ['baseline', '2019-03-16', false],
    ['month-12', '2019-12-01', false],
    ['month-12', '2019-12-02', true],
    ['month-12', '2020-01-01', true],
    ['month-12', '2020-03-31', true],
    ['month-12', '2020-04-01', false],
    ['month-18', '2020-05-31', false],
    ['month-18', '2020-06-01', true],
    ['month-18', '2020-09-29', true],
    ['month-18', '2020-09-30', false],
  ])('%s on %s: open %s', (point, date, open) => {
    // Act
    const result = kpiOpenOn(cohort, point, date);

    // Assess
    expect(result).toBe(open);
  });
});

describe('growth against the baseline', () => {
  const baseline: CompanyKpis = {
    revenueOere: 100_000_000,
    fullTimeEmployees: 10.1,
    vulnerableEmployed: 1,
    vulnerableStillEmployed: 1,
  };

  it.each<[string, Partial<CompanyKpis>, Partial<CompanyKpis>, object]>([
    [
      'growth',
      {},
      {
        revenueOere: 112_500_000,
        fullTimeEmployees: 12.3,
        vulnerableEmployed: 4,
        vulnerableStillEmployed: 3,
      },
      {
        revenueChangeOere: 12_500_000,
        revenueChangePerMille: 125,
        fullTimeEmployeesChange: 2.2,
        vulnerableHires: 3,
        vulnerableStillEmployed: 3,
        vulnerableStillEmployedChange: 2,
      },
    ],
    [
      'decline, per mille rounded half away from zero',
      {},
      { revenueOere: 99_950_000, fullTimeEmployees: 9.6, vulnerableEmployed: 1, vulnerableStillEmployed: 0 },
      {
        revenueChangeOere: -50_000,
        revenueChangePerMille: -1,
        fullTimeEmployeesChange: -0.5,
        vulnerableHires: 0,
        vulnerableStillEmployed: 0,
        vulnerableStillEmployedChange: -1,
      },
    ],
    [
      'no revenue at the baseline: no ratio',
      { revenueOere: 0 },
      { revenueOere: 50_000_000 },
      { revenueChangeOere: 50_000_000, revenueChangePerMille: null },
    ],
  ])('%s', (_case, baseChange, later, expected) => {
    // Act
    const changes = kpiChanges({ ...baseline, ...baseChange }, { ...baseline, ...later });

    // Assess
    expect(changes).toMatchObject(expected);
  });
});
