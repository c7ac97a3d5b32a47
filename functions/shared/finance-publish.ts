import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';

/** What finance's mail rules and a reader of the topic see on every payment message, beside its text. */
export interface PublishedPayment {
  paymentId: string;
  municipality: string;
  payeeId: string;
}

/**
 * Publishes one payment message to the finance topic, with the payment id, municipality and payee as message
 * attributes (finance recognises a repeat by the payment id); answers the message id.
 */
export async function publishToFinance(
  sns: SNSClient,
  topicArn: string,
  payment: PublishedPayment,
  text: { subject: string; message: string },
): Promise<string> {
  const { MessageId } = await sns.send(
    new PublishCommand({
      TopicArn: topicArn,
      Subject: text.subject,
      Message: text.message,
      MessageAttributes: {
        paymentId: { DataType: 'String', StringValue: payment.paymentId },
        municipality: { DataType: 'String', StringValue: payment.municipality },
        payee: { DataType: 'String', StringValue: payment.payeeId },
      },
    }),
  );
  return MessageId ?? 'unknown';
}
