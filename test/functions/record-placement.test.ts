import {
  DynamoDBClient,
  GetItemCommand,
  QueryCommand,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { handler } from '../../functions/api/record-placement.ts';
import { apiEvent, callers, lambdaContext, referralId } from './support.ts';
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

beforeEach(() => {
  dynamo.reset();
  dynamo.on(GetItemCommand).resolves({ Item: stateItem(referralRecord()) });
  dynamo.on(TransactWriteItemsCommand).resolves({});
});

const written = () => dynamo.commandCalls(TransactWriteItemsCommand)[0]?.args[0].input.TransactItems ?? [];

describe('POST /referrals/{id}/placement', () => {
  it('records an accelerator-company placement with its support person on the pathway and as an event', async () => {
    // Act
    const response = await post(
      JSON.stringify({ type: 'accelerator-company', company: 'Grøn Café ApS', supportPerson: 'Mette Lund' }),
    );
    // Assess
    expect(response.statusCode).toBe(201);
    const [state, event] = written();
    expect(state?.Update?.ConditionExpression).toBe(
      'eventSeq = :expected AND phase IN (:referred, :training, :induction)',
    );
    expect(unmarshall(state?.Update?.ExpressionAttributeValues ?? {})[':placement']).toEqual({
      type: 'accelerator-company',
      company: 'Grøn Café ApS',
      supportPerson: 'Mette Lund',
    });
    expect(unmarshall(event?.Put?.Item ?? {})).toMatchObject({
      sk: 'EVENT#000003',
      kind: 'induction-placed',
    });
  });

  it.each([
    [{ type: 'accelerator-company', company: 'Grøn Café ApS' }, ['supportPerson']],
    [{ type: 'municipal-workshop', company: 'X' }, ['type']],
    [{ type: 'own-company', company: '  ' }, ['company']],
  ])('refuses %j with 400 on %j and writes nothing', async (body, fields) => {
    const response = await post(JSON.stringify(body));
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body).errors.map((e: { field: string }) => e.field)).toEqual(fields);
    expect(dynamo.commandCalls(TransactWriteItemsCommand)).toHaveLength(0);
  });

  it('answers 409 once the pathway has left induction', async () => {
    dynamo.on(GetItemCommand).resolves({ Item: stateItem(referralRecord({ phase: 'tracking' })) });
    const response = await post(JSON.stringify({ type: 'own-company', company: 'Egen Café' }));
    expect(response.statusCode).toBe(409);
  });

  it("shows the pathway page again with the placement form's messages after a bad form post", async () => {
    // Prepare: the page reloads the whole pathway.
    dynamo.on(GetItemCommand).resolves({ Item: stateItem(referralRecord()) });
    dynamo.on(QueryCommand).resolves({ Items: [stateItem(referralRecord())] });
    // Act
    const response = await post(
      'type=accelerator-company&company=Gr%C3%B8n+Caf%C3%A9',
      'application/x-www-form-urlencoded',
    );
    // Assess
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('id="placement-supportPerson-error"');
    expect(response.body).not.toContain('id="type-error"');
  });
});
