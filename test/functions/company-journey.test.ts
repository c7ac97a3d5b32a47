import {
  DynamoDBClient,
  GetItemCommand,
  QueryCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Caller } from '#domain/access';
import { handler as getCohort } from '../../functions/api/get-cohort.ts';
import { handler as inviteCompany } from '../../functions/api/invite-company.ts';
import { handler as recordAttendance } from '../../functions/api/record-attendance.ts';
import { handler as recordSelection } from '../../functions/api/record-selection.ts';
import { handler as recordWithdrawal } from '../../functions/api/record-withdrawal.ts';
import { clock } from '../../functions/shared/clock.ts';
import { apiEvent, callers, lambdaContext } from './support.ts';

const dynamo = mockClient(DynamoDBClient);
const COHORT = 'cluster-1-2019';
const KOLDING_CVR = '29000018';
const AALBORG_CVR = '29000042';

const company = (cvr: string, municipality: string) => ({
  pk: `COMPANY#${cvr}`,
  sk: 'PROFILE',
  kind: 'company',
  cvr,
  name: `Virksomhed ${cvr}`,
  municipality,
  contact: { name: 'Kontakt' },
  socialEconomy: 'registered',
  size: 'small',
  ownedByEmploymentActor: false,
  registeredAt: '2018-09-01T08:00:00.000Z',
  registeredBy: 'kolding-accelerator',
});

/** A Kolding journey as stored after `changes`. */
const journey = (changes: Record<string, unknown> = {}) => ({
  pk: 'PARTNERSHIP#621',
  sk: `JOURNEY#${KOLDING_CVR}#${COHORT}`,
  kind: 'company-journey',
  cvr: KOLDING_CVR,
  cohortId: COHORT,
  municipality: '621',
  stage: 'invited',
  legSeq: 1,
  legEndsOn: '2018-11-15',
  eventSeq: 1,
  invitedOn: '2018-09-03',
  invitedAt: '2018-09-03T08:00:00.000Z',
  invitedBy: 'kolding-accelerator',
  ...changes,
});

const key = (item: { pk: string; sk: string }) => marshall({ pk: item.pk, sk: item.sk });

function post(
  path: string,
  body: unknown,
  pathParameters: Record<string, string>,
  caller: Caller = callers.koldingAccelerator,
) {
  return apiEvent({
    method: 'POST',
    path,
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json' },
    pathParameters,
    caller,
  });
}

const invite = (cvr: string, cohortId = COHORT, caller: Caller = callers.koldingAccelerator) =>
  inviteCompany(post(`/cohorts/${cohortId}/companies`, { cvr }, { cohortId }, caller), lambdaContext);
const select = (body: unknown) =>
  recordSelection(
    post(`/companies/${KOLDING_CVR}/journey/selection`, body, { cvr: KOLDING_CVR }),
    lambdaContext,
  );
const withdraw = (body: unknown) =>
  recordWithdrawal(
    post(`/companies/${KOLDING_CVR}/journey/withdrawal`, body, { cvr: KOLDING_CVR }),
    lambdaContext,
  );
const attend = (body: unknown) =>
  recordAttendance(
    post(`/companies/${KOLDING_CVR}/journey/attendance`, body, { cvr: KOLDING_CVR }),
    lambdaContext,
  );

const writes = () =>
  dynamo.commandCalls(TransactWriteItemsCommand).map((c) => c.args[0].input.TransactItems ?? []);

beforeEach(() => {
  dynamo.reset();
  dynamo.on(GetItemCommand).resolves({});
  dynamo
    .on(GetItemCommand, { Key: key(company(KOLDING_CVR, '621')) })
    .resolves({ Item: marshall(company(KOLDING_CVR, '621')) });
  dynamo
    .on(GetItemCommand, { Key: key(company(AALBORG_CVR, '851')) })
    .resolves({ Item: marshall(company(AALBORG_CVR, '851')) });
  dynamo.on(TransactWriteItemsCommand).resolves({});
  clock.startAt(new Date('2018-09-03T08:00:00Z'));
});

afterEach(() => {
  clock.reset();
});

describe('POST /cohorts/{cohortId}/companies', () => {
  it('starts the journey: the state (new only) and its first stage-started event in one transaction', async () => {
    // Act
    const answer = await invite(KOLDING_CVR);

    // Assess
    expect(answer.statusCode).toBe(201);
    expect(JSON.parse(answer.body)).toEqual({
      cvr: KOLDING_CVR,
      cohortId: COHORT,
      municipality: '621',
      invitedOn: '2018-09-03',
    });
    const [items] = writes();
    expect(items).toHaveLength(2);
    expect(items?.[0]?.Put?.ConditionExpression).toBe('attribute_not_exists(pk)');
    expect(unmarshall(items?.[0]?.Put?.Item ?? {})).toMatchObject({
      pk: 'PARTNERSHIP#621',
      sk: `JOURNEY#${KOLDING_CVR}#${COHORT}`,
      stage: 'invited',
    });
    expect(unmarshall(items?.[1]?.Put?.Item ?? {})).toMatchObject({
      pk: `JOURNEY#${KOLDING_CVR}#${COHORT}`,
      sk: 'JEVENT#000001',
      kind: 'stage-started',
      legEndsAt: '2018-11-14T23:00:00Z',
    });
  });

  it('answers a repeat as the first time, writing nothing', async () => {
    // Prepare
    dynamo
      .on(GetItemCommand, { Key: key(journey()) })
      .resolves({ Item: marshall(journey({ stage: 'boot-camp' })) });

    // Act
    const answer = await invite(KOLDING_CVR);

    // Assess
    expect(answer.statusCode).toBe(201);
    expect(JSON.parse(answer.body)).toMatchObject({ invitedOn: '2018-09-03' });
    expect(writes()).toEqual([]);
  });

  it.each([
    ['a CVR number failing modulus 11', '29000019', COHORT, callers.koldingAccelerator, 400, 'cvr'],
    ['an unknown cohort', KOLDING_CVR, 'cluster-3-2021', callers.koldingAccelerator, 404, 'cohortId'],
    ['an unregistered company', '29000026', COHORT, callers.koldingAccelerator, 404, 'cvr'],
    ['another municipality’s company', AALBORG_CVR, COHORT, callers.koldingAccelerator, 404, 'cvr'],
    [
      'the other cluster’s cohort',
      KOLDING_CVR,
      'cluster-2-2020',
      callers.koldingAccelerator,
      409,
      'cohortId',
    ],
    ['a caseworker', KOLDING_CVR, COHORT, callers.koldingCaseworker, 403, 'role'],
  ] as const)('refuses %s, writing nothing', async (_, cvr, cohortId, caller, status, field) => {
    // Act
    const answer = await invite(cvr, cohortId, caller);

    // Assess
    expect(answer.statusCode).toBe(status);
    expect(JSON.parse(answer.body).errors).toEqual([{ field, message: expect.any(String) }]);
    expect(writes()).toEqual([]);
  });

  it('refuses an invitation once the boot camp has begun', async () => {
    // Prepare
    clock.startAt(new Date('2018-11-15T08:00:00Z'));

    // Act
    const answer = await invite(KOLDING_CVR);

    // Assess
    expect(answer.statusCode).toBe(409);
    expect(writes()).toEqual([]);
  });
});

describe('POST /companies/{cvr}/journey/…', () => {
  it('reads again and decides again when another writer changed the journey between read and write', async () => {
    // Prepare: the first write loses to a concurrent identical selection, which the second read finds.
    clock.startAt(new Date('2018-12-01T08:00:00Z'));
    const waiting = journey({ stage: 'awaiting-selection', legSeq: 3, legEndsOn: '2019-01-01', eventSeq: 3 });
    const decided = {
      ...waiting,
      stage: 'selected',
      eventSeq: 4,
      decisions: { selected: true, selectedOn: '2018-12-01' },
    };
    dynamo
      .on(GetItemCommand, { Key: key(journey()) })
      .resolvesOnce({ Item: marshall(waiting) })
      .resolves({ Item: marshall(decided) });
    dynamo.on(TransactWriteItemsCommand).rejects(
      new TransactionCanceledException({
        message: 'cancelled',
        $metadata: {},
        CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }],
      }),
    );

    // Act
    const answer = await select({ cohortId: COHORT, selected: true });

    // Assess
    expect(answer.statusCode).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({
      cvr: KOLDING_CVR,
      cohortId: COHORT,
      selected: true,
      decidedOn: '2018-12-01',
    });
    expect(writes()).toHaveLength(1);
    expect(writes()[0]?.[0]?.Put?.ConditionExpression).toBe('eventSeq = :before');
  });

  it.each([
    ['selection without a yes or no', () => select({ cohortId: COHORT, selected: 'måske' }), 400, 'selected'],
    ['selection before the boot camp', () => select({ cohortId: COHORT, selected: true }), 409, 'selected'],
    [
      'withdrawal dated in the future',
      () => withdraw({ cohortId: COHORT, date: '2018-09-04', reason: 'x' }),
      400,
      'date',
    ],
    ['withdrawal without a reason', () => withdraw({ cohortId: COHORT, date: '2018-09-03' }), 400, 'reason'],
    [
      'attendance at the boot camp',
      () => attend({ cohortId: COHORT, campDate: '2018-11-15', present: true }),
      400,
      'campDate',
    ],
    [
      'attendance on a day without a camp',
      () => attend({ cohortId: COHORT, campDate: '2019-02-08', present: true }),
      400,
      'campDate',
    ],
    [
      'attendance before the accelerator',
      () => attend({ cohortId: COHORT, campDate: '2019-02-07', present: true }),
      409,
      'cohortId',
    ],
  ])('refuses %s with a message on its field, writing nothing', async (_, send, status, field) => {
    // Prepare
    dynamo.on(GetItemCommand, { Key: key(journey()) }).resolves({ Item: marshall(journey()) });

    // Act
    const answer = await send();

    // Assess
    expect(answer.statusCode).toBe(status);
    expect(JSON.parse(answer.body).errors).toEqual([{ field, message: expect.any(String) }]);
    expect(writes()).toEqual([]);
  });

  it('answers 404 for a company not invited to the cohort', async () => {
    // Act
    const answer = await withdraw({ cohortId: COHORT, date: '2018-09-03', reason: 'Ingen tid' });

    // Assess
    expect(answer.statusCode).toBe(404);
    expect(JSON.parse(answer.body).errors).toEqual([
      { field: 'cohortId', message: 'Virksomheden er ikke inviteret til dette hold' },
    ]);
  });
});

describe('GET /cohorts/{cohortId}', () => {
  it('shows a Kolding caseworker Kolding’s companies only, counted by stage and camp attendance', async () => {
    // Prepare
    dynamo.on(QueryCommand).callsFake((input: { ExpressionAttributeValues?: Record<string, never> }) => {
      const values = unmarshall(input.ExpressionAttributeValues ?? {});
      if (values[':pk'] !== 'PARTNERSHIP#621') return { Items: [] };
      if (values[':prefix'] === 'COMPANY#')
        return { Items: [marshall({ ...company(KOLDING_CVR, '621'), sk: `COMPANY#${KOLDING_CVR}` })] };
      return {
        Items: [
          marshall(journey({ stage: 'accelerator', attendance: { '2019-02-07': true } })),
          marshall({
            ...journey({ cohortId: 'cluster-1-2020' }),
            sk: `JOURNEY#${KOLDING_CVR}#cluster-1-2020`,
          }),
        ],
      };
    });

    // Act
    const answer = await getCohort(
      apiEvent({
        method: 'GET',
        path: `/cohorts/${COHORT}`,
        pathParameters: { cohortId: COHORT },
        caller: callers.koldingCaseworker,
      }),
      lambdaContext,
    );

    // Assess
    expect(answer.statusCode).toBe(200);
    const view = JSON.parse(answer.body);
    expect(view.municipalities).toEqual([{ code: '621', name: 'Kolding' }]);
    expect(view.companies).toEqual([
      expect.objectContaining({ cvr: KOLDING_CVR, name: `Virksomhed ${KOLDING_CVR}`, stage: 'accelerator' }),
    ]);
    expect(view.stageCounts).toMatchObject({ accelerator: 1, invited: 0 });
    expect(view.camps[0]).toMatchObject({ date: '2019-02-07', present: 1, absent: 0 });
    expect(dynamo.commandCalls(QueryCommand)).toHaveLength(2);
  });
});
