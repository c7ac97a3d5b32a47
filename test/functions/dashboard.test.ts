import { DynamoDBClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Caller } from '#domain/access';
import type { DashboardGroup } from '#domain/dashboard';
import { planPathway } from '#domain/pathway';
import { municipalities } from '#domain/programme';
import type { CompanyPaymentRecord } from '#shared/company-payment-store';
import type { OutcomeRecord, PaymentRecord, ReferralRecord } from '#shared/pathway-store';
import { handler } from '../../functions/api/dashboard.ts';
import { apiEvent, callers, lambdaContext } from './support.ts';
import { companyPaymentItem, companyPaymentRecord } from './support-company-payments.ts';
import { outcomeItem, referralRecord, stateItem } from './support-records.ts';

const dynamo = mockClient(DynamoDBClient);

/** Kolding in induction with a job, Aalborg closed after a drop-out, Køge (cluster 2) in training. */
const referrals: ReferralRecord[] = [
  referralRecord({
    referralId: 'kolding',
    municipality: '621',
    citizenKey: 'c-kolding',
    startDate: '2026-09-01',
    referredOn: '2026-09-01',
    plan: planPathway('2026-09-01'),
    phase: 'induction',
  }),
  referralRecord({
    referralId: 'aalborg',
    municipality: '851',
    citizenKey: 'c-aalborg',
    startDate: '2026-10-05',
    referredOn: '2026-10-05',
    plan: planPathway('2026-10-05'),
    phase: 'closed',
    closedReason: 'dropout',
  }),
  referralRecord({
    referralId: 'koege',
    municipality: '259',
    citizenKey: 'c-koege',
    startDate: '2026-11-02',
    referredOn: '2026-11-02',
    plan: planPathway('2026-11-02'),
    phase: 'training',
  }),
];

function outcome(referralId: string, type: OutcomeRecord['type'], date: string): OutcomeRecord {
  return {
    referralId,
    outcomeId: `${referralId}-${type}`,
    type,
    date,
    ...(type === 'job-start' ? { hoursPerWeek: 37, employer: 'Kolding Bageri ApS' } : {}),
    recordedAt: `${date}T09:00:00.000Z`,
    recordedBy: 'someone',
    phaseAtOutcome: 'induction',
  };
}

const outcomes: OutcomeRecord[] = [
  outcome('kolding', 'job-start', '2027-03-08'),
  outcome('aalborg', 'dropout', '2026-12-14'),
];

function payment(
  referralId: string,
  municipality: string,
  amountOere: number,
  dueDate: string,
  payee: PaymentRecord['payee'] = 'employment-actor',
): PaymentRecord {
  return {
    paymentId: `${referralId}.${payee}`,
    paymentKey: `job-start#${payee}`,
    referralId,
    resultId: `${referralId}-job-start`,
    outcomeId: `${referralId}-job-start`,
    outcomeType: 'job-start',
    rule: 'job-start',
    payee,
    amountOere,
    rateCardVersion: '2019-1',
    dueDate,
    municipality,
    payeeId: payee === 'employment-actor' ? `employment-actor-${municipality}` : 'social-accelerator',
    payeeName: 'x',
    createdAt: `${dueDate}T08:00:00.000Z`,
  };
}

const payments = [
  payment('kolding', '621', 1_500_000, '2027-04-07'),
  payment('kolding', '621', 250_050, '2027-04-07', 'social-accelerator'),
];

/** Company-side payments to the social accelerator (issue 7); none unless a test puts some in. */
let companyPayments: CompanyPaymentRecord[] = [];

const companyPayment = (municipality: string, cvr: string, amountOere: number, dueDate: string) =>
  companyPaymentRecord({ municipality, cvr, amountOere, dueDate });

/** The table as the handler queries it: the byType index for referrals and payments, then each pathway. */
function fakeTable(input: QueryCommandInput) {
  const pk = input.ExpressionAttributeValues?.[':pk']?.S;
  if (input.IndexName === 'byType' && pk === 'COMPANY-PAYMENT') {
    return { Items: companyPayments.map(companyPaymentItem) };
  }
  if (input.IndexName === 'byType' && pk === 'REFERRAL') {
    return {
      Items: referrals.map((r) => marshall({ referralId: r.referralId, municipality: r.municipality })),
    };
  }
  if (input.IndexName === 'byType' && pk === 'PAYMENT') {
    return {
      Items: payments.map((p) => marshall({ gsi1pk: 'PAYMENT', ...p }, { removeUndefinedValues: true })),
    };
  }
  const referral = referrals.find((r) => pk === `REFERRAL#${r.referralId}`);
  if (referral) {
    return {
      Items: [
        stateItem(referral),
        ...outcomes.filter((o) => o.referralId === referral.referralId).map(outcomeItem),
      ],
    };
  }
  return { Items: [] };
}

const get = (
  query: Record<string, string> | null,
  caller: Caller = callers.programme,
  headers: Record<string, string> = {},
) => {
  const event: APIGatewayProxyEvent = {
    ...apiEvent({ method: 'GET', path: '/dashboard', headers, caller }),
    queryStringParameters: query,
  };
  return handler(event, lambdaContext);
};

interface Body {
  asOf: string;
  options: { municipality: string | null };
  dashboard: {
    months: string[];
    programme: DashboardGroup | null;
    clusters: DashboardGroup[];
    municipalities: DashboardGroup[];
  };
}

/** Which referrals' pathways the handler read. */
const pathwaysRead = () =>
  dynamo
    .commandCalls(QueryCommand)
    .map((c) => c.args[0].input.ExpressionAttributeValues?.[':pk']?.S)
    .filter((pk) => pk?.startsWith('REFERRAL#'));

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2027-05-03T10:00:00Z'));
  dynamo.reset();
  dynamo.on(QueryCommand).callsFake(fakeTable);
  companyPayments = [];
});

afterEach(() => vi.useRealTimers());

describe('GET /dashboard as JSON', () => {
  it('shows the programme all 12 municipalities, 2 clusters and the programme against the 18 places', async () => {
    // Act
    const response = await get(null);

    // Assess
    expect(response.statusCode).toBe(200);
    expect(response.headers?.['Content-Type']).toBe('application/json; charset=utf-8');
    const body = JSON.parse(response.body) as Body;
    expect(body.asOf).toBe('2027-05-03T10:00:00.000Z');
    expect(body.options).toEqual({ municipality: null });
    const board = body.dashboard;
    expect(board.municipalities.map((m) => m.key)).toEqual(municipalities.map((m) => m.code));
    expect(board.clusters.map((c) => [c.key, c.places, c.placesUsed, c.placesFree])).toEqual([
      ['cluster-1', 9, 1, 8],
      ['cluster-2', 9, 1, 8],
    ]);
    expect(board.programme).toMatchObject({
      key: 'programme',
      places: 18,
      placesUsed: 2,
      placesFree: 16,
      pathways: 3,
      byPhase: { referred: 0, training: 1, induction: 1, tracking: 0, closed: 1 },
      outcomes: { 'job-start': 1, 'education-start': 0, dropout: 1 },
      paidOere: 1_750_050,
      paidToEmploymentActorsOere: 1_500_000,
      paidToAcceleratorOere: 250_050,
    });
    expect(board.months).toEqual([
      '2026-09',
      '2026-10',
      '2026-11',
      '2026-12',
      '2027-01',
      '2027-02',
      '2027-03',
      '2027-04',
    ]);
    expect(board.municipalities.find((m) => m.key === '621')?.months.at(-1)).toEqual({
      month: '2027-04',
      referrals: 0,
      outcomes: { 'job-start': 0, 'education-start': 0, dropout: 0 },
      paidOere: 1_750_050,
      paidToEmploymentActorsOere: 1_500_000,
      paidToAcceleratorOere: 250_050,
    });
    expect(board.municipalities.find((m) => m.key === '851')).toMatchObject({ placesUsed: 0, placesFree: 2 });
  });

  it('never answers names, CPR or employers', async () => {
    // Act
    const response = await get(null);

    // Assess
    expect(response.body).not.toContain('Anna Hansen');
    expect(response.body).not.toContain('Kolding Bageri');
    expect(response.body).not.toContain('citizen');
    expect(response.body).not.toMatch(/\d{6}-?\d{4}/);
  });

  it.each<[string, Caller, Record<string, string> | null]>([
    ['Kolding finance', callers.koldingFinance, null],
    ['the Kolding caseworker', callers.koldingCaseworker, null],
    ['the Kolding employment actor', callers.koldingActor, null],
    ['the Kolding caseworker asking for Kolding', callers.koldingCaseworker, { municipality: '621' }],
    ['the programme asking for Kolding', callers.programme, { municipality: '621' }],
  ])('shows %s Kolding alone, from Kolding’s data only', async (_, caller, query) => {
    // Act
    const response = await get(query, caller);

    // Assess
    expect(response.statusCode).toBe(200);
    const board = (JSON.parse(response.body) as Body).dashboard;
    expect(board.programme).toBeNull();
    expect(board.clusters).toEqual([]);
    expect(board.municipalities.map((m) => m.key)).toEqual(['621']);
    expect(board.municipalities[0]).toMatchObject({
      places: 1,
      placesUsed: 1,
      placesFree: 0,
      paidOere: 1_750_050,
    });
    expect(pathwaysRead()).toEqual(['REFERRAL#kolding']);
  });

  it.each<[string, Caller, Record<string, string>]>([
    ['the Kolding caseworker asking for Aalborg', callers.koldingCaseworker, { municipality: '851' }],
    ['Kolding finance asking for Aalborg', callers.koldingFinance, { municipality: '851' }],
    ['the Aalborg employment actor asking for Kolding', callers.aalborgActor, { municipality: '621' }],
    ['the programme asking for a code outside the programme', callers.programme, { municipality: '101' }],
  ])('answers %s 404 without reading any pathway', async (_, caller, query) => {
    // Act
    const response = await get(query, caller);

    // Assess
    expect(response.statusCode).toBe(404);
    expect(JSON.parse(response.body).errors).toEqual([
      { field: 'municipality', message: 'Der findes ingen kommune med den kode, du har adgang til' },
    ]);
    expect(pathwaysRead()).toEqual([]);
  });

  it.each<[Record<string, string>, string[]]>([
    [{ format: 'xlsx' }, ['format']],
    [{ municipality: 'Kolding' }, ['municipality']],
    [{ municipality: '6210' }, ['municipality']],
    [{ format: 'pdf', municipality: 'x' }, ['format', 'municipality']],
  ])(
    'refuses %j with 400 on %j, a Danish message per field, before reading anything',
    async (query, fields) => {
      // Act
      const response = await get(query);

      // Assess
      expect(response.statusCode).toBe(400);
      const { errors } = JSON.parse(response.body) as { errors: Array<{ field: string; message: string }> };
      expect(errors.map((e) => e.field)).toEqual(fields);
      for (const error of errors) expect(error.message).toMatch(/skal/);
      expect(dynamo.commandCalls(QueryCommand)).toHaveLength(0);
    },
  );

  it('treats empty values as not given', async () => {
    // Act
    const response = await get({ format: '', municipality: '' });

    // Assess
    expect(response.statusCode).toBe(200);
    expect((JSON.parse(response.body) as Body).dashboard.municipalities).toHaveLength(12);
  });

  it('refuses a caller without a session with 401', async () => {
    // Prepare
    const event = { ...apiEvent({ method: 'GET', path: '/dashboard' }), queryStringParameters: null };

    // Act
    const response = await handler(event, lambdaContext);

    // Assess
    expect(response.statusCode).toBe(401);
  });
});

describe('GET /dashboard for a browser', () => {
  it('answers the Danish page: the summary table with cluster and programme rows, three accessible SVG charts, no script', async () => {
    // Act
    const response = await get(null, callers.programme, { Accept: 'text/html,application/xhtml+xml' });

    // Assess
    expect(response.statusCode).toBe(200);
    expect(response.headers?.['Content-Type']).toBe('text/html; charset=utf-8');
    expect(response.headers?.['Content-Security-Policy']).toContain("default-src 'none'");
    const page = response.body;
    expect(page).toContain('<html lang="da">');
    expect(page).not.toContain('<script');
    expect(page).toContain(
      '<tr><th scope="col">Kommune</th><th scope="col" class="num">Pladser</th><th scope="col" class="num">Optaget</th><th scope="col" class="num">Ledige</th><th scope="col" class="num">Venter på start</th><th scope="col" class="num">Træning</th><th scope="col" class="num">Indslusning</th><th scope="col" class="num">Opfølgning</th><th scope="col" class="num">Afsluttet</th></tr>',
    );
    expect(page).toContain(
      '<tr data-group="programme" class="programme"><th scope="row">Social inklusion gennem Vækstpartnerskaber</th><td class="num">18</td><td class="num">2</td><td class="num">16</td><td class="num">0</td><td class="num">1</td><td class="num">1</td><td class="num">0</td><td class="num">1</td></tr>',
    );
    expect(page).toContain('<tr data-group="cluster-2" class="cluster"><th scope="row">Klynge 2 (2020)</th>');
    for (const m of municipalities)
      expect(page).toContain(`<tr data-group="${m.code}" class="municipality">`);
    // Places, phases, and the programme's payments per month; each an image with a title and a description.
    const svgs = page.match(/<svg [^>]*>[\s\S]*?<\/svg>/g) ?? [];
    expect(svgs.map((s) => s.match(/data-chart="([^"]+)"/)?.[1])).toEqual([
      'places',
      'phases',
      'payments-programme',
    ]);
    for (const svg of svgs) {
      expect(svg).toContain('role="img"');
      expect(svg).toMatch(/<title id="chart-[\w-]+-title">[^<]+<\/title>/);
      expect(svg).toMatch(/<desc id="chart-[\w-]+-desc">[^<]+<\/desc>/);
    }
    // Danish formats: amounts, months, the date of the figures.
    expect(svgs[2]).toContain('apr. 2027: 17.500,50\u00a0kr.');
    expect(page).toContain('<th scope="row">apr. 2027</th>');
    expect(page).toContain('Opgjort 3. maj 2027 kl. 12.00');
    expect(page).toContain('Programmet har seedets 18 pladser i 12 kommuner og 2 klynger.');
    // Wide tables scroll in their own region.
    expect(page).toContain(
      '<div class="table-scroll" role="region" aria-label="Pladser og forløb pr. fase" tabindex="0">',
    );
    expect(page).toContain('href="/prod/dashboard?format=csv"');
  });

  it('shows a municipality its own figures and months, with its own CSV link', async () => {
    // Act
    const page = (await get(null, callers.koldingCaseworker, { Accept: 'text/html' })).body;

    // Assess
    expect(page).toContain('Kolding Kommune har 1 plads.');
    expect(page).not.toContain('data-group="programme"');
    expect(page).not.toContain('Aalborg');
    expect(page).toContain('data-chart="payments-621"');
    expect(page).toContain('href="/prod/dashboard?format=csv"');
  });

  it('keeps ?municipality= in the CSV link', async () => {
    // Act
    const page = (await get({ municipality: '621' }, callers.programme, { Accept: 'text/html' })).body;

    // Assess
    expect(page).toContain('href="/prod/dashboard?municipality=621&amp;format=csv"');
  });
});

describe('GET /dashboard?format=csv', () => {
  it('answers a Danish Excel file: BOM, semicolons, decimal comma, one row per group, then the months', async () => {
    // Act
    const response = await get({ format: 'csv' }, callers.programme, { Accept: 'text/html' });

    // Assess
    expect(response.statusCode).toBe(200);
    expect(response.headers).toMatchObject({
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': 'attachment; filename="dashboard.csv"',
    });
    expect(response.body.startsWith('\uFEFF')).toBe(true);
    const lines = response.body.slice(1).split('\r\n');
    expect(lines[0]).toBe(
      'Niveau;Nøgle;Navn;Pladser;Optaget;Ledige;Venter på start;Træning;Indslusning;Opfølgning;Afsluttet;Jobstart;Uddannelsesstart;Frafald;Betalt (kr.);Heraf beskæftigelsesaktører (kr.);Heraf social accelerator (kr.)',
    );
    expect(lines[1]).toBe(
      'Programmet;programme;Social inklusion gennem Vækstpartnerskaber;18;2;16;0;1;1;0;1;1;0;1;17500,50;15000,00;2500,50',
    );
    expect(lines).toContain('Kommune;621;Kolding;1;1;0;0;0;1;0;0;1;0;0;17500,50;15000,00;2500,50');
    // Programme, two clusters, twelve municipalities; an empty row; the months of every group.
    const empty = ';'.repeat(16);
    expect(lines.indexOf(empty)).toBe(1 + 1 + 2 + municipalities.length);
    expect(lines[lines.indexOf(empty) + 1]).toBe(
      `Måned;Niveau;Nøgle;Navn;Visitationer;Jobstart;Uddannelsesstart;Frafald;Betalt (kr.);Heraf beskæftigelsesaktører (kr.);Heraf social accelerator (kr.)${';'.repeat(6)}`,
    );
    expect(lines).toContain(`2027-04;Kommune;621;Kolding;0;0;0;0;17500,50;15000,00;2500,50${';'.repeat(6)}`);
    expect(lines.filter((l) => /^\d{4}-\d{2};/.test(l))).toHaveLength(15 * 8);
    expect(lines.at(-1)).toBe('');
  });
});

describe('GET /dashboard with company-side payments (issue 7, item 5)', () => {
  beforeEach(() => {
    companyPayments = [
      companyPayment('621', '29000018', 1_160_000, '2027-04-20'),
      companyPayment('851', '10000009', 80_000, '2027-04-30'),
    ];
  });

  it('counts them as paid to the accelerator in their month and municipality', async () => {
    // Act
    const board = (JSON.parse((await get(null)).body) as Body).dashboard;

    // Assess
    expect(board.programme).toMatchObject({
      paidOere: 1_750_050 + 1_240_000,
      paidToEmploymentActorsOere: 1_500_000,
      paidToAcceleratorOere: 250_050 + 1_240_000,
    });
    expect(board.municipalities.find((m) => m.key === '621')?.months.at(-1)).toMatchObject({
      month: '2027-04',
      paidOere: 1_750_050 + 1_160_000,
      paidToAcceleratorOere: 250_050 + 1_160_000,
    });
    expect(board.municipalities.find((m) => m.key === '851')?.paidToAcceleratorOere).toBe(80_000);
  });

  it("gives Kolding finance Kolding's company payments only", async () => {
    // Act
    const response = await get(null, callers.koldingFinance);

    // Assess
    const board = (JSON.parse(response.body) as Body).dashboard;
    expect(board.municipalities.map((m) => [m.key, m.paidToAcceleratorOere])).toEqual([
      ['621', 250_050 + 1_160_000],
    ]);
    expect(response.body).not.toContain('80000');
  });
});
