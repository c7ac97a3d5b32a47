import http from 'node:http';
import { type AttributeValue, DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { fc } from '@fast-check/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '#domain/access';
import { containsCprShape } from '#domain/cpr';
import type { LocalRuntime } from '../../local/runtime.ts';
import { registerOwnCompany } from './companies.ts';
import { type Api, cpr, startSystem } from './local-system.ts';

/**
 * Hostile input, generated: valid-shaped bodies with hostile values, broken bodies, odd path parameters and
 * query strings, sent over HTTP to the embedded default as signed-in users of the roles that reach each
 * handler's validation. Whatever is sent, the API answers below 500, every refusal names its fields, no answer
 * echoes a CPR-shaped value, and the table is whole afterwards. A failure prints fast-check's seed and the
 * shrunk request.
 */
let runtime: LocalRuntime;
let api: Api;
/** The CVR number of Kolding's employment actor's own company, registered before the requests. */
const OWN_COMPANY = '29000026';
/** Agent with a few sockets: the requests go one at a time, but a refused body may close its connection. */
const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
let host = '';
let port = 0;
/** Every CPR-shaped number any request carried (10 digits): none may be stored outside the ciphertext. */
const sentCprs = new Set<string>();
let generated = 0;

/**
 * The pathways the pathway routes act on: one per municipality, and one in Kolding whose job has reached its
 * 13-week milestone (so that a confirmation can be accepted, and paid).
 */
const pathways: Record<'621' | '851' | 'job', string> = { '621': '', '851': '', job: '' };
let jobOutcomeId = '';
let today = '';

beforeAll(async () => {
  // Room for the referrals that valid-shaped bodies make, so that capacity refusals do not hide other rules.
  process.env.PROGRAMME_SCALE = '10';
  ({ runtime, api } = await startSystem());
  const url = new URL(runtime.url);
  host = url.hostname;
  port = Number(url.port);
  const startDate = await api.today();
  for (const [n, name, municipality] of [
    [1, 'job', '621'],
    [2, '621', '621'],
    [3, '851', '851'],
  ] as const) {
    const created = await api.refer({ cpr: cpr(9000 + n), municipality, startDate });
    expect(created.status).toBe(201);
    pathways[name] = String(created.json.referralId);
  }
  // Kolding's employment actor's own company: a placement may name it (issue 7); other CVR numbers are refused.
  await registerOwnCompany(api, '621', OWN_COMPANY, 'Socialøkonomisk Værksted');
  const job = await api.request('POST', `/referrals/${pathways.job}/outcomes`, {
    type: 'job-start',
    date: startDate,
    hoursPerWeek: 37,
    employer: 'Kolding Bageri ApS',
  });
  expect(job.status).toBe(201);
  jobOutcomeId = String(job.json.outcomeId);
  await runtime.settle();
  await api.advance(13 * 7);
  today = await api.today();
});

afterAll(async () => {
  agent.destroy();
  await runtime?.stop();
  delete process.env.PROGRAMME_SCALE;
});

type Identity = { role: Role; municipality?: string } | 'anonymous';

interface HostileRequest {
  method: 'GET' | 'POST';
  /** The request target exactly as sent: path and query, already encoded (or deliberately not). */
  target: string;
  identity: Identity;
  contentType?: string;
  body?: string;
  accept?: string;
  origin?: boolean;
  idempotencyKey?: string;
}

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

const tokens = new Map<string, Promise<Record<string, string>>>();
function credentials(identity: Identity): Promise<Record<string, string>> {
  if (identity === 'anonymous') return Promise.resolve({});
  const key = `${identity.role}-${identity.municipality ?? ''}`;
  let found = tokens.get(key);
  if (!found) {
    found = api.credentials(identity);
    tokens.set(key, found);
  }
  return found;
}

/** Sent with node:http, so that the target reaches the server as written (fetch would normalise it). */
async function send(request: HostileRequest): Promise<Answer> {
  generated++;
  for (const found of cprsIn(`${request.target}\n${request.body ?? ''}`)) sentCprs.add(found);
  const headers: Record<string, string> = { ...(await credentials(request.identity)) };
  if (request.contentType !== undefined) headers['Content-Type'] = request.contentType;
  if (request.accept !== undefined) headers.Accept = request.accept;
  if (request.origin) headers.Origin = `http://${host}:${port}`;
  if (request.idempotencyKey !== undefined) headers['Idempotency-Key'] = request.idempotencyKey;
  const body = request.body === undefined ? undefined : Buffer.from(request.body, 'utf8');
  if (body) headers['Content-Length'] = String(body.length);
  return new Promise((resolve, reject) => {
    const outgoing = http.request(
      { host, port, agent, method: request.method, path: request.target, headers },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        response.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
/** Long hex runs are hashes (the idempotency key's): a run of ten decimal digits in one is chance, not a CPR. */
const HEX_RUN = /[0-9a-f]{32,}/gi;
const CPR_SHAPES = /(?<!\d)\d{6}-?\d{4}(?!\d)/g;

/** The CPR-shaped numbers in a text (ids aside: a UUID may hold such a run), as ten digits. */
function cprsIn(text: string): string[] {
  let decoded = text;
  try {
    decoded = decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    // A malformed percent-encoding: the text as it is.
  }
  const bare = `${text}\n${decoded}`.replace(UUID, ' ');
  return [...bare.matchAll(CPR_SHAPES)].map((m) => m[0].replace('-', ''));
}

/** Zod's own English messages: a user must read Danish (functions/shared/validation.ts). */
const ENGLISH = /\b(Invalid input|expected|Too small|Too big|Required|Unrecognized)\b/;

/** The rules every answer keeps, whatever was sent. */
function assess(request: HostileRequest, answer: Answer): void {
  const what = `${request.method} ${request.target} → ${answer.status} ${answer.text.slice(0, 300)}`;
  expect(answer.status, what).toBeGreaterThanOrEqual(200);
  expect(answer.status, what).toBeLessThan(500);
  const type = String(answer.headers['content-type'] ?? '');
  if (answer.status >= 400) {
    if (type.startsWith('application/json')) {
      // The handlers' refusals and API Gateway's own answers (a malformed URL, an unknown route, a body over
      // 10 MB: lib/referral-api.ts's gateway responses) alike.
      const body = JSON.parse(answer.text) as { errors?: unknown };
      expect(Array.isArray(body.errors) && body.errors.length > 0, what).toBe(true);
      for (const error of body.errors as Array<{ field?: unknown; message?: unknown }>) {
        expect(typeof error.field === 'string' && error.field.length > 0, what).toBe(true);
        expect(typeof error.message === 'string' && error.message.length > 0, what).toBe(true);
        expect(String(error.message), what).not.toMatch(ENGLISH);
      }
    } else {
      expect(type, what).toMatch(/^text\/html/);
      // API Gateway's own pages (401, 403 from the authorizer) come from lib/referral-api.ts's templates.
      if (answer.headers['x-amzn-errortype'] === undefined) {
        // A page shown again: a summary and a message at the field.
        expect(answer.text, what).toMatch(/class="error"|role="alert"/);
        expect(answer.text, what).not.toMatch(ENGLISH);
      }
    }
  }
  const sent = cprsIn(`${request.target}\n${request.body ?? ''}`);
  for (const number of sent) {
    expect(answer.text, `${what}: echoes a CPR-shaped number`).not.toContain(number);
    expect(answer.text, `${what}: echoes a CPR-shaped number`).not.toContain(
      `${number.slice(0, 6)}-${number.slice(6)}`,
    );
  }
}

/** Percent-encodes every byte outside `keep` (lone surrogates included: encodeURIComponent throws on them). */
function percentEncode(text: string, keep = /[A-Za-z0-9\-_.!~*'()]/): string {
  return [...text]
    .map((c) =>
      keep.test(c)
        ? c
        : [...Buffer.from(c, 'utf8')]
            .map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`)
            .join(''),
    )
    .join('');
}
/** What a careless client sends: printable ASCII as it is (`%`, `&`, `=` too), the rest encoded. */
const looselyEncoded = (text: string) => percentEncode(text, /[\x21-\x7e]/);

const sendAndAssess = async (request: HostileRequest) => assess(request, await send(request));

// ——— Arbitraries ———

const digits = (n: number) => fc.integer({ min: 0, max: 10 ** n - 1 }).map((v) => String(v).padStart(n, '0'));
const cprShaped = fc
  .tuple(digits(6), fc.boolean(), digits(4))
  .map(([a, hyphen, b]) => `${a}${hyphen ? '-' : ''}${b}`);
/** CPR numbers that pass the format and date check (day ≤ 28: every month has it). */
const validCpr = fc
  .tuple(fc.integer({ min: 1, max: 28 }), fc.integer({ min: 1, max: 12 }), digits(2), digits(4))
  .map(([d, m, y, s]) => `${String(d).padStart(2, '0')}${String(m).padStart(2, '0')}${y}-${s}`);

const hugeString = fc
  .tuple(fc.integer({ min: 201, max: 17_000 }), fc.constantFrom('x', 'æ', '🙂', '\u0000', ' '))
  .map(([n, c]) => c.repeat(Math.ceil(n / c.length)));

const nasty = fc.constantFrom(
  '',
  ' ',
  '\t\n\r',
  '\u0000',
  '\u0007\u001b[31m',
  '\u202Eevil',
  '\uFEFF',
  '\uD800',
  '\uDFFF',
  'a\uD800b',
  'Z\u0351\u0362\u0336a\u0352l\u0353g\u0307o',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "' OR '1'='1",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the text itself is the attack (Log4Shell).
  '${jndi:ldap://x/a}',
  '{{7*7}}',
  '../../etc/passwd',
  '%00',
  '%',
  'null',
  'undefined',
  'NaN',
  'true',
  '-1',
  '1e309',
  '__proto__',
  'constructor',
  'toString',
  'REFERRAL#x',
  'STATE',
  '2026-02-30',
  '0000-01-01',
  '9999-12-31',
  '2026-13-01',
  ' 2026-12-02 ',
  '2026-12-02T00:00:00Z',
  '+002026-12-02',
  '621',
  ' 621 ',
  '851',
  '999',
  'kontanthjaelp',
  'job-start',
  'dropout',
  'on',
);

const hostileString = fc.oneof(
  { arbitrary: nasty, weight: 4 },
  { arbitrary: fc.string({ maxLength: 40 }), weight: 2 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }), weight: 2 },
  {
    arbitrary: fc.string({ unit: fc.integer({ min: 0, max: 31 }).map((c) => String.fromCharCode(c)) }),
    weight: 1,
  },
  { arbitrary: cprShaped, weight: 2 },
  { arbitrary: fc.tuple(fc.string({ maxLength: 10 }), cprShaped).map(([a, b]) => `${a}${b}`), weight: 1 },
  { arbitrary: hugeString, weight: 1 },
);

const hostileNumber = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(-1, 0, -0, 0.5, 53, 81, 1e308, -1e308, 2 ** 53 + 1, Number.MIN_VALUE, 101_185_1234),
);

const deepNesting = fc.tuple(fc.integer({ min: 1, max: 3000 }), fc.boolean()).map(([depth, arrays]) => {
  let value: unknown = 'x';
  for (let i = 0; i < depth; i++) value = arrays ? [value] : { a: value };
  return value;
});

const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: hostileString, weight: 6 },
  { arbitrary: hostileNumber, weight: 3 },
  { arbitrary: fc.boolean(), weight: 1 },
  { arbitrary: fc.constant(null), weight: 1 },
  { arbitrary: fc.array(hostileString, { maxLength: 3 }), weight: 1 },
  { arbitrary: fc.dictionary(fc.string({ maxLength: 5 }), hostileString, { maxKeys: 3 }), weight: 1 },
  { arbitrary: deepNesting, weight: 1 },
);

/** An `Idempotency-Key` header, when there is one: any text a header may carry, of any length. */
const idempotencyKey = fc.option(
  fc.oneof(
    fc.string({
      unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
      maxLength: 300,
    }),
    fc.constantFrom('', ' ', 'same-key', 'x'.repeat(255), 'x'.repeat(256), '0101851234'),
  ),
  { nil: undefined, freq: 2 },
);

/** Keys that must never reach an item or an object's prototype, whatever their value. */
const extraKey = fc.oneof(
  fc.constantFrom(
    '__proto__',
    'constructor',
    'prototype',
    'hasOwnProperty',
    'pk',
    'sk',
    'cprCiphertext',
    'citizenKey',
    'referralId',
    'eventSeq',
    'phase',
    'placesTaken',
    'role',
    'username',
    'recordedBy',
  ),
  fc.string({ maxLength: 12 }),
);
const pollution = { polluted: 'yes', prototype: { polluted: 'yes' } };

/** JSON text of key/value pairs in order, duplicates and `__proto__` kept (JSON.stringify would lose them). */
const objectText = (entries: ReadonlyArray<readonly [string, unknown]>) =>
  `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v) ?? 'null'}`).join(',')}}`;

/** A valid body with up to three fields hostile, up to two missing, up to three extra. */
function hostileFields(valid: Record<string, unknown>): fc.Arbitrary<Array<readonly [string, unknown]>> {
  const fields = Object.keys(valid);
  return fc
    .record({
      // A quarter of the bodies keep every field valid: their extra keys alone must do no harm.
      // Mostly one hostile field among valid ones, so that it is the one the handler has to judge.
      replaced: fc.oneof(
        { arbitrary: fc.constant([]), weight: 1 },
        { arbitrary: fc.tuple(fc.constantFrom(...fields), hostileValue).map((pair) => [pair]), weight: 3 },
        {
          arbitrary: fc.array(fc.tuple(fc.constantFrom(...fields), hostileValue), {
            minLength: 2,
            maxLength: 3,
          }),
          weight: 1,
        },
      ),
      dropped: fc.oneof(
        { arbitrary: fc.constant([]), weight: 3 },
        { arbitrary: fc.subarray(fields, { minLength: 1, maxLength: 2 }), weight: 1 },
      ),
      extra: fc.array(fc.tuple(extraKey, fc.oneof(hostileValue, fc.constant<unknown>(pollution))), {
        maxLength: 3,
      }),
    })
    .map(({ replaced, dropped, extra }) => {
      const entries = new Map<string, unknown>(Object.entries(valid));
      for (const field of dropped) entries.delete(field);
      for (const [field, value] of replaced) entries.set(field, value);
      return [...entries, ...extra];
    });
}

/** A JSON body for a route: mostly valid-shaped with hostile values, sometimes no object at all. */
function jsonBody(valid: fc.Arbitrary<Record<string, unknown>>): fc.Arbitrary<string> {
  return fc.oneof(
    { arbitrary: valid.chain(hostileFields).map(objectText), weight: 8 },
    { arbitrary: valid.map((v) => JSON.stringify([v])), weight: 1 },
    { arbitrary: hostileValue.map((v) => JSON.stringify(v) ?? 'null'), weight: 1 },
  );
}

/** A form post of the same fields: values are text, keys may repeat. */
function formBody(valid: fc.Arbitrary<Record<string, unknown>>): fc.Arbitrary<string> {
  return valid
    .chain(hostileFields)
    .map((entries) =>
      new URLSearchParams(
        entries.map(([k, v]): [string, string] => [k, typeof v === 'string' ? v : (JSON.stringify(v) ?? '')]),
      ).toString(),
    );
}

/** Bodies no route should accept: broken JSON, the wrong content type, too large, nested beyond reason. */
const brokenBody = fc.oneof(
  fc.record({
    contentType: fc.constant('application/json'),
    body: fc.oneof(
      fc.constantFrom(
        '',
        '{',
        '{"cpr":',
        'NaN',
        '{"weeksOnBenefit": NaN}',
        "{'name': 'x'}",
        '{"a":1,}',
        '\u0000',
        '\uFEFF{}',
        '{"__proto__": {"polluted": "yes"}}',
        '{"constructor": {"prototype": {"polluted": "yes"}}}',
        'null',
        '[]',
        '"text"',
        '1e309',
      ),
      fc.string({ unit: 'binary', maxLength: 60 }),
      fc.integer({ min: 1, max: 8100 }).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`),
      fc.integer({ min: 1, max: 5000 }).map((n) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`),
      fc.integer({ min: 16_385, max: 40_000 }).map((n) => JSON.stringify({ name: 'x'.repeat(n) })),
    ),
  }),
  fc.record({
    contentType: fc.constantFrom(
      'text/plain',
      'application/xml',
      'multipart/form-data; boundary=x',
      'application/jsonx',
      'application/json; charset=utf-16',
      'APPLICATION/JSON',
      'application/x-www-form-urlencoded; charset=iso-8859-1',
      '',
      ';;;',
      '*/*',
    ),
    body: fc.constantFrom('{"name":"x"}', 'name=x&cpr=0101851234', '<xml/>', '--x--'),
  }),
);

// ——— Routes ———

const caseworker = (municipality = '621') => ({ role: 'caseworker', municipality }) as const;
const actor = (municipality = '621') => ({ role: 'employment-actor', municipality }) as const;
const finance = (municipality = '621') => ({ role: 'finance', municipality }) as const;
const programme = { role: 'programme' } as const;

const dateAround = fc.integer({ min: -40, max: 100 }).map((days) => {
  const d = new Date(`${today}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
});

const validReferral = (municipality: string) =>
  fc.record({
    cpr: validCpr,
    name: fc.constantFrom('Anna Hansen', 'Jens Ø. Sørensen', 'Zoë Ægir'),
    benefit: fc.constant('kontanthjaelp'),
    rateGroup: fc.constantFrom('30-plus-without-children', 'under-30-at-home'),
    readiness: fc.constantFrom('jobparat', 'aktivitetsparat'),
    weeksOnBenefit: fc.integer({ min: 0, max: 52 }),
    startDate: dateAround,
    municipality: fc.constantFrom(municipality, ''),
  });
/** A result's date: mostly today (the pathways were referred today, before the clock moved on), sometimes not. */
const outcomeDate = fc.oneof(
  { arbitrary: fc.constant(null).map(() => today), weight: 3 },
  { arbitrary: dateAround, weight: 1 },
);
const validOutcome = fc.oneof(
  fc.record({
    type: fc.constant('job-start'),
    date: outcomeDate,
    hoursPerWeek: fc.integer({ min: 1, max: 80 }),
    employer: fc.constantFrom('Kolding Bageri ApS', 'Grøn Café'),
    employerCvr: fc.constantFrom(OWN_COMPANY, '87654303', '12345678', ''),
    // Old clients still send the tick; it is ignored.
    hiredByAcceleratorCompany: fc.boolean(),
  }),
  fc.record({ type: fc.constantFrom('education-start', 'dropout'), date: outcomeDate }),
);
const validPlacement = fc.record({
  type: fc.constantFrom('own-company', 'accelerator-company'),
  companyCvr: fc.constantFrom(OWN_COMPANY, '87654303', '1234 5674', '12345678'),
  supportPerson: fc.constantFrom('Mette Holm', ''),
});
const validConfirmation = fc.record({
  milestone: fc.constantFrom(13, 26),
  employed: fc.boolean(),
  endedOn: dateAround,
  outcomeId: fc.oneof(
    fc.uuid(),
    fc.constant(''),
    fc.constant(null).map(() => jobOutcomeId),
  ),
});

/** A path parameter as sent: the pathways' own ids, ids of every other shape, encoded or deliberately not. */
const referralIdSegment = fc.oneof(
  { arbitrary: fc.constantFrom('621', '851', 'job' as const).map((m) => pathways[m]), weight: 3 },
  {
    arbitrary: fc.constantFrom('621', '851', 'job' as const).map((m) => pathways[m].toUpperCase()),
    weight: 1,
  },
  { arbitrary: fc.uuid(), weight: 1 },
  {
    arbitrary: hostileString.filter((s) => s.length < 1000).map((s) => percentEncode(s)),
    weight: 3,
  },
  {
    arbitrary: fc.constantFrom(
      '..',
      '.',
      '%2e%2e',
      '%2E',
      '%',
      '%zz',
      '%E0%A4%A',
      '%C0%AE%C0%AE',
      '%00',
      '%2F',
      'a%2Fb',
      '%25',
      '%252e',
      '%20',
      '%F0%9F%92%A9',
      '__proto__',
      'constructor',
      '{id}',
      '*',
      ';',
      '0101851234',
      '010185-1234',
    ),
    weight: 3,
  },
  // Long, but within what an HTTP server takes in a request line (Node: 16 kB of headers; API Gateway: 10 kB).
  { arbitrary: fc.integer({ min: 100, max: 6000 }).map((n) => 'a'.repeat(n)), weight: 1 },
  {
    arbitrary: fc
      .tuple(fc.constantFrom('621', '851'), fc.constantFrom('%00', '%20', '/', '%2F', '.', '..', '%0A'))
      .map(([m, tail]) => `${pathways[m]}${tail}`),
    weight: 1,
  },
);

/** A query string of hostile pairs over the route's own parameters and others, sometimes left unencoded. */
function queryString(
  params: readonly string[],
  values: fc.Arbitrary<string>,
  valid: () => Array<[string, string]>,
): fc.Arbitrary<string> {
  const pair = fc.tuple(fc.oneof(fc.constantFrom(...params), extraKey), values);
  return fc
    .record({ hostile: fc.array(pair, { maxLength: 5 }), raw: fc.boolean(), keepValid: fc.boolean() })
    .map(({ hostile, raw, keepValid }) => {
      const pairs = [...(keepValid ? valid() : []), ...hostile];
      return pairs.length === 0
        ? ''
        : `?${pairs
            .map(([k, v]) =>
              raw ? `${looselyEncoded(k)}=${looselyEncoded(v)}` : `${percentEncode(k)}=${percentEncode(v)}`,
            )
            .join('&')}`;
    });
}

const queryValue = fc.oneof(
  hostileString.filter((s) => s.length < 1000),
  fc.constantFrom(
    'json',
    'csv',
    'html',
    'xml',
    '2026-12',
    '2026-13',
    '0000-00',
    '1',
    '0',
    '10',
    '11',
    '10000',
    '-5',
  ),
  dateAround,
  hostileNumber.map(String),
);

interface Route {
  name: string;
  runs: number;
  request: fc.Arbitrary<HostileRequest>;
}

const json = 'application/json';
const form = 'application/x-www-form-urlencoded';
const municipalityOf = fc.constantFrom('621', '851');

/** Which pathway a post goes to, and the municipality of the user who sends it (its own). */
const pathwayOf = fc.constantFrom(
  { name: 'job', municipality: '621' },
  { name: '621', municipality: '621' },
  { name: '851', municipality: '851' },
) as fc.Arbitrary<{ name: keyof typeof pathways; municipality: string }>;

const pathwayPost = (
  action: 'outcomes' | 'placement' | 'confirmations',
  valid: fc.Arbitrary<Record<string, unknown>>,
): fc.Arbitrary<HostileRequest> =>
  fc.oneof(
    fc.record({ to: pathwayOf, body: jsonBody(valid), key: idempotencyKey }).map(({ to, body, key }) => ({
      method: 'POST' as const,
      target: `/referrals/${pathways[to.name]}/${action}`,
      identity: action === 'outcomes' ? caseworker(to.municipality) : actor(to.municipality),
      contentType: json,
      body,
      idempotencyKey: key,
    })),
    fc.record({ to: pathwayOf, body: formBody(valid), accept: fc.boolean() }).map(({ to, body, accept }) => ({
      method: 'POST' as const,
      target: `/referrals/${pathways[to.name]}/${action}`,
      identity: action === 'outcomes' ? caseworker(to.municipality) : actor(to.municipality),
      contentType: form,
      accept: accept ? 'text/html' : undefined,
      body,
    })),
  );

const routes: Route[] = [
  {
    name: 'POST /referrals, JSON',
    runs: 90,
    request: municipalityOf
      .chain((who) =>
        fc.record({ body: jsonBody(validReferral(who)), key: idempotencyKey, who: fc.constant(who) }),
      )
      .map(({ body, who, key }) => ({
        method: 'POST',
        target: '/referrals',
        identity: caseworker(who),
        contentType: json,
        body,
        idempotencyKey: key,
      })),
  },
  {
    name: 'POST /referrals, form',
    runs: 40,
    request: formBody(validReferral('621')).map((body) => ({
      method: 'POST',
      target: '/referrals',
      identity: caseworker(),
      contentType: form,
      accept: 'text/html',
      body,
    })),
  },
  { name: 'POST /referrals/{id}/outcomes', runs: 60, request: pathwayPost('outcomes', validOutcome) },
  { name: 'POST /referrals/{id}/placement', runs: 40, request: pathwayPost('placement', validPlacement) },
  {
    name: 'POST /referrals/{id}/confirmations',
    runs: 40,
    request: pathwayPost('confirmations', validConfirmation),
  },
  {
    name: 'broken bodies on every POST route',
    runs: 60,
    request: fc
      .record({
        broken: brokenBody,
        route: fc.constantFrom('/referrals', 'outcomes', 'placement', 'confirmations', '/login', '/logout'),
      })
      .map(({ broken, route }) => ({
        method: 'POST',
        target: route.startsWith('/') ? route : `/referrals/${pathways['621']}/${route}`,
        identity:
          route === '/referrals' || route === 'outcomes'
            ? caseworker()
            : route.startsWith('/')
              ? 'anonymous'
              : actor(),
        contentType: broken.contentType === '' ? undefined : broken.contentType,
        body: broken.body,
        origin: true,
      })),
  },
  {
    name: 'path parameters',
    runs: 80,
    request: fc
      .record({
        id: referralIdSegment,
        route: fc.constantFrom('', '/access-log', '/outcomes', '/placement', '/confirmations', '/'),
        html: fc.boolean(),
      })
      .map(({ id, route, html }): HostileRequest => {
        const target = `/referrals/${id}${route}`;
        if (route === '' || route === '/access-log' || route === '/') {
          return { method: 'GET', target, identity: programme, accept: html ? 'text/html' : undefined };
        }
        const body: Record<string, string> =
          route === '/outcomes'
            ? { type: 'education-start', date: today }
            : route === '/placement'
              ? { type: 'own-company', companyCvr: OWN_COMPANY }
              : { milestone: '13', employed: 'true' };
        return {
          method: 'POST',
          target,
          identity: route === '/outcomes' ? caseworker() : actor(),
          contentType: html ? form : json,
          body: html ? new URLSearchParams(body).toString() : JSON.stringify(body),
        };
      }),
  },
  {
    name: 'query strings of the lists and pages',
    runs: 80,
    request: fc
      .record({
        route: fc.constantFrom(
          { path: '/payments', params: ['municipality'], valid: () => [['municipality', '621']] },
          {
            path: '/business-case',
            params: [
              'horizonYears',
              'deadweight',
              'retention',
              'start',
              'format',
              'municipality',
              'basis',
              'costPerCitizen',
              'costPerCompany',
            ],
            valid: () => [
              ['horizonYears', '3'],
              ['start', today],
            ],
          },
          {
            path: '/statements',
            params: ['municipality', 'month', 'payee', 'format'],
            valid: () => [
              ['municipality', '621'],
              ['month', today.slice(0, 7)],
            ],
          },
          { path: '/', params: ['referral'], valid: () => [['referral', pathways['621']]] },
          { path: '/health', params: ['x'], valid: () => [] },
        ) as fc.Arbitrary<{ path: string; params: string[]; valid: () => Array<[string, string]> }>,
        who: fc.constantFrom<Identity>(programme, finance('621'), finance('851'), caseworker('621')),
        html: fc.boolean(),
      })
      .chain(({ route, who, html }) =>
        queryString(route.params, queryValue, route.valid).map(
          (query): HostileRequest => ({
            method: 'GET',
            target: `${route.path}${query}`,
            identity: route.path === '/' && who !== programme ? caseworker() : who,
            accept: html ? 'text/html' : undefined,
          }),
        ),
      ),
  },
  {
    name: 'POST /login and /logout',
    runs: 60,
    request: fc
      .record({
        path: fc.constantFrom('/login', '/logout'),
        fields: fc.dictionary(
          fc.constantFrom(
            'username',
            'password',
            'code',
            'session',
            'newPassword',
            'setupCode',
            'refreshToken',
          ),
          hostileString,
          { maxKeys: 4 },
        ),
        asForm: fc.boolean(),
        origin: fc.boolean(),
      })
      .map(({ path, fields, asForm, origin }) => ({
        method: 'POST',
        target: path,
        identity: 'anonymous',
        contentType: asForm ? form : json,
        body: asForm ? new URLSearchParams(Object.entries(fields)).toString() : JSON.stringify(fields),
        origin,
      })),
  },
];

/** A longer hunt than `npm test`'s: `HOSTILE_RUNS_FACTOR=10 npx vitest run test/integration/hostile-input.test.ts`. */
const runsFactor = Number(process.env.HOSTILE_RUNS_FACTOR ?? '1');
/**
 * `npm test` sends the same generated requests every run, so that a change, not the luck of a draw, decides
 * whether main is green; `HOSTILE_SEED=random` (with a runs factor) hunts for new counterexamples, and each one
 * found becomes a function-level test (test/functions/refusals.test.ts).
 */
const seed = process.env.HOSTILE_SEED === 'random' ? undefined : Number(process.env.HOSTILE_SEED ?? 20261202);

describe('hostile input', () => {
  for (const route of routes) {
    it(`${route.name}: answers below 500, with a message per field`, async () => {
      await fc.assert(fc.asyncProperty(route.request, sendAndAssess), {
        numRuns: Math.round(route.runs * runsFactor),
        seed,
      });
    });
  }

  it('leaves the table whole: places, locks, events, payments, and no CPR number outside its ciphertext', async () => {
    // Prepare: every effect of the accepted requests stored (payments run from the stream).
    await runtime.settle();
    const table = new DynamoDBClient({ endpoint: process.env.AWS_ENDPOINT_URL_DYNAMODB });
    const items: Record<string, unknown>[] = [];
    let startKey: Record<string, AttributeValue> | undefined;
    do {
      const page = await table.send(
        new ScanCommand({ TableName: process.env.TABLE_NAME, ExclusiveStartKey: startKey }),
      );
      items.push(...(page.Items ?? []).map((item) => unmarshall(item)));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    // Act
    const problems = invariantProblems(items);
    // Assess
    expect(problems).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // The runs above sent what they should have, and some of it was accepted.
    expect(generated).toBeGreaterThanOrEqual(500);
    expect(items.filter((i) => i.sk === 'STATE').length).toBeGreaterThan(3);
  });
});

/** What is wrong with the table, one line per broken rule (none when it is whole). */
function invariantProblems(items: Record<string, unknown>[]): string[] {
  const problems: string[] = [];
  const byPk = new Map<string, Record<string, unknown>[]>();
  for (const item of items) {
    const pk = String(item.pk);
    byPk.set(pk, [...(byPk.get(pk) ?? []), item]);
  }
  const states = items.filter((i) => String(i.pk).startsWith('REFERRAL#') && i.sk === 'STATE');

  // A municipality's places taken are its pathways not ended by a drop-out (a completed one keeps its place).
  for (const capacity of items.filter((i) => i.sk === 'CAPACITY')) {
    const municipality = String(capacity.pk).replace('MUNICIPALITY#', '');
    const holding = states.filter((s) => s.municipality === municipality && s.closedReason !== 'dropout');
    if (capacity.placesTaken !== holding.length) {
      problems.push(
        `${municipality}: ${capacity.placesTaken} places taken, ${holding.length} pathways hold one`,
      );
    }
  }
  for (const state of states) {
    if (!items.some((i) => i.sk === 'CAPACITY' && i.pk === `MUNICIPALITY#${state.municipality}`)) {
      problems.push(`${state.referralId}: no capacity counter for ${state.municipality}`);
    }
  }

  // One lock per citizen in an open pathway, and only for one.
  const locks = items.filter((i) => String(i.pk).startsWith('CITIZEN#') && i.sk === 'ACTIVE');
  for (const lock of locks) {
    const state = states.find((s) => s.referralId === lock.referralId);
    if (!state || state.phase === 'closed' || `CITIZEN#${state.citizenKey}` !== lock.pk) {
      problems.push(`lock ${lock.pk} → ${lock.referralId}: no open pathway of that citizen`);
    }
  }
  for (const state of states.filter((s) => s.phase !== 'closed')) {
    if (!locks.some((l) => l.pk === `CITIZEN#${state.citizenKey}` && l.referralId === state.referralId)) {
      problems.push(`${state.referralId}: open without its citizen's lock`);
    }
  }

  for (const [pk, partition] of byPk) {
    if (!pk.startsWith('REFERRAL#')) continue;
    const state = partition.find((i) => i.sk === 'STATE');
    if (!state) {
      problems.push(`${pk}: ${partition.length} items without a pathway state`);
      continue;
    }
    // Every event up to the state's count, none beyond: no half-written change.
    const events = partition.filter((i) => String(i.sk).startsWith('EVENT#'));
    const seqs = events.map((e) => Number(e.seq)).sort((a, b) => a - b);
    const expected = Array.from({ length: Number(state.eventSeq) }, (_, i) => i + 1);
    if (JSON.stringify(seqs) !== JSON.stringify(expected)) {
      problems.push(`${pk}: events ${seqs.join(',')} for eventSeq ${state.eventSeq}`);
    }
    const outcomes = partition.filter((i) => String(i.sk).startsWith('OUTCOME#'));
    for (const outcome of outcomes) {
      if (!events.some((e) => e.kind === 'outcome-recorded' && e.outcomeId === outcome.outcomeId)) {
        problems.push(`${pk}: outcome ${outcome.outcomeId} without its event`);
      }
    }
    // No payment without its result.
    const payments = partition.filter((i) => String(i.sk).startsWith('PAYMENT#'));
    for (const payment of payments) {
      if (!outcomes.some((o) => o.outcomeId === payment.outcomeId)) {
        problems.push(`${pk}: payment ${payment.paymentId} without outcome ${payment.outcomeId}`);
      }
      if (payment.resultId !== payment.outcomeId) {
        const weeks = /-w(\d+)$/.exec(String(payment.resultId))?.[1];
        const milestone = partition.find(
          (i) => i.sk === `MILESTONE#${payment.outcomeId}#${String(weeks).padStart(2, '0')}`,
        );
        if (milestone?.status !== 'confirmed') {
          problems.push(
            `${pk}: payment ${payment.paymentId} for an unconfirmed milestone ${payment.resultId}`,
          );
        }
      }
    }
    if ((payments.length > 0 || state.paymentSeq !== undefined) && Number(state.paymentSeq ?? 0) < 1) {
      problems.push(`${pk}: ${payments.length} payments, paymentSeq ${state.paymentSeq}`);
    }
  }

  // No CPR number anywhere but the encrypted attribute: not in a name, an answer kept for a key, a log entry.
  for (const item of items) {
    const { cprCiphertext: _cpr, ...rest } = item;
    const text = JSON.stringify(rest);
    const strings = stringsOf(rest).map((s) => s.replace(UUID, ' ').replace(HEX_RUN, ' '));
    if (strings.some(containsCprShape)) problems.push(`${item.pk} ${item.sk}: a CPR-shaped value`);
    for (const number of sentCprs) {
      if (text.includes(number)) problems.push(`${item.pk} ${item.sk}: a CPR number that was sent`);
    }
  }
  return problems;
}

function stringsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsOf);
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => [k, ...stringsOf(v)]);
  }
  return [];
}
