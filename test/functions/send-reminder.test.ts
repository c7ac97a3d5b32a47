import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  GetItemCommand,
  ProvisionedThroughputExceededException,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MilestoneRecord } from '#shared/pathway-store';
import { lambdaContext, referralId } from './support.ts';
import { milestoneItem, milestoneRecord, referralRecord, stateItem } from './support-records.ts';

const dynamo = mockClient(DynamoDBClient);
const sns = mockClient(SNSClient);
const outcomeId = '0b7f9a52-2f1c-4e0a-8d55-7a1c9e3b2d10';
const topicArn = 'arn:aws:sns:eu-north-1:000000000000:reminders';
let sendReminder: (event: unknown, context: typeof lambdaContext) => Promise<unknown>;

beforeAll(async () => {
  // The handler reads its topic when its module loads; vitest.config.ts names only the other handlers' topics.
  vi.stubEnv('REMINDER_TOPIC_ARN', topicArn);
  ({ handler: sendReminder } = await import('../../functions/workflow/send-reminder.ts'));
});

/** GetItem answers by key: the milestone, the referral and (when sent already) the reminder's record. */
function table(milestone: Partial<MilestoneRecord>, sent?: { messageId: string }) {
  dynamo.on(GetItemCommand).callsFake((input: { Key: Record<string, unknown> }) => {
    const { sk } = unmarshall(input.Key as never) as { sk: string };
    if (sk.startsWith('MILESTONE#')) return { Item: milestoneItem(milestoneRecord(outcomeId, milestone)) };
    if (sk === 'STATE') return { Item: stateItem(referralRecord()) };
    if (sk.startsWith('REMINDER#') && sent) return { Item: marshall({ pk: 'x', sk, ...sent }) };
    return {};
  });
}

const event = (kind: string) => ({ referralId, outcomeId, weeks: 13, kind });

beforeEach(() => {
  dynamo.reset();
  sns.reset();
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2027-04-26T06:00:00Z'));
  sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
  dynamo.on(PutItemCommand).resolves({});
});

afterEach(() => {
  vi.useRealTimers();
});

describe('send-reminder (sustainment task)', () => {
  it('publishes the reminder to its municipality and audience, then records it with the message id', async () => {
    // Prepare
    table({});

    // Act
    const result = await sendReminder(event('deadline-approaching'), lambdaContext);

    // Assess
    expect(result).toEqual({ sent: true, messageId: 'm-1' });
    const published = sns.commandCalls(PublishCommand)[0]?.args[0].input;
    expect(published?.TopicArn).toBe(topicArn);
    expect(published?.MessageAttributes).toMatchObject({
      municipality: { DataType: 'String', StringValue: '621' },
      audience: { DataType: 'String', StringValue: 'employment-actor' },
      reminder: { DataType: 'String', StringValue: 'deadline-approaching' },
    });
    expect(published?.Subject).toMatch(/^[\x20-\x7e]+$/);
    expect(published?.Message).toContain(`Borgerreference (forløb): ${referralId}`);
    expect(published?.Message).not.toContain('Anna');
    const put = dynamo.commandCalls(PutItemCommand)[0]?.args[0].input;
    expect(put?.ConditionExpression).toBe('attribute_not_exists(pk)');
    expect(unmarshall(put?.Item ?? {})).toMatchObject({
      sk: `REMINDER#${outcomeId}#13#deadline-approaching`,
      kind: 'reminder',
      reminder: 'deadline-approaching',
      messageId: 'm-1',
    });
  });

  it('publishes nothing for a reminder already recorded (a retried or rerun step)', async () => {
    // Prepare
    table({}, { messageId: 'm-0' });

    // Act
    const result = await sendReminder(event('milestone-opened'), lambdaContext);

    // Assess
    expect(result).toEqual({ sent: false, reason: 'already-sent' });
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
    expect(dynamo.commandCalls(PutItemCommand)).toHaveLength(0);
  });

  it.each([
    ['deadline-approaching', { status: 'confirmed' as const }, 'already-answered'],
    ['milestone-opened', { status: 'job-ended' as const }, 'already-answered'],
    ['milestone-lapsed', { status: 'confirmed' as const }, 'not-lapsed'],
    ['deadline-approaching', { deadlineOn: '2027-04-25' }, 'deadline-passed'],
  ])('sends no %s for a milestone %o (%s)', async (kind, milestone, reason) => {
    // Prepare
    table(milestone);

    // Act
    const result = await sendReminder(event(kind), lambdaContext);

    // Assess
    expect(result).toEqual({ sent: false, reason });
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
  });

  it('records a reminder whose first record was throttled without publishing it again', async () => {
    // Prepare
    table({ status: 'unconfirmed' });
    dynamo
      .on(PutItemCommand)
      .rejectsOnce(new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} }))
      .resolves({});

    // Act
    const result = await sendReminder(event('milestone-lapsed'), lambdaContext);

    // Assess
    expect(result).toEqual({ sent: true, messageId: 'm-1' });
    expect(sns.commandCalls(PublishCommand)).toHaveLength(1);
    expect(sns.commandCalls(PublishCommand)[0]?.args[0].input.MessageAttributes?.audience?.StringValue).toBe(
      'caseworker',
    );
    expect(dynamo.commandCalls(PutItemCommand)).toHaveLength(2);
  });

  it('takes a record written meanwhile by another attempt as done', async () => {
    // Prepare
    table({});
    dynamo
      .on(PutItemCommand)
      .rejects(new ConditionalCheckFailedException({ message: 'exists', $metadata: {} }));

    // Act / Assess
    await expect(sendReminder(event('milestone-opened'), lambdaContext)).resolves.toEqual({
      sent: true,
      messageId: 'm-1',
    });
  });

  it('refuses an unknown reminder kind', async () => {
    // Act / Assess
    await expect(sendReminder(event('daily-digest'), lambdaContext)).rejects.toThrow();
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
  });
});
