import { SNSClient } from '@aws-sdk/client-sns';
import { z } from 'zod';
import { requiredEnv } from '#shared/aws';
import { clock } from '#shared/clock';
import { loadCompanyPayment, markCompanyPaymentNotified } from '#shared/company-payment-store';
import { companyFinanceMessage } from '#shared/finance-message';
import { publishToFinance } from '#shared/finance-publish';
import { isDependencyOutage, retry } from '#shared/retry';
import { wrapHandler } from '#shared/wrap-handler';

const sns = new SNSClient({});
const topicArn = requiredEnv('FINANCE_TOPIC_ARN');

/** As notify-finance: a mark refused by a throttled table is tried again, so the message goes out once. */
const markRetry = { attempts: 3, baseDelayMs: 250, maxDelayMs: 1_000, retryable: isDependencyOutage };

const input = z.looseObject({
  cvr: z.string().regex(/^\d{8}$/),
  cohortId: z.string().min(1),
  calculation: z.looseObject({ paymentKey: z.string().min(1) }),
});

/**
 * Tells finance staff about a company-side payment to the social accelerator, once: a payment already marked as
 * notified is not published again (the message carries the payment id for the crash window between the publish
 * and the mark, as for the citizens' payments).
 */
export const handler = wrapHandler('notify-company-payment', async (event: unknown) => {
  const { cvr, cohortId, calculation } = input.parse(event);
  const payment = await loadCompanyPayment(cvr, cohortId, calculation.paymentKey);
  if (!payment) throw new Error(`Company payment ${calculation.paymentKey} not found`);
  if (payment.notifiedAt) return { notified: [] };
  const { subject, message } = companyFinanceMessage(payment);
  const messageId = await publishToFinance(sns, topicArn, payment, { subject, message });
  const at = clock.now().toISOString();
  await retry(`mark company payment ${payment.paymentId} notified`, markRetry, () =>
    markCompanyPaymentNotified(payment, at, messageId),
  );
  return { notified: [payment.paymentId] };
});
