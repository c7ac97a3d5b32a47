import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalRuntime } from '../../local/runtime.ts';
import { type Api, cpr, startSystem } from './local-system.ts';

/**
 * Exactly once under races, on the embedded default: ten identical requests sent at once, as a client that
 * retries on a timeout (with one `Idempotency-Key`) or a user who clicks ten times (without one).
 */
let runtime: LocalRuntime;
let api: Api;

beforeAll(async () => {
  // Room for several pathways per municipality (Kolding has 1 place, Aalborg 2): the handlers read the scale
  // when they are first loaded, which is after the runtime has started.
  process.env.PROGRAMME_SCALE = '10';
  ({ runtime, api } = await startSystem());
});

afterAll(async () => {
  await runtime?.stop();
  delete process.env.PROGRAMME_SCALE;
});

const TEN = Array.from({ length: 10 }, (_, i) => i);

interface PathwayView {
  phase: string;
  outcomes: Array<{ outcomeId: string; type: string }>;
  milestones: Array<{ weeks: number; status: string }>;
}
const pathwayOf = async (id: string) =>
  (await api.request('GET', `/referrals/${id}`)).json as unknown as PathwayView;

async function refer(n: number, municipality: string): Promise<string> {
  const created = await api.refer({ cpr: cpr(n), municipality, startDate: await api.today() });
  expect(created.status).toBe(201);
  return String(created.json.referralId);
}

const job = async () => ({
  type: 'job-start',
  date: await api.today(),
  hoursPerWeek: 37,
  employer: 'Kolding Bageri ApS',
});

/** Ten requests at once; each answer as status and body. */
async function tenAtOnce(send: () => Promise<{ status: number; text: string }>) {
  const answers = await Promise.all(TEN.map(() => send()));
  return answers.map((a) => ({ status: a.status, body: a.text }));
}

const sustainmentsOf = (referralId: string) =>
  runtime.executions().filter((e) => e.name.startsWith('sustain-') && e.input.includes(referralId));

describe('a repeated Idempotency-Key, sent ten times at once', () => {
  it('answers every referral with the first answer, and refers the citizen once', async () => {
    // Prepare
    const startDate = await api.today();
    // Act
    const answers = await tenAtOnce(() =>
      api.refer({ cpr: cpr(1100), municipality: '621', startDate }, { 'Idempotency-Key': 'race-referral' }),
    );
    // Assess
    expect(answers.map((a) => a.status)).toEqual(TEN.map(() => 201));
    expect(new Set(answers.map((a) => a.body)).size).toBe(1);
  });

  it('answers every drop-out with the first answer, never "Forløbet er afsluttet"', async () => {
    // Prepare
    const id = await refer(1110, '851');
    const dropout = { type: 'dropout', date: await api.today() };
    // Act
    const answers = await tenAtOnce(() =>
      api.request('POST', `/referrals/${id}/outcomes`, dropout, { 'Idempotency-Key': 'race-dropout' }),
    );
    // Assess
    expect(answers.map((a) => a.status)).toEqual(TEN.map(() => 201));
    expect(new Set(answers.map((a) => a.body)).size).toBe(1);
    expect((await pathwayOf(id)).outcomes).toHaveLength(1);
  });

  it('answers every job start with the first answer and records one job', async () => {
    // Prepare
    const id = await refer(1120, '621');
    const body = await job();
    // Act
    const answers = await tenAtOnce(() =>
      api.request('POST', `/referrals/${id}/outcomes`, body, { 'Idempotency-Key': 'race-job' }),
    );
    // Assess
    expect(answers.map((a) => a.status)).toEqual(TEN.map(() => 201));
    expect(new Set(answers.map((a) => a.body)).size).toBe(1);
    expect((await pathwayOf(id)).outcomes).toHaveLength(1);
  });

  it('answers every confirmation with the first answer, never "Milepælen er allerede besvaret"', async () => {
    // Prepare: a job start, then 13 weeks on to its first milestone.
    const id = await refer(1130, '851');
    expect((await api.request('POST', `/referrals/${id}/outcomes`, await job())).status).toBe(201);
    await runtime.settle();
    await api.advance(13 * 7);
    expect((await pathwayOf(id)).milestones).toMatchObject([{ weeks: 13, status: 'awaiting-confirmation' }]);
    // Act
    const answers = await tenAtOnce(() =>
      api.request(
        'POST',
        `/referrals/${id}/confirmations`,
        { milestone: 13, employed: true },
        { 'Idempotency-Key': 'race-confirmation' },
      ),
    );
    // Assess
    expect(answers.map((a) => a.status)).toEqual(TEN.map(() => 201));
    expect(new Set(answers.map((a) => a.body)).size).toBe(1);
  });
});

describe('ten job starts at once, without a key', () => {
  it('records one job with one sustainment run and refuses the others with 409', async () => {
    // Prepare
    const id = await refer(1200, '621');
    const body = await job();
    // Act
    const answers = await tenAtOnce(() => api.request('POST', `/referrals/${id}/outcomes`, body));
    await runtime.settle();
    // Assess
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    const refused = answers.filter((a) => a.status !== 201);
    expect(refused.map((a) => a.status)).toEqual(TEN.slice(1).map(() => 409));
    for (const answer of refused) expect(answer.body).toContain('Borgeren er allerede i et job');
    const pathway = await pathwayOf(id);
    expect(pathway.outcomes.filter((o) => o.type === 'job-start')).toHaveLength(1);
    expect(sustainmentsOf(id).map((e) => e.name)).toEqual([`sustain-${pathway.outcomes[0]?.outcomeId}`]);
  });
});

describe('a job start after the first job ended', () => {
  it('is recorded once a milestone has said the first job ended', async () => {
    // Prepare: a job, and its 13-week milestone answered "ended".
    const id = await refer(1250, '851');
    expect((await api.request('POST', `/referrals/${id}/outcomes`, await job())).status).toBe(201);
    await runtime.settle();
    const during = await api.request('POST', `/referrals/${id}/outcomes`, await job());
    await api.advance(13 * 7);
    const ended = await api.request('POST', `/referrals/${id}/confirmations`, {
      milestone: 13,
      employed: false,
      endedOn: await api.today(),
    });
    // Act
    const next = await api.request('POST', `/referrals/${id}/outcomes`, {
      ...(await job()),
      employer: 'Andet firma',
    });
    await runtime.settle();
    // Assess
    expect(during.status).toBe(409);
    expect(ended.status).toBe(201);
    expect(next.status).toBe(201);
    expect(sustainmentsOf(id).map((e) => e.name)).toContain(`sustain-${next.json.outcomeId}`);
  });
});

describe('a drop-out after a job start', () => {
  it('stops the job’s sustainment run with the pathway', async () => {
    // Prepare: a job that is followed (its sustainment waits for the 13-week milestone).
    const id = await refer(1300, '851');
    expect((await api.request('POST', `/referrals/${id}/outcomes`, await job())).status).toBe(201);
    await runtime.settle();
    expect(sustainmentsOf(id).map((e) => e.status)).toEqual(['RUNNING']);
    // Act
    await api.advance(10);
    const dropout = await api.request('POST', `/referrals/${id}/outcomes`, {
      type: 'dropout',
      date: await api.today(),
    });
    await runtime.settle();
    // Assess
    expect(dropout.status).toBe(201);
    expect(sustainmentsOf(id).map((e) => e.status)).toEqual(['ABORTED']);
  });
});
