import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalRuntime } from '../../local/runtime.ts';
import { startSystem } from './local-system.ts';

/**
 * TOTP for finance and programme (`requireMfa`, on in every deployment) on the embedded default: the login page
 * makes a finance user set up an authenticator app, and the authorizer refuses a token of such a user who has no
 * TOTP — also one obtained straight from the user pool, past the login page.
 */
let runtime: LocalRuntime;
const PASSWORD = 'Demo-Adgang-2026!';

beforeAll(async () => {
  process.env.REQUIRE_MFA = 'true';
  ({ runtime } = await startSystem());
});

afterAll(async () => {
  delete process.env.REQUIRE_MFA;
  await runtime?.stop();
});

async function post(
  path: string,
  body: Record<string, string>,
  options: { form?: boolean; cookie?: string } = {},
) {
  const headers: Record<string, string> = options.form
    ? { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'text/html', Origin: runtime.url }
    : { 'Content-Type': 'application/json' };
  if (options.cookie) headers.Cookie = options.cookie;
  const response = await fetch(`${runtime.url}${path}`, {
    method: 'POST',
    headers,
    body: options.form ? new URLSearchParams(body).toString() : JSON.stringify(body),
    redirect: 'manual',
  });
  return { status: response.status, text: await response.text(), cookies: response.headers.getSetCookie() };
}

const payments = async (token: string) =>
  (await fetch(`${runtime.url}/payments`, { headers: { Authorization: `Bearer ${token}` } })).status;

/** RFC 6238: the six-digit code an authenticator app shows for `secret` (base32) now. */
function totp(secret: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const char of secret.replace(/=+$/, '').toUpperCase())
    bits += alphabet.indexOf(char).toString(2).padStart(5, '0');
  const key = Buffer.from((bits.match(/.{8}/g) ?? []).map((byte) => Number.parseInt(byte, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 1000 / 30)));
  const hmac = createHmac('sha1', key).update(counter).digest();
  const offset = (hmac.at(-1) ?? 0) & 0xf;
  return String((hmac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

describe('TOTP required for finance', () => {
  it('refuses a finance token without TOTP, sets TOTP up on the login page, then signs in with the code', async () => {
    // Prepare: a token straight from the pool, past the login page's demand.
    const direct = await runtime.signIn('kolding-oekonomi');
    const caseworker = await runtime.signIn('kolding-sagsbehandler');

    // Act + Assess: refused by the authorizer; the login page will not hand out a session either.
    expect(await payments(direct)).toBe(403);
    expect((await post('/login', { username: 'kolding-oekonomi', password: PASSWORD })).status).toBe(403);
    // A caseworker is not asked for TOTP.
    expect(
      (await fetch(`${runtime.url}/`, { headers: { Authorization: `Bearer ${caseworker}` } })).status,
    ).toBe(200);

    // Act: the browser's sign-in shows the set-up page with the secret, and no session.
    const setup = await post('/login', { username: 'kolding-oekonomi', password: PASSWORD }, { form: true });
    const secret = /Nøgle: <code>([A-Z2-7=]+)<\/code>/.exec(setup.text)?.[1] ?? '';
    const setupCookie = (setup.cookies.find((c) => c.startsWith('vp_mfa_setup=')) ?? '').split(';')[0] ?? '';
    expect(setup.status).toBe(200);
    expect(secret).not.toBe('');
    expect(setup.cookies.some((c) => c.startsWith('vp_session='))).toBe(false);

    // A wrong code is refused; the right one turns TOTP on.
    const wrong = await post('/login', { setupCode: '000000' }, { form: true, cookie: setupCookie });
    const enabled = await post('/login', { setupCode: totp(secret) }, { form: true, cookie: setupCookie });
    expect(wrong.text).toContain('Koden passer ikke');
    expect(enabled.text).toContain('To-faktor er slået til');

    // Now the pool asks for the code at sign-in, and the session works.
    const challenge = JSON.parse(
      (await post('/login', { username: 'kolding-oekonomi', password: PASSWORD })).text,
    );
    expect(challenge.challenge).toBe('SOFTWARE_TOKEN_MFA');
    const signedIn = await post('/login', {
      username: 'kolding-oekonomi',
      session: String(challenge.session),
      code: totp(secret),
    });
    expect(signedIn.status).toBe(200);
    expect(await payments(String(JSON.parse(signedIn.text).idToken))).toBe(200);
  });
});
