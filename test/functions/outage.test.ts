import { createServer } from 'node:net';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { apiEvent, callers, lambdaContext, referralId } from './support.ts';

/** A loopback port nothing listens on: bound once by us, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('No port');
  return address.port;
}

type HttpHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;
let getReferral: HttpHandler;
let wrapHttpHandler: (name: string, handler: HttpHandler) => HttpHandler;

beforeAll(async () => {
  // Before anything is imported: the SDK client reads its endpoint and attempts once, at module scope; the
  // logger reads its level at import (the suite's default, ERROR, would hide the warning asserted here).
  process.env.AWS_ENDPOINT_URL_DYNAMODB = `http://127.0.0.1:${await closedPort()}`;
  process.env.AWS_MAX_ATTEMPTS = '1';
  process.env.LOG_LEVEL = 'WARN';
  ({ handler: getReferral } = await import('../../functions/api/get-referral.ts'));
  ({ wrapHttpHandler } = await import('#shared/wrap-handler'));
});

/** What the handler wrote at WARN and ERROR (both go to stderr), as parsed lines. */
function logged() {
  const spy = vi.spyOn(console, 'error').mockImplementation(() => undefined);
  return () => spy.mock.calls.map(([line]) => JSON.parse(String(line)) as Record<string, unknown>);
}

afterEach(() => {
  vi.restoreAllMocks();
});

const unavailable = 'Tjenesten er midlertidigt utilgængelig. Prøv igen om lidt.';
const readReferral = (headers: Record<string, string> = {}) =>
  apiEvent({
    method: 'GET',
    path: `/referrals/${referralId}`,
    resource: '/referrals/{id}',
    pathParameters: { id: referralId },
    caller: callers.koldingCaseworker,
    headers,
  });

describe('DynamoDB unreachable (a real closed port)', () => {
  it('GET /referrals/{id} answers 503 with Retry-After and a Danish message', async () => {
    // Prepare
    const lines = logged();
    // Act
    const response = await getReferral(readReferral(), lambdaContext);
    // Assess
    expect(response.statusCode).toBe(503);
    expect(Number(response.headers?.['Retry-After'])).toBeGreaterThan(0);
    expect(JSON.parse(response.body)).toEqual({ errors: [{ field: 'server', message: unavailable }] });
    // One warning for the request, without a stack; nothing at ERROR.
    expect(lines().map((l) => l.level)).toEqual(['WARN']);
    expect(lines()[0]).toMatchObject({ message: 'Dependency unavailable', handler: 'get-referral' });
    expect(JSON.stringify(lines()[0])).not.toContain('stack');
    expect(JSON.stringify(lines()[0])).toContain('ECONNREFUSED');
  });

  it('a browser gets the same status as a Danish page', async () => {
    const response = await getReferral(readReferral({ Accept: 'text/html' }), lambdaContext);
    expect(response.statusCode).toBe(503);
    expect(response.headers?.['Retry-After']).toBeDefined();
    expect(response.headers?.['Content-Type']).toMatch(/^text\/html/);
    expect(response.body).toContain('<html lang="da">');
    expect(response.body).toContain(unavailable);
  });
});

/** A handler that fails with `error`, wrapped as every API handler is. */
function failingWith(error: unknown): HttpHandler {
  return wrapHttpHandler('test', async () => {
    throw error;
  });
}
const sdkError = (name: string, httpStatusCode: number) =>
  Object.assign(new Error(name), { name, $metadata: { httpStatusCode } });

describe('wrapHttpHandler: outage or failure', () => {
  it.each([
    ['ProvisionedThroughputExceededException', sdkError('ProvisionedThroughputExceededException', 400)],
    ['ThrottlingException (KMS, Step Functions)', sdkError('ThrottlingException', 400)],
    ['TooManyRequestsException (Cognito)', sdkError('TooManyRequestsException', 400)],
    ['a 503 from any service', sdkError('ServiceUnavailable', 503)],
    ['socket hang up', new Error('socket hang up')],
    ['ETIMEDOUT', Object.assign(new Error('connect ETIMEDOUT'), { code: 'ETIMEDOUT' })],
  ])('%s answers 503 with Retry-After', async (_case, error) => {
    // Prepare
    const lines = logged();
    // Act
    const response = await failingWith(error)(apiEvent({ method: 'GET', path: '/' }), lambdaContext);
    // Assess
    expect(response.statusCode).toBe(503);
    expect(response.headers?.['Retry-After']).toMatch(/^\d+$/);
    expect(JSON.parse(response.body).errors[0].message).toBe(unavailable);
    expect(lines().map((l) => l.level)).toEqual(['WARN']);
  });

  it('any other unexpected error stays a 500, logged with its stack at ERROR', async () => {
    // Prepare
    const lines = logged();
    // Act
    const response = await failingWith(new TypeError('x is undefined'))(
      apiEvent({ method: 'GET', path: '/' }),
      lambdaContext,
    );
    // Assess
    expect(response.statusCode).toBe(500);
    expect(response.headers?.['Retry-After']).toBeUndefined();
    expect(JSON.parse(response.body)).toEqual({
      errors: [{ field: 'server', message: 'Der opstod en fejl. Prøv igen om lidt.' }],
    });
    expect(lines().map((l) => l.level)).toEqual(['ERROR']);
    expect(JSON.stringify(lines()[0])).toContain('stack');
  });

  it('a form post gets a page, not JSON', async () => {
    // Act
    const response = await failingWith(sdkError('ThrottlingException', 400))(
      apiEvent({
        method: 'POST',
        path: '/referrals',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'name=Anna',
      }),
      lambdaContext,
    );
    // Assess
    expect(response.statusCode).toBe(503);
    expect(response.headers?.['Content-Type']).toMatch(/^text\/html/);
    expect(response.headers?.['Content-Security-Policy']).toContain("default-src 'none'");
    expect(response.body).toContain(unavailable);
  });
});
