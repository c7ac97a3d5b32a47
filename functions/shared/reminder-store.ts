import { ConditionalCheckFailedException, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { ReminderKind } from '#domain/reminders';
import { dynamodb, requiredEnv } from './aws.ts';

/**
 * Which milestone reminders went out (functions/workflow/send-reminder.ts): one item per milestone and kind in
 * the pathway's partition, `REMINDER#<outcomeId>#<weeks>#<kind>`, written once after the message was published.
 * Its key keeps the pathway's items together; it is not an event, so the stream consumers (filtered on
 * `EVENT#` and `FAILURE#` inserts) start nothing from it and the pathway's `eventSeq` does not move.
 */
const tableName = requiredEnv('TABLE_NAME');

export const reminderKey = (referralId: string, outcomeId: string, weeks: number, kind: ReminderKind) => ({
  pk: `REFERRAL#${referralId}`,
  sk: `REMINDER#${outcomeId}#${String(weeks).padStart(2, '0')}#${kind}`,
});

export interface ReminderRecord {
  referralId: string;
  outcomeId: string;
  weeks: number;
  reminder: ReminderKind;
  sentAt: string;
  /** SNS's id of the message: a second message for the same reminder (a crash before this record) shows as such. */
  messageId: string;
}

export async function loadReminder(
  referralId: string,
  outcomeId: string,
  weeks: number,
  kind: ReminderKind,
): Promise<ReminderRecord | undefined> {
  const { Item } = await dynamodb.send(
    new GetItemCommand({
      TableName: tableName,
      Key: marshall(reminderKey(referralId, outcomeId, weeks, kind)),
      ConsistentRead: true,
    }),
  );
  if (!Item) return undefined;
  const { pk: _pk, sk: _sk, kind: _kind, ...rest } = unmarshall(Item);
  return rest as ReminderRecord;
}

/** Records a reminder as sent; one already recorded (an earlier attempt's) stays as it was. */
export async function markReminderSent(reminder: ReminderRecord): Promise<void> {
  try {
    await dynamodb.send(
      new PutItemCommand({
        TableName: tableName,
        Item: marshall({
          ...reminderKey(reminder.referralId, reminder.outcomeId, reminder.weeks, reminder.reminder),
          // `kind` names the item's kind, as on the other items; which reminder it was is `reminder`.
          kind: 'reminder',
          ...reminder,
        }),
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
}
