import { addDays, type IsoDate } from './dates.ts';
import { assertOere, type Oere } from './money.ts';
import type { OutcomeType } from './pathway.ts';

/**
 * The rate card is data: dated versions, each applying to outcomes on or after its effective date. The real
 * programme never published its prices; these defaults are our assumption, sized well under what a result
 * saves the municipality (a cash-benefit recipient aged 30+ without children costs DKK 12,326 a month in 2024,
 * of which the municipality carries 60–80 % after state reimbursement, so six months off benefit saves it
 * roughly DKK 45,000–60,000). The full payment engine (sustainment milestones, caps, double-sided split) builds
 * on this structure.
 */
export interface JobStartRule {
  /** Paid when the job has at least this many hours a week: ordinary unsubsidised employment. */
  minHoursPerWeek: number;
  amountOere: Oere;
  /** Paid for a job below the threshold, at the rate card's stated amount (no rounding needed). */
  partialAmountOere: Oere;
  /** Below this, the job is not counted as a result at all. */
  partialMinHoursPerWeek: number;
}

export interface RateCard {
  version: string;
  effectiveFrom: IsoDate;
  paymentTermDays: number;
  jobStart: JobStartRule;
  educationStart: { amountOere: Oere };
}

export const rateCards: readonly RateCard[] = [
  {
    version: '2019-1',
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
];

/** The version in force on a date: the latest whose effective date is not after it. */
export function rateCardOn(date: IsoDate, cards: readonly RateCard[] = rateCards): RateCard {
  const inForce = cards
    .filter((c) => c.effectiveFrom <= date)
    .sort((a, b) => b.effectiveFrom.localeCompare(a.effectiveFrom));
  const card = inForce[0];
  if (!card) throw new RangeError(`No rate card in force on ${date}`);
  return card;
}

export interface OutcomeFacts {
  type: OutcomeType;
  date: IsoDate;
  hoursPerWeek?: number;
}

/** One result per rule per pathway: the rule is also the payment's key, so it can be written only once. */
export type PaymentRule = 'job-start' | 'job-start-partial' | 'education-start';

export interface PaymentDue {
  rule: PaymentRule;
  amountOere: Oere;
  rateCardVersion: string;
  dueDate: IsoDate;
}

export type PaymentDecision = { due: true; payment: PaymentDue } | { due: false; reason: string };

/**
 * What an outcome earns under the rate card in force on the outcome date. `alreadyPaid` holds the rules
 * already paid on this pathway; a result is paid once, and a partial job result is not paid again after a
 * full one. The payment is due `paymentTermDays` after the outcome was recorded.
 */
export function calculatePayment(
  outcome: OutcomeFacts,
  recordedOn: IsoDate,
  alreadyPaid: ReadonlySet<PaymentRule>,
  cards: readonly RateCard[] = rateCards,
): PaymentDecision {
  const card = rateCardOn(outcome.date, cards);
  const pay = (rule: PaymentRule, amountOere: Oere): PaymentDecision =>
    alreadyPaid.has(rule)
      ? { due: false, reason: `already-paid:${rule}` }
      : {
          due: true,
          payment: {
            rule,
            amountOere: assertOere(amountOere),
            rateCardVersion: card.version,
            dueDate: addDays(recordedOn, card.paymentTermDays),
          },
        };

  switch (outcome.type) {
    case 'dropout':
      return { due: false, reason: 'no-result' };
    case 'education-start':
      return pay('education-start', card.educationStart.amountOere);
    case 'job-start': {
      const hours = outcome.hoursPerWeek ?? 0;
      const rule = card.jobStart;
      if (hours >= rule.minHoursPerWeek) {
        // A full result after a partial one pays the full amount less what the partial one paid.
        if (alreadyPaid.has('job-start-partial') && !alreadyPaid.has('job-start')) {
          return pay('job-start', rule.amountOere - rule.partialAmountOere);
        }
        return pay('job-start', rule.amountOere);
      }
      if (hours >= rule.partialMinHoursPerWeek) {
        if (alreadyPaid.has('job-start')) return { due: false, reason: 'already-paid:job-start' };
        return pay('job-start-partial', rule.partialAmountOere);
      }
      return { due: false, reason: 'below-hours-threshold' };
    }
  }
}
