import { describe, expect, it } from 'vitest';
import { formatDkk } from '#domain/money';
import {
  type AlreadyPaid,
  calculatePayment,
  hoursThresholdsOn,
  type PaymentGroup,
  type PaymentGroupKey,
  type PaymentRule,
  paymentGroupKey,
  paymentGroups,
  type RateCard,
  type ResultFacts,
  rateCardOn,
  rateCards,
} from '#domain/rate-card';

/** The same prices for every payment group: the mechanics below do not depend on the group. */
const forEveryGroup = (prices: Record<PaymentRule, number>) =>
  Object.fromEntries(paymentGroups.map((g) => [paymentGroupKey(g), prices])) as Record<
    PaymentGroupKey,
    Record<PaymentRule, number>
  >;

const flat = {
  'job-start': 1_500_000,
  'sustained-13-weeks': 1_000_000,
  'sustained-26-weeks': 1_000_000,
  'job-start-partial': 1_000_000,
  'sustained-13-weeks-partial': 666_667,
  'sustained-26-weeks-partial': 666_667,
  'education-start': 1_000_000,
};
const cardA: RateCard = {
  version: 'A',
  effectiveFrom: '2019-01-01',
  paymentTermDays: 30,
  fullHoursPerWeek: 15,
  partialHoursPerWeek: 10,
  prices: forEveryGroup(flat),
  maxShareOfSavingBasisPoints: 7_500,
  acceleratorShareBasisPoints: 2_500,
  capPerCitizenOere: 4_000_000,
  capPerPlaceOere: 7_000_000,
};
const cardB: RateCard = {
  ...cardA,
  version: 'B',
  effectiveFrom: '2027-01-01',
  paymentTermDays: 14,
  prices: forEveryGroup({ ...flat, 'job-start': 2_000_000 }),
};
const cards = [cardA, cardB];

const group: PaymentGroup = {
  benefit: 'kontanthjaelp',
  rateGroup: '30-plus-without-children',
  readiness: 'aktivitetsparat',
};
/** A result of the reference group. */
const result = (facts: Omit<ResultFacts, 'group'>): ResultFacts => ({ ...facts, group });

/** Rules paid before, at card A's amounts (the amounts matter only for a partial-then-full job). */
const paidRules = (rules: readonly PaymentRule[]) =>
  new Map<PaymentRule, number>(rules.map((r) => [r, flat[r]]));

const nothingPaid = (overrides: Partial<AlreadyPaid> = {}): AlreadyPaid => ({
  byRule: new Map<PaymentRule, number>(),
  citizenOere: 0,
  municipalityOere: 0,
  municipalityPlaces: 2,
  ...overrides,
});

describe('rate card versions', () => {
  it.each([
    ['2026-12-31', 'A'],
    ['2027-01-01', 'B'],
    ['2030-06-01', 'B'],
  ])('on %s version %s is in force', (date, version) => {
    expect(rateCardOn(date, cards).version).toBe(version);
  });

  it('has no card before the first effective date', () => {
    expect(() => rateCardOn('2018-12-31', cards)).toThrow(RangeError);
  });

  it.each([
    ['2019-01-01', '2019-2'],
    ['2024-12-31', '2019-2'],
    ['2025-01-01', '2025-1'],
    ['2035-06-01', '2025-1'],
  ])('on %s the default card is version %s', (date, version) => {
    expect(rateCardOn(date).version).toBe(version);
  });
});

describe('the default cards', () => {
  const jobTotal = (prices: Record<PaymentRule, number>) =>
    prices['job-start'] + prices['sustained-13-weeks'] + prices['sustained-26-weeks'];

  it.each(rateCards.map((card) => [card.version, card] as const))(
    'version %s prices every group in whole hundreds of kroner, a partial job never above a full one',
    (_, card) => {
      for (const g of paymentGroups) {
        const prices = card.prices[paymentGroupKey(g)];
        expect(Object.values(prices).every((oere) => oere > 0 && oere % 10_000 === 0)).toBe(true);
        for (const kind of ['job-start', 'sustained-13-weeks', 'sustained-26-weeks'] as const) {
          expect(prices[`${kind}-partial`]).toBeLessThanOrEqual(prices[kind]);
        }
        expect(prices['education-start']).toBeLessThanOrEqual(jobTotal(prices));
      }
    },
  );

  it.each(rateCards.map((card) => [card.version, card] as const))(
    'version %s caps a citizen at no less than the largest full job and education, a place at two full results',
    (_, card) => {
      const all = Object.values(card.prices);
      const largestJob = Math.max(...all.map(jobTotal));
      const largestEducation = Math.max(...all.map((p) => p['education-start']));
      expect(card.capPerCitizenOere).toBeGreaterThanOrEqual(largestJob + largestEducation);
      expect(card.capPerPlaceOere).toBeGreaterThanOrEqual(2 * Math.max(largestJob, largestEducation));
      expect(card.acceleratorShareBasisPoints).toBe(2_500);
    },
  );

  it('prices a group by its readiness: a job-ready citizen, more often a result without the programme, pays less', () => {
    const card = rateCardOn('2026-11-02');
    const of = (readiness: PaymentGroup['readiness']) =>
      card.prices[paymentGroupKey({ ...group, readiness })];
    expect(jobTotal(of('jobparat'))).toBeLessThan(jobTotal(of('aktivitetsparat')));
  });
});

describe('payment per result', () => {
  it.each([
    // kind, hours, accelerator, paid before, expected [rule, payee, amount][]
    ['job-start', 37, false, [], [['job-start', 'employment-actor', 1_500_000]]],
    ['job-start', 15, false, [], [['job-start', 'employment-actor', 1_500_000]]],
    ['job-start', 14, false, [], [['job-start-partial', 'employment-actor', 1_000_000]]],
    ['job-start', 10, false, [], [['job-start-partial', 'employment-actor', 1_000_000]]],
    ['job-start', 37, false, ['job-start-partial'], [['job-start', 'employment-actor', 500_000]]],
    [
      'job-start',
      37,
      true,
      [],
      [
        ['job-start', 'employment-actor', 1_125_000],
        ['job-start', 'social-accelerator', 375_000],
      ],
    ],
    ['sustained-13-weeks', 12, false, [], [['sustained-13-weeks-partial', 'employment-actor', 666_667]]],
    [
      'sustained-26-weeks',
      30,
      true,
      ['sustained-13-weeks'],
      [
        ['sustained-26-weeks', 'employment-actor', 750_000],
        ['sustained-26-weeks', 'social-accelerator', 250_000],
      ],
    ],
    ['education-start', undefined, true, [], [['education-start', 'employment-actor', 1_000_000]]],
  ] as const)(
    '%s, %s h/week, accelerator employer %s, paid before %j → %j',
    (kind, hours, accelerator, before, expected) => {
      // Act
      const decision = calculatePayment(
        result({ kind, date: '2026-11-02', hoursPerWeek: hours, hiredByAcceleratorCompany: accelerator }),
        '2026-11-02',
        nothingPaid({ byRule: paidRules(before) }),
        cards,
      );
      // Assess
      expect(decision.due).toBe(true);
      if (!decision.due) return;
      expect(decision.payments.map((p) => [p.rule, p.payee, p.amountOere])).toEqual(expected);
      expect(decision.payments.every((p) => p.rateCardVersion === 'A' && p.dueDate === '2026-12-02')).toBe(
        true,
      );
    },
  );

  it("prices a result at its own payment group's amount", () => {
    // Prepare: card A with a lower job start for job-ready citizens under 30 living with their parents
    const young: PaymentGroup = {
      benefit: 'kontanthjaelp',
      rateGroup: 'under-30-living-with-parents',
      readiness: 'jobparat',
    };
    const priced: RateCard = {
      ...cardA,
      prices: { ...cardA.prices, [paymentGroupKey(young)]: { ...flat, 'job-start': 350_000 } },
    };
    const facts = { kind: 'job-start', date: '2026-11-02', hoursPerWeek: 37 } as const;
    // Act
    const amounts = [young, group].map((g) => {
      const decision = calculatePayment({ ...facts, group: g }, '2026-11-02', nothingPaid(), [priced]);
      return decision.due && decision.payments[0]?.amountOere;
    });
    // Assess
    expect(amounts).toEqual([350_000, 1_500_000]);
  });

  it('prices by the card in force on the result date and dues by its payment term', () => {
    const decision = calculatePayment(
      result({ kind: 'job-start', date: '2027-01-04', hoursPerWeek: 37 }),
      '2027-01-05',
      nothingPaid(),
      cards,
    );
    expect(decision).toEqual({
      due: true,
      payments: [
        {
          rule: 'job-start',
          payee: 'employment-actor',
          amountOere: 2_000_000,
          rateCardVersion: 'B',
          dueDate: '2027-01-19',
        },
      ],
    });
  });

  it.each([
    ['job-start', 9, [], 'below-hours-threshold'],
    ['job-start', 37, ['job-start'], 'already-paid:job-start'],
    ['job-start', 12, ['job-start'], 'already-paid:job-start'],
    ['job-start', 12, ['job-start-partial'], 'already-paid:job-start-partial'],
    ['education-start', 0, ['education-start'], 'already-paid:education-start'],
    ['sustained-13-weeks', 37, ['sustained-13-weeks'], 'already-paid:sustained-13-weeks'],
  ] as const)('%s with %i h/week (paid before: %j) pays nothing: %s', (kind, hours, before, reason) => {
    expect(
      calculatePayment(
        result({ kind, date: '2026-11-02', hoursPerWeek: hours }),
        '2026-11-02',
        nothingPaid({ byRule: paidRules(before) }),
        cards,
      ),
    ).toEqual({ due: false, reason });
  });
});

describe('caps', () => {
  it.each([
    // citizen paid, municipality paid, places, expected amount (null: nothing), capped from
    [3_500_000, 3_500_000, 2, 500_000, 1_500_000],
    [4_000_000, 4_000_000, 2, null, null],
    [0, 6_900_000, 1, 100_000, 1_500_000],
    [0, 7_000_000, 1, null, null],
    [0, 7_000_000, 2, 1_500_000, null],
  ])(
    'citizen %i, municipality %i with %i places: job start pays %s',
    (citizen, municipality, places, amount, cappedFrom) => {
      // Act
      const decision = calculatePayment(
        result({ kind: 'job-start', date: '2026-11-02', hoursPerWeek: 37 }),
        '2026-11-02',
        nothingPaid({ citizenOere: citizen, municipalityOere: municipality, municipalityPlaces: places }),
        cards,
      );
      // Assess
      if (amount === null) {
        expect(decision).toEqual({ due: false, reason: 'cap-reached' });
        return;
      }
      const payment = decision.due ? decision.payments[0] : undefined;
      expect(payment?.amountOere).toBe(amount);
      expect(payment?.cappedFromOere ?? null).toBe(cappedFrom);
    },
  );

  it('splits a capped job result between the employment actor and the accelerator, adding up to the cap', () => {
    const decision = calculatePayment(
      result({ kind: 'job-start', date: '2026-11-02', hoursPerWeek: 37, hiredByAcceleratorCompany: true }),
      '2026-11-02',
      nothingPaid({ citizenOere: 3_500_001 }),
      cards,
    );
    expect(decision.due && decision.payments.map((p) => p.amountOere)).toEqual([374_999, 125_000]);
  });
});

describe('results paid before', () => {
  it('takes off what a partial job start actually paid, under its own card version', () => {
    // Prepare: a partial job start paid DKK 10,000 under card A; the full one comes under card B (DKK 20,000).
    const paid = nothingPaid({ byRule: new Map<PaymentRule, number>([['job-start-partial', 1_000_000]]) });
    // Act
    const decision = calculatePayment(
      result({ kind: 'job-start', date: '2027-02-01', hoursPerWeek: 37 }),
      '2027-02-01',
      paid,
      cards,
    );
    // Assess
    expect(decision.due && decision.payments.map((p) => [p.rule, p.amountOere, p.rateCardVersion])).toEqual([
      ['job-start', 1_000_000, 'B'],
    ]);
  });

  it('records, on each capped payee line, its own share of the rate card amount', () => {
    const decision = calculatePayment(
      result({ kind: 'job-start', date: '2026-11-02', hoursPerWeek: 37, hiredByAcceleratorCompany: true }),
      '2026-11-02',
      nothingPaid({ citizenOere: 3_500_000 }),
      cards,
    );
    expect(decision.due && decision.payments.map((p) => [p.payee, p.amountOere, p.cappedFromOere])).toEqual([
      ['employment-actor', 375_000, 1_125_000],
      ['social-accelerator', 125_000, 375_000],
    ]);
  });
});

describe('money', () => {
  it('keeps every amount in whole øre and formats it the Danish way', () => {
    expect(formatDkk(2_500_000).replace(/\s/g, ' ')).toBe('25.000,00 kr.');
    expect(() => formatDkk(10.5)).toThrow(RangeError);
  });
});

describe('before the first rate card', () => {
  const group: PaymentGroup = {
    benefit: 'kontanthjaelp',
    rateGroup: '30-plus-without-children',
    readiness: 'jobparat',
  };
  const nothingPaid: AlreadyPaid = {
    byRule: new Map(),
    citizenOere: 0,
    municipalityOere: 0,
    municipalityPlaces: 1,
  };

  it.each([
    ['2018-12-31', 15, 10],
    ['2019-01-01', 15, 10],
  ])('on %s a job is ordinary from %i hours, partial from %i', (date, full, partial) => {
    expect(hoursThresholdsOn(date)).toMatchObject({ fullHoursPerWeek: full, partialHoursPerWeek: partial });
  });

  it('prices nothing for a result dated before any card, and says why', () => {
    // Act
    const decision = calculatePayment(
      { kind: 'job-start', group, date: '2018-12-31', hoursPerWeek: 37 },
      '2018-12-31',
      nothingPaid,
    );

    // Assess
    expect(decision).toEqual({ due: false, reason: 'no-rate-card' });
  });
});
