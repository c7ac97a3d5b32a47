import { createSign, generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Action, type Role, scopeOf } from '#domain/access';
import { homeOf } from '../../functions/api/referral-form.ts';
import type { LocalRuntime } from '../../local/runtime.ts';
import { ownCompanyBody } from './companies.ts';
import { Api, startSystem } from './local-system.ts';

/**
 * The role matrix over HTTP on the embedded default: every role × every route × own and other municipality,
 * each request through the synthesized authorizer with a token the local user pool issued to a demo user.
 * The expected status is derived from `domain/access.ts` (test/domain/access.test.ts pins that matrix to the
 * issue's text), so the HTTP behaviour and the written matrix cannot drift apart.
 */
let runtime: LocalRuntime;
let url: string;
const tokens = new Map<string, string>();

/** The demo users `npm start` seeds (local/demo-users.ts): one of each role in Kolding and Aalborg. */
const users = {
  'kolding-sagsbehandler': { role: 'caseworker', municipality: '621' },
  'kolding-aktoer': { role: 'employment-actor', municipality: '621' },
  'kolding-oekonomi': { role: 'finance', municipality: '621' },
  'aalborg-sagsbehandler': { role: 'caseworker', municipality: '851' },
  'aalborg-aktoer': { role: 'employment-actor', municipality: '851' },
  'aalborg-oekonomi': { role: 'finance', municipality: '851' },
  programleder: { role: 'programme', municipality: undefined },
} as const satisfies Record<string, { role: Role; municipality: string | undefined }>;
type User = keyof typeof users;
const everyone = Object.keys(users) as User[];

/** The employment actor's own company in each municipality's partnership. */
const ownCompanyOf: Record<string, string> = { '621': '29000026', '851': '29000034' };
/** The pathway of each municipality, referred by its own caseworker. */
const pathwayOf: Record<string, string> = {};
let today = '';

/** A request as `user` with its token (or `options.token`), through the same client as the other tests. */
async function call(
  user: User | 'anonymous',
  method: string,
  path: string,
  options: { body?: unknown; accept?: string; token?: string } = {},
) {
  const token = options.token ?? (user === 'anonymous' ? undefined : tokens.get(user));
  return new Api(url).request(method, path, options.body, {
    Accept: options.accept ?? 'application/json',
    ...(token ? { Authorization: `Bearer ${token}` } : {}),
  });
}

beforeAll(async () => {
  const system = await startSystem();
  runtime = system.runtime;
  url = runtime.url;
  for (const user of everyone) tokens.set(user, await runtime.signIn(user));
  today = String((await call('anonymous', 'GET', '/_local/clock')).json.now).slice(0, 10);
  for (const [user, municipality] of [
    ['kolding-sagsbehandler', '621'],
    ['aalborg-sagsbehandler', '851'],
  ] as const) {
    const created = await call(user, 'POST', '/referrals', {
      body: {
        cpr: municipality === '621' ? '010185-1234' : '020285-2345',
        name: municipality === '621' ? 'Anna Hansen' : 'Bo Jensen',
        benefit: 'kontanthjaelp',
        rateGroup: '30-plus-without-children',
        readiness: 'aktivitetsparat',
        weeksOnBenefit: 30,
        startDate: today,
      },
    });
    expect(created.status).toBe(201);
    pathwayOf[municipality] = String(created.json.referralId);
  }
  // Each employment actor's own company: a placement names a company record of its partnership (issue 7).
  for (const [user, municipality] of [
    ['kolding-aktoer', '621'],
    ['aalborg-aktoer', '851'],
  ] as const) {
    const registered = await call(user, 'POST', '/companies', {
      body: ownCompanyBody(ownCompanyOf[municipality] ?? '', 'Genbrugsværkstedet'),
    });
    expect(registered.status).toBe(201);
  }
  // Into induction, where placements can be recorded.
  await runtime.advanceClock(190);
  today = String((await call('anonymous', 'GET', '/_local/clock')).json.now).slice(0, 10);
});

afterAll(async () => {
  await runtime?.stop();
});

interface PathwayRoute {
  name: string;
  action: Action;
  method: string;
  path: (id: string) => string;
  body?: (target: string) => unknown;
  /** What an allowed caller gets on its own municipality's pathway. */
  allowed: number;
}

const pathwayRoutes: PathwayRoute[] = [
  {
    name: 'GET /referrals/{id}',
    action: 'read-pathway',
    method: 'GET',
    path: (id) => `/referrals/${id}`,
    allowed: 200,
  },
  {
    name: 'POST /referrals/{id}/outcomes',
    action: 'record-outcome',
    method: 'POST',
    path: (id) => `/referrals/${id}/outcomes`,
    // Under 10 hours a week is no result: it can be recorded again and again without ending the phase.
    body: () => ({ type: 'job-start', date: today, hoursPerWeek: 5, employer: 'Kolding Bageri ApS' }),
    allowed: 201,
  },
  {
    name: 'POST /referrals/{id}/placement',
    action: 'record-placement',
    method: 'POST',
    path: (id) => `/referrals/${id}/placement`,
    // Each municipality's employment actor's own company (registered in beforeAll).
    body: (target) => ({ type: 'own-company', companyCvr: ownCompanyOf[target] }),
    allowed: 201,
  },
  {
    name: 'POST /referrals/{id}/confirmations',
    action: 'record-confirmation',
    method: 'POST',
    path: (id) => `/referrals/${id}/confirmations`,
    body: () => ({ milestone: 13, employed: true }),
    // Allowed, but no milestone is open: the rule's own answer, not the matrix's.
    allowed: 409,
  },
  {
    name: 'GET /referrals/{id}/access-log',
    action: 'read-access-log',
    method: 'GET',
    path: (id) => `/referrals/${id}/access-log`,
    allowed: 200,
  },
];

function expectedStatus(user: User, route: PathwayRoute, pathwayMunicipality: string): number {
  const { role, municipality } = users[user];
  const scope = scopeOf(role, route.action);
  if (!scope) return 403;
  if (scope === 'own' && municipality !== pathwayMunicipality) return 404;
  return route.allowed;
}

const pathwayCells = pathwayRoutes.flatMap((route) =>
  everyone.flatMap((user) => (['621', '851'] as const).map((target) => ({ route, user, target }))),
);

describe('the role matrix over HTTP', () => {
  it.each(
    pathwayCells.map((c) => [c.route.name, c.user, c.target === '621' ? 'Kolding' : 'Aalborg', c] as const),
  )('%s as %s on the %s pathway', async (_route, _user, _target, { route, user, target }) => {
    // Prepare
    const expected = expectedStatus(user, route, target);

    // Act
    const answer = await call(user, route.method, route.path(pathwayOf[target] ?? ''), {
      body: route.body?.(target),
    });

    // Assess
    expect(answer.status).toBe(expected);
    if (expected === 403) expect(JSON.stringify(answer.json)).toMatch(/rolle|Adgang/);
  });

  it('answers another municipality’s pathway exactly as an unknown id', async () => {
    // Act
    const other = await call('kolding-sagsbehandler', 'GET', `/referrals/${pathwayOf['851']}`);
    const unknown = await call(
      'kolding-sagsbehandler',
      'GET',
      '/referrals/00000000-0000-4000-8000-000000000000',
    );

    // Assess
    expect(other.status).toBe(404);
    expect(other.text).toBe(unknown.text);
  });

  it.each([
    ['kolding-sagsbehandler', {}, 201],
    ['kolding-sagsbehandler', { municipality: '851' }, 403],
    ['kolding-aktoer', {}, 403],
    ['kolding-oekonomi', {}, 403],
    ['programleder', {}, 403],
  ] as const)('POST /referrals as %s with %o answers %i', async (user, extra, expected) => {
    // Prepare: Kolding's one place is taken; a caseworker allowed to refer meets the capacity rule (409) only
    // after the role check, so the role matrix is seen either way. Aalborg still has a place.
    const body = {
      cpr: '030385-3456',
      name: 'Carl Nielsen',
      benefit: 'kontanthjaelp',
      rateGroup: '30-plus-without-children',
      readiness: 'jobparat',
      weeksOnBenefit: 10,
      startDate: today,
      ...extra,
    };

    // Act
    const answer = await call(user, 'POST', '/referrals', { body });

    // Assess: Kolding is full, so the allowed referral answers the capacity rule's 409.
    expect(answer.status).toBe(expected === 201 ? 409 : expected);
    if (expected === 403) expect(answer.text).not.toContain('Carl Nielsen');
  });

  it.each(everyone)('GET / sends %s to its role’s home, a page that names them', async (user) => {
    // Act
    const answer = await call(user, 'GET', '/', { accept: 'text/html' });
    const location = answer.headers.get('location') ?? '';
    const home = await call(user, 'GET', location, { accept: 'text/html' });

    // Assess
    expect(answer.status).toBe(303);
    expect(location).toBe(homeOf[users[user].role]);
    expect(home.status).toBe(200);
    expect(home.text).toContain(user);
  });
});

describe('payments, statements and the business case by municipality', () => {
  beforeAll(async () => {
    // A full job start in each municipality: one payment each, to its own employment actor.
    for (const [user, municipality] of [
      ['kolding-sagsbehandler', '621'],
      ['aalborg-aktoer', '851'],
    ] as const) {
      const answer = await call(user, 'POST', `/referrals/${pathwayOf[municipality]}/outcomes`, {
        body: { type: 'job-start', date: today, hoursPerWeek: 37, employer: 'Bageriet ApS' },
      });
      expect(answer.status).toBe(201);
    }
    await runtime.settle();
  });

  const municipalitiesIn = (payments: unknown[]) =>
    [...new Set((payments as Array<{ municipality: string }>).map((p) => p.municipality))].sort();

  it.each([
    ['kolding-oekonomi', 200, ['621']],
    ['aalborg-oekonomi', 200, ['851']],
    ['programleder', 200, ['621', '851']],
    ['kolding-sagsbehandler', 403, []],
    ['kolding-aktoer', 403, []],
  ] as const)('GET /payments as %s: %i with payments of %o', async (user, status, municipalities) => {
    const answer = await call(user, 'GET', '/payments');
    expect(answer.status).toBe(status);
    if (status === 200) expect(municipalitiesIn(answer.json)).toEqual(municipalities);
  });

  it.each([
    ['kolding-oekonomi', '621', 200],
    ['kolding-oekonomi', '851', 404],
    ['programleder', '851', 200],
    ['aalborg-sagsbehandler', '851', 403],
  ] as const)('GET /statements as %s for %s answers %i', async (user, municipality, status) => {
    const month = today.slice(0, 7);
    const answer = await call(user, 'GET', `/statements?municipality=${municipality}&month=${month}`);
    expect(answer.status).toBe(status);
    if (status === 200) expect(answer.text).toContain(municipality === '621' ? 'Kolding' : 'Aalborg');
    if (status === 404) expect(answer.text).not.toContain('Aalborg');
  });

  it.each([
    ['kolding-oekonomi', ['621']],
    ['aalborg-oekonomi', ['851']],
  ] as const)('GET /business-case as %s covers only its municipality', async (user, expected) => {
    const answer = await call(user, 'GET', '/business-case');
    expect(answer.status).toBe(200);
    const { businessCase } = answer.json as unknown as {
      businessCase: { municipalities: Array<{ key: string }> };
    };
    const codes = businessCase.municipalities.map((m) => m.key);
    expect(codes).toEqual(expected);
  });

  it('GET /business-case as the programme covers all 12 municipalities; caseworkers get 403', async () => {
    const programme = await call('programleder', 'GET', '/business-case');
    const { businessCase } = programme.json as unknown as { businessCase: { municipalities: unknown[] } };
    expect(businessCase.municipalities).toHaveLength(12);
    expect((await call('kolding-sagsbehandler', 'GET', '/business-case')).status).toBe(403);
  });

  it('GET /business-case/what-if as finance covers its own municipality, another is 404; the programme sees all', async () => {
    // Act
    const finance = await call('kolding-oekonomi', 'GET', '/business-case/what-if?draws=100&seed=5');
    const other = await call('kolding-oekonomi', 'GET', '/business-case/what-if?draws=100&municipality=851');
    const programme = await call('programleder', 'GET', '/business-case/what-if?draws=100&seed=5');

    // Assess: the same seed gives Kolding the same figures in both views.
    type Answer = { whatIf: { programme: unknown; municipalities: Array<{ key: string }> } };
    const own = finance.json as unknown as Answer;
    const all = programme.json as unknown as Answer;
    expect([finance.status, other.status, programme.status]).toEqual([200, 404, 200]);
    expect(own.whatIf.programme).toBeNull();
    expect(own.whatIf.municipalities.map((m) => m.key)).toEqual(['621']);
    expect(all.whatIf.municipalities).toHaveLength(12);
    expect(all.whatIf.municipalities.find((m) => m.key === '621')).toEqual(own.whatIf.municipalities[0]);
  });

  /** The lists, every user × own and other municipality, with `?municipality=` naming the target. */
  const listRoutes = [
    { name: 'GET /payments', action: 'read-payments', path: (m: string) => `/payments?municipality=${m}` },
    {
      name: 'GET /statements',
      action: 'read-statements',
      path: (m: string) => `/statements?municipality=${m}&month=${today.slice(0, 7)}`,
    },
    {
      name: 'GET /business-case',
      action: 'read-business-case',
      path: (m: string) => `/business-case?municipality=${m}`,
    },
    { name: 'GET /referrals', action: 'list-pathways', path: (m: string) => `/referrals?municipality=${m}` },
    { name: 'GET /dashboard', action: 'read-dashboard', path: (m: string) => `/dashboard?municipality=${m}` },
  ] as const;
  const listCells = listRoutes.flatMap((route) =>
    everyone.flatMap((user) =>
      (['621', '851'] as const).map((target) => [route.name, user, target, route] as const),
    ),
  );

  it.each(listCells)('%s as %s for municipality %s', async (_name, user, target, route) => {
    // Prepare
    const { role, municipality } = users[user];
    const scope = scopeOf(role, route.action);

    // Act
    const answer = await call(user, 'GET', route.path(target));

    // Assess: no right → 403; another municipality's list is as empty as one that does not exist.
    if (!scope) {
      expect(answer.status).toBe(403);
      return;
    }
    const own = scope === 'all' || municipality === target;
    const otherName = target === '621' ? 'Aalborg' : 'Kolding';
    if (route.name === 'GET /payments') {
      expect(answer.status).toBe(200);
      const payments = answer.json as unknown as Array<{ municipality: string }>;
      expect(payments.map((p) => p.municipality)).toEqual(own ? [target] : []);
    } else {
      expect(answer.status).toBe(own ? 200 : 404);
      if (!own) expect(answer.text).not.toMatch(/Kolding|Aalborg/);
      else expect(answer.text).not.toContain(otherName);
    }
  });

  it.each(everyone)('GET /tasks as %s: its own municipality’s worklist, or 403', async (user) => {
    // Prepare
    const { role, municipality } = users[user];

    // Act
    const answer = await call(user, 'GET', '/tasks');

    // Assess: the worklist is always the caller's own municipality's; there is no way to ask for another.
    if (!scopeOf(role, 'read-worklist')) {
      expect(answer.status).toBe(403);
      return;
    }
    expect(answer.status).toBe(200);
    expect(answer.json.municipality).toBe(municipality);
    const tasks = answer.json.tasks as unknown as Array<{ referralId: string }>;
    const other = municipality === '621' ? pathwayOf['851'] : pathwayOf['621'];
    expect(tasks.map((t) => t.referralId)).not.toContain(other);
  });

  it('names the users who acted in the pathway’s history and in the access log', async () => {
    // Act
    const pathway = await call('programleder', 'GET', `/referrals/${pathwayOf['621']}`);
    const log = await call('programleder', 'GET', `/referrals/${pathwayOf['621']}/access-log`);

    // Assess
    const outcomes = pathway.json.outcomes as unknown as Array<{ recordedBy: string; hoursPerWeek: number }>;
    expect(outcomes.find((o) => o.hoursPerWeek === 37)?.recordedBy).toBe('kolding-sagsbehandler');
    expect(outcomes.some((o) => o.recordedBy === 'kolding-aktoer')).toBe(true);
    const history = pathway.json.history as unknown as Array<{ recordedBy: string }>;
    expect(history[0]?.recordedBy).toBe('kolding-sagsbehandler');
    const entries = log.json as unknown as Array<{ username: string; action: string }>;
    const who = new Set(entries.map((e) => `${e.username}:${e.action}`));
    expect(who).toContain('kolding-sagsbehandler:refer');
    expect(who).toContain('kolding-sagsbehandler:read');
    expect(who).toContain('kolding-aktoer:record-placement');
    expect(who).toContain('programleder:read');
    // Refused requests touched no pathway, so they left no trail.
    expect([...who].some((w) => w.startsWith('aalborg-'))).toBe(false);
  });
});

describe('without a valid session', () => {
  const routes = [
    ['GET', '/'],
    ['POST', '/referrals'],
    ['GET', '/referrals/00000000-0000-4000-8000-000000000000'],
    ['POST', '/referrals/00000000-0000-4000-8000-000000000000/outcomes'],
    ['POST', '/referrals/00000000-0000-4000-8000-000000000000/placement'],
    ['POST', '/referrals/00000000-0000-4000-8000-000000000000/confirmations'],
    ['GET', '/referrals/00000000-0000-4000-8000-000000000000/access-log'],
    ['GET', '/payments'],
    ['GET', '/statements'],
    ['GET', '/business-case'],
    ['GET', '/business-case/what-if'],
    ['GET', '/referrals'],
    ['GET', '/referrals/new'],
    ['GET', '/tasks'],
    ['GET', '/dashboard'],
    ['GET', '/health'],
  ] as const;

  it.each(routes)('%s %s answers 401 JSON to an API client', async (method, path) => {
    const answer = await call('anonymous', method, path, { body: method === 'POST' ? {} : undefined });
    expect(answer.status).toBe(401);
    expect(answer.json.errors).toEqual([
      { field: 'session', message: 'Du er ikke logget ind. Log ind og prøv igen.' },
    ]);
  });

  it('sends a browser to the login page', async () => {
    const answer = await call('anonymous', 'GET', '/referrals/00000000-0000-4000-8000-000000000000', {
      accept: 'text/html,application/xhtml+xml',
    });
    expect(answer.status).toBe(401);
    expect(answer.headers.get('content-type')).toMatch(/^text\/html/);
    expect(answer.text).toContain('url=/login');
  });

  it('signs out a browser whose session has expired, so its refresh cookie signs nobody in again', async () => {
    // Prepare: a browser's refresh token, its ID token gone (an hour later).
    const signedIn = await fetch(`${url}/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: url },
      body: new URLSearchParams({ username: 'kolding-aktoer', password: DEMO_PASSWORD }).toString(),
      redirect: 'manual',
    });
    const refresh =
      signedIn.headers
        .getSetCookie()
        .find((c) => c.startsWith('vp_refresh='))
        ?.split(';')[0] ?? '';
    expect(refresh).not.toBe('');

    // Act
    const out = await fetch(`${url}/logout`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: url, Cookie: refresh },
      body: '',
      redirect: 'manual',
    });
    const again = await fetch(`${url}/login`, {
      headers: { Cookie: refresh, Accept: 'text/html' },
      redirect: 'manual',
    });

    // Assess: signed out, and the revoked refresh token renews nothing.
    expect(out.status).toBe(303);
    expect(again.status).toBe(200);
    expect(
      again.headers.getSetCookie().some((c) => c.startsWith('vp_session=') && !c.includes('Max-Age=0')),
    ).toBe(false);
  });

  it('serves the login page and its POST without a session', async () => {
    expect((await call('anonymous', 'GET', '/login', { accept: 'text/html' })).status).toBe(200);
    const wrong = await call('anonymous', 'POST', '/login', {
      body: { username: 'kolding-sagsbehandler', password: 'forkert' },
    });
    expect(wrong.status).toBe(401);
    const right = await call('anonymous', 'POST', '/login', {
      body: { username: 'kolding-sagsbehandler', password: DEMO_PASSWORD },
    });
    expect(right.status).toBe(200);
    const idToken = String(right.json.idToken);
    expect(
      (await call('anonymous', 'GET', `/referrals/${pathwayOf['621']}`, { token: idToken })).status,
    ).toBe(200);
  });

  /** Tokens the local pool never issued, or issued and then changed. */
  const badTokens: Array<[string, () => string]> = [
    ['an expired token', () => signedByPool({ expiresIn: -3600 })],
    [
      'a forged signature',
      () => {
        const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
        return signJwt(privateKey, claims(), 'CognitoLocal');
      },
    ],
    [
      'alg: none',
      () => {
        const head = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT', kid: 'CognitoLocal' })).toString(
          'base64url',
        );
        return `${head}.${Buffer.from(JSON.stringify(claims())).toString('base64url')}.`;
      },
    ],
    [
      'another pool’s token',
      () => signedByPool({ issuer: 'https://cognito-idp.eu-north-1.amazonaws.com/eu-north-1_OtherPool' }),
    ],
    [
      'a tampered token (role changed)',
      () => {
        const [head, , signature] = (tokens.get('kolding-sagsbehandler') ?? '').split('.');
        const payload = { ...claims(), 'cognito:groups': ['programme'] };
        return `${head}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${signature}`;
      },
    ],
  ];

  it.each(badTokens)('refuses %s with 401', async (_case, token) => {
    const answer = await call('anonymous', 'GET', `/referrals/${pathwayOf['621']}`, { token: token() });
    expect(answer.status).toBe(401);
    expect(answer.text).not.toContain('Anna Hansen');
  });
});

const DEMO_PASSWORD = 'Demo-Adgang-2026!';

/** The claims of the Kolding caseworker's real token, to re-sign or tamper with. */
function claims(): Record<string, unknown> {
  const [, payload] = (tokens.get('kolding-sagsbehandler') ?? '').split('.');
  return JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}

/**
 * The local pool signs with cognito-local's published development key; re-signing with it shows that the
 * authorizer checks expiry and issuer on their own, not just the signature.
 */
function signedByPool(change: { expiresIn?: number; issuer?: string }): string {
  const require = createRequire(import.meta.url);
  const keyFile = require.resolve('cognito-local/lib/keys/cognitoLocal.private.json');
  const { pem } = JSON.parse(readFileSync(keyFile, 'utf8')) as { pem: string };
  const now = Math.floor(Date.now() / 1000);
  const payload = {
    ...claims(),
    ...(change.expiresIn !== undefined ? { iat: now - 7200, exp: now + change.expiresIn } : {}),
    ...(change.issuer ? { iss: change.issuer } : {}),
  };
  return signJwt(pem, payload, 'CognitoLocal');
}

function signJwt(
  key: Parameters<ReturnType<typeof createSign>['sign']>[0],
  payload: Record<string, unknown>,
  kid: string,
) {
  const head = Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid })).toString('base64url');
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  const signature = createSign('RSA-SHA256').update(`${head}.${body}`).sign(key);
  return `${head}.${body}.${Buffer.from(signature).toString('base64url')}`;
}
