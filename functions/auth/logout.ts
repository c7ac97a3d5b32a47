import { CognitoIdentityProviderClient, RevokeTokenCommand } from '@aws-sdk/client-cognito-identity-provider';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { z } from 'zod';
import { requiredEnv } from '#shared/aws';
import { clearCookie, REFRESH_COOKIE, readCookies, SESSION_COOKIE } from '#shared/cookies';
import { basePath, HttpError, noContent, readBody, redirect, validate } from '#shared/http';
import { logger } from '#shared/logger';
import { isSameOrigin } from '#shared/origin';
import { wrapHttpHandler } from '#shared/wrap-handler';

const cognito = new CognitoIdentityProviderClient({});
const clientId = requiredEnv('USER_POOL_CLIENT_ID');

const apiClientFields = z.object({ refreshToken: z.string().min(1).max(8192) });

/**
 * POST /logout: revokes the refresh token (and with it the tokens issued from it, as far as Cognito's own APIs
 * go) and deletes both cookies. Served without the authorizer, like the login: a session whose hour is up must
 * still be able to end, or the refresh cookie would sign the next person at the same browser in again. A browser's
 * post must come from this API's own pages; an API client names the refresh token it wants revoked.
 * An ID token already handed out stays valid until it expires (at most an hour); the browser no longer holds it.
 */
export const handler = wrapHttpHandler('logout', async (event): Promise<APIGatewayProxyResult> => {
  const base = basePath(event);
  const body = readBody(event);
  if (body.kind === 'json') {
    await revoke(validate(apiClientFields, body.data).refreshToken);
    return noContent();
  }
  if (!isSameOrigin(event.headers)) {
    throw new HttpError(403, [{ field: 'session', message: 'Log ud fra systemets egen side.' }]);
  }
  const refreshToken = readCookies(event)[REFRESH_COOKIE];
  if (refreshToken) await revoke(refreshToken);
  logger.info('Signed out', {});
  const path = `${base}/`;
  return {
    ...redirect(`${base}/login`),
    multiValueHeaders: {
      'Set-Cookie': [clearCookie(SESSION_COOKIE, path), clearCookie(REFRESH_COOKIE, path)],
    },
  };
});

async function revoke(refreshToken: string): Promise<void> {
  try {
    await cognito.send(new RevokeTokenCommand({ ClientId: clientId, Token: refreshToken }));
  } catch (error) {
    // Signing out must always succeed for the user; a token Cognito no longer knows is revoked already.
    logger.warn('Refresh token not revoked', { reason: error instanceof Error ? error.name : 'Unknown' });
  }
}
