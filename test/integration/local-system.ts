import type { Role } from '#domain/access';
import { type LocalRuntime, type LocalRuntimeOptions, startLocalRuntime } from '../../local/runtime.ts';

/** One local system per test file, talked to over HTTP like a user would. */
export async function startSystem(
  handlerLogLevel = 'WARN',
  options: Partial<LocalRuntimeOptions> = {},
): Promise<{ runtime: LocalRuntime; api: Api }> {
  const runtime = await startLocalRuntime({ port: 0, log: () => {}, handlerLogLevel, ...options });
  return { runtime, api: new Api(runtime.url, new Identities(runtime)) };
}

/** Who a request is sent as: a role (in a municipality), or nobody (`anonymous`: no credentials at all). */
export type Identity = { role: Role; municipality?: string; company?: string } | 'anonymous';

/** Where a test's requests get their session tokens from. */
export interface TokenSource {
  token(identity: { role: Role; municipality?: string; company?: string }): Promise<string>;
}

/**
 * Signed-in users for tests: one per role and municipality, created in the local user pool on first use and
 * signed in through the pool like any client, so every request passes the real authorizer.
 */
export class Identities implements TokenSource {
  private readonly tokens = new Map<string, Promise<string>>();
  constructor(private readonly runtime: LocalRuntime) {}

  token(identity: { role: Role; municipality?: string; company?: string }): Promise<string> {
    const username = `test-${identity.role}${identity.municipality ? `-${identity.municipality}` : ''}${
      identity.company ? `-${identity.company}` : ''
    }`;
    let token = this.tokens.get(username);
    if (!token) {
      token = this.runtime
        .addUser({
          username,
          role: identity.role,
          municipality: identity.municipality,
          company: identity.company,
        })
        .then(() => this.runtime.signIn(username));
      this.tokens.set(username, token);
    }
    return token;
  }
}

const PATHWAY_WRITE = /^\/referrals\/([^/]+)\/(outcomes|placement|confirmations)$/;

export class Api {
  /** Which municipality each referral belongs to, as its referral answered: whose caseworker acts on it. */
  private readonly municipalityOf = new Map<string, string>();

  constructor(
    readonly url: string,
    private readonly identities?: TokenSource,
    private readonly identity?: Identity,
  ) {}

  /** The same API, every request sent as `identity`. */
  as(identity: Identity): Api {
    const api = new Api(this.url, this.identities, identity);
    for (const [id, municipality] of this.municipalityOf) api.municipalityOf.set(id, municipality);
    return api;
  }

  /**
   * Without an explicit identity, a request goes as the user who would send it: a caseworker refers and records
   * outcomes in the pathway's municipality, the employment actor records placements and confirmations, and the
   * programme role reads (it sees every municipality). The role matrix itself is tested in access.test.ts.
   */
  private async impliedIdentity(method: string, path: string, body: unknown): Promise<Identity> {
    if (path.startsWith('/_local/') || path.startsWith('/login')) return 'anonymous';
    if (method === 'GET') return { role: 'programme' };
    if (path === '/referrals') {
      const municipality = bodyField(body, 'municipality') ?? '621';
      return { role: 'caseworker', municipality };
    }
    const write = PATHWAY_WRITE.exec(path);
    if (write) {
      const municipality = await this.pathwayMunicipality(write[1] ?? '');
      return { role: write[2] === 'outcomes' ? 'caseworker' : 'employment-actor', municipality };
    }
    return { role: 'programme' };
  }

  private async pathwayMunicipality(referralId: string): Promise<string> {
    const known = this.municipalityOf.get(referralId);
    if (known) return known;
    const { json } = await this.as({ role: 'programme' }).request('GET', `/referrals/${referralId}`);
    const municipality = codeOf(json?.municipality) ?? '621';
    this.municipalityOf.set(referralId, municipality);
    return municipality;
  }

  /** The `Authorization` header of `identity`, for a test that reads a response with fetch itself. */
  async credentials(identity: {
    role: Role;
    municipality?: string;
    company?: string;
  }): Promise<Record<string, string>> {
    if (!this.identities) return {};
    return { Authorization: `Bearer ${await this.identities.token(identity)}` };
  }

  async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const credentials: Record<string, string> = {};
    if (this.identities && !('Authorization' in headers)) {
      const identity = this.identity ?? (await this.impliedIdentity(method, path, body));
      if (identity !== 'anonymous') Object.assign(credentials, await this.credentials(identity));
    }
    const response = await fetch(`${this.url}${path}`, {
      method,
      headers:
        body === undefined
          ? { ...credentials, ...headers }
          : { 'Content-Type': 'application/json', ...credentials, ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      redirect: 'manual',
    });
    const text = await response.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    if (path === '/referrals' && method === 'POST' && response.status === 201 && json) {
      const created = json as { referralId?: unknown; municipality?: unknown };
      const municipality = codeOf(created.municipality);
      if (typeof created.referralId === 'string' && municipality) {
        this.municipalityOf.set(created.referralId, municipality);
      }
    }
    return {
      status: response.status,
      text,
      json: json as Record<string, unknown> & unknown[],
      headers: response.headers,
    };
  }

  async today(): Promise<string> {
    const { json } = await this.request('GET', '/_local/clock');
    return danish(new Date(String(json.now)));
  }

  async advance(days: number): Promise<void> {
    const { status } = await this.request('POST', '/_local/clock', { advanceDays: days });
    if (status !== 200) throw new Error(`Clock refused ${days} days`);
  }

  refer(fields: Partial<Record<string, unknown>>, headers?: Record<string, string>) {
    return this.request(
      'POST',
      '/referrals',
      {
        name: 'Anna Hansen',
        benefit: 'kontanthjaelp',
        rateGroup: '30-plus-without-children',
        readiness: 'aktivitetsparat',
        weeksOnBenefit: 30,
        ...fields,
      },
      headers,
    );
  }
}

/** A referral view names its municipality as `{ code, name }`. */
function codeOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const code = (value as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

function bodyField(body: unknown, field: string): string | undefined {
  if (typeof body === 'string') return new URLSearchParams(body).get(field) ?? undefined;
  if (typeof body === 'object' && body !== null && field in body) {
    const value = (body as Record<string, unknown>)[field];
    return value === undefined ? undefined : String(value);
  }
  return undefined;
}

export function danish(instant: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Copenhagen' }).format(instant);
}

/** CPR numbers that pass the date check, distinct per test. */
export function cpr(n: number): string {
  const day = String((n % 28) + 1).padStart(2, '0');
  const month = String((Math.floor(n / 28) % 12) + 1).padStart(2, '0');
  return `${day}${month}85-${String(1000 + n).slice(-4)}`;
}
