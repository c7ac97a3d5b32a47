import type { Benefit, BenefitRate, RateGroup } from './benefits.ts';
import { ASSUMED_REGULATION_BASIS_POINTS, benefitRates, REFORM_DATE, REFORM_GAP } from './benefits.ts';
import { addMonths, type IsoDate, isIsoDate } from './dates.ts';
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
 */
export type Payee = 'employment-actor' | 'social-accelerator';

export interface CitizenCase {
  referralId: string;
  /** Kommunekode. */
  municipality: string;
  benefit: Benefit;
  rateGroup: RateGroup;
  weeksOnBenefitAtReferral: number;
  referredOn: IsoDate;
  /** The caller decides the periods: confirmed, ended, or projected to the horizon's end. They must not overlap. */
  offBenefit: OffBenefitPeriod[];
}

export interface ProgrammePayment {
  /** Kommunekode of the paying municipality. */
  municipality: string;
  amountOere: Oere;
  dueDate: IsoDate;
  payee: Payee;
}

export interface BusinessCaseOptions {
  /** Any day in the programme's first month. */
  start: IsoDate;
  /** Default 5 (issue 3). */
  horizonYears?: number;
  assumptions?: SavingsAssumptions;
  rates?: readonly BenefitRate[];
  /** A municipality's places in this programme (a programme at scale has more than the seed). */
  placesOf?: (municipality: Municipality) => number;
}

export const DEFAULT_HORIZON_YEARS = 5;

export interface MonthPoint {
  /** YYYY-MM. */
  month: string;
  cumulativePaidOere: Oere;
  /** Municipal savings after deadweight. */
  cumulativeSavedOere: Oere;
}

export type GroupKind = 'programme' | 'cluster' | 'municipality';

export interface GroupCase {
  kind: GroupKind;
  /** "programme", "cluster-1", "cluster-2", or the kommunekode. */
  key: string;
  name: string;
  places: number;
  citizens: number;
  paidOere: Oere;
  paidToEmploymentActorsOere: Oere;
  paidToAcceleratorOere: Oere;
  /** After deadweight, within the horizon. */
  municipalSavingsOere: Oere;
  stateSavingsOere: Oere;
  /** Municipal savings less what was paid. */
  netOere: Oere;
  /** 1-based month from `start` from which cumulative savings cover cumulative payments; null if never. */
  paybackMonth: number | null;
  /** Paid per citizen × places, rounded by the one rule; 0 without citizens. */
  nextCohortCostOere: Oere;
  fundsNextCohort: boolean;
  series: MonthPoint[];
  /** Every calendar year the horizon touches, ascending, after deadweight. */
  savingsByYear: YearSaving[];
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
  assumptions: SavingsAssumptions & { explanations: AssumptionExplanation[] };
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

/** Per-month raw amounts of one municipality, before deadweight. */
interface MunicipalityLedger {
  paid: Oere[];
  paidToEmploymentActors: Oere;
  paidToAccelerator: Oere;
  municipalSaved: Oere[];
  stateSaved: Oere[];
  citizens: number;
}

function emptyLedger(months: number): MunicipalityLedger {
  return {
    paid: Array<Oere>(months).fill(0),
    paidToEmploymentActors: 0,
    paidToAccelerator: 0,
    municipalSaved: Array<Oere>(months).fill(0),
    stateSaved: Array<Oere>(months).fill(0),
    citizens: 0,
  };
}

/** Two periods of one citizen that overlap would count the same weeks twice. */
function assertNoOverlap(citizen: CitizenCase): void {
  const periods = [...citizen.offBenefit].sort((a, b) => a.from.localeCompare(b.from));
  for (let i = 1; i < periods.length; i++) {
    const previous = periods[i - 1];
    const current = periods[i];
    if (previous && current && current.from < previous.until) {
      throw new RangeError(`Referral ${citizen.referralId} has overlapping periods off benefit`);
    }
  }
}

function addCitizen(
  ledger: MunicipalityLedger,
  citizen: CitizenCase,
  horizon: Horizon,
  assumptions: SavingsAssumptions,
  rates: readonly BenefitRate[],
  usedRates: Set<string>,
): void {
  ledger.citizens += 1;
  assertNoOverlap(citizen);
  for (const period of citizen.offBenefit) {
    if (period.from >= horizon.end) continue;
    // ISO dates compare as text; Math.min would turn them into NaN.
    const until = period.until.localeCompare(horizon.end) < 0 ? period.until : horizon.end;
    const weeks = savingsByWeek({ ...citizen, ...period, until }, assumptions, rates);
    for (const week of weeks) {
      const index = monthIndex(
        horizon,
        week.weekStart,
        `Referral ${citizen.referralId}: a week off benefit on`,
      );
      if (index === null) continue;
      usedRates.add(rateKey(citizen.benefit, citizen.rateGroup, week.rateEffectiveFrom));
      ledger.municipalSaved[index] = (ledger.municipalSaved[index] ?? 0) + week.municipalityOere;
      ledger.stateSaved[index] = (ledger.stateSaved[index] ?? 0) + week.stateOere;
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
  const index = monthIndex(horizon, payment.dueDate, 'A payment due');
  if (index === null) return;
  ledger.paid[index] = (ledger.paid[index] ?? 0) + amount;
  if (payment.payee === 'employment-actor') ledger.paidToEmploymentActors += amount;
  else ledger.paidToAccelerator += amount;
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

/** The additive figures of a group; the derived ones are completed by `finishGroup`. */
type GroupSums = Omit<GroupCase, 'paybackMonth' | 'nextCohortCostOere' | 'fundsNextCohort' | 'netOere'>;

function finishGroup(sums: GroupSums): GroupCase {
  const netOere = sums.municipalSavingsOere - sums.paidOere;
  const nextCohortCostOere = nextCohortCost(sums.paidOere, sums.citizens, sums.places);
  return {
    ...sums,
    netOere,
    paybackMonth: paybackMonth(sums.series),
    nextCohortCostOere,
    fundsNextCohort: nextCohortCostOere > 0 && netOere >= nextCohortCostOere,
  };
}

function municipalityCase(
  municipality: Municipality,
  ledger: MunicipalityLedger,
  labels: readonly string[],
  deadweightBasisPoints: number,
  placesOf: (municipality: Municipality) => number,
): GroupCase {
  const municipalPerMonth = deadweightByBucket(ledger.municipalSaved, deadweightBasisPoints);
  const statePerMonth = deadweightByBucket(ledger.stateSaved, deadweightBasisPoints);
  const cumulativePaid = runningTotal(ledger.paid);
  const cumulativeSaved = runningTotal(municipalPerMonth);
  const years = new Map<number, YearSaving>();
  labels.forEach((label, i) => {
    const year = Number(label.slice(0, 4));
    const entry = years.get(year) ?? { year, municipalityOere: 0, stateOere: 0 };
    entry.municipalityOere += municipalPerMonth[i] ?? 0;
    entry.stateOere += statePerMonth[i] ?? 0;
    years.set(year, entry);
  });
  return finishGroup({
    kind: 'municipality',
    key: municipality.code,
    name: municipality.name,
    places: placesOf(municipality),
    citizens: ledger.citizens,
    paidOere: cumulativePaid.at(-1) ?? 0,
    paidToEmploymentActorsOere: ledger.paidToEmploymentActors,
    paidToAcceleratorOere: ledger.paidToAccelerator,
    municipalSavingsOere: cumulativeSaved.at(-1) ?? 0,
    stateSavingsOere: statePerMonth.reduce((sum, amount) => sum + amount, 0),
    series: labels.map((month, i) => ({
      month,
      cumulativePaidOere: cumulativePaid[i] ?? 0,
      cumulativeSavedOere: cumulativeSaved[i] ?? 0,
    })),
    savingsByYear: [...years.values()],
  });
}

/** Sums municipalities into a cluster or the programme, figure by figure and month by month. */
function sumGroups(kind: GroupKind, key: string, name: string, parts: readonly GroupCase[]): GroupCase {
  const first = parts[0];
  if (!first) throw new RangeError(`${name} has no municipalities`);
  const total = (pick: (g: GroupCase) => number): number => parts.reduce((sum, g) => sum + pick(g), 0);
  return finishGroup({
    kind,
    key,
    name,
    places: total((g) => g.places),
    citizens: total((g) => g.citizens),
    paidOere: total((g) => g.paidOere),
    paidToEmploymentActorsOere: total((g) => g.paidToEmploymentActorsOere),
    paidToAcceleratorOere: total((g) => g.paidToAcceleratorOere),
    municipalSavingsOere: total((g) => g.municipalSavingsOere),
    stateSavingsOere: total((g) => g.stateSavingsOere),
    series: first.series.map((point, i) => ({
      month: point.month,
      cumulativePaidOere: total((g) => g.series[i]?.cumulativePaidOere ?? 0),
      cumulativeSavedOere: total((g) => g.series[i]?.cumulativeSavedOere ?? 0),
    })),
    savingsByYear: first.savingsByYear.map((entry, i) => ({
      year: entry.year,
      municipalityOere: total((g) => g.savingsByYear[i]?.municipalityOere ?? 0),
      stateOere: total((g) => g.savingsByYear[i]?.stateOere ?? 0),
    })),
  });
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
  const assumptions = assertAssumptions(options.assumptions ?? defaultSavingsAssumptions);
  const rates = options.rates ?? benefitRates;
  const first = `${options.start.slice(0, 7)}-01`;
  const horizon: Horizon = { first, months: horizonYears * 12, end: addMonths(first, horizonYears * 12) };

  // One ledger per municipality of the programme, so those without citizens are reported too.
  const ledgers = new Map(municipalities.map((m) => [m.code, emptyLedger(horizon.months)]));
  const ledgerOf = (code: string, what: string): MunicipalityLedger => {
    const ledger = ledgers.get(code);
    if (!ledger) throw new RangeError(`${what} names municipality ${code}, which is not in the programme`);
    return ledger;
  };
  const seen = new Set<string>();
  const usedRates = new Set<string>();
  for (const citizen of citizens) {
    if (seen.has(citizen.referralId)) throw new RangeError(`Referral ${citizen.referralId} is listed twice`);
    seen.add(citizen.referralId);
    addCitizen(
      ledgerOf(citizen.municipality, `Referral ${citizen.referralId}`),
      citizen,
      horizon,
      assumptions,
      rates,
      usedRates,
    );
  }
  for (const payment of payments) addPayment(ledgerOf(payment.municipality, 'A payment'), payment, horizon);

  const labels = monthLabels(horizon);
  const perMunicipality = municipalities.map((m) =>
    municipalityCase(
      m,
      ledgerOf(m.code, 'The programme'),
      labels,
      assumptions.deadweightBasisPoints,
      options.placesOf ?? ((municipality) => municipality.places),
    ),
  );
  const clusters = ([1, 2] as const).map((cluster) =>
    sumGroups(
      'cluster',
      `cluster-${cluster}`,
      `Klynge ${cluster} (${municipalities.find((m) => m.cluster === cluster)?.clusterYear ?? ''})`,
      perMunicipality.filter((g) => findMunicipality(g.key)?.cluster === cluster),
    ),
  );
  return {
    horizon: { startMonth: first.slice(0, 7), end: horizon.end, years: horizonYears, months: horizon.months },
    assumptions: { ...assumptions, explanations: explainAssumptions(assumptions) },
    rates: rates.filter((r) => usedRates.has(rateKey(r.benefit, r.rateGroup, r.effectiveFrom))),
    rateNotes: rateNotes(horizon.end),
    programme: sumGroups('programme', 'programme', 'Social inklusion gennem Vækstpartnerskaber', clusters),
    clusters,
    municipalities: perMunicipality,
  };
}
