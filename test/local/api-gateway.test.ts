import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalApi } from '../../local/api-gateway.ts';
import { LocalLambdas } from '../../local/lambdas.ts';
import { describeLocalResources, type LocalResources } from '../../local/template.ts';
import { apiStack, signInStack, synthesize } from './cdk-fixtures.ts';

/** The fixture handlers (`functions/test/*.ts`) live under test/local/fixtures. */
const fixturesRoot = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

let resources: LocalResources;
let server: http.Server;
let url: string;
const errors: unknown[] = [];

beforeAll(async () => {
  resources = describeLocalResources(synthesize(signInStack));
  const lambdas = new LocalLambdas(resources.functions, fixturesRoot);
  server = createLocalApi({
    methods: resources.apiMethods,
    authorizers: resources.apiAuthorizers,
    gatewayResponses: resources.gatewayResponses,
    stages: resources.apiStages,
    invoke: (logicalId, event) => lambdas.invoke(logicalId, event),
    localRoute: async () => undefined,
    onError: (error) => errors.push(error),
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server?.close(() => resolve()));
});

async function request(pathAndQuery: string, headers: Record<string, string> = {}, method = 'GET') {
  const response = await fetch(`${url}${pathAndQuery}`, { method, headers });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

describe('the local API with a Lambda authorizer', () => {
  it('answers a request without a session with the UNAUTHORIZED gateway response in JSON', async () => {
    // Prepare
    const headers = { Accept: 'application/json' };

    // Act
    const answer = await request('/referrals/abc', headers);

    // Assess
    expect(answer.status).toBe(401);
    expect(answer.headers.get('content-type')).toBe('application/json');
    expect(answer.headers.get('cache-control')).toBe('no-store');
    expect(answer.json).toEqual({ errors: [{ field: 'session', message: 'Du er ikke logget ind.' }] });
  });

  it('answers a browser without a session with the HTML template, pointing at the login page at the root', async () => {
    // Prepare
    const headers = { Accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

    // Act
    const answer = await request('/referrals/abc', headers);

    // Assess
    expect(answer.status).toBe(401);
    expect(answer.headers.get('content-type')).toBe('text/html');
    expect(answer.text).toBe(
      '<!doctype html><meta http-equiv="refresh" content="0;url=/login"><a href="/login">Log ind</a> (UNAUTHORIZED)',
    );
  });

  it('answers a Deny, or an Allow for other methods only, with the ACCESS_DENIED gateway response', async () => {
    // Prepare
    const denied = { Authorization: 'Bearer deny' };
    const elsewhere = { Authorization: 'Bearer elsewhere' };

    // Act
    const explicit = await request('/referrals', denied, 'POST');
    const notAllowed = await request('/referrals/abc', elsewhere);

    // Assess
    expect(explicit.status).toBe(403);
    expect(explicit.json).toEqual({
      errors: [{ field: 'session', message: 'Adgang nægtet.' }],
      why: 'User is not authorized to access this resource with an explicit deny',
    });
    expect(notAllowed.status).toBe(403);
    expect(notAllowed.json).toMatchObject({ why: 'User is not authorized to access this resource' });
  });

  it('hands an allowed request the authorizer context as strings, with the principal', async () => {
    // Prepare
    const headers = { Authorization: 'Bearer allow' };

    // Act
    const answer = await request('/referrals/abc?q=1', headers);

    // Assess
    expect(answer.status).toBe(200);
    const echo = answer.json as {
      authorizer: Record<string, unknown>;
      stageVariables: unknown;
      stage: string;
    };
    const apiId = resources.apiMethods[0]?.restApiLogicalId;
    expect(echo.authorizer).toEqual({
      principalId: 'kolding-sagsbehandler',
      username: 'kolding-sagsbehandler',
      role: 'caseworker',
      municipality: '621',
      mfa: 'true',
      level: '2',
      eventType: 'REQUEST',
      methodArn: `arn:aws:execute-api:eu-north-1:000000000000:${apiId}/prod/GET/referrals/abc`,
      resource: '/referrals/{id}',
      path: '/referrals/abc',
      httpMethod: 'GET',
      pathId: 'abc',
      query: '1',
      loginPath: '/login',
      requestStage: 'prod',
      integrationLatency: expect.any(Number),
    });
    expect(echo.stageVariables).toEqual({ loginPath: '/login' });
    expect(echo.stage).toBe('prod');
  });

  it('answers 500 when the authorizer fails otherwise or returns no policy', async () => {
    // Prepare
    errors.length = 0;

    // Act
    const crashed = await request('/', { Authorization: 'Bearer crash' });
    const malformed = await request('/', { Authorization: 'Bearer malformed' });

    // Assess
    expect([crashed.status, malformed.status]).toEqual([500, 500]);
    expect(crashed.json).toEqual({ message: null });
    expect(crashed.headers.get('x-amzn-errortype')).toBe('AuthorizerConfigurationException');
    expect(errors).toHaveLength(2);
  });

  it('runs a method with authorization NONE without the authorizer', async () => {
    // Prepare
    const headers = { Accept: 'text/html' };

    // Act
    const answer = await request('/login', headers);

    // Assess
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ authorizer: null, stageVariables: { loginPath: '/login' } });
  });

  it('sends the headers and multi-value headers of a proxy result merged, as API Gateway does', async () => {
    // Prepare
    const headers = { Accept: 'application/json' };

    // Act
    const response = await fetch(`${url}/login`, { headers });

    // Assess
    expect(response.headers.getSetCookie()).toEqual(['session=1', 'refresh=2']);
    expect(response.headers.get('content-type')).toBe('application/json');
  });

  it('answers an unknown route 403 and a malformed percent-encoding 400, without running anything', async () => {
    // Prepare
    const allowed = { Authorization: 'Bearer allow' };

    // Act
    const unknown = await request('/nowhere', allowed);
    const malformed = await request('/referrals/%E0%A4%A', allowed);

    // Assess
    expect(unknown.status).toBe(403);
    expect(unknown.json).toEqual({ message: 'Missing Authentication Token' });
    expect(malformed.status).toBe(400);
    expect(malformed.json).toEqual({ message: 'Bad Request' });
  });
});

describe('createLocalApi', () => {
  it('refuses a method whose authorization it cannot emulate rather than serve it open', () => {
    // Prepare
    const open = describeLocalResources(synthesize(apiStack));
    const [first, ...rest] = open.apiMethods;
    const methods = [{ ...first, authorizationType: 'AWS_IAM' } as typeof first & object, ...rest];

    // Act
    const creating = () =>
      createLocalApi({
        methods,
        invoke: async () => ({}),
        localRoute: async () => undefined,
        onError: () => {},
      });

    // Assess
    expect(creating).toThrow(/AWS_IAM is not emulated locally/);
  });
});
