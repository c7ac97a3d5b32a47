import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type FaultKind, type FaultPlan, faultKinds } from '../../local/faults.ts';
import { type LocalRuntime, startLocalRuntime } from '../../local/runtime.ts';
import { sustainedJobPayments } from '../prices.ts';
import { Api, cpr, Identities } from './local-system.ts';

/**
 * Faults survived, proven: whole pathways on the embedded default while DynamoDB throttles and fails, Lambdas
 * die after their work or time out, the stream delivers batches twice and SNS fails, each fault on its own and
 * then all at once. Every pathway must end where it would have without faults, with every outcome kept, every
 * result paid exactly once and finance told exactly once per payment. One runtime runs the scenarios one after
 * another, its fault plan replaced for each (local/faults.ts); the harness counts what it injected, and each
 * scenario asserts that its faults did strike.
 */
let runtime: LocalRuntime;
let api: Api;

beforeAll(async () => {
  // Each scenario refers two citizens in each of two municipalities, and finished pathways keep their place:
  // room for all of them. The handlers read the scale when they are first loaded, after the runtime started.
  process.env.PROGRAMME_SCALE = '10';
  // Injected failures are logged by the handlers and the runtime as they would be on AWS; not in the test output.
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
  runtime = await startLocalRuntime({ port: 0, log: () => {}, handlerLogLevel: 'ERROR', faults: {} });
  api = new Api(runtime.url, new Identities(runtime));
});

afterAll(async () => {
  await runtime?.stop();
  delete process.env.PROGRAMME_SCALE;
});

const ALDBORG = '851';
const FREDERIKSBERG = '147';

interface PathwayView {
  phase: string;
  closedReason: string | null;
  outcomes: Array<{ outcomeId: string; type: string }>;
  milestones: Array<{ weeks: number; status: string }>;
  payments: Array<{ paymentId: string; rule: string; amountOere: number; payee: { kind: string } }>;
  failures: unknown[];
}

type Answer = Awaited<ReturnType<Api['request']>>;

/**
 * A client that does what a 5xx asks of it: tries again, with the same Idempotency-Key, so a write whose answer
 * was lost (a crashed Lambda: 502; an authorizer that crashed: 500; DynamoDB throttling: 503) is made once.
 */
async function persist(send: () => Promise<Answer>): Promise<Answer> {
  for (let attempt = 1; ; attempt++) {
    const answer = await send();
    if (answer.status < 500 || attempt === 10) return answer;
    await new Promise((resolve) => setTimeout(resolve, 20 * attempt));
  }
}

let keys = 0;
function post(as: Api, path: string, body: unknown): Promise<Answer> {
  const key = `faults-${++keys}`;
  return persist(() => as.request('POST', path, body, { 'Idempotency-Key': key }));
}

const caseworker = (municipality: string) => api.as({ role: 'caseworker', municipality });
const employmentActor = (municipality: string) => api.as({ role: 'employment-actor', municipality });
const programme = () => api.as({ role: 'programme' });

async function today(): Promise<string> {
  const { json } = await persist(() => api.request('GET', '/_local/clock'));
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Copenhagen' }).format(
    new Date(String(json.now)),
  );
}

async function pathwayOf(id: string): Promise<PathwayView> {
  const answer = await persist(() => programme().request('GET', `/referrals/${id}`));
  expect(answer.status).toBe(200);
  return answer.json as unknown as PathwayView;
}

async function refer(n: number, municipality: string): Promise<string> {
  const created = await post(caseworker(municipality), '/referrals', {
    cpr: cpr(n),
    municipality,
    startDate: await today(),
    name: 'Anna Hansen',
    benefit: 'kontanthjaelp',
    rateGroup: '30-plus-without-children',
    readiness: 'aktivitetsparat',
    weeksOnBenefit: 30,
  });
  expect(created.status).toBe(201);
  return String(created.json.referralId);
}

async function recordOutcome(id: string, municipality: string, outcome: Record<string, unknown>) {
  const answer = await post(caseworker(municipality), `/referrals/${id}/outcomes`, {
    date: await today(),
    ...outcome,
  });
  expect(answer.status).toBe(201);
}

async function confirm(id: string, municipality: string, milestone: number) {
  const answer = await post(employmentActor(municipality), `/referrals/${id}/confirmations`, {
    milestone,
    employed: true,
  });
  expect(answer.status).toBe(201);
}

/**
 * The payments each pathway must have at the end: rule, payee and amount, each exactly once, priced by the rate
 * card for the jobs' start date (test/prices.ts).
 */
const fullJob = (date: string) => sustainedJobPayments(date);
const partialJob = (date: string) => sustainedJobPayments(date, { partial: true });

/**
 * Four citizens in two municipalities: a full-time job (three results; the accelerator's share needs an
 * accelerator company in its 2019–2020 cohort, company-placement.test.ts, so none is paid here),
 * a partial job (three results), a drop-out in induction (nothing paid) and a pathway that runs on its phase
 * timers alone, through induction and tracking to its end. Sustained milestones are confirmed when they open.
 */
async function runPathways(first: number) {
  const full = await refer(first, ALDBORG);
  const partial = await refer(first + 1, FREDERIKSBERG);
  const dropout = await refer(first + 2, FREDERIKSBERG);
  const timersOnly = await refer(first + 3, ALDBORG);

  await runtime.advanceClock(30);
  const jobDate = await today();
  await recordOutcome(full, ALDBORG, {
    type: 'job-start',
    hoursPerWeek: 37,
    employer: 'Limfjordens Grønt ApS',
  });
  await recordOutcome(partial, FREDERIKSBERG, { type: 'job-start', hoursPerWeek: 12, employer: 'Café Ø' });
  for (const weeks of [13, 26]) {
    await runtime.advanceClock(13 * 7);
    await confirm(full, ALDBORG, weeks);
    await confirm(partial, FREDERIKSBERG, weeks);
  }
  // Day 212: training (184 days) is over, the third citizen is in induction when they drop out.
  expect((await pathwayOf(dropout)).phase).toBe('induction');
  await recordOutcome(dropout, FREDERIKSBERG, { type: 'dropout' });
  // Past the 26-week confirmation deadline, and past the end of the timer-only pathway's tracking (day 552).
  await runtime.advanceClock(35);
  await runtime.advanceClock(320);
  return { full, partial, dropout, timersOnly, jobDate };
}

const runKind = (name: string) =>
  name.startsWith('payment-') ? 'payment' : name.startsWith('sustain-') ? 'sustainment' : 'timer';

/** What every scenario must end with, faults or not. */
async function assessPathways(ids: Awaited<ReturnType<typeof runPathways>>) {
  // A job start stops the training timer and starts tracking's; it is paid at the start and at 13 and 26 weeks,
  // each result in its own payment run, and followed by one sustainment run.
  const jobRuns = [
    'timer ABORTED',
    'timer SUCCEEDED',
    'payment SUCCEEDED',
    'payment SUCCEEDED',
    'payment SUCCEEDED',
    'sustainment SUCCEEDED',
  ];
  const expected = [
    {
      id: ids.full,
      closedReason: 'completed',
      outcomes: ['job-start'],
      payments: fullJob(ids.jobDate),
      runs: jobRuns,
    },
    {
      id: ids.partial,
      closedReason: 'completed',
      outcomes: ['job-start'],
      payments: partialJob(ids.jobDate),
      runs: jobRuns,
    },
    {
      id: ids.dropout,
      closedReason: 'dropout',
      outcomes: ['dropout'],
      payments: [],
      // Training's timer ran out, induction's was stopped by the drop-out, whose payment run found nothing due.
      runs: ['timer SUCCEEDED', 'timer ABORTED', 'payment SUCCEEDED'],
    },
    {
      id: ids.timersOnly,
      closedReason: 'completed',
      outcomes: [],
      payments: [],
      runs: ['timer SUCCEEDED', 'timer SUCCEEDED', 'timer SUCCEEDED'],
    },
  ];
  for (const pathway of expected) {
    const view = await pathwayOf(pathway.id);
    // Every pathway completes, with its outcomes once each (none lost, none doubled) and no failure recorded.
    expect(view).toMatchObject({ phase: 'closed', closedReason: pathway.closedReason, failures: [] });
    expect(view.outcomes.map((o) => o.type)).toEqual(pathway.outcomes);
    const jobs = pathway.payments.length > 0;
    expect(view.milestones.map((m) => [m.weeks, m.status])).toEqual(
      jobs
        ? [
            [13, 'confirmed'],
            [26, 'confirmed'],
          ]
        : [],
    );
    // Every result paid exactly once, to each of its payees.
    expect(view.payments.map((p) => [p.rule, p.payee.kind, p.amountOere]).sort()).toEqual(
      [...pathway.payments].sort(),
    );
    // Finance told exactly once per payment.
    const notified = runtime.inbox
      .map((message) => message.messageAttributes?.paymentId)
      .filter((paymentId) => paymentId?.startsWith(`${pathway.id}.`));
    expect(notified.sort()).toEqual(view.payments.map((p) => p.paymentId).sort());
    // Each run once, and ended as it should: succeeded, or stopped because an outcome moved the pathway on.
    const runs = runtime
      .executions()
      .filter((e) => e.name.startsWith(pathway.id) || e.input.includes(pathway.id))
      .map((e) => `${runKind(e.name)} ${e.status}`);
    expect(runs.sort()).toEqual([...pathway.runs].sort());
  }
  // The lists' read side (the second stream consumer) agrees: each pathway closed with nothing to do, and the
  // phase counts, moved once per change however often a record came, equal the summaries listed.
  for (const municipality of [ALDBORG, FREDERIKSBERG]) {
    const list = (
      await api.as({ role: 'programme' }).request('GET', `/referrals?municipality=${municipality}&limit=100`)
    ).json as unknown as {
      counts: { phases: Record<string, number> }[];
      items: { referralId: string; phase: string; tasks: number }[];
    };
    const mine = [ids.full, ids.partial, ids.dropout, ids.timersOnly].filter((id) =>
      list.items.some((item) => item.referralId === id),
    );
    expect(mine.length).toBe(2);
    for (const id of mine) {
      expect(list.items.find((item) => item.referralId === id)).toMatchObject({ phase: 'closed', tasks: 0 });
    }
    const byPhase: Record<string, number> = {};
    for (const item of list.items) byPhase[item.phase] = (byPhase[item.phase] ?? 0) + 1;
    expect(list.counts[0]?.phases).toEqual(byPhase);
  }
}

const scenarios: Array<{ name: string; plan: FaultPlan; strikes: FaultKind[] }> = [
  {
    name: 'DynamoDB throttling, writes whose answer is lost, and a write failing for good after a publish',
    plan: {
      seed: 11,
      // Within the SDK's four attempts at a request, which it makes for throttling and 5xx alike.
      dynamodbThrottle: { rate: 0.05 },
      // The SDK sends the write again; DynamoDB must not apply it twice (transactions carry a token, conditions
      // refuse a repeat).
      dynamodbAmbiguous: { rate: 0.2 },
      // Every third UpdateItem (the only one is the payment's "notified" mark, written after the publish) fails
      // on all four of the SDK's attempts: the handler, not Step Functions, must try the mark again.
      dynamodbError: { every: 3, times: 4, only: ['UpdateItem'] },
    },
    strikes: ['dynamodbThrottle', 'dynamodbAmbiguous', 'dynamodbError'],
  },
  {
    name: 'Lambdas that crash after their work',
    plan: { seed: 13, lambdaCrash: { rate: 0.3 } },
    strikes: ['lambdaCrash'],
  },
  {
    name: 'Lambdas that time out after their work',
    plan: { seed: 14, lambdaTimeout: { rate: 0.3 } },
    strikes: ['lambdaTimeout'],
  },
  {
    name: 'every stream batch delivered twice',
    plan: { seed: 15, streamRedelivery: { every: 1 } },
    strikes: ['streamRedelivery'],
  },
  {
    name: 'SNS failing publishes past the SDK’s retries',
    // A struck notification fails all three of the SDK's attempts; Step Functions runs the task again.
    plan: { seed: 16, snsError: { rate: 0.5, times: 3 } },
    strikes: ['snsError'],
  },
  {
    name: 'all of them at once',
    plan: {
      seed: 17,
      dynamodbThrottle: { rate: 0.03, times: 2 },
      // 5xx on any operation, within the SDK's retries.
      dynamodbError: { rate: 0.05, times: 2 },
      dynamodbAmbiguous: { rate: 0.1 },
      lambdaCrash: { rate: 0.1 },
      lambdaTimeout: { rate: 0.1 },
      streamRedelivery: { rate: 0.3 },
      snsError: { rate: 0.3, times: 3 },
    },
    strikes: [...faultKinds],
  },
];

describe('whole pathways under injected faults', () => {
  scenarios.forEach(({ name, plan, strikes }, index) => {
    it(`completes every pathway, loses no outcome and pays and notifies once: ${name}`, async () => {
      // Prepare
      const faults = runtime.faults;
      if (!faults) throw new Error('The runtime was started without fault injection');
      faults.setPlan(plan);

      // Act
      const ids = await runPathways(600 + index * 10);
      const injected = faults.injected();
      faults.setPlan({});

      // Assess: the faults struck, and nothing shows it.
      for (const kind of strikes) expect(injected[kind], kind).toBeGreaterThan(0);
      await assessPathways(ids);
    });
  });
});
