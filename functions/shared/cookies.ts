import type { APIGatewayProxyEvent } from 'aws-lambda';

/** The browser session: the Cognito ID token. HttpOnly, so no script on any page can read it. */
export const SESSION_COOKIE = 'vp_session';
/** The refresh token that renews an expired session on the login page without asking for the password. */
export const REFRESH_COOKIE = 'vp_refresh';
/** During a forced TOTP set-up: the access token the set-up calls need, for ten minutes. */
export const MFA_SETUP_COOKIE = 'vp_mfa_setup';

type HeaderSource = Pick<APIGatewayProxyEvent, 'headers' | 'multiValueHeaders'>;

/** Every cookie the request carries, by name (the first wins when a name repeats). */
export function readCookies(event: HeaderSource): Record<string, string> {
  const lines: string[] = [];
  for (const [name, values] of Object.entries(event.multiValueHeaders ?? {})) {
    if (name.toLowerCase() === 'cookie' && values) lines.push(...values);
  }
  if (lines.length === 0) {
    for (const [name, value] of Object.entries(event.headers ?? {})) {
      if (name.toLowerCase() === 'cookie' && value) lines.push(value);
    }
  }
  const cookies: Record<string, string> = {};
  for (const line of lines) {
    for (const part of line.split(';')) {
      const index = part.indexOf('=');
      if (index < 1) continue;
      const name = part.slice(0, index).trim();
      if (name in cookies) continue;
      const value = part.slice(index + 1).trim();
      try {
        cookies[name] = decodeURIComponent(value);
      } catch {
        cookies[name] = value;
      }
    }
  }
  return cookies;
}

/**
 * A `Set-Cookie` value with the attributes every cookie here has: HttpOnly, Secure, SameSite=Strict (a form
 * on another site never carries it), scoped to the API's base path. `maxAgeSeconds: 0` deletes it.
 */
export function setCookie(
  name: string,
  value: string,
  options: { path: string; maxAgeSeconds: number },
): string {
  return [
    `${name}=${encodeURIComponent(value)}`,
    `Path=${options.path}`,
    `Max-Age=${Math.max(0, Math.floor(options.maxAgeSeconds))}`,
    'HttpOnly',
    'Secure',
    'SameSite=Strict',
  ].join('; ');
}

export function clearCookie(name: string, path: string): string {
  return setCookie(name, '', { path, maxAgeSeconds: 0 });
}
