import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { dynamoDbLocalAt } from '../../local/dynamodb.ts';
import type { LocalRuntime } from '../../local/runtime.ts';
import { type Api, cpr, startSystem } from './local-system.ts';

/**
 * DynamoDB Local killed while the system runs, as an unlucky operator would see it over HTTP: requests answer
 * 503 with Retry-After, DynamoDB Local comes back by itself, and the system serves again (with empty tables:
 * the local data is in memory until it is made durable).
 */
let runtime: LocalRuntime;
let api: Api;

beforeAll(async () => {
  ({ runtime, api } = await startSystem('ERROR'));
});

afterAll(async () => {
  await runtime?.stop();
});

/** The DynamoDB Local behind the running system: the handlers' endpoint variable names it. */
function dynamoDb() {
  const local = dynamoDbLocalAt(process.env.AWS_ENDPOINT_URL_DYNAMODB ?? '');
  if (!local) throw new Error('No DynamoDB Local runs behind the system');
  return local;
}

describe('DynamoDB Local killed while the system runs', () => {
  it('answers 503 with Retry-After, comes back by itself, and serves new referrals again', async () => {
    // Prepare: a pathway to read, and every caller signed in before the outage.
    const before = await api.refer({ cpr: cpr(1), municipality: '621', startDate: await api.today() });
    expect(before.status).toBe(201);
    const referralId = String(before.json.referralId);
    expect((await api.request('GET', '/health')).status).toBe(200);
    const pid = dynamoDb().pid();
    if (pid === undefined) throw new Error('DynamoDB Local has no process id');

    // Act: kill it, and ask while it is down.
    process.kill(pid, 'SIGKILL');
    await vi.waitFor(() => expect(dynamoDb().pid()).toBeUndefined(), { timeout: 5_000, interval: 10 });
    const read = await api.request('GET', `/referrals/${referralId}`);
    const health = await api.request('GET', '/health');

    // Assess: the outage is a 503 the client may retry, never a 500.
    expect(read.status).toBe(503);
    expect(Number(read.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(health.status).toBe(503);
    expect(health.json).toEqual({ status: 'unavailable' });
    expect(Number(health.headers.get('retry-after'))).toBeGreaterThan(0);

    // Act: nobody restarts anything; the health endpoint says when it is back.
    await vi.waitFor(async () => expect((await api.request('GET', '/health')).status).toBe(200), {
      timeout: 60_000,
      interval: 250,
    });
    const after = await api.refer({ cpr: cpr(2), municipality: '621', startDate: await api.today() });
    const newId = String(after.json.referralId);
    await runtime.settle();

    // Assess: a new process, new referrals are taken, and the stream poller found the new table's stream
    // (the referral's phase timer was started from its stream record).
    expect(dynamoDb().pid()).not.toBe(pid);
    expect((await api.request('GET', '/health')).json).toEqual({ status: 'ok' });
    expect(after.status).toBe(201);
    expect((await api.request('GET', `/referrals/${newId}`)).status).toBe(200);
    expect(runtime.executions().filter((e) => e.name.startsWith(`${newId}-`))).toHaveLength(1);
  });
});
