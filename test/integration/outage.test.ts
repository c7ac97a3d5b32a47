import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { dynamoDbLocalAt } from '../../local/dynamodb.ts';
import type { LocalRuntime } from '../../local/runtime.ts';
import { type Api, cpr, startSystem } from './local-system.ts';

/**
 * DynamoDB Local killed while the system runs on a data folder, as `npm start` does, and as an unlucky operator
 * would see it over HTTP: requests answer 503 with Retry-After, DynamoDB Local comes back by itself with the data
 * it had, and the system serves again.
 */
let runtime: LocalRuntime;
let api: Api;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'vaekst-outage-'));
  ({ runtime, api } = await startSystem('ERROR', { dataDir }));
});

afterAll(async () => {
  await runtime?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** The DynamoDB Local behind the running system: the handlers' endpoint variable names it. */
function dynamoDb() {
  const local = dynamoDbLocalAt(process.env.AWS_ENDPOINT_URL_DYNAMODB ?? '');
  if (!local) throw new Error('No DynamoDB Local runs behind the system');
  return local;
}

describe('DynamoDB Local killed while the system runs', () => {
  it('answers 503 with Retry-After, comes back by itself with its data, and serves new referrals again', async () => {
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
    // Another municipality: Kolding's one place is still taken by the citizen referred before the outage.
    const after = await api.refer({ cpr: cpr(2), municipality: '851', startDate: await api.today() });
    const newId = String(after.json.referralId);
    await runtime.settle();

    // Assess: a new process with nothing lost, new referrals are taken, and the stream poller goes on with the
    // table's stream (the new referral's phase timer was started from its stream record, the old one's not again).
    expect(dynamoDb().pid()).not.toBe(pid);
    const kept = await api.request('GET', `/referrals/${referralId}`);
    expect(kept.status).toBe(200);
    expect(kept.json.phase).toBe(before.json.phase);
    expect(runtime.executions().filter((e) => e.name.startsWith(`${referralId}-`))).toHaveLength(1);
    expect((await api.request('GET', '/health')).json).toEqual({ status: 'ok' });
    expect(after.status).toBe(201);
    expect((await api.request('GET', `/referrals/${newId}`)).status).toBe(200);
    expect(runtime.executions().filter((e) => e.name.startsWith(`${newId}-`))).toHaveLength(1);
  });
});
