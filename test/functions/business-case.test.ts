import { DynamoDBClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Caller } from '#domain/access';
import { type BusinessCase, businessCase, defaultProgrammeCosts } from '#domain/business-case';
import { formatDkk } from '#domain/money';
import { planPathway } from '#domain/pathway';
import { municipalities } from '#domain/programme';
import type { CompanyPaymentRecord } from '#shared/company-payment-store';
import { escapeHtml } from '#shared/html-template';
import type { MilestoneRecord, OutcomeRecord, PaymentRecord, ReferralRecord } from '#shared/pathway-store';
import { handler } from '../../functions/api/business-case.ts';
import { handler as whatIfHandler } from '../../functions/api/what-if.ts';
import { koldingExample } from '../domain/worked-example.ts';
import { apiEvent, callers, lambdaContext } from './support.ts';
import { companyPaymentItem, companyPaymentRecord } from './support-company-payments.ts';
import { outcomeItem, referralRecord, stateItem } from './support-records.ts';

const dynamo = mockClient(DynamoDBClient);

/** The worked example's citizen (test/domain/worked-example.ts), whose job ended after exactly 26 weeks. */
const kolding: ReferralRecord = referralRecord({
  referralId: 'kolding',
  municipality: '621',
  rateGroup: '30-plus-without-children',
  weeksOnBenefit: koldingExample.input.weeksOnBenefitAtReferral,
  startDate: koldingExample.input.referredOn,
  referredOn: koldingExample.input.referredOn,
  plan: planPathway(koldingExample.input.referredOn),
  phase: 'closed',
});
const job: OutcomeRecord = {
  referralId: 'kolding',
  outcomeId: 'job-1',
  type: 'job-start',
  date: koldingExample.input.from,
  hoursPerWeek: 37,
  employer: 'Kolding Bageri ApS',
  endedOn: koldingExample.input.until,
  recordedAt: `${koldingExample.input.from}T09:00:00.000Z`,
  recordedBy: 'kolding-aktoer',
  phaseAtOutcome: 'induction',
};
const milestones: MilestoneRecord[] = [
  {
    referralId: 'kolding',
    outcomeId: 'job-1',
    weeks: 13,
    dueOn: '2027-04-05',
    deadlineOn: '2027-05-03',
    status: 'confirmed',
    openedAt: '2027-04-04T22:00:00.000Z',
  },
  {
    referralId: 'kolding',
    outcomeId: 'job-1',
    weeks: 26,
    dueOn: '2027-07-05',
    deadlineOn: '2027-08-02',
    status: 'job-ended',
    openedAt: '2027-07-04T22:00:00.000Z',
    endedOn: '2027-07-05',
  },
];
/** Made before the rate group was asked: cannot be priced. */
const old: ReferralRecord = referralRecord({
  referralId: 'old',
  municipality: '851',
  startDate: '2026-02-02',
  referredOn: '2026-02-02',
});

function payment(
  referralId: string,
  rule: PaymentRecord['rule'],
  amountOere: number,
  dueDate: string,
  payee: PaymentRecord['payee'] = 'employment-actor',
): PaymentRecord {
  const municipality = referralId === 'old' ? '851' : '621';
  return {
    paymentId: `${referralId}.${rule}.${payee}`,
    paymentKey: `${rule}#${payee}`,
    referralId,
    resultId: 'job-1',
    outcomeId: 'job-1',
    outcomeType: 'job-start',
    rule,
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
  payment('kolding', 'job-start', 1_500_000, '2027-02-03'),
  payment('kolding', 'sustained-13-weeks', 1_000_000, '2027-05-05'),
  payment('kolding', 'sustained-26-weeks', 750_000, '2027-08-04'),
  payment('kolding', 'sustained-26-weeks', 250_000, '2027-08-04', 'social-accelerator'),
  payment('old', 'job-start', 1_500_000, '2026-05-01'),
];

/** Company-side payments to the social accelerator (issue 7); none unless a test puts some in. */
let companyPayments: CompanyPaymentRecord[] = [];

const companyPayment = (municipality: string, cvr: string, amountOere: number, dueDate: string) =>
  companyPaymentRecord({ municipality, cvr, companyName: `Virksomhed ${cvr}`, amountOere, dueDate });

const milestoneItem = (m: MilestoneRecord) =>
  marshall(
    { pk: `REFERRAL#${m.referralId}`, sk: `MILESTONE#${m.outcomeId}#${m.weeks}`, kind: 'milestone', ...m },
    { removeUndefinedValues: true },
  );

/** The table as the handler queries it: the byType index (two pages of referrals) and each pathway. */
function fakeTable(input: QueryCommandInput) {
  const pk = input.ExpressionAttributeValues?.[':pk']?.S;
  if (input.IndexName === 'byType' && pk === 'REFERRAL') {
    return input.ExclusiveStartKey
      ? { Items: [marshall({ referralId: 'old', municipality: '851' })] }
      : {
          Items: [marshall({ referralId: 'kolding', municipality: '621' })],
          LastEvaluatedKey: marshall({ pk: 'next' }),
        };
  }
  if (input.IndexName === 'byType' && pk === 'PAYMENT') {
    return {
      Items: payments.map((p) => marshall({ gsi1pk: 'PAYMENT', ...p }, { removeUndefinedValues: true })),
    };
  }
  if (input.IndexName === 'byType' && pk === 'COMPANY-PAYMENT') {
    return {
      Items: companyPayments.map(companyPaymentItem),
    };
  }
  if (pk === 'REFERRAL#kolding') {
    return { Items: [stateItem(kolding), outcomeItem(job), ...milestones.map(milestoneItem)] };
  }
  if (pk === 'REFERRAL#old') return { Items: [stateItem(old)] };
  return { Items: [] };
}

const get = (
  query: Record<string, string> | null,
  headers: Record<string, string> = {},
  caller: Caller = callers.programme,
) => {
  const event: APIGatewayProxyEvent = {
    ...apiEvent({ method: 'GET', path: '/business-case', headers, caller }),
    queryStringParameters: query,
  };
  return handler(event, lambdaContext);
};

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2027-09-01T10:00:00Z'));
  dynamo.reset();
  dynamo.on(QueryCommand).callsFake(fakeTable);
  companyPayments = [];
});

afterEach(() => vi.useRealTimers());

/** The same business case from the domain, with the periods and payments worked out by hand. */
function expectedCase(start: string, horizonYears: number): BusinessCase {
  const { benefit, rateGroup, weeksOnBenefitAtReferral, referredOn, from, until } = koldingExample.input;
  return businessCase(
    [
      {
        referralId: 'kolding',
        municipality: '621',
        benefit,
        rateGroup,
        readiness: 'aktivitetsparat',
        weeksOnBenefitAtReferral,
        referredOn,
        offBenefit: [{ from, until, result: { kind: 'job', hoursPerWeek: 37 } }],
        confirmed: [{ from, until, result: { kind: 'job', hoursPerWeek: 37 } }],
      },
    ],
    payments
      .filter((p) => p.referralId === 'kolding')
      .map((p) => ({ municipality: '621', amountOere: p.amountOere, dueDate: p.dueDate, payee: p.payee })),
    { start, horizonYears },
  );
}

describe('GET /business-case as JSON', () => {
  it('answers { asOf, options, unpriced, businessCase } with the worked example in Kolding', async () => {
    // Act
    const response = await get(null);

    // Assess
    expect(response.statusCode).toBe(200);
    expect(response.headers?.['Content-Type']).toBe('application/json; charset=utf-8');
    const body = JSON.parse(response.body);
    expect(Object.keys(body).sort()).toEqual([
      'asOf',
      'businessCase',
      'options',
      'unpriced',
      'unpricedPaidOere',
    ]);
    expect(body.asOf).toBe('2027-09-01T10:00:00.000Z');
    expect(body.options).toEqual({
      start: koldingExample.input.referredOn,
      startDefaulted: true,
      horizonYears: 5,
      deadweightBasisPoints: null,
      annualRetentionBasisPoints: 8000,
      basis: 'confirmed',
      costPerCitizenOere: defaultProgrammeCosts.perCitizenOere,
      costPerCompanyOere: defaultProgrammeCosts.perCompanyOere,
    });
    expect(body.unpriced).toBe(1);
    expect(body.unpricedPaidOere).toBe(1_500_000);
    const koldingCase = body.businessCase.municipalities.find((m: { key: string }) => m.key === '621');
    expect(koldingCase).toMatchObject({
      citizens: 1,
      paidOere: 3_500_000,
      paidToEmploymentActorsOere: 3_250_000,
      paidToAcceleratorOere: 250_000,
      municipalSavingsOere: koldingExample.after.municipalityOere,
      stateSavingsOere: koldingExample.after.stateOere,
      netOere: koldingExample.after.municipalityOere - 3_500_000,
    });
    expect(koldingCase.formatted.net).toBe('13.441,54\u00a0kr.');
    // The unpriced Aalborg referral is in no figure.
    expect(body.businessCase.municipalities.find((m: { key: string }) => m.key === '851').citizens).toBe(0);
    expect(body.businessCase.municipalities).toHaveLength(municipalities.length);
    expect(body.businessCase.clusters.map((c: { key: string }) => c.key)).toEqual(['cluster-1', 'cluster-2']);
    const expected = expectedCase(koldingExample.input.referredOn, 5);
    expect(body.businessCase.programme).toMatchObject(JSON.parse(JSON.stringify(expected.programme)));
  });

  it('lists referrals page by page through the byType index, projecting only id and municipality', async () => {
    // Act
    await get(null);

    // Assess
    const listings = dynamo
      .commandCalls(QueryCommand)
      .map((c) => c.args[0].input)
      .filter((i) => i.ExpressionAttributeValues?.[':pk']?.S === 'REFERRAL');
    expect(listings).toHaveLength(2);
    expect(
      listings.every(
        (i) =>
          i.IndexName === 'byType' &&
          i.ProjectionExpression === '#a0, #a1' &&
          i.ExpressionAttributeNames?.['#a0'] === 'referralId' &&
          i.ExpressionAttributeNames?.['#a1'] === 'municipality',
      ),
    ).toBe(true);
    const pathwayReads = dynamo
      .commandCalls(QueryCommand)
      .map((c) => c.args[0].input.ExpressionAttributeValues?.[':pk']?.S);
    expect(pathwayReads).toEqual(expect.arrayContaining(['REFERRAL#kolding', 'REFERRAL#old', 'PAYMENT']));
  });

  it('takes the options from the query', async () => {
    // Act
    const response = await get({
      start: '2026-01-01',
      horizonYears: '2',
      deadweight: '0',
      retention: '10000',
    });

    // Assess
    expect(response.statusCode).toBe(200);
    const body = JSON.parse(response.body);
    expect(body.options).toMatchObject({
      start: '2026-01-01',
      startDefaulted: false,
      horizonYears: 2,
      deadweightBasisPoints: 0,
      annualRetentionBasisPoints: 10_000,
    });
    expect(body.businessCase.horizon).toEqual({
      startMonth: '2026-01',
      end: '2028-01-01',
      years: 2,
      months: 24,
    });
    const koldingCase = body.businessCase.municipalities.find((m: { key: string }) => m.key === '621');
    expect(koldingCase.municipalSavingsOere).toBe(koldingExample.before.municipalityOere);
  });

  it.each([
    [{ horizonYears: '0' }, ['horizonYears']],
    [{ horizonYears: '11' }, ['horizonYears']],
    [{ horizonYears: '2.5' }, ['horizonYears']],
    [{ deadweight: '10001' }, ['deadweight']],
    [{ retention: '-1' }, ['retention']],
    [{ retention: 'lots' }, ['retention']],
    [{ start: '2026-02-30' }, ['start']],
    [{ start: '9999-12-01' }, ['start']],
    [{ start: '2018-12-31' }, ['start']],
    [{ format: 'xlsx' }, ['format']],
    [{ basis: 'hoped' }, ['basis']],
    [{ costPerCitizen: '948689.14' }, ['costPerCitizen']],
    [{ costPerCompany: '-1' }, ['costPerCompany']],
    [
      { horizonYears: 'x', deadweight: 'y', retention: 'z', start: '1/1/2026' },
      ['horizonYears', 'deadweight', 'retention', 'start'],
    ],
  ])('refuses %j with 400 on %j before reading anything', async (query, fields) => {
    // Act
    const response = await get(query);

    // Assess
    expect(response.statusCode).toBe(400);
    const { errors } = JSON.parse(response.body) as { errors: Array<{ field: string; message: string }> };
    expect(errors.map((e) => e.field)).toEqual(fields);
    for (const error of errors) expect(error.message).toMatch(/\S/);
    expect(dynamo.commandCalls(QueryCommand)).toHaveLength(0);
  });

  it('answers on the basis and with the programme costs asked for', async () => {
    // Act
    const response = await get({ basis: 'expected', costPerCitizen: '500000', costPerCompany: '0' });

    // Assess: Kolding's job ended at 26 weeks, so both bases hold the worked example; the full view adds one
    // citizen's DKK 500,000 to the DKK 35,000 paid.
    expect(response.statusCode).toBe(200);
    const body = JSON.parse(response.body);
    expect(body.options).toMatchObject({
      basis: 'expected',
      costPerCitizenOere: 50_000_000,
      costPerCompanyOere: 0,
    });
    const koldingCase = body.businessCase.municipalities.find((m: { key: string }) => m.key === '621');
    expect(koldingCase.programmeCostOere).toBe(50_000_000);
    expect(koldingCase.verdicts.full.expected.netOere).toBe(
      koldingExample.after.municipalityOere - 3_500_000 - 50_000_000,
    );
    expect(koldingCase.verdicts.pbr.expected.netOere).toBe(koldingCase.netOere);
  });

  it('refuses a start in a month after the first referral with 400 on start', async () => {
    // Act
    const response = await get({ start: '2026-02-01' });

    // Assess
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body).errors).toEqual([
      { field: 'start', message: expect.stringContaining(koldingExample.input.referredOn) },
    ]);
  });

  it('treats empty values as the defaults', async () => {
    // Act
    const response = await get({ horizonYears: '', deadweight: '', retention: '', start: '' });

    // Assess
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body).options.horizonYears).toBe(5);
  });
});

describe('GET /business-case?format=csv', () => {
  it('answers a Danish Excel file: BOM, semicolons, decimal comma, one row per group', async () => {
    // Act
    const response = await get({ format: 'csv' });

    // Assess
    expect(response.statusCode).toBe(200);
    expect(response.headers).toMatchObject({
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': 'attachment; filename="business-case.csv"',
      'X-Content-Type-Options': 'nosniff',
    });
    expect(response.body.startsWith('\uFEFF')).toBe(true);
    const lines = response.body.slice(1).split('\r\n');
    expect(lines[0]).toBe(
      'Niveau;Nøgle;Navn;Pladser;Borgere;Betalt (kr.);Heraf beskæftigelsesaktører (kr.);Heraf social accelerator (kr.);Programmets omkostninger (kr.);Bekræftet kommunal besparelse (kr.);Forventet kommunal besparelse (kr.);Statslig besparelse (kr.);Netto, kun resultatbetaling (kr.);Tilbagebetalingsmåned, kun resultatbetaling;Næste holds pris, kun resultatbetaling (kr.);Finansierer næste hold, kun resultatbetaling;Netto, fuld (kr.);Tilbagebetalingsmåned, fuld;Næste holds pris, fuld (kr.);Finansierer næste hold, fuld;Grundlag;' +
        'Beskæftigelsesaktør: borgere med resultat;Beskæftigelsesaktør: betalt for borgerresultater (kr.);Beskæftigelsesaktør: betalt for virksomhedsresultater (kr.);Beskæftigelsesaktør: betalt i alt (kr.);Beskæftigelsesaktør: bekræftet kommunal besparelse (kr.);Beskæftigelsesaktør: forventet kommunal besparelse (kr.);' +
        'Social accelerator: borgere med resultat;Social accelerator: betalt for borgerresultater (kr.);Social accelerator: betalt for virksomhedsresultater (kr.);Social accelerator: betalt i alt (kr.);Social accelerator: bekræftet kommunal besparelse (kr.);Social accelerator: forventet kommunal besparelse (kr.)',
    );
    // Programme, two clusters, twelve municipalities; then the assumptions and the rates, as on the page.
    const empty = ';'.repeat(32);
    expect(lines.indexOf(empty)).toBe(1 + 1 + 2 + municipalities.length);
    const assumptions = lines.slice(lines.indexOf(empty) + 1);
    expect(assumptions[0]).toBe(`Forudsætninger${empty}`);
    expect(assumptions[2]).toContain('uge 27–78 tæller med 80 %, uge 79–130 med 64 %');
    expect(assumptions).toContain(`Ydelse;Satsgruppe;Fra;Pr. måned (kr.);Grundlag${';'.repeat(28)}`);
    // The worked example's 26 weeks all lie in 2027: one rate, assumed, with its label.
    expect(assumptions.filter((l) => l.startsWith('Kontanthjælp;'))).toEqual([
      expect.stringMatching(
        /^Kontanthjælp;30 år eller derover, ikke forsørger;2027-01-01;12615,00;"Antagelse: Ingen offentliggjort sats fundet for 2027.*Grundlag: Lovforslag L 13/,
      ),
    ]);
    expect(lines.at(-1)).toBe('');
    const koldingRow = lines.find((l) => l.startsWith('Kommune;621;'));
    expect(koldingRow).toBe(
      // Programme costs 1 citizen + 1 company × 948,689.14; confirmed = expected (the job ended at 26 weeks); the
      // full view: 48,441.54 − 35,000 − 1,897,378.28 = −1,883,936.74, never paid back.
      `Kommune;621;Kolding;1;1;35000,00;32500,00;2500,00;1897378,28;48441,54;48441,54;12110,38;13441,54;${expectedCase(koldingExample.input.referredOn, 5).municipalities.find((m) => m.key === '621')?.paybackMonth};35000,00;nej;-1883936,74;;1932378,28;nej;bekræftet;` +
        // The two sides: the job was not with an accelerator company, so its savings are the employment actor's.
        '1;32500,00;0,00;32500,00;48441,54;48441,54;0;2500,00;0,00;2500,00;0,00;0,00',
    );
  });

  it('prefers ?format=csv over a browser Accept header', async () => {
    // Act
    const response = await get({ format: 'csv' }, { Accept: 'text/html' });

    // Assess
    expect(response.headers?.['Content-Type']).toBe('text/csv; charset=utf-8');
  });
});

describe('GET /business-case for a browser', () => {
  it('answers the Danish page with a chart per municipality and one for the programme', async () => {
    // Act
    const response = await get(null, { Accept: 'text/html,application/xhtml+xml' });

    // Assess
    expect(response.statusCode).toBe(200);
    expect(response.headers?.['Content-Type']).toBe('text/html; charset=utf-8');
    expect(response.headers?.['Content-Security-Policy']).toContain("default-src 'none'");
    const page = response.body;
    expect(page).toContain('<html lang="da">');
    expect(page).not.toContain('<script');
    // A line chart per municipality and the programme, and the what-if's distribution chart.
    expect(page.match(/<svg /g)).toHaveLength(municipalities.length + 2);
    for (const m of municipalities) expect(page).toContain(`data-chart="${m.code}"`);
    expect(page).toContain('data-chart="programme"');
    // The CSV link keeps the options under the API's stage prefix.
    expect(page).toContain(
      'href="/prod/business-case?start=2026-01-05&amp;horizonYears=5&amp;retention=8000&amp;basis=confirmed&amp;format=csv"',
    );
    expect(page).toContain('Dødvægt efter visitationskategori');
    expect(page).toContain('aktivitetsparate borgere');
    expect(page).toContain('1 visitation(er) uden satsgruppe');
    // What the code does: 80 % from week 27, 64 % from week 79 (not "from week 79" alone).
    expect(page).toContain('uge 27–78 tæller med 80 %, uge 79–130 med 64 %');
    // Every rate the figures used, dated and labelled, and the reform's gap (the horizon runs past July 2025).
    expect(page).toContain('<caption>Ydelsessatser brugt i beregningen</caption>');
    expect(page).toMatch(
      /<tr data-assumed="ja"><td>Kontanthjælp<\/td><td>30 år eller derover, ikke forsørger<\/td><td>2027-01-01<\/td><td class="num">12\.615,00\u00a0kr\.<\/td><td>Antagelse: Ingen offentliggjort sats fundet for 2027/,
    );
    expect(page).toContain('Kontanthjælpsreformen 1. juli 2025 (L 13, 2024-25) er kun indregnet');
  });

  it('shows the what-if distribution for the same start and horizon, the figures GET /business-case/what-if gives', async () => {
    // Prepare: what the what-if answers for the report's start (the first referral) and horizon.
    const whatIf = JSON.parse(
      (
        await whatIfHandler(
          apiEvent({
            method: 'GET',
            path: '/business-case/what-if',
            caller: callers.programme,
            queryStringParameters: { start: '2026-01-05', horizonYears: '3' },
          }),
          lambdaContext,
        )
      ).body,
    ).whatIf;

    // Act
    const page = (await get({ horizonYears: '3' }, { Accept: 'text/html' })).body;

    // Assess: the section, its chart, and each municipality's chance of a gain and median as the what-if has them.
    expect(page).toContain('<h2 id="what-if">Usikkerhed: hvad nu hvis?</h2>');
    expect(page).toContain('href="#what-if"');
    expect(page).toContain('data-chart="municipalities"');
    expect(page).toContain('Kun resultatbetaling: kommunens besparelse efter dødvægt');
    // Every assumption the draws rest on is listed on the page itself.
    const listed = page.slice(page.indexOf('id="what-if-assumptions"'));
    for (const explanation of whatIf.explanations as string[])
      expect(listed).toContain(escapeHtml(explanation));
    const section = page.slice(page.indexOf('id="what-if"'));
    for (const m of whatIf.municipalities as Array<{
      key: string;
      probabilityOfGain: number;
      p50Oere: number;
    }>) {
      const row = section.match(new RegExp(`<tr data-group="${m.key}">(.*?)</tr>`))?.[1] ?? '';
      expect(row).toContain(`${String(Math.round(m.probabilityOfGain * 1000) / 10).replace('.', ',')} %`);
      expect(row).toContain(formatDkk(m.p50Oere));
    }
    // The way on to the what-if page keeps start and horizon, and offers the full view.
    expect(page).toContain(
      'href="/prod/business-case/what-if?start=2026-01-05&amp;horizonYears=3&amp;draws=10000&amp;seed=1&amp;view=full"',
    );
  });

  it('leaves the what-if out of the JSON, which has its own endpoint', async () => {
    // Act
    const body = JSON.parse((await get(null)).body);

    // Assess
    expect(Object.keys(body).sort()).toEqual([
      'asOf',
      'businessCase',
      'options',
      'unpriced',
      'unpricedPaidOere',
    ]);
  });
});

describe('GET /business-case with company-side payments (issue 7, item 5)', () => {
  // Prepare: the social model paid for a Kolding company and for an Aalborg company.
  beforeEach(() => {
    companyPayments = [
      companyPayment('621', '29000018', 1_160_000, '2027-08-31'),
      companyPayment('851', '10000009', 1_160_000, '2027-08-31'),
    ];
  });

  it('adds them to what was paid and to the accelerator’s side; the savings stay as they were', async () => {
    // Act
    const body = JSON.parse((await get(null)).body);

    // Assess
    const koldingCase = body.businessCase.municipalities.find((m: { key: string }) => m.key === '621');
    expect(koldingCase).toMatchObject({
      paidOere: 3_500_000 + 1_160_000,
      paidToEmploymentActorsOere: 3_250_000,
      paidToAcceleratorOere: 250_000 + 1_160_000,
      municipalSavingsOere: koldingExample.after.municipalityOere,
      netOere: koldingExample.after.municipalityOere - 3_500_000 - 1_160_000,
    });
    expect(koldingCase.sides['social-accelerator']).toMatchObject({
      results: 0,
      paidOere: 1_410_000,
      paidForCitizenResultsOere: 250_000,
      paidForCompanyResultsOere: 1_160_000,
      municipalSavingsOere: 0,
    });
    expect(koldingCase.sides['employment-actor']).toMatchObject({
      results: 1,
      paidOere: 3_250_000,
      municipalSavingsOere: koldingExample.after.municipalityOere,
    });
    // Aalborg has no priced citizen but its company's payment is paid all the same.
    const aalborg = body.businessCase.municipalities.find((m: { key: string }) => m.key === '851');
    expect(aalborg.sides['social-accelerator'].paidForCompanyResultsOere).toBe(1_160_000);
    expect(body.businessCase.programme.sides['social-accelerator'].paidForCompanyResultsOere).toBe(2_320_000);
  });

  it("gives a municipality's finance its own company payments only", async () => {
    // Act
    const body = JSON.parse((await get(null, {}, callers.koldingFinance)).body);

    // Assess
    expect(body.businessCase.programme).toBeNull();
    expect(body.businessCase.municipalities.map((m: { key: string }) => m.key)).toEqual(['621']);
    expect(body.businessCase.municipalities[0].sides['social-accelerator'].paidForCompanyResultsOere).toBe(
      1_160_000,
    );
    expect(JSON.stringify(body)).not.toContain('10000009');
  });

  it('shows both sides on the page and in the CSV, in Danish', async () => {
    // Act
    const page = (await get(null, { Accept: 'text/html' })).body;
    const csv = (await get({ format: 'csv' })).body.slice(1).split('\r\n');

    // Assess
    expect(page).toContain('<caption>Betalt til hver side, og hvad hver sides resultater sparede</caption>');
    expect(page).toMatch(
      /<tr data-group="621" data-side="social-accelerator"><td>Kolding<\/td><td>Social accelerator<\/td><td class="num">0<\/td><td class="num">2\.500,00\u00a0kr\.<\/td><td class="num">11\.600,00\u00a0kr\.<\/td><td class="num">14\.100,00\u00a0kr\.<\/td>/,
    );
    expect(page).toContain(
      '<tr data-group="621" data-side="employment-actor"><td>Kolding</td><td>Beskæftigelsesaktør</td><td class="num">1</td>',
    );
    expect(csv.find((l) => l.startsWith('Kommune;621;'))).toMatch(
      /;1;32500,00;0,00;32500,00;48441,54;48441,54;0;2500,00;11600,00;14100,00;0,00;0,00$/,
    );
  });
});
