import { parseArgs } from 'node:util';
import { type Cohort, type CompanyStage, cohortOfCluster, cohorts, isFinalStage } from '#domain/accelerator';
import { type Benefit, type RateGroup, rateGroupAgeBands, type rateGroups } from '#domain/benefits';
import { type KpiPoint, kpiOpenOn, kpiPoints } from '#domain/company-kpis';
import { checkCvr } from '#domain/cvr';
import { addDays, daysBetween, type IsoDate, isIsoDate } from '#domain/dates';
import { formatDkk, type Oere } from '#domain/money';
import { type Municipality, municipalities } from '#domain/programme';
import { type SocialModelItemId, socialModelItems } from '#domain/social-model';
import { sustainmentMilestones } from '#domain/sustainment';

/**
 * The pure half of `npm run simulate`: options, the random source, who the citizens are and what happens to
 * them at each step, and how the results are printed. Everything with I/O lives in simulation-runner.ts, so
 * these rules can be tested without starting the system.
 */

/** The seed programme's places (domain/programme.ts): 9 + 9. */
export const SEED_PLACES = municipalities.reduce((sum, m) => sum + m.places, 0);
/** A month as the probabilities mean it: a twelfth of a year. */
export const DAYS_PER_MONTH = 365.25 / 12;
/** Hours a week of a job, by kind: the rate card's partial band (10–14) and a full job (15–37). */
export const PARTIAL_HOURS = { min: 10, max: 14 } as const;
export const FULL_HOURS = { min: 15, max: 37 } as const;
/** A milestone stays open 28 days (domain/sustainment.ts); a longer step could jump over it unseen. */
export const MAX_STEP_DAYS = 28;
/** The system accepts start dates up to 92 days ahead; the simulation staggers within the first month. */
export const MAX_STAGGER_DAYS = 31;
export const MAX_CITIZENS = 20_000;
/** Accelerator companies a municipality registers: its places × the programme scale, but no more than this. */
export const MAX_COMPANIES_PER_MUNICIPALITY = 20;
/** A quarter as the companies' withdrawal chance means it. */
export const DAYS_PER_QUARTER = 365.25 / 4;
/**
 * The default first day: before the 2019 cohort's recruitment ends and its boot camp begins, so that companies can
 * still be invited to it (invitations close when the boot camp begins).
 */
export const DEFAULT_START: IsoDate = '2018-09-03';

export interface Probabilities {
  /** Monthly chance of a drop-out while in training or induction. */
  dropout: number;
  /** Monthly chance of a result (job or education start) in training, induction or tracking. */
  jobStart: number;
  /** Share of job starts below the full-hours threshold (10–14 hours a week). */
  partial: number;
  /** Share of job starts with an accelerator company (and of induction placements in one). */
  accelerator: number;
  /** Share of results that are education starts rather than job starts. */
  education: number;
  /** Chance a milestone is confirmed as still employed. */
  employed: number;
  /** Chance a milestone is left unanswered (paid nothing, flagged). The rest: the job has ended. */
  unanswered: number;
  /** Share of citizens on integrationsydelse; the rest are on kontanthjælp. */
  integration: number;
  /** Share of citizens visited as aktivitetsparat; the rest are jobparat. */
  activityReady: number;
  /** Chance an invited company is selected after the boot camp. */
  selected: number;
  /** Chance a company present at a camp (per camp). */
  campAttendance: number;
  /** Chance a selected company completes every item of its social model (the rest complete three of five). */
  socialModel: number;
  /** Quarterly chance a company withdraws while its journey runs. */
  companyWithdrawal: number;
}

export interface SimulationOptions {
  seed: number;
  /** The runtime's first day (the clock starts there). */
  start: IsoDate;
  citizens: number;
  stepDays: number;
  staggerDays: number;
  concurrency: number;
  horizonYears: number;
  outDir: string;
  probabilities: Probabilities;
}

/**
 * Our own assumptions; the seed sets no targets. Citizens far from the labour market: with 3 % a month about a
 * quarter drop out during the year of training and induction, and with 4 % a month about two in five reach a
 * job or education start by the end of tracking. Most jobs that start also last (80 % per milestone).
 */
export const DEFAULT_PROBABILITIES: Probabilities = {
  dropout: 0.03,
  jobStart: 0.04,
  partial: 0.25,
  accelerator: 0.3,
  education: 0.15,
  employed: 0.8,
  unanswered: 0.05,
  integration: 0.2,
  activityReady: 0.7,
  selected: 0.85,
  campAttendance: 0.9,
  socialModel: 0.7,
  companyWithdrawal: 0.03,
};

export const DEFAULT_OPTIONS: SimulationOptions = {
  seed: 1,
  start: DEFAULT_START,
  citizens: SEED_PLACES,
  stepDays: 7,
  staggerDays: 30,
  concurrency: 8,
  horizonYears: 5,
  outDir: 'simulation-output',
  probabilities: DEFAULT_PROBABILITIES,
};

/** Rate groups within each benefit, weighted roughly as the caseloads are (most are 30+ without children). */
export const RATE_GROUP_WEIGHTS: {
  readonly [B in Benefit]: ReadonlyArray<readonly [(typeof rateGroups)[B][number], number]>;
} = {
  kontanthjaelp: [
    ['30-plus-without-children', 0.5],
    ['30-plus-with-children', 0.25],
    ['under-30-living-away', 0.15],
    ['under-30-living-with-parents', 0.1],
  ],
  integrationsydelse: [
    ['non-parent', 0.5],
    ['parent', 0.25],
    ['single-parent', 0.15],
    ['under-30-living-with-parents', 0.1],
  ],
};

export type Random = () => number;

/** mulberry32: a tiny, fast 32-bit PRNG, good enough for a simulation and identical on every machine. */
export function mulberry32(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** murmur3's finalizer: spreads nearby inputs (seed 1, citizen 2) over the whole 32-bit range. */
function mix32(h: number): number {
  let x = h >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

export type Stream = 'profile' | 'steps' | 'milestones' | 'company-profile' | 'company-steps';
const STREAM_IDS: Record<Stream, number> = {
  profile: 1,
  steps: 2,
  milestones: 3,
  'company-profile': 4,
  'company-steps': 5,
};

/**
 * Each citizen draws from streams of its own. HTTP calls run concurrently and finish in any order; if all
 * citizens shared one generator, the order of draws (and so the run) would depend on the scheduler.
 */
export function citizenRandom(seed: number, citizen: number, stream: Stream): Random {
  return mulberry32(mix32(mix32(seed ^ Math.imul(citizen + 1, 0x9e3779b1)) ^ STREAM_IDS[stream]));
}

/** A company's streams: its traits, and its steps (company n is not citizen n: the stream ids differ). */
export function companyRandom(seed: number, company: number, stream: 'profile' | 'steps'): Random {
  return citizenRandom(seed, company, stream === 'profile' ? 'company-profile' : 'company-steps');
}

/** The same monthly chance, spread over a step of `stepDays`, so the step size does not change the rates. */
export function perStep(monthly: number, stepDays: number): number {
  return 1 - (1 - monthly) ** (stepDays / DAYS_PER_MONTH);
}

function pick<T>(weights: ReadonlyArray<readonly [T, number]>, u: number): T {
  const total = weights.reduce((sum, [, w]) => sum + w, 0);
  let x = u * total;
  for (const [value, w] of weights) {
    if (x < w) return value;
    x -= w;
  }
  const last = weights.at(-1);
  if (!last) throw new RangeError('Nothing to pick from');
  return last[0];
}

/** A whole number from min to max inclusive. */
function between(u: number, min: number, max: number): number {
  return min + Math.min(max - min, Math.floor(u * (max - min + 1)));
}

export class UsageError extends Error {
  override name = 'UsageError';
}

const PROBABILITY_FLAGS: ReadonlyArray<readonly [flag: string, key: keyof Probabilities, help: string]> = [
  ['dropout', 'dropout', 'monthly chance of dropping out in training or induction'],
  ['job-start', 'jobStart', 'monthly chance of a job or education start (training to tracking)'],
  ['partial', 'partial', 'share of job starts of 10–14 hours a week (a partial result)'],
  ['accelerator', 'accelerator', 'share of job starts and induction placements with an accelerator company'],
  ['education', 'education', 'share of results that are education starts'],
  ['employed', 'employed', 'chance a 13/26-week milestone is confirmed as still in work'],
  ['unanswered', 'unanswered', 'chance a milestone is left unanswered; the rest: the job has ended'],
  ['integration', 'integration', 'share of citizens on integrationsydelse (the rest: kontanthjælp)'],
  ['activity-ready', 'activityReady', 'share of citizens who are aktivitetsparat (the rest: jobparat)'],
  ['selected', 'selected', 'chance an invited company is selected after the boot camp'],
  ['camp-attendance', 'campAttendance', 'chance a company in the accelerator is present at a camp'],
  ['social-model', 'socialModel', 'chance a selected company completes its whole social model'],
  ['company-withdrawal', 'companyWithdrawal', 'quarterly chance a company withdraws from its journey'],
];

export function helpText(): string {
  const d = DEFAULT_OPTIONS;
  const option = (flag: string, text: string) => `  ${flag.padEnd(20)}${text}`;
  const more = (text: string) => `${' '.repeat(22)}${text}`;
  return [
    'Usage: npm run simulate -- [options]',
    '',
    'Runs the programme through the real workflows and handlers of the embedded local runtime: refers the',
    'citizens over HTTP, moves the clock in steps and records at each step what the random draws say happens',
    '(drop-outs, job and education starts, induction placements, milestone answers). Phase changes, payments,',
    "milestones and notifications are the system's own. Prints the business case per municipality and writes",
    'it as JSON, HTML and CSV.',
    '',
    'Options:',
    option('--seed N', `random seed, 0–4294967295 (default ${d.seed}); the same seed makes the same choices`),
    option('--start DATE', `first day, YYYY-MM-DD, before ${FIRST_BOOT_CAMP} (default ${d.start})`),
    more("companies are invited to their cluster's cohort when its recruitment opens (1 September the"),
    more("year before); citizens are referred on 1 January of their cluster's year (cluster 1: 2019,"),
    more('cluster 2: 2020), training starts staggered as below'),
    option('--citizens N', `citizens to refer, 1–${MAX_CITIZENS} (default ${d.citizens}, the seed's places)`),
    more(`above ${SEED_PLACES}, places are multiplied by ceil(N / ${SEED_PLACES}) (PROGRAMME_SCALE) and the`),
    more('citizens spread over the municipalities in proportion to their places; each municipality with'),
    more(
      `citizens registers places × scale accelerator companies (at most ${MAX_COMPANIES_PER_MUNICIPALITY}) and its own company`,
    ),
    option('--step-days N', `days the clock moves per step, 1–${MAX_STEP_DAYS} (default ${d.stepDays})`),
    option(
      '--stagger-days N',
      `training starts spread over 1 January + 0..N days, 0–${MAX_STAGGER_DAYS} (default ${d.staggerDays})`,
    ),
    option('--concurrency N', `HTTP requests in flight at once, 1–64 (default ${d.concurrency})`),
    option('--horizon-years N', `business case horizon in years, 1–10 (default ${d.horizonYears})`),
    option('--out DIR', `folder for the JSON, HTML and CSV (default ${d.outDir})`),
    option('-h, --help', 'this text'),
    '',
    'Probabilities, each from 0 to 1:',
    ...PROBABILITY_FLAGS.map(([flag, key, help]) =>
      option(`--${flag} P`, `${help} (default ${d.probabilities[key]})`),
    ),
    '',
    'Also drawn per citizen: weeks on benefit at referral, uniformly 0–52, and the rate group, weighted:',
    ...(Object.keys(RATE_GROUP_WEIGHTS) as Benefit[]).flatMap((b) => [
      `  ${b}:`,
      ...RATE_GROUP_WEIGHTS[b].map(([group, weight]) => `    ${group} ${weight}`),
    ]),
    `Job hours are uniform: ${PARTIAL_HOURS.min}–${PARTIAL_HOURS.max} for a partial job, ${FULL_HOURS.min}–${FULL_HOURS.max} for a full one. A citizen whose job ended at`,
    'a milestone may find another while the pathway is in tracking.',
  ].join('\n');
}

/** The first cohort's boot camp: companies are invited before it, so the run starts before it. */
export const FIRST_BOOT_CAMP: IsoDate = firstBootCamp();
function firstBootCamp(): IsoDate {
  const [first] = cohorts.map((cohort) => cohort.bootCamp.start).sort();
  if (first === undefined) throw new RangeError('The calendar has no cohorts');
  return first;
}
/** A year before the first cohort's boot camp: earlier only adds idle steps. */
export const EARLIEST_START: IsoDate = addDays(FIRST_BOOT_CAMP, -366);

export type ParsedArgs = { help: true } | { help: false; options: SimulationOptions };

/** Reads the command line; anything unknown or out of range is a UsageError naming the flag. */
export function parseSimulationArgs(argv: readonly string[]): ParsedArgs {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        help: { type: 'boolean', short: 'h' },
        seed: { type: 'string' },
        start: { type: 'string' },
        citizens: { type: 'string' },
        'step-days': { type: 'string' },
        'stagger-days': { type: 'string' },
        concurrency: { type: 'string' },
        'horizon-years': { type: 'string' },
        out: { type: 'string' },
        ...Object.fromEntries(PROBABILITY_FLAGS.map(([flag]) => [flag, { type: 'string' as const }])),
      },
    }));
  } catch (error) {
    // parseArgs says what is wrong ("Unknown option '--x'"); the help says what is right.
    throw new UsageError(`${(error as Error).message}. Run with --help for the options.`);
  }
  if (values.help === true) return { help: true };

  const d = DEFAULT_OPTIONS;
  const text = (flag: string): string | undefined => {
    const value = values[flag];
    return typeof value === 'string' ? value : undefined;
  };
  const whole = (flag: string, fallback: number, min: number, max: number): number => {
    const raw = text(flag);
    if (raw === undefined) return fallback;
    const n = /^\d+$/.test(raw.trim()) ? Number(raw) : Number.NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max) {
      throw new UsageError(`--${flag} must be a whole number from ${min} to ${max}, got '${raw}'`);
    }
    return n;
  };
  const probability = (flag: string, fallback: number): number => {
    const raw = text(flag);
    if (raw === undefined) return fallback;
    const p = /^\s*(\d+(\.\d*)?|\.\d+)\s*$/.test(raw) ? Number(raw) : Number.NaN;
    if (!(p >= 0 && p <= 1))
      throw new UsageError(`--${flag} must be a probability from 0 to 1, got '${raw}'`);
    return p;
  };

  const probabilities = Object.fromEntries(
    PROBABILITY_FLAGS.map(([flag, key]) => [key, probability(flag, d.probabilities[key])]),
  ) as unknown as Probabilities;
  if (probabilities.employed + probabilities.unanswered > 1) {
    throw new UsageError(
      `--employed (${probabilities.employed}) and --unanswered (${probabilities.unanswered}) are shares of one answer and must not add up to more than 1`,
    );
  }
  // A monthly chance of 1 would leave nothing for the other events of the same month.
  if (probabilities.dropout + probabilities.jobStart > 1) {
    throw new UsageError(
      '--dropout and --job-start are monthly chances of one month and must not add up to more than 1',
    );
  }
  const outDir = text('out') ?? d.outDir;
  if (outDir.trim() === '') throw new UsageError('--out must name a folder');
  const start = text('start') ?? d.start;
  if (!isIsoDate(start)) throw new UsageError(`--start must be a date YYYY-MM-DD, got '${start}'`);
  if (start < EARLIEST_START || start >= FIRST_BOOT_CAMP) {
    throw new UsageError(
      `--start must be from ${EARLIEST_START} and before ${FIRST_BOOT_CAMP}, when the first cohort's boot camp begins and invitations close; got '${start}'`,
    );
  }

  return {
    help: false,
    options: {
      seed: whole('seed', d.seed, 0, 0xffff_ffff),
      start,
      citizens: whole('citizens', d.citizens, 1, MAX_CITIZENS),
      stepDays: whole('step-days', d.stepDays, 1, MAX_STEP_DAYS),
      staggerDays: whole('stagger-days', d.staggerDays, 0, MAX_STAGGER_DAYS),
      concurrency: whole('concurrency', d.concurrency, 1, 64),
      horizonYears: whole('horizon-years', d.horizonYears, 1, 10),
      outDir,
      probabilities,
    },
  };
}

/** The whole number every municipality's places are multiplied by so that `citizens` fit. */
export function programmeScale(citizens: number): number {
  return Math.max(1, Math.ceil(citizens / SEED_PLACES));
}

export interface Allocation {
  municipality: Municipality;
  capacity: number;
  citizens: number;
}

/**
 * Citizens per municipality in proportion to its places (largest remainder, ties to the earlier row in the
 * seed's table). A share of N × places / 18 never rounds above places × ceil(N / 18), so capacity holds.
 */
export function distributeCitizens(
  citizens: number,
  scale: number = programmeScale(citizens),
  table: readonly Municipality[] = municipalities,
): Allocation[] {
  const totalPlaces = table.reduce((sum, m) => sum + m.places, 0);
  if (citizens > totalPlaces * scale) {
    throw new RangeError(`${citizens} citizens do not fit in ${totalPlaces * scale} places`);
  }
  const quotas = table.map((m, index) => {
    const exact = (citizens * m.places) / totalPlaces;
    return { index, floor: Math.floor(exact), remainder: exact - Math.floor(exact) };
  });
  const counts = quotas.map((q) => q.floor);
  let left = citizens - counts.reduce((sum, n) => sum + n, 0);
  const byRemainder = [...quotas].sort((a, b) => b.remainder - a.remainder || a.index - b.index);
  for (const q of byRemainder) {
    if (left === 0) break;
    counts[q.index] = (counts[q.index] ?? 0) + 1;
    left -= 1;
  }
  return table.map((municipality, i) => ({
    municipality,
    capacity: municipality.places * scale,
    citizens: counts[i] ?? 0,
  }));
}

/**
 * The order citizens are referred in: one from each municipality in turn, so that the concurrent referrals
 * mostly land on different municipalities' capacity counters instead of contending for one.
 */
export function interleave(allocations: readonly Allocation[]): Municipality[] {
  const order: Municipality[] = [];
  const max = Math.max(0, ...allocations.map((a) => a.citizens));
  for (let round = 0; round < max; round++) {
    for (const a of allocations) if (round < a.citizens) order.push(a.municipality);
  }
  return order;
}

/**
 * A CPR number that passes the format and date check, distinct for every index below 33,600: the day and month
 * run through 336 combinations (days 1–28, so every year has them) and the year through 100. The API checks the
 * birth date against the rate group's age band, so a citizen in an under-30 group (`young`) is born in 2004–2007
 * (7th digit 4: the 2000s); the others are born from 1940 on, 30 or over for the first 20,160 indexes.
 */
export function cprFor(index: number, young = false): string {
  const day = (index % 28) + 1;
  const month = (Math.floor(index / 28) % 12) + 1;
  const year = (40 + Math.floor(index / 336)) % 100;
  const serial = index % 10_000;
  const two = (n: number) => String(n).padStart(2, '0');
  if (young) {
    const youngYear = 4 + (Math.floor(index / 336) % 4);
    return `${two(day)}${two(month)}${two(youngYear)}-4${String(serial % 1000).padStart(3, '0')}`;
  }
  return `${two(day)}${two(month)}${two(year)}-${String(serial).padStart(4, '0')}`;
}

export interface CitizenProfile {
  index: number;
  municipality: Municipality;
  name: string;
  cpr: string;
  benefit: Benefit;
  rateGroup: RateGroup;
  readiness: 'jobparat' | 'aktivitetsparat';
  weeksOnBenefit: number;
  /** Days after the first day that training starts. */
  startOffsetDays: number;
  /** Induction in an accelerator company (with a support person) rather than the actor's own company. */
  acceleratorPlacement: boolean;
}

/**
 * The first day of a citizen's training: the first of January of its cluster's year (cluster 1: 2019, cluster 2:
 * 2020), staggered by its offset, so that its company induction (months 7–12) falls in its cohort's accelerator.
 */
export function trainingStart(profile: Pick<CitizenProfile, 'municipality' | 'startOffsetDays'>): IsoDate {
  return addDays(`${profile.municipality.clusterYear}-01-01`, profile.startOffsetDays);
}

/**
 * The day a citizen is referred: the first of January of its cluster's year, or the first day if that is later.
 * Not before: the business case starts no earlier than 2019 and not after the month of the first referral. The
 * step that refers it may come a few days after its training start; the API takes a start up to 31 days back,
 * more than a step (28 days at most).
 */
export function referralDay(profile: Pick<CitizenProfile, 'municipality'>, firstDay: IsoDate): IsoDate {
  const day = `${profile.municipality.clusterYear}-01-01`;
  return day < firstDay ? firstDay : day;
}

export function drawProfile(
  index: number,
  municipality: Municipality,
  options: Pick<SimulationOptions, 'seed' | 'staggerDays' | 'probabilities'>,
): CitizenProfile {
  const u = citizenRandom(options.seed, index, 'profile');
  const p = options.probabilities;
  const benefit: Benefit = u() < p.integration ? 'integrationsydelse' : 'kontanthjaelp';
  const rateGroup = pick(RATE_GROUP_WEIGHTS[benefit], u());
  return {
    index,
    municipality,
    name: `Simuleret borger ${index + 1}`,
    cpr: cprFor(index, rateGroupAgeBands[benefit][rateGroup]?.maxAge !== undefined),
    benefit,
    rateGroup,
    readiness: u() < p.activityReady ? 'aktivitetsparat' : 'jobparat',
    weeksOnBenefit: between(u(), 0, 52),
    startOffsetDays: between(u(), 0, options.staggerDays),
    acceleratorPlacement: u() < p.accelerator,
  };
}

export type Phase = 'referred' | 'training' | 'induction' | 'tracking' | 'closed';

/** Where the citizen stands as the simulation sees it: looking for work, or in a job or education. */
export type Occupation = 'searching' | 'in-job' | 'in-education';

export type OutcomeDecision =
  | { type: 'dropout' }
  | { type: 'education-start' }
  | { type: 'job-start'; hoursPerWeek: number; hiredByAcceleratorCompany: boolean };

/** How many numbers a step draws, whatever the citizen's state, so that every step draws the same amount. */
export const DRAWS_PER_STEP = 5;

/**
 * What happens to a citizen in one step. Training and induction can end in a drop-out or a result; tracking
 * only in a result (a citizen whose pathway moved to tracking on a job has one already, unless it ended).
 * The step's draws are taken in full up front so the stream stays aligned across states.
 */
export function decideStep(
  phase: Phase,
  occupation: Occupation,
  draws: readonly number[],
  probabilities: Probabilities,
  stepDays: number,
): OutcomeDecision | null {
  if (draws.length < DRAWS_PER_STEP) throw new RangeError(`A step needs ${DRAWS_PER_STEP} draws`);
  const [event = 1, kind = 1, partial = 1, hours = 0, accelerator = 1] = draws;
  const inProgramme = phase === 'training' || phase === 'induction';
  if (!inProgramme && phase !== 'tracking') return null;
  if (occupation !== 'searching') return null;
  const pDropout = inProgramme ? perStep(probabilities.dropout, stepDays) : 0;
  const pResult = perStep(probabilities.jobStart, stepDays);
  if (event < pDropout) return { type: 'dropout' };
  if (event >= pDropout + pResult) return null;
  if (kind < probabilities.education) return { type: 'education-start' };
  const band = partial < probabilities.partial ? PARTIAL_HOURS : FULL_HOURS;
  return {
    type: 'job-start',
    hoursPerWeek: between(hours, band.min, band.max),
    hiredByAcceleratorCompany: accelerator < probabilities.accelerator,
  };
}

export type MilestoneAnswer =
  | { answer: 'employed' }
  | { answer: 'ended'; endedOn: IsoDate }
  | { answer: 'unanswered' };

/**
 * The answer to an open milestone. A job that ended did so between `from` (the job start or the last
 * confirmed milestone) and today, never in the future.
 */
export function decideMilestone(
  draws: readonly [number, number],
  probabilities: Pick<Probabilities, 'employed' | 'unanswered'>,
  from: IsoDate,
  today: IsoDate,
): MilestoneAnswer {
  const [answer, when] = draws;
  if (answer < probabilities.unanswered) return { answer: 'unanswered' };
  if (answer < probabilities.unanswered + probabilities.employed) return { answer: 'employed' };
  const span = Math.max(0, daysBetween(from, today));
  return { answer: 'ended', endedOn: addDays(from, between(when, 0, span)) };
}

/** A milestone as GET /referrals/{id} lists it once the sustainment workflow has opened it. */
export interface SeenMilestone {
  outcomeId: string;
  weeks: number;
  deadlineOn: IsoDate;
  status: 'awaiting-confirmation' | 'confirmed' | 'job-ended' | 'unconfirmed';
}

export type GivenAnswer = MilestoneAnswer['answer'];

/**
 * The next day on which reading the pathway can show something new about a job, or null when its milestones
 * have run their course. A milestone appears when it falls due (the domain's 13/26-week rule); one left
 * unanswered changes once more, the day after its deadline. `answers` holds what this run answered since the
 * view was read, keyed `<outcomeId>:<weeks>`.
 */
export function jobNextLook(
  job: { outcomeId: string; date: IsoDate },
  milestones: readonly SeenMilestone[],
  answers: ReadonlyMap<string, GivenAnswer>,
): IsoDate | null {
  for (const plan of sustainmentMilestones(job.date)) {
    const seen = milestones.find((m) => m.outcomeId === job.outcomeId && m.weeks === plan.weeks);
    if (!seen) return plan.dueOn;
    const answer = answers.get(`${job.outcomeId}:${plan.weeks}`);
    const status = answer === 'employed' ? 'confirmed' : answer === 'ended' ? 'job-ended' : seen.status;
    if (status === 'awaiting-confirmation') return addDays(seen.deadlineOn, 1);
    if (status !== 'confirmed') return null;
  }
  return null;
}

/**
 * The next day the citizen's pathway needs reading: when its phase timer moves it, or when one of its jobs
 * has a milestone to see. Between those days nothing but this run's own requests can change it, so reading it
 * at every step would only cost time (GETs were 85 % of a 1,000-citizen run). Null: nothing more will happen.
 */
export function nextLook(
  view: {
    phase: Phase;
    phaseEndsOn: IsoDate | null;
    outcomes: ReadonlyArray<{ outcomeId: string; type: string; date: IsoDate }>;
    milestones: readonly SeenMilestone[];
  },
  answers: ReadonlyMap<string, GivenAnswer>,
): IsoDate | null {
  const days: IsoDate[] = [];
  if (view.phase !== 'closed' && view.phaseEndsOn) days.push(view.phaseEndsOn);
  for (const outcome of view.outcomes) {
    // Jobs and educations are both followed at their milestones.
    if (outcome.type !== 'job-start' && outcome.type !== 'education-start') continue;
    const day = jobNextLook(outcome, view.milestones, answers);
    if (day) days.push(day);
  }
  return days.sort()[0] ?? null;
}

/** CVR weights (domain/cvr.ts): a number is valid when the weighted sum of its eight digits is divisible by 11. */
const CVR_WEIGHTS = [2, 7, 6, 5, 4, 3, 2, 1] as const;

/**
 * The valid CVR number with these seven leading digits (first digit not 0), or null when none is: the last
 * digit has weight 1, so it is what makes the sum divisible by 11, unless that would be 10.
 */
export function completeCvr(first7: string): string | null {
  if (!/^[1-9]\d{6}$/.test(first7)) throw new RangeError(`Seven digits, the first not 0: '${first7}'`);
  const sum = [...first7].reduce((total, digit, i) => total + Number(digit) * (CVR_WEIGHTS[i] ?? 0), 0);
  const check = (11 - (sum % 11)) % 11;
  return check === 10 ? null : `${first7}${check}`;
}

/**
 * A made-up CVR number for party `n` (0–999) of a municipality: a leading digit, the kommunekode and `n`, then
 * the check digit. Where a leading digit gives no valid number the next is tried, so every (municipality, n) has
 * one, distinct from every other's, the same on every run. Party 0 is the employment actor's own company,
 * 1–999 accelerator companies; the employment actor itself is `actorCvr`.
 */
export function companyCvr(municipalityCode: string, n: number): string {
  if (!/^\d{3}$/.test(municipalityCode) || !Number.isInteger(n) || n < 0 || n > 999) {
    throw new RangeError(`No CVR number for party ${n} of ${municipalityCode}`);
  }
  // Leading digits 2–9: the local demo's own CVR numbers start with 1.
  for (let lead = 2; lead <= 9; lead++) {
    const cvr = completeCvr(`${lead}${municipalityCode}${String(n).padStart(3, '0')}`);
    if (cvr && checkCvr(cvr).ok) return cvr;
  }
  throw new RangeError(`No CVR number for party ${n} of ${municipalityCode}`);
}

/** The employment actor's own CVR number (a party number no company of the simulation uses). */
export function actorCvr(municipalityCode: string): string {
  return companyCvr(municipalityCode, 999);
}

/** Accelerator companies a municipality registers: its places × the scale, at most the cap. */
export function companiesPerMunicipality(places: number, scale: number): number {
  return Math.min(MAX_COMPANIES_PER_MUNICIPALITY, places * scale);
}

export interface CompanyProfile {
  /** Across the programme, in registration order: the company's random streams are keyed by it. */
  index: number;
  municipality: Municipality;
  cohortId: string;
  cvr: string;
  name: string;
  size: 'micro' | 'small' | 'medium';
  /** Drawn up front: the accelerator's selection after the boot camp. */
  willBeSelected: boolean;
  /** Drawn up front: whether it completes all five items of its social model (else three). */
  completesModel: boolean;
  /** Staff trained as buddies, 1–5. */
  buddies: number;
  /** Revenue at the baseline in whole kroner, and full-time employees. */
  revenueKroner: number;
  fullTimeEmployees: number;
}

const COMPANY_TRADES = [
  'Café',
  'Genbrug',
  'Gartneri',
  'Cykelværksted',
  'Kantine',
  'Rengøring',
  'Trykkeri',
  'Vaskeri',
];

/**
 * The accelerator companies of every municipality with citizens, invited into its cluster's cohort: places ×
 * scale of them (capped), numbered 1, 2, … within the municipality for their CVR numbers.
 */
export function drawCompanies(
  allocations: readonly Allocation[],
  scale: number,
  options: Pick<SimulationOptions, 'seed' | 'probabilities'>,
): CompanyProfile[] {
  const companies: CompanyProfile[] = [];
  for (const allocation of allocations) {
    if (allocation.citizens === 0) continue;
    const m = allocation.municipality;
    const cohort = cohortOfCluster(m.cluster);
    if (!cohort) continue;
    const count = companiesPerMunicipality(m.places, scale);
    for (let n = 1; n <= count; n++) {
      const index = companies.length;
      const u = companyRandom(options.seed, index, 'profile');
      const trade = COMPANY_TRADES[(index + n) % COMPANY_TRADES.length] ?? 'Service';
      companies.push({
        index,
        municipality: m,
        cohortId: cohort.id,
        cvr: companyCvr(m.code, n),
        name: `${m.name} ${trade} ${n} ApS`,
        size: (['micro', 'small', 'medium'] as const)[between(u(), 0, 2)] ?? 'small',
        willBeSelected: u() < options.probabilities.selected,
        completesModel: u() < options.probabilities.socialModel,
        buddies: between(u(), 1, 5),
        revenueKroner: between(u(), 5, 80) * 100_000,
        fullTimeEmployees: between(u(), 2, 40),
      });
    }
  }
  return companies;
}

/**
 * The day a company is invited into its cohort: when the cohort's recruitment campaign opens, or the first day
 * if that is later. Not earlier: a journey's first leg runs until the boot camp, and an execution lives at most
 * 200 days (a cluster 2 company invited in 2018 would wait 14 months in one leg).
 */
export function invitationDay(cohort: Pick<Cohort, 'recruitment'>, firstDay: IsoDate): IsoDate {
  return cohort.recruitment.start < firstDay ? firstDay : cohort.recruitment.start;
}

/** What this run has done with a company so far. */
export interface CompanyMemory {
  selectionRecorded: boolean;
  camps: ReadonlySet<IsoDate>;
  modelRecorded: boolean;
  verificationTried: boolean;
  kpis: ReadonlySet<KpiPoint>;
}

export type CompanyAction =
  | { type: 'withdraw'; date: IsoDate }
  | { type: 'select'; selected: boolean }
  | { type: 'attend'; campDate: IsoDate; present: boolean }
  | { type: 'social-model'; items: readonly SocialModelItemId[] }
  | { type: 'verify' }
  | { type: 'kpis'; point: KpiPoint };

/** Numbers a company's step draws, whatever it does, so that its stream stays aligned step for step. */
export const COMPANY_DRAWS_PER_STEP = 2;

/** Stages in which a company's KPIs are taken (report-kpis refuses the others). */
const REPORTING_STAGES: ReadonlySet<CompanyStage> = new Set([
  'boot-camp',
  'awaiting-selection',
  'selected',
  'accelerator',
  'follow-up',
]);

/**
 * What the accelerator staff (and the company) do about a company in one step, in order, given its stage as the
 * cohort page shows it today. Withdrawal ends everything else; the selection is made on the first step from the
 * boot camp's first day until the accelerator starts; a company present at camps while in the accelerator;
 * its social model recorded from the last camp on (all five items, or three for a company drawn not to
 * complete it); verified once in the follow-up (a 409 for an incomplete model is the system's answer); each
 * KPI point reported while open, by a company that is (to be) selected.
 */
export function decideCompanyStep(
  company: Pick<CompanyProfile, 'willBeSelected' | 'completesModel'>,
  stage: CompanyStage,
  today: IsoDate,
  cohort: Cohort,
  memory: CompanyMemory,
  draws: readonly number[],
  probabilities: Pick<Probabilities, 'campAttendance' | 'companyWithdrawal'>,
  stepDays: number,
): CompanyAction[] {
  if (draws.length < COMPANY_DRAWS_PER_STEP)
    throw new RangeError(`A step needs ${COMPANY_DRAWS_PER_STEP} draws`);
  const [leave = 1, present = 1] = draws;
  if (isFinalStage(stage)) return [];
  const pLeave = 1 - (1 - probabilities.companyWithdrawal) ** (stepDays / DAYS_PER_QUARTER);
  if (leave < pLeave) return [{ type: 'withdraw', date: today }];
  const actions: CompanyAction[] = [];
  let selected = stage === 'selected' || stage === 'accelerator' || stage === 'follow-up';
  if (!memory.selectionRecorded && today >= cohort.bootCamp.start && today < cohort.accelerator.start) {
    actions.push({ type: 'select', selected: company.willBeSelected });
    if (!company.willBeSelected) return actions;
    selected = true;
  }
  if (stage === 'accelerator') {
    for (const camp of cohort.camps) {
      if (camp.date <= today && !memory.camps.has(camp.date)) {
        actions.push({
          type: 'attend',
          campDate: camp.date,
          present: present < probabilities.campAttendance,
        });
      }
    }
    const lastCamp = cohort.camps.at(-1)?.date;
    if (!memory.modelRecorded && lastCamp !== undefined && today >= lastCamp) {
      actions.push({
        type: 'social-model',
        items: company.completesModel ? socialModelItems : socialModelItems.slice(0, 3),
      });
    }
  }
  if (stage === 'follow-up' && !memory.verificationTried) actions.push({ type: 'verify' });
  const willTakePart = selected || (company.willBeSelected && memory.selectionRecorded);
  if (REPORTING_STAGES.has(stage) && willTakePart) {
    for (const point of kpiPoints) {
      if (!memory.kpis.has(point) && kpiOpenOn(cohort, point, today)) actions.push({ type: 'kpis', point });
    }
  }
  return actions;
}

/**
 * A company's KPIs at a point: revenue and staff grow a little through the accelerator, and the vulnerable
 * citizens it employs are those this run's citizens and the company's own hires make (`hiredSoFar`).
 */
export function kpiFigures(
  company: Pick<CompanyProfile, 'revenueKroner' | 'fullTimeEmployees'>,
  point: KpiPoint,
  hiredSoFar: number,
): {
  revenueKroner: number;
  fullTimeEmployees: number;
  vulnerableEmployed: number;
  vulnerableStillEmployed: number;
} {
  const growth = point === 'baseline' ? 0 : point === 'month-12' ? 1 : 2;
  return {
    revenueKroner: company.revenueKroner + growth * 250_000,
    fullTimeEmployees: company.fullTimeEmployees + growth,
    vulnerableEmployed: hiredSoFar,
    vulnerableStillEmployed: hiredSoFar,
  };
}

/**
 * Which of the eligible companies (an accelerator company of the municipality, selected, in the accelerator or in
 * follow-up today) a citizen is placed with or hired by: `n` picks it, the same for the same draws.
 */
export function pickCompany<T>(
  eligible: readonly T[],
  n: number,
  cvrOf: (company: T) => string,
): T | undefined {
  if (eligible.length === 0) return undefined;
  // By CVR number, so that the order the companies were read in does not matter.
  const sorted = [...eligible].sort((a, b) => cvrOf(a).localeCompare(cvrOf(b)));
  return sorted[Math.abs(Math.trunc(n)) % sorted.length];
}

const EMPLOYERS = ['Bageri', 'Rengøring', 'Lager og Logistik', 'Café', 'Byg', 'Gartneri', 'Auto', 'Kantine'];

/** A made-up employer in the municipality; `n` picks the trade. */
export function employerName(municipality: Municipality, n: number, accelerator: boolean): string {
  const trade = EMPLOYERS[Math.abs(Math.trunc(n)) % EMPLOYERS.length] ?? 'Service';
  return accelerator
    ? `${municipality.name} ${trade} (acceleratorvirksomhed) ApS`
    : `${municipality.name} ${trade} ApS`;
}

export interface Column<Row> {
  header: string;
  align: 'left' | 'right';
  value: (row: Row) => string;
}

/** A plain text table: every column as wide as its widest cell, a rule under the header. */
export function formatTable<Row>(
  rows: readonly Row[],
  columns: readonly Column<Row>[],
  separators: ReadonlySet<number> = new Set(),
): string {
  const cells = rows.map((row) => columns.map((c) => c.value(row)));
  const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((r) => (r[i] ?? '').length)));
  const line = (values: readonly string[]) =>
    values
      .map((v, i) => (columns[i]?.align === 'right' ? v.padStart(widths[i] ?? 0) : v.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '─'.repeat(w)).join('  ');
  const out = [line(columns.map((c) => c.header)), rule];
  cells.forEach((r, i) => {
    if (separators.has(i)) out.push(rule);
    out.push(line(r));
  });
  return out.join('\n');
}

/** The business case figures the simulation prints, per municipality, cluster or the programme. */
export interface CaseRow {
  key: string;
  name: string;
  places: number;
  citizens: number;
  paidOere: Oere;
  municipalSavingsOere: Oere;
  netOere: Oere;
  paybackMonth: number | null;
  fundsNextCohort: boolean;
  /** Paid to each side and what each side's results saved (the business case's `sides`). */
  sides: Record<'employment-actor' | 'social-accelerator', SideRow>;
}

export interface SideRow {
  paidOere: Oere;
  municipalSavingsOere: Oere;
}

const side = (s: SideRow) => `${formatDkk(s.paidOere)} / ${formatDkk(s.municipalSavingsOere)}`;

export function businessCaseTable(rows: {
  municipalities: readonly CaseRow[];
  clusters: readonly CaseRow[];
  programme: CaseRow;
}): string {
  const all = [...rows.municipalities, ...rows.clusters, rows.programme];
  return formatTable(
    all,
    [
      { header: 'Municipality', align: 'left', value: (r) => r.name },
      { header: 'Places', align: 'right', value: (r) => String(r.places) },
      { header: 'Citizens', align: 'right', value: (r) => String(r.citizens) },
      { header: 'Paid', align: 'right', value: (r) => formatDkk(r.paidOere) },
      { header: 'Saved (municipal)', align: 'right', value: (r) => formatDkk(r.municipalSavingsOere) },
      { header: 'Net', align: 'right', value: (r) => formatDkk(r.netOere) },
      {
        header: 'Payback month',
        align: 'right',
        value: (r) => (r.paybackMonth === null ? '–' : String(r.paybackMonth)),
      },
      { header: 'Funds next cohort', align: 'left', value: (r) => (r.fundsNextCohort ? 'yes' : 'no') },
      {
        header: 'Employment actor: paid / saved',
        align: 'right',
        value: (r) => side(r.sides['employment-actor']),
      },
      {
        header: 'Accelerator: paid / saved',
        align: 'right',
        value: (r) => side(r.sides['social-accelerator']),
      },
    ],
    new Set([rows.municipalities.length, rows.municipalities.length + rows.clusters.length]),
  );
}

/** Seconds with one decimal, for the wall time. */
export function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
