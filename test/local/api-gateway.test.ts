import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
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

/** A request through node:http, whose request target is sent exactly as given, and the socket it went on. */
function rawRequest(options: {
  path: string;
  method?: string;
  headers?: Record<string, string>;
  body?: Buffer;
  agent?: http.Agent;
}): Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string; socket: Socket }> {
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const outgoing = http.request(
      { host: '127.0.0.1', port, path: options.path, method: options.method ?? 'GET' },
      (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('error', reject);
        incoming.on('end', () =>
          resolve({
            status: incoming.statusCode ?? 0,
            headers: incoming.headers,
            text: Buffer.concat(chunks).toString('utf8'),
            socket: outgoing.socket as Socket,
          }),
        );
      },
    );
    outgoing.on('error', reject);
    if (options.agent) outgoing.setHeader('Connection', 'keep-alive');
    for (const [name, value] of Object.entries(options.headers ?? {})) outgoing.setHeader(name, value);
    // Set after the options so that `agent: undefined` keeps node's default agent.
    if (options.agent) (outgoing as unknown as { agent: http.Agent }).agent = options.agent;
    outgoing.end(options.body);
  });
}

describe('the local API with hostile requests', () => {
  it('answers an 11 MB body 413 with Connection: close, and the next request on a new connection works', async () => {
    // Prepare: one keep-alive socket at most, so the second request would reuse the first's if it were left open.
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const allowed = { Authorization: 'Bearer allow', 'Content-Type': 'application/json' };
    const body = Buffer.alloc(11 * 1024 * 1024, 'a');
    try {
      // Act
      const oversized = await rawRequest({
        path: '/referrals',
        method: 'POST',
        headers: allowed,
        body,
        agent,
      });
      const closed = new Promise<void>((resolve) =>
        oversized.socket.destroyed ? resolve() : oversized.socket.once('close', () => resolve()),
      );
      await closed;
      const next = await rawRequest({ path: '/referrals/abc', headers: allowed, agent });

      // Assess
      expect(oversized.status).toBe(413);
      expect(oversized.headers.connection).toBe('close');
      expect(JSON.parse(oversized.text)).toEqual({ message: 'Request Entity Too Large' });
      expect(oversized.headers['x-amzn-errortype']).toBe('RequestTooLargeException');
      expect(next.status).toBe(200);
      expect(next.socket).not.toBe(oversized.socket);
    } finally {
      agent.destroy();
    }
  });

  it('keeps a keep-alive connection open after a body within the limit', async () => {
    // Prepare
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const allowed = { Authorization: 'Bearer allow', 'Content-Type': 'application/json' };
    try {
      // Act
      const first = await rawRequest({
        path: '/referrals',
        method: 'POST',
        headers: allowed,
        body: Buffer.from('{}'),
        agent,
      });
      const second = await rawRequest({ path: '/referrals/abc', headers: allowed, agent });

      // Assess: the control for the test above, which would otherwise pass on any agent that never reuses.
      expect([first.status, second.status]).toEqual([200, 200]);
      expect(first.headers.connection).toBe('keep-alive');
      expect(second.socket).toBe(first.socket);
    } finally {
      agent.destroy();
    }
  });

  it.each([
    ['a truncated percent-encoding', '/referrals/%E0%A4%A'],
    ['a lone percent sign', '/referrals/%'],
    ['an invalid UTF-8 sequence', '/referrals/%C0%AF'],
    ['a malformed encoding with a query', '/referrals/%zz?x=1'],
    ['an absolute URL as the target', 'http://example.com/referrals/abc'],
    ['the asterisk form', '*'],
  ])('answers %s (%s) with 400, without running anything', async (_what, target) => {
    // Prepare
    errors.length = 0;

    // Act
    const answer = await rawRequest({ path: target, headers: { Authorization: 'Bearer allow' } });

    // Assess
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.text)).toEqual({ message: 'Bad Request' });
    expect(errors).toEqual([]);
  });

  it('treats a target starting with // as a path on this API, never as another host', async () => {
    // Prepare
    errors.length = 0;

    // Act
    const root = await rawRequest({ path: '//', headers: { Authorization: 'Bearer allow' } });
    const elsewhere = await rawRequest({
      path: '//example.com/referrals/abc',
      headers: { Authorization: 'Bearer allow' },
    });

    // Assess: no such route, as API Gateway answers; neither a crash (502) nor /referrals/abc.
    expect([root.status, elsewhere.status]).toEqual([403, 403]);
    expect(JSON.parse(elsewhere.text)).toEqual({ message: 'Missing Authentication Token' });
    expect(errors).toEqual([]);
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
