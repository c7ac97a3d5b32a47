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
  calculation: z.looseObject({
    paymentId: z.string().min(1),
    paymentRule: z.enum(['job-start', 'job-start-partial', 'education-start']),
  }),
});

/**
 * Tells finance staff about one payment. A payment already marked as notified is not published again, so
 * retries and replays send nothing twice; the only window left is a crash between the publish and the mark,
 * which is why the message carries the payment id for finance to recognise a repeat.
 */
export const handler = wrapHandler('notify-finance', async (event: unknown) => {
  const { referralId, calculation } = input.parse(event);
  const payment = await loadPayment(referralId, calculation.paymentRule);
  if (!payment) throw new Error(`Payment ${calculation.paymentId} not found`);
  if (payment.notifiedAt)
    return { notified: false, reason: 'already-notified', paymentId: payment.paymentId };

  const { subject, message } = financeMessage(payment);
  const { MessageId } = await sns.send(
    new PublishCommand({
      TopicArn: topicArn,
      Subject: subject,
      Message: message,
      MessageAttributes: {
        paymentId: { DataType: 'String', StringValue: payment.paymentId },
        municipality: { DataType: 'String', StringValue: payment.municipality },
      },
    }),
  );
  await markPaymentNotified(referralId, payment.rule, clock.now().toISOString(), MessageId ?? 'unknown');
  return { notified: true, paymentId: payment.paymentId, messageId: MessageId };
});
