import {
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Caller } from '#domain/access';
import { handler as getAccessLog } from '../../functions/api/get-access-log.ts';
import { handler as getReferral } from '../../functions/api/get-referral.ts';
import { handler as recordOutcome } from '../../functions/api/record-outcome.ts';
import { handler as recordPlacement } from '../../functions/api/record-placement.ts';
import { apiEvent, callers, lambdaContext, referralId } from './support.ts';
import { referralRecord, stateItem } from './support-records.ts';

const dynamo = mockClient(DynamoDBClient);

/** What the access log holds for the pathway, as the table would return it (newest first). */
let logged: Record<string, unknown>[] = [];

function query(input: QueryCommandInput) {
  const pk = input.ExpressionAttributeValues?.[':pk']?.S;
  if (pk !== `REFERRAL#${referralId}`) return { Items: [] };
  if (input.KeyConditionExpression?.includes('begins_with')) {
    return {
      Items: logged.map((entry) => marshall({ pk, sk: `ACCESS#${entry.at}#x`, kind: 'access', ...entry })),
    };
  }
  return { Items: [stateItem(referralRecord({ name: 'Anna <b>Hansen</b>' }))] };
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2026-11-26T10:00:00Z'));
  logged = [];
  dynamo.reset();
  dynamo.on(QueryCommand).callsFake(query);
  dynamo
    .on(GetItemCommand)
    .callsFake((input) =>
      input.Key?.pk?.S === `REFERRAL#${referralId}` ? { Item: stateItem(referralRecord()) } : {},
    );
  dynamo.on(PutItemCommand).resolves({});
  dynamo.on(TransactWriteItemsCommand).resolves({});
});

afterEach(() => vi.useRealTimers());

const read = (caller: Caller, headers: Record<string, string> = {}) =>
  getReferral(
    apiEvent({
      method: 'GET',
      path: `/referrals/${referralId}`,
      resource: '/referrals/{id}',
      pathParameters: { id: referralId },
      headers,
      caller,
    }),
    lambdaContext,
  );

const putEntries = () =>
  dynamo.commandCalls(PutItemCommand).map((c) => ({
    item: unmarshall(c.args[0].input.Item ?? {}),
    condition: c.args[0].input.ConditionExpression,
  }));

describe('a read of a pathway page is logged before it is answered', () => {
  it.each([
    ['JSON', {}],
    ['HTML', { Accept: 'text/html' }],
  ])('logs the %s read: who, their role, when, which referral', async (_kind, headers) => {
    // Act
    const response = await read(callers.koldingActor, headers);

    // Assess
    expect(response.statusCode).toBe(200);
    expect(putEntries()).toEqual([
      {
        item: {
          pk: `REFERRAL#${referralId}`,
          sk: expect.stringMatching(/^ACCESS#2026-11-26T10:00:00\.000Z#[0-9a-f-]{36}$/),
          kind: 'access',
          referralId,
          at: '2026-11-26T10:00:00.000Z',
          username: 'kolding-aktoer',
          role: 'employment-actor',
          action: 'read',
        },
        condition: 'attribute_not_exists(pk)',
      },
    ]);
  });

  it('answers nothing of the pathway when the entry cannot be written: no trail, no data', async () => {
    // Prepare
    dynamo.on(PutItemCommand).rejects(new Error('throttled'));

    // Act
    const response = await read(callers.programme);

    // Assess
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain('Hansen');
  });

  it('reads the pathway without paging through its access log', async () => {
    // Act
    await read(callers.programme);

    // Assess: the log's ACCESS# keys sort below 'ACCESS$', every other item of a pathway above it.
    const pathwayQuery = dynamo.commandCalls(QueryCommand)[0]?.args[0].input;
    expect(pathwayQuery?.KeyConditionExpression).toBe('pk = :pk AND sk > :afterAccess');
    expect(pathwayQuery?.ExpressionAttributeValues?.[':afterAccess']).toEqual({ S: 'ACCESS$' });
    expect('ACCESS#2026-11-26T10:00:00.000Z#x' < 'ACCESS$').toBe(true);
    for (const prefix of ['EVENT#', 'FAILURE#', 'MILESTONE#', 'OUTCOME#', 'PAYMENT#', 'STATE']) {
      expect(prefix > 'ACCESS$').toBe(true);
    }
  });

  it('logs nothing for another municipality’s pathway, which answers 404', async () => {
    const response = await read(callers.aalborgCaseworker);
    expect(response.statusCode).toBe(404);
    expect(putEntries()).toEqual([]);
  });
});

describe('a write about a pathway is logged in its own transaction', () => {
  const outcome = (headers: Record<string, string> = {}) =>
    recordOutcome(
      apiEvent({
        method: 'POST',
        path: `/referrals/${referralId}/outcomes`,
        resource: '/referrals/{id}/outcomes',
        pathParameters: { id: referralId },
        body: JSON.stringify({ type: 'dropout', date: '2026-11-02' }),
        headers: { 'Content-Type': 'application/json', ...headers },
        caller: callers.koldingCaseworker,
      }),
      lambdaContext,
    );

  it('puts the entry with the outcome, in the one transaction, and nothing outside it', async () => {
    // Act
    const response = await outcome();

    // Assess
    expect(response.statusCode).toBe(201);
    const transactions = dynamo.commandCalls(TransactWriteItemsCommand);
    expect(transactions).toHaveLength(1);
    const items = transactions[0]?.args[0].input.TransactItems ?? [];
    const access = items
      .map((i) => (i.Put?.Item ? unmarshall(i.Put.Item) : {}))
      .filter((i) => i.kind === 'access');
    expect(access).toEqual([
      expect.objectContaining({
        referralId,
        at: '2026-11-26T10:00:00.000Z',
        username: 'kolding-sagsbehandler',
        role: 'caseworker',
        action: 'record-outcome',
      }),
    ]);
    expect(dynamo.commandCalls(PutItemCommand)).toHaveLength(0);
  });

  it('writes no second entry for a replayed Idempotency-Key: the replay is logged as a read', async () => {
    // Prepare: the first request, and its stored answer as the table then holds it.
    await outcome({ 'Idempotency-Key': 'k-1' });
    const stored = (dynamo.commandCalls(TransactWriteItemsCommand)[0]?.args[0].input.TransactItems ?? [])
      .map((i) => (i.Put?.Item ? unmarshall(i.Put.Item) : {}))
      .find((i) => String(i.pk).startsWith('IDEMPOTENCY#'));
    expect(stored).toBeDefined();
    dynamo.on(GetItemCommand).callsFake((input) => {
      if (input.Key?.pk?.S === stored?.pk) return { Item: marshall(stored) };
      return input.Key?.pk?.S === `REFERRAL#${referralId}` ? { Item: stateItem(referralRecord()) } : {};
    });

    // Act
    const again = await outcome({ 'Idempotency-Key': 'k-1' });

    // Assess
    expect(again.headers?.['Idempotent-Replayed']).toBe('true');
    expect(dynamo.commandCalls(TransactWriteItemsCommand)).toHaveLength(1);
    expect(putEntries().map((e) => [e.item.username, e.item.action])).toEqual([
      ['kolding-sagsbehandler', 'read'],
    ]);
  });

  const placementForm = (caller: Caller, id = referralId) =>
    recordPlacement(
      apiEvent({
        method: 'POST',
        path: `/referrals/${id}/placement`,
        resource: '/referrals/{id}/placement',
        pathParameters: { id },
        body: 'type=accelerator-company&companyCvr=',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        caller,
      }),
      lambdaContext,
    );

  it('logs the pathway page shown again with a form’s messages as a read', async () => {
    // Act
    const response = await placementForm(callers.koldingActor);

    // Assess
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('Anna &lt;b&gt;Hansen&lt;/b&gt;');
    expect(putEntries().map((e) => [e.item.username, e.item.action])).toEqual([['kolding-aktoer', 'read']]);
  });

  it('never shows another municipality’s pathway with a form’s messages: the answer of an unknown id', async () => {
    // Act
    const other = await placementForm(callers.aalborgActor);
    const unknown = await placementForm(callers.aalborgActor, '00000000-0000-4000-8000-000000000000');

    // Assess
    expect(other.statusCode).toBe(400);
    expect(other.body).toBe(unknown.body);
    expect(other.body).not.toContain('Hansen');
    expect(putEntries()).toEqual([]);
  });
});

describe('GET /referrals/{id}/access-log', () => {
  const log = (caller: Caller, headers: Record<string, string> = {}, id = referralId) =>
    getAccessLog(
      apiEvent({
        method: 'GET',
        path: `/referrals/${id}/access-log`,
        resource: '/referrals/{id}/access-log',
        pathParameters: { id },
        headers,
        caller,
      }),
      lambdaContext,
    );

  const entries = [
    {
      referralId,
      at: '2026-11-26T09:00:00.000Z',
      username: 'programleder',
      role: 'programme',
      action: 'read',
    },
    {
      referralId,
      at: '2026-11-25T08:00:00.000Z',
      username: 'kolding-sagsbehandler',
      role: 'caseworker',
      action: 'refer',
    },
  ];

  it('answers the programme with the entries, newest first, as JSON', async () => {
    // Prepare
    logged = entries;

    // Act
    const response = await log(callers.programme);

    // Assess
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body)).toEqual(entries);
    const logQuery = dynamo
      .commandCalls(QueryCommand)
      .map((c) => c.args[0].input)
      .find((i) => i.KeyConditionExpression?.includes('begins_with'));
    expect(logQuery?.ScanIndexForward).toBe(false);
    expect(logQuery?.ExpressionAttributeValues?.[':prefix']).toEqual({ S: 'ACCESS#' });
  });

  it('answers a browser with a table, every value escaped', async () => {
    // Prepare
    logged = [{ ...entries[0], username: '<img src=x onerror=alert(1)>' }];

    // Act
    const response = await log(callers.programme, { Accept: 'text/html' });

    // Assess
    expect(response.statusCode).toBe(200);
    expect(response.headers?.['Content-Type']).toContain('text/html');
    expect(response.body).toContain('<table>');
    expect(response.body).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(response.body).not.toContain('<img');
    expect(response.body).toContain('data-action="read"');
    expect(response.body).toContain('Programledelse');
  });

  it('refuses an entry that is not an access entry when it is read back', async () => {
    logged = [{ ...entries[0], action: 'delete-everything' }];
    const response = await log(callers.programme);
    expect(response.statusCode).toBe(500);
  });

  it.each([
    ['the caseworker', callers.koldingCaseworker],
    ['the employment actor', callers.koldingActor],
    ['finance', callers.koldingFinance],
  ])('refuses %s with 403', async (_who, caller) => {
    logged = entries;
    const response = await log(caller);
    expect(response.statusCode).toBe(403);
    expect(response.body).not.toContain('programleder');
  });

  it('answers an unknown pathway with 404', async () => {
    const response = await log(callers.programme, {}, '00000000-0000-4000-8000-000000000000');
    expect(response.statusCode).toBe(404);
  });

  it('is not itself logged: it shows who acted, not the citizen', async () => {
    await log(callers.programme);
    expect(putEntries()).toEqual([]);
  });
});
