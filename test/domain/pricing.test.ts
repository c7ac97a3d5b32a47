import { describe, expect, it } from 'vitest';
import { addDays } from '#domain/dates';
import {
  boundDates,
  boundOf,
  expectedSaving,
  pricedResults,
  proposedPrices,
  REFERENCE_WEEKS_ON_BENEFIT,
} from '#domain/pricing';
import {
  type PaymentGroup,
  paymentGroupKey,
  paymentGroups,
  type RateCard,
  rateCards,
} from '#domain/rate-card';
import { applyDeadweight, savingsByWeek } from '#domain/savings';

const describeGroup = (g: PaymentGroup) => paymentGroupKey(g);

/** Every version × group × result × date the bound is checked on. */
const cases = rateCards.flatMap((card) =>
  boundDates(card).flatMap((date) =>
    paymentGroups.flatMap((group) => pricedResults.map((result) => ({ card, date, group, result }))),
  ),
);

describe('the bound: a fully sustained result never costs more than the card’s share of what it saves', () => {
  it('is checked for every version, from its effective date every half year, and the day before the next', () => {
    expect(boundDates(rateCards[0] as RateCard)).toEqual([
      ...['2019', '2020', '2021', '2022', '2023', '2024'].flatMap((y) => [`${y}-01-01`, `${y}-07-01`]),
      '2024-12-31',
    ]);
    // The last version: ten years.
    const last = boundDates(rateCards.at(-1) as RateCard);
    expect([last[0], last.at(-1), last.length]).toEqual(['2025-01-01', '2034-07-01', 20]);
    expect(cases.length).toBe((13 + 20) * 16 * 3);
  });

  it.each(rateCards.map((card) => [card.version, cases.filter((c) => c.card === card)] as const))(
    'version %s: every group, every result, every date',
    (_, versionCases) => {
      // Act
      const broken = versionCases
        .map((c) => ({ ...c, bound: boundOf(c.group, c.result, c.date) }))
        .filter((c) => c.bound.costOere > c.bound.limitOere)
        .map(
          (c) =>
            `${c.date} ${describeGroup(c.group)} ${c.result}: ${c.bound.costOere} > ${c.bound.limitOere}`,
        );
      // Assess
      expect(broken).toEqual([]);
    },
  );

  it('fails for a price above it', () => {
    // Prepare: one group's 26-week payment raised by DKK 5,000 in the first version
    const [first, ...rest] = rateCards as [RateCard, ...RateCard[]];
    const group = paymentGroups[0] as PaymentGroup;
    const key = paymentGroupKey(group);
    const prices = first.prices[key];
    const raised: RateCard = {
      ...first,
      prices: {
        ...first.prices,
        [key]: { ...prices, 'sustained-26-weeks': prices['sustained-26-weeks'] + 500_000 },
      },
    };
    // Act
    const bound = boundOf(group, 'full-job', '2019-01-01', [raised, ...rest]);
    // Assess
    expect(bound.costOere).toBeGreaterThan(bound.limitOere);
  });

  it('prices a job that starts under one version and is sustained under the next by both', () => {
    // Prepare: a job starting the day before version 2025-1; its 13- and 26-week payments fall under 2025-1
    const [old, reform] = rateCards as [RateCard, RateCard];
    const group = paymentGroups[0] as PaymentGroup;
    const key = paymentGroupKey(group);
    // Act
    const { costOere } = boundOf(group, 'full-job', addDays(reform.effectiveFrom, -1));
    // Assess
    expect(costOere).toBe(
      old.prices[key]['job-start'] +
        reform.prices[key]['sustained-13-weeks'] +
        reform.prices[key]['sustained-26-weeks'],
    );
  });
});

describe('the price tables', () => {
  it.each(
    rateCards.flatMap((card) => paymentGroups.map((g) => [card.version, describeGroup(g), card, g] as const)),
  )('version %s, %s: the data is what the generator proposes', (_, __, card, group) => {
    expect(card.prices[paymentGroupKey(group)]).toEqual(proposedPrices(group, card));
  });
});

describe('what a result is expected to save', () => {
  it('is the 26 weeks after the result on the long-term tier, after the readiness deadweight', () => {
    // Prepare
    const group: PaymentGroup = {
      benefit: 'kontanthjaelp',
      rateGroup: '30-plus-without-children',
      readiness: 'jobparat',
    };
    const weeks = savingsByWeek({
      benefit: group.benefit,
      rateGroup: group.rateGroup,
      weeksOnBenefitAtReferral: REFERENCE_WEEKS_ON_BENEFIT,
      referredOn: '2026-03-02',
      from: '2026-03-02',
      until: '2026-08-31',
      result: { kind: 'job', hoursPerWeek: 15 },
    });
    // Act
    const saving = expectedSaving(group, { kind: 'job', hoursPerWeek: 15 }, '2026-03-02');
    // Assess: 26 weeks, all at 20 % reimbursement, none retained less; job-ready deadweight 35 %
    expect(weeks.length).toBe(26);
    expect(weeks.every((w) => w.cumulativeWeek >= 53 && w.retentionYears === 0)).toBe(true);
    expect(weeks.every((w) => w.municipalityOere === w.grossOere - Math.round(w.grossOere * 0.2))).toBe(true);
    expect(saving).toBe(
      applyDeadweight(
        weeks.reduce((sum, w) => sum + w.municipalityOere, 0),
        3_500,
      ),
    );
  });

  it('falls with the reform for a part-time job, so the later version prices lower', () => {
    const group = paymentGroups.find(
      (g) =>
        g.benefit === 'integrationsydelse' && g.rateGroup === 'parent' && g.readiness === 'aktivitetsparat',
    ) as PaymentGroup;
    const job = { kind: 'job', hoursPerWeek: 15 } as const;
    expect(expectedSaving(group, job, '2025-07-01')).toBeLessThan(
      expectedSaving(group, job, '2024-12-31') / 2,
    );
  });
});
