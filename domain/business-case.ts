import type { Benefit, BenefitRate, RateGroup } from './benefits.ts';
import { ASSUMED_REGULATION_BASIS_POINTS, benefitRates, REFORM_DATE, REFORM_GAP } from './benefits.ts';
import { addMonths, type IsoDate, isIsoDate } from './dates.ts';
import {
  type DeadweightAssumption,
  deadweightAssumptions,
  deadweightBasisPointsOf,
  deadweightOn,
  type Readiness,
} from './deadweight.ts';
import { type DatedAmount, EARNINGS_RULE_NOTE, earningsAmounts } from './earnings.ts';
import { assertOere, divideRounded, type Oere } from './money.ts';
import { findMunicipality, type Municipality, municipalities } from './programme.ts';
import { explainStaircase } from './reimbursement.ts';
import {
  type AssumptionExplanation,
  assertAssumptions,
  deadweightByBucket,
  defaultSavingsAssumptions,
  explainAssumptions,
  type OffBenefitPeriod,
  type SavingsAssumptions,
  savingsByWeek,
  type WeekSaving,
  type YearSaving,
} from './savings.ts';

/**
 * The municipality's business case (issue 3, "The business case"): what it paid for results (the investment)
 * against what the results saved it over a horizon, per municipality, per cluster and for the programme.
 *
 * How the pieces fit:
 * - Savings are priced per citizen and week (savings.ts) and summed per municipality and calendar month.
 *   Deadweight is applied to each municipality's running total (`deadweightByBucket`), so its months and years
 *   add up exactly to its total.
 * - Clusters and the programme are sums of their municipalities, never recomputed from citizens, so a cluster's
 *   figures equal the sum of its municipalities' to the øre. Only the payback month and the next cohort's cost
 *   are derived again for each group, because they are not additive.
 * - The horizon is whole calendar months: month 1 is the month of `start`, and it ends before month
 *   12 × horizonYears + 1. A payment counts in the month of its due date; a week off benefit in the month it
 *   starts. Anything from the horizon's end onwards is left out.
 * - Two bases (issue 9): *confirmed* savings count only the weeks the milestones verified; *expected* savings
 *   project the result to its end or the horizon with the retention assumption. Both are always computed and
 *   shown side by side; `basis` picks the one the headline figures and the funding decision use (confirmed by
 *   default: nothing is claimed before somebody confirmed it).
 * - Two views: *PbR* weighs the savings against the results-based payments only; *full* adds the programme's own
 *   costs (the accelerator, the employment actor's year) per citizen and per company, counted in the horizon's
 *   first month, as the grant that paid them was spent up front.
 * - Deadweight follows each citizen's readiness under the assumption in force on the referral date
 *   (domain/deadweight.ts), unless the caller gives one figure for everyone.
 * - Two sides (issue 7, item 5): what was paid to each side, the employment actors and the social accelerator
 *   (its share of citizens' job results and its company-side results), and what each side's results saved. A
 *   citizen's savings count for the accelerator's side when the result's job was with an accelerator company,
 *   otherwise for the employment actor's. The accelerator's side is computed on its own (deadweight on its own
 *   running total) and the employment actor's is the group's total less it, so the two sides always add up to
 *   the group's figures to the øre; company-side payments are part of every "paid" figure.
 */
export type Payee = 'employment-actor' | 'social-accelerator';
export const payees: readonly Payee[] = ['employment-actor', 'social-accelerator'];

/** Which results a payment pays for: a citizen's, or a company's (issue 7; paid to the social accelerator). */
export type PaymentTrack = 'citizen' | 'company';

export interface CitizenCase {
  referralId: string;
  /** Kommunekode. */
  municipality: string;
  benefit: Benefit;
  rateGroup: RateGroup;
  readiness: Readiness;
  weeksOnBenefitAtReferral: number;
  referredOn: IsoDate;
  /**
   * Expected: the caller decides the periods: ended, or projected to the horizon's end. They must not overlap.
   */
  offBenefit: OffBenefitPeriod[];
  /** Confirmed: the part of those periods the milestones verified. Absent: none. */
  confirmed?: OffBenefitPeriod[];
  /**
   * Whose results the citizen's savings count as: the social accelerator's when the result's job was with an
   * accelerator company. Absent: the employment actor's.
   */
  side?: Payee;
}

/** Which savings the headline figures and the funding decision use. */
export type Basis = 'confirmed' | 'expected';
export const bases: readonly Basis[] = ['confirmed', 'expected'];

/** PbR only, or with the programme's own costs. */
export type View = 'pbr' | 'full';
export const views: readonly View[] = ['pbr', 'full'];

/**
 * The programme's own costs, per citizen (the employment actor's year) and per company (the accelerator). The
 * defaults spread the real programme's published total, DKK 34,152,809 of eligible costs for 18 places and 18
 * companies (erhvervsfremmebestyrelsen.dk; half of it from the European Social Fund), evenly over the 36:
 * DKK 948,689.14 each (rounded to the øre, so 36 of them are 4 øre more than the total).
 */
export interface ProgrammeCosts {
  perCitizenOere: Oere;
  perCompanyOere: Oere;
}

export const PUBLISHED_PROGRAMME_COST_OERE: Oere = 3_415_280_900;
export const PUBLISHED_PLACES = 18;
export const PUBLISHED_COMPANIES = 18;

export const defaultProgrammeCosts: ProgrammeCosts = {
  perCitizenOere: divideRounded(PUBLISHED_PROGRAMME_COST_OERE, PUBLISHED_PLACES + PUBLISHED_COMPANIES),
  perCompanyOere: divideRounded(PUBLISHED_PROGRAMME_COST_OERE, PUBLISHED_PLACES + PUBLISHED_COMPANIES),
};

export const PROGRAMME_COST_NOTE =
  'Programmets egne omkostninger (fuld visning): det faktiske programs offentliggjorte støtteberettigede ' +
  'omkostninger, 34.152.809 kr. for 18 pladser og 18 virksomheder (erhvervsfremmebestyrelsen.dk; halvdelen ' +
  'finansieret af Den Europæiske Socialfond), fordelt ligeligt på de 36 som standard (948.689,14 kr. pr. borger ' +
  'og pr. virksomhed, vores fordeling). En kommune regnes med én virksomhed pr. plads, til virksomhederne ' +
  'registreres. Omkostningerne tælles i horisontens første måned. Hele omkostningen tælles, også EU-delen, så ' +
  'den fulde visning er programmets, ikke kun kommunens, regnskab.';

export interface ProgrammePayment {
  /** Kommunekode of the paying municipality. */
  municipality: string;
  amountOere: Oere;
  dueDate: IsoDate;
  payee: Payee;
  /** Absent: a citizen's result. A company's result is always paid to the social accelerator. */
  track?: PaymentTrack;
}

/**
 * The business case's assumptions: retention, and deadweight either one figure for every citizen or, when absent,
 * by each citizen's readiness (domain/deadweight.ts).
 */
export interface CaseAssumptions {
  annualRetentionBasisPoints: number;
  deadweightBasisPoints?: number;
}

export interface BusinessCaseOptions {
  /** Any day in the programme's first month. */
  start: IsoDate;
  /** Default 5 (issue 3). */
  horizonYears?: number;
  assumptions?: CaseAssumptions;
  /** Default confirmed. */
  basis?: Basis;
  /** Default `defaultProgrammeCosts`. */
  programmeCosts?: ProgrammeCosts;
  rates?: readonly BenefitRate[];
  /** A municipality's places in this programme (a programme at scale has more than the seed). */
  placesOf?: (municipality: Municipality) => number;
}

export const DEFAULT_HORIZON_YEARS = 5;

export interface MonthPoint {
  /** YYYY-MM. */
  month: string;
  cumulativePaidOere: Oere;
  /** Municipal savings after deadweight, on the report's basis. */
  cumulativeSavedOere: Oere;
}

/** A group's savings on one basis, after deadweight, within the horizon. */
export interface SavingsFigures {
  municipalSavingsOere: Oere;
  /** The state's reimbursement share saved, less the SU it pays students (may be negative). */
  stateSavingsOere: Oere;
  /** Per month of the horizon, cumulative. */
  cumulativeSavedOere: Oere[];
  savingsByYear: YearSaving[];
}

/** Whether the group gained, on one basis and in one view. */
export interface Verdict {
  /** What is weighed against the savings: the payments, and in the full view the programme's own costs. */
  costOere: Oere;
  netOere: Oere;
  paybackMonth: number | null;
  nextCohortCostOere: Oere;
  fundsNextCohort: boolean;
}

export type GroupKind = 'programme' | 'cluster' | 'municipality';

/** One side's savings on one basis, after deadweight, within the horizon. */
export interface SideSavings {
  municipalSavingsOere: Oere;
  stateSavingsOere: Oere;
}

/** What one side was paid, and what its results saved (issue 7, item 5). */
export interface SideCase {
  /** Citizens with a result counted for this side. */
  results: number;
  /** Everything paid to this side: `paidForCitizenResultsOere` + `paidForCompanyResultsOere`. */
  paidOere: Oere;
  paidForCitizenResultsOere: Oere;
  /** The social accelerator's company-side results; always 0 for the employment actors. */
  paidForCompanyResultsOere: Oere;
  /** On the report's basis. */
  municipalSavingsOere: Oere;
  savings: Record<Basis, SideSavings>;
}

export interface GroupCase {
  kind: GroupKind;
  /** "programme", "cluster-1", "cluster-2", or the kommunekode. */
  key: string;
  name: string;
  places: number;
  citizens: number;
  /** One accelerator company per place until companies are recorded (issue 7). */
  companies: number;
  /** Every payment, the company-side results' included. */
  paidOere: Oere;
  paidToEmploymentActorsOere: Oere;
  /** The accelerator's share of citizens' job results and its company-side results. */
  paidToAcceleratorOere: Oere;
  /** Paid to each side and what each side's results saved; the two add up to the group's figures. */
  sides: Record<Payee, SideCase>;
  /** The programme's own costs: citizens × per citizen + companies × per company (the full view). */
  programmeCostOere: Oere;
  /** After deadweight, within the horizon, on the report's basis. */
  municipalSavingsOere: Oere;
  stateSavingsOere: Oere;
  /** On the report's basis, PbR view: municipal savings less what was paid. */
  netOere: Oere;
  /** 1-based month from `start` from which cumulative savings cover cumulative payments; null if never. */
  paybackMonth: number | null;
  /** Paid per citizen × places, rounded by the one rule; 0 without citizens. */
  nextCohortCostOere: Oere;
  fundsNextCohort: boolean;
  series: MonthPoint[];
  /** Every calendar year the horizon touches, ascending, after deadweight, on the report's basis. */
  savingsByYear: YearSaving[];
  /** Both bases side by side. */
  savings: Record<Basis, SavingsFigures>;
  /** Both views on both bases. */
  verdicts: Record<View, Record<Basis, Verdict>>;
}

export interface BusinessCase {
  horizon: {
    /** The first month, YYYY-MM. */
    startMonth: string;
    /** Exclusive: the first day after the horizon. */
    end: IsoDate;
    years: number;
    months: number;
  };
  basis: Basis;
  assumptions: CaseAssumptions & { explanations: AssumptionExplanation[] };
  /** The readiness deadweight assumptions the citizens were priced with (when no single figure was given). */
  deadweight: DeadweightAssumption[];
  /** Every wage, disregard and SU amount a counted week used, published or assumed. */
  earningsAmounts: DatedAmount[];
  programmeCosts: ProgrammeCosts & { note: string };
  /**
   * Every benefit rate a counted week was priced with, by benefit, group and date: published ones with their
   * source, assumed ones with their label, so each figure traces to a dated rate.
   */
  rates: BenefitRate[];
  /** The rules behind the assumed rates, the reform's gap and the refusion staircase, in Danish. */
  rateNotes: string[];
  programme: GroupCase;
  clusters: GroupCase[];
  municipalities: GroupCase[];
}

interface Horizon {
  first: IsoDate;
  end: IsoDate;
  months: number;
}

/** 0-based month of a date within the horizon; null from the horizon's end. Before its start is an error. */
function monthIndex(horizon: Horizon, date: IsoDate, what: string): number | null {
  if (!isIsoDate(date)) throw new RangeError(`${what} is not a calendar date: ${date}`);
  const [fy, fm] = horizon.first.split('-').map(Number) as [number, number];
  const [y, m] = date.split('-').map(Number) as [number, number];
  const index = y * 12 + m - (fy * 12 + fm);
  if (index < 0)
    throw new RangeError(`${what} ${date} lies before the programme's first month ${horizon.first}`);
  return index < horizon.months ? index : null;
}

/** Raw savings per month before deadweight, kept per deadweight figure: each is applied to its own running total. */
type RawSavings = Map<number, { municipal: Oere[]; state: Oere[] }>;

/** Per-month raw amounts of one municipality, before deadweight. */
interface MunicipalityLedger {
  paid: Oere[];
  paidToEmploymentActors: Oere;
  paidToAccelerator: Oere;
  /** Of `paidToAccelerator`: for company-side results. */
  paidForCompanyResults: Oere;
  saved: Record<Basis, RawSavings>;
  /** The part of `saved` that the accelerator's side's results saved. */
  acceleratorSaved: Record<Basis, RawSavings>;
  citizens: number;
  results: Record<Payee, number>;
}

function emptyLedger(months: number): MunicipalityLedger {
  return {
    paid: Array<Oere>(months).fill(0),
    paidToEmploymentActors: 0,
    paidToAccelerator: 0,
    paidForCompanyResults: 0,
    saved: { confirmed: new Map(), expected: new Map() },
    acceleratorSaved: { confirmed: new Map(), expected: new Map() },
    citizens: 0,
    results: { 'employment-actor': 0, 'social-accelerator': 0 },
  };
}

/** What a business case used, so that every figure traces to a dated assumption listed with it. */
interface Used {
  rates: Set<string>;
  amounts: Set<DatedAmount>;
  deadweight: Set<DeadweightAssumption>;
}

interface Pricing {
  horizon: Horizon;
  assumptions: CaseAssumptions;
  rates: readonly BenefitRate[];
  used: Used;
}

/** Two periods of one citizen that overlap would count the same weeks twice. */
function assertNoOverlap(referralId: string, periods: readonly OffBenefitPeriod[]): void {
  const sorted = [...periods].sort((a, b) => a.from.localeCompare(b.from));
  for (let i = 1; i < sorted.length; i++) {
    const previous = sorted[i - 1];
    const current = sorted[i];
    if (previous && current && current.from < previous.until) {
      throw new RangeError(`Referral ${referralId} has overlapping periods off benefit`);
    }
  }
}

/** A confirmed week is one the citizen is also expected to be off benefit: confirmed periods lie within expected. */
function assertConfirmedWithin(citizen: CitizenCase): void {
  for (const c of citizen.confirmed ?? []) {
    if (!citizen.offBenefit.some((p) => p.from <= c.from && c.until <= p.until)) {
      throw new RangeError(
        `Referral ${citizen.referralId} has a confirmed period (${c.from}–${c.until}) outside its periods off benefit`,
      );
    }
  }
}

function recordUse(used: Used, citizen: CitizenCase, week: WeekSaving): void {
  used.rates.add(rateKey(citizen.benefit, citizen.rateGroup, week.rateEffectiveFrom));
  if (week.earnings) {
    used.amounts.add(week.earnings.wage);
    if (week.earnings.disregard) used.amounts.add(week.earnings.disregard);
  }
  if (week.su) used.amounts.add(week.su);
}

function addCitizen(ledger: MunicipalityLedger, citizen: CitizenCase, pricing: Pricing): void {
  const { horizon, assumptions, rates, used } = pricing;
  ledger.citizens += 1;
  assertNoOverlap(citizen.referralId, citizen.offBenefit);
  assertNoOverlap(citizen.referralId, citizen.confirmed ?? []);
  assertConfirmedWithin(citizen);
  const deadweight =
    assumptions.deadweightBasisPoints ?? deadweightBasisPointsOf(citizen.readiness, citizen.referredOn);
  if (assumptions.deadweightBasisPoints === undefined) used.deadweight.add(deadweightOn(citizen.referredOn));
  const savingsAssumptions: SavingsAssumptions = {
    deadweightBasisPoints: deadweight,
    annualRetentionBasisPoints: assumptions.annualRetentionBasisPoints,
  };
  const side = citizen.side ?? 'employment-actor';
  if (citizen.offBenefit.length > 0) ledger.results[side] += 1;
  const rawSums = (raw: RawSavings) => {
    const sums = raw.get(deadweight) ?? {
      municipal: Array<Oere>(horizon.months).fill(0),
      state: Array<Oere>(horizon.months).fill(0),
    };
    raw.set(deadweight, sums);
    return sums;
  };
  for (const basis of bases) {
    // Verified weeks are never discounted by retention: their projection ends where they do.
    const periods =
      basis === 'expected'
        ? citizen.offBenefit
        : (citizen.confirmed ?? []).map((p) => ({ ...p, sustainmentEnd: p.sustainmentEnd ?? p.until }));
    const targets = [rawSums(ledger.saved[basis])];
    if (side === 'social-accelerator') targets.push(rawSums(ledger.acceleratorSaved[basis]));
    for (const period of periods) {
      if (period.from >= horizon.end) continue;
      // ISO dates compare as text; Math.min would turn them into NaN.
      const until = period.until.localeCompare(horizon.end) < 0 ? period.until : horizon.end;
      const weeks = savingsByWeek({ ...citizen, ...period, until }, savingsAssumptions, rates);
      for (const week of weeks) {
        const index = monthIndex(
          horizon,
          week.weekStart,
          `Referral ${citizen.referralId}: a week off benefit on`,
        );
        if (index === null) continue;
        recordUse(used, citizen, week);
        for (const sums of targets) {
          sums.municipal[index] = (sums.municipal[index] ?? 0) + week.municipalityOere;
          sums.state[index] = (sums.state[index] ?? 0) + week.stateOere;
        }
      }
    }
  }
}

function rateKey(benefit: Benefit, rateGroup: RateGroup, effectiveFrom: IsoDate): string {
  return `${benefit}/${rateGroup}/${effectiveFrom}`;
}

/** The notes that apply to a horizon: the regulation rule always, the reform's gap once the horizon reaches it. */
export function rateNotes(horizonEnd: IsoDate): string[] {
  const regulation = `${ASSUMED_REGULATION_BASIS_POINTS / 100}`.replace('.', ',');
  return [
    'Ydelsessatser: offentliggjorte satser med kilde; et år uden offentliggjort sats får det foregående års ' +
      `sats reguleret med ${regulation} % (før første offentliggjorte år: det følgende års nedreguleret), ` +
      'omtrent den årlige stigning i de offentliggjorte satser 2019–2024. Vores antagelse; hver antaget sats er ' +
      'mærket i tabellen.',
    ...(horizonEnd > REFORM_DATE ? [REFORM_GAP] : []),
    explainStaircase(),
  ];
}

function addPayment(ledger: MunicipalityLedger, payment: ProgrammePayment, horizon: Horizon): void {
  const amount = assertOere(payment.amountOere);
  const company = payment.track === 'company';
  if (company && payment.payee !== 'social-accelerator') {
    throw new RangeError(`A company-side result is paid to the social accelerator, not to ${payment.payee}`);
  }
  const index = monthIndex(horizon, payment.dueDate, 'A payment due');
  if (index === null) return;
  ledger.paid[index] = (ledger.paid[index] ?? 0) + amount;
  if (payment.payee === 'employment-actor') ledger.paidToEmploymentActors += amount;
  else ledger.paidToAccelerator += amount;
  if (company) ledger.paidForCompanyResults += amount;
}

function monthLabels(horizon: Horizon): string[] {
  return Array.from({ length: horizon.months }, (_, i) => addMonths(horizon.first, i).slice(0, 7));
}

function runningTotal(amounts: readonly Oere[]): Oere[] {
  let sum = 0;
  return amounts.map((amount) => {
    sum += amount;
    return sum;
  });
}

/**
 * The first month (1-based) from which cumulative savings cover cumulative payments, with something paid, and
 * keep covering them to the horizon's end. A later payment can put a group behind again after it first caught
 * up; reporting that first month would promise a payback the horizon's end contradicts, so the month counts
 * only if the group stays covered.
 */
export function paybackMonth(series: readonly MonthPoint[]): number | null {
  let candidate: number | null = null;
  series.forEach((point, i) => {
    const covered = point.cumulativePaidOere > 0 && point.cumulativeSavedOere >= point.cumulativePaidOere;
    if (!covered) candidate = null;
    else if (candidate === null) candidate = i + 1;
  });
  return candidate;
}

/** What the same group would cost for a new cohort: the average paid per citizen, for every place. */
export function nextCohortCost(paidOere: Oere, citizens: number, places: number): Oere {
  return citizens > 0 ? divideRounded(paidOere * places, citizens) : 0;
}

/** The additive figures of a group; the verdicts and headline figures are completed by `finishGroup`. */
type GroupSums = Pick<
  GroupCase,
  | 'kind'
  | 'key'
  | 'name'
  | 'places'
  | 'citizens'
  | 'companies'
  | 'paidOere'
  | 'paidToEmploymentActorsOere'
  | 'paidToAcceleratorOere'
  | 'programmeCostOere'
  | 'savings'
> & {
  months: readonly string[];
  cumulativePaidOere: Oere[];
  /** The sides' additive figures; their savings on the report's basis are picked by `finishGroup`. */
  sides: Record<Payee, Omit<SideCase, 'municipalSavingsOere'>>;
};

function verdict(sums: GroupSums, basis: Basis, view: View): Verdict {
  const upfront = view === 'full' ? sums.programmeCostOere : 0;
  const cumulativeCost = sums.cumulativePaidOere.map((paid) => paid + upfront);
  const saved = sums.savings[basis];
  const costOere = cumulativeCost.at(-1) ?? upfront;
  const netOere = saved.municipalSavingsOere - costOere;
  const nextCohortCostOere = nextCohortCost(costOere, sums.citizens, sums.places);
  return {
    costOere,
    netOere,
    paybackMonth: paybackMonth(
      sums.months.map((month, i) => ({
        month,
        cumulativePaidOere: cumulativeCost[i] ?? 0,
        cumulativeSavedOere: saved.cumulativeSavedOere[i] ?? 0,
      })),
    ),
    nextCohortCostOere,
    fundsNextCohort: nextCohortCostOere > 0 && netOere >= nextCohortCostOere,
  };
}

function finishGroup(sums: GroupSums, basis: Basis): GroupCase {
  const verdicts = {
    pbr: { confirmed: verdict(sums, 'confirmed', 'pbr'), expected: verdict(sums, 'expected', 'pbr') },
    full: { confirmed: verdict(sums, 'confirmed', 'full'), expected: verdict(sums, 'expected', 'full') },
  };
  const headline = verdicts.pbr[basis];
  const saved = sums.savings[basis];
  return {
    kind: sums.kind,
    key: sums.key,
    name: sums.name,
    places: sums.places,
    citizens: sums.citizens,
    companies: sums.companies,
    paidOere: sums.paidOere,
    paidToEmploymentActorsOere: sums.paidToEmploymentActorsOere,
    paidToAcceleratorOere: sums.paidToAcceleratorOere,
    sides: {
      'employment-actor': sideOnBasis(sums.sides['employment-actor'], basis),
      'social-accelerator': sideOnBasis(sums.sides['social-accelerator'], basis),
    },
    programmeCostOere: sums.programmeCostOere,
    municipalSavingsOere: saved.municipalSavingsOere,
    stateSavingsOere: saved.stateSavingsOere,
    netOere: headline.netOere,
    paybackMonth: headline.paybackMonth,
    nextCohortCostOere: headline.nextCohortCostOere,
    fundsNextCohort: headline.fundsNextCohort,
    series: sums.months.map((month, i) => ({
      month,
      cumulativePaidOere: sums.cumulativePaidOere[i] ?? 0,
      cumulativeSavedOere: saved.cumulativeSavedOere[i] ?? 0,
    })),
    savingsByYear: saved.savingsByYear,
    savings: sums.savings,
    verdicts,
  };
}

function sideOnBasis(side: Omit<SideCase, 'municipalSavingsOere'>, basis: Basis): SideCase {
  return {
    results: side.results,
    paidOere: side.paidOere,
    paidForCitizenResultsOere: side.paidForCitizenResultsOere,
    paidForCompanyResultsOere: side.paidForCompanyResultsOere,
    municipalSavingsOere: side.savings[basis].municipalSavingsOere,
    savings: side.savings,
  };
}

/** A savings figure's two sums alone (a SavingsFigures carries its series too). */
const pickSavings = (s: SideSavings): SideSavings => ({
  municipalSavingsOere: s.municipalSavingsOere,
  stateSavingsOere: s.stateSavingsOere,
});

/**
 * A municipality's two sides: the accelerator's savings from its own raw sums (deadweight on its own running
 * total), the employment actor's the municipality's total less the accelerator's, so the two add up to the øre.
 */
function splitBySide(
  total: Record<Basis, SideSavings>,
  accelerator: Record<Basis, SideSavings>,
  paid: { toEmploymentActors: Oere; toAccelerator: Oere; forCompanyResults: Oere },
  results: Record<Payee, number>,
): Record<Payee, Omit<SideCase, 'municipalSavingsOere'>> {
  const rest = (basis: Basis): SideSavings => ({
    municipalSavingsOere: total[basis].municipalSavingsOere - accelerator[basis].municipalSavingsOere,
    stateSavingsOere: total[basis].stateSavingsOere - accelerator[basis].stateSavingsOere,
  });
  if (paid.forCompanyResults > paid.toAccelerator) {
    throw new RangeError('The company-side results are part of what was paid to the social accelerator');
  }
  return {
    'employment-actor': {
      results: results['employment-actor'],
      paidOere: paid.toEmploymentActors,
      paidForCitizenResultsOere: paid.toEmploymentActors,
      paidForCompanyResultsOere: 0,
      savings: { confirmed: rest('confirmed'), expected: rest('expected') },
    },
    'social-accelerator': {
      results: results['social-accelerator'],
      paidOere: paid.toAccelerator,
      paidForCitizenResultsOere: paid.toAccelerator - paid.forCompanyResults,
      paidForCompanyResultsOere: paid.forCompanyResults,
      savings: {
        confirmed: pickSavings(accelerator.confirmed),
        expected: pickSavings(accelerator.expected),
      },
    },
  };
}

/** One basis's savings of a municipality: each deadweight figure applied to its own running total, then summed. */
function savingsFigures(raw: RawSavings, months: readonly string[]): SavingsFigures {
  const municipal = Array<Oere>(months.length).fill(0);
  const state = Array<Oere>(months.length).fill(0);
  for (const [deadweight, sums] of raw) {
    deadweightByBucket(sums.municipal, deadweight).forEach((amount, i) => {
      municipal[i] = (municipal[i] ?? 0) + amount;
    });
    deadweightByBucket(sums.state, deadweight).forEach((amount, i) => {
      state[i] = (state[i] ?? 0) + amount;
    });
  }
  const years = new Map<number, YearSaving>();
  months.forEach((label, i) => {
    const year = Number(label.slice(0, 4));
    const entry = years.get(year) ?? { year, municipalityOere: 0, stateOere: 0 };
    entry.municipalityOere += municipal[i] ?? 0;
    entry.stateOere += state[i] ?? 0;
    years.set(year, entry);
  });
  const cumulativeSavedOere = runningTotal(municipal);
  return {
    municipalSavingsOere: cumulativeSavedOere.at(-1) ?? 0,
    stateSavingsOere: state.reduce((sum, amount) => sum + amount, 0),
    cumulativeSavedOere,
    savingsByYear: [...years.values()],
  };
}

function municipalitySums(
  municipality: Municipality,
  ledger: MunicipalityLedger,
  months: readonly string[],
  places: number,
  costs: ProgrammeCosts,
): GroupSums {
  const cumulativePaidOere = runningTotal(ledger.paid);
  const savings = {
    confirmed: savingsFigures(ledger.saved.confirmed, months),
    expected: savingsFigures(ledger.saved.expected, months),
  };
  const accelerator = {
    confirmed: savingsFigures(ledger.acceleratorSaved.confirmed, months),
    expected: savingsFigures(ledger.acceleratorSaved.expected, months),
  };
  return {
    kind: 'municipality',
    key: municipality.code,
    name: municipality.name,
    places,
    citizens: ledger.citizens,
    companies: places,
    paidOere: cumulativePaidOere.at(-1) ?? 0,
    paidToEmploymentActorsOere: ledger.paidToEmploymentActors,
    paidToAcceleratorOere: ledger.paidToAccelerator,
    sides: splitBySide(
      savings,
      accelerator,
      {
        toEmploymentActors: ledger.paidToEmploymentActors,
        toAccelerator: ledger.paidToAccelerator,
        forCompanyResults: ledger.paidForCompanyResults,
      },
      ledger.results,
    ),
    programmeCostOere: ledger.citizens * costs.perCitizenOere + places * costs.perCompanyOere,
    months,
    cumulativePaidOere,
    savings,
  };
}

/** Sums municipalities into a cluster or the programme, figure by figure and month by month. */
function sumGroups(kind: GroupKind, key: string, name: string, parts: readonly GroupSums[]): GroupSums {
  const first = parts[0];
  if (!first) throw new RangeError(`${name} has no municipalities`);
  const total = (pick: (g: GroupSums) => number): number => parts.reduce((sum, g) => sum + pick(g), 0);
  const sumSavings = (basis: Basis): SavingsFigures => ({
    municipalSavingsOere: total((g) => g.savings[basis].municipalSavingsOere),
    stateSavingsOere: total((g) => g.savings[basis].stateSavingsOere),
    cumulativeSavedOere: first.months.map((_, i) =>
      total((g) => g.savings[basis].cumulativeSavedOere[i] ?? 0),
    ),
    savingsByYear: first.savings[basis].savingsByYear.map((entry, i) => ({
      year: entry.year,
      municipalityOere: total((g) => g.savings[basis].savingsByYear[i]?.municipalityOere ?? 0),
      stateOere: total((g) => g.savings[basis].savingsByYear[i]?.stateOere ?? 0),
    })),
  });
  return {
    kind,
    key,
    name,
    places: total((g) => g.places),
    citizens: total((g) => g.citizens),
    companies: total((g) => g.companies),
    paidOere: total((g) => g.paidOere),
    paidToEmploymentActorsOere: total((g) => g.paidToEmploymentActorsOere),
    paidToAcceleratorOere: total((g) => g.paidToAcceleratorOere),
    sides: {
      'employment-actor': sumSide(parts.map((g) => g.sides['employment-actor'])),
      'social-accelerator': sumSide(parts.map((g) => g.sides['social-accelerator'])),
    },
    programmeCostOere: total((g) => g.programmeCostOere),
    months: first.months,
    cumulativePaidOere: first.months.map((_, i) => total((g) => g.cumulativePaidOere[i] ?? 0)),
    savings: { confirmed: sumSavings('confirmed'), expected: sumSavings('expected') },
  };
}

function sumSide(
  parts: ReadonlyArray<Omit<SideCase, 'municipalSavingsOere'>>,
): Omit<SideCase, 'municipalSavingsOere'> {
  const total = (pick: (s: Omit<SideCase, 'municipalSavingsOere'>) => number): number =>
    parts.reduce((sum, s) => sum + pick(s), 0);
  const onBasis = (basis: Basis): SideSavings => ({
    municipalSavingsOere: total((s) => s.savings[basis].municipalSavingsOere),
    stateSavingsOere: total((s) => s.savings[basis].stateSavingsOere),
  });
  return {
    results: total((s) => s.results),
    paidOere: total((s) => s.paidOere),
    paidForCitizenResultsOere: total((s) => s.paidForCitizenResultsOere),
    paidForCompanyResultsOere: total((s) => s.paidForCompanyResultsOere),
    savings: { confirmed: onBasis('confirmed'), expected: onBasis('expected') },
  };
}

function assertCosts(costs: ProgrammeCosts): ProgrammeCosts {
  for (const [name, value] of Object.entries(costs)) {
    if (!Number.isSafeInteger(value) || value < 0)
      throw new RangeError(`${name} must be whole øre ≥ 0, got ${value}`);
  }
  return costs;
}

export function businessCase(
  citizens: readonly CitizenCase[],
  payments: readonly ProgrammePayment[],
  options: BusinessCaseOptions,
): BusinessCase {
  const horizonYears = options.horizonYears ?? DEFAULT_HORIZON_YEARS;
  if (!Number.isInteger(horizonYears) || horizonYears < 1) {
    throw new RangeError(`The horizon is a whole number of years from 1, got ${horizonYears}`);
  }
  if (!isIsoDate(options.start)) throw new RangeError(`start is not a calendar date: ${options.start}`);
  const given = options.assumptions ?? {
    annualRetentionBasisPoints: defaultSavingsAssumptions.annualRetentionBasisPoints,
  };
  // The one validation of basis points; a deadweight of 0 stands in when deadweight follows readiness.
  assertAssumptions({
    deadweightBasisPoints: given.deadweightBasisPoints ?? 0,
    annualRetentionBasisPoints: given.annualRetentionBasisPoints,
  });
  const basis = options.basis ?? 'confirmed';
  const costs = assertCosts(options.programmeCosts ?? defaultProgrammeCosts);
  const rates = options.rates ?? benefitRates;
  const first = `${options.start.slice(0, 7)}-01`;
  const horizon: Horizon = { first, months: horizonYears * 12, end: addMonths(first, horizonYears * 12) };
  const used: Used = { rates: new Set(), amounts: new Set(), deadweight: new Set() };
  const pricing: Pricing = { horizon, assumptions: given, rates, used };

  // One ledger per municipality of the programme, so those without citizens are reported too.
  const ledgers = new Map(municipalities.map((m) => [m.code, emptyLedger(horizon.months)]));
  const ledgerOf = (code: string, what: string): MunicipalityLedger => {
    const ledger = ledgers.get(code);
    if (!ledger) throw new RangeError(`${what} names municipality ${code}, which is not in the programme`);
    return ledger;
  };
  const seen = new Set<string>();
  for (const citizen of citizens) {
    if (seen.has(citizen.referralId)) throw new RangeError(`Referral ${citizen.referralId} is listed twice`);
    seen.add(citizen.referralId);
    addCitizen(ledgerOf(citizen.municipality, `Referral ${citizen.referralId}`), citizen, pricing);
  }
  for (const payment of payments) addPayment(ledgerOf(payment.municipality, 'A payment'), payment, horizon);

  const labels = monthLabels(horizon);
  const placesOf = options.placesOf ?? ((municipality: Municipality) => municipality.places);
  const perMunicipality = municipalities.map((m) =>
    municipalitySums(m, ledgerOf(m.code, 'The programme'), labels, placesOf(m), costs),
  );
  const clusterSums = ([1, 2] as const).map((cluster) =>
    sumGroups(
      'cluster',
      `cluster-${cluster}`,
      `Klynge ${cluster} (${municipalities.find((m) => m.cluster === cluster)?.clusterYear ?? ''})`,
      perMunicipality.filter((g) => findMunicipality(g.key)?.cluster === cluster),
    ),
  );
  const programme = sumGroups(
    'programme',
    'programme',
    'Social inklusion gennem Vækstpartnerskaber',
    clusterSums,
  );
  const deadweightUsed = [...used.deadweight].sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom));
  return {
    horizon: { startMonth: first.slice(0, 7), end: horizon.end, years: horizonYears, months: horizon.months },
    basis,
    assumptions: { ...given, explanations: explainCaseAssumptions(given, deadweightUsed) },
    deadweight: deadweightUsed,
    earningsAmounts: earningsAmounts.filter((a) => used.amounts.has(a)),
    programmeCosts: { ...costs, note: PROGRAMME_COST_NOTE },
    rates: rates.filter((r) => used.rates.has(rateKey(r.benefit, r.rateGroup, r.effectiveFrom))),
    rateNotes: [...rateNotes(horizon.end), EARNINGS_RULE_NOTE],
    programme: finishGroup(programme, basis),
    clusters: clusterSums.map((g) => finishGroup(g, basis)),
    municipalities: perMunicipality.map((g) => finishGroup(g, basis)),
  };
}

/**
 * The assumptions in words. With one deadweight figure the savings module's explanation says it all; with deadweight
 * by readiness, the deadweight line names the dated readiness assumptions the citizens were priced with.
 */
export function explainCaseAssumptions(
  assumptions: CaseAssumptions,
  deadweightUsed: readonly DeadweightAssumption[] = deadweightAssumptions,
): AssumptionExplanation[] {
  const explained = explainAssumptions({
    deadweightBasisPoints: assumptions.deadweightBasisPoints ?? 0,
    annualRetentionBasisPoints: assumptions.annualRetentionBasisPoints,
  });
  if (assumptions.deadweightBasisPoints !== undefined) return explained;
  const listed = deadweightUsed.length > 0 ? deadweightUsed : deadweightAssumptions;
  const figures = listed
    .map(
      (a) =>
        `from ${a.effectiveFrom}: ${a.basisPoints.aktivitetsparat / 100} % (aktivitetsparat), ` +
        `${a.basisPoints.jobparat / 100} % (jobparat)`,
    )
    .join('; ');
  return explained.map((e) =>
    e.name === 'deadweightBasisPoints'
      ? {
          ...e,
          basisPoints: null,
          en:
            `Deadweight by readiness, our dated assumptions (${figures}): that share of each citizen's results is ` +
            'assumed to have happened without the programme, so their savings (municipal and state) are reduced by it.',
          da: listed.map((a) => a.reason).join(' '),
        }
      : e,
  );
}
