import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { z } from 'zod';
import { requiredEnv } from '#shared/aws';
import { clock } from '#shared/clock';
import { financeMessage } from '#shared/finance-message';
import { loadPayment, markPaymentNotified } from '#shared/pathway-store';
import { wrapHandler } from '#shared/wrap-handler';

const sns = new SNSClient({});
const topicArn = requiredEnv('FINANCE_TOPIC_ARN');

const input = z.looseObject({
  referralId: z.string().min(1),
  calculation: z.looseObject({ paymentKeys: z.array(z.string().min(1)).min(1) }),
});

/**
 * Tells finance staff about each payment of a result, one message per payment. A payment already marked as
 * notified is not published again, so retries and replays send nothing twice; the only window left is a
 * crash between the publish and the mark, which is why the message carries the payment id for finance to
 * recognise a repeat.
 */
export const handler = wrapHandler('notify-finance', async (event: unknown) => {
  const { referralId, calculation } = input.parse(event);
  const notified: string[] = [];
  for (const paymentKey of calculation.paymentKeys) {
    const payment = await loadPayment(referralId, paymentKey);
    if (!payment) throw new Error(`Payment ${paymentKey} of referral ${referralId} not found`);
    if (payment.notifiedAt) continue;
    const { subject, message } = financeMessage(payment);
    const { MessageId } = await sns.send(
      new PublishCommand({
        TopicArn: topicArn,
        Subject: subject,
        Message: message,
        MessageAttributes: {
          paymentId: { DataType: 'String', StringValue: payment.paymentId },
          municipality: { DataType: 'String', StringValue: payment.municipality },
          payee: { DataType: 'String', StringValue: payment.payeeId },
        },
      }),
    );
    await markPaymentNotified(referralId, paymentKey, clock.now().toISOString(), MessageId ?? 'unknown');
    notified.push(payment.paymentId);
  }
  return { notified };
});
