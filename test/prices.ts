import type { IsoDate } from '#domain/dates';
import { type Oere, shareOf } from '#domain/money';
import {
  type Payee,
  type PaymentGroup,
  type PaymentRule,
  paymentGroupKey,
  type ResultKind,
  rateCardOn,
} from '#domain/rate-card';
import { sustainmentMilestones } from '#domain/sustainment';

/**
 * Expected payments derived from the default rate card, so a price change does not ripple through the tests.
 * The test referrals' payment group: kontanthjælp, 30 or over without children, aktivitetsparat
 * (test/functions/support.ts, test/integration/local-system.ts).
 */
export const testGroup: PaymentGroup = {
  benefit: 'kontanthjaelp',
  rateGroup: '30-plus-without-children',
  readiness: 'aktivitetsparat',
};

/** What the card in force on the result's date pays for a rule. */
export function priceOf(rule: PaymentRule, date: IsoDate, group: PaymentGroup = testGroup): Oere {
  return rateCardOn(date).prices[paymentGroupKey(group)][rule];
}

/** A job result with an accelerator company: [employment actor, social accelerator]. */
export function acceleratorSplit(
  rule: PaymentRule,
  date: IsoDate,
  group: PaymentGroup = testGroup,
): [Oere, Oere] {
  const amount = priceOf(rule, date, group);
  const accelerator = shareOf(amount, rateCardOn(date).acceleratorShareBasisPoints);
  return [amount - accelerator, accelerator];
}

type JobKind = Exclude<ResultKind, 'education-start'>;

/**
 * The payments of a job started on `date` and sustained to 26 weeks, each priced on its own date (the start, then
 * each milestone's due date): [rule, payee, amount], the accelerator's share split off for an accelerator company.
 */
export function sustainedJobPayments(
  date: IsoDate,
  { partial = false, accelerator = false }: { partial?: boolean; accelerator?: boolean } = {},
): Array<[PaymentRule, Payee, Oere]> {
  const results: Array<[JobKind, IsoDate]> = [
    ['job-start', date],
    ...sustainmentMilestones(date).map((m): [JobKind, IsoDate] => [
      m.weeks === 13 ? 'sustained-13-weeks' : 'sustained-26-weeks',
      m.dueOn,
    ]),
  ];
  return results.flatMap(([kind, on]): Array<[PaymentRule, Payee, Oere]> => {
    const rule: PaymentRule = partial ? `${kind}-partial` : kind;
    if (!accelerator) return [[rule, 'employment-actor', priceOf(rule, on)]];
    const [actor, share] = acceleratorSplit(rule, on);
    return [
      [rule, 'employment-actor', actor],
      [rule, 'social-accelerator', share],
    ];
  });
}
