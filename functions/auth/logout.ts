import { CognitoIdentityProviderClient, RevokeTokenCommand } from '@aws-sdk/client-cognito-identity-provider';
import { requiredEnv } from '#shared/aws';
import { clearCookie, REFRESH_COOKIE, readCookies, SESSION_COOKIE } from '#shared/cookies';
import { basePath, header } from '#shared/http';
import { logger } from '#shared/logger';
import { wrapHttpHandler } from '#shared/wrap-handler';

const cognito = new CognitoIdentityProviderClient({});
const clientId = requiredEnv('USER_POOL_CLIENT_ID');

/**
 * POST /logout: revokes the refresh token (and with it the tokens issued from it, as far as Cognito's own APIs
 * go) and deletes both cookies. An ID token already handed out stays valid until it expires (at most an hour);
 * the browser no longer holds it.
 */
export const handler = wrapHttpHandler('logout', async (event) => {
  const base = basePath(event);
  const refreshToken = readCookies(event)[REFRESH_COOKIE];
  if (refreshToken) {
    try {
      await cognito.send(new RevokeTokenCommand({ ClientId: clientId, Token: refreshToken }));
    } catch (error) {
      // Signing out must always succeed for the user; a token Cognito no longer knows is revoked already.
      logger.warn('Refresh token not revoked', { reason: error instanceof Error ? error.name : 'Unknown' });
    }
  }
  logger.info('Signed out', { username: event.requestContext?.authorizer?.principalId });
  const path = `${base}/`;
  const cookies = [clearCookie(SESSION_COOKIE, path), clearCookie(REFRESH_COOKIE, path)];
  const browser = (header(event, 'accept') ?? '').includes('text/html') || !header(event, 'authorization');
  return {
    statusCode: browser ? 303 : 204,
    headers: { ...(browser ? { Location: `${base}/login` } : {}), 'Cache-Control': 'no-store' },
    multiValueHeaders: { 'Set-Cookie': cookies },
    body: '',
  };
});
