import { DynamoDBClient, GetItemCommand, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { handler } from '../../functions/api/record-outcome.ts';
import { apiEvent, callers, lambdaContext, referralId } from './support.ts';
import { referralRecord, stateItem } from './support-records.ts';

const dynamo = mockClient(DynamoDBClient);

const post = (body: unknown, id = referralId) =>
  handler(
    apiEvent({
      method: 'POST',
      path: `/referrals/${id}/outcomes`,
      resource: '/referrals/{id}/outcomes',
      pathParameters: { id },
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json' },
      caller: callers.koldingCaseworker,
    }),
    lambdaContext,
  );

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2026-11-26T10:00:00Z'));
  dynamo.reset();
  dynamo.on(GetItemCommand).resolves({ Item: stateItem(referralRecord()) });
  dynamo.on(TransactWriteItemsCommand).resolves({});
});

afterEach(() => vi.useRealTimers());

const written = () => dynamo.commandCalls(TransactWriteItemsCommand)[0]?.args[0].input.TransactItems ?? [];

describe('POST /referrals/{id}/outcomes', () => {
  it('closes the pathway on a drop-out at once, frees the place and releases the citizen', async () => {
    // Act
    const response = await post({ type: 'dropout', date: '2026-11-02' });
    // Assess
    expect(response.statusCode).toBe(201);
    expect(JSON.parse(response.body)).toMatchObject({ type: 'dropout', phase: 'closed' });
    const items = written();
    expect(items[0]?.Update?.ConditionExpression).toBe('eventSeq = :expected AND phase <> :closed');
    expect(unmarshall(items[0]?.Update?.ExpressionAttributeValues ?? {})).toMatchObject({
      ':phase': 'closed',
      ':reason': 'dropout',
    });
    expect(unmarshall(items[3]?.Put?.Item ?? {})).toMatchObject({
      kind: 'phase-started',
      phase: 'closed',
      trigger: 'outcome',
    });
    expect(items[4]?.Update?.UpdateExpression).toBe('SET placesTaken = placesTaken - :one');
    expect(items[5]?.Delete?.Key?.pk).toEqual({ S: 'CITIZEN#citizen-key' });
  });

  it('moves an early job start to tracking at once and keeps the place', async () => {
    const response = await post({
      type: 'job-start',
      date: '2026-11-02',
      hoursPerWeek: 37,
      employer: 'Kolding Bageri ApS',
    });
    expect(JSON.parse(response.body).phase).toBe('tracking');
    const items = written();
    expect(unmarshall(items[3]?.Put?.Item ?? {})).toMatchObject({
      phase: 'tracking',
      startedOn: '2026-11-02',
      endsOn: '2027-05-02',
    });
    expect(items.some((i) => i.Update?.UpdateExpression?.includes('placesTaken'))).toBe(false);
  });

  it.each([
    [{ type: 'job-start', date: '2026-11-02' }, ['hoursPerWeek', 'employer']],
    [{ type: 'promotion', date: '2026-11-02' }, ['type']],
    [{ type: 'dropout', date: '2026-11-27' }, ['date']],
    [{ type: 'dropout', date: '2026-08-31' }, ['date']],
    [{ type: 'dropout', date: '02-11-2026' }, ['date']],
  ])('refuses %j with 400 on %j and writes nothing', async (body, fields) => {
    const response = await post(body);
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body).errors.map((e: { field: string }) => e.field)).toEqual(fields);
    expect(dynamo.commandCalls(TransactWriteItemsCommand)).toHaveLength(0);
  });

  it('answers 409 on a closed pathway', async () => {
    dynamo
      .on(GetItemCommand)
      .resolves({ Item: stateItem(referralRecord({ phase: 'closed', phaseEndsOn: null })) });
    const response = await post({ type: 'dropout', date: '2026-11-02' });
    expect(response.statusCode).toBe(409);
  });

  it('answers 404 for an unknown or malformed id', async () => {
    dynamo.on(GetItemCommand).resolves({});
    expect((await post({ type: 'dropout', date: '2026-11-02' })).statusCode).toBe(404);
    expect((await post({ type: 'dropout', date: '2026-11-02' }, 'not-an-id')).statusCode).toBe(404);
  });
});
