import {
  DynamoDBClient,
  GetItemCommand,
  QueryCommand,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { planPathway } from '#domain/pathway';
import { handler } from '../../functions/api/record-outcome.ts';
import { apiEvent, callers, lambdaContext, referralId } from './support.ts';
import { companyRecord, journeyOf, mockCompany, mockNoCompany } from './support-companies.ts';
import { referralRecord, stateItem } from './support-records.ts';

/**
 * A job start's employer (issue 7, item 4): named by CVR number, its name from the company record, and whether
 * it is an accelerator company derived from the record and the journey on the job's date, stored on the outcome
 * where calculate-payment reads it. An old client's tick is ignored.
 */
const dynamo = mockClient(DynamoDBClient);

/** A Kolding citizen referred at the 2019 cohort's boot camp, in induction from May 2019. */
const referral = referralRecord({
  startDate: '2018-11-15',
  referredOn: '2018-11-15',
  referredAt: '2018-11-15T08:00:00.000Z',
  plan: planPathway('2018-11-15'),
  phase: 'induction',
  phaseSeq: 2,
  phaseStartedOn: '2019-05-15',
  phaseEndsOn: '2019-11-15',
});
const CAFE = companyRecord();
const AALBORG = companyRecord({ cvr: '29000018', name: 'Aalborg Café', municipality: '851' });
const WITHDREW = companyRecord({ cvr: '29000026', name: 'Kolding Kaffebar ApS' });

const post = (body: unknown) =>
  handler(
    apiEvent({
      method: 'POST',
      path: `/referrals/${referralId}/outcomes`,
      resource: '/referrals/{id}/outcomes',
      pathParameters: { id: referralId },
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json' },
      caller: callers.koldingCaseworker,
    }),
    lambdaContext,
  );

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2019-06-03T10:00:00Z'));
  dynamo.reset();
  dynamo.on(GetItemCommand).resolves({ Item: stateItem(referral) });
  dynamo.on(TransactWriteItemsCommand).resolves({});
  mockCompany(dynamo, CAFE, [journeyOf(CAFE)]);
  mockCompany(dynamo, AALBORG, [journeyOf(AALBORG)]);
  mockCompany(dynamo, WITHDREW, [
    journeyOf(WITHDREW, { stage: 'withdrawn', decisions: { selected: true, withdrawnOn: '2019-03-15' } }),
  ]);
  mockNoCompany(dynamo, '87654303');
});

afterEach(() => vi.useRealTimers());

/** The outcome item the transaction puts. */
const storedOutcome = () =>
  (dynamo.commandCalls(TransactWriteItemsCommand)[0]?.args[0].input.TransactItems ?? [])
    .map((item) => (item.Put?.Item ? unmarshall(item.Put.Item) : {}))
    .find((item) => item.kind === 'outcome');

const job = { type: 'job-start', date: '2019-06-01', hoursPerWeek: 37 };

describe('the employer of a job start', () => {
  it.each([
    [
      'an accelerator company by CVR: its name from the record, an accelerator hire',
      { ...job, employerCvr: '1234 5674' },
      { employer: 'Grøn Café ApS', employerCvr: '12345674', hiredByAcceleratorCompany: true },
    ],
    [
      'a company that withdrew before the job started: no accelerator hire',
      { ...job, employerCvr: '29000026' },
      { employer: 'Kolding Kaffebar ApS', employerCvr: '29000026', hiredByAcceleratorCompany: false },
    ],
    [
      'an unregistered CVR with a name',
      { ...job, employer: 'Kolding Tømrer ApS', employerCvr: '87654303' },
      { employer: 'Kolding Tømrer ApS', employerCvr: '87654303', hiredByAcceleratorCompany: false },
    ],
    [
      "another municipality's accelerator company, named: an ordinary employer",
      { ...job, employer: 'Aalborg Café', employerCvr: '29000018' },
      { employer: 'Aalborg Café', employerCvr: '29000018', hiredByAcceleratorCompany: false },
    ],
    [
      'a name only, an old client ticking the box: the tick is ignored',
      { ...job, employer: 'Grøn Café ApS', hiredByAcceleratorCompany: true },
      { employer: 'Grøn Café ApS', hiredByAcceleratorCompany: false },
    ],
  ])('%s', async (_what, body, expected) => {
    // Act
    const response = await post(body);

    // Assess
    expect(response.statusCode, response.body).toBe(201);
    const outcome = storedOutcome();
    expect(outcome).toMatchObject(expected);
    if (!('employerCvr' in expected)) expect(outcome).not.toHaveProperty('employerCvr');
  });

  it.each([
    [{ ...job }, 'employer', 'Arbejdsgiver eller arbejdsgiverens CVR-nummer skal udfyldes ved jobstart'],
    [
      { ...job, employerCvr: '87654303' },
      'employer',
      'Arbejdsgiver skal udfyldes, når CVR-nummeret ikke er registreret i kommunens partnerskab',
    ],
    [
      { ...job, employerCvr: '29000018' },
      'employer',
      'Arbejdsgiver skal udfyldes, når CVR-nummeret ikke er registreret i kommunens partnerskab',
    ],
    [
      { ...job, employer: 'X', employerCvr: '12345678' },
      'employerCvr',
      'Arbejdsgiverens CVR-nummer er ikke gyldigt (kontrolcifferet passer ikke, modulus 11)',
    ],
  ])('refuses %j with 400 on %s and writes nothing', async (body, field, message) => {
    // Act
    const response = await post(body);

    // Assess
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body).errors).toEqual([{ field, message }]);
    expect(dynamo.commandCalls(TransactWriteItemsCommand)).toHaveLength(0);
  });

  it('reads no company for a job named without a CVR number, nor for another outcome', async () => {
    // Act
    await post({ ...job, employer: 'Kolding Bageri ApS' });
    await post({ type: 'education-start', date: '2019-06-01' });

    // Assess
    const companyReads = dynamo
      .commandCalls(GetItemCommand)
      .filter((call) => call.args[0].input.Key?.pk?.S?.startsWith('COMPANY#'));
    expect(companyReads).toHaveLength(0);
    expect(dynamo.commandCalls(QueryCommand)).toHaveLength(0);
  });
});
