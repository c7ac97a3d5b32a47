import {
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { EncryptCommand, GenerateMacCommand, KMSClient } from '@aws-sdk/client-kms';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Caller } from '#domain/access';
import { handler } from '../../functions/api/create-referral.ts';
import { apiEvent, callers, lambdaContext, validReferralBody } from './support.ts';

const dynamo = mockClient(DynamoDBClient);
const kms = mockClient(KMSClient);

/** No municipality: the caseworker's own is used (functions/api/create-referral.ts). */
const valid = validReferralBody;

const post = (
  body: string,
  headers: Record<string, string> = { 'Content-Type': 'application/json' },
  /** null: no session. */
  caller: Caller | null = callers.koldingCaseworker,
) =>
  handler(
    apiEvent({ method: 'POST', path: '/referrals', body, headers, caller: caller ?? undefined }),
    lambdaContext,
  );

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2026-11-26T10:00:00Z'));
  dynamo.reset();
  kms.reset();
  kms.on(GenerateMacCommand).resolves({ Mac: new Uint8Array([1, 2, 3, 4]) });
  kms.on(EncryptCommand).resolves({ CiphertextBlob: new Uint8Array([9, 9, 9]) });
  dynamo.on(GetItemCommand).resolves({});
  dynamo.on(TransactWriteItemsCommand).resolves({});
});

afterEach(() => {
  vi.useRealTimers();
});

function transactItems() {
  const calls = dynamo.commandCalls(TransactWriteItemsCommand);
  return calls.flatMap((c) => c.args[0].input.TransactItems ?? []);
}

describe('POST /referrals as JSON', () => {
  it('answers 201 with the pathway, in "referred" until the start date, without the CPR number', async () => {
    // Act
    const response = await post(JSON.stringify(valid));
    // Assess
    expect(response.statusCode).toBe(201);
    const body = JSON.parse(response.body);
    expect(body).toMatchObject({
      phase: 'referred',
      municipality: { code: '621', name: 'Kolding' },
      phases: { training: { start: '2026-12-01', end: '2027-06-01' } },
    });
    expect(response.body).not.toContain('1234');
    expect(response.headers?.Location).toBe(`/prod/referrals/${body.referralId}`);
  });

  it('takes the place, locks the citizen and writes referral and events in one transaction', async () => {
    // Act
    await post(JSON.stringify(valid));
    // Assess
    const items = transactItems();
    expect(items).toHaveLength(6);
    const capacity = items[0]?.Update;
    expect(capacity?.ConditionExpression).toBe('attribute_not_exists(placesTaken) OR placesTaken < :places');
    expect(capacity?.ExpressionAttributeValues?.[':places']).toEqual({ N: '1' });
    expect(items[1]?.Put?.Item?.pk).toEqual({ S: 'CITIZEN#AQIDBA' });
    const referral = unmarshall(items[2]?.Put?.Item ?? {});
    expect(referral.cprCiphertext).toEqual(new Uint8Array([9, 9, 9]));
    const firstPhase = unmarshall(items[4]?.Put?.Item ?? {});
    expect(firstPhase).toMatchObject({
      kind: 'phase-started',
      phase: 'referred',
      phaseEndsAt: '2026-11-30T23:00:00Z',
    });
    // The CPR number exists only as ciphertext and keyed hash.
    expect(JSON.stringify(items)).not.toContain('0101801234');
  });

  it('encrypts the CPR number bound to its referral id', async () => {
    const response = await post(JSON.stringify(valid));
    const encrypt = kms.commandCalls(EncryptCommand)[0]?.args[0].input;
    expect(encrypt?.EncryptionContext).toEqual({ referralId: JSON.parse(response.body).referralId });
  });

  it('refuses bad input with a message per field and writes nothing', async () => {
    // Act
    const response = await post(
      JSON.stringify({
        cpr: '311380-1234',
        name: '',
        benefit: 'dagpenge',
        readiness: 'x',
        weeksOnBenefit: 53,
        startDate: '2026-02-30',
      }),
    );
    // Assess
    expect(response.statusCode).toBe(400);
    const fields = JSON.parse(response.body).errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual([
      'cpr',
      'name',
      'benefit',
      'rateGroup',
      'readiness',
      'weeksOnBenefit',
      'startDate',
    ]);
    expect(response.body).not.toContain('311380');
    expect(dynamo.commandCalls(TransactWriteItemsCommand)).toHaveLength(0);
  });

  it.each([
    ['{"cpr": ', 400, 'body'],
    [JSON.stringify({ ...valid, benefit: 'integrationsydelse' }), 400, 'rateGroup'],
    ['[]', 400, 'body'],
    ['', 400, 'body'],
    [JSON.stringify({ ...valid, startDate: '2027-06-01' }), 400, 'startDate'],
    [JSON.stringify({ ...valid, weeksOnBenefit: '3.5' }), 400, 'weeksOnBenefit'],
  ])('answers %s with %i on %s', async (body, status, field) => {
    const response = await post(body);
    expect(response.statusCode).toBe(status);
    expect(JSON.parse(response.body).errors[0].field).toBe(field);
  });

  it('refuses an oversized body with 413 before parsing it', async () => {
    const response = await post(JSON.stringify({ ...valid, name: 'x'.repeat(20_000) }));
    expect(response.statusCode).toBe(413);
  });

  it.each([
    [0, 'municipality', 'ingen ledige pladser'],
    [1, 'cpr', 'aktivt forløb'],
  ])('answers 409 when condition %i fails (%s)', async (index, field, text) => {
    // Prepare
    const reasons = [
      { Code: 'None' },
      { Code: 'None' },
      { Code: 'None' },
      { Code: 'None' },
      { Code: 'None' },
    ];
    reasons[index] = { Code: 'ConditionalCheckFailed' };
    dynamo.on(TransactWriteItemsCommand).rejects(
      new TransactionCanceledException({
        message: 'cancelled',
        $metadata: {},
        CancellationReasons: reasons,
      }),
    );
    // Act
    const response = await post(JSON.stringify(valid));
    // Assess
    expect(response.statusCode).toBe(409);
    expect(JSON.parse(response.body).errors[0]).toMatchObject({
      field,
      message: expect.stringContaining(text),
    });
  });

  it('retries when a concurrent referral conflicts on the capacity counter, then answers 201', async () => {
    // Prepare: DynamoDB cancels concurrent transactions on one item with TransactionConflict.
    const conflict = new TransactionCanceledException({
      message: 'cancelled',
      $metadata: {},
      CancellationReasons: [{ Code: 'TransactionConflict' }, { Code: 'None' }],
    });
    dynamo.on(TransactWriteItemsCommand).rejectsOnce(conflict).resolves({});
    // Act
    const response = await post(JSON.stringify(valid));
    // Assess
    expect(response.statusCode).toBe(201);
    expect(dynamo.commandCalls(TransactWriteItemsCommand)).toHaveLength(2);
  });

  it('answers 409 "try again", not 500, when the conflict persists', async () => {
    const conflict = new TransactionCanceledException({
      message: 'cancelled',
      $metadata: {},
      CancellationReasons: [{ Code: 'TransactionConflict' }],
    });
    dynamo.on(TransactWriteItemsCommand).rejects(conflict);
    const response = await post(JSON.stringify(valid));
    expect(response.statusCode).toBe(409);
    expect(JSON.parse(response.body).errors[0].message).toContain('Prøv igen');
  });

  it('lets an Idempotency-Key be used again once its record has expired', async () => {
    // Prepare: a record for this key from three days ago, not yet removed by TTL.
    dynamo.on(GetItemCommand).resolves({
      Item: {
        fingerprint: { S: 'an-older-request' },
        expiresAt: { N: String(Math.floor(Date.now() / 1000) - 2 * 86_400) },
        response: { M: { statusCode: { N: '201' }, body: { S: '{}' }, headers: { M: {} } } },
      },
    });
    // Act
    const response = await post(JSON.stringify(valid), {
      'Content-Type': 'application/json',
      'Idempotency-Key': 'k-1',
    });
    // Assess
    expect(response.statusCode).toBe(201);
    const record = transactItems()[5]?.Put;
    expect(record?.ConditionExpression).toBe('attribute_not_exists(pk) OR expiresAt < :now');
  });

  it('answers a repeated Idempotency-Key with the first answer, writing no second referral', async () => {
    // Prepare
    const first = await post(JSON.stringify(valid), {
      'Content-Type': 'application/json',
      'Idempotency-Key': 'k-1',
    });
    const stored = unmarshall(transactItems()[5]?.Put?.Item ?? {});
    dynamo.reset();
    dynamo.on(GetItemCommand).resolves({
      Item: {
        fingerprint: { S: stored.fingerprint },
        expiresAt: { N: String(stored.expiresAt) },
        response: { M: { statusCode: { N: '201' }, body: { S: first.body }, headers: { M: {} } } },
      },
    });
    // Act
    const again = await post(JSON.stringify(valid), {
      'Content-Type': 'application/json',
      'Idempotency-Key': 'k-1',
    });
    // Assess: no second write and no second "refer" entry; the replay, which hands the pathway out again, is
    // logged as a read of it.
    expect(again.statusCode).toBe(201);
    expect(again.body).toBe(first.body);
    expect(dynamo.commandCalls(TransactWriteItemsCommand)).toHaveLength(0);
    const reads = dynamo.commandCalls(PutItemCommand).map((c) => unmarshall(c.args[0].input.Item ?? {}));
    expect(reads).toEqual([
      expect.objectContaining({
        referralId: JSON.parse(first.body).referralId,
        username: 'kolding-sagsbehandler',
        action: 'read',
      }),
    ]);
  });

  it('answers a duplicate that lost the race for the last place to its own key with the first answer', async () => {
    // Prepare: the first request's answer and record, as its transaction stored them.
    const first = await post(JSON.stringify(valid), {
      'Content-Type': 'application/json',
      'Idempotency-Key': 'k-1',
    });
    const stored = unmarshall(transactItems()[5]?.Put?.Item ?? {});
    dynamo.reset();
    // The duplicate finds no answer at first; its write is refused on the place and the citizen the first took.
    dynamo
      .on(GetItemCommand)
      .resolvesOnce({})
      .resolves({
        Item: {
          fingerprint: { S: stored.fingerprint },
          expiresAt: { N: String(stored.expiresAt) },
          response: { M: { statusCode: { N: '201' }, body: { S: first.body }, headers: { M: {} } } },
        },
      });
    dynamo.on(TransactWriteItemsCommand).rejects(
      new TransactionCanceledException({
        message: 'cancelled',
        $metadata: {},
        CancellationReasons: [
          { Code: 'ConditionalCheckFailed' },
          { Code: 'ConditionalCheckFailed' },
          { Code: 'None' },
          { Code: 'None' },
          { Code: 'None' },
          { Code: 'None' },
          { Code: 'None' },
        ],
      }),
    );
    // Act
    const again = await post(JSON.stringify(valid), {
      'Content-Type': 'application/json',
      'Idempotency-Key': 'k-1',
    });
    // Assess: the first answer, not "Kolding Kommune har ingen ledige pladser".
    expect(again.statusCode).toBe(201);
    expect(again.body).toBe(first.body);
    expect(again.headers?.['Idempotent-Replayed']).toBe('true');
  });

  it('answers a refusal on the place as such when the key has no first answer', async () => {
    // Prepare
    dynamo.on(TransactWriteItemsCommand).rejects(
      new TransactionCanceledException({
        message: 'cancelled',
        $metadata: {},
        CancellationReasons: [{ Code: 'ConditionalCheckFailed' }],
      }),
    );
    // Act
    const response = await post(JSON.stringify(valid), {
      'Content-Type': 'application/json',
      'Idempotency-Key': 'k-2',
    });
    // Assess
    expect(response.statusCode).toBe(409);
    expect(JSON.parse(response.body).errors[0].field).toBe('municipality');
  });

  it('keeps an Idempotency-Key to the user who sent it: another user with the same key is not replayed', async () => {
    // Act
    await post(JSON.stringify(valid), { 'Content-Type': 'application/json', 'Idempotency-Key': 'k-1' });
    await post(
      JSON.stringify(valid),
      { 'Content-Type': 'application/json', 'Idempotency-Key': 'k-1' },
      { ...callers.koldingCaseworker, username: 'kolding-anden' },
    );

    // Assess: two different stored keys
    const lookups = dynamo
      .commandCalls(GetItemCommand)
      .map((c) => c.args[0].input.Key?.pk?.S)
      .filter((pk) => pk?.startsWith('IDEMPOTENCY#'));
    expect(lookups).toHaveLength(2);
    expect(lookups[0]).not.toBe(lookups[1]);
  });

  it('refuses the same Idempotency-Key for a different referral with 422', async () => {
    dynamo.on(GetItemCommand).resolves({
      Item: {
        fingerprint: { S: 'other' },
        expiresAt: { N: String(Math.floor(Date.now() / 1000) + 3600) },
        response: { M: { statusCode: { N: '201' }, body: { S: '{}' }, headers: { M: {} } } },
      },
    });
    const response = await post(JSON.stringify(valid), {
      'Content-Type': 'application/json',
      'Idempotency-Key': 'k-1',
    });
    expect(response.statusCode).toBe(422);
  });
});

describe('POST /referrals from the HTML form', () => {
  const form = (values: Record<string, string>) =>
    post(new URLSearchParams(values).toString(), { 'Content-Type': 'application/x-www-form-urlencoded' });

  it('redirects to the new pathway with 303', async () => {
    const response = await form({ ...valid, weeksOnBenefit: '30' });
    expect(response.statusCode).toBe(303);
    expect(response.headers?.Location).toMatch(/^\/prod\/referrals\/[0-9a-f-]{36}$/);
  });

  it('shows the form again with messages, keeping values but never the CPR number', async () => {
    const response = await form({ ...valid, cpr: '010180-123', weeksOnBenefit: '99' });
    expect(response.statusCode).toBe(400);
    expect(response.headers?.['Content-Type']).toContain('text/html');
    expect(response.body).toContain('CPR-nummer skal have formen');
    expect(response.body).toContain('Uger på ydelse skal være et helt tal fra 0 til 52');
    expect(response.body).toContain('value="Anna Hansen"');
    expect(response.body).not.toContain('010180');
  });
});

describe('POST /referrals: who refers, and for which municipality', () => {
  it.each([
    ['the employment actor', callers.koldingActor],
    ['finance', callers.koldingFinance],
    ['the programme', callers.programme],
  ])('refuses %s with 403 and a Danish message, writing nothing', async (_who, caller) => {
    // Act
    const response = await post(JSON.stringify(valid), undefined, caller);

    // Assess
    expect(response.statusCode).toBe(403);
    expect(JSON.parse(response.body).errors[0].message).toBe(
      'Din rolle giver ikke adgang til denne handling.',
    );
    expect(dynamo.commandCalls(TransactWriteItemsCommand)).toHaveLength(0);
  });

  it('answers 401 without a signed-in user', async () => {
    const response = await post(JSON.stringify(valid), undefined, null);
    expect(response.statusCode).toBe(401);
    expect(dynamo.commandCalls(TransactWriteItemsCommand)).toHaveLength(0);
  });

  it.each([
    ['Kolding', callers.koldingCaseworker, '621', 'Kolding'],
    ['Aalborg', callers.aalborgCaseworker, '851', 'Aalborg'],
  ])(
    'refers into the %s caseworker’s own municipality when the request names none',
    async (_m, caller, code, name) => {
      // Act
      const response = await post(JSON.stringify(valid), undefined, caller);

      // Assess
      expect(response.statusCode).toBe(201);
      expect(JSON.parse(response.body).municipality).toEqual({ code, name });
      const referral = unmarshall(transactItems()[2]?.Put?.Item ?? {});
      expect(referral.municipality).toBe(code);
      expect(transactItems()[0]?.Update?.Key?.pk).toEqual({ S: `MUNICIPALITY#${code}` });
    },
  );

  it('accepts the caseworker’s own municipality named in the request', async () => {
    const response = await post(JSON.stringify({ ...valid, municipality: '621' }));
    expect(response.statusCode).toBe(201);
  });

  it.each(['851', '999', ' 85 '])(
    'refuses another municipality (%j) in the request with 403 and writes nothing',
    async (municipality) => {
      // Act
      const response = await post(JSON.stringify({ ...valid, municipality }));

      // Assess
      expect(response.statusCode).toBe(403);
      expect(JSON.parse(response.body).errors).toEqual([
        {
          field: 'municipality',
          message: 'Du kan kun visitere borgere i din egen kommune. Udelad kommunen, så bruges din.',
        },
      ]);
      expect(dynamo.commandCalls(TransactWriteItemsCommand)).toHaveLength(0);
      expect(kms.commandCalls(GenerateMacCommand)).toHaveLength(0);
    },
  );

  it('records the caseworker as referredBy, on both first events and in the access log, in the one transaction', async () => {
    // Act
    const response = await post(JSON.stringify(valid));

    // Assess
    const { referralId } = JSON.parse(response.body);
    expect(dynamo.commandCalls(TransactWriteItemsCommand)).toHaveLength(1);
    const items = transactItems().map((i) => unmarshall(i.Put?.Item ?? {}));
    expect(items[2]?.referredBy).toBe('kolding-sagsbehandler');
    expect(items[3]).toMatchObject({ kind: 'referral-received', by: 'kolding-sagsbehandler' });
    expect(items[4]).toMatchObject({ kind: 'phase-started', by: 'kolding-sagsbehandler' });
    const access = items[5];
    expect(access).toEqual({
      pk: `REFERRAL#${referralId}`,
      sk: expect.stringMatching(/^ACCESS#2026-11-26T10:00:00\.000Z#[0-9a-f-]{36}$/),
      kind: 'access',
      referralId,
      at: '2026-11-26T10:00:00.000Z',
      username: 'kolding-sagsbehandler',
      role: 'caseworker',
      action: 'refer',
    });
    expect(transactItems()[5]?.Put?.ConditionExpression).toBe('attribute_not_exists(pk)');
  });

  it('shows the form again with 403 when a form names another municipality', async () => {
    const response = await post(
      new URLSearchParams({ ...valid, weeksOnBenefit: '30', municipality: '851' }).toString(),
      { 'Content-Type': 'application/x-www-form-urlencoded' },
    );
    expect(response.statusCode).toBe(403);
    expect(response.body).toContain('Du kan kun visitere borgere i din egen kommune');
    expect(response.body).toContain('Kolding Kommune');
  });
});

describe("POST /referrals: the staircase week and the rate group's age (issue 9 item 3)", () => {
  /** The referral item written in the transaction. */
  const writtenReferral = () => unmarshall(transactItems()[2]?.Put?.Item ?? {});
  const { weeksOnBenefit: _old, ...current } = valid;

  it('records staircase week 120, far above the old cap of 52, and shows it', async () => {
    // Act
    const response = await post(JSON.stringify({ ...current, staircaseWeek: 120 }));
    // Assess
    expect(response.statusCode).toBe(201);
    expect(JSON.parse(response.body)).toMatchObject({ staircaseWeek: 120, weeksOnBenefit: null });
    expect(writtenReferral()).toMatchObject({ staircaseWeek: 120 });
    expect(writtenReferral()).not.toHaveProperty('weeksOnBenefit');
  });

  it.each([
    ['the old field alone', { ...valid }, 31],
    ['both, agreeing', { ...valid, staircaseWeek: 31 }, 31],
    ['staircase week 0 (not on the staircase)', { ...current, staircaseWeek: '0' }, 0],
  ])('takes %s: staircase week %i', async (_label, body, week) => {
    // Act
    const response = await post(JSON.stringify(body));
    // Assess
    expect(response.statusCode).toBe(201);
    expect(writtenReferral().staircaseWeek).toBe(week);
  });

  it.each([
    ['neither field', current, 'Uge på refusionstrappen skal være et helt tal'],
    ['both, disagreeing', { ...valid, staircaseWeek: 30 }, 'uge = uger + 1'],
    ['a negative week', { ...current, staircaseWeek: -1 }, 'Uge på refusionstrappen skal være et helt tal'],
    ['a fraction', { ...current, staircaseWeek: 1.5 }, 'Uge på refusionstrappen skal være et helt tal'],
    // 26 November 2026 is in week 648 since 1 July 2014.
    ['a week the staircase cannot have reached', { ...current, staircaseWeek: 649 }, 'højst være 648'],
  ])('refuses %s with 400 on staircaseWeek, writing nothing', async (_label, body, message) => {
    // Act
    const response = await post(JSON.stringify(body));
    // Assess
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body).errors).toEqual([
      { field: 'staircaseWeek', message: expect.stringContaining(message) },
    ]);
    expect(dynamo.commandCalls(TransactWriteItemsCommand)).toHaveLength(0);
  });

  it('refuses a 25-year-old as "30 or over" with 400 on rateGroup, in Danish, without the CPR number', async () => {
    // Prepare: born 15 June 2001 (7th digit 4, year 01: the 2000s); 25 on the start date, 1 December 2026.
    const body = { ...current, staircaseWeek: 10, cpr: '150601-4321' };
    // Act
    const response = await post(JSON.stringify(body));
    // Assess
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body).errors).toEqual([
      {
        field: 'rateGroup',
        message:
          'Satsgruppen passer ikke til borgerens alder: ifølge CPR-nummeret er borgeren 25 år på startdatoen, og satsgruppen "30 år eller derover, ikke forsørger" er for borgere på 30 år eller derover',
      },
    ]);
    expect(response.body).not.toContain('150601');
    expect(dynamo.commandCalls(TransactWriteItemsCommand)).toHaveLength(0);
  });

  it('takes the same citizen in the group for under 30, and one who turns 30 on the start date as 30 or over', async () => {
    // Act
    const young = await post(
      JSON.stringify({
        ...current,
        staircaseWeek: 10,
        cpr: '150601-4321',
        rateGroup: 'under-30-living-away',
      }),
    );
    const thirty = await post(JSON.stringify({ ...current, staircaseWeek: 10, cpr: '011296-1234' }));
    // Assess
    expect([young.statusCode, thirty.statusCode]).toEqual([201, 201]);
  });

  it('asks for the staircase week on the form, with the § 6 restart in its help text', async () => {
    // Act
    const response = await post(
      new URLSearchParams({ ...current, cpr: '150601-4321', staircaseWeek: '120' }).toString(),
      { 'Content-Type': 'application/x-www-form-urlencoded' },
    );
    // Assess: refused for the age, the form again with the week kept and its help text.
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('<label for="staircaseWeek">Uge på refusionstrappen</label>');
    expect(response.body).toContain('starter tællingen forfra i uge 1 (§ 6)');
    expect(response.body).toContain(
      'name="staircaseWeek" type="number" min="0" step="1" inputmode="numeric" value="120"',
    );
    expect(response.body).toContain('er borgeren 25 år på startdatoen');
    expect(response.body).not.toContain('weeksOnBenefit');
  });
});
