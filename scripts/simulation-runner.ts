import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { Role } from '#domain/access';
import { addDays, danishDate, type IsoDate } from '#domain/dates';
import { formatDkk } from '#domain/money';
import type { ReferralView } from '../functions/shared/referral-view.ts';
import type { LocalRuntime } from '../local/runtime.ts';
import {
  businessCaseTable,
  type CitizenProfile,
  citizenRandom,
  DRAWS_PER_STEP,
  decideMilestone,
  decideStep,
  distributeCitizens,
  drawProfile,
  employerName,
  formatSeconds,
  type GivenAnswer,
  interleave,
  nextLook,
  type Occupation,
  type Phase,
  programmeScale,
  type Random,
  type SimulationOptions,
} from './simulation.ts';

/** Finance notifications are the inbox's messages that carry a payment id (reminders share the inbox). */
function financeMessages(inbox: ReadonlyArray<{ messageAttributes?: Record<string, string> }>): number {
  return inbox.filter((message) => message.messageAttributes?.paymentId !== undefined).length;
}

/**
 * The I/O half of `npm run simulate`: starts the embedded runtime in this process, refers the citizens over
 * HTTP, moves the runtime's clock step by step and records at each step what the citizens' draws say. Every
 * effect (phase changes, payments, milestones, notifications) is the system's own; the script only reads it.
 */

/** Past this much simulated time something in the system keeps running that should have ended. */
const MAX_SIMULATED_DAYS = 4 * 366;
/** A 409 "Prøv igen" is the API's answer to a transaction that kept conflicting: a client retries it. */
const RETRY_ATTEMPTS = 6;
const RETRY_BASE_MS = 20;

export interface SimulationIo {
  log: (line: string) => void;
  /** Ctrl+C: the run stops at the next request or step and still stops the runtime. */
  signal?: AbortSignal;
}

export class UnexpectedStatusError extends Error {
  override name = 'UnexpectedStatusError';
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly expected: readonly number[],
    readonly body: string,
  ) {
    super(
      `${method} ${path} answered ${status}, expected ${expected.join(' or ')}: ${body.slice(0, 500) || '(empty body)'}`,
    );
  }
}

interface Answer {
  status: number;
  text: string;
  bytes: Buffer;
}

/** Who sends a request: a role, in a municipality unless it is the programme role; or nobody (`/_local`). */
export type Actor = { role: Role; municipality?: string } | 'local';

/** Bearer tokens for the roles the simulation acts as, each user created in the local pool and signed in once. */
export type TokenSource = (actor: { role: Role; municipality?: string }) => Promise<string>;

export function localTokens(runtime: Pick<LocalRuntime, 'addUser' | 'signIn'>): TokenSource {
  const tokens = new Map<string, Promise<string>>();
  return (actor) => {
    const username = `simulering-${actor.role}${actor.municipality ? `-${actor.municipality}` : ''}`;
    let token = tokens.get(username);
    if (!token) {
      token = runtime
        .addUser({ username, role: actor.role, municipality: actor.municipality })
        .then(() => runtime.signIn(username));
      tokens.set(username, token);
    }
    return token;
  };
}

/** The API as a client sees it: every answer not in `expected` is an error, except a conflict to retry. */
export class HttpClient {
  retries = 0;
  requests = 0;
  constructor(
    private readonly baseUrl: string,
    private readonly tokens?: TokenSource,
  ) {}

  async send(
    method: string,
    urlPath: string,
    expected: readonly number[],
    options: { body?: unknown; accept?: string; as?: Actor } = {},
  ): Promise<Answer> {
    // One key per logical request, so a retried POST can never be applied twice.
    const headers: Record<string, string> = { Accept: options.accept ?? 'application/json' };
    const actor = options.as ?? 'local';
    if (actor !== 'local' && this.tokens) headers.Authorization = `Bearer ${await this.tokens(actor)}`;
    if (options.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      headers['Idempotency-Key'] = randomUUID();
    }
    for (let attempt = 1; ; attempt++) {
      this.requests += 1;
      const response = await fetch(`${this.baseUrl}${urlPath}`, {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        redirect: 'manual',
      });
      // Bytes first: the CSV starts with a byte order mark for Excel, which response.text() would drop.
      const bytes = Buffer.from(await response.arrayBuffer());
      const answer = { status: response.status, text: bytes.toString('utf8'), bytes };
      if (expected.includes(answer.status)) return answer;
      if (answer.status === 409 && answer.text.includes('Prøv igen') && attempt < RETRY_ATTEMPTS) {
        this.retries += 1;
        await new Promise((resolve) => setTimeout(resolve, RETRY_BASE_MS * 2 ** attempt * Math.random()));
        continue;
      }
      throw new UnexpectedStatusError(method, urlPath, answer.status, expected, answer.text);
    }
  }

  async json<T>(method: string, urlPath: string, expected: number, as: Actor, body?: unknown): Promise<T> {
    const answer = await this.send(method, urlPath, [expected], { body, as });
    try {
      return JSON.parse(answer.text) as T;
    } catch {
      throw new Error(
        `${method} ${urlPath} answered ${answer.status} without JSON: ${answer.text.slice(0, 200)}`,
      );
    }
  }
}

/** Runs `work` for every item, at most `limit` at once; the first failure rejects once those in flight end. */
export async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
  signal?: AbortSignal,
): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (!failure && next < items.length) {
      const item = items[next++] as T;
      try {
        signal?.throwIfAborted();
        await work(item);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure) throw failure.error;
}

interface Citizen {
  profile: CitizenProfile;
  referralId: string;
  steps: Random;
  milestoneDraws: Random;
  phase: Phase;
  occupation: Occupation;
  /** The job the citizen holds as far as this run knows, and the last day it was known to go on. */
  currentJob: { outcomeId: string; knownUntil: IsoDate } | undefined;
  /** Milestones this run has answered (or chosen to leave unanswered), `<outcomeId>:<weeks>`. */
  answers: Map<string, GivenAnswer>;
  /** Read the pathway on the first step on or after this day (see nextLook). */
  lookOn: IsoDate;
  placed: boolean;
  done: boolean;
}

export interface Activity {
  referred: number;
  dropouts: number;
  jobStarts: number;
  partialJobStarts: number;
  acceleratorJobStarts: number;
  educationStarts: number;
  placements: number;
  milestonesConfirmed: number;
  milestonesEnded: number;
  milestonesLeftUnanswered: number;
}

type PaymentView = ReferralView['payments'][number];

const caseRow = z.object({
  key: z.string(),
  name: z.string(),
  places: z.number(),
  citizens: z.number(),
  paidOere: z.number(),
  municipalSavingsOere: z.number(),
  netOere: z.number(),
  paybackMonth: z.number().nullable(),
  fundsNextCohort: z.boolean(),
});
/** The part of GET /business-case the summary prints; the rest is written to the JSON file as it came. */
const businessCaseAnswer = z.looseObject({
  unpriced: z.number().optional(),
  businessCase: z.looseObject({
    programme: caseRow,
    clusters: z.array(caseRow),
    municipalities: z.array(caseRow),
  }),
});

export interface SimulationResult {
  options: SimulationOptions;
  scale: number;
  firstDay: IsoDate;
  lastDay: IsoDate;
  activity: Activity;
  payments: number;
  paidOere: number;
  notifications: number;
  /** The programme's paid total as printed, from GET /business-case. */
  printedPaidOere: number;
  summary: string;
  jsonPath: string;
  htmlPath: string;
  /** The business case for Danish Excel (semicolons, decimal comma, byte order mark). */
  csvPath: string;
  warnings: string[];
  /** Where the wall time went: start-up, referring, moving the clock (workflows), the steps' HTTP, the report. */
  timings: {
    startupMs: number;
    referMs: number;
    clockMs: number;
    httpMs: number;
    reportMs: number;
    totalMs: number;
  };
  http: { requests: number; retries: number };
}

export async function runSimulation(options: SimulationOptions, io: SimulationIo): Promise<SimulationResult> {
  const started = Date.now();
  const scale = programmeScale(options.citizens);
  // The handlers read PROGRAMME_SCALE when they are first loaded, which is after the runtime has started.
  process.env.PROGRAMME_SCALE = String(scale);
  const { startLocalRuntime } = await import('../local/runtime.ts');
  const runtimeLog: string[] = [];
  io.log(`Starting the local system (CDK synthesis and DynamoDB Local)…`);
  const runtime = await startLocalRuntime({
    port: 0,
    // Finance notifications are counted from runtime.inbox; anything else the runtime says is a warning.
    log: (line) => {
      if (!line.trimStart().startsWith('📨')) runtimeLog.push(line.trim());
    },
    handlerLogLevel: 'ERROR',
  });
  try {
    return await drive(runtime, options, scale, io, runtimeLog, started);
  } finally {
    await runtime.stop();
  }
}

async function drive(
  runtime: LocalRuntime,
  options: SimulationOptions,
  scale: number,
  io: SimulationIo,
  runtimeLog: string[],
  started: number,
): Promise<SimulationResult> {
  const startupMs = Date.now() - started;
  const http = new HttpClient(runtime.url, localTokens(runtime));
  // The simulation acts as the partnership's users: each municipality's caseworker refers and records outcomes,
  // its employment actor places and confirms, and the programme managers read the payments and business case.
  const programme: Actor = { role: 'programme' };
  const caseworkerOf = (c: { profile: CitizenProfile }): Actor => ({
    role: 'caseworker',
    municipality: c.profile.municipality.code,
  });
  const actorOf = (c: { profile: CitizenProfile }): Actor => ({
    role: 'employment-actor',
    municipality: c.profile.municipality.code,
  });
  const p = options.probabilities;
  const activity: Activity = {
    referred: 0,
    dropouts: 0,
    jobStarts: 0,
    partialJobStarts: 0,
    acceleratorJobStarts: 0,
    educationStarts: 0,
    placements: 0,
    milestonesConfirmed: 0,
    milestonesEnded: 0,
    milestonesLeftUnanswered: 0,
  };
  let clockMs = 0;
  let httpMs = 0;
  let referMs = 0;
  const timed = async <T>(work: () => Promise<T>, add: (ms: number) => void): Promise<T> => {
    const t = Date.now();
    try {
      return await work();
    } finally {
      add(Date.now() - t);
    }
  };

  const firstDay = danishDate(
    new Date((await http.json<{ now: string }>('GET', '/_local/clock', 200, 'local')).now),
  );
  const allocations = distributeCitizens(options.citizens, scale);
  const profiles = interleave(allocations).map((m, index) => drawProfile(index, m, options));
  io.log(
    `Referring ${profiles.length} citizens to ${allocations.filter((a) => a.citizens > 0).length} municipalities (places × ${scale}) from ${firstDay}, seed ${options.seed}…`,
  );

  const citizens: Citizen[] = [];
  await timed(
    () =>
      forEachLimited(
        profiles,
        options.concurrency,
        async (profile) => {
          const created = await http.json<ReferralView>(
            'POST',
            '/referrals',
            201,
            caseworkerOf({ profile }),
            {
              cpr: profile.cpr,
              name: profile.name,
              benefit: profile.benefit,
              rateGroup: profile.rateGroup,
              readiness: profile.readiness,
              weeksOnBenefit: profile.weeksOnBenefit,
              startDate: addDays(firstDay, profile.startOffsetDays),
            },
          );
          activity.referred += 1;
          citizens.push({
            profile,
            referralId: created.referralId,
            steps: citizenRandom(options.seed, profile.index, 'steps'),
            milestoneDraws: citizenRandom(options.seed, profile.index, 'milestones'),
            phase: created.phase,
            occupation: 'searching',
            currentJob: undefined,
            answers: new Map(),
            lookOn: firstDay,
            placed: false,
            done: false,
          });
        },
        io.signal,
      ),
    (ms) => {
      referMs += ms;
    },
  );
  // Referrals finish in any order; the citizens' own order keeps the requests in the same order every run.
  citizens.sort((a, b) => a.profile.index - b.profile.index);

  /** Reads the pathway and does what its state asks for: answer open milestones, place the induction. */
  async function look(c: Citizen, today: IsoDate): Promise<void> {
    const base = `/referrals/${c.referralId}`;
    const view = await http.json<ReferralView>('GET', base, 200, actorOf(c));
    c.phase = view.phase;

    for (const m of view.milestones) {
      const key = `${m.outcomeId}:${m.weeks}`;
      if (m.status !== 'awaiting-confirmation' || c.answers.has(key)) continue;
      const job = c.currentJob?.outcomeId === m.outcomeId ? c.currentJob : undefined;
      const answer = decideMilestone(
        [c.milestoneDraws(), c.milestoneDraws()],
        p,
        job?.knownUntil ?? m.dueOn,
        today,
      );
      c.answers.set(key, answer.answer);
      if (answer.answer === 'unanswered') {
        activity.milestonesLeftUnanswered += 1;
        continue;
      }
      const employed = answer.answer === 'employed';
      await http.send('POST', `${base}/confirmations`, [201], {
        as: actorOf(c),
        body: {
          outcomeId: m.outcomeId,
          milestone: m.weeks,
          employed,
          ...(answer.answer === 'ended' ? { endedOn: answer.endedOn } : {}),
        },
      });
      if (employed) {
        activity.milestonesConfirmed += 1;
        if (job) job.knownUntil = m.dueOn;
      } else {
        activity.milestonesEnded += 1;
        if (job) {
          c.currentJob = undefined;
          c.occupation = 'searching';
        }
      }
    }

    if (c.phase === 'induction' && !c.placed) {
      const actor = c.profile.municipality.employmentActor.name;
      await http.send('POST', `${base}/placement`, [201], {
        as: actorOf(c),
        body: c.profile.acceleratorPlacement
          ? {
              type: 'accelerator-company',
              company: employerName(c.profile.municipality, c.profile.index, true),
              supportPerson: `Støtteperson, ${actor}`,
            }
          : { type: 'own-company', company: `${actor}, socialøkonomisk virksomhed` },
      });
      c.placed = true;
      activity.placements += 1;
    }

    const next = nextLook(view, c.answers);
    c.done = c.phase === 'closed' && next === null;
    // An open phase always has an end, so null means closed; were it not, the next step looks again.
    c.lookOn = next ?? today;
  }

  async function visit(c: Citizen, today: IsoDate): Promise<void> {
    // Drawn whatever happens, so the citizen's stream lines up step for step from run to run.
    const draws = Array.from({ length: DRAWS_PER_STEP }, () => c.steps());
    if (today >= c.lookOn) await look(c, today);
    if (c.done || c.phase === 'closed') return;

    const decision = decideStep(c.phase, c.occupation, draws, p, options.stepDays);
    if (!decision) return;
    const body =
      decision.type === 'job-start'
        ? {
            type: 'job-start',
            date: today,
            hoursPerWeek: decision.hoursPerWeek,
            employer: employerName(
              c.profile.municipality,
              Math.floor((draws[3] ?? 0) * 1000),
              decision.hiredByAcceleratorCompany,
            ),
            hiredByAcceleratorCompany: decision.hiredByAcceleratorCompany,
          }
        : { type: decision.type, date: today };
    const recorded = await http.json<{ outcomeId: string; phase: Phase }>(
      'POST',
      `/referrals/${c.referralId}/outcomes`,
      201,
      caseworkerOf(c),
      body,
    );
    c.phase = recorded.phase;
    // The outcome moved the phase and its end: read the pathway again at the next step.
    c.lookOn = today;
    if (decision.type === 'dropout') {
      activity.dropouts += 1;
    } else if (decision.type === 'education-start') {
      activity.educationStarts += 1;
      c.occupation = 'in-education';
      // Followed at its milestones like a job (an answer that it ended dates the end from what is known).
      c.currentJob = { outcomeId: recorded.outcomeId, knownUntil: today };
    } else {
      activity.jobStarts += 1;
      if (decision.hoursPerWeek < 15) activity.partialJobStarts += 1;
      if (decision.hiredByAcceleratorCompany) activity.acceleratorJobStarts += 1;
      c.currentJob = { outcomeId: recorded.outcomeId, knownUntil: today };
      c.occupation = 'in-job';
    }
  }

  let now = new Date();
  let steps = 0;
  for (;;) {
    io.signal?.throwIfAborted();
    now = await timed(
      () => runtime.advanceClock(options.stepDays),
      (ms) => {
        clockMs += ms;
      },
    );
    steps += 1;
    const today = danishDate(now);
    const active = citizens.filter((c) => !c.done);
    await timed(
      () => forEachLimited(active, options.concurrency, (c) => visit(c, today), io.signal),
      (ms) => {
        httpMs += ms;
      },
    );
    const running = runtime.executions().filter((e) => e.status === 'RUNNING').length;
    if (steps % Math.max(1, Math.round(91 / options.stepDays)) === 0) {
      io.log(
        `  ${today}: ${active.length} pathways followed, ${running} executions running (${formatSeconds(Date.now() - started)})`,
      );
    }
    if (citizens.every((c) => c.done) && running === 0) break;
    if (steps * options.stepDays > MAX_SIMULATED_DAYS) {
      throw new Error(
        `After ${steps * options.stepDays} simulated days, ${citizens.filter((c) => !c.done).length} pathways and ${running} executions are still running; something does not come to rest`,
      );
    }
  }
  await runtime.settle();
  const lastDay = danishDate(now);

  const reportStarted = Date.now();
  const payments = await http.json<PaymentView[]>('GET', '/payments', 200, programme);
  const paidOere = payments.reduce((sum, pay) => sum + pay.amountOere, 0);

  const warnings: string[] = [];
  const failed = runtime.executions().filter((e) => e.status !== 'SUCCEEDED' && e.status !== 'ABORTED');
  if (failed.length > 0) {
    warnings.push(
      `${failed.length} executions did not succeed: ${failed
        .slice(0, 5)
        .map((e) => `${e.name} ${e.status}`)
        .join(', ')}`,
    );
  }
  const financeNotifications = financeMessages(runtime.inbox);
  if (financeNotifications !== payments.length) {
    warnings.push(`${payments.length} payments but ${financeNotifications} finance notifications`);
  }
  for (const line of runtimeLog.slice(0, 10)) warnings.push(`runtime: ${line}`);
  if (runtimeLog.length > 10) warnings.push(`runtime: … and ${runtimeLog.length - 10} more lines`);

  const query = `?start=${firstDay}&horizonYears=${options.horizonYears}`;
  const businessCase = await http.json<unknown>('GET', `/business-case${query}`, 200, programme);
  const parsed = businessCaseAnswer.safeParse(businessCase);
  if (!parsed.success) {
    throw new Error(
      `GET /business-case answered a shape the simulation does not know: ${parsed.error.message}`,
    );
  }
  const bc = parsed.data.businessCase;
  const summary = businessCaseTable(bc);
  const printedPaidOere = bc.programme.paidOere;
  if (printedPaidOere !== paidOere) {
    warnings.push(
      `The business case's programme paid ${formatDkk(printedPaidOere)}, GET /payments sums to ${formatDkk(paidOere)} (payments due after the horizon are left out of the business case)`,
    );
  }
  if (parsed.data.unpriced) {
    warnings.push(`The business case could not price ${parsed.data.unpriced} citizens`);
  }
  const html = (
    await http.send('GET', `/business-case${query}`, [200], { accept: 'text/html', as: programme })
  ).text;
  const csv = (
    await http.send('GET', `/business-case${query}&format=csv`, [200], {
      accept: 'text/csv',
      as: programme,
    })
  ).bytes;

  const base = `simulation-${options.citizens}-seed${options.seed}`;
  const outDir = path.resolve(options.outDir);
  await mkdir(outDir, { recursive: true });
  const jsonPath = path.join(outDir, `${base}.json`);
  const htmlPath = path.join(outDir, `${base}.html`);
  const csvPath = path.join(outDir, `${base}.csv`);
  const reportMs = Date.now() - reportStarted;
  const timings = { startupMs, referMs, clockMs, httpMs, reportMs, totalMs: Date.now() - started };
  const httpStats = { requests: http.requests, retries: http.retries };
  await writeFile(
    jsonPath,
    `${JSON.stringify(
      {
        generatedAt: new Date().toISOString(),
        options,
        programmeScale: scale,
        firstDay,
        lastDay,
        steps,
        activity,
        payments: { count: payments.length, paidOere, amount: formatDkk(paidOere) },
        notifications: financeMessages(runtime.inbox),
        warnings,
        timings,
        http: httpStats,
        summary: [...bc.municipalities, ...bc.clusters, bc.programme],
        businessCase,
      },
      null,
      2,
    )}\n`,
  );
  await writeFile(htmlPath, html);
  await writeFile(csvPath, csv);

  return {
    options,
    scale,
    firstDay,
    lastDay,
    activity,
    payments: payments.length,
    paidOere,
    notifications: financeMessages(runtime.inbox),
    printedPaidOere,
    summary,
    jsonPath,
    htmlPath,
    csvPath,
    warnings,
    timings,
    http: httpStats,
  };
}

export function describeRun(result: SimulationResult): string {
  const a = result.activity;
  const t = result.timings;
  return [
    `Simulated ${result.firstDay} to ${result.lastDay}: ${a.referred} referred, ${a.dropouts} drop-outs, ${a.jobStarts} job starts (${a.partialJobStarts} partial, ${a.acceleratorJobStarts} with an accelerator company), ${a.educationStarts} education starts, ${a.placements} induction placements.`,
    `Milestones: ${a.milestonesConfirmed} confirmed employed, ${a.milestonesEnded} job ended, ${a.milestonesLeftUnanswered} left unanswered.`,
    `Payments: ${result.payments} (${formatDkk(result.paidOere)}), finance notifications: ${result.notifications}.`,
    `HTTP: ${result.http.requests} requests, ${result.http.retries} retried after a 409 "Prøv igen".`,
    `Time: start-up ${formatSeconds(t.startupMs)}, referrals ${formatSeconds(t.referMs)}, clock ${formatSeconds(t.clockMs)}, steps' HTTP ${formatSeconds(t.httpMs)}, report ${formatSeconds(t.reportMs)}.`,
  ].join('\n');
}
