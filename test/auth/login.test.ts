import {
  AssociateSoftwareTokenCommand,
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  NotAuthorizedException,
  RespondToAuthChallengeCommand,
  RevokeTokenCommand,
  SetUserMFAPreferenceCommand,
  VerifySoftwareTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CLIENT_ID, idTokenClaims, signingKey, signJwt } from './tokens.ts';

const cognito = mockClient(CognitoIdentityProviderClient);
const context = { awsRequestId: 'login-test' } as Context;
type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;
let login: Handler;
let logout: Handler;

const key = signingKey('k');
const caseworkerToken = signJwt(key, idTokenClaims());
const financeToken = signJwt(key, idTokenClaims({ username: 'kolding-oekonomi', groups: ['finance'] }));
const tokens = (idToken: string) => ({
  AuthenticationResult: {
    IdToken: idToken,
    AccessToken: 'access-token',
    RefreshToken: 'refresh-token',
    ExpiresIn: 3600,
  },
});

beforeAll(async () => {
  process.env.USER_POOL_CLIENT_ID = CLIENT_ID;
  process.env.REQUIRE_MFA_ROLES = 'finance,programme';
  login = (await import('../../functions/auth/login.ts')).handler as Handler;
  logout = (await import('../../functions/auth/logout.ts')).handler as Handler;
});

beforeEach(() => {
  cognito.reset();
});

function event(options: {
  method: 'GET' | 'POST';
  path?: string;
  form?: Record<string, string>;
  json?: unknown;
  cookie?: string;
  accept?: string;
  /** Where a browser says the post comes from; the API's own page unless a test says otherwise. */
  origin?: string | null;
}): APIGatewayProxyEvent {
  const path = options.path ?? '/login';
  const headers: Record<string, string> = {
    Accept: options.accept ?? 'text/html',
    Host: 'api.example.dk',
    'X-Forwarded-Proto': 'https',
  };
  const origin = options.origin === undefined ? 'https://api.example.dk' : options.origin;
  if (origin !== null) headers.Origin = origin;
  if (options.form) headers['Content-Type'] = 'application/x-www-form-urlencoded';
  if (options.json !== undefined) headers['Content-Type'] = 'application/json';
  if (options.cookie) headers.Cookie = options.cookie;
  return {
    httpMethod: options.method,
    path,
    resource: path,
    headers,
    multiValueHeaders: {},
    body: options.form
      ? new URLSearchParams(options.form).toString()
      : options.json !== undefined
        ? JSON.stringify(options.json)
        : null,
    isBase64Encoded: false,
    pathParameters: null,
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    stageVariables: null,
    requestContext: { path: `/prod${path}`, stage: 'prod' } as APIGatewayProxyEvent['requestContext'],
  };
}

/** API Gateway sends both `headers` and `multiValueHeaders`; a cookie may come in either. */
const setCookies = (result: APIGatewayProxyResult) => [
  ...(result.headers?.['Set-Cookie'] !== undefined ? [String(result.headers['Set-Cookie'])] : []),
  ...(result.multiValueHeaders?.['Set-Cookie'] ?? []).map(String),
];

describe('POST /login from the browser', () => {
  it('signs in: a session cookie and a refresh cookie, HttpOnly, Secure, SameSite=Strict, then home', async () => {
    // Prepare
    cognito.on(InitiateAuthCommand).resolves(tokens(caseworkerToken));

    // Act
    const result = await login(
      event({ method: 'POST', form: { username: 'kolding-sagsbehandler', password: 'x' } }),
      context,
    );

    // Assess
    expect(result.statusCode).toBe(303);
    expect(result.headers?.Location).toBe('/prod/');
    const cookies = setCookies(result);
    expect(cookies).toHaveLength(2);
    expect(cookies[0]).toMatch(
      new RegExp(
        `^vp_session=${caseworkerToken.replaceAll('.', '\\.')}; Path=/prod/; Max-Age=3600; HttpOnly; Secure; SameSite=Strict$`,
      ),
    );
    expect(cookies[1]).toMatch(
      /^vp_refresh=refresh-token; Path=\/prod\/; Max-Age=43200; HttpOnly; Secure; SameSite=Strict$/,
    );
    expect(cognito.commandCalls(InitiateAuthCommand)[0]?.args[0].input).toEqual({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: CLIENT_ID,
      AuthParameters: { USERNAME: 'kolding-sagsbehandler', PASSWORD: 'x' },
    });
  });

  it('answers a wrong password with the form again, a Danish message and no cookie', async () => {
    // Prepare
    cognito
      .on(InitiateAuthCommand)
      .rejects(new NotAuthorizedException({ message: 'Incorrect', $metadata: {} }));

    // Act
    const result = await login(
      event({ method: 'POST', form: { username: 'kolding-sagsbehandler', password: 'hemmelig-42' } }),
      context,
    );

    // Assess
    expect(result.statusCode).toBe(401);
    expect(result.body).toContain('Forkert brugernavn eller adgangskode');
    expect(result.body).toContain('value="kolding-sagsbehandler"');
    expect(result.body).not.toContain('hemmelig-42');
    expect(setCookies(result)).toEqual([]);
  });

  it('asks for each missing field in Danish without calling Cognito', async () => {
    // Act
    const result = await login(event({ method: 'POST', json: { username: '', password: '' } }), context);

    // Assess
    expect(result.statusCode).toBe(400);
    expect(JSON.parse(result.body).errors).toEqual([
      { field: 'username', message: 'Skriv dit brugernavn' },
      { field: 'password', message: 'Skriv din adgangskode' },
    ]);
    expect(cognito.commandCalls(InitiateAuthCommand)).toHaveLength(0);
  });

  it('asks for the TOTP code when the user has MFA, and signs in with it', async () => {
    // Prepare
    cognito.on(InitiateAuthCommand).resolves({ ChallengeName: 'SOFTWARE_TOKEN_MFA', Session: 'sess-1' });
    cognito.on(RespondToAuthChallengeCommand).resolves(tokens(financeToken));

    // Act
    const first = await login(
      event({ method: 'POST', form: { username: 'kolding-oekonomi', password: 'x' } }),
      context,
    );
    const second = await login(
      event({ method: 'POST', form: { username: 'kolding-oekonomi', session: 'sess-1', code: '123456' } }),
      context,
    );

    // Assess
    expect(first.statusCode).toBe(200);
    expect(first.body).toContain('name="session" value="sess-1"');
    expect(setCookies(first)).toEqual([]);
    expect(cognito.commandCalls(RespondToAuthChallengeCommand)[0]?.args[0].input).toMatchObject({
      ChallengeName: 'SOFTWARE_TOKEN_MFA',
      Session: 'sess-1',
      ChallengeResponses: { USERNAME: 'kolding-oekonomi', SOFTWARE_TOKEN_MFA_CODE: '123456' },
    });
    expect(second.statusCode).toBe(303);
    expect(setCookies(second)[0]).toMatch(/^vp_session=/);
  });

  it('makes a finance user without MFA set up TOTP before any session, then sign in again', async () => {
    // Prepare
    cognito.on(InitiateAuthCommand).resolves(tokens(financeToken));
    cognito.on(AssociateSoftwareTokenCommand).resolves({ SecretCode: 'SECRETBASE32' });
    cognito.on(VerifySoftwareTokenCommand).resolves({ Status: 'SUCCESS' });
    cognito.on(SetUserMFAPreferenceCommand).resolves({});

    // Act
    const setup = await login(
      event({ method: 'POST', form: { username: 'kolding-oekonomi', password: 'x' } }),
      context,
    );
    const setupCookie = setCookies(setup)[0] ?? '';
    const done = await login(
      event({ method: 'POST', form: { setupCode: '654321' }, cookie: setupCookie.split(';')[0] }),
      context,
    );

    // Assess
    expect(setup.statusCode).toBe(200);
    expect(setup.body).toContain('SECRETBASE32');
    expect(setupCookie).toMatch(/^vp_mfa_setup=access-token; .*HttpOnly; Secure; SameSite=Strict$/);
    expect(setCookies(setup).some((c) => c.startsWith('vp_session='))).toBe(false);
    expect(cognito.commandCalls(VerifySoftwareTokenCommand)[0]?.args[0].input).toMatchObject({
      AccessToken: 'access-token',
      UserCode: '654321',
    });
    expect(cognito.commandCalls(SetUserMFAPreferenceCommand)[0]?.args[0].input).toMatchObject({
      SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true },
    });
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain('To-faktor er slået til');
    expect(setCookies(done).some((c) => c.startsWith('vp_session='))).toBe(false);
  });

  it('refuses an API client of an MFA role that has not set MFA up', async () => {
    // Prepare
    cognito.on(InitiateAuthCommand).resolves(tokens(financeToken));

    // Act
    const result = await login(
      event({ method: 'POST', json: { username: 'kolding-oekonomi', password: 'x' } }),
      context,
    );

    // Assess
    expect(result.statusCode).toBe(403);
    expect(result.body).not.toContain(financeToken);
  });

  it('lets a user with a temporary password choose a new one', async () => {
    // Prepare
    cognito.on(InitiateAuthCommand).resolves({ ChallengeName: 'NEW_PASSWORD_REQUIRED', Session: 'sess-2' });
    cognito.on(RespondToAuthChallengeCommand).resolves(tokens(caseworkerToken));

    // Act
    const first = await login(
      event({ method: 'POST', form: { username: 'ny-bruger', password: 'midlertidig' } }),
      context,
    );
    const second = await login(
      event({
        method: 'POST',
        form: { username: 'ny-bruger', session: 'sess-2', newPassword: 'Ny-Adgang-2026!' },
      }),
      context,
    );

    // Assess
    expect(first.body).toContain('Vælg en ny adgangskode');
    expect(cognito.commandCalls(RespondToAuthChallengeCommand)[0]?.args[0].input).toMatchObject({
      ChallengeName: 'NEW_PASSWORD_REQUIRED',
      ChallengeResponses: { USERNAME: 'ny-bruger', NEW_PASSWORD: 'Ny-Adgang-2026!' },
    });
    expect(second.statusCode).toBe(303);
  });
});

describe('POST /login from another site', () => {
  it.each([
    ['a foreign Origin', 'https://evil.example'],
    ['no Origin', null],
  ] as const)(
    'refuses a form post with %s before asking Cognito (no cross-site sign-in)',
    async (_case, origin) => {
      // Act
      const result = await login(
        event({ method: 'POST', origin, form: { username: 'kolding-sagsbehandler', password: 'x' } }),
        context,
      );

      // Assess
      expect(result.statusCode).toBe(403);
      expect(setCookies(result)).toEqual([]);
      expect(cognito.commandCalls(InitiateAuthCommand)).toHaveLength(0);
    },
  );
});

describe('POST /login as an API client', () => {
  it('renews an ID token from a refresh token', async () => {
    // Prepare
    cognito
      .on(InitiateAuthCommand)
      .resolves({ AuthenticationResult: { IdToken: caseworkerToken, ExpiresIn: 3600 } });

    // Act
    const result = await login(
      event({ method: 'POST', origin: null, json: { refreshToken: 'refresh-token' } }),
      context,
    );

    // Assess
    expect(cognito.commandCalls(InitiateAuthCommand)[0]?.args[0].input).toEqual({
      AuthFlow: 'REFRESH_TOKEN_AUTH',
      ClientId: CLIENT_ID,
      AuthParameters: { REFRESH_TOKEN: 'refresh-token' },
    });
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body)).toMatchObject({
      idToken: caseworkerToken,
      refreshToken: 'refresh-token',
    });
  });

  it('answers a refresh token Cognito refuses with 401', async () => {
    // Prepare
    cognito
      .on(InitiateAuthCommand)
      .rejects(new NotAuthorizedException({ message: 'Revoked', $metadata: {} }));

    // Act
    const result = await login(
      event({ method: 'POST', origin: null, json: { refreshToken: 'revoked' } }),
      context,
    );

    // Assess
    expect(result.statusCode).toBe(401);
    expect(JSON.parse(result.body).errors[0].field).toBe('refreshToken');
  });

  it('answers the tokens as JSON, without cookies', async () => {
    // Prepare
    cognito.on(InitiateAuthCommand).resolves(tokens(caseworkerToken));

    // Act
    const result = await login(
      event({
        method: 'POST',
        json: { username: 'kolding-sagsbehandler', password: 'x' },
        accept: 'application/json',
      }),
      context,
    );

    // Assess
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body)).toEqual({
      tokenType: 'Bearer',
      idToken: caseworkerToken,
      refreshToken: 'refresh-token',
      expiresIn: 3600,
    });
    expect(setCookies(result)).toEqual([]);
  });

  it('answers a wrong password with 401 and a message for the field', async () => {
    // Prepare
    cognito
      .on(InitiateAuthCommand)
      .rejects(new NotAuthorizedException({ message: 'Incorrect', $metadata: {} }));

    // Act
    const result = await login(event({ method: 'POST', json: { username: 'a', password: 'b' } }), context);

    // Assess
    expect(result.statusCode).toBe(401);
    expect(JSON.parse(result.body).errors).toEqual([
      { field: 'password', message: 'Forkert brugernavn eller adgangskode' },
    ]);
  });
});

describe('GET /login', () => {
  it('shows the Danish login form', async () => {
    // Act
    const result = await login(event({ method: 'GET' }), context);

    // Assess
    expect(result.statusCode).toBe(200);
    expect(result.body).toContain('<html lang="da">');
    expect(result.body).toContain('action="/prod/login"');
    expect(result.body).toContain('type="password"');
  });

  it('renews an expired session from the refresh cookie and goes home', async () => {
    // Prepare
    cognito
      .on(InitiateAuthCommand)
      .resolves({ AuthenticationResult: { IdToken: caseworkerToken, ExpiresIn: 3600 } });

    // Act
    const result = await login(event({ method: 'GET', cookie: 'vp_refresh=refresh-token' }), context);

    // Assess
    expect(cognito.commandCalls(InitiateAuthCommand)[0]?.args[0].input).toEqual({
      AuthFlow: 'REFRESH_TOKEN_AUTH',
      ClientId: CLIENT_ID,
      AuthParameters: { REFRESH_TOKEN: 'refresh-token' },
    });
    expect(result.statusCode).toBe(303);
    expect(setCookies(result)[0]).toMatch(/^vp_session=/);
    expect(setCookies(result)[1]).toMatch(/^vp_refresh=refresh-token;/);
  });

  it('shows the form and drops a refresh cookie Cognito refuses', async () => {
    // Prepare
    cognito
      .on(InitiateAuthCommand)
      .rejects(new NotAuthorizedException({ message: 'Revoked', $metadata: {} }));

    // Act
    const result = await login(event({ method: 'GET', cookie: 'vp_refresh=revoked' }), context);

    // Assess
    expect(result.statusCode).toBe(200);
    expect(setCookies(result)).toEqual([
      'vp_refresh=; Path=/prod/; Max-Age=0; HttpOnly; Secure; SameSite=Strict',
    ]);
  });
});

describe('POST /logout', () => {
  it('revokes the refresh token, deletes both cookies and goes to the login page', async () => {
    // Prepare
    cognito.on(RevokeTokenCommand).resolves({});

    // Act
    const result = await logout(
      event({
        method: 'POST',
        path: '/logout',
        cookie: 'vp_session=abc; vp_refresh=refresh-token',
        form: {},
      }),
      context,
    );

    // Assess
    expect(cognito.commandCalls(RevokeTokenCommand)[0]?.args[0].input).toEqual({
      ClientId: CLIENT_ID,
      Token: 'refresh-token',
    });
    expect(result.statusCode).toBe(303);
    expect(result.headers?.Location).toBe('/prod/login');
    expect(setCookies(result)).toEqual([
      'vp_session=; Path=/prod/; Max-Age=0; HttpOnly; Secure; SameSite=Strict',
      'vp_refresh=; Path=/prod/; Max-Age=0; HttpOnly; Secure; SameSite=Strict',
    ]);
  });

  it('signs out a session whose ID token has expired: no authorizer stands in the way', async () => {
    // Prepare: the session cookie is gone (its hour is up); the refresh cookie would sign the browser in again.
    cognito.on(RevokeTokenCommand).resolves({});

    // Act
    const result = await logout(
      event({ method: 'POST', path: '/logout', cookie: 'vp_refresh=still-valid', form: {} }),
      context,
    );

    // Assess
    expect(cognito.commandCalls(RevokeTokenCommand)[0]?.args[0].input.Token).toBe('still-valid');
    expect(result.statusCode).toBe(303);
    expect(setCookies(result)).toHaveLength(2);
  });

  it('refuses a sign-out posted from another site, revoking nothing', async () => {
    // Act
    const result = await logout(
      event({
        method: 'POST',
        path: '/logout',
        origin: 'https://evil.example',
        cookie: 'vp_refresh=r',
        form: {},
      }),
      context,
    );

    // Assess
    expect(result.statusCode).toBe(403);
    expect(cognito.commandCalls(RevokeTokenCommand)).toHaveLength(0);
  });

  it('revokes an API client’s refresh token, 204', async () => {
    // Prepare
    cognito.on(RevokeTokenCommand).resolves({});

    // Act
    const result = await logout(
      event({
        method: 'POST',
        path: '/logout',
        origin: null,
        accept: 'application/json',
        json: { refreshToken: 'api-refresh' },
      }),
      context,
    );

    // Assess
    expect(result.statusCode).toBe(204);
    expect(cognito.commandCalls(RevokeTokenCommand)[0]?.args[0].input.Token).toBe('api-refresh');
  });

  it('still signs out when Cognito no longer knows the token', async () => {
    // Prepare
    cognito.on(RevokeTokenCommand).rejects(new Error('unknown token'));

    // Act
    const result = await logout(
      event({ method: 'POST', path: '/logout', cookie: 'vp_refresh=old', form: {} }),
      context,
    );

    // Assess
    expect(result.statusCode).toBe(303);
    expect(setCookies(result)).toHaveLength(2);
  });
});
