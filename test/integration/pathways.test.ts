import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { LocalRuntime } from '../../local/runtime.ts';
import { priceOf } from '../prices.ts';
import { registerOwnCompany } from './companies.ts';
import { type Api, cpr, startSystem } from './local-system.ts';

/**
 * Whole pathways on the embedded default: DynamoDB Local, the CDK-synthesized state machines run by
 * aws-local-stepfunctions, the table stream, the same handler modules — driven over HTTP with the clock
 * fast-forwarded.
 */
let runtime: LocalRuntime;
let api: Api;
/** Every line the handlers log in this file, at DEBUG, kept to search for personal data. */
const logged: string[] = [];

beforeAll(async () => {
  for (const method of ['log', 'info', 'warn', 'error'] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      logged.push(args.map(String).join(' '));
    });
  }
  ({ runtime, api } = await startSystem('DEBUG'));
});

afterAll(async () => {
  await runtime?.stop();
});

const phaseOf = async (id: string) =>
  (await api.request('GET', `/referrals/${id}`)).json as unknown as {
    phase: string;
    closedReason: string | null;
    payments: unknown[];
    history: Array<{ phase: string; startedOn: string }>;
  };

describe('a whole pathway', () => {
  it('moves referred → training → induction → tracking → closed on its timers, keeping the place', async () => {
    // Prepare: Aalborg has 2 places; referred to start in 10 days.
    const start = new Date(`${await api.today()}T12:00:00Z`);
    start.setUTCDate(start.getUTCDate() + 10);
    const startDate = start.toISOString().slice(0, 10);
    const created = await api.refer({ cpr: cpr(1), municipality: '851', startDate });
    expect(created.status).toBe(201);
    const id = String(created.json.referralId);
    expect(created.json.phase).toBe('referred');

    // Act + Assess: each fast-forward moves exactly one phase.
    await api.advance(10);
    expect((await phaseOf(id)).phase).toBe('training');
    await api.advance(184);
    expect((await phaseOf(id)).phase).toBe('induction');
    await api.advance(184);
    expect((await phaseOf(id)).phase).toBe('tracking');
    await api.advance(184);
    const closed = await phaseOf(id);
    expect(closed).toMatchObject({ phase: 'closed', closedReason: 'completed' });
    expect(closed.history.map((h) => h.phase)).toEqual([
      'referred',
      'training',
      'induction',
      'tracking',
      'closed',
    ]);
    expect(closed.history[1]?.startedOn).toBe(startDate);

    // A completed pathway keeps its place: one of Aalborg's two is still taken.
    const today = await api.today();
    expect((await api.refer({ cpr: cpr(2), municipality: '851', startDate: today })).status).toBe(201);
    expect((await api.refer({ cpr: cpr(3), municipality: '851', startDate: today })).status).toBe(409);
    // The citizen, though, is free to be referred again.
    expect((await api.refer({ cpr: cpr(1), municipality: '157', startDate: today })).status).toBe(201);

    // No timer is left behind, and none ever failed.
    const executions = runtime.executions().filter((e) => e.name.startsWith(id));
    // One timer per timed phase: referred, training, induction, tracking.
    expect(executions.map((e) => e.status)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
  });

  it('moves to tracking at once on an early job start and notifies finance of exactly one payment', async () => {
    // Prepare: Kolding, one place, training from today.
    const created = await api.refer({ cpr: cpr(10), municipality: '621', startDate: await api.today() });
    const id = String(created.json.referralId);
    await api.advance(40);
    const inboxBefore = runtime.inbox.length;

    // Act: the job start, sent twice with the same key (a retrying client).
    const job = {
      type: 'job-start',
      date: await api.today(),
      hoursPerWeek: 37,
      employer: 'Kolding Bageri ApS',
    };
    const first = await api.request('POST', `/referrals/${id}/outcomes`, job, {
      'Idempotency-Key': 'job-10',
    });
    const repeat = await api.request('POST', `/referrals/${id}/outcomes`, job, {
      'Idempotency-Key': 'job-10',
    });
    await runtime.settle();

    // Assess
    expect(first.status).toBe(201);
    expect(repeat.text).toBe(first.text);
    const pathway = await phaseOf(id);
    expect(pathway.phase).toBe('tracking');
    expect(pathway.payments).toHaveLength(1);
    const payments = (await api.request('GET', '/payments')).json as unknown as Array<
      Record<string, unknown>
    >;
    expect(payments.filter((p) => p.referralId === id)).toEqual([
      expect.objectContaining({
        rule: 'job-start',
        amountOere: priceOf('job-start', job.date),
        payee: {
          kind: 'employment-actor',
          id: 'employment-actor-621',
          name: 'Beskæftigelsesaktør, Kolding Kommune',
        },
      }),
    ]);
    const notes = runtime.inbox.slice(inboxBefore);
    expect(notes).toHaveLength(1);
    expect(notes[0]?.message).toContain(`Borgerreference (forløb): ${id}`);

    // A second job start while the first job is being followed is refused, and pays nothing more.
    const second = await api.request('POST', `/referrals/${id}/outcomes`, {
      ...job,
      employer: 'Andet firma',
    });
    expect(second.status).toBe(409);
    await runtime.settle();
    expect((await phaseOf(id)).payments).toHaveLength(1);
    expect(runtime.inbox.length).toBe(inboxBefore + 1);

    // The training timer was stopped, not left to run six months.
    const timers = runtime.executions().filter((e) => e.name.startsWith(`${id}-`));
    expect(timers.map((e) => [e.name.slice(id.length), e.status])).toEqual([
      ['-1', 'ABORTED'],
      ['-2', 'RUNNING'],
    ]);
  });

  it('closes the pathway at once on a drop-out in month 2 and frees the place for a replacement', async () => {
    // Prepare: Holstebro, one place.
    const created = await api.refer({ cpr: cpr(20), municipality: '661', startDate: await api.today() });
    const id = String(created.json.referralId);
    await api.advance(45);
    expect(
      (await api.refer({ cpr: cpr(21), municipality: '661', startDate: await api.today() })).status,
    ).toBe(409);

    // Act
    const dropout = await api.request('POST', `/referrals/${id}/outcomes`, {
      type: 'dropout',
      date: await api.today(),
    });
    await runtime.settle();

    // Assess
    expect(dropout.json.phase).toBe('closed');
    expect(await phaseOf(id)).toMatchObject({ phase: 'closed', closedReason: 'dropout', payments: [] });
    expect(runtime.executions().find((e) => e.name === `${id}-1`)?.status).toBe('ABORTED');
    expect(
      (await api.refer({ cpr: cpr(21), municipality: '661', startDate: await api.today() })).status,
    ).toBe(201);
    expect(
      (
        await api.request('POST', `/referrals/${id}/outcomes`, {
          type: 'job-start',
          date: await api.today(),
          hoursPerWeek: 37,
          employer: 'X',
        })
      ).status,
    ).toBe(409);
  });
});

describe('induction placement', () => {
  it('records where the company induction takes place until the pathway leaves induction', async () => {
    // Prepare: Gribskov, one place; its employment actor's own company, a company record (issue 7). Placements
    // in accelerator companies, whose cohorts ran in 2019 and 2020, are in company-placement.test.ts.
    const created = await api.refer({ cpr: cpr(30), municipality: '270', startDate: await api.today() });
    const id = String(created.json.referralId);
    await registerOwnCompany(api, '270', '29000026', 'Gribskov Genbrug');
    // Act
    const placed = await api.request('POST', `/referrals/${id}/placement`, {
      type: 'own-company',
      companyCvr: '29000026',
    });
    await api.advance(184);
    const inInduction = await api.request('GET', `/referrals/${id}`);
    await api.request('POST', `/referrals/${id}/outcomes`, {
      type: 'job-start',
      date: await api.today(),
      hoursPerWeek: 30,
      employer: 'Grøn Café ApS',
    });
    const late = await api.request('POST', `/referrals/${id}/placement`, {
      type: 'own-company',
      companyCvr: '29000026',
    });
    // Assess
    expect(placed.status).toBe(201);
    expect(inInduction.json).toMatchObject({
      phase: 'induction',
      inductionPlacement: { type: 'own-company', companyCvr: '29000026', company: 'Gribskov Genbrug' },
    });
    expect(late.status).toBe(409);
  });
});

describe('capacity under concurrency', () => {
  it('accepts exactly 2 of 50 simultaneous referrals to a municipality with 2 free places', async () => {
    // Prepare
    const today = await api.today();
    // Act: Silkeborg (740) has 2 places.
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        api.refer({ cpr: cpr(100 + i), municipality: '740', startDate: today }),
      ),
    );
    // Assess
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(2);
    expect(statuses.filter((s) => s === 409)).toHaveLength(48);
  });

  it('refuses a citizen already in an active pathway, whatever the municipality', async () => {
    const today = await api.today();
    expect((await api.refer({ cpr: cpr(200), municipality: '147', startDate: today })).status).toBe(201);
    const again = await api.refer({ cpr: cpr(200).replace('-', ''), municipality: '306', startDate: today });
    expect(again.status).toBe(409);
    expect(again.json).toEqual({
      errors: [{ field: 'cpr', message: 'Borgeren er allerede i et aktivt forløb' }],
    });
  });
});

describe('personal data', () => {
  it('never shows a CPR number in responses, execution names or inputs, or notifications', async () => {
    // Prepare
    const number = cpr(300);
    const created = await api.refer({ cpr: number, municipality: '306', startDate: await api.today() });
    const id = String(created.json.referralId);
    await api.request('POST', `/referrals/${id}/outcomes`, {
      type: 'education-start',
      date: await api.today(),
    });
    await runtime.settle();
    // Act
    const seen = [
      created.text,
      (await api.request('GET', `/referrals/${id}`)).text,
      (await api.request('GET', `/referrals/${id}`, undefined, { Accept: 'text/html' })).text,
      (await api.request('GET', '/payments')).text,
      JSON.stringify(runtime.inbox),
      JSON.stringify(runtime.executions()),
    ].join('\n');
    // Assess
    const digits = number.replace('-', '');
    expect(seen).not.toContain(digits);
    expect(seen).not.toContain(number);
    expect(seen).toContain(id);
  });

  it("keeps CPR numbers out of the handlers' logs and out of every stored item but the ciphertext", async () => {
    // Prepare: everything this file has done so far, logged at DEBUG, and the whole table.
    const table = new DynamoDBClient({ endpoint: process.env.AWS_ENDPOINT_URL_DYNAMODB });
    const { Items = [] } = await table.send(new ScanCommand({ TableName: process.env.TABLE_NAME }));
    // Act
    const text = [...logged, JSON.stringify(Items)].join('\n');
    // Assess: the handlers did log (so the search means something), and no CPR used in this file is there.
    expect(logged.some((line) => line.includes('"handler":"create-referral"'))).toBe(true);
    expect(Items.some((item) => item.cprCiphertext?.B)).toBe(true);
    for (const n of [1, 2, 3, 10, 20, 21, 30, 100, 149, 200, 300]) {
      expect(text).not.toContain(cpr(n).replace('-', ''));
      expect(text).not.toContain(cpr(n));
    }
  });
});

describe('the HTTP contract', () => {
  it.each([
    ['/referrals/00000000-0000-4000-8000-000000000000', 404],
    ['/referrals/not-a-uuid', 404],
  ])('GET %s answers %i', async (path, status) => {
    expect((await api.request('GET', path)).status).toBe(status);
  });

  it('answers malformed JSON with 400 and an oversized body with 413', async () => {
    expect((await api.request('POST', '/referrals', '{"cpr":')).status).toBe(400);
    expect(
      (await api.request('POST', '/referrals', JSON.stringify({ name: 'x'.repeat(40_000) }))).status,
    ).toBe(413);
  });

  it("answers an unknown route with API Gateway's own 404, in Danish with a message per field", async () => {
    // Act
    const unknown = await api.request('GET', '/referals');
    const wrongMethod = await api.request('DELETE', '/payments');

    // Assess
    for (const answer of [unknown, wrongMethod]) {
      expect(answer.status).toBe(404);
      expect(answer.json).toMatchObject({ errors: [{ field: 'request', message: 'Siden findes ikke.' }] });
    }
  });

  it('refuses a fast-forward that is not a whole number of days', async () => {
    expect((await api.request('POST', '/_local/clock', { advanceDays: -1 })).status).toBe(400);
    expect((await api.request('POST', '/_local/clock', { advanceDays: 'a' })).status).toBe(400);
  });
});
