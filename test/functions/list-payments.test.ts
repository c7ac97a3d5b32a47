import { DynamoDBClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Caller } from '#domain/access';
import type { CompanyPaymentRecord } from '#shared/company-payment-store';
import type { PaymentRecord } from '#shared/pathway-store';
import { handler } from '../../functions/api/list-payments.ts';
import { apiEvent, callers, lambdaContext } from './support.ts';
import { companyPaymentItem, companyPaymentRecord } from './support-company-payments.ts';

/** GET /payments with the social accelerator's company-side payments beside the citizens' (issue 7, item 5). */

const dynamo = mockClient(DynamoDBClient);

const accelerator = {
  payeeId: 'social-accelerator',
  payeeName: 'Den Sociale Kapitalfond Management ApS (socialt acceleratorforløb)',
};

function citizenPayment(overrides: Partial<PaymentRecord>): PaymentRecord {
  return {
    paymentId: 'r-1.job-start.employment-actor',
    paymentKey: 'job-start#employment-actor',
    referralId: 'r-1',
    resultId: 'o-1',
    outcomeId: 'o-1',
    outcomeType: 'job-start',
    rule: 'job-start',
    payee: 'employment-actor',
    amountOere: 1_500_000,
    rateCardVersion: '2019-1',
    dueDate: '2027-12-01',
    municipality: '621',
    payeeId: 'employment-actor-621',
    payeeName: 'Beskæftigelsesaktør, Kolding Kommune',
    createdAt: '2027-11-01T08:00:00.000Z',
    recordedBy: 'kolding-aktoer',
    ...overrides,
  };
}

const companyPayment = companyPaymentRecord;

const citizens: PaymentRecord[] = [
  citizenPayment({}),
  citizenPayment({
    paymentId: 'r-1.job-start.social-accelerator',
    paymentKey: 'job-start#social-accelerator',
    payee: 'social-accelerator',
    ...accelerator,
    amountOere: 500_000,
  }),
  citizenPayment({
    paymentId: 'r-4.job-start.employment-actor',
    referralId: 'r-4',
    municipality: '851',
    payeeId: 'employment-actor-851',
    payeeName: 'Beskæftigelsesaktør, Aalborg Kommune',
  }),
];

const companies: CompanyPaymentRecord[] = [
  companyPayment({ notifiedAt: '2027-11-20T08:01:00.000Z' }),
  companyPayment({
    paymentId: 'cluster-1-2019:29000018:accelerator-hire-sustained:o-9:social-accelerator',
    paymentKey: 'cluster-1-2019:29000018:accelerator-hire-sustained:o-9',
    rule: 'accelerator-hire-sustained',
    resultId: 'o-9',
    referralId: 'r-9',
    amountOere: 80_000,
    dueDate: '2028-01-05',
    createdAt: '2027-12-06T08:00:00.000Z',
  }),
  companyPayment({
    paymentId: 'cluster-1-2019:10000009:social-model-implemented:social-accelerator',
    cvr: '10000009',
    companyName: 'Aalborg Café ApS',
    municipality: '851',
    createdAt: '2027-11-21T08:00:00.000Z',
  }),
];

function fakeTable(input: QueryCommandInput) {
  const pk = input.ExpressionAttributeValues?.[':pk']?.S;
  if (input.IndexName === 'byType' && pk === 'PAYMENT') {
    return {
      Items: citizens.map((p) =>
        marshall({ pk: `REFERRAL#${p.referralId}`, sk: `PAYMENT#${p.paymentKey}`, gsi1pk: pk, ...p }),
      ),
    };
  }
  if (input.IndexName === 'byType' && pk === 'COMPANY-PAYMENT') {
    return {
      Items: companies.map(companyPaymentItem),
    };
  }
  return { Items: [] };
}

const get = (caller: Caller, query: Record<string, string> = {}, headers: Record<string, string> = {}) =>
  handler(
    apiEvent({ method: 'GET', path: '/payments', caller, queryStringParameters: query, headers }),
    lambdaContext,
  );

type Row = { kind: string; paymentId: string; municipality: string; amountOere: number };
const rows = async (caller: Caller, query: Record<string, string> = {}) => {
  const response = await get(caller, query);
  expect(response.statusCode).toBe(200);
  return JSON.parse(response.body) as Row[];
};

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2028-01-02T10:00:00Z'));
  dynamo.reset();
  dynamo.on(QueryCommand).callsFake(fakeTable);
});

afterEach(() => vi.useRealTimers());

describe('GET /payments: the company side beside the citizens’', () => {
  it('lists both kinds, newest first; a citizen row as before with its kind, a company row with company and cohort', async () => {
    // Act
    const list = await rows(callers.koldingFinance);

    // Assess
    expect(list.map((r) => [r.kind, r.paymentId])).toEqual([
      ['company', 'cluster-1-2019:29000018:accelerator-hire-sustained:o-9:social-accelerator'],
      ['company', 'cluster-1-2019:29000018:social-model-implemented:social-accelerator'],
      ['citizen', 'r-1.job-start.employment-actor'],
      ['citizen', 'r-1.job-start.social-accelerator'],
    ]);
    expect(list[2]).toEqual({
      kind: 'citizen',
      paymentId: 'r-1.job-start.employment-actor',
      referralId: 'r-1',
      resultId: 'o-1',
      outcomeId: 'o-1',
      outcomeType: 'job-start',
      rule: 'job-start',
      amountOere: 1_500_000,
      amount: '15.000,00\u00a0kr.',
      cappedFromOere: null,
      rateCardVersion: '2019-1',
      dueDate: '2027-12-01',
      municipality: '621',
      payee: {
        kind: 'employment-actor',
        id: 'employment-actor-621',
        name: 'Beskæftigelsesaktør, Kolding Kommune',
      },
      createdAt: '2027-11-01T08:00:00.000Z',
      recordedBy: 'kolding-aktoer',
      notifiedAt: null,
    });
    expect(list[1]).toEqual({
      kind: 'company',
      paymentId: 'cluster-1-2019:29000018:social-model-implemented:social-accelerator',
      resultId: 'social-model',
      rule: 'social-model-implemented',
      amountOere: 1_160_000,
      amount: '11.600,00\u00a0kr.',
      cappedFromOere: null,
      rateCardVersion: 'company-2019-1',
      dueDate: '2027-12-20',
      resultDate: '2027-11-15',
      municipality: '621',
      payee: { kind: 'social-accelerator', id: accelerator.payeeId, name: accelerator.payeeName },
      company: { cvr: '29000018', name: 'Genbrugsværkstedet ApS' },
      cohortId: 'cluster-1-2019',
      referralId: null,
      createdAt: '2027-11-20T08:00:00.000Z',
      recordedBy: 'accelerator-staff',
      notifiedAt: '2027-11-20T08:01:00.000Z',
    });
    expect(list[0]).toMatchObject({ referralId: 'r-9', rule: 'accelerator-hire-sustained' });
  });

  it.each([
    ['Kolding finance', callers.koldingFinance, {}, ['621']],
    ['Aalborg finance', callers.aalborgFinance, {}, ['851']],
    ['Kolding finance asking for Aalborg', callers.koldingFinance, { municipality: '851' }, []],
    ['the programme asking for Aalborg', callers.programme, { municipality: '851' }, ['851']],
    ['the programme', callers.programme, {}, ['621', '851']],
  ] as const)('as %s lists company payments of %j only', async (_who, caller, query, expected) => {
    // Act
    const list = await rows(caller, query);

    // Assess
    expect([...new Set(list.filter((r) => r.kind === 'company').map((r) => r.municipality))].sort()).toEqual(
      expected,
    );
    expect([...new Set(list.map((r) => r.municipality))].sort()).toEqual(expected);
  });

  it.each([
    [{ month: '2027-12' }, ['citizen', 'citizen', 'company']],
    [{ month: '2028-01' }, ['company']],
    [{ payee: 'employment-actor' }, ['citizen']],
    [{ payee: 'social-accelerator' }, ['citizen', 'company', 'company']],
    [{ payee: 'social-accelerator', month: '2028-01' }, ['company']],
  ] as const)('filters both kinds alike by %j', async (query, kinds) => {
    // Act
    const list = await rows(callers.koldingFinance, query);

    // Assess
    expect(list.map((r) => r.kind).sort()).toEqual(kinds);
  });

  it('shows them on the page with the rule in Danish, the company and its cohort, and in the total', async () => {
    // Act
    const response = await get(callers.koldingFinance, { month: '2027-12' }, { Accept: 'text/html' });

    // Assess
    expect(response.statusCode).toBe(200);
    const page = response.body;
    expect(page).toContain('3 betaling(er), i alt 31.600,00');
    expect(page).toContain(
      '<tr data-payment="cluster-1-2019:29000018:social-model-implemented:social-accelerator"><td>20-12-2027</td>',
    );
    expect(page).toContain('<td>Social model implementeret (verificeret efter 12 måneder)</td>');
    expect(page).toContain(
      '<td data-kind="company"><span class="company" data-cvr="29000018">Genbrugsværkstedet ApS (CVR 29000018), hold cluster-1-2019</span></td>',
    );
    expect(page).toContain('<td data-kind="citizen"><code>r-1</code></td>');
    expect(page).not.toContain('Aalborg Café');
  });

  it('writes them to the CSV with kind, company, CVR number and cohort after the citizens’ columns', async () => {
    // Act
    const response = await get(callers.koldingFinance, { format: 'csv', payee: 'social-accelerator' });

    // Assess
    const lines = response.body.slice(1).split('\r\n');
    expect(lines[0]).toBe(
      'Forfaldsdato;Kommune;Modtager;Modtagertype;Resultat;Beløb (kr.);Takstkort;Betalings-id;Borgerreference (forløb);Meddelt økonomi;Resultattype;Virksomhed;CVR;Hold',
    );
    expect(lines.slice(1, -1)).toEqual([
      `2028-01-05;621;${accelerator.payeeName};Social accelerator;Udsat borger ansat i acceleratorvirksomhed og fastholdt i 26 uger;800,00;company-2019-1;cluster-1-2019:29000018:accelerator-hire-sustained:o-9:social-accelerator;r-9;nej;Virksomhedsresultat;Genbrugsværkstedet ApS;29000018;cluster-1-2019`,
      `2027-12-20;621;${accelerator.payeeName};Social accelerator;Social model implementeret (verificeret efter 12 måneder);11600,00;company-2019-1;cluster-1-2019:29000018:social-model-implemented:social-accelerator;;ja;Virksomhedsresultat;Genbrugsværkstedet ApS;29000018;cluster-1-2019`,
      `2027-12-01;621;${accelerator.payeeName};Social accelerator;Jobstart (ordinær ustøttet beskæftigelse);5000,00;2019-1;r-1.job-start.social-accelerator;r-1;nej;Borgerresultat;;;`,
    ]);
  });
});
