import {
  DynamoDBClient,
  PutItemCommand,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Caller } from '#domain/access';
import { referralPage } from '#shared/html';
import type { OutcomeRecord, ReferralRecord } from '#shared/pathway-store';
import { referralView } from '#shared/referral-view';
import { handler as getReferral } from '../../functions/api/get-referral.ts';
import { apiEvent, callers, lambdaContext, referralId } from './support.ts';
import { companyRecord, journeyOf } from './support-companies.ts';
import { outcomeItem, referralRecord, stateItem } from './support-records.ts';

/**
 * The pathway page wired to the companies' side (issue 7, item 4): the placement form picks one of the
 * partnership's companies, the outcome form asks for the employer's CVR number instead of a tick, and the
 * page shows the employer and whether it is an accelerator company. Placements made before companies were
 * records (a name only) still show.
 */
const viewOf = (referral: ReferralRecord, outcomes: OutcomeRecord[] = []) =>
  referralView({ referral, events: [], outcomes, payments: [], milestones: [], failures: [] });

const CAFE = companyRecord();
const OWN = companyRecord({ cvr: '29000026', name: 'Aktørens Værksted', ownedByEmploymentActor: true });
const choices = {
  acceleratorCompanies: [CAFE],
  ownCompanies: [OWN],
};

describe('the pathway page', () => {
  it('offers the partnership’s companies in the placement form, by name with CVR number, grouped by type', () => {
    // Act
    const markup = String(
      referralPage('/prod', callers.koldingActor, viewOf(referralRecord()), undefined, choices),
    );

    // Assess
    expect(markup).toContain(
      '<optgroup label="Acceleratorvirksomheder"><option value="12345674">Grøn Café ApS (CVR 12345674)</option></optgroup>',
    );
    expect(markup).toContain(
      '<optgroup label="Beskæftigelsesaktørens egen virksomhed"><option value="29000026">Aktørens Værksted (CVR 29000026)</option></optgroup>',
    );
    expect(markup).toContain('name="companyCvr"');
    expect(markup).not.toContain('name="company"');
  });

  it('says so when the partnership has no company to place in, and asks for a CVR number without choices', () => {
    // Act
    const none = String(
      referralPage('/prod', callers.koldingActor, viewOf(referralRecord()), undefined, {
        acceleratorCompanies: [],
        ownCompanies: [],
      }),
    );
    const shownAgain = String(referralPage('/prod', callers.koldingActor, viewOf(referralRecord())));

    // Assess
    expect(none).toContain('id="placement-no-companies"');
    expect(shownAgain).toContain('<input id="placement-companyCvr" name="companyCvr"');
  });

  it('asks for the employer’s CVR number, with no accelerator tick', () => {
    // Act
    const markup = String(referralPage('/prod', callers.koldingCaseworker, viewOf(referralRecord())));

    // Assess
    expect(markup).toContain('Arbejdsgiverens CVR-nummer');
    expect(markup).toContain('name="employerCvr"');
    expect(markup).not.toContain('hiredByAcceleratorCompany');
  });

  it('shows the employer with its CVR number and whether it is an accelerator company', () => {
    // Prepare
    const job = (outcomeId: string, extra: Partial<OutcomeRecord>): OutcomeRecord => ({
      referralId,
      outcomeId,
      type: 'job-start',
      date: '2019-06-01',
      hoursPerWeek: 37,
      recordedAt: `2019-06-01T10:00:0${outcomeId}.000Z`,
      recordedBy: 'kolding-sagsbehandler',
      phaseAtOutcome: 'induction',
      ...extra,
    });
    const view = viewOf(referralRecord(), [
      job('1', { employer: 'Grøn Café ApS', employerCvr: '12345674', hiredByAcceleratorCompany: true }),
      // Recorded before employers had CVR numbers.
      job('2', { employer: 'Kolding Bageri ApS', hiredByAcceleratorCompany: false }),
    ]);

    // Act
    const markup = String(referralPage('/prod', callers.koldingCaseworker, view));

    // Assess
    expect(view.outcomes.map((o) => o.employerCvr)).toEqual(['12345674', null]);
    expect(markup).toContain('Grøn Café ApS (CVR 12345674)');
    expect(markup).toContain('<span data-accelerator-hire="true">Ja</span>');
    expect(markup).toContain('<td>Kolding Bageri ApS</td>');
    expect(markup).toContain('<span data-accelerator-hire="false">Nej</span>');
  });

  it.each([
    [
      'a placement with its company record',
      {
        type: 'accelerator-company',
        company: 'Grøn Café ApS',
        companyCvr: '12345674',
        supportPerson: 'Mette Lund',
      },
      'Grøn Café ApS (CVR 12345674), støtteperson Mette Lund',
      '12345674',
    ],
    [
      'a placement made before companies were records',
      { type: 'own-company', company: 'Kolding Genbrug (socialøkonomisk)' },
      'Kolding Genbrug (socialøkonomisk)</p>',
      null,
    ],
  ] as const)('shows %s', (_what, placement, shown, cvr) => {
    // Prepare
    const view = viewOf(referralRecord({ inductionPlacement: placement }));

    // Act
    const markup = String(referralPage('/prod', callers.programme, view));

    // Assess
    expect(markup).toContain(shown);
    expect(view.inductionPlacement?.companyCvr).toBe(cvr);
  });
});

describe('GET /referrals/{id} as a page', () => {
  const dynamo = mockClient(DynamoDBClient);
  const partnershipQueries = () =>
    dynamo
      .commandCalls(QueryCommand)
      .map((call) => call.args[0].input.ExpressionAttributeValues?.[':pk']?.S)
      .filter((pk) => pk?.startsWith('PARTNERSHIP#'));

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2019-06-03T10:00:00Z'));
    dynamo.reset();
    dynamo.on(PutItemCommand).resolves({});
    dynamo.on(QueryCommand).callsFake((input: QueryCommandInput) => {
      const pk = input.ExpressionAttributeValues?.[':pk']?.S;
      const prefix = input.ExpressionAttributeValues?.[':prefix']?.S;
      if (pk === `REFERRAL#${referralId}`) return { Items: [stateItem(referralRecord())] };
      if (pk === 'PARTNERSHIP#621' && prefix === 'COMPANY#') {
        return {
          Items: [CAFE, OWN].map((c) => marshall({ pk, sk: `COMPANY#${c.cvr}`, kind: 'company', ...c })),
        };
      }
      if (pk === 'PARTNERSHIP#621' && prefix === 'JOURNEY#') return { Items: [marshall(journeyOf(CAFE))] };
      return { Items: [] };
    });
  });

  afterEach(() => vi.useRealTimers());

  const get = (caller: Caller, accept = 'text/html') =>
    getReferral(
      apiEvent({
        method: 'GET',
        path: `/referrals/${referralId}`,
        resource: '/referrals/{id}',
        pathParameters: { id: referralId },
        headers: { Accept: accept },
        caller,
      }),
      lambdaContext,
    );

  it('reads the partnership’s companies for the employment actor’s placement form', async () => {
    // Act
    const response = await get(callers.koldingActor);

    // Assess
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('<option value="12345674">Grøn Café ApS (CVR 12345674)</option>');
    expect(response.body).toContain('<option value="29000026">Aktørens Værksted (CVR 29000026)</option>');
    expect(partnershipQueries()).toEqual(['PARTNERSHIP#621', 'PARTNERSHIP#621']);
  });

  it.each([
    ['a caseworker’s page', callers.koldingCaseworker, 'text/html'],
    ['the employment actor’s JSON', callers.koldingActor, 'application/json'],
  ])('reads no company for %s', async (_what, caller, accept) => {
    // Act
    const response = await get(caller, accept);

    // Assess
    expect(response.statusCode).toBe(200);
    expect(partnershipQueries()).toEqual([]);
  });

  it('keeps an old pathway’s outcome readable: its tick stays as recorded, without a CVR number', async () => {
    // Prepare
    dynamo.on(QueryCommand).resolves({
      Items: [
        stateItem(referralRecord()),
        outcomeItem({
          referralId,
          outcomeId: 'old-job',
          type: 'job-start',
          date: '2026-10-01',
          hoursPerWeek: 37,
          employer: 'Grøn Café ApS',
          hiredByAcceleratorCompany: true,
          recordedAt: '2026-10-01T09:00:00.000Z',
          recordedBy: 'kolding-sagsbehandler',
          phaseAtOutcome: 'training',
        }),
      ],
    });

    // Act
    const response = await get(callers.koldingCaseworker, 'application/json');

    // Assess
    expect(JSON.parse(response.body).outcomes).toMatchObject([
      { employer: 'Grøn Café ApS', employerCvr: null, hiredByAcceleratorCompany: true },
    ]);
  });
});
