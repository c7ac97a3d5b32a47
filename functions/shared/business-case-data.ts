import {
  type Basis,
  type BusinessCase,
  businessCase,
  type CaseAssumptions,
  type CitizenCase,
  type GroupCase,
  type Payee,
  type ProgrammeCosts,
  type ProgrammePayment,
} from '#domain/business-case';
import { addDays, addMonths, danishDate, type IsoDate } from '#domain/dates';
import { formatDkk, type Oere } from '#domain/money';
import { hoursThresholdsOn, type RateCard, rateCards } from '#domain/rate-card';
import { staircaseWeeksBeforeReferral } from '#domain/reimbursement';
import { EXPECTED_EDUCATION_WEEKS, type OffBenefitPeriod, type SavedResult } from '#domain/savings';
import { sustainmentMilestones } from '#domain/sustainment';
import { type CompanyPaymentRecord, listCompanyPayments } from './company-payment-store.ts';
import { HttpError } from './http.ts';
import {
  listPayments,
  loadPathway,
  type MilestoneRecord,
  type OutcomeRecord,
  type Pathway,
  type PaymentRecord,
  queryByType,
  staircaseWeekOf,
} from './pathway-store.ts';
import { places } from './programme-scale.ts';

/**
 * The data behind the business case (`GET /business-case`): every pathway and every payment, the citizens' and the
 * companies' (issue 7: the social accelerator's company-side results), turned into the domain's citizens and
 * payments. The arithmetic is the domain's (domain/business-case.ts); what is decided
 * here is which weeks a citizen counts as off benefit, from what the pathway has verified so far.
 */

/** Pathways are read a few at a time: enough to be quick, few enough not to eat the table's burst capacity. */
export const PATHWAY_CONCURRENCY = 8;

/**
 * Every referral id with its municipality, through the byType index: only those two are projected (the index
 * holds no CPR ciphertext, and this reader needs nothing else; each pathway is then read on its own). With
 * `municipalities`, only those municipalities' referrals.
 */
export async function listReferralIds(municipalities?: readonly string[]): Promise<string[]> {
  const items = await queryByType('REFERRAL', ['referralId', 'municipality']);
  return items
    .filter(
      (item) =>
        municipalities === undefined ||
        (typeof item.municipality === 'string' && municipalities.includes(item.municipality)),
    )
    .map((item) => item.referralId)
    .filter((id): id is string => typeof id === 'string');
}

/** Runs `task` over `items` with at most `limit` running at once, keeping the results in the items' order. */
export async function mapConcurrently<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export interface ProgrammeData {
  pathways: Pathway[];
  payments: PaymentRecord[];
  /** The company-side payments to the social accelerator (issue 7). Absent: none. */
  companyPayments?: CompanyPaymentRecord[];
}

/**
 * Every pathway (read with bounded concurrency) and every payment, the citizens' and the companies'; with
 * `municipalities`, only theirs, so a municipality's business case is computed from its own data alone.
 */
export async function loadProgrammeData(municipalities?: readonly string[]): Promise<ProgrammeData> {
  const [ids, payments, companyPayments] = await Promise.all([
    listReferralIds(municipalities),
    listPayments(municipalities),
    listCompanyPayments(municipalities),
  ]);
  const pathways = await mapConcurrently(ids, PATHWAY_CONCURRENCY, loadPathway);
  // A referral listed by the index but gone from the table cannot be reported on; none is ever deleted.
  return {
    pathways: pathways.filter(
      (p): p is Pathway =>
        p !== undefined && (municipalities === undefined || municipalities.includes(p.referral.municipality)),
    ),
    payments,
    companyPayments,
  };
}

/**
 * THE OFF-BENEFIT RULE: which weeks a citizen counts as off benefit in the business case, expected and confirmed.
 *
 * Per citizen, only the FIRST result counts: the earliest outcome (by date) that is either a job start with at
 * least the rate card's `partialHoursPerWeek` hours a week (the rate card in force on its date: a job below
 * that pays nothing and is not a result) or an education start. Drop-outs are not results. A citizen with no
 * result saves nothing. A job's weeks save what its earnings take off the benefit (its hours a week, priced in
 * domain/earnings.ts); an education's save the benefit while the state pays SU.
 *
 * EXPECTED: the period runs from the result's date (`from`) until (exclusive):
 * 1. the result's end, when a confirmation said it has ended (`endedOn`);
 * 2. otherwise, when one of its milestones went unconfirmed past its deadline: the due date of the last
 *    milestone that WAS confirmed, or `from` itself when none was (nothing verified, nothing counted);
 * 3. otherwise (confirmed through 26 weeks, or still awaiting its milestones): the end of the business case's
 *    horizon for a job; for an education at most `EXPECTED_EDUCATION_WEEKS` (after it nothing is assumed). This
 *    is a projection: the domain weights every week beyond the first 26 by the annual retention assumption.
 *
 * CONFIRMED: the part somebody verified: from `from` until the end date a confirmation gave, else the due date of
 * the last confirmed milestone; nothing while no milestone is confirmed. So a job recorded yesterday is expected
 * to save, and has confirmed nothing yet.
 *
 * A milestone still awaiting confirmation after its deadline (`today`) counts as unconfirmed, and so does a
 * result's 13-week milestone that never opened although its deadline has passed: savings are not projected on the
 * strength of a workflow that failed to ask.
 *
 * Later results of the same citizen (a second job after the first ended) are not counted: the first result is
 * what the programme achieved, and one period per citizen cannot overlap itself. The same holds across
 * pathways: a citizen referred again after a first pathway with a result counts that first result only.
 */
export interface ResultPeriods {
  expected: OffBenefitPeriod;
  /** Null while nothing is verified. */
  confirmed: OffBenefitPeriod | null;
}

export function resultPeriods(
  pathway: Pick<Pathway, 'outcomes' | 'milestones'>,
  horizonEnd: IsoDate,
  cards: readonly RateCard[] = rateCards,
  today?: IsoDate,
): ResultPeriods | null {
  const result = firstResult(pathway.outcomes, cards);
  if (!result) return null;
  const from = result.date;
  const saved: SavedResult =
    result.type === 'job-start'
      ? { kind: 'job', hoursPerWeek: result.hoursPerWeek ?? 0 }
      : { kind: 'education' };
  const milestones = verifiedMilestones(result, pathway.milestones, today);
  const projectionEnd =
    saved.kind === 'education'
      ? earlier(addDays(from, EXPECTED_EDUCATION_WEEKS * 7), horizonEnd)
      : horizonEnd;
  // An end before the start (a result after the horizon) counts no weeks. ISO dates compare as text; Math.max
  // would turn them into NaN.
  const notBefore = (date: IsoDate) => (date.localeCompare(from) < 0 ? from : date);
  const expectedUntil = notBefore(resultEnd(result, milestones, projectionEnd));
  const confirmedUntil = earlier(notBefore(confirmedEnd(result, milestones)), expectedUntil);
  return {
    expected: { from, until: expectedUntil, result: saved },
    confirmed: confirmedUntil > from ? { from, until: confirmedUntil, result: saved } : null,
  };
}

/**
 * Whose side the citizen's result counts for (issue 7, item 5): the social accelerator's when the first result
 * (the one the business case counts) is a job with an accelerator company, as recorded on the job start; the
 * employment actor's otherwise.
 */
export function resultSide(
  pathway: Pick<Pathway, 'outcomes'>,
  cards: readonly RateCard[] = rateCards,
): Payee {
  const result = firstResult(pathway.outcomes, cards);
  return result?.type === 'job-start' && result.hiredByAcceleratorCompany === true
    ? 'social-accelerator'
    : 'employment-actor';
}

/** The expected period alone (see resultPeriods). */
export function offBenefitPeriod(
  pathway: Pick<Pathway, 'outcomes' | 'milestones'>,
  horizonEnd: IsoDate,
  cards: readonly RateCard[] = rateCards,
  today?: IsoDate,
): OffBenefitPeriod | null {
  return resultPeriods(pathway, horizonEnd, cards, today)?.expected ?? null;
}

const earlier = (a: IsoDate, b: IsoDate): IsoDate => (a.localeCompare(b) < 0 ? a : b);

function isResult(outcome: OutcomeRecord, cards: readonly RateCard[]): boolean {
  if (outcome.type === 'education-start') return true;
  if (outcome.type !== 'job-start') return false;
  return (outcome.hoursPerWeek ?? 0) >= hoursThresholdsOn(outcome.date, cards).partialHoursPerWeek;
}

function firstResult(
  outcomes: readonly OutcomeRecord[],
  cards: readonly RateCard[],
): OutcomeRecord | undefined {
  return outcomes
    .filter((o) => isResult(o, cards))
    .sort((a, b) => a.date.localeCompare(b.date) || a.recordedAt.localeCompare(b.recordedAt))[0];
}

/** The result's milestones as far as anybody verified them by `today` (see resultPeriods). */
function verifiedMilestones(
  result: OutcomeRecord,
  milestones: readonly MilestoneRecord[],
  today: IsoDate | undefined,
): MilestoneRecord[] {
  const own = milestones.filter((m) => m.outcomeId === result.outcomeId);
  if (!today) return own;
  const overdue = own.map((m) =>
    m.status === 'awaiting-confirmation' && m.deadlineOn < today
      ? { ...m, status: 'unconfirmed' as const }
      : m,
  );
  const first = sustainmentMilestones(result.date)[0];
  const neverOpened = first && first.deadlineOn < today && !own.some((m) => m.weeks === first.weeks);
  return neverOpened
    ? [
        ...overdue,
        {
          referralId: result.referralId,
          outcomeId: result.outcomeId,
          weeks: first.weeks,
          dueOn: first.dueOn,
          deadlineOn: first.deadlineOn,
          status: 'unconfirmed',
          openedAt: '',
        },
      ]
    : overdue;
}

/** The end date a confirmation gave: on the outcome once recorded, or on the milestone that said so. */
function endedOn(outcome: OutcomeRecord, milestones: readonly MilestoneRecord[]): IsoDate | undefined {
  return outcome.endedOn ?? milestones.find((m) => m.endedOn !== undefined)?.endedOn;
}

function lastConfirmedDue(milestones: readonly MilestoneRecord[]): IsoDate | undefined {
  return milestones
    .filter((m) => m.status === 'confirmed')
    .map((m) => m.dueOn)
    .sort()
    .at(-1);
}

function resultEnd(
  outcome: OutcomeRecord,
  milestones: readonly MilestoneRecord[],
  projectionEnd: IsoDate,
): IsoDate {
  const ended = endedOn(outcome, milestones);
  if (ended) return ended;
  if (milestones.some((m) => m.status === 'unconfirmed')) return lastConfirmedDue(milestones) ?? outcome.date;
  return projectionEnd;
}

function confirmedEnd(outcome: OutcomeRecord, milestones: readonly MilestoneRecord[]): IsoDate {
  return endedOn(outcome, milestones) ?? lastConfirmedDue(milestones) ?? outcome.date;
}

/** The exclusive end of a horizon: the domain's rule, whole calendar months from the first of `start`'s month. */
export function horizonEndOf(start: IsoDate, horizonYears: number): IsoDate {
  return addMonths(`${start.slice(0, 7)}-01`, horizonYears * 12);
}

export interface BusinessCaseRequest {
  /** Absent: the earliest referral, or today when there is none. */
  start?: IsoDate;
  horizonYears: number;
  assumptions: CaseAssumptions;
  /** Which savings decide payback and the next cohort: confirmed (the default) or expected. */
  basis?: Basis;
  /** The full view's programme costs; absent: the published programme's (domain/business-case.ts). */
  programmeCosts?: ProgrammeCosts;
  /**
   * The municipalities the caller may see (domain/access.ts `visibleMunicipalities`); absent: all. A scoped
   * report shows those municipalities only: no clusters and no programme, whose sums hold other
   * municipalities' figures. The data should already be theirs alone (`loadProgrammeData(municipalities)`).
   */
  municipalities?: readonly string[];
}

export interface CaseInput {
  citizens: CitizenCase[];
  payments: ProgrammePayment[];
  /** Referrals without a rate group: their savings cannot be priced, so they are left out with their payments. */
  unpriced: number;
  unpricedPaidOere: Oere;
}

/**
 * Citizens and payments for the domain. A referral without a rate group (made before the form asked for it)
 * cannot be priced; leaving out its savings but keeping its payments would make every such pathway look like a
 * loss, so both are left out, and counted apart.
 */
export function caseInput(
  data: ProgrammeData,
  horizonEnd: IsoDate,
  cards?: readonly RateCard[],
  today?: IsoDate,
): CaseInput {
  const citizens: CitizenCase[] = [];
  const priced = new Set<string>();
  const citizensWithResult = new Set<string>();
  let unpriced = 0;
  // Oldest first, so that a citizen referred again counts the first pathway's result.
  const pathways = [...data.pathways].sort((a, b) =>
    a.referral.referredAt.localeCompare(b.referral.referredAt),
  );
  for (const { referral, outcomes, milestones } of pathways) {
    if (!referral.rateGroup) {
      unpriced += 1;
      continue;
    }
    priced.add(referral.referralId);
    const counted = citizensWithResult.has(referral.citizenKey);
    const periods = counted ? null : resultPeriods({ outcomes, milestones }, horizonEnd, cards, today);
    if (periods) citizensWithResult.add(referral.citizenKey);
    citizens.push({
      referralId: referral.referralId,
      municipality: referral.municipality,
      benefit: referral.benefit,
      rateGroup: referral.rateGroup,
      readiness: referral.readiness,
      weeksOnBenefitAtReferral: staircaseWeeksBeforeReferral(staircaseWeekOf(referral)),
      referredOn: referral.referredOn,
      offBenefit: periods ? [periods.expected] : [],
      confirmed: periods?.confirmed ? [periods.confirmed] : [],
      ...(periods ? { side: resultSide({ outcomes }, cards) } : {}),
    });
  }
  const payments: ProgrammePayment[] = [];
  let unpricedPaidOere = 0;
  // A company-side hire's bonus belongs with the hire's pathway, like its citizen payments: left out with it when
  // that cannot be priced. The social model's payment belongs to no citizen and always counts.
  const all = [
    ...data.payments.map((payment) => ({ payment, referralId: payment.referralId, company: false })),
    ...(data.companyPayments ?? []).map((payment) => ({
      payment,
      referralId: payment.referralId,
      company: true,
    })),
  ];
  for (const { payment, referralId, company } of all) {
    if (referralId !== undefined && !priced.has(referralId)) {
      unpricedPaidOere += payment.amountOere;
      continue;
    }
    payments.push({
      municipality: payment.municipality,
      amountOere: payment.amountOere,
      dueDate: payment.dueDate,
      payee: payment.payee,
      ...(company ? { track: 'company' as const } : {}),
    });
  }
  return { citizens, payments, unpriced, unpricedPaidOere };
}

/** Where the programme's data begins: its first referral or pathway start. */
function earliestReferral(data: ProgrammeData): IsoDate | undefined {
  return data.pathways
    .filter((p) => p.referral.rateGroup)
    .flatMap((p) => [p.referral.referredOn, p.referral.startDate])
    .sort()[0];
}

/**
 * The first company-side payment's due date: a municipality whose companies were paid before (or without) any
 * referral still gets a horizon that holds those payments.
 */
function earliestCompanyPayment(data: ProgrammeData): IsoDate | undefined {
  return (data.companyPayments ?? []).map((p) => p.dueDate).sort()[0];
}

/** A group with its amounts also as da-DK text ("25.000,00 kr."), for people reading the JSON. */
export type GroupView = GroupCase & {
  formatted: {
    paid: string;
    municipalSavings: string;
    stateSavings: string;
    net: string;
    nextCohortCost: string;
    /** Each side's paid and municipal savings (on the report's basis), as text. */
    sides: Record<Payee, { paid: string; paidForCompanyResults: string; municipalSavings: string }>;
  };
};

export type BusinessCaseView = Omit<BusinessCase, 'programme' | 'clusters' | 'municipalities'> & {
  /** Null in a report scoped to some municipalities. */
  programme: GroupView | null;
  clusters: GroupView[];
  municipalities: GroupView[];
};

export interface BusinessCaseReport {
  asOf: string;
  options: {
    start: IsoDate;
    /** True when `start` was not given and was taken from the data. */
    startDefaulted: boolean;
    horizonYears: number;
    /** Null: deadweight follows each citizen's readiness (the default). */
    deadweightBasisPoints: number | null;
    annualRetentionBasisPoints: number;
    basis: Basis;
    costPerCitizenOere: Oere;
    costPerCompanyOere: Oere;
  };
  unpriced: number;
  unpricedPaidOere: Oere;
  businessCase: BusinessCaseView;
}

function groupView(group: GroupCase): GroupView {
  return {
    ...group,
    formatted: {
      paid: formatDkk(group.paidOere),
      municipalSavings: formatDkk(group.municipalSavingsOere),
      stateSavings: formatDkk(group.stateSavingsOere),
      net: formatDkk(group.netOere),
      nextCohortCost: formatDkk(group.nextCohortCostOere),
      sides: {
        'employment-actor': sideText(group.sides['employment-actor']),
        'social-accelerator': sideText(group.sides['social-accelerator']),
      },
    },
  };
}

function sideText(side: GroupCase['sides'][Payee]) {
  return {
    paid: formatDkk(side.paidOere),
    paidForCompanyResults: formatDkk(side.paidForCompanyResultsOere),
    municipalSavings: formatDkk(side.municipalSavingsOere),
  };
}

/**
 * The report: options settled (start defaults to the earliest referral, or today's Danish date), the
 * citizens' periods decided for the horizon, and the domain's business case.
 */
export function businessCaseReport(
  data: ProgrammeData,
  request: BusinessCaseRequest,
  now: Date,
  cards?: readonly RateCard[],
): BusinessCaseReport {
  const earliest = earliestReferral(data);
  const firstCompanyPayment = earliestCompanyPayment(data);
  const start =
    request.start ??
    [earliest, firstCompanyPayment].filter((d) => d !== undefined).sort()[0] ??
    danishDate(now);
  // Every week and payment must lie in the horizon's months: the domain refuses anything before its first.
  if (earliest && start.slice(0, 7) > earliest.slice(0, 7)) {
    throw new HttpError(400, [
      {
        field: 'start',
        message: `Startdatoen må ikke ligge i en måned efter programmets første visitation (${earliest})`,
      },
    ]);
  }
  if (firstCompanyPayment && start.slice(0, 7) > firstCompanyPayment.slice(0, 7)) {
    throw new HttpError(400, [
      {
        field: 'start',
        message: `Startdatoen må ikke ligge i en måned efter den første betaling for virksomhedsresultater (forfald ${firstCompanyPayment})`,
      },
    ]);
  }
  const input = caseInput(data, horizonEndOf(start, request.horizonYears), cards, danishDate(now));
  const result = businessCase(input.citizens, input.payments, {
    start,
    horizonYears: request.horizonYears,
    assumptions: request.assumptions,
    basis: request.basis,
    programmeCosts: request.programmeCosts,
    placesOf: places,
  });
  return {
    asOf: now.toISOString(),
    options: {
      start,
      startDefaulted: request.start === undefined,
      horizonYears: request.horizonYears,
      deadweightBasisPoints: request.assumptions.deadweightBasisPoints ?? null,
      annualRetentionBasisPoints: request.assumptions.annualRetentionBasisPoints,
      basis: result.basis,
      costPerCitizenOere: result.programmeCosts.perCitizenOere,
      costPerCompanyOere: result.programmeCosts.perCompanyOere,
    },
    unpriced: input.unpriced,
    unpricedPaidOere: input.unpricedPaidOere,
    businessCase: scopedView(result, request.municipalities),
  };
}

function scopedView(result: BusinessCase, municipalities: readonly string[] | undefined): BusinessCaseView {
  if (municipalities === undefined) {
    return {
      ...result,
      programme: groupView(result.programme),
      clusters: result.clusters.map(groupView),
      municipalities: result.municipalities.map(groupView),
    };
  }
  return {
    ...result,
    programme: null,
    clusters: [],
    municipalities: result.municipalities.filter((m) => municipalities.includes(m.key)).map(groupView),
  };
}
