import {
  DynamoDBClient,
  GetItemCommand,
  type GetItemCommandInput,
  PutItemCommand,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { EncryptCommand, GenerateMacCommand, KMSClient } from '@aws-sdk/client-kms';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type Action, type Caller, roles, scopeOf } from '#domain/access';
import type { MilestoneRecord, PaymentRecord } from '#shared/pathway-store';
import { handler as businessCase } from '../../functions/api/business-case.ts';
import { handler as createReferral } from '../../functions/api/create-referral.ts';
import { handler as getAccessLog } from '../../functions/api/get-access-log.ts';
import { handler as getReferral } from '../../functions/api/get-referral.ts';
import { handler as listPayments } from '../../functions/api/list-payments.ts';
import { handler as recordConfirmation } from '../../functions/api/record-confirmation.ts';
import { handler as recordOutcome } from '../../functions/api/record-outcome.ts';
import { handler as recordPlacement } from '../../functions/api/record-placement.ts';
import { handler as statements } from '../../functions/api/statements.ts';
import { apiEvent, callers, lambdaContext, referralId, validReferralBody } from './support.ts';
import { companyRecord } from './support-companies.ts';
import { outcomeItem, referralRecord, stateItem } from './support-records.ts';

/**
 * Every API handler × every role, on a Kolding (621) pathway and Kolding's lists: the role matrix of
 * domain/access.ts as each handler applies it (403 without the right), and municipality scoping (another
 * municipality's pathway answers exactly as an unknown id; lists hold only what the caller may see).
 */
const dynamo = mockClient(DynamoDBClient);
const kms = mockClient(KMSClient);

const unknownId = '00000000-0000-4000-8000-000000000000';
const outcomeId = '0b7f9a52-2f1c-4e0a-8d55-7a1c9e3b2d10';

const job = {
  referralId,
  outcomeId,
  type: 'job-start' as const,
  date: '2026-10-01',
  hoursPerWeek: 37,
  employer: 'Kolding Bageri ApS',
  recordedAt: '2026-10-01T09:00:00.000Z',
  recordedBy: 'kolding-aktoer',
  phaseAtOutcome: 'training' as const,
};
const milestone: MilestoneRecord = {
  referralId,
  outcomeId,
  weeks: 13,
  dueOn: '2026-11-20',
  deadlineOn: '2026-12-18',
  status: 'awaiting-confirmation',
  openedAt: '2026-11-19T23:00:00.000Z',
};

function payment(municipality: string, id: string): PaymentRecord {
  return {
    paymentId: `${id}.job-start.employment-actor`,
    paymentKey: 'job-start#employment-actor',
    referralId: id,
    resultId: 'job-1',
    outcomeId: 'job-1',
    outcomeType: 'job-start',
    rule: 'job-start',
    payee: 'employment-actor',
    amountOere: 1_500_000,
    rateCardVersion: '2019-1',
    dueDate: '2026-12-01',
    municipality,
    payeeId: `employment-actor-${municipality}`,
    payeeName: `Beskæftigelsesaktør ${municipality}`,
    createdAt: `2026-11-0${municipality === '621' ? 1 : 2}T08:00:00.000Z`,
    recordedBy: municipality === '621' ? 'kolding-aktoer' : 'aalborg-aktoer',
  };
}
const payments = [payment('621', referralId), payment('851', unknownId)];

/** The table: one Kolding pathway (in training, a job and an open 13-week milestone), payments of both. */
function query(input: QueryCommandInput) {
  const pk = input.ExpressionAttributeValues?.[':pk']?.S;
  if (input.IndexName === 'byType' && pk === 'PAYMENT') {
    return { Items: payments.map((p) => marshall({ gsi1pk: 'PAYMENT', ...p })) };
  }
  if (input.IndexName === 'byType' && pk === 'REFERRAL') {
    return { Items: [marshall({ referralId, municipality: '621' })] };
  }
  if (pk === `REFERRAL#${referralId}`) {
    if (input.KeyConditionExpression?.includes('begins_with')) return { Items: [] };
    return {
      Items: [
        stateItem(referralRecord({ rateGroup: '30-plus-without-children' })),
        outcomeItem(job),
        marshall({ pk, sk: `MILESTONE#${outcomeId}#13`, kind: 'milestone', ...milestone }),
      ],
    };
  }
  return { Items: [] };
}

/** The Kolding employment actor's own company, where a placement may go. */
const ownCompany = companyRecord({
  cvr: '29000018',
  name: 'Genbrugsværkstedet',
  ownedByEmploymentActor: true,
});

function getItem(input: GetItemCommandInput) {
  const pk = input.Key?.pk?.S;
  if (pk === `REFERRAL#${referralId}`) return { Item: stateItem(referralRecord()) };
  if (pk === `COMPANY#${ownCompany.cvr}`) {
    return { Item: marshall({ pk, sk: 'PROFILE', kind: 'company', ...ownCompany }) };
  }
  return {};
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2026-11-26T10:00:00Z'));
  dynamo.reset();
  kms.reset();
  dynamo.on(QueryCommand).callsFake(query);
  dynamo.on(GetItemCommand).callsFake(getItem);
  dynamo.on(TransactWriteItemsCommand).resolves({});
  dynamo.on(PutItemCommand).resolves({});
  kms.on(GenerateMacCommand).resolves({ Mac: new Uint8Array([1, 2, 3, 4]) });
  kms.on(EncryptCommand).resolves({ CiphertextBlob: new Uint8Array([9, 9, 9]) });
});

afterEach(() => vi.useRealTimers());

type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

interface Route {
  name: string;
  action: Action;
  handler: Handler;
  method: string;
  /** The path for a pathway id (pathway routes) or the list's path. */
  path: (id: string) => string;
  pathway: boolean;
  body?: unknown;
  query?: Record<string, string>;
  /** What an allowed caller gets on Kolding's data. */
  allowed: number;
}

const json = { 'Content-Type': 'application/json' };

const routes: Route[] = [
  {
    name: 'POST /referrals',
    action: 'refer',
    handler: createReferral,
    method: 'POST',
    path: () => '/referrals',
    pathway: false,
    body: validReferralBody,
    allowed: 201,
  },
  {
    name: 'GET /referrals/{id}',
    action: 'read-pathway',
    handler: getReferral,
    method: 'GET',
    path: (id) => `/referrals/${id}`,
    pathway: true,
    allowed: 200,
  },
  {
    name: 'POST /referrals/{id}/outcomes',
    action: 'record-outcome',
    handler: recordOutcome,
    method: 'POST',
    path: (id) => `/referrals/${id}/outcomes`,
    pathway: true,
    body: { type: 'dropout', date: '2026-11-02' },
    allowed: 201,
  },
  {
    name: 'POST /referrals/{id}/placement',
    action: 'record-placement',
    handler: recordPlacement,
    method: 'POST',
    path: (id) => `/referrals/${id}/placement`,
    pathway: true,
    body: { type: 'own-company', companyCvr: ownCompany.cvr },
    allowed: 201,
  },
  {
    name: 'POST /referrals/{id}/confirmations',
    action: 'record-confirmation',
    handler: recordConfirmation,
    method: 'POST',
    path: (id) => `/referrals/${id}/confirmations`,
    pathway: true,
    body: { milestone: 13, employed: true },
    allowed: 201,
  },
  {
    name: 'GET /referrals/{id}/access-log',
    action: 'read-access-log',
    handler: getAccessLog,
    method: 'GET',
    path: (id) => `/referrals/${id}/access-log`,
    pathway: true,
    allowed: 200,
  },
  {
    name: 'GET /payments',
    action: 'read-payments',
    handler: listPayments,
    method: 'GET',
    path: () => '/payments',
    pathway: false,
    allowed: 200,
  },
  {
    name: 'GET /statements',
    action: 'read-statements',
    handler: statements,
    method: 'GET',
    path: () => '/statements',
    pathway: false,
    query: { municipality: '621', month: '2026-12' },
    allowed: 200,
  },
  {
    name: 'GET /business-case',
    action: 'read-business-case',
    handler: businessCase,
    method: 'GET',
    path: () => '/business-case',
    pathway: false,
    allowed: 200,
  },
];

function call(route: Route, caller: Caller | undefined, id = referralId) {
  const path = route.path(id);
  return route.handler(
    apiEvent({
      method: route.method,
      path,
      resource: route.path('{id}'),
      pathParameters: route.pathway ? { id } : undefined,
      queryStringParameters: route.query,
      body: route.body === undefined ? undefined : JSON.stringify(route.body),
      headers: route.body === undefined ? {} : json,
      caller,
    }),
    lambdaContext,
  );
}

/** One user of each role in Kolding (the programme has no municipality). */
const kolding: Record<(typeof roles)[number], Caller> = {
  caseworker: callers.koldingCaseworker,
  'employment-actor': callers.koldingActor,
  finance: callers.koldingFinance,
  programme: callers.programme,
  accelerator: callers.koldingAccelerator,
  company: callers.koldingCompany,
};
const aalborg: Record<(typeof roles)[number], Caller> = {
  caseworker: callers.aalborgCaseworker,
  'employment-actor': callers.aalborgActor,
  finance: callers.aalborgFinance,
  programme: callers.programme,
  accelerator: callers.aalborgAccelerator,
  company: callers.aalborgCompany,
};

const nothingWritten = () =>
  dynamo.commandCalls(TransactWriteItemsCommand).length + dynamo.commandCalls(PutItemCommand).length;

describe('every handler × every role', () => {
  const cells = routes.flatMap((route) => roles.map((role) => [route.name, role, route] as const));

  it.each(cells)('%s as %s', async (_name, role, route) => {
    // Prepare
    const allowed = scopeOf(role, route.action) !== undefined;

    // Act
    const response = await call(route, kolding[role]);

    // Assess
    if (allowed) {
      expect(response.statusCode).toBe(route.allowed);
    } else {
      expect(response.statusCode).toBe(403);
      expect(JSON.parse(response.body)).toEqual({
        errors: [{ field: 'role', message: 'Din rolle giver ikke adgang til denne handling.' }],
      });
      expect(nothingWritten()).toBe(0);
    }
  });

  it.each(routes.map((route) => [route.name, route] as const))(
    '%s answers 401 without a session, and writes nothing',
    async (_name, route) => {
      const response = await call(route, undefined);
      expect(response.statusCode).toBe(401);
      expect(nothingWritten()).toBe(0);
    },
  );
});

describe('another municipality’s pathway answers exactly as an unknown id', () => {
  const cells = routes
    .filter((route) => route.pathway)
    .flatMap((route) =>
      roles
        .filter((role) => scopeOf(role, route.action) === 'own')
        .map((role) => [route.name, role, route] as const),
    );

  it.each(cells)('%s as the Aalborg %s', async (_name, role, route) => {
    // Act
    const other = await call(route, aalborg[role], referralId);
    const unknown = await call(route, aalborg[role], unknownId);

    // Assess
    expect(other.statusCode).toBe(404);
    expect(other.body).toBe(unknown.body);
    expect(other.headers).toEqual(unknown.headers);
    expect(other.body).not.toContain('Anna Hansen');
    expect(nothingWritten()).toBe(0);
  });

  it('lets the programme read a pathway of any municipality', async () => {
    const response = await call(routes[1] as Route, callers.programme);
    expect(response.statusCode).toBe(200);
  });
});

describe('lists hold only what the caller may see', () => {
  const paymentsOf = async (caller: Caller, query?: Record<string, string>) => {
    const response = await listPayments(
      apiEvent({ method: 'GET', path: '/payments', caller, queryStringParameters: query }),
      lambdaContext,
    );
    expect(response.statusCode).toBe(200);
    return (JSON.parse(response.body) as Array<{ municipality: string }>).map((p) => p.municipality);
  };

  it.each([
    ['Kolding finance', callers.koldingFinance, undefined, ['621']],
    ['Aalborg finance', callers.aalborgFinance, undefined, ['851']],
    ['Kolding finance asking for Aalborg', callers.koldingFinance, { municipality: '851' }, []],
    ['Kolding finance asking for Kolding', callers.koldingFinance, { municipality: '621' }, ['621']],
    ['the programme', callers.programme, undefined, ['851', '621']],
    ['the programme asking for Aalborg', callers.programme, { municipality: '851' }, ['851']],
  ] as const)('GET /payments as %s lists %j', async (_who, caller, query, expected) => {
    expect(await paymentsOf(caller, query)).toEqual(expected);
  });

  it('names who recorded the result a payment is for', async () => {
    const response = await listPayments(
      apiEvent({ method: 'GET', path: '/payments', caller: callers.koldingFinance }),
      lambdaContext,
    );
    expect(JSON.parse(response.body)[0].recordedBy).toBe('kolding-aktoer');
  });

  const paymentsAs = (caller: Caller, query: Record<string, string>, headers: Record<string, string> = {}) =>
    listPayments(
      apiEvent({ method: 'GET', path: '/payments', caller, queryStringParameters: query, headers }),
      lambdaContext,
    );

  it.each([
    [{ month: '2026-12' }, ['621']],
    [{ month: '2027-01' }, []],
    [{ payee: 'employment-actor' }, ['621']],
    [{ payee: 'social-accelerator' }, []],
  ] as const)('GET /payments for Kolding finance filtered by %j lists %j', async (query, expected) => {
    expect(await paymentsOf(callers.koldingFinance, query)).toEqual(expected);
  });

  it('shows finance its payments as a Danish page with filters, total and the CSV link, and nothing of Aalborg', async () => {
    // Act
    const response = await paymentsAs(callers.koldingFinance, { month: '2026-12' }, { Accept: 'text/html' });

    // Assess
    expect(response.statusCode).toBe(200);
    expect(response.headers?.['Content-Type']).toBe('text/html; charset=utf-8');
    expect(response.body).toContain('<h1>Betalinger</h1>');
    expect(response.body).toContain(`<tr data-payment="${referralId}.job-start.employment-actor">`);
    expect(response.body).toContain('1 betaling(er), i alt 15.000,00');
    expect(response.body).toContain('href="/prod/payments?month=2026-12&amp;format=csv"');
    expect(response.body).toContain('<option value="employment-actor">Beskæftigelsesaktør</option>');
    // Finance's home: the monthly statement is downloaded from the same page.
    expect(response.body).toContain('<form method="get" action="/prod/statements">');
    expect(response.body).not.toContain(unknownId);
    expect(response.body).not.toContain('<script');
  });

  it('gives finance its payments as a file for Danish Excel', async () => {
    // Act
    const response = await paymentsAs(callers.koldingFinance, { format: 'csv' });

    // Assess
    expect(response.statusCode).toBe(200);
    expect(response.headers?.['Content-Type']).toBe('text/csv; charset=utf-8');
    const lines = response.body.replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]).toMatch(/^Forfaldsdato;Kommune;Modtager;/);
    expect(lines[1]).toContain(
      ';621;Beskæftigelsesaktør 621;Beskæftigelsesaktør;Jobstart (ordinær ustøttet beskæftigelse);15000,00;',
    );
    expect(response.body).not.toContain(unknownId);
  });

  it('refuses a malformed month and an unknown payee with 400 and a Danish message per field', async () => {
    // Act
    const response = await paymentsAs(callers.koldingFinance, { month: '2026-13', payee: 'fund' });

    // Assess
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body).errors).toEqual([
      { field: 'month', message: 'Måned (month) skal angives som ÅÅÅÅ-MM' },
      { field: 'payee', message: 'Modtager (payee) skal være employment-actor eller social-accelerator' },
    ]);
  });

  const businessCaseOf = (caller: Caller, query?: Record<string, string>) =>
    businessCase(
      apiEvent({ method: 'GET', path: '/business-case', caller, queryStringParameters: query }),
      lambdaContext,
    );

  it('GET /business-case as finance covers its municipality only: no clusters, no programme', async () => {
    // Act
    const response = await businessCaseOf(callers.aalborgFinance);

    // Assess: computed from Aalborg's data alone, so Kolding's pathway is not even read.
    expect(response.statusCode).toBe(200);
    const body = JSON.parse(response.body);
    expect(body.businessCase.municipalities.map((m: { key: string }) => m.key)).toEqual(['851']);
    expect(body.businessCase.clusters).toEqual([]);
    expect(body.businessCase.programme).toBeNull();
    // Aalborg's one payment is for a pathway the table does not hold: counted apart, as unpriced.
    expect(body.unpricedPaidOere).toBe(1_500_000);
    const pathwayReads = dynamo
      .commandCalls(QueryCommand)
      .filter((c) => c.args[0].input.IndexName === undefined);
    expect(pathwayReads).toHaveLength(0);
  });

  it('GET /business-case?municipality= of another municipality answers finance 404, the programme 200', async () => {
    // Act
    const finance = await businessCaseOf(callers.koldingFinance, { municipality: '851' });
    const programme = await businessCaseOf(callers.programme, { municipality: '851' });

    // Assess
    expect(finance.statusCode).toBe(404);
    expect(finance.body).not.toContain('851');
    expect(programme.statusCode).toBe(200);
    expect(JSON.parse(programme.body).businessCase.municipalities.map((m: { key: string }) => m.key)).toEqual(
      ['851'],
    );
  });

  it('GET /business-case as the programme covers every municipality, the clusters and the programme', async () => {
    const body = JSON.parse((await businessCaseOf(callers.programme)).body);
    expect(body.businessCase.municipalities).toHaveLength(12);
    expect(body.businessCase.clusters).toHaveLength(2);
    expect(body.businessCase.programme.paidOere).toBe(1_500_000);
    expect(body.unpricedPaidOere).toBe(1_500_000);
  });

  it('GET /business-case as Kolding finance holds nothing of Aalborg’s, not even among the unpriced', async () => {
    const body = JSON.parse((await businessCaseOf(callers.koldingFinance)).body);
    expect(body.businessCase.municipalities.map((m: { key: string }) => m.key)).toEqual(['621']);
    expect(body.businessCase.municipalities[0].paidOere).toBe(1_500_000);
    expect(body.unpricedPaidOere).toBe(0);
  });

  it('the business case page for finance shows its municipality and no programme chart', async () => {
    // Act
    const response = await businessCase(
      apiEvent({
        method: 'GET',
        path: '/business-case',
        caller: callers.koldingFinance,
        headers: { Accept: 'text/html' },
      }),
      lambdaContext,
    );

    // Assess
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('data-chart="621"');
    expect(response.body).not.toContain('data-chart="programme"');
    expect(response.body).not.toContain('data-group="cluster-1"');
    expect(response.body).not.toContain('data-chart="851"');
  });
});

describe('every write about a pathway carries its access entry in its one transaction', () => {
  it.each([
    ['POST /referrals', callers.koldingCaseworker, 'refer'],
    ['POST /referrals/{id}/outcomes', callers.koldingActor, 'record-outcome'],
    ['POST /referrals/{id}/placement', callers.koldingActor, 'record-placement'],
    ['POST /referrals/{id}/confirmations', callers.koldingActor, 'record-confirmation'],
  ] as const)('%s as %o logs %s', async (name, caller, action) => {
    // Act
    const response = await call(routes.find((r) => r.name === name) as Route, caller);

    // Assess
    expect(response.statusCode).toBe(201);
    const transactions = dynamo.commandCalls(TransactWriteItemsCommand);
    expect(transactions).toHaveLength(1);
    const entries = (transactions[0]?.args[0].input.TransactItems ?? [])
      .map((i) => (i.Put?.Item ? unmarshall(i.Put.Item) : {}))
      .filter((i) => i.kind === 'access');
    expect(entries).toEqual([
      {
        pk: `REFERRAL#${JSON.parse(response.body).referralId}`,
        sk: expect.stringMatching(/^ACCESS#2026-11-26T10:00:00\.000Z#/),
        kind: 'access',
        referralId: JSON.parse(response.body).referralId,
        at: '2026-11-26T10:00:00.000Z',
        username: caller.username,
        role: caller.role,
        action,
      },
    ]);
    // Nothing about the pathway is written outside the transaction.
    expect(dynamo.commandCalls(PutItemCommand)).toHaveLength(0);
  });
});

describe('recordedBy is the signed-in user', () => {
  const transactItems = () =>
    dynamo
      .commandCalls(TransactWriteItemsCommand)
      .flatMap((c) => c.args[0].input.TransactItems ?? [])
      .map((i) => (i.Put?.Item ? unmarshall(i.Put.Item) : undefined));

  it('on an outcome and its events', async () => {
    // Act
    await call(routes[2] as Route, callers.koldingCaseworker);

    // Assess
    const items = transactItems();
    expect(items.find((i) => i?.kind === 'outcome')?.recordedBy).toBe('kolding-sagsbehandler');
    const events = items.filter((i) => i?.sk?.startsWith('EVENT#'));
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((e) => e?.by === 'kolding-sagsbehandler')).toBe(true);
  });

  it('on a placement event', async () => {
    await call(routes[3] as Route, callers.koldingActor);
    const event = transactItems().find((i) => i?.kind === 'induction-placed');
    expect(event?.by).toBe('kolding-aktoer');
  });

  it('on a confirmation and its event', async () => {
    // Act
    await call(routes[4] as Route, callers.koldingActor);

    // Assess
    const [update] = dynamo.commandCalls(TransactWriteItemsCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(unmarshall(update?.Update?.ExpressionAttributeValues ?? {})[':by']).toBe('kolding-aktoer');
    expect(transactItems().find((i) => i?.kind === 'milestone-confirmed')?.by).toBe('kolding-aktoer');
  });
});
