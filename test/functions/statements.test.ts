import { DynamoDBClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Caller } from '#domain/access';
import type { CompanyPaymentRecord } from '#shared/company-payment-store';
import type { PaymentRecord } from '#shared/pathway-store';
import { handler } from '../../functions/api/statements.ts';
import { apiEvent, callers, lambdaContext } from './support.ts';
import { companyPaymentItem, companyPaymentRecord } from './support-company-payments.ts';

const dynamo = mockClient(DynamoDBClient);

function payment(overrides: Partial<PaymentRecord>): PaymentRecord {
  const rule = overrides.rule ?? 'job-start';
  const payee = overrides.payee ?? 'employment-actor';
  const referralId = overrides.referralId ?? 'r-1';
  return {
    paymentId: `${referralId}.${rule}.${payee}`,
    paymentKey: `${rule}#${payee}`,
    referralId,
    resultId: 'o-1',
    outcomeId: 'o-1',
    outcomeType: 'job-start',
    rule,
    payee,
    amountOere: 1_500_000,
    rateCardVersion: '2019-1',
    dueDate: '2027-12-30',
    municipality: '621',
    payeeId: payee === 'employment-actor' ? 'employment-actor-621' : 'social-accelerator',
    payeeName:
      payee === 'employment-actor'
        ? 'Beskæftigelsesaktør, Kolding Kommune'
        : 'Den Sociale Kapitalfond Management ApS (socialt acceleratorforløb)',
    createdAt: '2027-11-30T08:00:00.000Z',
    ...overrides,
  };
}

const payments: PaymentRecord[] = [
  payment({ referralId: 'r-2', dueDate: '2027-12-31', amountOere: 1_125_000 }),
  payment({ referralId: 'r-2', payee: 'social-accelerator', dueDate: '2027-12-31', amountOere: 375_000 }),
  payment({
    referralId: 'r-1',
    rule: 'sustained-13-weeks-partial',
    dueDate: '2027-12-01',
    amountOere: 666_667,
  }),
  payment({ referralId: 'r-1', dueDate: '2027-11-30' }),
  payment({ referralId: 'r-3', dueDate: '2028-01-01' }),
  payment({ referralId: 'r-4', municipality: '851', payeeId: 'employment-actor-851', dueDate: '2027-12-15' }),
];

/** Company-side payments to the social accelerator (issue 7); none unless a test puts some in. */
let companyPayments: CompanyPaymentRecord[] = [];

const companyPayment = companyPaymentRecord;

/** The byType index: the citizens' payments and the companies' under their own keys. */
function fakeTable(input: QueryCommandInput) {
  const pk = input.ExpressionAttributeValues?.[':pk']?.S;
  if (input.IndexName === 'byType' && pk === 'PAYMENT') {
    return {
      Items: payments.map((p) =>
        marshall({ pk: `REFERRAL#${p.referralId}`, sk: `PAYMENT#${p.paymentKey}`, gsi1pk: 'PAYMENT', ...p }),
      ),
    };
  }
  if (input.IndexName === 'byType' && pk === 'COMPANY-PAYMENT') {
    return {
      Items: companyPayments.map(companyPaymentItem),
    };
  }
  return { Items: [] };
}

const get = (query: Record<string, string> | null, caller: Caller = callers.koldingFinance) => {
  const event: APIGatewayProxyEvent = {
    ...apiEvent({ method: 'GET', path: '/statements', caller }),
    queryStringParameters: query,
  };
  return handler(event, lambdaContext);
};

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2028-01-02T10:00:00Z'));
  dynamo.reset();
  dynamo.on(QueryCommand).callsFake(fakeTable);
  companyPayments = [];
});

afterEach(() => vi.useRealTimers());

describe('GET /statements', () => {
  it("lists the month's payments of the municipality per payee, with lines and totals", async () => {
    // Act
    const response = await get({ municipality: '621', month: '2027-12' });

    // Assess
    expect(response.statusCode).toBe(200);
    const body = JSON.parse(response.body);
    expect(body).toMatchObject({
      municipality: { code: '621', name: 'Kolding' },
      month: '2027-12',
      asOf: '2028-01-02T10:00:00.000Z',
      totalOere: 2_166_667,
      total: '21.666,67\u00a0kr.',
    });
    expect(body.payees).toHaveLength(2);
    const [actor, accelerator] = body.payees;
    expect(actor.payee).toEqual({
      kind: 'employment-actor',
      id: 'employment-actor-621',
      name: 'Beskæftigelsesaktør, Kolding Kommune',
    });
    expect(actor.lines).toEqual([
      {
        kind: 'citizen',
        paymentId: 'r-1.sustained-13-weeks-partial.employment-actor',
        dueDate: '2027-12-01',
        rule: 'sustained-13-weeks-partial',
        result: 'Fastholdt i job 13 uger, under timegrænsen (delvist resultat)',
        referralId: 'r-1',
        rateCardVersion: '2019-1',
        amountOere: 666_667,
        amount: '6.666,67\u00a0kr.',
        cappedFromOere: null,
      },
      expect.objectContaining({ paymentId: 'r-2.job-start.employment-actor', amountOere: 1_125_000 }),
    ]);
    expect(actor.totalOere).toBe(1_791_667);
    expect(accelerator.payee.id).toBe('social-accelerator');
    expect(accelerator.lines.map((l: { referralId: string }) => l.referralId)).toEqual(['r-2']);
    expect(accelerator.totalOere).toBe(375_000);
  });

  it('narrows the statement to one payee', async () => {
    // Act
    const response = await get({ municipality: '621', month: '2027-12', payee: 'social-accelerator' });

    // Assess
    const body = JSON.parse(response.body);
    expect(body.payees.map((p: { payee: { id: string } }) => p.payee.id)).toEqual(['social-accelerator']);
    expect(body.totalOere).toBe(375_000);
  });

  it('lists the payees with nothing due as empty, with zero totals', async () => {
    // Act
    const response = await get({ municipality: '157', month: '2027-12' }, callers.programme);

    // Assess
    const body = JSON.parse(response.body);
    expect(body.payees.map((p: { lines: unknown[]; totalOere: number }) => [p.lines, p.totalOere])).toEqual([
      [[], 0],
      [[], 0],
    ]);
  });

  it('answers a Danish Excel file: BOM, semicolons, decimal comma, a total row per payee', async () => {
    // Act
    const response = await get({ municipality: '621', month: '2027-12', format: 'csv' });

    // Assess
    expect(response.statusCode).toBe(200);
    expect(response.headers).toMatchObject({
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': 'attachment; filename="statement-621-2027-12.csv"',
    });
    expect(response.body.startsWith('\uFEFF')).toBe(true);
    expect(response.body.slice(1).split('\r\n')).toEqual([
      'Kommune;Måned;Betalingsmodtager;Modtager-id;Betalings-id;Forfaldsdato;Resultat;Borgerreference (forløb);Takstkort;Beløb (kr.);Virksomhed;CVR;Hold',
      'Kolding (621);2027-12;Beskæftigelsesaktør, Kolding Kommune;employment-actor-621;r-1.sustained-13-weeks-partial.employment-actor;2027-12-01;Fastholdt i job 13 uger, under timegrænsen (delvist resultat);r-1;2019-1;6666,67;;;',
      'Kolding (621);2027-12;Beskæftigelsesaktør, Kolding Kommune;employment-actor-621;r-2.job-start.employment-actor;2027-12-31;Jobstart (ordinær ustøttet beskæftigelse);r-2;2019-1;11250,00;;;',
      'Kolding (621);2027-12;Beskæftigelsesaktør, Kolding Kommune;employment-actor-621;;;I alt;;;17916,67;;;',
      'Kolding (621);2027-12;Den Sociale Kapitalfond Management ApS (socialt acceleratorforløb);social-accelerator;r-2.job-start.social-accelerator;2027-12-31;Jobstart (ordinær ustøttet beskæftigelse);r-2;2019-1;3750,00;;;',
      'Kolding (621);2027-12;Den Sociale Kapitalfond Management ApS (socialt acceleratorforløb);social-accelerator;;;I alt;;;3750,00;;;',
      '',
    ]);
  });

  it.each([
    [null, ['month']],
    [{ municipality: '999', month: '2027-12' }, ['municipality']],
    [{ municipality: '621', month: '2027-13' }, ['month']],
    [{ municipality: '621', month: '2027-1' }, ['month']],
    [{ municipality: '621', month: '12-2027' }, ['month']],
    [{ municipality: '621', month: '2027-12', format: 'pdf' }, ['format']],
    [{ municipality: '621', month: '2027-12', payee: 'employment-actor-851' }, ['payee']],
  ])('refuses %j with 400 on %j before reading anything', async (query, fields) => {
    // Act
    const response = await get(query);

    // Assess
    expect(response.statusCode).toBe(400);
    const { errors } = JSON.parse(response.body) as { errors: Array<{ field: string; message: string }> };
    expect(errors.map((e) => e.field)).toEqual(fields);
    expect(dynamo.commandCalls(QueryCommand)).toHaveLength(0);
  });
});

describe('GET /statements by role and municipality', () => {
  it('defaults to the finance user’s own municipality', async () => {
    // Act
    const response = await get({ month: '2027-12' }, callers.koldingFinance);

    // Assess
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body).municipality).toEqual({ code: '621', name: 'Kolding' });
  });

  it.each([
    ['Kolding finance asking for Aalborg', callers.koldingFinance, '851'],
    ['Aalborg finance asking for Kolding', callers.aalborgFinance, '621'],
  ])('answers %s with 404 that names neither municipality, reading nothing', async (_who, caller, code) => {
    // Act
    const response = await get({ municipality: code, month: '2027-12' }, caller);

    // Assess
    expect(response.statusCode).toBe(404);
    expect(response.body).not.toMatch(/Kolding|Aalborg|r-4/);
    expect(dynamo.commandCalls(QueryCommand)).toHaveLength(0);
  });

  it('gives the programme any municipality, and asks it to name one', async () => {
    // Act
    const aalborg = await get({ municipality: '851', month: '2027-12' }, callers.programme);
    const none = await get({ month: '2027-12' }, callers.programme);

    // Assess
    expect(aalborg.statusCode).toBe(200);
    expect(JSON.parse(aalborg.body).totalOere).toBe(1_500_000);
    expect(none.statusCode).toBe(400);
  });

  it.each([
    ['a caseworker', callers.koldingCaseworker],
    ['an employment actor', callers.koldingActor],
  ])('refuses %s with 403', async (_who, caller) => {
    const response = await get({ municipality: '621', month: '2027-12' }, caller);
    expect(response.statusCode).toBe(403);
    expect(dynamo.commandCalls(QueryCommand)).toHaveLength(0);
  });
});

describe('GET /statements with company-side results (issue 7, item 5)', () => {
  beforeEach(() => {
    companyPayments = [
      companyPayment({}),
      companyPayment({
        paymentId: 'cluster-1-2019:29000018:accelerator-hire-sustained:o-9:social-accelerator',
        paymentKey: 'cluster-1-2019:29000018:accelerator-hire-sustained:o-9',
        rule: 'accelerator-hire-sustained',
        resultId: 'o-9',
        referralId: 'r-9',
        amountOere: 80_000,
        dueDate: '2027-12-31',
      }),
      // Due the month after: not on December's statement.
      companyPayment({ paymentId: 'january', dueDate: '2028-01-04' }),
      // Another municipality's company: never on Kolding's statement.
      companyPayment({
        paymentId: 'aalborg',
        cvr: '10000009',
        companyName: 'Aalborg Café ApS',
        municipality: '851',
        dueDate: '2027-12-15',
      }),
    ];
  });

  it("lists them as the accelerator's lines with the company as reference, and in the totals", async () => {
    // Act
    const body = JSON.parse((await get({ municipality: '621', month: '2027-12' })).body);

    // Assess
    const [actor, accelerator] = body.payees;
    expect(actor.totalOere).toBe(1_791_667);
    expect(accelerator.lines).toEqual([
      {
        kind: 'company',
        paymentId: 'cluster-1-2019:29000018:social-model-implemented:social-accelerator',
        dueDate: '2027-12-20',
        rule: 'social-model-implemented',
        result: 'Social model implementeret (verificeret efter 12 måneder)',
        company: { cvr: '29000018', name: 'Genbrugsværkstedet ApS' },
        cohortId: 'cluster-1-2019',
        referralId: null,
        rateCardVersion: 'company-2019-1',
        amountOere: 1_160_000,
        amount: '11.600,00\u00a0kr.',
        cappedFromOere: null,
      },
      // Same due date: in order of payment id.
      expect.objectContaining({
        kind: 'company',
        rule: 'accelerator-hire-sustained',
        result: 'Udsat borger ansat i acceleratorvirksomhed og fastholdt i 26 uger',
        referralId: 'r-9',
      }),
      expect.objectContaining({ kind: 'citizen', paymentId: 'r-2.job-start.social-accelerator' }),
    ]);
    expect(accelerator.totalOere).toBe(375_000 + 1_160_000 + 80_000);
    expect(body.totalOere).toBe(2_166_667 + 1_240_000);
    expect(JSON.stringify(body)).not.toMatch(/Aalborg|10000009|january/);
  });

  it("keeps them off another municipality's statement", async () => {
    // Act
    const body = JSON.parse((await get({ municipality: '851', month: '2027-12' }, callers.programme)).body);

    // Assess
    expect(body.payees[1].lines.map((l: { paymentId: string }) => l.paymentId)).toEqual(['aalborg']);
    expect(body.totalOere).toBe(1_500_000 + 1_160_000);
    expect(JSON.stringify(body)).not.toContain('Genbrugsværkstedet');
  });

  it('puts them in the CSV with company, CVR number and cohort, and in the total row', async () => {
    // Act
    const response = await get({
      municipality: '621',
      month: '2027-12',
      payee: 'social-accelerator',
      format: 'csv',
    });

    // Assess
    expect(response.body.slice(1).split('\r\n')).toEqual([
      'Kommune;Måned;Betalingsmodtager;Modtager-id;Betalings-id;Forfaldsdato;Resultat;Borgerreference (forløb);Takstkort;Beløb (kr.);Virksomhed;CVR;Hold',
      'Kolding (621);2027-12;Den Sociale Kapitalfond Management ApS (socialt acceleratorforløb);social-accelerator;cluster-1-2019:29000018:social-model-implemented:social-accelerator;2027-12-20;Social model implementeret (verificeret efter 12 måneder);;company-2019-1;11600,00;Genbrugsværkstedet ApS;29000018;cluster-1-2019',
      'Kolding (621);2027-12;Den Sociale Kapitalfond Management ApS (socialt acceleratorforløb);social-accelerator;cluster-1-2019:29000018:accelerator-hire-sustained:o-9:social-accelerator;2027-12-31;Udsat borger ansat i acceleratorvirksomhed og fastholdt i 26 uger;r-9;company-2019-1;800,00;Genbrugsværkstedet ApS;29000018;cluster-1-2019',
      'Kolding (621);2027-12;Den Sociale Kapitalfond Management ApS (socialt acceleratorforløb);social-accelerator;r-2.job-start.social-accelerator;2027-12-31;Jobstart (ordinær ustøttet beskæftigelse);r-2;2019-1;3750,00;;;',
      'Kolding (621);2027-12;Den Sociale Kapitalfond Management ApS (socialt acceleratorforløb);social-accelerator;;;I alt;;;16150,00;;;',
      '',
    ]);
  });

  it('reads the company payments of the asked municipality only', async () => {
    // Act
    await get({ month: '2027-12' }, callers.koldingFinance);

    // Assess
    const asked = dynamo
      .commandCalls(QueryCommand)
      .map((c) => c.args[0].input.ExpressionAttributeValues?.[':pk']?.S);
    expect(asked.sort()).toEqual(['COMPANY-PAYMENT', 'PAYMENT']);
  });
});
