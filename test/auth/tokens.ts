import { createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for a Cognito user pool's signing side in unit tests: RSA keys, a JWKS endpoint on loopback and
 * tokens shaped like the pool's ID tokens, so the authorizer's checks can be tried one at a time.
 */
export const POOL_ID = 'eu-north-1_TestPool1';
export const OTHER_POOL_ID = 'eu-north-1_OtherPool';
export const CLIENT_ID = 'test-client-id';
export const issuerOf = (poolId: string) => `https://cognito-idp.eu-north-1.amazonaws.com/${poolId}`;

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicJwk: Record<string, unknown>;
}

export function signingKey(kid: string): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    kid,
    privateKey,
    publicJwk: { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' },
  };
}

const base64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

export function signJwt(
  key: SigningKey,
  payload: Record<string, unknown>,
  header: Record<string, unknown> = {},
): string {
  const head = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: key.kid, ...header }));
  const body = base64url(JSON.stringify(payload));
  const signature = createSign('RSA-SHA256').update(`${head}.${body}`).sign(key.privateKey);
  return `${head}.${body}.${base64url(signature)}`;
}

/** The claims of an ID token the pool would issue to a user of `role` in `municipality`. */
export function idTokenClaims(
  options: {
    username?: string;
    groups?: string[];
    municipality?: string;
    company?: string;
    poolId?: string;
  } = {},
): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return {
    sub: '5f0c8d3e-1111-4a2b-9c3d-000000000001',
    'cognito:username': options.username ?? 'kolding-sagsbehandler',
    'cognito:groups': options.groups ?? ['caseworker'],
    ...(options.municipality === '' ? {} : { 'custom:municipality': options.municipality ?? '621' }),
    ...(options.company === undefined ? {} : { 'custom:company': options.company }),
    iss: issuerOf(options.poolId ?? POOL_ID),
    aud: CLIENT_ID,
    token_use: 'id',
    auth_time: now,
    iat: now,
    exp: now + 3600,
  };
}

/** Serves `/<poolId>/.well-known/jwks.json` for each pool, as Cognito (and the local emulator) do. */
export async function serveJwks(
  pools: Record<string, SigningKey[]>,
): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((request, response) => {
    const pool = Object.keys(pools).find((id) => request.url === `/${id}/.well-known/jwks.json`);
    if (!pool) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'Content-Type': 'application/json' });
    response.end(JSON.stringify({ keys: (pools[pool] ?? []).map((k) => k.publicJwk) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
