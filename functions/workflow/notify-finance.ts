import { SNSClient } from '@aws-sdk/client-sns';
import { z } from 'zod';
import { requiredEnv } from '#shared/aws';
import { clock } from '#shared/clock';
import { financeMessage } from '#shared/finance-message';
import { publishToFinance } from '#shared/finance-publish';
import { loadPayment, markPaymentNotified } from '#shared/pathway-store';
import { isDependencyOutage, retry } from '#shared/retry';
import { wrapHandler } from '#shared/wrap-handler';

const sns = new SNSClient({});
const topicArn = requiredEnv('FINANCE_TOPIC_ARN');

/**
 * The mark is written after the message went out, so a mark that fails sends the message again: Step Functions
 * would run the whole task again, publish included. A mark refused because DynamoDB is throttling or failing
 * (each attempt already the SDK's own four) is therefore tried again here, and only that: 3 attempts with
 * pauses of at most a second keep even a throttled run inside the function's 10 s timeout. Past them the
 * step ends with RetriesExhausted, which the workflow records instead of retrying: the message went out once.
 */
const markRetry = { attempts: 3, baseDelayMs: 250, maxDelayMs: 1_000, retryable: isDependencyOutage };

const input = z.looseObject({
  referralId: z.string().min(1),
  calculation: z.looseObject({ paymentKeys: z.array(z.string().min(1)).min(1) }),
});

/**
 * Tells finance staff about each payment of a result, one message per payment. A payment already marked as
 * notified is not published again, so retries and replays send nothing twice; the only window left is a
 * crash between the publish and the mark (or a publish whose answer is lost), which is why the message carries
 * the payment id for finance to recognise a repeat.
 */
export const handler = wrapHandler('notify-finance', async (event: unknown) => {
  const { referralId, calculation } = input.parse(event);
  const notified: string[] = [];
  for (const paymentKey of calculation.paymentKeys) {
    const payment = await loadPayment(referralId, paymentKey);
    if (!payment) throw new Error(`Payment ${paymentKey} of referral ${referralId} not found`);
    if (payment.notifiedAt) continue;
    const { subject, message } = financeMessage(payment);
    const messageId = await publishToFinance(sns, topicArn, payment, { subject, message });
    const at = clock.now().toISOString();
    await retry(`mark payment ${payment.paymentId} notified`, markRetry, () =>
      markPaymentNotified(referralId, paymentKey, at, messageId),
    );
    notified.push(payment.paymentId);
  }
  return { notified };
});
