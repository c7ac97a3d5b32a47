import {
  type Benefit,
  type BenefitRate,
  benefitRateOn,
  benefitRates,
  type RateGroup,
  weeklyRateOere,
} from './benefits.ts';
import { addDays, daysBetween, type IsoDate, isIsoDate } from './dates.ts';
import { type DatedAmount, type JobEarnings, jobEarnings, suOn } from './earnings.ts';
import { assertOere, type Oere, shareOf } from './money.ts';
import { splitWeeklyBenefit } from './reimbursement.ts';

/**
 * What one citizen's weeks off benefit save, SØM-style (../shared/DOMAIN.md, "Money"): each week off benefit
 * saves the weekly rate in force that week; the state's part is its reimbursement at the refusionstrappe tier of
 * the week the citizen would otherwise have been on benefit, the municipality's part is the rest. Two
 * assumptions, both ours (nothing public was found for this target group), turn observed results into expected
 * savings: deadweight and retention after the sustainment window.
 */
export interface SavingsAssumptions {
  /** Share of the results that would have happened without the programme, in basis points. */
  deadweightBasisPoints: number;
  /** Share of those still off benefit after the sustainment window who stay off for each further year. */
  annualRetentionBasisPoints: number;
}

/**
 * Our assumptions, not published figures:
 * - deadweight 20 %: some of these citizens would have found work anyway. No Danish estimate for citizens this
 *   far from the labour market was found; 20 % is a cautious round figure, so the business case does not
 *   credit the programme with every result.
 * - annual retention 80 %: the 26 weeks after a job start are verified by the sustainment milestones; beyond
 *   them the savings are a projection, so each further full year keeps only 80 % of the previous year's.
 */
export const defaultSavingsAssumptions: SavingsAssumptions = {
  deadweightBasisPoints: 2000,
  annualRetentionBasisPoints: 8000,
};

/** The weeks after the outcome that the sustainment milestones verify (the 13- and 26-week milestones). */
export const SUSTAINMENT_WEEKS = 26;
/**
 * How long an education start is expected to keep the citizen enrolled, and off benefit, when nothing ended it:
 * two school years. Our assumption (a vocational education's main course takes two to four years); after it
 * the business case assumes nothing, so an education is never projected as a lifetime off benefit.
 */
export const EXPECTED_EDUCATION_WEEKS = 104;
/** Retention is applied once per full year (52 weeks) beyond the sustainment window. */
export const WEEKS_PER_RETENTION_YEAR = 52;

export function assertAssumptions(assumptions: SavingsAssumptions): SavingsAssumptions {
  for (const [name, value] of Object.entries(assumptions)) {
    if (!Number.isInteger(value) || value < 0 || value > 10_000) {
      throw new RangeError(`${name} must be whole basis points from 0 to 10000, got ${value}`);
    }
  }
  return assumptions;
}

export interface AssumptionExplanation {
  name: keyof SavingsAssumptions;
  /** Null where the figure varies by citizen (deadweight by readiness). */
  basisPoints: number | null;
  /** Plain language for the API and the docs. */
  en: string;
  /** The same for the Danish pages. */
  da: string;
}

/** "20" for 2000 basis points, "12,5" for 1250: integer arithmetic, decimal comma as the pages write it. */
function percent(basisPoints: number, decimalMark: string): string {
  const digits = String(basisPoints).padStart(3, '0');
  const fraction = digits.slice(-2).replace(/0+$/, '');
  return fraction ? `${digits.slice(0, -2)}${decimalMark}${fraction}` : digits.slice(0, -2);
}

/** The assumptions in words, so every report that uses them can say what they mean. */
export function explainAssumptions(assumptions: SavingsAssumptions): AssumptionExplanation[] {
  const { deadweightBasisPoints: dead, annualRetentionBasisPoints: keep } = assertAssumptions(assumptions);
  // The same constants and rounding as `retentionYears` and `applyRetention`, so the text cannot drift from them.
  const verified = SUSTAINMENT_WEEKS;
  const first = verified + 1;
  const second = first + WEEKS_PER_RETENTION_YEAR;
  const third = second + WEEKS_PER_RETENTION_YEAR;
  const twice = applyRetention(10_000, 2, keep);
  const thrice = applyRetention(10_000, 3, keep);
  return [
    {
      name: 'deadweightBasisPoints',
      basisPoints: dead,
      en:
        `Deadweight: ${percent(dead, '.')} % of the results are assumed to have happened without the programme, ` +
        'so every saving (municipal and state) is reduced by that share. Our assumption: no Danish estimate ' +
        'for citizens this far from the labour market was found.',
      da:
        `Dødvægt: ${percent(dead, ',')} % af resultaterne antages at ville være opnået uden programmet, så alle ` +
        'besparelser (kommune og stat) nedskrives med den andel. Vores antagelse: der er ikke fundet et dansk ' +
        'skøn for borgere så langt fra arbejdsmarkedet.',
    },
    {
      name: 'annualRetentionBasisPoints',
      basisPoints: keep,
      en:
        `Retention: weeks 1–${verified} after a result are verified at the milestones and count in full. After ` +
        `that, ${percent(keep, '.')} % of those off benefit are assumed to stay off for each further year of ` +
        `${WEEKS_PER_RETENTION_YEAR} weeks: weeks ${first}–${second - 1} count at ${percent(keep, '.')} %, weeks ` +
        `${second}–${third - 1} at ${percent(twice, '.')} %, from week ${third} at ${percent(thrice, '.')} %, and so ` +
        'on. Our assumption.',
      da:
        `Fastholdelse: uge 1–${verified} efter et resultat bekræftes ved milepælene og tæller fuldt. Derefter ` +
        `antages ${percent(keep, ',')} % af dem, der er ude af ydelse, at blive ude for hvert yderligere år på ` +
        `${WEEKS_PER_RETENTION_YEAR} uger: uge ${first}–${second - 1} tæller med ${percent(keep, ',')} %, uge ` +
        `${second}–${third - 1} med ${percent(twice, ',')} %, fra uge ${third} med ${percent(thrice, ',')} %, og så ` +
        'fremdeles. Vores antagelse.',
    },
  ];
}

/**
 * What ends or reduces the benefit in a period: a job of so many hours a week (earnings reduce the benefit, so a
 * part-time job saves only the reduction, domain/earnings.ts), or an education (the benefit stops; the state pays
 * SU instead).
 */
export type SavedResult = { kind: 'job'; hoursPerWeek: number } | { kind: 'education' };

/** A period off benefit: from the outcome date, until an exclusive end (the job ended, or the horizon). */
export interface OffBenefitPeriod {
  from: IsoDate;
  until: IsoDate;
  /**
   * The result the period follows. Absent: the citizen receives no benefit at all in the period and nothing else
   * from the public purse, so each week saves the whole rate.
   */
  result?: SavedResult;
  /**
   * Where the verified part ends and the projection begins: weeks starting on or after it are weighted by
   * retention, once per full 52 weeks since it. Defaults to `from` + 26 weeks (the 26-week milestone). A caller
   * that has confirmed employment for longer may move it later, so confirmed weeks are not discounted.
   */
  sustainmentEnd?: IsoDate;
}

function assertDate(date: IsoDate, what: string): IsoDate {
  if (!isIsoDate(date)) throw new RangeError(`${what} is not a calendar date: ${date}`);
  return date;
}

/**
 * The weeks off benefit in a period, as their start dates: week k (k = 0, 1, 2, …) starts k × 7 days after
 * `from`, and counts while its start is before `until`. A week is attributed to the day it starts, so a last,
 * incomplete week counts whole: the citizen was off benefit when it began.
 */
export function weeksOffBenefit(period: Pick<OffBenefitPeriod, 'from' | 'until'>): IsoDate[] {
  const from = assertDate(period.from, 'from');
  const until = assertDate(period.until, 'until');
  const days = daysBetween(from, until);
  if (days < 0) throw new RangeError(`A period off benefit cannot end (${until}) before it begins (${from})`);
  const weeks: IsoDate[] = [];
  for (let k = 0; k * 7 < days; k++) weeks.push(addDays(from, k * 7));
  return weeks;
}

/**
 * The cumulative benefit week a week off benefit would have been, for its reimbursement tier: the referral's
 * weeks on benefit, plus the whole weeks from the referral to the week's start (the citizen is on benefit during
 * the pathway), plus one because week numbers start at 1.
 */
export function cumulativeBenefitWeek(
  weeksOnBenefitAtReferral: number,
  referredOn: IsoDate,
  weekStart: IsoDate,
): number {
  if (!Number.isInteger(weeksOnBenefitAtReferral) || weeksOnBenefitAtReferral < 0) {
    throw new RangeError(
      `Weeks on benefit at referral must be a whole number ≥ 0, got ${weeksOnBenefitAtReferral}`,
    );
  }
  const days = daysBetween(assertDate(referredOn, 'referredOn'), assertDate(weekStart, 'weekStart'));
  if (days < 0)
    throw new RangeError(
      `A week off benefit (${weekStart}) cannot begin before the referral (${referredOn})`,
    );
  return weeksOnBenefitAtReferral + Math.floor(days / 7) + 1;
}

/**
 * Retention years of a week: 0 within the verified sustainment window, 1 in the first projected year after it
 * (so only 80 % of those in work are assumed still off benefit), 2 in the second, and so on.
 */
export function retentionYears(sustainmentEnd: IsoDate, weekStart: IsoDate): number {
  const days = daysBetween(sustainmentEnd, weekStart);
  if (days < 0) return 0;
  return Math.floor(Math.floor(days / 7) / WEEKS_PER_RETENTION_YEAR) + 1;
}

/**
 * An amount weighted by retention for whole years: the retention share is taken once per year, each time
 * rounded by the one rule, so the result is the same integer on every machine (no fractional powers).
 */
export function applyRetention(amount: Oere, years: number, annualRetentionBasisPoints: number): Oere {
  let retained = assertOere(amount);
  for (let year = 0; year < years; year++) retained = shareOf(retained, annualRetentionBasisPoints);
  return retained;
}

/** The amount less the share that would have been saved anyway. */
export function applyDeadweight(amount: Oere, deadweightBasisPoints: number): Oere {
  return amount - shareOf(amount, deadweightBasisPoints);
}

export interface SavingsInput extends OffBenefitPeriod {
  benefit: Benefit;
  rateGroup: RateGroup;
  weeksOnBenefitAtReferral: number;
  referredOn: IsoDate;
}

/**
 * One week off benefit, priced before deadweight. `grossOere` = `stateOere` + `municipalityOere` + `suOere`: the
 * benefit saved is split by the staircase, and the state's part is reduced by the SU it pays a student.
 */
export interface WeekSaving {
  weekStart: IsoDate;
  cumulativeWeek: number;
  /** The benefit rate in force, so every krone traces to its dated rate. */
  rateEffectiveFrom: IsoDate;
  weeklyRateOere: Oere;
  /** For a job: the earnings and the rule that decide how much of the benefit it saves (per month). */
  earnings?: JobEarnings;
  /** For an education: the SU rate the state pays instead. */
  su?: DatedAmount;
  /** How many times the retention share was applied (0 within the sustainment window). */
  retentionYears: number;
  /** The benefit the week saves (the whole weekly rate, or its reduction by earnings), after retention. */
  grossOere: Oere;
  /** The state's reimbursement share of `grossOere`, less the SU it pays (negative when SU is the larger). */
  stateOere: Oere;
  municipalityOere: Oere;
  /** The SU the state pays for the week, after retention; 0 except for an education. */
  suOere: Oere;
}

/**
 * Prices each week off benefit: the benefit saved at the week's start (the monthly rate in force, or for a job
 * what its earnings take off it; monthly × 12 / 52), weighted by retention beyond the sustainment window, split at
 * the refusionstrappe tier of the week's cumulative benefit week; for an education the state's part less SU. Deadweight is not applied here: it is applied once to sums (`savingsByYear`), so rounding happens on
 * totals rather than on every week.
 */
export function savingsByWeek(
  input: SavingsInput,
  assumptions: SavingsAssumptions = defaultSavingsAssumptions,
  rates: readonly BenefitRate[] = benefitRates,
): WeekSaving[] {
  const { annualRetentionBasisPoints } = assertAssumptions(assumptions);
  const sustainmentEnd = assertDate(
    input.sustainmentEnd ?? addDays(assertDate(input.from, 'from'), SUSTAINMENT_WEEKS * 7),
    'sustainmentEnd',
  );
  if (sustainmentEnd < input.from) {
    throw new RangeError(
      `The sustainment end (${sustainmentEnd}) cannot be before the outcome (${input.from})`,
    );
  }
  return weeksOffBenefit(input).map((weekStart) => {
    const cumulativeWeek = cumulativeBenefitWeek(input.weeksOnBenefitAtReferral, input.referredOn, weekStart);
    const rate = benefitRateOn(input.benefit, input.rateGroup, weekStart, rates);
    const years = retentionYears(sustainmentEnd, weekStart);
    const retained = (monthlyOere: Oere) =>
      applyRetention(weeklyRateOere(monthlyOere), years, annualRetentionBasisPoints);
    const result = input.result;
    const earnings =
      result?.kind === 'job'
        ? jobEarnings(input.benefit, input.rateGroup, rate.monthlyOere, result.hoursPerWeek, weekStart)
        : undefined;
    const su = result?.kind === 'education' ? suOn(input.rateGroup, weekStart) : undefined;
    const grossOere = retained(earnings ? earnings.monthlySavedOere : rate.monthlyOere);
    const suOere = su ? retained(su.oere) : 0;
    const split = splitWeeklyBenefit(grossOere, cumulativeWeek);
    return {
      weekStart,
      cumulativeWeek,
      rateEffectiveFrom: rate.effectiveFrom,
      weeklyRateOere: weeklyRateOere(rate.monthlyOere),
      ...(earnings ? { earnings } : {}),
      ...(su ? { su } : {}),
      retentionYears: years,
      grossOere,
      stateOere: split.stateOere - suOere,
      municipalityOere: split.municipalityOere,
      suOere,
    };
  });
}

/**
 * Deadweight for amounts in consecutive buckets (years, months): applied to the running total, each bucket
 * getting the growth of the rounded running total. So the buckets add up exactly to the deadweighted total, and
 * a cumulative series ends on it; a bucket may differ by one øre from deadweighting it alone.
 */
export function deadweightByBucket(rawAmounts: readonly Oere[], deadweightBasisPoints: number): Oere[] {
  let rawSoFar = 0;
  let keptSoFar = 0;
  return rawAmounts.map((raw) => {
    rawSoFar += assertOere(raw);
    const kept = applyDeadweight(rawSoFar, deadweightBasisPoints);
    const bucket = kept - keptSoFar;
    keptSoFar = kept;
    return bucket;
  });
}

export interface YearSaving {
  year: number;
  municipalityOere: Oere;
  stateOere: Oere;
}

export interface SavingsSummary {
  /** Per calendar year of the week's start, ascending, after deadweight. Only years with weeks appear. */
  years: YearSaving[];
  total: { municipalityOere: Oere; stateOere: Oere };
}

/** Sums weeks (of one citizen or many) per calendar year, after deadweight, with the totals. */
export function savingsByYear(
  weeks: readonly WeekSaving[],
  assumptions: SavingsAssumptions = defaultSavingsAssumptions,
): SavingsSummary {
  const { deadweightBasisPoints } = assertAssumptions(assumptions);
  const raw = new Map<number, { municipality: Oere; state: Oere }>();
  for (const week of weeks) {
    const year = Number(week.weekStart.slice(0, 4));
    const sums = raw.get(year) ?? { municipality: 0, state: 0 };
    sums.municipality += week.municipalityOere;
    sums.state += week.stateOere;
    raw.set(year, sums);
  }
  const years = [...raw.keys()].sort((a, b) => a - b);
  const municipality = deadweightByBucket(
    years.map((y) => raw.get(y)?.municipality ?? 0),
    deadweightBasisPoints,
  );
  const state = deadweightByBucket(
    years.map((y) => raw.get(y)?.state ?? 0),
    deadweightBasisPoints,
  );
  const perYear = years.map((year, i) => ({
    year,
    municipalityOere: municipality[i] ?? 0,
    stateOere: state[i] ?? 0,
  }));
  return {
    years: perYear,
    total: {
      municipalityOere: perYear.reduce((sum, y) => sum + y.municipalityOere, 0),
      stateOere: perYear.reduce((sum, y) => sum + y.stateOere, 0),
    },
  };
}
