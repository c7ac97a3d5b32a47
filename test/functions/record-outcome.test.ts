import { createHash } from 'node:crypto';
import {
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { outcomeFields } from '#shared/validation';
import { handler } from '../../functions/api/record-outcome.ts';
import { apiEvent, callers, lambdaContext, referralId } from './support.ts';
import { outcomeItem, referralRecord, stateItem } from './support-records.ts';

const dynamo = mockClient(DynamoDBClient);

const post = (body: unknown, id = referralId, headers: Record<string, string> = {}) =>
  handler(
    apiEvent({
      method: 'POST',
      path: `/referrals/${id}/outcomes`,
      resource: '/referrals/{id}/outcomes',
      pathParameters: { id },
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json', ...headers },
      caller: callers.koldingCaseworker,
    }),
    lambdaContext,
  );

/** The pathway as the one query reads it (a drop-out reads the whole pathway, for its jobs). */
const pathwayItems = (state = referralRecord(), ...outcomes: Parameters<typeof outcomeItem>[0][]) => ({
  Items: [...outcomes.map(outcomeItem), stateItem(state)],
});

const fullJob = {
  referralId,
  type: 'job-start' as const,
  date: '2026-11-02',
  hoursPerWeek: 37,
  recordedAt: '2026-11-02T10:00:00.000Z',
  recordedBy: 'kolding-sagsbehandler',
  phaseAtOutcome: 'training' as const,
};

/** The fingerprint a drop-out is stored with: a hash of its validated fields (functions/shared/idempotency.ts). */
const fingerprintOf = (body = { type: 'dropout', date: '2026-11-02' }) =>
  createHash('sha256')
    .update(JSON.stringify(outcomeFields.parse(body)))
    .digest('hex');

const refusedBy = (...reasons: string[]) =>
  new TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: {},
    CancellationReasons: reasons.map((Code) => ({ Code })),
  });

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2026-11-26T10:00:00Z'));
  dynamo.reset();
  dynamo.on(GetItemCommand).resolves({ Item: stateItem(referralRecord()) });
  dynamo.on(QueryCommand).resolves(pathwayItems());
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
    dynamo.on(QueryCommand).resolves(pathwayItems(referralRecord({ phase: 'closed', phaseEndsOn: null })));
    const response = await post({ type: 'dropout', date: '2026-11-02' });
    expect(response.statusCode).toBe(409);
  });

  it('answers 404 for an unknown or malformed id', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [] });
    expect((await post({ type: 'dropout', date: '2026-11-02' })).statusCode).toBe(404);
    expect((await post({ type: 'dropout', date: '2026-11-02' }, 'not-an-id')).statusCode).toBe(404);
  });

  it('makes a followed job the running job, on condition that none runs', async () => {
    // Act
    const response = await post({ type: 'job-start', date: '2026-11-02', hoursPerWeek: 12, employer: 'X' });
    // Assess
    const { outcomeId } = JSON.parse(response.body);
    const state = written()[0]?.Update;
    expect(state?.ConditionExpression).toBe(
      'eventSeq = :expected AND phase <> :closed AND attribute_not_exists(runningJob)',
    );
    expect(state?.UpdateExpression).toContain(', runningJob = :runningJob');
    expect(unmarshall(state?.ExpressionAttributeValues ?? {})[':runningJob']).toEqual({
      outcomeId,
      date: '2026-11-02',
    });
  });

  it('records a job below the hours threshold only while no job runs, and does not follow it', async () => {
    // Act
    await post({ type: 'job-start', date: '2026-11-02', hoursPerWeek: 5, employer: 'X' });
    // Assess
    const state = written()[0]?.Update;
    expect(state?.ConditionExpression).toContain('attribute_not_exists(runningJob)');
    expect(state?.UpdateExpression).toBe('SET eventSeq = :newSeq');
  });

  it('refuses a job start with 409 while a job runs, and writes nothing', async () => {
    // Prepare
    dynamo.on(GetItemCommand).resolves({
      Item: stateItem(referralRecord({ runningJob: { outcomeId: 'o-1', date: '2026-10-05' } })),
    });
    // Act
    const response = await post({ type: 'job-start', date: '2026-11-02', hoursPerWeek: 37, employer: 'X' });
    // Assess
    expect(response.statusCode).toBe(409);
    expect(JSON.parse(response.body).errors).toEqual([
      {
        field: 'type',
        message:
          'Borgeren er allerede i et job, som følges op (jobstart 2026-10-05). Et nyt job kan registreres, når en milepæl har meldt det første job ophørt.',
      },
    ]);
    expect(dynamo.commandCalls(TransactWriteItemsCommand)).toHaveLength(0);
  });

  it('refuses the job start that lost a race to another one (no key): reads again and finds the job', async () => {
    // Prepare: the first write loses to a concurrent job start; the second read sees it.
    dynamo
      .on(GetItemCommand)
      .resolvesOnce({ Item: stateItem(referralRecord()) })
      .resolves({
        Item: stateItem(
          referralRecord({ eventSeq: 4, runningJob: { outcomeId: 'o-1', date: '2026-11-02' } }),
        ),
      });
    dynamo.on(TransactWriteItemsCommand).rejects(refusedBy('ConditionalCheckFailed'));
    // Act
    const response = await post({ type: 'job-start', date: '2026-11-02', hoursPerWeek: 37, employer: 'X' });
    // Assess
    expect(response.statusCode).toBe(409);
    expect(dynamo.commandCalls(TransactWriteItemsCommand)).toHaveLength(1);
  });

  it('names every followed result on a drop-out, so that their sustainment runs stop, and ends the running job', async () => {
    // Prepare: an earlier followed job, a job below the threshold, an education start, and the running job on
    // the state only.
    dynamo.on(QueryCommand).resolves(
      pathwayItems(
        referralRecord({ phase: 'tracking', runningJob: { outcomeId: 'o-3', date: '2026-11-20' } }),
        { ...fullJob, outcomeId: 'o-1', endedOn: '2026-11-10' },
        { ...fullJob, outcomeId: 'o-2', hoursPerWeek: 5 },
        {
          ...fullJob,
          outcomeId: 'o-4',
          type: 'education-start',
          hoursPerWeek: undefined,
          employer: undefined,
        },
      ),
    );
    // Act
    const response = await post({ type: 'dropout', date: '2026-11-25' });
    // Assess
    expect(response.statusCode).toBe(201);
    const items = written();
    expect(items[0]?.Update?.UpdateExpression).toMatch(/ REMOVE runningJob$/);
    expect(unmarshall(items[2]?.Put?.Item ?? {})).toMatchObject({
      kind: 'outcome-recorded',
      type: 'dropout',
      stopsSustainment: ['o-1', 'o-4', 'o-3'],
    });
  });

  it('answers a duplicate that lost the race to its own key with the first answer, not "Forløbet er afsluttet"', async () => {
    // Prepare: no answer yet when it starts; by the time it reads, the first drop-out has closed the pathway.
    const first = {
      statusCode: 201,
      body: '{"outcomeId":"o-first"}',
      headers: { 'Content-Type': 'application/json' },
    };
    let stored = false;
    dynamo.on(GetItemCommand).callsFake((input: { Key?: { pk?: { S?: string } } }) => {
      if (!input.Key?.pk?.S?.startsWith('IDEMPOTENCY#')) return { Item: stateItem(referralRecord()) };
      if (!stored) {
        stored = true;
        return {};
      }
      return {
        Item: marshall({ fingerprint: fingerprintOf(), response: first, expiresAt: 4_000_000_000 }),
      };
    });
    dynamo.on(QueryCommand).resolves(pathwayItems(referralRecord({ phase: 'closed', phaseEndsOn: null })));
    // Act
    const response = await post({ type: 'dropout', date: '2026-11-02' }, referralId, {
      'Idempotency-Key': 'k-1',
    });
    // Assess
    expect(response.statusCode).toBe(201);
    expect(response.body).toBe(first.body);
    expect(response.headers?.['Idempotent-Replayed']).toBe('true');
    expect(dynamo.commandCalls(TransactWriteItemsCommand)).toHaveLength(0);
    // The replay is logged as a read of the pathway.
    expect(dynamo.commandCalls(PutItemCommand)).toHaveLength(1);
  });

  it('replays a stored answer only to a caller who may still see the pathway (404 once it is another municipality’s)', async () => {
    // Prepare: the first answer is stored under the key, but the pathway is now Aalborg's — the caller's
    // municipality changed since (an administrator moved the user), or the pathway was never theirs.
    const first = { statusCode: 201, body: '{"outcomeId":"o-first"}', headers: {} };
    dynamo
      .on(GetItemCommand)
      .callsFake((input: { Key?: { pk?: { S?: string } } }) =>
        input.Key?.pk?.S?.startsWith('IDEMPOTENCY#')
          ? { Item: marshall({ fingerprint: fingerprintOf(), response: first, expiresAt: 4_000_000_000 }) }
          : { Item: stateItem(referralRecord({ municipality: '851' })) },
      );

    // Act
    const response = await post({ type: 'dropout', date: '2026-11-02' }, referralId, {
      'Idempotency-Key': 'k-1',
    });

    // Assess: as for an unknown id; nothing replayed, nothing logged as read.
    expect(response.statusCode).toBe(404);
    expect(response.body).not.toContain('o-first');
    expect(dynamo.commandCalls(PutItemCommand)).toHaveLength(0);
  });

  it('answers its own 409 when no first answer appears within the wait', async () => {
    // Prepare: a closed pathway, and no answer stored under the key.
    dynamo.on(GetItemCommand).resolves({});
    dynamo.on(QueryCommand).resolves(pathwayItems(referralRecord({ phase: 'closed', phaseEndsOn: null })));
    // Act
    const response = await post({ type: 'dropout', date: '2026-11-02' }, referralId, {
      'Idempotency-Key': 'k-2',
    });
    // Assess: the first look before the attempt, then the bounded wait.
    expect(response.statusCode).toBe(409);
    const looks = dynamo
      .commandCalls(GetItemCommand)
      .filter((c) => c.args[0].input.Key?.pk?.S?.startsWith('IDEMPOTENCY#'));
    expect(looks).toHaveLength(7);
  });
});
