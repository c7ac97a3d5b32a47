import { type LocalRuntime, startLocalRuntime } from '../../local/runtime.ts';

/** One local system per test file, talked to over HTTP like a user would. */
export async function startSystem(handlerLogLevel = 'WARN'): Promise<{ runtime: LocalRuntime; api: Api }> {
  const runtime = await startLocalRuntime({ port: 0, log: () => {}, handlerLogLevel });
  return { runtime, api: new Api(runtime.url) };
}

export class Api {
  constructor(readonly url: string) {}

  async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const response = await fetch(`${this.url}${path}`, {
      method,
      headers: body === undefined ? headers : { 'Content-Type': 'application/json', ...headers },
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

export function danish(instant: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Copenhagen' }).format(instant);
}

/** CPR numbers that pass the date check, distinct per test. */
export function cpr(n: number): string {
  const day = String((n % 28) + 1).padStart(2, '0');
  const month = String((Math.floor(n / 28) % 12) + 1).padStart(2, '0');
  return `${day}${month}85-${String(1000 + n).slice(-4)}`;
}
