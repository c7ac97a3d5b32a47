import {
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CLIENT_ID,
  idTokenClaims,
  OTHER_POOL_ID,
  POOL_ID,
  type SigningKey,
  serveJwks,
  signingKey,
  signJwt,
} from './tokens.ts';

const METHOD_ARN = 'arn:aws:execute-api:eu-north-1:000000000000:api123/prod/POST/referrals';
const HOST = 'abc.execute-api.eu-north-1.amazonaws.com';
const context = { awsRequestId: 'authorizer-test' } as Context;

let poolKey: SigningKey;
let otherPoolKey: SigningKey;
let jwks: Awaited<ReturnType<typeof serveJwks>>;
let authorize: (event: APIGatewayRequestAuthorizerEvent) => Promise<APIGatewayAuthorizerResult>;

/** The pool's answer about a user's MFA: TOTP for everyone but `no-totp-*` users. */
const cognito = mockClient(CognitoIdentityProviderClient);
cognito.on(AdminGetUserCommand).callsFake((input: { Username: string }) => ({
  Username: input.Username,
  UserMFASettingList: input.Username.startsWith('no-totp') ? [] : ['SOFTWARE_TOKEN_MFA'],
}));

beforeAll(async () => {
  poolKey = signingKey('pool-key');
  otherPoolKey = signingKey('other-pool-key');
  jwks = await serveJwks({ [POOL_ID]: [poolKey], [OTHER_POOL_ID]: [otherPoolKey] });
  // The authorizer reads its pool and JWKS location at module scope, as on Lambda.
  process.env.USER_POOL_ID = POOL_ID;
  process.env.USER_POOL_CLIENT_ID = CLIENT_ID;
  process.env.AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER = jwks.url;
  process.env.REQUIRE_MFA_ROLES = 'finance,programme';
  const module = await import('../../functions/auth/authorizer.ts');
  authorize = (event) => module.handler(event, context);
});

afterAll(async () => {
  await jwks.close();
});

function requestEvent(
  options: { method?: string; headers?: Record<string, string> } = {},
): APIGatewayRequestAuthorizerEvent {
  const method = options.method ?? 'GET';
  return {
    type: 'REQUEST',
    methodArn: METHOD_ARN.replace('/POST/', `/${method}/`),
    resource: '/referrals',
    path: '/referrals',
    httpMethod: method,
    // API Gateway tells the scheme the client used; it serves HTTPS only.
    headers: { Host: HOST, 'X-Forwarded-Proto': 'https', ...options.headers },
    multiValueHeaders: {},
    pathParameters: null,
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    stageVariables: null,
    requestContext: {} as APIGatewayRequestAuthorizerEvent['requestContext'],
  };
}

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const cookie = (token: string) => ({ Cookie: `other=1; vp_session=${token}` });
const effectOf = (result: APIGatewayAuthorizerResult) =>
  (result.policyDocument.Statement[0] as { Effect: string }).Effect;

describe('authorizer: who is signed in', () => {
  it('allows a valid ID token from the Authorization header, for the whole stage, naming the caller', async () => {
    // Prepare
    const token = signJwt(poolKey, idTokenClaims({ username: 'kolding-sagsbehandler', municipality: '621' }));

    // Act
    const result = await authorize(requestEvent({ headers: bearer(token) }));

    // Assess
    expect(effectOf(result)).toBe('Allow');
    expect(result.principalId).toBe('kolding-sagsbehandler');
    expect(result.context).toEqual({
      username: 'kolding-sagsbehandler',
      role: 'caseworker',
      municipality: '621',
      company: '',
    });
    expect((result.policyDocument.Statement[0] as { Resource: string }).Resource).toBe(
      'arn:aws:execute-api:eu-north-1:000000000000:api123/prod/*/*',
    );
  });

  it('allows the session cookie and gives the programme role no municipality', async () => {
    // Prepare
    const token = signJwt(
      poolKey,
      idTokenClaims({ username: 'programleder', groups: ['programme'], municipality: '' }),
    );

    // Act
    const result = await authorize(requestEvent({ headers: cookie(token) }));

    // Assess
    expect(effectOf(result)).toBe('Allow');
    expect(result.context).toEqual({
      username: 'programleder',
      role: 'programme',
      municipality: '',
      company: '',
    });
  });

  it("names a company contact's company (its CVR number, from the identity provider)", async () => {
    // Prepare
    const claims = idTokenClaims({
      username: 'kolding-virksomhed',
      groups: ['company'],
      company: '12345674',
    });

    // Act
    const result = await authorize(requestEvent({ headers: bearer(signJwt(poolKey, claims)) }));

    // Assess
    expect(effectOf(result)).toBe('Allow');
    expect(result.context).toEqual({
      username: 'kolding-virksomhed',
      role: 'company',
      municipality: '621',
      company: '12345674',
    });
  });

  const now = () => Math.floor(Date.now() / 1000);
  const refused: Array<[string, () => Record<string, string>]> = [
    ['no token at all', () => ({})],
    ['an empty bearer', () => ({ Authorization: 'Bearer ' })],
    ['another scheme', () => ({ Authorization: `Basic ${Buffer.from('a:b').toString('base64')}` })],
    [
      'an expired token',
      () => bearer(signJwt(poolKey, { ...idTokenClaims(), iat: now() - 7200, exp: now() - 3600 })),
    ],
    [
      'a forged signature (another key under the pool key id)',
      () => bearer(signJwt({ ...otherPoolKey, kid: poolKey.kid }, idTokenClaims())),
    ],
    [
      'a tampered payload (groups changed after signing)',
      () => {
        const [head, , signature] = signJwt(poolKey, idTokenClaims({ groups: ['caseworker'] })).split('.');
        const body = Buffer.from(JSON.stringify(idTokenClaims({ groups: ['programme'] }))).toString(
          'base64url',
        );
        return bearer(`${head}.${body}.${signature}`);
      },
    ],
    [
      'alg: none',
      () => {
        const head = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT', kid: poolKey.kid })).toString(
          'base64url',
        );
        const body = Buffer.from(JSON.stringify(idTokenClaims())).toString('base64url');
        return bearer(`${head}.${body}.`);
      },
    ],
    ['another pool’s token', () => bearer(signJwt(otherPoolKey, idTokenClaims({ poolId: OTHER_POOL_ID })))],
    [
      'a token for another app client',
      () => bearer(signJwt(poolKey, { ...idTokenClaims(), aud: 'another-client' })),
    ],
    [
      'an access token instead of an ID token',
      () => bearer(signJwt(poolKey, { ...idTokenClaims(), token_use: 'access' })),
    ],
    ['garbage', () => bearer('not.a.jwt')],
    ['a forged cookie', () => cookie(signJwt(otherPoolKey, idTokenClaims({ poolId: OTHER_POOL_ID })))],
  ];

  it.each(refused)('refuses %s with 401 (Unauthorized)', async (_case, headers) => {
    // Act and assess: API Gateway answers 401 for exactly this error.
    await expect(authorize(requestEvent({ headers: headers() }))).rejects.toThrow(/^Unauthorized$/);
  });

  const denied: Array<[string, Record<string, unknown>]> = [
    ['no role group', idTokenClaims({ groups: [] })],
    ['two role groups', idTokenClaims({ groups: ['caseworker', 'finance'] })],
    ['a municipal role without a municipality', idTokenClaims({ municipality: '' })],
    ['a municipality that is not in the programme', idTokenClaims({ municipality: '999' })],
    ['a company contact without a company', idTokenClaims({ groups: ['company'] })],
    [
      'a company contact whose CVR number fails modulus 11',
      idTokenClaims({ groups: ['company'], company: '12345678' }),
    ],
  ];

  it.each(denied)('denies (403) a valid token with %s', async (_case, claims) => {
    // Act
    const result = await authorize(requestEvent({ headers: bearer(signJwt(poolKey, claims)) }));

    // Assess
    expect(effectOf(result)).toBe('Deny');
    expect(result.context).toBeUndefined();
  });
});

describe('authorizer: TOTP for the roles that must have it', () => {
  it.each([
    ['a finance user with TOTP', 'kolding-oekonomi', ['finance'], 'Allow'],
    ['a finance user without TOTP', 'no-totp-oekonomi', ['finance'], 'Deny'],
    ['a programme user without TOTP', 'no-totp-programleder', ['programme'], 'Deny'],
    ['a caseworker without TOTP (not required)', 'no-totp-sagsbehandler', ['caseworker'], 'Allow'],
  ] as const)('%s: %s', async (_case, username, groups, expected) => {
    // Prepare: a valid token, as a direct InitiateAuth against the pool would give, past the login page.
    const claims = idTokenClaims({ username, groups: [...groups], municipality: '621' });

    // Act
    const result = await authorize(requestEvent({ headers: bearer(signJwt(poolKey, claims)) }));

    // Assess
    expect(effectOf(result)).toBe(expected);
  });

  it('asks the pool once per user within a few minutes, and fails closed when it cannot', async () => {
    // Prepare
    cognito.resetHistory();
    const token = signJwt(poolKey, idTokenClaims({ username: 'cached-oekonomi', groups: ['finance'] }));

    // Act
    await authorize(requestEvent({ headers: bearer(token) }));
    await authorize(requestEvent({ headers: bearer(token) }));
    cognito
      .on(AdminGetUserCommand, { Username: 'unreachable-oekonomi' })
      .rejects(new Error('socket hang up'));
    const failed = await authorize(
      requestEvent({
        headers: bearer(
          signJwt(poolKey, idTokenClaims({ username: 'unreachable-oekonomi', groups: ['finance'] })),
        ),
      }),
    );

    // Assess
    const asked = cognito.commandCalls(AdminGetUserCommand).map((call) => call.args[0].input.Username);
    expect(asked.filter((u) => u === 'cached-oekonomi')).toHaveLength(1);
    expect(asked[0]).toBe('cached-oekonomi');
    expect(effectOf(failed)).toBe('Deny');
  });
});

describe('authorizer: cross-site form posts', () => {
  const cases: Array<[string, 'cookie' | 'bearer', Record<string, string>, 'Allow' | 'Deny']> = [
    ['a cookie POST from the API’s own pages', 'cookie', { Origin: `https://${HOST}` }, 'Allow'],
    ['a cookie POST from the same host over plain HTTP', 'cookie', { Origin: `http://${HOST}` }, 'Deny'],
    [
      'a cookie POST with only a same-site Referer',
      'cookie',
      { Referer: `https://${HOST}/prod/referrals/x` },
      'Allow',
    ],
    ['a cookie POST from another site', 'cookie', { Origin: 'https://evil.example' }, 'Deny'],
    ['a cookie POST with Origin null', 'cookie', { Origin: 'null' }, 'Deny'],
    ['a cookie POST without Origin or Referer', 'cookie', {}, 'Deny'],
    ['a bearer POST without Origin (an API client)', 'bearer', {}, 'Allow'],
  ];

  it.each(cases)('%s: %s', async (_case, via, headers, expected) => {
    // Prepare
    const token = signJwt(poolKey, idTokenClaims());
    const credential = via === 'cookie' ? cookie(token) : bearer(token);

    // Act
    const result = await authorize(requestEvent({ method: 'POST', headers: { ...credential, ...headers } }));

    // Assess
    expect(effectOf(result)).toBe(expected);
  });
});
