import {
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { CognitoJwtVerifier } from 'aws-jwt-verify';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { needsMunicipality, roleFromGroups, rolesIn } from '#domain/access';
import { checkCvr } from '#domain/cvr';
import { findMunicipality } from '#domain/programme';
import { requiredEnv } from '#shared/aws';
import { readCookies, SESSION_COOKIE } from '#shared/cookies';
import { logger } from '#shared/logger';
import { headerOf, isSameOrigin } from '#shared/origin';
import { Refusal, wrapHandler } from '#shared/wrap-handler';

/**
 * The one authorizer in front of every method but the login page: it verifies the caller's Cognito ID token
 * (from `Authorization: Bearer` or the session cookie) and hands the handlers who the caller is. Roles and
 * municipalities are read from the token only, which the user pool signed; nothing comes from the request.
 */
const userPoolId = requiredEnv('USER_POOL_ID');
const clientId = requiredEnv('USER_POOL_CLIENT_ID');

/**
 * The pool's JWKS, fetched once per execution environment. On AWS from the pool's issuer; locally the same
 * path on the Cognito emulator, found through the SDK's own endpoint variable as every other client here.
 */
const jwksCache = new SimpleJwksCache({
  fetcher: {
    async fetch(uri: string): Promise<ArrayBuffer> {
      const endpoint = process.env.AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER;
      const target = endpoint ? new URL(new URL(uri).pathname, endpoint).href : uri;
      const response = await fetch(target, { signal: AbortSignal.timeout(3000) });
      if (!response.ok) throw new Error(`JWKS answered ${response.status}`);
      return response.arrayBuffer();
    },
  },
});

const verifier = CognitoJwtVerifier.create({ userPoolId, clientId, tokenUse: 'id' }, { jwksCache });

/** Roles that must have TOTP (`requireMfa`); their users' TOTP status is read from the pool. */
const mfaRoles = rolesIn(process.env.REQUIRE_MFA_ROLES);
const cognito = new CognitoIdentityProviderClient({});
/** Five minutes: long enough to spare the pool a call per request, short enough to follow a reset. */
const TOTP_CACHE_MS = 5 * 60_000;
/** Users known to have TOTP, until when. */
const totpKnown = new Map<string, number>();

/** Methods a cross-site form or link may not cause with the session cookie. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export const handler = wrapHandler<APIGatewayRequestAuthorizerEvent, APIGatewayAuthorizerResult>(
  'authorizer',
  async (event) => {
    const credential = credentialOf(event);
    if (!credential) return unauthorized('no token');

    let payload: Awaited<ReturnType<typeof verifier.verify>>;
    try {
      payload = await verifier.verify(credential.token);
    } catch (error) {
      // The reason only: a token is a credential and never goes to a log.
      return unauthorized(error instanceof Error ? error.name : 'invalid token');
    }

    const username = String(payload['cognito:username'] ?? '');
    const groups = Array.isArray(payload['cognito:groups']) ? payload['cognito:groups'].map(String) : [];
    const role = roleFromGroups(groups);
    const municipality = String(payload['custom:municipality'] ?? '');
    if (!username || !role) return deny(event, username, 'no single role group');
    if (needsMunicipality(role) && !findMunicipality(municipality)) {
      return deny(event, username, 'no known municipality');
    }
    // A company contact acts for one company only: without a valid CVR number it acts for none.
    const company = role === 'company' ? String(payload['custom:company'] ?? '') : '';
    if (role === 'company' && !checkCvr(company).ok) return deny(event, username, 'no valid company');

    // SameSite=Strict already keeps the cookie off cross-site requests; the Origin check is the second lock,
    // for browsers or proxies that do not honour SameSite.
    if (credential.from === 'cookie' && !SAFE_METHODS.has(event.httpMethod) && !isSameOrigin(event.headers)) {
      return deny(event, username, 'cross-site request');
    }
    // A token is proof of TOTP only if the user has TOTP: Cognito then asks for the code at every sign-in. A user
    // of such a role without it may have signed in straight against the pool, past the login page's demand.
    if (mfaRoles.has(role) && !(await hasTotp(username))) return deny(event, username, 'no TOTP set up');

    logger.info('Caller authorized', { username, role });
    return {
      principalId: username,
      policyDocument: policy('Allow', wholeStage(event.methodArn)),
      context: { username, role, municipality: needsMunicipality(role) ? municipality : '', company },
    };
  },
);

function credentialOf(
  event: APIGatewayRequestAuthorizerEvent,
): { token: string; from: 'header' | 'cookie' } | undefined {
  const authorization = headerOf(event.headers, 'authorization');
  if (authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
    return match?.[1] ? { token: match[1], from: 'header' } : undefined;
  }
  const token = readCookies({
    headers: event.headers ?? {},
    multiValueHeaders: event.multiValueHeaders ?? {},
  })[SESSION_COOKIE];
  return token ? { token, from: 'cookie' } : undefined;
}

/**
 * Whether the user has TOTP enabled, asked of the pool. Only a yes is remembered (for a few minutes): a user
 * refused for want of TOTP who sets it up is let in at once, and refusals are bounded by stage throttling.
 */
async function hasTotp(username: string): Promise<boolean> {
  const until = totpKnown.get(username);
  if (until !== undefined && until > Date.now()) return true;
  try {
    const user = await cognito.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: username }));
    const enabled = (user.UserMFASettingList ?? []).includes('SOFTWARE_TOKEN_MFA');
    if (enabled) totpKnown.set(username, Date.now() + TOTP_CACHE_MS);
    return enabled;
  } catch (error) {
    // Fail closed: without the pool's word, a role that must have TOTP gets no access.
    logger.warn('TOTP status unknown', { username, reason: error instanceof Error ? error.name : 'Unknown' });
    return false;
  }
}

/** API Gateway answers 401 (the UNAUTHORIZED gateway response) for exactly this error. */
function unauthorized(reason: string): never {
  logger.info('Token refused', { reason });
  throw new Refusal('Unauthorized');
}

function deny(
  event: APIGatewayRequestAuthorizerEvent,
  principal: string,
  reason: string,
): APIGatewayAuthorizerResult {
  logger.info('Caller denied', { username: principal || undefined, reason });
  return { principalId: principal || 'unknown', policyDocument: policy('Deny', event.methodArn) };
}

function policy(effect: 'Allow' | 'Deny', resource: string): APIGatewayAuthorizerResult['policyDocument'] {
  return {
    Version: '2012-10-17',
    Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: resource }],
  };
}

/**
 * `arn:…:apiId/stage/*\/*`: the caller's rights do not depend on the method, so the same answer holds for
 * every method of the stage (and stays right if a results cache is ever switched on).
 */
function wholeStage(methodArn: string): string {
  const [apiArn, stage] = methodArn.split('/');
  return `${apiArn}/${stage}/*/*`;
}
