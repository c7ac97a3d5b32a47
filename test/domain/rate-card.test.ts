import { describe, expect, it } from 'vitest';
import { formatDkk } from '#domain/money';
import { calculatePayment, type PaymentRule, type RateCard, rateCardOn } from '#domain/rate-card';

const cards: RateCard[] = [
  {
    version: 'A',
    effectiveFrom: '2019-01-01',
    paymentTermDays: 30,
    jobStart: {
      minHoursPerWeek: 15,
      amountOere: 2_500_000,
      partialMinHoursPerWeek: 10,
      partialAmountOere: 1_650_000,
    },
    educationStart: { amountOere: 1_500_000 },
  },
  {
    version: 'B',
    effectiveFrom: '2027-01-01',
    paymentTermDays: 14,
    jobStart: {
      minHoursPerWeek: 20,
      amountOere: 3_000_000,
      partialMinHoursPerWeek: 12,
      partialAmountOere: 2_000_000,
    },
    educationStart: { amountOere: 1_000_000 },
  },
];

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
});

describe('payment per outcome', () => {
  const none = new Set<PaymentRule>();
  it.each([
    // type, date, hours, already paid, expected rule, amount, version, due
    ['job-start', '2026-11-02', 37, [], 'job-start', 2_500_000, 'A', '2026-12-02'],
    ['job-start', '2026-11-02', 15, [], 'job-start', 2_500_000, 'A', '2026-12-02'],
    ['job-start', '2026-11-02', 14, [], 'job-start-partial', 1_650_000, 'A', '2026-12-02'],
    ['job-start', '2026-11-02', 10, [], 'job-start-partial', 1_650_000, 'A', '2026-12-02'],
    ['job-start', '2026-11-02', 37, ['job-start-partial'], 'job-start', 850_000, 'A', '2026-12-02'],
    ['job-start', '2027-01-01', 19, [], 'job-start-partial', 2_000_000, 'B', '2026-11-16'],
    ['education-start', '2026-11-02', undefined, [], 'education-start', 1_500_000, 'A', '2026-12-02'],
  ] as const)(
    '%s on %s with %s h/week (paid before: %j) pays %s %i øre under %s',
    (type, date, hours, paid, rule, amount, version, due) => {
      // Act
      const decision = calculatePayment(
        { type, date, hoursPerWeek: hours },
        '2026-11-02',
        new Set<PaymentRule>(paid),
        cards,
      );
      // Assess
      expect(decision).toEqual({
        due: true,
        payment: { rule, amountOere: amount, rateCardVersion: version, dueDate: due },
      });
    },
  );

  it('sets the due date by the payment term of the card in force', () => {
    const a = calculatePayment(
      { type: 'job-start', date: '2026-11-02', hoursPerWeek: 37 },
      '2026-11-02',
      none,
      cards,
    );
    const b = calculatePayment(
      { type: 'job-start', date: '2027-01-04', hoursPerWeek: 37 },
      '2027-01-05',
      none,
      cards,
    );
    expect(a.due && a.payment.dueDate).toBe('2026-12-02');
    expect(b.due && b.payment.dueDate).toBe('2027-01-19');
  });

  it.each([
    ['dropout', 0, [], 'no-result'],
    ['job-start', 9, [], 'below-hours-threshold'],
    ['job-start', 37, ['job-start'], 'already-paid:job-start'],
    ['job-start', 12, ['job-start'], 'already-paid:job-start'],
    ['job-start', 12, ['job-start-partial'], 'already-paid:job-start-partial'],
    ['education-start', 0, ['education-start'], 'already-paid:education-start'],
  ] as const)('%s with %i h/week (paid before: %j) pays nothing: %s', (type, hours, paid, reason) => {
    expect(
      calculatePayment(
        { type, date: '2026-11-02', hoursPerWeek: hours },
        '2026-11-02',
        new Set<PaymentRule>(paid),
        cards,
      ),
    ).toEqual({
      due: false,
      reason,
    });
  });

  it('keeps every amount in whole øre and formats it the Danish way', () => {
    expect(formatDkk(2_500_000).replace(/\s/g, ' ')).toBe('25.000,00 kr.');
    expect(() => formatDkk(10.5)).toThrow(RangeError);
  });
});
