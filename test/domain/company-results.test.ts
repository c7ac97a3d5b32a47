import { describe, expect, it } from 'vitest';
import { type Cohort, type CompanyDecisions, cohortOf } from '#domain/accelerator';
import {
  CAP_HIRE_BONUSES,
  type CompanyPaid,
  type CompanyResultFacts,
  type CompanyResultKind,
  companyCardDates,
  companyPaymentKey,
  companyRateCardOn,
  companyRateCards,
  HIRE_BONUS_SHARE_BASIS_POINTS,
  hireCohort,
  hireStartOf,
  priceCompanyResult,
  proposedCompanyPrices,
  SOCIAL_MODEL_SHARE_BASIS_POINTS,
  socialModelSaving,
  sustainedHireSaving,
} from '#domain/company-results';
import { addDays } from '#domain/dates';
import { shareOf } from '#domain/money';
import { boundOf } from '#domain/pricing';
import { paymentGroupKey, paymentGroups, rateCardOn } from '#domain/rate-card';
import {
  applyChecklistUpdate,
  emptyChecklist,
  type SocialModelChecklist,
  socialModelItems,
} from '#domain/social-model';

const CVR = '10150817';
// Cluster 1 in 2019: accelerator 2019, follow-up 1 January – 1 July 2020 (end exclusive).
const cohort = cohortOf(1, 2019);
const selected: CompanyDecisions = { selected: true };
const nothingPaid: CompanyPaid = { companyOere: 0, keys: new Set() };

const implemented: SocialModelChecklist = socialModelItems.reduce<SocialModelChecklist>(
  (checklist, item) =>
    applyChecklistUpdate(
      checklist,
      { item, status: 'done', evidence: 'Bilag', ...(item === 'buddies-trained' ? { buddies: 2 } : {}) },
      '2019-11-01T10:00:00Z',
      'accelerator@fonden.dk',
    ),
  emptyChecklist(),
);

function socialModel(change: Partial<Extract<CompanyResultFacts, { kind: 'social-model-implemented' }>>) {
  return priceCompanyResult({
    kind: 'social-model-implemented',
    cohort,
    cvr: CVR,
    decisions: selected,
    date: '2020-01-15',
    recordedOn: '2020-01-16',
    paid: nothingPaid,
    checklist: implemented,
    ...change,
  });
}

function hire(change: Partial<Extract<CompanyResultFacts, { kind: 'accelerator-hire-sustained' }>>) {
  const jobStartedOn = change.jobStartedOn ?? '2019-08-01';
  return priceCompanyResult({
    kind: 'accelerator-hire-sustained',
    cohort,
    cvr: CVR,
    decisions: selected,
    hireId: '01HZX3K9Q7',
    jobStartedOn,
    // The 26th week verified: 182 days after the start.
    date: addDays(jobStartedOn, 182),
    recordedOn: addDays(jobStartedOn, 183),
    hoursPerWeek: 20,
    paid: nothingPaid,
    ...change,
  });
}

describe('the company rate card: dated, derived from the savings model', () => {
  it('has two versions, looked up by the result’s date; none before 2019', () => {
    // Act
    const versions = ['2019-01-01', '2024-12-31', '2025-01-01', '2030-06-01'].map(
      (date) => companyRateCardOn(date).version,
    );

    // Assess
    expect(versions).toEqual(['company-2019-1', 'company-2019-1', 'company-2025-1', 'company-2025-1']);
    expect(() => companyRateCardOn('2018-12-31')).toThrow(RangeError);
  });

  it.each(companyRateCards.map((card) => [card.version, card] as const))(
    '%s is what the assumptions propose, with the cap the social model and four hires',
    (_version, card) => {
      // Act
      const proposed = proposedCompanyPrices(card);

      // Assess
      expect({ prices: card.prices, capPerCompanyOere: card.capPerCompanyOere }).toEqual(proposed);
      expect(card.capPerCompanyOere).toBe(
        card.prices['social-model-implemented'] +
          CAP_HIRE_BONUSES * card.prices['accelerator-hire-sustained'],
      );
      expect(card.paymentTermDays).toBe(30);
    },
  );

  it('states its amounts: DKK 11,600 / 800 (cap 14,800) from 2019, DKK 8,000 / 800 (cap 11,200) from 2025', () => {
    expect(companyRateCards.map((c) => [c.version, c.effectiveFrom, c.prices, c.capPerCompanyOere])).toEqual([
      [
        'company-2019-1',
        '2019-01-01',
        { 'social-model-implemented': 1_160_000, 'accelerator-hire-sustained': 80_000 },
        1_480_000,
      ],
      [
        'company-2025-1',
        '2025-01-01',
        { 'social-model-implemented': 800_000, 'accelerator-hire-sustained': 80_000 },
        1_120_000,
      ],
    ]);
  });

  it('is checked every half year of a version and the day before the next', () => {
    // Act
    const [first, last] = companyRateCards.map((card) => companyCardDates(card));

    // Assess
    expect(first?.at(0)).toBe('2019-01-01');
    expect(first?.at(-1)).toBe('2024-12-31');
    expect(first?.length).toBe(13);
    expect([last?.at(0), last?.at(-1), last?.length]).toEqual(['2025-01-01', '2034-07-01', 20]);
  });

  const checks = companyRateCards.flatMap((card) => companyCardDates(card).map((date) => ({ card, date })));

  it.each(checks.map(({ card, date }) => [card.version, date, card] as const))(
    '%s on %s: the social model costs at most a quarter of what two further hires are expected to save',
    (_version, date, card) => {
      // Act
      const limit = shareOf(socialModelSaving(date), SOCIAL_MODEL_SHARE_BASIS_POINTS);

      // Assess
      expect(card.prices['social-model-implemented']).toBeGreaterThan(0);
      expect(card.prices['social-model-implemented']).toBeLessThanOrEqual(limit);
    },
  );

  const hireChecks = checks.flatMap(({ card, date }) =>
    paymentGroups.map((group) => ({ card, date, group })),
  );

  it.each(
    hireChecks.map(
      ({ card, date, group }) => [card.version, date, paymentGroupKey(group), card, group] as const,
    ),
  )(
    '%s, hire sustained on %s, %s: the bonus is at most a tenth of the hire’s saving, and with the citizen card at most 85 %%',
    (_version, date, _key, card, group) => {
      // Prepare
      const startedOn = hireStartOf(date);
      const bonus = card.prices['accelerator-hire-sustained'];

      // Act
      const saving = sustainedHireSaving(group, startedOn);
      const citizenSide = boundOf(group, 'full-job', startedOn);

      // Assess
      expect(bonus).toBeLessThanOrEqual(shareOf(saving, HIRE_BONUS_SHARE_BASIS_POINTS));
      expect(citizenSide.savingOere).toBe(saving);
      expect(citizenSide.costOere + bonus).toBeLessThanOrEqual(
        shareOf(saving, rateCardOn(startedOn).maxShareOfSavingBasisPoints + HIRE_BONUS_SHARE_BASIS_POINTS),
      );
    },
  );
});

describe('the social model implemented, verified at 12 months', () => {
  it.each<[string, Parameters<typeof socialModel>[0], string]>([
    ['the day before the accelerator ends', { date: '2019-12-31' }, 'before-month-12'],
    ['the follow-up’s last day', { date: '2020-06-30' }, 'due'],
    ['the day the follow-up ends', { date: '2020-07-01' }, 'after-follow-up'],
    ['not all items done', { checklist: emptyChecklist() }, 'social-model-not-implemented'],
    ['a company not selected', { decisions: { selected: false } }, 'not-selected'],
    ['a company before selection', { decisions: {} }, 'not-selected'],
    [
      'a company that withdrew in month 3',
      { decisions: { selected: true, withdrawnOn: '2019-03-15' } },
      'withdrawn',
    ],
    [
      'a company withdrawing on the verification day',
      { decisions: { selected: true, withdrawnOn: '2020-01-15' } },
      'withdrawn',
    ],
    [
      'a company that withdrew after the verification',
      { decisions: { selected: true, withdrawnOn: '2020-02-01' } },
      'due',
    ],
    [
      'a social model already paid',
      {
        paid: { companyOere: 1_160_000, keys: new Set(['cluster-1-2019:10150817:social-model-implemented']) },
      },
      'already-paid',
    ],
    ['a company at its cap', { paid: { companyOere: 1_480_000, keys: new Set() } }, 'cap-reached'],
  ])('%s: %s', (_case, change, expected) => {
    // Act
    const decision = socialModel(change);

    // Assess
    expect(decision.due ? 'due' : decision.reason).toBe(expected);
  });

  it('on the accelerator’s last-plus-one day is paid in full to the social accelerator, due 30 days after recording', () => {
    // Act
    const decision = socialModel({ date: '2020-01-01', recordedOn: '2020-01-03' });

    // Assess
    expect(decision).toEqual({
      due: true,
      payment: {
        rule: 'social-model-implemented',
        payee: 'social-accelerator',
        amountOere: 1_160_000,
        rateCardVersion: 'company-2019-1',
        dueDate: '2020-02-02',
        key: 'cluster-1-2019:10150817:social-model-implemented',
      },
    });
  });

  it('is cut to what is left under the company’s cap, and says from what', () => {
    // Act
    const decision = socialModel({ paid: { companyOere: 1_000_000, keys: new Set(['x']) } });

    // Assess
    expect(decision).toMatchObject({
      due: true,
      payment: { amountOere: 480_000, cappedFromOere: 1_160_000 },
    });
  });

  it.each([
    ['2024-12-31', 'company-2019-1', 1_160_000],
    ['2025-01-01', 'company-2025-1', 800_000],
  ])('verified on %s: priced by %s', (date, version, amount) => {
    // Prepare: a cohort (dates are data) whose follow-up spans the new version's first day.
    const spanning: Cohort = {
      ...cohortOf(2, 2024),
      accelerator: { start: '2024-01-01', end: '2024-12-01' },
      followUp: { start: '2024-12-01', end: '2025-06-01' },
    };

    // Act
    const decision = socialModel({ cohort: spanning, date, recordedOn: date });

    // Assess
    expect(decision).toMatchObject({ due: true, payment: { rateCardVersion: version, amountOere: amount } });
  });
});

describe('a vulnerable citizen hired by an accelerator company and sustained 26 weeks', () => {
  it.each<[string, Parameters<typeof hire>[0], string]>([
    ['hired in the accelerator, 26 weeks verified', {}, 'due'],
    ['verified a day early', { jobStartedOn: '2019-08-01', date: '2020-01-29' }, 'not-sustained-26-weeks'],
    ['hired on the accelerator’s first day', { jobStartedOn: '2019-01-01' }, 'due'],
    [
      'hired while selected, before the accelerator',
      { jobStartedOn: '2018-12-31' },
      'hired-outside-accelerator',
    ],
    ['hired on the follow-up’s last day', { jobStartedOn: '2020-06-30' }, 'due'],
    ['hired after the follow-up', { jobStartedOn: '2020-07-01' }, 'hired-outside-accelerator'],
    ['hired by a company not selected', { decisions: { selected: false } }, 'not-selected'],
    [
      'hired after the company withdrew',
      { decisions: { selected: true, withdrawnOn: '2019-03-15' } },
      'hired-outside-accelerator',
    ],
    [
      'the company withdrew after the hire',
      { decisions: { selected: true, withdrawnOn: '2019-09-01' } },
      'due',
    ],
    ['a job of 14 hours a week', { hoursPerWeek: 14 }, 'below-hours-threshold'],
    ['a job of 15 hours a week', { hoursPerWeek: 15 }, 'due'],
    [
      'this hire already paid',
      {
        paid: {
          companyOere: 80_000,
          keys: new Set(['cluster-1-2019:10150817:accelerator-hire-sustained:01HZX3K9Q7']),
        },
      },
      'already-paid',
    ],
    [
      'another hire already paid',
      {
        paid: {
          companyOere: 80_000,
          keys: new Set(['cluster-1-2019:10150817:accelerator-hire-sustained:OTHER']),
        },
      },
      'due',
    ],
    ['the company at its cap', { paid: { companyOere: 1_480_000, keys: new Set() } }, 'cap-reached'],
  ])('%s: %s', (_case, change, expected) => {
    // Act
    const decision = hire(change);

    // Assess
    expect(decision.due ? 'due' : decision.reason).toBe(expected);
  });

  it('pays the bonus to the social accelerator, the cap cutting the last one', () => {
    // Act
    const full = hire({ recordedOn: '2020-02-01' });
    const capped = hire({ paid: { companyOere: 1_420_000, keys: new Set() } });

    // Assess
    expect(full).toEqual({
      due: true,
      payment: {
        rule: 'accelerator-hire-sustained',
        payee: 'social-accelerator',
        amountOere: 80_000,
        rateCardVersion: 'company-2019-1',
        dueDate: '2020-03-02',
        key: 'cluster-1-2019:10150817:accelerator-hire-sustained:01HZX3K9Q7',
      },
    });
    expect(capped).toMatchObject({ due: true, payment: { amountOere: 60_000, cappedFromOere: 80_000 } });
  });

  it.each([
    ['2024-07-02', '2024-12-31', 'company-2019-1'],
    ['2024-07-03', '2025-01-01', 'company-2025-1'],
  ])('hired on %s, sustained on %s: priced by %s', (jobStartedOn, sustainedOn, version) => {
    // Prepare
    const cohort2024 = cohortOf(1, 2024);

    // Act
    const decision = hire({ cohort: cohort2024, jobStartedOn });

    // Assess
    expect(decision).toMatchObject({ due: true, payment: { rateCardVersion: version } });
    expect(addDays(jobStartedOn, 182)).toBe(sustainedOn);
  });
});

describe('the payment key: each result paid once', () => {
  it.each<[CompanyResultKind, string, string, string | undefined, string]>([
    [
      'social-model-implemented',
      'cluster-1-2019',
      'DK 1015 0817',
      undefined,
      'cluster-1-2019:10150817:social-model-implemented',
    ],
    [
      'accelerator-hire-sustained',
      'cluster-2-2020',
      '35209115',
      'a1b2-c3',
      'cluster-2-2020:35209115:accelerator-hire-sustained:a1b2-c3',
    ],
  ])('%s, %s, CVR %s, hire %s → %s', (kind, cohortId, cvr, hireId, key) => {
    // Act
    const result = companyPaymentKey(kind, cohortId, cvr, hireId);

    // Assess
    expect(result).toBe(key);
  });

  it.each([
    [
      'a CVR failing modulus 11',
      () => companyPaymentKey('social-model-implemented', 'cluster-1-2019', '10150818'),
    ],
    [
      'a hire id on the social model',
      () => companyPaymentKey('social-model-implemented', 'cluster-1-2019', CVR, 'h1'),
    ],
    ['a hire without an id', () => companyPaymentKey('accelerator-hire-sustained', 'cluster-1-2019', CVR)],
    [
      'a hire id with a separator',
      () => companyPaymentKey('accelerator-hire-sustained', 'cluster-1-2019', CVR, 'a:b'),
    ],
    [
      'a CPR number as hire id',
      () => companyPaymentKey('accelerator-hire-sustained', 'cluster-1-2019', CVR, '010185-1234'),
    ],
    ['a cohort id with a separator', () => companyPaymentKey('social-model-implemented', 'a:b', CVR)],
  ])('refuses %s', (_case, make) => {
    expect(make).toThrow(RangeError);
  });
});

describe('hireCohort', () => {
  const cohort2019 = cohortOf(1, 2019);
  const lookup = (id: string) => (id === cohort2019.id ? cohort2019 : undefined);

  it.each([
    ['in the accelerator', { selected: true }, '2019-08-08', cohort2019.id],
    ['in the follow-up', { selected: true }, '2020-03-01', cohort2019.id],
    ['before the accelerator began', { selected: true }, '2018-12-20', undefined],
    ['after the follow-up', { selected: true }, '2020-07-01', undefined],
    ['never selected', { selected: false }, '2019-08-08', undefined],
    ['withdrawn before the job', { selected: true, withdrawnOn: '2019-05-01' }, '2019-08-08', undefined],
  ] as const)('a job %s: %s', (_case, decisions, jobStartedOn, expected) => {
    // Act
    const found = hireCohort([{ cohortId: cohort2019.id, decisions }], jobStartedOn, lookup);

    // Assess
    expect(found).toBe(expected);
  });

  it('finds no cohort for a company with no journey in a known cohort', () => {
    expect(
      hireCohort([{ cohortId: 'cluster-9-1999', decisions: { selected: true } }], '2019-08-08', lookup),
    ).toBe(undefined);
    expect(hireCohort([], '2019-08-08', lookup)).toBe(undefined);
  });
});
