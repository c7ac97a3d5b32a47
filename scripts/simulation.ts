import { parseArgs } from 'node:util';
import { type Benefit, type RateGroup, rateGroups } from '#domain/benefits';
import { addDays, daysBetween, type IsoDate } from '#domain/dates';
import { formatDkk, type Oere } from '#domain/money';
import { type Municipality, municipalities } from '#domain/programme';

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
}

export interface SimulationOptions {
  seed: number;
  citizens: number;
  stepDays: number;
  staggerDays: number;
  concurrency: number;
  horizonYears: number;
  outDir: string;
  probabilities: Probabilities;
}

export const DEFAULT_PROBABILITIES: Probabilities = {
  dropout: 0.03,
  jobStart: 0.06,
  partial: 0.25,
  accelerator: 0.3,
  education: 0.15,
  employed: 0.8,
  unanswered: 0.05,
  integration: 0.2,
  activityReady: 0.7,
};

export const DEFAULT_OPTIONS: SimulationOptions = {
  seed: 1,
  citizens: SEED_PLACES,
  stepDays: 7,
  staggerDays: 30,
  concurrency: 8,
  horizonYears: 5,
  outDir: 'simulation-output',
  probabilities: DEFAULT_PROBABILITIES,
};

/** Rate groups within each benefit, weighted roughly as the caseloads are (most are 30+ without children). */
export const RATE_GROUP_WEIGHTS: Record<Benefit, ReadonlyArray<readonly [RateGroup, number]>> = {
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

// A weight table that drifted from the domain's rate groups would refer citizens the API refuses.
for (const benefit of Object.keys(RATE_GROUP_WEIGHTS) as Benefit[]) {
  const known: readonly string[] = rateGroups[benefit];
  for (const [group] of RATE_GROUP_WEIGHTS[benefit]) {
    if (!known.includes(group)) throw new Error(`Rate group ${group} is not one of ${benefit}'s`);
  }
}

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

export type Stream = 'profile' | 'steps' | 'milestones';
const STREAM_IDS: Record<Stream, number> = { profile: 1, steps: 2, milestones: 3 };

/**
 * Each citizen draws from streams of its own. HTTP calls run concurrently and finish in any order; if all
 * citizens shared one generator, the order of draws (and so the run) would depend on the scheduler.
 */
export function citizenRandom(seed: number, citizen: number, stream: Stream): Random {
  return mulberry32(mix32(mix32(seed ^ Math.imul(citizen + 1, 0x9e3779b1)) ^ STREAM_IDS[stream]));
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
  ['dropout', 'dropout', 'monthly chance of a drop-out in training or induction'],
  [
    'job-start',
    'jobStart',
    'monthly chance of a result (job or education start) in training, induction or tracking',
  ],
  ['partial', 'partial', 'share of job starts below the full-hours threshold (10–14 hours a week)'],
  [
    'accelerator',
    'accelerator',
    'share of job starts (and induction placements) with an accelerator company',
  ],
  ['education', 'education', 'share of results that are education starts'],
  ['employed', 'employed', 'chance a sustainment milestone is confirmed as still employed'],
  ['unanswered', 'unanswered', 'chance a milestone is left unanswered (the rest: the job has ended)'],
  ['integration', 'integration', 'share of citizens on integrationsydelse (the rest: kontanthjælp)'],
  ['activity-ready', 'activityReady', 'share of citizens visited as aktivitetsparat (the rest: jobparat)'],
];

export function helpText(): string {
  const d = DEFAULT_OPTIONS;
  const lines = [
    'Usage: npm run simulate -- [options]',
    '',
    'Runs the programme through the real workflows and handlers on the embedded local runtime (DynamoDB',
    'Local, the synthesized state machines, a fast-forwarded clock), refers citizens and records what',
    'happens to them over HTTP, then prints the business case per municipality and writes it as JSON and',
    'HTML.',
    '',
    'Options:',
    `  --seed N            random seed, a whole number 0–4294967295 (default ${d.seed}); same seed, same choices`,
    `  --citizens N        citizens to refer, 1–${MAX_CITIZENS} (default ${d.citizens}, the seed's places); above ${SEED_PLACES}`,
    `                      the places are scaled by ceil(N / ${SEED_PLACES}) (PROGRAMME_SCALE) and citizens`,
    '                      are spread over the municipalities in proportion to their places',
    `  --step-days N       days the clock moves per step, 1–${MAX_STEP_DAYS} (default ${d.stepDays})`,
    `  --stagger-days N    start dates spread over today + 0..N days, 0–${MAX_STAGGER_DAYS} (default ${d.staggerDays})`,
    `  --concurrency N     HTTP requests in flight at once, 1–64 (default ${d.concurrency})`,
    `  --horizon-years N   business case horizon in years, 1–10 as GET /business-case takes it (default ${d.horizonYears})`,
    `  --out DIR           where the JSON and HTML go (default ${d.outDir})`,
    '',
    'Probabilities (0–1):',
    ...PROBABILITY_FLAGS.map(
      ([flag, key, help]) => `  --${`${flag} P`.padEnd(18)}${help} (default ${d.probabilities[key]})`,
    ),
    '',
    `Job hours are drawn uniformly: ${PARTIAL_HOURS.min}–${PARTIAL_HOURS.max} for a partial job, ${FULL_HOURS.min}–${FULL_HOURS.max} for a full one.`,
    'Weeks on benefit at referral are drawn uniformly from 0–52; rate groups within a benefit are weighted',
    `(kontanthjælp: ${weightsText('kontanthjaelp')}; integrationsydelse: ${weightsText('integrationsydelse')}).`,
    'A job that ended at a milestone lets the citizen look for a new one while the pathway is in tracking.',
    '  --help              this text',
  ];
  return lines.join('\n');
}

function weightsText(benefit: Benefit): string {
  return RATE_GROUP_WEIGHTS[benefit].map(([g, w]) => `${g} ${w}`).join(', ');
}

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

  return {
    help: false,
    options: {
      seed: whole('seed', d.seed, 0, 0xffff_ffff),
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
 * run through 336 combinations (days 1–28, so every year has them) and the year through 100.
 */
export function cprFor(index: number): string {
  const day = (index % 28) + 1;
  const month = (Math.floor(index / 28) % 12) + 1;
  const year = (40 + Math.floor(index / 336)) % 100;
  const serial = index % 10_000;
  const two = (n: number) => String(n).padStart(2, '0');
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

export function drawProfile(
  index: number,
  municipality: Municipality,
  options: Pick<SimulationOptions, 'seed' | 'staggerDays' | 'probabilities'>,
): CitizenProfile {
  const u = citizenRandom(options.seed, index, 'profile');
  const p = options.probabilities;
  const benefit: Benefit = u() < p.integration ? 'integrationsydelse' : 'kontanthjaelp';
  return {
    index,
    municipality,
    name: `Simuleret borger ${index + 1}`,
    cpr: cprFor(index),
    benefit,
    rateGroup: pick(RATE_GROUP_WEIGHTS[benefit], u()),
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

const EMPLOYERS = ['Bageri', 'Rengøring', 'Lager og Logistik', 'Café', 'Byg', 'Gartneri', 'Auto', 'Kantine'];

export function employerName(municipality: Municipality, draw: number, accelerator: boolean): string {
  const trade = EMPLOYERS[Math.min(EMPLOYERS.length - 1, Math.floor(draw * EMPLOYERS.length))] ?? 'Service';
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
}

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
    ],
    new Set([rows.municipalities.length, rows.municipalities.length + rows.clusters.length]),
  );
}

/** What GET /payments says, per municipality: the summary while GET /business-case does not exist yet. */
export interface PaidRow {
  key: string;
  name: string;
  places: number;
  citizens: number;
  payments: number;
  paidOere: Oere;
}

export function paymentsTable(rows: readonly PaidRow[]): string {
  return formatTable(
    rows,
    [
      { header: 'Municipality', align: 'left', value: (r) => r.name },
      { header: 'Places', align: 'right', value: (r) => String(r.places) },
      { header: 'Citizens', align: 'right', value: (r) => String(r.citizens) },
      { header: 'Payments', align: 'right', value: (r) => String(r.payments) },
      { header: 'Paid', align: 'right', value: (r) => formatDkk(r.paidOere) },
    ],
    // The last three rows are the two clusters and the programme (summarizePayments).
    new Set([rows.length - 3, rows.length - 1]),
  );
}

/**
 * Paid per municipality from GET /payments, with the clusters and the programme as sums of their
 * municipalities. `citizens` counts referrals per kommunekode.
 */
export function summarizePayments(
  payments: ReadonlyArray<{ municipality: string; amountOere: Oere }>,
  citizens: ReadonlyMap<string, number>,
  scale: number,
  table: readonly Municipality[] = municipalities,
): PaidRow[] {
  const rows: PaidRow[] = table.map((m) => {
    const own = payments.filter((p) => p.municipality === m.code);
    return {
      key: m.code,
      name: m.name,
      places: m.places * scale,
      citizens: citizens.get(m.code) ?? 0,
      payments: own.length,
      paidOere: own.reduce((sum, p) => sum + p.amountOere, 0),
    };
  });
  const total = (key: string, name: string, members: readonly PaidRow[]): PaidRow => ({
    key,
    name,
    places: members.reduce((s, r) => s + r.places, 0),
    citizens: members.reduce((s, r) => s + r.citizens, 0),
    payments: members.reduce((s, r) => s + r.payments, 0),
    paidOere: members.reduce((s, r) => s + r.paidOere, 0),
  });
  const inCluster = (cluster: number) => rows.filter((_, i) => table[i]?.cluster === cluster);
  return [
    ...rows,
    total('cluster-1', 'Cluster 1 (2019)', inCluster(1)),
    total('cluster-2', 'Cluster 2 (2020)', inCluster(2)),
    total('programme', 'Programme', rows),
  ];
}

/** Seconds with one decimal, for the wall time. */
export function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
