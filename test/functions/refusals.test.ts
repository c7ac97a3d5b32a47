import {
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  NotAuthorizedException,
} from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient, GetItemCommand, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { HttpError, validate } from '#shared/http';
import { handler as recordConfirmation } from '../../functions/api/record-confirmation.ts';
import { handler as recordOutcome } from '../../functions/api/record-outcome.ts';
import { apiEvent, callers, lambdaContext, referralId } from './support.ts';
import { referralRecord, stateItem } from './support-records.ts';

/** Refusals found by the hostile-input test (test/integration/hostile-input.test.ts), each answered as it should. */
describe('validate', () => {
  const refusal = (schema: z.ZodType, data: unknown) => {
    try {
      validate(schema, data);
    } catch (error) {
      if (error instanceof HttpError) return error;
    }
    throw new Error('not refused');
  };

  it('answers in Danish where the schema has no message of its own (zod’s own are English)', () => {
    // Prepare: the sign-in's fields name no message for a missing or non-text value.
    const schema = z.object({
      username: z.string(),
      session: z.string().min(1).max(5),
      code: z.string().regex(/^\d{6}$/),
    });
    // Act
    const error = refusal(schema, { session: 'x'.repeat(6), code: 'abc' });
    // Assess
    expect(error.statusCode).toBe(400);
    expect(error.errors).toEqual([
      { field: 'username', message: 'Feltet skal udfyldes' },
      { field: 'session', message: 'Feltet er for langt eller for stort' },
      { field: 'code', message: 'Feltet har en ugyldig form' },
    ]);
  });

  it('keeps the schema’s own message where it has one', () => {
    // Prepare
    const schema = z.object({ username: z.string({ error: 'Skriv dit brugernavn' }), code: z.string() });
    // Act
    const error = refusal(schema, { username: 7, code: 7 });
    // Assess
    expect(error.errors).toEqual([
      { field: 'username', message: 'Skriv dit brugernavn' },
      { field: 'code', message: 'Feltet har en forkert type' },
    ]);
  });
});

describe('a form post refused where the page no longer shows its form', () => {
  const dynamo = mockClient(DynamoDBClient);
  const closed = referralRecord({ phase: 'closed', phaseEndsOn: null, closedReason: 'dropout' });

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-11-26T10:00:00Z'));
    dynamo.reset();
    dynamo.on(GetItemCommand).resolves({ Item: stateItem(closed) });
    dynamo.on(QueryCommand).resolves({ Items: [stateItem(closed)] });
    dynamo.on(PutItemCommand).resolves({});
  });

  afterEach(() => vi.useRealTimers());

  const formPost = (action: string, body: string) =>
    (action === 'outcomes' ? recordOutcome : recordConfirmation)(
      apiEvent({
        method: 'POST',
        path: `/referrals/${referralId}/${action}`,
        resource: `/referrals/{id}/${action}`,
        pathParameters: { id: referralId },
        body,
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
        caller: action === 'outcomes' ? callers.koldingCaseworker : callers.koldingActor,
      }),
      lambdaContext,
    );

  it.each([
    ['outcomes', 'type=dropout&date=2026-11-02', 'Forløbet er afsluttet'],
    ['outcomes', 'type=dropout&date=someday', 'Dato skal være en gyldig dato (ÅÅÅÅ-MM-DD)'],
    [
      'confirmations',
      'milestone=13&employed=true',
      'Borgeren er faldet fra forløbet; milepæle følges ikke op',
    ],
  ])('POST …/%s with %s shows the message on a page with the way back', async (action, body, message) => {
    // Act: the outcome form is not on a closed pathway's page, the confirmation form only with a milestone open.
    const response = await formPost(action, body);
    // Assess
    expect(response.statusCode).toBeGreaterThanOrEqual(400);
    expect(response.statusCode).toBeLessThan(500);
    expect(response.headers?.['Content-Type']).toMatch(/^text\/html/);
    expect(response.body).toContain('role="alert"');
    expect(response.body).toContain(message);
    expect(response.body).toContain(`href="/prod/referrals/${referralId}"`);
  });
});

describe('the sign-in page shown again', () => {
  const cognito = mockClient(CognitoIdentityProviderClient);
  let login: typeof recordOutcome;

  beforeAll(async () => {
    process.env.USER_POOL_CLIENT_ID = 'test-client';
    login = (await import('../../functions/auth/login.ts')).handler;
  });

  beforeEach(() => {
    cognito.reset();
    cognito
      .on(InitiateAuthCommand)
      .rejects(new NotAuthorizedException({ message: 'Incorrect username or password.', $metadata: {} }));
  });

  const signIn = (fields: Record<string, string>) =>
    login(
      apiEvent({
        method: 'POST',
        path: '/login',
        body: new URLSearchParams(fields).toString(),
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'text/html',
          host: 'api.example.dk',
          origin: 'http://api.example.dk',
        },
      }),
      lambdaContext,
    );

  it('keeps the username typed', async () => {
    // Act
    const response = await signIn({ username: 'anna.hansen', password: 'forkert' });
    // Assess
    expect(response.statusCode).toBe(401);
    expect(response.body).toContain('value="anna.hansen"');
  });

  it.each([
    ['the password step', { username: '010185-1234', password: 'forkert' }, 401],
    ['the new-password step', { username: '0101851234', session: 's', newPassword: '' }, 400],
    ['the code step', { username: '0101851234', session: 's', code: '12' }, 400],
  ])('does not send a CPR number typed as the username back (%s)', async (_step, fields, status) => {
    // Act
    const response = await signIn(fields);
    // Assess
    expect(response.statusCode).toBe(status);
    expect(response.body).toContain('role="alert"');
    expect(response.body).not.toMatch(/0101851234|010185-1234/);
  });

  it.each([
    ['the new-password step', { username: 'anna', session: '0000000000', newPassword: '' }],
    ['the code step', { username: 'anna', session: '010185-1234', code: '12' }],
  ])(
    'does not send a CPR-shaped session back (%s; found by the hostile-input test)',
    async (_step, fields) => {
      // Act
      const response = await signIn(fields);
      // Assess
      expect(response.statusCode).toBe(400);
      expect(response.body).toContain('role="alert"');
      expect(response.body).not.toMatch(/0000000000|010185-1234/);
    },
  );
});
