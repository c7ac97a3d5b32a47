import { z } from 'zod';
import { danishDate } from '#domain/dates';
import { findMunicipality } from '#domain/programme';
import { calculatePayment, type PaymentRule } from '#domain/rate-card';
import { clock } from '#shared/clock';
import { logger } from '#shared/logger';
import { loadPathway, type PaymentRecord, putPaymentOnce } from '#shared/pathway-store';
import { wrapHandler } from '#shared/wrap-handler';

const input = z.looseObject({ referralId: z.string().min(1), outcomeId: z.string().min(1) });

export type Calculation =
  | { paymentId: string; paymentRule: PaymentRule }
  | { paymentId: null; reason: string };

/**
 * The payment machine's first task: price the outcome with the rate card in force on its date and write the
 * payment once. A retry, a replayed execution or a second outcome of the same kind finds the payment already
 * written and never adds another.
 */
/** A refused write means another payment landed meanwhile; a few re-reads settle it. */
const ATTEMPTS = 5;

export const handler = wrapHandler('calculate-payment', async (event: unknown): Promise<Calculation> => {
  const { referralId, outcomeId } = input.parse(event);
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const pathway = await loadPathway(referralId);
    const outcome = pathway?.outcomes.find((o) => o.outcomeId === outcomeId);
    if (!pathway || !outcome) throw new Error(`Outcome ${outcomeId} of referral ${referralId} not found`);

    // A retried or replayed run finds its own payment.
    const earlier = pathway.payments.find((p) => p.outcomeId === outcomeId);
    if (earlier) return { paymentId: earlier.paymentId, paymentRule: earlier.rule };

    const paid = new Set(pathway.payments.map((p) => p.rule));
    const decision = calculatePayment(outcome, danishDate(new Date(outcome.recordedAt)), paid);
    if (!decision.due) return { paymentId: null, reason: decision.reason };

    const { referral } = pathway;
    const municipality = findMunicipality(referral.municipality);
    const payment: PaymentRecord = {
      paymentId: `${referralId}.${decision.payment.rule}`,
      referralId,
      outcomeId,
      outcomeType: outcome.type,
      rule: decision.payment.rule,
      amountOere: decision.payment.amountOere,
      rateCardVersion: decision.payment.rateCardVersion,
      dueDate: decision.payment.dueDate,
      municipality: referral.municipality,
      payeeId: referral.employmentActorId,
      payeeName: municipality?.employmentActor.name ?? referral.employmentActorId,
      createdAt: clock.now().toISOString(),
    };
    if (await putPaymentOnce(payment, referral.paymentSeq ?? 0)) {
      logger.info('Payment recorded', { paymentId: payment.paymentId, amountOere: payment.amountOere });
      return { paymentId: payment.paymentId, paymentRule: payment.rule };
    }
  }
  throw new Error(`Payment for outcome ${outcomeId} kept losing to concurrent payments`);
});
