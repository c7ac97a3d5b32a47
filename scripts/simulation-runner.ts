import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { type CompanyStage, companyStages, findCohort, isFinalStage } from '#domain/accelerator';
import type { Role } from '#domain/access';
import type { KpiPoint } from '#domain/company-kpis';
import { danishDate, daysBetween, type IsoDate } from '#domain/dates';
import { formatDkk } from '#domain/money';
import { activeAcceleratorStages } from '#domain/placement';
import { municipalities } from '#domain/programme';
import type { ReferralView } from '../functions/shared/referral-view.ts';
import type { LocalRuntime } from '../local/runtime.ts';
import {
  actorCvr,
  businessCaseTable,
  type CitizenProfile,
  COMPANY_DRAWS_PER_STEP,
  type CompanyAction,
  type CompanyProfile,
  citizenRandom,
  companyCvr,
  companyRandom,
  DRAWS_PER_STEP,
  decideCompanyStep,
  decideMilestone,
  decideStep,
  distributeCitizens,
  drawCompanies,
  drawProfile,
  employerName,
  formatSeconds,
  type GivenAnswer,
  interleave,
  invitationDay,
  kpiFigures,
  nextLook,
  type Occupation,
  type Phase,
  pickCompany,
  programmeScale,
  type Random,
  referralDay,
  type SimulationOptions,
  trainingStart,
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

/**
 * Past this much simulated time something in the system keeps running that should have ended: four years from the
 * last cluster's year (a pathway's two years, its last milestones, and the companies' 22 months fit well within).
 */
function maxSimulatedDays(firstDay: IsoDate): number {
  const lastYear = Math.max(...municipalities.map((m) => m.clusterYear));
  return Math.max(0, daysBetween(firstDay, `${lastYear}-01-01`)) + 4 * 366;
}
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

/**
 * Who sends a request: a role, in a municipality unless it is the programme role (a company's contact also names
 * its company's CVR number); or nobody (`/_local`).
 */
export type Actor = { role: Role; municipality?: string; company?: string } | 'local';

/** Bearer tokens for the roles the simulation acts as, each user created in the local pool and signed in once. */
export type TokenSource = (actor: { role: Role; municipality?: string; company?: string }) => Promise<string>;

export function localTokens(runtime: Pick<LocalRuntime, 'addUser' | 'signIn'>): TokenSource {
  const tokens = new Map<string, Promise<string>>();
  return (actor) => {
    const username = `simulering-${actor.role}${actor.municipality ? `-${actor.municipality}` : ''}${actor.company ? `-${actor.company}` : ''}`;
    let token = tokens.get(username);
    if (!token) {
      token = runtime
        .addUser({ username, role: actor.role, municipality: actor.municipality, company: actor.company })
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

/** A company as this run follows it: its stage as the cohort page shows it, and what has been done about it. */
interface Company {
  profile: CompanyProfile;
  /** Invited into its cohort on this day (see invitationDay); until then it has no journey. */
  inviteOn: IsoDate;
  invited: boolean;
  steps: Random;
  stage: CompanyStage;
  selectionRecorded: boolean;
  camps: Set<IsoDate>;
  modelRecorded: boolean;
  verificationTried: boolean;
  kpis: Set<KpiPoint>;
  /** Citizens this run placed with or hired into it, for its KPIs. */
  hired: number;
}

export interface Activity {
  referred: number;
  dropouts: number;
  jobStarts: number;
  partialJobStarts: number;
  /** Job starts named with a company that was an accelerator company of the municipality that day. */
  acceleratorJobStarts: number;
  educationStarts: number;
  placements: number;
  /** Of the placements, those with an accelerator company (the rest: the employment actor's own). */
  acceleratorPlacements: number;
  milestonesConfirmed: number;
  milestonesEnded: number;
  milestonesLeftUnanswered: number;
}

/** The companies' side of the run. */
export interface CompanyActivity {
  /** Companies registered: the accelerator companies and each employment actor's own. */
  registered: number;
  /** Accelerator companies invited into their cluster's cohort. */
  invited: number;
  selected: number;
  notSelected: number;
  completed: number;
  withdrawn: number;
  campsAttended: number;
  campsMissed: number;
  socialModelsRecorded: number;
  socialModelsVerified: number;
  /** Verifications the system refused (409) because the model was not implemented. */
  verificationsRefused: number;
  kpiReports: number;
  payments: number;
  paidOere: number;
}

const paymentRow = z.looseObject({
  kind: z.enum(['citizen', 'company']).optional(),
  amountOere: z.number(),
});
const paymentsAnswer = z.array(paymentRow);

const sideRow = z.looseObject({ paidOere: z.number(), municipalSavingsOere: z.number() });
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
  sides: z.object({ 'employment-actor': sideRow, 'social-accelerator': sideRow }),
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

const cohortAnswer = z.looseObject({
  companies: z.array(z.looseObject({ cvr: z.string(), stage: z.enum(companyStages) })),
});

export interface SimulationResult {
  options: SimulationOptions;
  scale: number;
  firstDay: IsoDate;
  lastDay: IsoDate;
  activity: Activity;
  companies: CompanyActivity;
  /** Every payment, both sides. */
  payments: number;
  paidOere: number;
  notifications: number;
  /** The programme's paid total as printed, from GET /business-case. */
  printedPaidOere: number;
  /** The programme's two sides as the business case gives them. */
  sides: Record<
    'employment-actor' | 'social-accelerator',
    { paidOere: number; municipalSavingsOere: number }
  >;
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
  io.log(`Starting the local system on ${options.start} (CDK synthesis and DynamoDB Local)…`);
  const runtime = await startLocalRuntime({
    port: 0,
    // Before the first cohort's boot camp, so that companies can be invited and go the whole journey.
    startDate: options.start,
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

const EVIDENCE: Record<string, string> = {
  'induction-plan': 'Indslusningsplan gennemgået på camp',
  'value-creating-tasks': 'Opgaveliste med værdiskabende opgaver',
  'buddies-trained': 'Buddykursus gennemført',
  'model-documented': 'Modellen beskrevet i virksomhedens håndbog',
  'model-known-to-partners': 'Modellen præsenteret for partnerskabet',
};

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
  // its employment actor names itself, registers its own company, places and confirms; the fund's accelerator
  // staff register, invite and run the companies; each company's contact reports its KPIs; the programme
  // managers read the cohorts, payments and business case.
  const programme: Actor = { role: 'programme' };
  const caseworkerOf = (c: { profile: CitizenProfile }): Actor => ({
    role: 'caseworker',
    municipality: c.profile.municipality.code,
  });
  const actorOf = (c: { profile: CitizenProfile }): Actor => ({
    role: 'employment-actor',
    municipality: c.profile.municipality.code,
  });
  const acceleratorIn = (municipality: string): Actor => ({ role: 'accelerator', municipality });
  const p = options.probabilities;
  const activity: Activity = {
    referred: 0,
    dropouts: 0,
    jobStarts: 0,
    partialJobStarts: 0,
    acceleratorJobStarts: 0,
    educationStarts: 0,
    placements: 0,
    acceleratorPlacements: 0,
    milestonesConfirmed: 0,
    milestonesEnded: 0,
    milestonesLeftUnanswered: 0,
  };
  const companyActivity: CompanyActivity = {
    registered: 0,
    invited: 0,
    selected: 0,
    notSelected: 0,
    completed: 0,
    withdrawn: 0,
    campsAttended: 0,
    campsMissed: 0,
    socialModelsRecorded: 0,
    socialModelsVerified: 0,
    verificationsRefused: 0,
    kpiReports: 0,
    payments: 0,
    paidOere: 0,
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
  const companyProfiles = drawCompanies(allocations, scale, options);
  const withCitizens = allocations.filter((a) => a.citizens > 0);
  io.log(
    `${profiles.length} citizens in ${withCitizens.length} municipalities (places × ${scale}), ${companyProfiles.length} accelerator companies, from ${firstDay}, seed ${options.seed}…`,
  );

  // The partnerships: each employment actor names itself and registers its own company; the accelerator staff
  // write the partner plan, register the accelerator companies and invite them into the cluster's cohort.
  const ownCompany = new Map<string, string>();
  await timed(
    () =>
      forEachLimited(
        withCitizens,
        options.concurrency,
        async ({ municipality: m }) => {
          const actor: Actor = { role: 'employment-actor', municipality: m.code };
          const staff = acceleratorIn(m.code);
          await http.send('POST', '/partnership/employment-actor', [200, 201], {
            as: actor,
            body: {
              name: m.employmentActor.name,
              cvr: actorCvr(m.code),
              contactName: `Kontaktperson, ${m.employmentActor.name}`,
              basedOnVersion: 0,
            },
          });
          const own = companyCvr(m.code, 0);
          await http.send('POST', '/companies', [200, 201], {
            as: actor,
            body: {
              cvr: own,
              name: `${m.name} Socialøkonomiske Virksomhed`,
              contactName: `Leder, ${m.name} Socialøkonomiske Virksomhed`,
              socialEconomy: 'registered',
              size: 'small',
              ownedByEmploymentActor: true,
            },
          });
          ownCompany.set(m.code, own);
          companyActivity.registered += 1;
          const cohort = companyProfiles.find((c) => c.municipality.code === m.code)?.cohortId;
          const reviews = cohort ? findCohort(cohort) : undefined;
          await http.send('POST', '/partnership/plan', [200, 201], {
            as: staff,
            body: {
              basedOnVersion: 0,
              needs: [
                { partner: 'Kommunen (jobcentret)', needs: 'Flere borgere i ordinær beskæftigelse' },
                { partner: 'Virksomhederne', needs: 'Medarbejdere og en social model, der holder' },
              ],
              roles: [
                { partner: 'Beskæftigelsesaktøren', role: 'Rekruttering, indslusning og én indgang' },
                { partner: 'Fonden', role: 'Faciliterer partnerskabet og driver acceleratoren' },
              ],
              contacts: [
                { partner: 'Beskæftigelsesaktøren', name: `Kontaktperson, ${m.employmentActor.name}` },
              ],
              reviewDates: reviews ? [reviews.accelerator.start, reviews.followUp.start] : [],
              note: 'Skrevet af simuleringen',
            },
          });
          for (const company of companyProfiles.filter((c) => c.municipality.code === m.code)) {
            await http.send('POST', '/companies', [200, 201], {
              as: staff,
              body: {
                cvr: company.cvr,
                name: company.name,
                contactName: `Kontaktperson, ${company.name}`,
                socialEconomy: 'unregistered',
                size: company.size,
                ownedByEmploymentActor: false,
              },
            });
            companyActivity.registered += 1;
          }
        },
        io.signal,
      ),
    (ms) => {
      referMs += ms;
    },
  );
  const companies: Company[] = companyProfiles.map((profile) => ({
    profile,
    inviteOn: invitationDay(
      findCohort(profile.cohortId) ?? { recruitment: { start: firstDay, end: firstDay } },
      firstDay,
    ),
    invited: false,
    steps: companyRandom(options.seed, profile.index, 'steps'),
    stage: 'invited',
    selectionRecorded: false,
    camps: new Set(),
    modelRecorded: false,
    verificationTried: false,
    kpis: new Set(),
    hired: 0,
  }));
  const cohortIds = [...new Set(companies.map((c) => c.profile.cohortId))].sort();

  /** The accelerator staff invite the companies whose cohort's recruitment has opened. */
  async function invite(today: IsoDate): Promise<void> {
    const due = companies.filter((c) => !c.invited && c.inviteOn <= today);
    await forEachLimited(
      due,
      options.concurrency,
      async (c) => {
        await http.send('POST', `/cohorts/${c.profile.cohortId}/companies`, [200, 201], {
          as: acceleratorIn(c.profile.municipality.code),
          body: { cvr: c.profile.cvr },
        });
        c.invited = true;
        companyActivity.invited += 1;
      },
      io.signal,
    );
  }
  await invite(firstDay);

  /** The stored stage of every company of the run, from the cohort pages (the timers move them). */
  async function readStages(): Promise<void> {
    for (const cohortId of cohortIds) {
      if (companies.every((c) => c.profile.cohortId !== cohortId || isFinalStage(c.stage))) continue;
      const view = cohortAnswer.parse(
        await http.json<unknown>('GET', `/cohorts/${cohortId}`, 200, programme),
      );
      const stages = new Map(view.companies.map((row) => [row.cvr, row.stage]));
      for (const c of companies) {
        const stage = stages.get(c.profile.cvr);
        if (c.invited && c.profile.cohortId === cohortId && stage !== undefined) c.stage = stage;
      }
    }
  }

  /** The accelerator companies of a municipality a citizen can be placed with or hired by today. */
  const eligible = (municipality: string): Company[] =>
    companies.filter(
      (c) => c.profile.municipality.code === municipality && activeAcceleratorStages.has(c.stage),
    );

  const byCvr = (c: Company) => c.profile.cvr;

  async function act(c: Company, action: CompanyAction): Promise<void> {
    const { cvr, cohortId, municipality } = c.profile;
    const staff = acceleratorIn(municipality.code);
    const base = `/companies/${cvr}`;
    switch (action.type) {
      case 'withdraw':
        await http.send('POST', `${base}/journey/withdrawal`, [200, 201], {
          as: staff,
          body: { cohortId, date: action.date, reason: 'Simuleret: virksomheden har ikke kapacitet' },
        });
        c.stage = 'withdrawn';
        return;
      case 'select':
        await http.send('POST', `${base}/journey/selection`, [200, 201], {
          as: staff,
          body: { cohortId, selected: action.selected },
        });
        c.selectionRecorded = true;
        if (action.selected) companyActivity.selected += 1;
        else c.stage = 'not-selected';
        return;
      case 'attend':
        await http.send('POST', `${base}/journey/attendance`, [200, 201], {
          as: staff,
          body: { cohortId, campDate: action.campDate, present: action.present },
        });
        c.camps.add(action.campDate);
        if (action.present) companyActivity.campsAttended += 1;
        else companyActivity.campsMissed += 1;
        return;
      case 'social-model':
        for (const item of action.items) {
          await http.send('POST', `${base}/social-model`, [200, 201], {
            as: staff,
            body: {
              cohortId,
              item,
              status: 'done',
              evidence: EVIDENCE[item] ?? 'Dokumenteret',
              ...(item === 'buddies-trained' ? { buddies: c.profile.buddies } : {}),
            },
          });
        }
        c.modelRecorded = true;
        companyActivity.socialModelsRecorded += 1;
        return;
      case 'verify': {
        // A 409 is the system's answer for a model not implemented: the company did not finish it.
        const answer = await http.send('POST', `${base}/social-model/verification`, [200, 201, 409], {
          as: staff,
          body: { cohortId },
        });
        c.verificationTried = true;
        if (answer.status === 409) companyActivity.verificationsRefused += 1;
        else companyActivity.socialModelsVerified += 1;
        return;
      }
      case 'kpis':
        await http.send('POST', `${base}/kpis`, [200, 201], {
          as: { role: 'company', municipality: municipality.code, company: cvr },
          body: { cohortId, point: action.point, ...kpiFigures(c.profile, action.point, c.hired) },
        });
        c.kpis.add(action.point);
        companyActivity.kpiReports += 1;
        return;
      default:
        throw new Error(`Unknown company action ${JSON.stringify(action satisfies never)}`);
    }
  }

  async function visitCompany(c: Company, today: IsoDate): Promise<void> {
    // Drawn whatever happens, so the company's stream lines up step for step from run to run.
    const draws = Array.from({ length: COMPANY_DRAWS_PER_STEP }, () => c.steps());
    const cohort = findCohort(c.profile.cohortId);
    if (!cohort) return;
    const actions = decideCompanyStep(c.profile, c.stage, today, cohort, c, draws, p, options.stepDays);
    for (const action of actions) await act(c, action);
  }

  const citizens: Citizen[] = [];
  const waiting = profiles.map((profile) => ({ profile, referOn: referralDay(profile, firstDay) }));

  async function refer(profile: CitizenProfile): Promise<void> {
    const created = await http.json<ReferralView>('POST', '/referrals', 201, caseworkerOf({ profile }), {
      cpr: profile.cpr,
      name: profile.name,
      benefit: profile.benefit,
      rateGroup: profile.rateGroup,
      readiness: profile.readiness,
      weeksOnBenefit: profile.weeksOnBenefit,
      startDate: trainingStart(profile),
    });
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
      lookOn: created.phase === 'referred' ? trainingStart(profile) : firstDay,
      placed: false,
      done: false,
    });
  }

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
      const municipality = c.profile.municipality;
      // An accelerator company of the partnership that takes citizens in today, else the actor's own company.
      const company = c.profile.acceleratorPlacement
        ? pickCompany(eligible(municipality.code), c.profile.index, byCvr)
        : undefined;
      const own = ownCompany.get(municipality.code);
      if (company || own) {
        await http.send('POST', `${base}/placement`, [201], {
          as: actorOf(c),
          body: company
            ? {
                type: 'accelerator-company',
                companyCvr: company.profile.cvr,
                supportPerson: `Støtteperson, ${municipality.employmentActor.name}`,
              }
            : { type: 'own-company', companyCvr: own },
        });
        activity.placements += 1;
        if (company) activity.acceleratorPlacements += 1;
      }
      c.placed = true;
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
    // A hire drawn "with an accelerator company" names one that is such a company today, by CVR number; the
    // system decides from its record and journey that the hire is the accelerator's. Without one, an ordinary
    // employer by name.
    const employer =
      decision.type === 'job-start' && decision.hiredByAcceleratorCompany
        ? pickCompany(eligible(c.profile.municipality.code), Math.floor((draws[3] ?? 0) * 1000), byCvr)
        : undefined;
    const body =
      decision.type === 'job-start'
        ? {
            type: 'job-start',
            date: today,
            hoursPerWeek: decision.hoursPerWeek,
            ...(employer
              ? { employerCvr: employer.profile.cvr }
              : {
                  employer: employerName(c.profile.municipality, Math.floor((draws[3] ?? 0) * 1000), false),
                }),
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
      if (employer) {
        activity.acceleratorJobStarts += 1;
        employer.hired += 1;
      }
      c.currentJob = { outcomeId: recorded.outcomeId, knownUntil: today };
      c.occupation = 'in-job';
    }
  }

  const maxDays = maxSimulatedDays(firstDay);
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
    const due = waiting.filter((w) => w.referOn <= today);
    if (due.length > 0) {
      await timed(
        () => forEachLimited(due, options.concurrency, (w) => refer(w.profile), io.signal),
        (ms) => {
          referMs += ms;
        },
      );
      for (const w of due) waiting.splice(waiting.indexOf(w), 1);
      // Referrals finish in any order; the citizens' own order keeps the requests in the same order every run.
      citizens.sort((a, b) => a.profile.index - b.profile.index);
    }
    const active = citizens.filter((c) => !c.done);
    await timed(
      async () => {
        await invite(today);
        await readStages();
        // The companies first: a citizen placed or hired today finds them as they are after today's decisions.
        const running = companies.filter((c) => c.invited && !isFinalStage(c.stage));
        await forEachLimited(running, options.concurrency, (c) => visitCompany(c, today), io.signal);
        await forEachLimited(active, options.concurrency, (c) => visit(c, today), io.signal);
      },
      (ms) => {
        httpMs += ms;
      },
    );
    const running = runtime.executions().filter((e) => e.status === 'RUNNING').length;
    const journeys = companies.filter((c) => !isFinalStage(c.stage)).length;
    if (steps % Math.max(1, Math.round(91 / options.stepDays)) === 0) {
      io.log(
        `  ${today}: ${active.length} pathways and ${journeys} company journeys followed, ${running} executions running (${formatSeconds(Date.now() - started)})`,
      );
    }
    if (waiting.length === 0 && citizens.every((c) => c.done) && journeys === 0 && running === 0) break;
    if (steps * options.stepDays > maxDays) {
      throw new Error(
        `After ${steps * options.stepDays} simulated days, ${citizens.filter((c) => !c.done).length + waiting.length} pathways, ${journeys} company journeys (${companies
          .filter((c) => !isFinalStage(c.stage))
          .slice(0, 3)
          .map((c) => `${c.profile.cohortId} ${c.stage}`)
          .join(', ')}) and ${running} executions are still running (${runtime
          .executions()
          .filter((e) => e.status !== 'SUCCEEDED')
          .slice(0, 3)
          .map((e) => `${e.name} ${e.status}`)
          .join(', ')}); something does not come to rest`,
      );
    }
  }
  await runtime.settle();
  const lastDay = danishDate(now);
  for (const c of companies) {
    if (c.stage === 'completed') companyActivity.completed += 1;
    else if (c.stage === 'withdrawn') companyActivity.withdrawn += 1;
    else if (c.stage === 'not-selected') companyActivity.notSelected += 1;
  }

  const reportStarted = Date.now();
  const payments = paymentsAnswer.parse(await http.json<unknown>('GET', '/payments', 200, programme));
  const paidOere = payments.reduce((sum, pay) => sum + pay.amountOere, 0);
  const companyPayments = payments.filter((pay) => pay.kind === 'company');
  companyActivity.payments = companyPayments.length;
  companyActivity.paidOere = companyPayments.reduce((sum, pay) => sum + pay.amountOere, 0);

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
  // Both sides' payments are notified to finance once each.
  const financeNotifications = financeMessages(runtime.inbox);
  if (financeNotifications !== payments.length) {
    warnings.push(`${payments.length} payments but ${financeNotifications} finance notifications`);
  }
  for (const line of runtimeLog.slice(0, 10)) warnings.push(`runtime: ${line}`);
  if (runtimeLog.length > 10) warnings.push(`runtime: … and ${runtimeLog.length - 10} more lines`);

  // The business case begins when the first citizens' training does (it takes no start before 2019, and the months
  // before the first referral would only push the payback month back).
  const [earliestTraining = firstDay] = profiles.map(trainingStart).sort();
  // The later of the two (ISO dates sort as text).
  const [, caseStart = firstDay] = [firstDay, earliestTraining].sort();
  const query = `?start=${caseStart}&horizonYears=${options.horizonYears}`;
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
  const sides = {
    'employment-actor': {
      paidOere: bc.programme.sides['employment-actor'].paidOere,
      municipalSavingsOere: bc.programme.sides['employment-actor'].municipalSavingsOere,
    },
    'social-accelerator': {
      paidOere: bc.programme.sides['social-accelerator'].paidOere,
      municipalSavingsOere: bc.programme.sides['social-accelerator'].municipalSavingsOere,
    },
  };
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
        companies: {
          ...companyActivity,
          amount: formatDkk(companyActivity.paidOere),
        },
        payments: { count: payments.length, paidOere, amount: formatDkk(paidOere) },
        sides,
        notifications: financeNotifications,
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
    companies: companyActivity,
    payments: payments.length,
    paidOere,
    notifications: financeNotifications,
    printedPaidOere,
    sides,
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
  const co = result.companies;
  const t = result.timings;
  return [
    `Simulated ${result.firstDay} to ${result.lastDay}: ${a.referred} referred, ${a.dropouts} drop-outs, ${a.jobStarts} job starts (${a.partialJobStarts} partial, ${a.acceleratorJobStarts} with an accelerator company), ${a.educationStarts} education starts, ${a.placements} induction placements (${a.acceleratorPlacements} in accelerator companies).`,
    `Milestones: ${a.milestonesConfirmed} confirmed employed, ${a.milestonesEnded} job ended, ${a.milestonesLeftUnanswered} left unanswered.`,
    `Companies: ${co.registered} registered, ${co.invited} invited, ${co.selected} selected, ${co.notSelected} not selected, ${co.completed} completed, ${co.withdrawn} withdrawn; camps ${co.campsAttended} attended, ${co.campsMissed} missed; social models ${co.socialModelsVerified} verified, ${co.verificationsRefused} not implemented; ${co.kpiReports} KPI reports.`,
    `Payments: ${result.payments} (${formatDkk(result.paidOere)}), of which ${co.payments} company-side (${formatDkk(co.paidOere)}); finance notifications: ${result.notifications}.`,
    // formatDkk ends in "kr.", so the line ends without a full stop of its own.
    `Sides: employment actors paid ${formatDkk(result.sides['employment-actor'].paidOere)} and saved ${formatDkk(result.sides['employment-actor'].municipalSavingsOere)}; the social accelerator paid ${formatDkk(result.sides['social-accelerator'].paidOere)} and saved ${formatDkk(result.sides['social-accelerator'].municipalSavingsOere)}`,
    `HTTP: ${result.http.requests} requests, ${result.http.retries} retried after a 409 "Prøv igen".`,
    `Time: start-up ${formatSeconds(t.startupMs)}, set-up and referrals ${formatSeconds(t.referMs)}, clock ${formatSeconds(t.clockMs)}, steps' HTTP ${formatSeconds(t.httpMs)}, report ${formatSeconds(t.reportMs)}.`,
  ].join('\n');
}
