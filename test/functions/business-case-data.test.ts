import { describe, expect, it } from 'vitest';
import { businessCase } from '#domain/business-case';
import { planPathway } from '#domain/pathway';
import { defaultSavingsAssumptions } from '#domain/savings';
import {
  businessCaseReport,
  caseInput,
  horizonEndOf,
  mapConcurrently,
  offBenefitPeriod,
  type ProgrammeData,
  resultPeriods,
  resultSide,
} from '#shared/business-case-data';
import type { CompanyPaymentRecord } from '#shared/company-payment-store';
import { HttpError } from '#shared/http';
import type {
  MilestoneRecord,
  MilestoneStatus,
  OutcomeRecord,
  Pathway,
  PaymentRecord,
  ReferralRecord,
} from '#shared/pathway-store';
import { companyPaymentRecord } from './support-company-payments.ts';
import { referralRecord } from './support-records.ts';

const JOB = 'job-1';
const HORIZON_END = '2031-01-01';

function outcome(overrides: Partial<OutcomeRecord> = {}): OutcomeRecord {
  return {
    referralId: 'r-1',
    outcomeId: JOB,
    type: 'job-start',
    date: '2027-01-04',
    hoursPerWeek: 37,
    employer: 'Kolding Bageri ApS',
    recordedAt: '2027-01-04T09:00:00.000Z',
    recordedBy: 'kolding-aktoer',
    phaseAtOutcome: 'induction',
    ...overrides,
  };
}

/** Milestones of the job started 2027-01-04: 13 weeks due 2027-04-05, 26 weeks due 2027-07-05. */
function milestone(weeks: 13 | 26, status: MilestoneStatus, overrides: Partial<MilestoneRecord> = {}) {
  const dueOn = weeks === 13 ? '2027-04-05' : '2027-07-05';
  return {
    referralId: 'r-1',
    outcomeId: JOB,
    weeks,
    dueOn,
    deadlineOn: weeks === 13 ? '2027-05-03' : '2027-08-02',
    status,
    openedAt: `${dueOn}T00:00:00.000Z`,
    ...overrides,
  } satisfies MilestoneRecord;
}

describe('the off-benefit rule: expected and confirmed periods', () => {
  /** [expected until, confirmed until (null: nothing verified)]; every period starts at the result's date. */
  type Ends = readonly [string, string | null];
  it.each<[string, OutcomeRecord[], MilestoneRecord[], Ends | null]>([
    ['no outcome: no savings', [], [], null],
    ['a drop-out is no result', [outcome({ type: 'dropout', hoursPerWeek: undefined })], [], null],
    ['a job below the partial threshold (9 h) is no result', [outcome({ hoursPerWeek: 9 })], [], null],
    [
      'a partial job (10 h) awaiting its milestones: expected to the horizon, nothing confirmed yet',
      [outcome({ hoursPerWeek: 10 })],
      [],
      [HORIZON_END, null],
    ],
    [
      'a job awaiting its 13-week confirmation: expected to the horizon, nothing confirmed yet',
      [outcome()],
      [milestone(13, 'awaiting-confirmation')],
      [HORIZON_END, null],
    ],
    [
      'a job confirmed at 13 weeks: confirmed until the 13-week milestone',
      [outcome()],
      [milestone(13, 'confirmed'), milestone(26, 'awaiting-confirmation')],
      [HORIZON_END, '2027-04-05'],
    ],
    [
      'a job confirmed at 13 and 26 weeks: expected to the horizon (projected beyond 26 weeks), confirmed 26 weeks',
      [outcome()],
      [milestone(13, 'confirmed'), milestone(26, 'confirmed')],
      [HORIZON_END, '2027-07-05'],
    ],
    [
      'a job that ended: both until its end, which the confirmation gave',
      [outcome({ endedOn: '2027-03-01' })],
      [milestone(13, 'job-ended', { endedOn: '2027-03-01' })],
      ['2027-03-01', '2027-03-01'],
    ],
    [
      'the end date on the milestone is enough',
      [outcome()],
      [milestone(13, 'confirmed'), milestone(26, 'job-ended', { endedOn: '2027-06-14' })],
      ['2027-06-14', '2027-06-14'],
    ],
    [
      'an unconfirmed 13-week milestone: nothing verified, nothing counted',
      [outcome()],
      [milestone(13, 'unconfirmed')],
      ['2027-01-04', null],
    ],
    [
      'an unconfirmed 26-week milestone: until the 13-week milestone that was confirmed',
      [outcome()],
      [milestone(13, 'confirmed'), milestone(26, 'unconfirmed')],
      ['2027-04-05', '2027-04-05'],
    ],
    [
      'the last confirmed milestone, whichever went unconfirmed',
      [outcome()],
      [milestone(26, 'confirmed'), milestone(13, 'unconfirmed')],
      ['2027-07-05', '2027-07-05'],
    ],
    [
      'an education start: expected for two school years (104 weeks), nothing confirmed yet',
      [outcome({ type: 'education-start', hoursPerWeek: undefined, employer: undefined })],
      [],
      ['2029-01-01', null],
    ],
    [
      'an education confirmed at 13 weeks',
      [outcome({ type: 'education-start', hoursPerWeek: undefined, employer: undefined })],
      [milestone(13, 'confirmed')],
      ['2029-01-01', '2027-04-05'],
    ],
    [
      'only the first result counts, whatever order the outcomes come in',
      [
        outcome({ outcomeId: 'edu', type: 'education-start', date: '2027-05-03' }),
        outcome({ endedOn: '2027-02-01' }),
      ],
      [],
      ['2027-02-01', '2027-02-01'],
    ],
    [
      'a job below the threshold before a full one: the full one is the first result',
      [outcome({ outcomeId: 'small', date: '2026-12-01', hoursPerWeek: 5 }), outcome()],
      [],
      [HORIZON_END, null],
    ],
    [
      "another job's unconfirmed milestone does not cut the first result",
      [outcome(), outcome({ outcomeId: 'job-2', date: '2027-09-06' })],
      [milestone(13, 'unconfirmed', { outcomeId: 'job-2' })],
      [HORIZON_END, null],
    ],
    [
      'a job that ended on its first day counts no weeks',
      [outcome({ endedOn: '2027-01-04' })],
      [],
      ['2027-01-04', null],
    ],
    [
      'a result after the horizon counts no weeks',
      [outcome({ date: '2031-02-03' })],
      [],
      ['2031-02-03', null],
    ],
  ])('%s', (_, outcomes, milestones, ends) => {
    // Act
    const periods = resultPeriods({ outcomes, milestones }, HORIZON_END);

    // Assess
    if (ends === null) {
      expect(periods).toBeNull();
      return;
    }
    const first = [...outcomes]
      .filter((o) => o.type !== 'dropout' && (o.hoursPerWeek ?? 10) >= 10)
      .sort((x, y) => x.date.localeCompare(y.date))[0];
    const result =
      first?.type === 'job-start' ? { kind: 'job', hoursPerWeek: first.hoursPerWeek } : { kind: 'education' };
    const from = first?.date;
    expect(periods).toEqual({
      expected: { from, until: ends[0], result },
      confirmed: ends[1] === null ? null : { from, until: ends[1], result },
    });
    expect(offBenefitPeriod({ outcomes, milestones }, HORIZON_END)).toEqual(periods?.expected);
  });
});

describe('horizonEndOf', () => {
  it.each([
    ['2026-11-26', 1, '2027-11-01'],
    ['2026-01-31', 5, '2031-01-01'],
    ['2026-12-01', 2, '2028-12-01'],
  ])('%s + %i years ends before %s', (start, years, end) => {
    expect(horizonEndOf(start, years)).toBe(end);
  });
});

describe('mapConcurrently', () => {
  it('keeps the order and never runs more than the limit at once', async () => {
    // Prepare
    let running = 0;
    let most = 0;
    const task = async (n: number) => {
      running += 1;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, (n * 7) % 5));
      running -= 1;
      return n * 2;
    };

    // Act
    const results = await mapConcurrently(
      Array.from({ length: 30 }, (_, i) => i),
      8,
      task,
    );

    // Assess
    expect(results).toEqual(Array.from({ length: 30 }, (_, i) => i * 2));
    expect(most).toBe(8);
  });

  it('does nothing for no items', async () => {
    expect(await mapConcurrently([], 8, async () => 1)).toEqual([]);
  });
});

function pathway(referral: Partial<ReferralRecord>, outcomes: OutcomeRecord[] = []): Pathway {
  const record = referralRecord(referral);
  return {
    referral: record,
    events: [],
    outcomes: outcomes.map((o) => ({ ...o, referralId: record.referralId })),
    payments: [],
    milestones: [],
    failures: [],
  };
}

function payment(referralId: string, amountOere: number, dueDate: string): PaymentRecord {
  return {
    paymentId: `${referralId}.job-start.employment-actor`,
    paymentKey: 'job-start#employment-actor',
    referralId,
    resultId: JOB,
    outcomeId: JOB,
    outcomeType: 'job-start',
    rule: 'job-start',
    payee: 'employment-actor',
    amountOere,
    rateCardVersion: '2019-1',
    dueDate,
    municipality: '621',
    payeeId: 'employment-actor-621',
    payeeName: 'Beskæftigelsesaktør, Kolding Kommune',
    createdAt: `${dueDate}T08:00:00.000Z`,
  };
}

const kolding = {
  referralId: 'kolding',
  municipality: '621',
  rateGroup: '30-plus-without-children',
  weeksOnBenefit: 30,
  startDate: '2026-01-05',
  referredOn: '2026-01-05',
  plan: planPathway('2026-01-05'),
} as const;

const data: ProgrammeData = {
  pathways: [
    pathway(kolding, [outcome()]),
    // Made before the rate group was asked: cannot be priced.
    pathway({ referralId: 'old', municipality: '851', startDate: '2025-12-01', referredOn: '2025-12-01' }, [
      outcome({ date: '2026-03-02' }),
    ]),
    pathway({
      referralId: 'aalborg',
      municipality: '851',
      rateGroup: 'under-30-living-away',
      startDate: '2026-02-02',
      referredOn: '2026-02-02',
    }),
  ],
  payments: [payment('kolding', 1_500_000, '2027-02-03'), payment('old', 1_500_000, '2026-04-01')],
};

describe('caseInput', () => {
  it('prices referrals with a rate group and leaves out the others with their payments', () => {
    // Act
    const input = caseInput(data, HORIZON_END);

    // Assess
    expect(input.unpriced).toBe(1);
    expect(input.unpricedPaidOere).toBe(1_500_000);
    expect(input.citizens).toEqual([
      {
        referralId: 'kolding',
        municipality: '621',
        benefit: 'kontanthjaelp',
        rateGroup: '30-plus-without-children',
        readiness: 'aktivitetsparat',
        weeksOnBenefitAtReferral: 30,
        referredOn: '2026-01-05',
        offBenefit: [{ from: '2027-01-04', until: HORIZON_END, result: { kind: 'job', hoursPerWeek: 37 } }],
        // No milestone confirmed yet: nothing verified.
        confirmed: [],
        // A job with an employer outside the accelerator: the employment actor's result.
        side: 'employment-actor',
      },
      expect.objectContaining({
        referralId: 'aalborg',
        rateGroup: 'under-30-living-away',
        offBenefit: [],
        confirmed: [],
      }),
    ]);
    expect(input.payments).toEqual([
      { municipality: '621', amountOere: 1_500_000, dueDate: '2027-02-03', payee: 'employment-actor' },
    ]);
  });
});

describe('caseInput: the staircase week (issue 9 item 3)', () => {
  it.each([
    ['at staircase week 120', { staircaseWeek: 120 }, 119],
    ['at staircase week 0 (not on the staircase)', { staircaseWeek: 0 }, 0],
    ['made before the staircase week, with 30 weeks on benefit', { weeksOnBenefit: 30 }, 30],
  ])('prices a referral %s from %i whole weeks before its own', (_label, fields, weeksBefore) => {
    // Prepare
    const referral = pathway({ ...kolding, weeksOnBenefit: undefined, ...fields }, [outcome()]);
    // Act
    const input = caseInput({ pathways: [referral], payments: [] }, HORIZON_END);
    // Assess
    expect(input.citizens[0]?.weeksOnBenefitAtReferral).toBe(weeksBefore);
  });
});

describe('businessCaseReport', () => {
  const request = {
    horizonYears: 5,
    assumptions: { annualRetentionBasisPoints: defaultSavingsAssumptions.annualRetentionBasisPoints },
  };
  const now = new Date('2026-11-26T23:30:00Z');

  it('starts at the earliest priced referral by default and gives the domain the same inputs', () => {
    // Act
    const report = businessCaseReport(data, request, now);

    // Assess
    expect(report.options).toEqual({
      start: '2026-01-05',
      startDefaulted: true,
      horizonYears: 5,
      // No figure given: deadweight follows each citizen's readiness.
      deadweightBasisPoints: null,
      annualRetentionBasisPoints: 8000,
      basis: 'confirmed',
      costPerCitizenOere: 94_868_914,
      costPerCompanyOere: 94_868_914,
    });
    expect(report.asOf).toBe('2026-11-26T23:30:00.000Z');
    const input = caseInput(data, '2031-01-01');
    const expected = businessCase(input.citizens, input.payments, {
      start: '2026-01-05',
      horizonYears: 5,
      placesOf: (m) => m.places,
    });
    const koldingCase = report.businessCase.municipalities.find((m) => m.key === '621');
    expect(koldingCase).toMatchObject(expected.municipalities.find((m) => m.key === '621') ?? {});
    expect(report.businessCase.programme).toMatchObject(expected.programme);
    // da-DK puts a no-break space before "kr.".
    expect(koldingCase?.formatted.paid).toBe('15.000,00\u00a0kr.');
  });

  it('starts today (the Danish date) when nobody has been referred', () => {
    // Act
    const report = businessCaseReport({ pathways: [], payments: [] }, request, now);

    // Assess
    expect(report.options.start).toBe('2026-11-27');
    expect(report.businessCase.horizon.startMonth).toBe('2026-11');
    expect(report.businessCase.programme?.paidOere).toBe(0);
  });

  it('refuses a start after the month of the first referral with a 400 on start', () => {
    // Act
    const act = () => businessCaseReport(data, { ...request, start: '2026-02-01' }, now);

    // Assess
    expect(act).toThrow(HttpError);
    try {
      act();
    } catch (error) {
      expect((error as HttpError).errors.map((e) => e.field)).toEqual(['start']);
    }
  });

  it('takes an earlier start and the assumptions given', () => {
    // Act
    const report = businessCaseReport(
      data,
      {
        start: '2025-06-15',
        horizonYears: 2,
        assumptions: { deadweightBasisPoints: 0, annualRetentionBasisPoints: 10_000 },
      },
      now,
    );

    // Assess
    expect(report.businessCase.horizon).toEqual({
      startMonth: '2025-06',
      end: '2027-06-01',
      years: 2,
      months: 24,
    });
    expect(report.businessCase.assumptions.deadweightBasisPoints).toBe(0);
  });
});

/** The social model of a Kolding company, due in March 2027. */
const companyPayment = (overrides: Partial<CompanyPaymentRecord> = {}) =>
  companyPaymentRecord({ dueDate: '2027-03-03', resultDate: '2027-01-20', ...overrides });

describe('resultSide: whose side a citizen’s result counts for (issue 7, item 5)', () => {
  it.each([
    ['no result', [], 'employment-actor'],
    ['a job with another employer', [outcome()], 'employment-actor'],
    [
      'a job with an accelerator company',
      [outcome({ hiredByAcceleratorCompany: true })],
      'social-accelerator',
    ],
    [
      'an education first, an accelerator job later: the first result decides',
      [
        outcome({ outcomeId: 'edu', type: 'education-start', date: '2026-09-01', hoursPerWeek: undefined }),
        outcome({ hiredByAcceleratorCompany: true }),
      ],
      'employment-actor',
    ],
    [
      'an accelerator job below the partial threshold is no result',
      [outcome({ hoursPerWeek: 5, hiredByAcceleratorCompany: true })],
      'employment-actor',
    ],
  ] as const)('%s: %s', (_label, outcomes, side) => {
    expect(resultSide({ outcomes: [...outcomes] })).toBe(side);
  });
});

describe('caseInput and the report with company-side payments (issue 7, item 5)', () => {
  // Prepare: Kolding's citizen hired by an accelerator company; the company's social model and the hire paid.
  const accelerated: ProgrammeData = {
    pathways: [pathway(kolding, [outcome({ hiredByAcceleratorCompany: true })])],
    payments: [payment('kolding', 1_500_000, '2027-02-03')],
    companyPayments: [
      companyPayment(),
      companyPayment({
        paymentId: 'hire',
        rule: 'accelerator-hire-sustained',
        resultId: JOB,
        referralId: 'kolding',
        amountOere: 80_000,
        dueDate: '2027-08-04',
      }),
      // A hire of a referral that cannot be priced: left out with it.
      companyPayment({ paymentId: 'old-hire', referralId: 'old', amountOere: 80_000, dueDate: '2027-09-01' }),
    ],
  };

  it('passes the company-side payments on as the accelerator’s, and the citizen’s side', () => {
    // Act
    const input = caseInput(accelerated, HORIZON_END);
    // Assess
    expect(input.citizens.map((c) => [c.referralId, c.side])).toEqual([['kolding', 'social-accelerator']]);
    expect(input.payments).toEqual([
      { municipality: '621', amountOere: 1_500_000, dueDate: '2027-02-03', payee: 'employment-actor' },
      {
        municipality: '621',
        amountOere: 1_160_000,
        dueDate: '2027-03-03',
        payee: 'social-accelerator',
        track: 'company',
      },
      {
        municipality: '621',
        amountOere: 80_000,
        dueDate: '2027-08-04',
        payee: 'social-accelerator',
        track: 'company',
      },
    ]);
    expect(input.unpricedPaidOere).toBe(80_000);
  });

  it('shows both sides: paid to each, and the accelerator’s results’ savings', () => {
    // Act
    const report = businessCaseReport(
      accelerated,
      { horizonYears: 5, assumptions: { annualRetentionBasisPoints: 8000 }, basis: 'expected' },
      // Before the job's 13-week milestone is due: expected to the horizon.
      new Date('2027-01-20T10:00:00Z'),
    );
    // Assess
    const koldingCase = report.businessCase.municipalities.find((m) => m.key === '621');
    expect(koldingCase?.paidOere).toBe(1_500_000 + 1_160_000 + 80_000);
    expect(koldingCase?.sides['social-accelerator']).toMatchObject({
      results: 1,
      paidOere: 1_240_000,
      paidForCompanyResultsOere: 1_240_000,
      municipalSavingsOere: koldingCase?.municipalSavingsOere,
    });
    expect(koldingCase?.sides['employment-actor']).toMatchObject({
      results: 0,
      paidOere: 1_500_000,
      municipalSavingsOere: 0,
    });
    expect(koldingCase?.municipalSavingsOere).toBeGreaterThan(0);
    expect(koldingCase?.formatted.sides['social-accelerator'].paid).toBe('12.400,00\u00a0kr.');
  });

  it('starts a municipality whose companies were paid before any referral at that payment', () => {
    // Act
    const report = businessCaseReport(
      { pathways: [], payments: [], companyPayments: [companyPayment()] },
      { horizonYears: 5, assumptions: { annualRetentionBasisPoints: 8000 } },
      new Date('2027-11-26T10:00:00Z'),
    );
    const late = () =>
      businessCaseReport(
        { pathways: [], payments: [], companyPayments: [companyPayment()] },
        { start: '2027-04-01', horizonYears: 5, assumptions: { annualRetentionBasisPoints: 8000 } },
        new Date('2027-11-26T10:00:00Z'),
      );
    // Assess
    expect(report.options.start).toBe('2027-03-03');
    expect(report.businessCase.programme?.paidOere).toBe(1_160_000);
    expect(late).toThrow(HttpError);
  });
});
