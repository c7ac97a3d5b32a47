import {
  DynamoDBClient,
  GetItemCommand,
  QueryCommand,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { clock } from '#shared/clock';
import { handler } from '../../functions/api/record-placement.ts';
import { apiEvent, callers, lambdaContext, referralId } from './support.ts';
import { companyRecord, journeyOf, mockCompany, mockNoCompany } from './support-companies.ts';
import { referralRecord, stateItem } from './support-records.ts';

const dynamo = mockClient(DynamoDBClient);

const post = (body: string, contentType = 'application/json') =>
  handler(
    apiEvent({
      method: 'POST',
      path: `/referrals/${referralId}/placement`,
      resource: '/referrals/{id}/placement',
      pathParameters: { id: referralId },
      body,
      headers: { 'Content-Type': contentType },
      caller: callers.koldingActor,
    }),
    lambdaContext,
  );

const CAFE = companyRecord();
const OWN = companyRecord({ cvr: '29000018', name: 'Aktørens Genbrug', ownedByEmploymentActor: true });
const AALBORG = companyRecord({ cvr: '87654303', name: 'Aalborg Café', municipality: '851' });

beforeEach(() => {
  dynamo.reset();
  // Cohort 1's accelerator runs through 2019: a selected company is in it in June.
  clock.startAt(new Date('2019-06-03T10:00:00.000Z'));
  dynamo.on(GetItemCommand).resolves({ Item: stateItem(referralRecord()) });
  dynamo.on(TransactWriteItemsCommand).resolves({});
  mockCompany(dynamo, CAFE, [journeyOf(CAFE)]);
  mockCompany(dynamo, OWN, []);
  mockCompany(dynamo, AALBORG, [journeyOf(AALBORG)]);
});

const written = () => dynamo.commandCalls(TransactWriteItemsCommand)[0]?.args[0].input.TransactItems ?? [];

describe('POST /referrals/{id}/placement', () => {
  it('records an accelerator-company placement with the CVR number, the name as it is and the support person', async () => {
    // Act
    const response = await post(
      JSON.stringify({ type: 'accelerator-company', companyCvr: '1234 5674', supportPerson: 'Mette Lund' }),
    );

    // Assess
    expect(response.statusCode).toBe(201);
    const [state, event] = written();
    expect(state?.Update?.ConditionExpression).toBe(
      'eventSeq = :expected AND phase IN (:referred, :training, :induction)',
    );
    const placement = {
      type: 'accelerator-company',
      companyCvr: '12345674',
      company: 'Grøn Café ApS',
      supportPerson: 'Mette Lund',
    };
    expect(unmarshall(state?.Update?.ExpressionAttributeValues ?? {})[':placement']).toEqual(placement);
    expect(unmarshall(event?.Put?.Item ?? {})).toMatchObject({
      sk: 'EVENT#000003',
      kind: 'induction-placed',
      placement,
    });
    expect(JSON.parse(response.body).inductionPlacement).toEqual(placement);
  });

  it("records a placement in the employment actor's own company, without a support person", async () => {
    // Act
    const response = await post(JSON.stringify({ type: 'own-company', companyCvr: '29000018' }));

    // Assess
    expect(response.statusCode).toBe(201);
    expect(unmarshall(written()[0]?.Update?.ExpressionAttributeValues ?? {})[':placement']).toEqual({
      type: 'own-company',
      companyCvr: '29000018',
      company: 'Aktørens Genbrug',
    });
  });

  it.each([
    [{ type: 'accelerator-company', companyCvr: '12345674' }, ['supportPerson']],
    [{ type: 'municipal-workshop', companyCvr: '12345674' }, ['type']],
    [{ type: 'own-company', companyCvr: '  ' }, ['companyCvr']],
    [{ type: 'own-company', companyCvr: '12345678' }, ['companyCvr']],
    // The free-text company of old clients is no longer enough.
    [{ type: 'own-company', company: 'Egen Café' }, ['companyCvr']],
  ])('refuses %j with 400 on %j and writes nothing', async (body, fields) => {
    // Act
    const response = await post(JSON.stringify(body));

    // Assess
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body).errors.map((e: { field: string }) => e.field)).toEqual(fields);
    expect(dynamo.commandCalls(TransactWriteItemsCommand)).toHaveLength(0);
  });

  it.each([
    [
      'an unknown company',
      { type: 'accelerator-company', companyCvr: '29000042', supportPerson: 'Mette Lund' },
      'Virksomheden med det CVR-nummer er ikke registreret i kommunens partnerskab',
    ],
    [
      "another municipality's accelerator company, as an unknown one",
      { type: 'accelerator-company', companyCvr: '87654303', supportPerson: 'Mette Lund' },
      'Virksomheden med det CVR-nummer er ikke registreret i kommunens partnerskab',
    ],
    [
      'a company never invited into a cohort',
      { type: 'accelerator-company', companyCvr: '29000018', supportPerson: 'Mette Lund' },
      'Virksomheden er ikke inviteret til acceleratoren',
    ],
    [
      "an accelerator company as the actor's own",
      { type: 'own-company', companyCvr: '12345674' },
      'Virksomheden er ikke registreret som beskæftigelsesaktørens egen virksomhed',
    ],
  ])('refuses %s with 409 on companyCvr and writes nothing', async (_what, body, message) => {
    // Prepare
    mockNoCompany(dynamo, '29000042');

    // Act
    const response = await post(JSON.stringify(body));

    // Assess
    expect(response.statusCode).toBe(409);
    expect(JSON.parse(response.body).errors).toEqual([{ field: 'companyCvr', message }]);
    expect(dynamo.commandCalls(TransactWriteItemsCommand)).toHaveLength(0);
  });

  it('refuses a company that withdrew, from the day it withdrew', async () => {
    // Prepare
    mockCompany(dynamo, CAFE, [
      journeyOf(CAFE, {
        stage: 'withdrawn',
        decisions: { selected: true, withdrawnOn: '2019-03-15' },
      }),
    ]);

    // Act
    const response = await post(
      JSON.stringify({ type: 'accelerator-company', companyCvr: '12345674', supportPerson: 'Mette Lund' }),
    );

    // Assess
    expect(response.statusCode).toBe(409);
    expect(JSON.parse(response.body).errors).toEqual([
      { field: 'companyCvr', message: 'Virksomheden er udtrådt af acceleratoren' },
    ]);
  });

  it('answers 409 once the pathway has left induction', async () => {
    // Prepare
    dynamo.on(GetItemCommand).resolves({ Item: stateItem(referralRecord({ phase: 'tracking' })) });

    // Act
    const response = await post(JSON.stringify({ type: 'own-company', companyCvr: '29000018' }));

    // Assess
    expect(response.statusCode).toBe(409);
    expect(JSON.parse(response.body).errors[0].field).toBe('id');
  });

  it("shows the pathway page again with the placement form's messages after a bad form post", async () => {
    // Prepare: the page reloads the whole pathway.
    // The pathway for its own partition; the partnership's companies (the form's choices) are none here.
    dynamo
      .on(QueryCommand)
      .callsFake((input) =>
        String(input.ExpressionAttributeValues?.[':pk']?.S).startsWith('REFERRAL#')
          ? { Items: [stateItem(referralRecord())] }
          : { Items: [] },
      );

    // Act
    const response = await post(
      'type=accelerator-company&companyCvr=12345674',
      'application/x-www-form-urlencoded',
    );

    // Assess
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('id="placement-supportPerson-error"');
    expect(response.body).not.toContain('id="type-error"');
  });

  it("shows the page again with the company's refusal beside the CVR field", async () => {
    // Prepare: the page reloads the whole pathway (set before the company mocks, which are more specific).
    dynamo.reset();
    dynamo.on(GetItemCommand).resolves({ Item: stateItem(referralRecord()) });
    // The pathway for its own partition; the partnership's companies (the form's choices) are none here.
    dynamo
      .on(QueryCommand)
      .callsFake((input) =>
        String(input.ExpressionAttributeValues?.[':pk']?.S).startsWith('REFERRAL#')
          ? { Items: [stateItem(referralRecord())] }
          : { Items: [] },
      );
    mockCompany(dynamo, AALBORG, [journeyOf(AALBORG)]);

    // Act
    const response = await post(
      'type=accelerator-company&companyCvr=87654303&supportPerson=Mette+Lund',
      'application/x-www-form-urlencoded',
    );

    // Assess
    expect(response.statusCode).toBe(409);
    expect(response.body).toContain('id="placement-companyCvr-error"');
    expect(response.body).toContain('ikke registreret i kommunens partnerskab');
    expect(dynamo.commandCalls(TransactWriteItemsCommand)).toHaveLength(0);
  });
});
