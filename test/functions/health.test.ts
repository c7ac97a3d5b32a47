import {
  DynamoDBClient,
  GetItemCommand,
  InternalServerError,
  ProvisionedThroughputExceededException,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Caller } from '#domain/access';
import { handler } from '../../functions/api/health.ts';
import { apiEvent, callers, lambdaContext } from './support.ts';

const dynamo = mockClient(DynamoDBClient);

/** null: no session. */
const health = (caller: Caller | null = callers.koldingCaseworker) =>
  handler(apiEvent({ method: 'GET', path: '/health', caller: caller ?? undefined }), lambdaContext);

const refused = (error: Error) => {
  // A rejection, as the SDK gives one: the error object itself.
  dynamo.on(GetItemCommand).rejects(error);
};

beforeEach(() => {
  dynamo.reset();
});

describe('GET /health', () => {
  it.each(Object.entries(callers))('answers 200 ok to %s when the table answers', async (_, caller) => {
    // Prepare
    dynamo.on(GetItemCommand).resolves({});
    // Act
    const response = await health(caller);
    // Assess
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body)).toEqual({ status: 'ok' });
    expect(response.headers?.['Retry-After']).toBeUndefined();
  });

  it('reads one fixed key of the table, and only its key attribute', async () => {
    // Prepare
    dynamo.on(GetItemCommand).resolves({});
    // Act
    await health();
    // Assess
    const calls = dynamo.commandCalls(GetItemCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.args[0].input).toEqual({
      TableName: 'programme-test',
      Key: { pk: { S: 'HEALTH' }, sk: { S: 'HEALTH' } },
      ProjectionExpression: 'pk',
    });
    expect(dynamo.calls()).toHaveLength(1);
  });

  it.each([
    [
      'the endpoint refuses connections',
      Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
    ],
    ['DynamoDB fails', new InternalServerError({ message: 'boom', $metadata: { httpStatusCode: 500 } })],
    [
      'DynamoDB throttles',
      new ProvisionedThroughputExceededException({
        message: 'slow down',
        $metadata: { httpStatusCode: 400 },
      }),
    ],
    ['the table is missing', new ResourceNotFoundException({ message: 'no table', $metadata: {} })],
  ])('answers 503 unavailable with Retry-After when %s', async (_, error) => {
    // Prepare
    refused(error);
    // Act
    const response = await health();
    // Assess
    expect(response.statusCode).toBe(503);
    expect(JSON.parse(response.body)).toEqual({ status: 'unavailable' });
    expect(Number(response.headers?.['Retry-After'])).toBeGreaterThan(0);
  });

  it('answers 500 to a failure that is no outage (a missing grant needs a person, not a retry)', async () => {
    // Prepare
    refused(
      Object.assign(new Error('not allowed'), {
        name: 'AccessDeniedException',
        $metadata: { httpStatusCode: 400 },
      }),
    );
    // Act
    const response = await health();
    // Assess
    expect(response.statusCode).toBe(500);
  });

  it('answers 401 without a caller and reads nothing', async () => {
    // Act
    const response = await health(null);
    // Assess
    expect(response.statusCode).toBe(401);
    expect(dynamo.calls()).toHaveLength(0);
  });
});
