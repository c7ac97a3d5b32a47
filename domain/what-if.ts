import { type Benefit, type RateGroup, rateGroupLabels } from './benefits.ts';
import { addDays, addMonths, type IsoDate, isIsoDate } from './dates.ts';
import { deadweightBasisPointsOf, type Readiness, readinessLabels, readinessValues } from './deadweight.ts';
import { divideRounded, type Oere, shareOf } from './money.ts';
import { type Cluster, type Municipality, municipalities } from './programme.ts';
import {
  calculatePayment,
  type PaymentGroup,
  type PaymentRule,
  type RateCard,
  rateCards,
} from './rate-card.ts';
import { reimbursementBasisPoints, staircaseWeeksBeforeReferral } from './reimbursement.ts';
import {
  applyDeadweight,
  applyRetention,
  type SavedResult,
  type SavingsInput,
  SUSTAINMENT_WEEKS,
  savingsByWeek,
  WEEKS_PER_RETENTION_YEAR,
  type WeekSaving,
} from './savings.ts';
import { sustainmentMilestones } from './sustainment.ts';

/**
 * What-if under uncertainty (issue 9, item 6): a seeded Monte Carlo over what the business case takes as fixed.
 * One draw first draws the uncertain parameters (outcome rates, retention, deadweight by readiness, the mix of
 * rate groups and readiness, the rate card's scale), then each municipality's cohort citizen by citizen (rate
 * group, readiness, result, a job's hours, when the result comes), and prices each citizen as the business case
 * does: savings by domain/savings.ts, payments by the rate card. The net result is the municipality's savings
 * after deadweight less what it paid, within the horizon, optionally less the programme's own costs.
 *
 * Speed: a citizen's weeks are priced once per (rate group, result, hours, weeks to result), with retention at
 * 100 %, and kept as counts of identical weeks (same benefit saved, retention year and staircase tier). A draw's
 * retention is then applied per such bucket by the same rounding as `savingsByWeek`, so a draw costs a few dozen
 * operations per citizen and the result is the same øre as pricing every week.
 */

/** A whole number drawn uniformly from `min` to `max` inclusive (basis points). `min` = `max` fixes it. */
export interface UniformRange {
  min: number;
  max: number;
}

/** Values with their relative weights; a value is drawn with probability weight / sum of weights. */
export type Weighted<T> = ReadonlyArray<readonly [value: T, weight: number]>;

export interface RateGroupChoice {
  benefit: Benefit;
  rateGroup: RateGroup;
}

export type Outcome = 'full-job' | 'partial-job' | 'education' | 'none';
export const outcomes: readonly Outcome[] = ['full-job', 'partial-job', 'education', 'none'];

/**
 * The distributions. Every default (`defaultWhatIfAssumptions`) is our assumption, not a published figure; the
 * Danish text of each is in `explainWhatIf`.
 */
export interface WhatIfAssumptions {
  /** Central share of citizens per result, in basis points; together 10,000. */
  outcomeRates: Record<Outcome, number>;
  /**
   * Per draw, each central rate is multiplied by a factor drawn uniformly from 1 − spread to 1 + spread, and the
   * rates normalised to 100 % again: our uncertainty about the rates themselves.
   */
  outcomeSpreadBasisPoints: number;
  /** Hours a week of a full job (at least the rate card's full threshold) and of a partial one. */
  fullJobHours: Weighted<number>;
  partialJobHours: Weighted<number>;
  /** Whole weeks from the start of the pathway to the result. */
  weeksToResult: Weighted<number>;
  /** Annual retention beyond the 26 verified weeks (domain/savings.ts), drawn once per draw. */
  annualRetention: UniformRange;
  /** Deadweight per readiness, drawn once per draw. */
  deadweight: Record<Readiness, UniformRange>;
  rateGroupMix: Weighted<RateGroupChoice>;
  readinessMix: Weighted<Readiness>;
  /** Like the outcome rates: each mix weight is perturbed by up to this share per draw. */
  mixSpreadBasisPoints: number;
  /** Every rate card amount times this factor (10,000 = the card as it is), drawn once per draw. */
  rateCardScale: UniformRange;
  /** The citizen's week on the refusion staircase at referral (domain/reimbursement.ts). */
  staircaseWeek: number;
}

/** Deadweight's central values are the dated assumption in force on `start` (domain/deadweight.ts), ± 10 points. */
function deadweightAround(readiness: Readiness, start: IsoDate): UniformRange {
  const central = deadweightBasisPointsOf(readiness, start);
  return { min: Math.max(central - 1_000, 0), max: Math.min(central + 1_000, 10_000) };
}

/**
 * Our assumptions. The outcome rates and mixes are those of `npm run simulate` (scripts/simulation.ts): about two
 * in five reach a result, of the results 15 % educations and a quarter of the jobs partial; 20 % on
 * integrationsydelse, 70 % aktivitetsparat, the rate groups weighted as the caseloads. The ranges around the
 * business case's own assumptions (retention 80 %, deadweight by readiness) are wide on purpose: nothing
 * published narrows them for this target group.
 */
export function defaultWhatIfAssumptions(start: IsoDate): WhatIfAssumptions {
  return {
    outcomeRates: { 'full-job': 2_550, 'partial-job': 850, education: 600, none: 6_000 },
    outcomeSpreadBasisPoints: 5_000,
    fullJobHours: [
      [15, 2],
      [20, 2],
      [25, 2],
      [30, 2],
      [37, 2],
    ],
    partialJobHours: [
      [10, 1],
      [12, 1],
      [14, 1],
    ],
    weeksToResult: [
      [13, 1],
      [26, 1],
      [39, 1],
      [52, 1],
      [65, 1],
    ],
    annualRetention: { min: 6_000, max: 9_000 },
    deadweight: {
      aktivitetsparat: deadweightAround('aktivitetsparat', start),
      jobparat: deadweightAround('jobparat', start),
    },
    rateGroupMix: [
      [{ benefit: 'kontanthjaelp', rateGroup: '30-plus-without-children' }, 40],
      [{ benefit: 'kontanthjaelp', rateGroup: '30-plus-with-children' }, 20],
      [{ benefit: 'kontanthjaelp', rateGroup: 'under-30-living-away' }, 12],
      [{ benefit: 'kontanthjaelp', rateGroup: 'under-30-living-with-parents' }, 8],
      [{ benefit: 'integrationsydelse', rateGroup: 'non-parent' }, 10],
      [{ benefit: 'integrationsydelse', rateGroup: 'parent' }, 5],
      [{ benefit: 'integrationsydelse', rateGroup: 'single-parent' }, 3],
      [{ benefit: 'integrationsydelse', rateGroup: 'under-30-living-with-parents' }, 2],
    ],
    readinessMix: [
      ['aktivitetsparat', 70],
      ['jobparat', 30],
    ],
    mixSpreadBasisPoints: 3_000,
    rateCardScale: { min: 8_000, max: 12_000 },
    staircaseWeek: 104,
  };
}

const pct = (basisPoints: number) => `${String(basisPoints / 100).replace('.', ',')} %`;
const range = (r: UniformRange) => (r.min === r.max ? pct(r.min) : `${pct(r.min)}–${pct(r.max)}`);
const weighted = <T>(items: Weighted<T>, label: (value: T) => string) => {
  const total = items.reduce((sum, [, w]) => sum + w, 0);
  return items.map(([v, w]) => `${label(v)} (${pct(Math.round((w / total) * 10_000))})`).join(', ');
};

const benefitNames: Record<Benefit, string> = {
  kontanthjaelp: 'kontanthjælp',
  integrationsydelse: 'integrationsydelse',
};

/** The assumptions in Danish, one line each, for the page and the JSON; each says it is ours. */
export function explainWhatIf(a: WhatIfAssumptions): string[] {
  const rates = a.outcomeRates;
  return [
    `Resultater (midterværdi, vores antagelse): fuldt job ${pct(rates['full-job'])}, delvist job ${pct(rates['partial-job'])}, uddannelse ${pct(rates.education)}, intet resultat ${pct(rates.none)}. I hver trækning ganges hver andel med en faktor mellem ${pct(10_000 - a.outcomeSpreadBasisPoints)} og ${pct(10_000 + a.outcomeSpreadBasisPoints)}, og andelene summeres igen til 100 %.`,
    `Timer om ugen i fuldt job: ${weighted(a.fullJobHours, String)}; i delvist job: ${weighted(a.partialJobHours, String)} (vores antagelse). Lønnen modregnes i ydelsen som i business casen.`,
    `Uger fra forløbets start til resultatet: ${weighted(a.weeksToResult, String)} (vores antagelse).`,
    `Fastholdelse pr. år efter de 26 bekræftede uger: ${range(a.annualRetention)}, trukket ligeligt i hver trækning (vores antagelse; business casen bruger 80 %).`,
    `Dødvægt: aktivitetsparate ${range(a.deadweight.aktivitetsparat)}, jobparate ${range(a.deadweight.jobparat)}, trukket ligeligt i hver trækning omkring den daterede antagelse (vores antagelse).`,
    `Satsgrupper: ${weighted(a.rateGroupMix, (g) => `${benefitNames[g.benefit]}, ${rateGroupLabels[g.benefit][g.rateGroup] ?? g.rateGroup}`)}; visitation: ${weighted(a.readinessMix, (r) => readinessLabels[r].toLowerCase())}. Hver vægt varieres op til ${pct(a.mixSpreadBasisPoints)} pr. trækning (vores antagelse).`,
    `Takstkortets beløb ganges med en faktor ${range(a.rateCardScale)} pr. trækning, for at vise følsomheden over for prisen (vores antagelse).`,
    `Borgerne er i uge ${a.staircaseWeek} på refusionstrappen ved visitationen (vores antagelse). Et job antages at vare de 26 uger, milepælene bekræfter; derefter gælder fastholdelsen.`,
  ];
}

// ---- Random numbers ----

export type Random = () => number;

/**
 * xoshiro128** seeded through splitmix32: small, fast, and the same sequence on every machine, so the same seed
 * gives the same result to the øre. Returns numbers in [0, 1).
 */
export function seededRandom(seed: number): Random {
  let x = seed >>> 0;
  const splitmix = () => {
    x = (x + 0x9e3779b9) >>> 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
    return (z ^ (z >>> 15)) >>> 0;
  };
  let a = splitmix();
  let b = splitmix();
  let c = splitmix();
  let d = splitmix();
  return () => {
    const result = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    const t = b << 9;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d, 11);
    return result / 4_294_967_296;
  };
}

function rotl(value: number, bits: number): number {
  return (value << bits) | (value >>> (32 - bits));
}

function uniformInt(random: Random, r: UniformRange): number {
  return r.min + Math.min(r.max - r.min, Math.floor(random() * (r.max - r.min + 1)));
}

/** Weights as cumulative shares ending at 1, for `pickIndex`. */
function cumulativeShares(weights: readonly number[]): number[] {
  const total = weights.reduce((sum, w) => sum + w, 0);
  let running = 0;
  return weights.map((w) => {
    running += w / total;
    return running;
  });
}

/** Weights each multiplied by a factor drawn from 1 − spread to 1 + spread, as cumulative shares. */
function perturbedShares(weights: readonly number[], spreadBasisPoints: number, random: Random): number[] {
  const spread = spreadBasisPoints / 10_000;
  return cumulativeShares(weights.map((w) => (spread > 0 ? w * (1 - spread + 2 * spread * random()) : w)));
}

function pickIndex(cumulative: readonly number[], u: number): number {
  for (let i = 0; i < cumulative.length - 1; i++) {
    // A zero weight is never picked, even by u = 0.
    if (u < (cumulative[i] ?? 0)) return i;
  }
  return cumulative.length - 1;
}

// ---- The rate card, through one adapter ----

export interface CitizenFacts extends RateGroupChoice {
  readiness: Readiness;
}

export interface ResultPayment {
  dueDate: IsoDate;
  amountOere: Oere;
}

/**
 * What a result costs the municipality under the rate card, all payees together: the start, and for a job its
 * 13- and 26-week milestones (the job is assumed to last them). The one place that calls the rate card, so a
 * change to its signature is made here alone.
 */
export function resultPayments(
  result: SavedResult,
  citizen: CitizenFacts,
  resultOn: IsoDate,
  cards: readonly RateCard[] = rateCards,
): ResultPayment[] {
  const steps =
    result.kind === 'education'
      ? [{ kind: 'education-start' as const, date: resultOn }]
      : [
          { kind: 'job-start' as const, date: resultOn },
          ...sustainmentMilestones(resultOn).map((m) => ({
            kind: m.weeks === 13 ? ('sustained-13-weeks' as const) : ('sustained-26-weeks' as const),
            date: m.dueOn,
          })),
        ];
  const group: PaymentGroup = {
    benefit: citizen.benefit,
    rateGroup: citizen.rateGroup,
    readiness: citizen.readiness,
  };
  const byRule = new Map<PaymentRule, Oere>();
  let citizenOere = 0;
  const payments: ResultPayment[] = [];
  for (const step of steps) {
    const decision = calculatePayment(
      {
        kind: step.kind,
        group,
        date: step.date,
        ...(result.kind === 'job' ? { hoursPerWeek: result.hoursPerWeek } : {}),
      },
      step.date,
      // One citizen per place: the municipality's cap applies to this citizen's place alone.
      { byRule, citizenOere, municipalityOere: citizenOere, municipalityPlaces: 1 },
      cards,
    );
    if (!decision.due) continue;
    const amountOere = decision.payments.reduce((sum, p) => sum + p.amountOere, 0);
    for (const payment of decision.payments) {
      byRule.set(payment.rule, (byRule.get(payment.rule) ?? 0) + payment.amountOere);
    }
    citizenOere += amountOere;
    const first = decision.payments[0];
    if (first) payments.push({ dueDate: first.dueDate, amountOere });
  }
  return payments;
}

// ---- Profiles: a citizen's savings and payments, priced once ----

/** Weeks that save the same: same benefit saved (before retention), retention year and staircase tier. */
interface WeekBucket {
  weeklyOere: Oere;
  retentionYears: number;
  stateBasisPoints: number;
  weeks: number;
}

interface Profile {
  buckets: WeekBucket[];
  /** Payments due within the horizon, per readiness (the rate card may price readiness). */
  paidOere: Record<Readiness, Oere>;
}

export interface WhatIfOptions {
  /** The pathways' start (and referral) date; the horizon is whole calendar months from its month. */
  start: IsoDate;
  /** Default 5. */
  horizonYears?: number;
  draws: number;
  seed: number;
  assumptions?: WhatIfAssumptions;
  /** A municipality's citizens in the cohort: its places (the default), or a programme at scale. */
  placesOf?: (municipality: Municipality) => number;
  /**
   * The programme's own costs (the full view of the business case), charged to each municipality per citizen
   * and per company; a municipality is taken to have one company per place. Absent: the PbR-only view.
   */
  programmeCosts?: { perCitizenOere: Oere; perCompanyOere: Oere };
  cards?: readonly RateCard[];
  /** Bins in each histogram; default 20. */
  bins?: number;
}

export const MAX_DRAWS = 20_000;

/** The municipal saving of a bucket's weeks at a retention: each week as `savingsByWeek` rounds it. */
function bucketSaving(bucket: WeekBucket, retentionBasisPoints: number): Oere {
  const gross = applyRetention(bucket.weeklyOere, bucket.retentionYears, retentionBasisPoints);
  return (gross - shareOf(gross, bucket.stateBasisPoints)) * bucket.weeks;
}

/**
 * Profiles priced on first use, by index: rate group × result variant × weeks to result. Each (rate group,
 * variant) is priced week by week once, from the earliest result date to the horizon, without retention: a week's
 * benefit saved depends on its date only, so a later result's weeks are the same weeks from a later one on.
 */
/**
 * Weeks priced by `savingsByWeek` depend only on their inputs, so they are kept across calls (a warm Lambda, the
 * tests): at most a few thousand lists of a few hundred weeks, dropped all at once when full.
 */
const pricedWeeks = new Map<string, WeekSaving[]>();
const MAX_PRICED = 2_000;

class Profiles {
  private readonly profiles: (Profile | undefined)[] = [];
  private readonly earliest: number;

  constructor(
    private readonly a: WhatIfAssumptions,
    private readonly variants: readonly (SavedResult | null)[],
    private readonly start: IsoDate,
    private readonly horizonEnd: IsoDate,
    private readonly cards: readonly RateCard[],
  ) {
    this.earliest = Math.min(...a.weeksToResult.map(([weeks]) => weeks));
  }

  get(groupIndex: number, variantIndex: number, weeksIndex: number): Profile {
    const key = (groupIndex * this.variants.length + variantIndex) * this.a.weeksToResult.length + weeksIndex;
    let profile = this.profiles[key];
    if (!profile) {
      profile = this.price(groupIndex, variantIndex, this.a.weeksToResult[weeksIndex]?.[0] as number);
      this.profiles[key] = profile;
    }
    return profile;
  }

  /** The weeks from the earliest result to the horizon, at 100 % retention: what each week saves in full. */
  private weeksOf(group: RateGroupChoice, result: SavedResult): WeekSaving[] {
    const from = addDays(this.start, this.earliest * 7);
    const input: SavingsInput = {
      ...group,
      weeksOnBenefitAtReferral: staircaseWeeksBeforeReferral(this.a.staircaseWeek),
      referredOn: this.start,
      from,
      // ISO dates compare as text; Math.max would turn them into NaN.
      until: this.horizonEnd.localeCompare(from) > 0 ? this.horizonEnd : from,
      result,
    };
    const key = JSON.stringify(input);
    let weeks = pricedWeeks.get(key);
    if (!weeks) {
      weeks = savingsByWeek(input, { deadweightBasisPoints: 0, annualRetentionBasisPoints: 10_000 });
      if (pricedWeeks.size >= MAX_PRICED) pricedWeeks.clear();
      pricedWeeks.set(key, weeks);
    }
    return weeks;
  }

  private price(groupIndex: number, variantIndex: number, weeksToResult: number): Profile {
    const group = this.a.rateGroupMix[groupIndex]?.[0] as RateGroupChoice;
    const result = this.variants[variantIndex] ?? null;
    const from = addDays(this.start, weeksToResult * 7);
    if (!result || from >= this.horizonEnd)
      return { buckets: [], paidOere: { aktivitetsparat: 0, jobparat: 0 } };
    const buckets = new Map<string, WeekBucket>();
    const weeks = this.weeksOf(group, result).slice(weeksToResult - this.earliest);
    weeks.forEach((week, k) => {
      // The retention years of `savingsByWeek` for a week k whole weeks after this result.
      const years =
        k < SUSTAINMENT_WEEKS ? 0 : Math.floor((k - SUSTAINMENT_WEEKS) / WEEKS_PER_RETENTION_YEAR) + 1;
      const stateBasisPoints = reimbursementBasisPoints(week.cumulativeWeek);
      const key = `${week.grossOere}/${years}/${stateBasisPoints}`;
      const bucket = buckets.get(key);
      if (bucket) bucket.weeks += 1;
      else
        buckets.set(key, { weeklyOere: week.grossOere, retentionYears: years, stateBasisPoints, weeks: 1 });
    });
    const paid = (readiness: Readiness) =>
      resultPayments(result, { ...group, readiness }, from, this.cards)
        .filter((p) => p.dueDate < this.horizonEnd)
        .reduce((sum, p) => sum + p.amountOere, 0);
    return {
      buckets: [...buckets.values()],
      paidOere: { aktivitetsparat: paid('aktivitetsparat'), jobparat: paid('jobparat') },
    };
  }
}

// ---- Results ----

export interface HistogramBin {
  /** Inclusive bounds, øre. */
  fromOere: Oere;
  toOere: Oere;
  count: number;
}

export interface Distribution {
  kind: 'programme' | 'cluster' | 'municipality';
  /** "programme", "cluster-1", "cluster-2", or the kommunekode. */
  key: string;
  name: string;
  citizens: number;
  /** Share of draws in which the net result is above 0. */
  probabilityOfGain: number;
  p10Oere: Oere;
  p50Oere: Oere;
  p90Oere: Oere;
  meanOere: Oere;
  minOere: Oere;
  maxOere: Oere;
  histogram: HistogramBin[];
}

export interface WhatIf {
  draws: number;
  seed: number;
  start: IsoDate;
  horizonYears: number;
  /** Exclusive. */
  horizonEnd: IsoDate;
  programmeCosts: { perCitizenOere: Oere; perCompanyOere: Oere } | null;
  assumptions: WhatIfAssumptions;
  /** Each assumption in Danish. */
  explanations: string[];
  programme: Distribution;
  clusters: Distribution[];
  municipalities: Distribution[];
}

/** Nearest rank: the smallest value with at least `p` of the values at or below it. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) throw new RangeError('No values');
  const rank = Math.max(Math.ceil(p * sorted.length), 1);
  return sorted[rank - 1] as number;
}

/** Equal-width bins from the smallest to the largest value, whole øre, the last one closed at the largest. */
export function histogram(sorted: ArrayLike<number>, bins: number): HistogramBin[] {
  const min = sorted[0] as number;
  const max = sorted[sorted.length - 1] as number;
  const width = Math.max(Math.ceil((max - min + 1) / bins), 1);
  const count = Math.min(bins, Math.ceil((max - min + 1) / width));
  const result = Array.from({ length: count }, (_, i) => ({
    fromOere: min + i * width,
    toOere: Math.min(min + (i + 1) * width - 1, max),
    count: 0,
  }));
  for (let i = 0; i < sorted.length; i++) {
    const bin = result[Math.min(Math.floor(((sorted[i] as number) - min) / width), count - 1)];
    if (bin) bin.count += 1;
  }
  return result;
}

function distribution(
  kind: Distribution['kind'],
  key: string,
  name: string,
  citizens: number,
  nets: Float64Array,
  bins: number,
): Distribution {
  const sorted = Float64Array.from(nets).sort();
  let sum = 0;
  let gains = 0;
  for (const net of sorted) {
    sum += net;
    if (net > 0) gains += 1;
  }
  return {
    kind,
    key,
    name,
    citizens,
    probabilityOfGain: gains / sorted.length,
    p10Oere: percentile(sorted, 0.1),
    p50Oere: percentile(sorted, 0.5),
    p90Oere: percentile(sorted, 0.9),
    meanOere: divideRounded(sum, sorted.length),
    minOere: sorted[0] as number,
    maxOere: sorted[sorted.length - 1] as number,
    histogram: histogram(sorted, bins),
  };
}

function assertOptions(options: WhatIfOptions, a: WhatIfAssumptions): void {
  if (!isIsoDate(options.start)) throw new RangeError(`start is not a calendar date: ${options.start}`);
  if (!Number.isInteger(options.draws) || options.draws < 1 || options.draws > MAX_DRAWS) {
    throw new RangeError(`draws must be a whole number from 1 to ${MAX_DRAWS}, got ${options.draws}`);
  }
  if (!Number.isInteger(options.seed) || options.seed < 0 || options.seed > 0xffff_ffff) {
    throw new RangeError(`seed must be a whole number from 0 to 4294967295, got ${options.seed}`);
  }
  const total = outcomes.reduce((sum, o) => sum + a.outcomeRates[o], 0);
  if (total !== 10_000)
    throw new RangeError(`The outcome rates must add up to 10000 basis points, got ${total}`);
  const ranges = [a.annualRetention, a.rateCardScale, ...readinessValues.map((r) => a.deadweight[r])];
  for (const r of ranges) {
    if (!Number.isInteger(r.min) || !Number.isInteger(r.max) || r.min < 0 || r.max < r.min) {
      throw new RangeError(`A range must be whole basis points with 0 ≤ min ≤ max, got ${r.min}–${r.max}`);
    }
  }
  for (const list of [a.fullJobHours, a.partialJobHours, a.weeksToResult, a.rateGroupMix, a.readinessMix]) {
    if (list.length === 0 || list.some(([, w]) => !(w >= 0)) || !list.some(([, w]) => w > 0)) {
      throw new RangeError('A weighted list needs weights ≥ 0, at least one of them above 0');
    }
  }
}

/**
 * The Monte Carlo: `draws` draws of the whole programme, each municipality's net result per draw, and per
 * municipality, cluster and the programme the share of draws with a gain, P10/P50/P90, mean and a histogram.
 * Clusters and the programme are, draw by draw, sums of their municipalities.
 */
export function simulateWhatIf(options: WhatIfOptions): WhatIf {
  const horizonYears = options.horizonYears ?? 5;
  if (!Number.isInteger(horizonYears) || horizonYears < 1) {
    throw new RangeError(`The horizon is a whole number of years from 1, got ${horizonYears}`);
  }
  const a = options.assumptions ?? defaultWhatIfAssumptions(options.start);
  assertOptions(options, a);
  const horizonEnd = addMonths(`${options.start.slice(0, 7)}-01`, horizonYears * 12);
  const placesOf = options.placesOf ?? ((m: Municipality) => m.places);
  const cohort = municipalities.map((m) => placesOf(m));
  const costs = options.programmeCosts ?? null;
  // Every result a citizen can have, one list: full jobs by hours, partial jobs by hours, education, none.
  const variants: (SavedResult | null)[] = [
    ...a.fullJobHours.map(([hoursPerWeek]): SavedResult => ({ kind: 'job', hoursPerWeek })),
    ...a.partialJobHours.map(([hoursPerWeek]): SavedResult => ({ kind: 'job', hoursPerWeek })),
    { kind: 'education' },
    null,
  ];
  const profiles = new Profiles(a, variants, options.start, horizonEnd, options.cards ?? rateCards);
  const cumulative = (list: Weighted<unknown>) => cumulativeShares(list.map(([, w]) => w));
  const fullHours = cumulative(a.fullJobHours);
  const partialHours = cumulative(a.partialJobHours);
  const weeks = cumulative(a.weeksToResult);
  const partialFrom = a.fullJobHours.length;
  const educationAt = partialFrom + a.partialJobHours.length;
  /** The variant of an outcome (its index in `outcomes`), drawing a job's hours. */
  const variantOf = (outcome: number, random: Random) =>
    outcome === 0
      ? pickIndex(fullHours, random())
      : outcome === 1
        ? partialFrom + pickIndex(partialHours, random())
        : educationAt + outcome - 2;

  const random = seededRandom(options.seed);
  const nets = municipalities.map(() => new Float64Array(options.draws));
  const rawSaved: Record<Readiness, number> = { aktivitetsparat: 0, jobparat: 0 };
  for (let draw = 0; draw < options.draws; draw++) {
    const outcomeShares = perturbedShares(
      outcomes.map((o) => a.outcomeRates[o]),
      a.outcomeSpreadBasisPoints,
      random,
    );
    const groupShares = perturbedShares(
      a.rateGroupMix.map(([, w]) => w),
      a.mixSpreadBasisPoints,
      random,
    );
    const readinessShares = perturbedShares(
      a.readinessMix.map(([, w]) => w),
      a.mixSpreadBasisPoints,
      random,
    );
    const retention = uniformInt(random, a.annualRetention);
    const deadweight = {
      aktivitetsparat: uniformInt(random, a.deadweight.aktivitetsparat),
      jobparat: uniformInt(random, a.deadweight.jobparat),
    };
    const scale = uniformInt(random, a.rateCardScale);
    for (let index = 0; index < municipalities.length; index++) {
      rawSaved.aktivitetsparat = 0;
      rawSaved.jobparat = 0;
      let paid = 0;
      const citizens = cohort[index] ?? 0;
      for (let c = 0; c < citizens; c++) {
        const group = pickIndex(groupShares, random());
        const readiness = a.readinessMix[pickIndex(readinessShares, random())]?.[0] as Readiness;
        const variant = variantOf(pickIndex(outcomeShares, random()), random);
        const profile = profiles.get(group, variant, pickIndex(weeks, random()));
        for (const bucket of profile.buckets) rawSaved[readiness] += bucketSaving(bucket, retention);
        paid += profile.paidOere[readiness];
      }
      // Deadweight on each readiness's sum, as the business case applies it to sums rather than to weeks.
      const saved =
        applyDeadweight(rawSaved.aktivitetsparat, deadweight.aktivitetsparat) +
        applyDeadweight(rawSaved.jobparat, deadweight.jobparat);
      const programme = costs ? citizens * (costs.perCitizenOere + costs.perCompanyOere) : 0;
      (nets[index] as Float64Array)[draw] = saved - shareOf(paid, scale) - programme;
    }
  }

  const bins = options.bins ?? 20;
  const municipal = municipalities.map((m, i) =>
    distribution('municipality', m.code, m.name, cohort[i] ?? 0, nets[i] as Float64Array, bins),
  );
  const sumOf = (indexes: number[]) => {
    const total = new Float64Array(options.draws);
    for (const i of indexes) {
      const net = nets[i] as Float64Array;
      for (let d = 0; d < options.draws; d++) total[d] = (total[d] ?? 0) + (net[d] ?? 0);
    }
    return total;
  };
  const citizensOf = (indexes: number[]) => indexes.reduce((sum, i) => sum + (cohort[i] ?? 0), 0);
  const inCluster = (cluster: Cluster) =>
    municipalities.flatMap((m, i) => (m.cluster === cluster ? [i] : []));
  const clusters = ([1, 2] as const).map((cluster) =>
    distribution(
      'cluster',
      `cluster-${cluster}`,
      `Klynge ${cluster} (${municipalities.find((m) => m.cluster === cluster)?.clusterYear ?? ''})`,
      citizensOf(inCluster(cluster)),
      sumOf(inCluster(cluster)),
      bins,
    ),
  );
  const all = municipalities.map((_, i) => i);
  return {
    draws: options.draws,
    seed: options.seed,
    start: options.start,
    horizonYears,
    horizonEnd,
    programmeCosts: costs,
    assumptions: a,
    explanations: explainWhatIf(a),
    programme: distribution(
      'programme',
      'programme',
      'Social inklusion gennem Vækstpartnerskaber',
      citizensOf(all),
      sumOf(all),
      bins,
    ),
    clusters,
    municipalities: municipal,
  };
}
