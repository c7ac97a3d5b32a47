import { DynamoDBClient, PutItemCommand, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { handler as createReferral } from '../../functions/api/create-referral.ts';
import { handler as home } from '../../functions/api/referral-form.ts';
import { apiEvent, callers, lambdaContext, referralId } from './support.ts';

const dynamo = mockClient(DynamoDBClient);

beforeEach(() => {
  dynamo.reset();
});

describe('GET /?referral=<id>', () => {
  it.each(Object.entries(callers))(
    'sends %s to the pathway page, where that page decides access',
    async (_name, caller) => {
      // Act
      const response = await home(
        apiEvent({
          method: 'GET',
          path: '/',
          caller,
          queryStringParameters: { referral: referralId.toUpperCase() },
        }),
        lambdaContext,
      );

      // Assess
      expect(response.statusCode).toBe(303);
      expect(response.headers?.Location).toBe(`/prod/referrals/${referralId}`);
    },
  );
});

describe('the referral form shown again after an error', () => {
  it('keeps what was typed, but neither the CPR number nor a CPR-shaped number typed into the name', async () => {
    // Act
    const response = await createReferral(
      apiEvent({
        method: 'POST',
        path: '/referrals',
        caller: callers.koldingCaseworker,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          cpr: '010185-1234',
          name: 'Anna 020285-2345',
          benefit: 'kontanthjaelp',
          readiness: 'jobparat',
        }).toString(),
      }),
      lambdaContext,
    );

    // Assess
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('må ikke indeholde et CPR-nummer');
    expect(response.body).not.toContain('010185');
    expect(response.body).not.toContain('020285');
    expect(response.body).toContain('value="kontanthjaelp" selected');
    expect(dynamo.commandCalls(TransactWriteItemsCommand)).toHaveLength(0);
    expect(dynamo.commandCalls(PutItemCommand)).toHaveLength(0);
  });
});
