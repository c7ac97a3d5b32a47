import { randomUUID } from 'node:crypto';
import {
  type AttributeValue,
  PutItemCommand,
  QueryCommand,
  type TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { z } from 'zod';
import { type Caller, roles } from '#domain/access';
import { dynamodb, requiredEnv } from './aws.ts';

/**
 * The access log: who read or changed a pathway, when and how — the trail Datatilsynet expects for CPR data.
 * Each entry is an item in the pathway's own partition (`REFERRAL#<id>`), sort key `ACCESS#<at>#<uuid>`, so
 * the entries sort by time and two at the same millisecond never collide. A write adds its entry inside its own
 * transaction (`accessPut`); a read puts its entry before it answers (`recordRead`), and fails if it cannot.
 */
const tableName = requiredEnv('TABLE_NAME');

export const ACCESS_PREFIX = 'ACCESS#';

export const accessActions = [
  'read',
  'refer',
  'record-outcome',
  'record-placement',
  'record-confirmation',
] as const;
export type AccessAction = (typeof accessActions)[number];

export const accessEntry = z.object({
  referralId: z.string().min(1),
  /** ISO 8601 instant, from the handlers' clock. */
  at: z.string().min(1),
  username: z.string().min(1),
  role: z.enum(roles),
  action: z.enum(accessActions),
});
export type AccessEntry = z.infer<typeof accessEntry>;

export function accessEntryOf(
  referralId: string,
  caller: Caller,
  action: AccessAction,
  at: string,
): AccessEntry {
  return { referralId, at, username: caller.username, role: caller.role, action };
}

function accessItem(entry: AccessEntry): Record<string, AttributeValue> {
  return marshall(
    {
      pk: `REFERRAL#${entry.referralId}`,
      sk: `${ACCESS_PREFIX}${entry.at}#${randomUUID()}`,
      kind: 'access',
      ...entry,
    },
    { removeUndefinedValues: true },
  );
}

/** The entry as one item of a write's transaction: the change and its trace are stored together or not at all. */
export function accessPut(entry: AccessEntry): TransactWriteItem {
  return {
    Put: {
      TableName: tableName,
      Item: accessItem(entry),
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/** A read's entry, put before the data is answered: no trace, no data. */
export async function recordRead(referralId: string, caller: Caller, at: string): Promise<void> {
  await dynamodb.send(
    new PutItemCommand({
      TableName: tableName,
      Item: accessItem(accessEntryOf(referralId, caller, 'read', at)),
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
}

/** A pathway's access log, newest first, each entry checked as it is read back. */
export async function listAccess(referralId: string): Promise<AccessEntry[]> {
  const entries: AccessEntry[] = [];
  let startKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await dynamodb.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: marshall({ ':pk': `REFERRAL#${referralId}`, ':prefix': ACCESS_PREFIX }),
        ScanIndexForward: false,
        ConsistentRead: true,
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of page.Items ?? []) {
      const { pk: _pk, sk: _sk, kind: _kind, ...rest } = unmarshall(item);
      entries.push(accessEntry.parse(rest));
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return entries;
}
