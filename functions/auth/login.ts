import {
  AssociateSoftwareTokenCommand,
  type AuthenticationResultType,
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SetUserMFAPreferenceCommand,
  VerifySoftwareTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { decomposeUnverifiedJwt } from 'aws-jwt-verify/jwt';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { z } from 'zod';
import { type Role, roleFromGroups, rolesIn } from '#domain/access';
import { containsCprShape } from '#domain/cpr';
import { requiredEnv } from '#shared/aws';
import {
  clearCookie,
  MFA_SETUP_COOKIE,
  REFRESH_COOKIE,
  readCookies,
  SESSION_COOKIE,
  setCookie,
} from '#shared/cookies';
import {
  basePath,
  type FieldError,
  HttpError,
  htmlResponse,
  json,
  readBody,
  redirect,
  validate,
} from '#shared/http';
import { logger } from '#shared/logger';
import { isSameOrigin } from '#shared/origin';
import { wrapHttpHandler } from '#shared/wrap-handler';
import { type LoginStep, loginPage } from './login-page.ts';

/**
 * GET and POST /login: the only methods API Gateway serves without a session. The password goes straight to
 * the Cognito user pool (USER_PASSWORD_AUTH over TLS); what comes back is kept in HttpOnly cookies for a
 * browser, or handed to an API client as a bearer token. Every Cognito call made here is one of the pool's
 * public, unauthenticated operations, so this function holds no IAM grant on the pool.
 */
const cognito = new CognitoIdentityProviderClient({});
const clientId = requiredEnv('USER_POOL_CLIENT_ID');
/** Roles the login page makes set up TOTP before they get a session (`requireMfa` context flag). */
const mfaRoles = rolesIn(process.env.REQUIRE_MFA_ROLES);
/** Refresh tokens live 12 hours (the app client's setting); the cookie no longer. */
const REFRESH_COOKIE_SECONDS = 12 * 3600;
const MFA_SETUP_SECONDS = 600;

const passwordFields = z.object({
  username: z.string().trim().min(1, 'Skriv dit brugernavn').max(128, 'Brugernavnet er for langt'),
  password: z.string().min(1, 'Skriv din adgangskode').max(256, 'Adgangskoden er for lang'),
});
const mfaCodeFields = z.object({
  username: z.string().trim().min(1).max(128),
  session: z.string().min(1).max(4096),
  code: z
    .string()
    .trim()
    .regex(/^\d{6}$/, 'Koden er seks cifre'),
});
const newPasswordFields = z.object({
  username: z.string().trim().min(1).max(128),
  session: z.string().min(1).max(4096),
  newPassword: z.string().min(1, 'Skriv en ny adgangskode').max(256, 'Adgangskoden er for lang'),
});
const refreshFields = z.object({ refreshToken: z.string().min(1).max(8192) });
const setupFields = z.object({
  setupCode: z
    .string()
    .trim()
    .regex(/^\d{6}$/, 'Koden er seks cifre'),
});

type Answer =
  | { kind: 'tokens'; tokens: AuthenticationResultType }
  /** Signed in, but the role must set up TOTP first: no session until it has. */
  | { kind: 'mfa-setup-required'; tokens: AuthenticationResultType }
  | { kind: 'step'; step: LoginStep };

export const handler = wrapHttpHandler('login', async (event) => {
  if (event.httpMethod === 'GET') return showLogin(event);
  const body = readBody(event);
  const data = isRecord(body.data) ? body.data : {};
  // A form on another site must not sign a browser in as someone else (login CSRF): the session cookie it
  // would set is Strict, but setting it is not sending it. JSON cannot be posted cross-site without CORS.
  if (body.kind === 'form' && !isSameOrigin(event.headers)) {
    logger.info('Cross-site sign-in refused', {});
    return htmlResponse(
      403,
      loginPage(basePath(event), { kind: 'password' }, [
        { field: 'username', message: 'Log ind fra systemets egen side.' },
      ]),
    );
  }
  if (body.kind === 'json' && 'refreshToken' in data) {
    return jsonAnswer(await refreshed(validate(refreshFields, data).refreshToken));
  }
  try {
    const answer = await postedStep(event, data);
    return body.kind === 'json' ? jsonAnswer(answer) : await browserAnswer(event, answer);
  } catch (error) {
    if (!(error instanceof HttpError) || body.kind === 'json') throw error;
    return htmlResponse(error.statusCode, loginPage(basePath(event), retryStep(data), error.errors));
  }
});

/** GET /login: renew an expired session from the refresh cookie when there is one, else the form. */
async function showLogin(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  const base = basePath(event);
  const refreshToken = readCookies(event)[REFRESH_COOKIE];
  if (!refreshToken) return htmlResponse(200, loginPage(base, { kind: 'password' }));
  const tokens = await renewed(refreshToken);
  if (tokens) return signedIn(base, tokens);
  return htmlResponse(200, loginPage(base, { kind: 'password' }), {
    'Set-Cookie': clearCookie(REFRESH_COOKIE, cookiePath(base)),
  });
}

/** An API client's refresh: a new ID token for the refresh token it holds, or 401. */
async function refreshed(refreshToken: string): Promise<Answer> {
  const tokens = await renewed(refreshToken);
  if (tokens) return { kind: 'tokens', tokens };
  throw new HttpError(401, [{ field: 'refreshToken', message: 'Log ind igen: sessionen kan ikke fornyes.' }]);
}

/** New tokens for a refresh token (which Cognito does not renew: it is kept), or undefined when refused. */
async function renewed(refreshToken: string): Promise<AuthenticationResultType | undefined> {
  try {
    const output = await cognito.send(
      new InitiateAuthCommand({
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        ClientId: clientId,
        AuthParameters: { REFRESH_TOKEN: refreshToken },
      }),
    );
    if (output.AuthenticationResult?.IdToken) {
      logger.info('Session renewed', {});
      return { ...output.AuthenticationResult, RefreshToken: refreshToken };
    }
  } catch (error) {
    logger.info('Refresh refused', { reason: errorName(error) });
  }
  return undefined;
}

/** Which step a POST answers: a TOTP set-up code, an MFA code, a new password, or a username and password. */
async function postedStep(event: APIGatewayProxyEvent, data: Record<string, unknown>): Promise<Answer> {
  if ('setupCode' in data) {
    await finishMfaSetup(event, validate(setupFields, data).setupCode);
    return { kind: 'step', step: { kind: 'mfa-enabled' } };
  }
  if ('code' in data) {
    const fields = validate(mfaCodeFields, data);
    const output = await respond('SOFTWARE_TOKEN_MFA', fields.session, {
      USERNAME: fields.username,
      SOFTWARE_TOKEN_MFA_CODE: fields.code,
    });
    return challengeAnswer(output, fields.username, true);
  }
  if ('newPassword' in data) {
    const fields = validate(newPasswordFields, data);
    const output = await respond('NEW_PASSWORD_REQUIRED', fields.session, {
      USERNAME: fields.username,
      NEW_PASSWORD: fields.newPassword,
    });
    return challengeAnswer(output, fields.username, false);
  }
  const fields = validate(passwordFields, data);
  try {
    const output = await cognito.send(
      new InitiateAuthCommand({
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: clientId,
        AuthParameters: { USERNAME: fields.username, PASSWORD: fields.password },
      }),
    );
    return challengeAnswer(output, fields.username, false);
  } catch (error) {
    throw refusal(error);
  }
}

async function respond(
  challenge: 'SOFTWARE_TOKEN_MFA' | 'NEW_PASSWORD_REQUIRED',
  session: string,
  responses: Record<string, string>,
): Promise<ChallengeOutput> {
  try {
    return await cognito.send(
      new RespondToAuthChallengeCommand({
        ClientId: clientId,
        ChallengeName: challenge,
        Session: session,
        ChallengeResponses: responses,
      }),
    );
  } catch (error) {
    throw refusal(error);
  }
}

interface ChallengeOutput {
  AuthenticationResult?: AuthenticationResultType;
  ChallengeName?: string;
  Session?: string;
}

function challengeAnswer(output: ChallengeOutput, username: string, passedMfa: boolean): Answer {
  const tokens = output.AuthenticationResult;
  if (tokens?.IdToken) {
    logger.info('Signed in', { username, mfa: passedMfa });
    if (!passedMfa && mfaRoles.has(roleOf(tokens.IdToken) as Role))
      return { kind: 'mfa-setup-required', tokens };
    return { kind: 'tokens', tokens };
  }
  const session = output.Session ?? '';
  if (output.ChallengeName === 'SOFTWARE_TOKEN_MFA') {
    return { kind: 'step', step: { kind: 'mfa-code', username, session } };
  }
  if (output.ChallengeName === 'NEW_PASSWORD_REQUIRED') {
    return { kind: 'step', step: { kind: 'new-password', username, session } };
  }
  logger.warn('Unsupported sign-in challenge', { challenge: output.ChallengeName });
  throw new HttpError(403, [
    { field: 'username', message: 'Brugeren kan ikke logge ind her. Kontakt din administrator.' },
  ]);
}

/** The role named in a token Cognito has just issued to us over TLS; the authorizer verifies it on use. */
function roleOf(idToken: string): Role | undefined {
  const groups = decomposeUnverifiedJwt(idToken).payload['cognito:groups'];
  return roleFromGroups(Array.isArray(groups) ? groups.map(String) : []);
}

/** The set-up page's code: verify it against the secret Cognito issued, then make TOTP the user's MFA. */
async function finishMfaSetup(event: APIGatewayProxyEvent, code: string): Promise<void> {
  const accessToken = readCookies(event)[MFA_SETUP_COOKIE];
  if (!accessToken) {
    throw new HttpError(400, [
      { field: 'setupCode', message: 'Opsætningen er udløbet. Log ind igen for at starte forfra.' },
    ]);
  }
  try {
    const verified = await cognito.send(
      new VerifySoftwareTokenCommand({ AccessToken: accessToken, UserCode: code, FriendlyDeviceName: 'App' }),
    );
    if (verified.Status !== 'SUCCESS') throw new Error('Code not verified');
    await cognito.send(
      new SetUserMFAPreferenceCommand({
        AccessToken: accessToken,
        SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true },
      }),
    );
  } catch (error) {
    logger.info('MFA set-up refused', { reason: errorName(error) });
    throw new HttpError(400, [
      { field: 'setupCode', message: 'Koden passer ikke. Prøv med den nyeste kode.' },
    ]);
  }
  logger.info('MFA set up', {});
}

function jsonAnswer(answer: Answer): APIGatewayProxyResult {
  switch (answer.kind) {
    case 'tokens':
      return json(200, {
        tokenType: 'Bearer',
        idToken: answer.tokens.IdToken,
        refreshToken: answer.tokens.RefreshToken,
        expiresIn: answer.tokens.ExpiresIn,
      });
    case 'mfa-setup-required':
      return json(403, {
        errors: [
          { field: 'mfa', message: 'Din rolle kræver to-faktor. Log ind i browseren og opsæt den først.' },
        ],
      });
    case 'step':
      if (answer.step.kind === 'mfa-code' || answer.step.kind === 'new-password') {
        return json(200, {
          challenge: answer.step.kind === 'mfa-code' ? 'SOFTWARE_TOKEN_MFA' : 'NEW_PASSWORD_REQUIRED',
          username: answer.step.username,
          session: answer.step.session,
        });
      }
      return json(200, { status: answer.step.kind });
  }
}

async function browserAnswer(event: APIGatewayProxyEvent, answer: Answer): Promise<APIGatewayProxyResult> {
  const base = basePath(event);
  switch (answer.kind) {
    case 'tokens':
      return signedIn(base, answer.tokens);
    case 'mfa-setup-required': {
      const accessToken = answer.tokens.AccessToken ?? '';
      const associated = await cognito.send(new AssociateSoftwareTokenCommand({ AccessToken: accessToken }));
      const secret = associated.SecretCode ?? '';
      const username = decomposeUnverifiedJwt(answer.tokens.IdToken ?? '').payload['cognito:username'];
      const label = encodeURIComponent(`Vækstpartnerskaber:${String(username ?? '')}`);
      return htmlResponse(
        200,
        loginPage(base, {
          kind: 'mfa-setup',
          secret,
          otpauthUri: `otpauth://totp/${label}?secret=${secret}&issuer=V%C3%A6kstpartnerskaber`,
        }),
        {
          'Set-Cookie': setCookie(MFA_SETUP_COOKIE, accessToken, {
            path: cookiePath(base),
            maxAgeSeconds: MFA_SETUP_SECONDS,
          }),
        },
      );
    }
    case 'step': {
      const headers: Record<string, string> =
        answer.step.kind === 'mfa-enabled'
          ? { 'Set-Cookie': clearCookie(MFA_SETUP_COOKIE, cookiePath(base)) }
          : {};
      return htmlResponse(200, loginPage(base, answer.step), headers);
    }
  }
}

/** A session: the ID token as the session cookie for as long as it lives, the refresh token beside it. */
function signedIn(base: string, tokens: AuthenticationResultType): APIGatewayProxyResult {
  const path = cookiePath(base);
  const cookies = [
    setCookie(SESSION_COOKIE, tokens.IdToken ?? '', { path, maxAgeSeconds: tokens.ExpiresIn ?? 3600 }),
  ];
  if (tokens.RefreshToken) {
    cookies.push(
      setCookie(REFRESH_COOKIE, tokens.RefreshToken, { path, maxAgeSeconds: REFRESH_COOKIE_SECONDS }),
    );
  }
  return { ...redirect(`${base}/`), multiValueHeaders: { 'Set-Cookie': cookies } };
}

/**
 * What to show again after a refused step: the same step, never a password, and never a CPR-shaped username or
 * session (a CPR number typed or posted into the wrong field is not sent back; without a username or a session
 * the sign-in starts over). Cognito's session is an opaque token: only a forged post makes it look like a CPR.
 */
function retryStep(data: Record<string, unknown>): LoginStep {
  const typed = typeof data.username === 'string' ? data.username : '';
  const username = containsCprShape(typed) ? '' : typed;
  const posted = typeof data.session === 'string' ? data.session : '';
  const session = containsCprShape(posted) ? '' : posted;
  if ('code' in data && username && session) return { kind: 'mfa-code', username, session };
  if ('newPassword' in data && username && session) return { kind: 'new-password', username, session };
  if ('setupCode' in data) return { kind: 'password' };
  return { kind: 'password', username };
}

/**
 * Cognito's refusals as the user's errors. A wrong username and a wrong password read the same, so the page
 * does not tell which users exist (the app client also prevents user-existence errors).
 */
function refusal(error: unknown): Error {
  const name = errorName(error);
  logger.info('Sign-in refused', { reason: name });
  const fields: Record<string, FieldError[]> = {
    NotAuthorizedException: [{ field: 'password', message: 'Forkert brugernavn eller adgangskode' }],
    UserNotFoundException: [{ field: 'password', message: 'Forkert brugernavn eller adgangskode' }],
    PasswordResetRequiredException: [
      { field: 'password', message: 'Din adgangskode skal nulstilles. Kontakt din administrator.' },
    ],
    UserNotConfirmedException: [{ field: 'username', message: 'Brugeren er ikke aktiveret endnu' }],
    CodeMismatchException: [{ field: 'code', message: 'Koden passer ikke. Prøv med den nyeste kode.' }],
    ExpiredCodeException: [{ field: 'code', message: 'Koden er udløbet. Log ind igen.' }],
    InvalidPasswordException: [
      {
        field: 'newPassword',
        message: 'Adgangskoden opfylder ikke kravene: store og små bogstaver, tal og et tegn',
      },
    ],
    TooManyRequestsException: [{ field: 'password', message: 'For mange forsøg. Vent lidt og prøv igen.' }],
    LimitExceededException: [{ field: 'password', message: 'For mange forsøg. Vent lidt og prøv igen.' }],
  };
  const errors = fields[name];
  if (!errors) return error instanceof Error ? error : new Error(name);
  return new HttpError(
    name === 'TooManyRequestsException' || name === 'LimitExceededException' ? 429 : 401,
    errors,
  );
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : 'Unknown';
}

/** Cookies go to every path of the API (the base path behind API Gateway's default endpoint). */
function cookiePath(base: string): string {
  return `${base}/`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
