import {
  DynamoDBClient,
  GetItemCommand,
  QueryCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MilestoneRecord } from '#shared/pathway-store';
import { handler as recordConfirmation } from '../../functions/api/record-confirmation.ts';
import { handler as closeMilestone } from '../../functions/workflow/close-milestone.ts';
import { handler as openMilestone } from '../../functions/workflow/open-milestone.ts';
import { apiEvent, callers, lambdaContext, referralId } from './support.ts';
import { milestoneItem, milestoneRecord, outcomeItem, referralRecord, stateItem } from './support-records.ts';

const dynamo = mockClient(DynamoDBClient);
const outcomeId = '0b7f9a52-2f1c-4e0a-8d55-7a1c9e3b2d10';
const job = {
  referralId,
  outcomeId,
  type: 'job-start' as const,
  date: '2027-01-04',
  hoursPerWeek: 37,
  employer: 'Kolding Bageri ApS',
  recordedAt: '2027-01-04T09:00:00.000Z',
  recordedBy: 'kolding-aktoer',
  phaseAtOutcome: 'induction' as const,
};
const milestone = (overrides: Partial<MilestoneRecord> = {}) => milestoneRecord(outcomeId, overrides);
const writes = () =>
  dynamo.commandCalls(TransactWriteItemsCommand).map((c) => c.args[0].input.TransactItems ?? []);

beforeEach(() => {
  dynamo.reset();
  dynamo.on(TransactWriteItemsCommand).resolves({});
});

describe('open-milestone (sustainment task)', () => {
  it('opens a due milestone for confirmation, with its four-week deadline, and records the event', async () => {
    // Prepare
    dynamo.on(GetItemCommand).resolves({});
    dynamo.on(QueryCommand).resolves({ Items: [stateItem(referralRecord()), outcomeItem(job)] });
    // Act
    const result = await openMilestone({ referralId, outcomeId, weeks: 13 }, lambdaContext);
    // Assess
    // The deadline reminder a week before the last day (domain/reminders.ts).
    expect(result).toEqual({
      open: true,
      deadlineAt: '2027-05-03T22:00:00Z',
      remindAt: '2027-04-25T22:00:00Z',
    });
    const [put, , event] = writes()[0] ?? [];
    expect(unmarshall(put?.Put?.Item ?? {})).toMatchObject({
      sk: `MILESTONE#${outcomeId}#13`,
      status: 'awaiting-confirmation',
      dueOn: '2027-04-05',
      deadlineOn: '2027-05-03',
    });
    expect(unmarshall(event?.Put?.Item ?? {})).toMatchObject({
      kind: 'milestone-opened',
      resultId: `${outcomeId}-w13`,
    });
  });

  it('does not open a milestone of a job that has ended', async () => {
    dynamo.on(GetItemCommand).resolves({});
    dynamo
      .on(QueryCommand)
      .resolves({ Items: [stateItem(referralRecord()), outcomeItem({ ...job, endedOn: '2027-03-01' })] });
    expect(await openMilestone({ referralId, outcomeId, weeks: 26 }, lambdaContext)).toEqual({
      open: false,
      reason: 'job-ended',
    });
    expect(writes()).toHaveLength(0);
  });

  it('gives a late-recorded job its full four weeks to answer', async () => {
    // Prepare: the job started 2027-01-04 but the milestone opens only on 2027-06-01 (recorded late).
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2027-06-01T08:00:00Z'));
    dynamo.on(GetItemCommand).resolves({});
    dynamo.on(QueryCommand).resolves({ Items: [stateItem(referralRecord()), outcomeItem(job)] });
    // Act
    const result = await openMilestone({ referralId, outcomeId, weeks: 13 }, lambdaContext);
    vi.useRealTimers();
    // Assess
    expect(result).toEqual({
      open: true,
      deadlineAt: '2027-06-29T22:00:00Z',
      remindAt: '2027-06-21T22:00:00Z',
    });
    expect(unmarshall(writes()[0]?.[0]?.Put?.Item ?? {}).deadlineOn).toBe('2027-06-29');
  });

  it('opens no milestone for a citizen who dropped out', async () => {
    dynamo.on(GetItemCommand).resolves({});
    dynamo.on(QueryCommand).resolves({
      Items: [
        stateItem(referralRecord({ phase: 'closed', closedReason: 'dropout', phaseEndsOn: null })),
        outcomeItem(job),
      ],
    });
    expect(await openMilestone({ referralId, outcomeId, weeks: 13 }, lambdaContext)).toEqual({
      open: false,
      reason: 'dropped-out',
    });
  });

  it('reports an already opened milestone as open when the task is retried', async () => {
    dynamo.on(GetItemCommand).resolves({ Item: milestoneItem(milestone()) });
    expect(await openMilestone({ referralId, outcomeId, weeks: 13 }, lambdaContext)).toEqual({
      open: true,
      deadlineAt: '2027-05-03T22:00:00Z',
      remindAt: '2027-04-25T22:00:00Z',
    });
    expect(writes()).toHaveLength(0);
  });
});

describe('close-milestone (sustainment task at the deadline)', () => {
  it.each([
    ['confirmed', true],
    ['job-ended', false],
    ['unconfirmed', false],
  ] as const)('a milestone %s goes on to the next: %s', async (status, next) => {
    dynamo.on(GetItemCommand).resolves({ Item: milestoneItem(milestone({ status })) });
    expect(await closeMilestone({ referralId, outcomeId, weeks: 13 }, lambdaContext)).toEqual({
      continue: next,
      status,
    });
    expect(writes()).toHaveLength(0);
  });

  it('marks an unanswered milestone unconfirmed (no payment, follow-up) and stops', async () => {
    // Prepare: first read finds it awaiting, the referral for the event count.
    dynamo
      .on(GetItemCommand)
      .resolvesOnce({ Item: milestoneItem(milestone()) })
      .resolves({ Item: stateItem(referralRecord({ eventSeq: 5 })) });
    // Act
    const result = await closeMilestone({ referralId, outcomeId, weeks: 13 }, lambdaContext);
    // Assess
    expect(result).toEqual({ continue: false, status: 'unconfirmed' });
    const [update, , event] = writes()[0] ?? [];
    expect(update?.Update?.ConditionExpression).toBe('#status = :awaiting');
    expect(unmarshall(event?.Put?.Item ?? {})).toMatchObject({ kind: 'milestone-unconfirmed', seq: 6 });
  });
});

describe('POST /referrals/{id}/confirmations', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2027-04-10T10:00:00Z'));
  });
  afterEach(() => vi.useRealTimers());

  const post = (body: unknown) =>
    recordConfirmation(
      apiEvent({
        method: 'POST',
        path: `/referrals/${referralId}/confirmations`,
        resource: '/referrals/{id}/confirmations',
        pathParameters: { id: referralId },
        body: JSON.stringify(body),
        headers: { 'Content-Type': 'application/json' },
        caller: callers.koldingActor,
      }),
      lambdaContext,
    );
  const pathway = (...milestones: MilestoneRecord[]) => ({
    Items: [
      stateItem(referralRecord({ phase: 'tracking' })),
      outcomeItem(job),
      ...milestones.map(milestoneItem),
    ],
  });

  it('confirms continued employment once, as a result to be paid', async () => {
    // Prepare
    dynamo.on(QueryCommand).resolves(pathway(milestone()));
    // Act
    const response = await post({ milestone: 13, employed: true });
    // Assess
    expect(response.statusCode).toBe(201);
    expect(JSON.parse(response.body)).toEqual({ referralId, outcomeId, milestone: 13, status: 'confirmed' });
    const [update, , event] = writes()[0] ?? [];
    expect(update?.Update?.ConditionExpression).toBe('#status = :awaiting');
    expect(unmarshall(event?.Put?.Item ?? {})).toMatchObject({
      kind: 'milestone-confirmed',
      resultId: `${outcomeId}-w13`,
    });
  });

  it('records that the job has ended, which stops the later milestones', async () => {
    dynamo.on(QueryCommand).resolves(pathway(milestone()));
    const response = await post({ milestone: 13, employed: false, endedOn: '2027-04-01' });
    expect(JSON.parse(response.body).status).toBe('job-ended');
    const items = writes()[0] ?? [];
    expect(unmarshall(items[2]?.Put?.Item ?? {}).kind).toBe('milestone-job-ended');
    expect(unmarshall(items[3]?.Update?.ExpressionAttributeValues ?? {})).toEqual({
      ':endedOn': '2027-04-01',
    });
  });

  it('pays a milestone whose job ended only on or after its due date, and records the end', async () => {
    dynamo.on(QueryCommand).resolves(pathway(milestone()));
    const response = await post({ milestone: 13, employed: false, endedOn: '2027-04-08' });
    expect(JSON.parse(response.body).status).toBe('confirmed');
    const items = writes()[0] ?? [];
    expect(unmarshall(items[2]?.Put?.Item ?? {}).kind).toBe('milestone-confirmed');
    expect(unmarshall(items[3]?.Update?.ExpressionAttributeValues ?? {})).toEqual({
      ':endedOn': '2027-04-08',
    });
  });

  it('refuses a confirmation on a pathway the citizen dropped out of', async () => {
    dynamo.on(QueryCommand).resolves({
      Items: [
        stateItem(referralRecord({ phase: 'closed', closedReason: 'dropout', phaseEndsOn: null })),
        outcomeItem(job),
        milestoneItem(milestone()),
      ],
    });
    expect((await post({ milestone: 13, employed: true })).statusCode).toBe(409);
    expect(writes()).toHaveLength(0);
  });

  it.each([
    [{ milestone: 13, employed: false }, 400, 'endedOn'],
    [{ milestone: 12, employed: true }, 400, 'milestone'],
    [{ milestone: 13, employed: 'yes' }, 400, 'employed'],
    [{ milestone: 26, employed: true }, 409, 'milestone'],
  ])('answers %j with %i on %s', async (body, status, field) => {
    dynamo.on(QueryCommand).resolves(pathway(milestone()));
    const response = await post(body);
    expect(response.statusCode).toBe(status);
    expect(JSON.parse(response.body).errors[0].field).toBe(field);
    expect(writes()).toHaveLength(0);
  });

  it.each([
    ['confirmed', 'allerede besvaret'],
    ['unconfirmed', 'overskredet'],
  ] as const)('refuses a milestone already %s with 409', async (status, text) => {
    dynamo.on(QueryCommand).resolves(pathway(milestone({ status })));
    const response = await post({ milestone: 13, employed: true });
    expect(response.statusCode).toBe(409);
    expect(JSON.parse(response.body).errors[0].message).toContain(text);
  });

  describe('at an education milestone', () => {
    const educationId = '5d1e2c34-9a8b-4c7d-8e6f-0a1b2c3d4e5f';
    const education = {
      ...job,
      outcomeId: educationId,
      type: 'education-start' as const,
      date: '2027-01-11',
      hoursPerWeek: undefined,
      employer: undefined,
    };
    const educationMilestone = milestone({
      outcomeId: educationId,
      dueOn: '2027-04-12',
      deadlineOn: '2027-05-10',
    });
    const withEducation = (...milestones: MilestoneRecord[]) => ({
      Items: [
        stateItem(referralRecord({ phase: 'tracking' })),
        outcomeItem(job),
        outcomeItem(education),
        ...milestones.map(milestoneItem),
      ],
    });

    beforeEach(() => vi.setSystemTime(new Date('2027-04-13T10:00:00Z')));

    it('confirms the citizen still enrolled as the milestone’s result (paid nothing by calculate-payment)', async () => {
      // Prepare
      dynamo.on(QueryCommand).resolves(withEducation(educationMilestone));
      // Act
      const response = await post({ milestone: 13, employed: true });
      // Assess
      expect(response.statusCode).toBe(201);
      expect(JSON.parse(response.body)).toEqual({
        referralId,
        outcomeId: educationId,
        milestone: 13,
        status: 'confirmed',
      });
      expect(unmarshall(writes()[0]?.[2]?.Put?.Item ?? {})).toMatchObject({
        kind: 'milestone-confirmed',
        resultId: `${educationId}-w13`,
      });
    });

    it('records an education dropped before the milestone as ended', async () => {
      dynamo.on(QueryCommand).resolves(withEducation(educationMilestone));
      const response = await post({ milestone: 13, employed: false, endedOn: '2027-03-01' });
      expect(JSON.parse(response.body).status).toBe('job-ended');
      expect(unmarshall(writes()[0]?.[3]?.Update?.ExpressionAttributeValues ?? {})).toEqual({
        ':endedOn': '2027-03-01',
      });
    });

    it.each([
      ['an education', educationId, 'Slutdatoen skal ligge mellem uddannelsesstart og i dag'],
      ['a job', outcomeId, 'Slutdatoen skal ligge mellem jobstart og i dag'],
    ])('refuses an end date before %s started, naming it', async (_, answered, message) => {
      // Prepare: both milestones open; the end date lies before either start.
      dynamo.on(QueryCommand).resolves(withEducation(milestone(), educationMilestone));
      // Act
      const response = await post({
        milestone: 13,
        outcomeId: answered,
        employed: false,
        endedOn: '2027-01-01',
      });
      // Assess
      expect(response.statusCode).toBe(400);
      expect(JSON.parse(response.body).errors).toEqual([{ field: 'endedOn', message }]);
      expect(writes()).toHaveLength(0);
    });

    it('asks which result is meant when a job’s and an education’s milestone both await an answer', async () => {
      dynamo.on(QueryCommand).resolves(withEducation(milestone(), educationMilestone));
      const response = await post({ milestone: 13, employed: true });
      expect(response.statusCode).toBe(400);
      expect(JSON.parse(response.body).errors[0]).toMatchObject({
        field: 'outcomeId',
        message: expect.stringContaining('angiv hvilket resultat'),
      });
      expect(writes()).toHaveLength(0);
    });
  });

  it('refuses a confirmation after the deadline with 409', async () => {
    vi.setSystemTime(new Date('2027-05-04T10:00:00Z'));
    dynamo.on(QueryCommand).resolves(pathway(milestone()));
    expect((await post({ milestone: 13, employed: true })).statusCode).toBe(409);
  });

  it('retries when another event reached the pathway first', async () => {
    dynamo.on(QueryCommand).resolves(pathway(milestone()));
    dynamo
      .on(TransactWriteItemsCommand)
      .rejectsOnce(
        new TransactionCanceledException({
          message: 'cancelled',
          $metadata: {},
          CancellationReasons: [{ Code: 'None' }, { Code: 'ConditionalCheckFailed' }, { Code: 'None' }],
        }),
      )
      .resolves({});
    expect((await post({ milestone: 13, employed: true })).statusCode).toBe(201);
    expect(writes()).toHaveLength(2);
  });
});
