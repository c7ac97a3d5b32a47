import { type Cohort, type CompanyDecisions, stageOn } from './accelerator.ts';
import { FIRST_RATE_YEAR } from './benefits.ts';
import { checkCvr } from './cvr.ts';
import { addDays, type IsoDate } from './dates.ts';
import { assertOere, type Oere, shareOf } from './money.ts';
import { expectedSaving } from './pricing.ts';
import {
  hoursThresholdsOn,
  type PaymentGroup,
  paymentGroups,
  rateCardOn,
  versionDates,
  versionOn,
} from './rate-card.ts';
import { SUSTAINMENT_WEEKS } from './savings.ts';
import { type SocialModelChecklist, socialModelImplemented } from './social-model.ts';

/**
 * The accelerator's side of Payment by Results (issue 7, item 5): results of the companies' track, paid to the
 * social accelerator. It adds to what the accelerator already earns on the citizens' track (the rate card's
 * `acceleratorShareBasisPoints` of each job result where the employer is an accelerator company):
 *
 * - `social-model-implemented`: the company's social model is implemented (domain/social-model.ts), verified at 12
 *   months, that is on or after the accelerator's end and before the follow-up's end. Once per company and cohort.
 * - `accelerator-hire-sustained`: a vulnerable citizen hired by the company while it was in the accelerator or its
 *   follow-up, in ordinary unsubsidised employment (the citizen card's full hours), sustained for the 26 weeks
 *   the sustainment milestones verify. Once per hire.
 *
 * The prices are dated and derived from the savings model, like the citizen card's (domain/pricing.ts):
 *
 * - The social model is priced as what it is for: that the company goes on taking in citizens after the fund has
 *   left. We assume an implemented model brings `HIRES_AFTER_FUND_LEAVES` (2) further sustained hires (Det Sociale
 *   Vækstprogram reported about 2.3 vulnerable hires a company, 70 in 31 companies; fund blog, February 2016) of the
 *   programme's typical citizen (`SOCIAL_MODEL_REFERENCE_GROUP`: cash benefit, over 30 without children,
 *   activity-ready), each valued at its 26 verified weeks' expected saving (`expectedSaving`, deadweight applied,
 *   no retention beyond). Those hires are a projection, not verified results, and no other payment is made for
 *   them, so the price is a quarter (`SOCIAL_MODEL_SHARE_BASIS_POINTS`) of their expected saving, the lowest over
 *   the version's dates, rounded down to whole hundreds of kroner.
 * - The hire bonus is on top of the citizen card's payments for the same job, which may take up to 75 % of its
 *   expected saving (`maxShareOfSavingBasisPoints`). So that the two together never take more than 85 % for any
 *   citizen, the bonus is a tenth (`HIRE_BONUS_SHARE_BASIS_POINTS`) of the lowest expected saving of a sustained
 *   full-time hire over every payment group and every hire the version may pay for, rounded down to hundreds.
 * - The cap per company is the social model and `CAP_HIRE_BONUSES` (4) hire bonuses: about twice the hires a
 *   company made in the fund's earlier accelerator.
 *
 * A table test checks the card's amounts are what `proposedCompanyPrices` derives and never above the stated
 * shares of the savings.
 */

export const companyResultKinds = ['social-model-implemented', 'accelerator-hire-sustained'] as const;
export type CompanyResultKind = (typeof companyResultKinds)[number];

export const companyResultLabels: Record<CompanyResultKind, string> = {
  'social-model-implemented': 'Social model implementeret (verificeret efter 12 måneder)',
  'accelerator-hire-sustained': 'Udsat borger ansat i acceleratorvirksomhed og fastholdt i 26 uger',
};

/** The programme's typical citizen: on cash benefit, over 30 without children, activity-ready. */
export const SOCIAL_MODEL_REFERENCE_GROUP: PaymentGroup = {
  benefit: 'kontanthjaelp',
  rateGroup: '30-plus-without-children',
  readiness: 'aktivitetsparat',
};
export const HIRES_AFTER_FUND_LEAVES = 2;
export const SOCIAL_MODEL_SHARE_BASIS_POINTS = 2_500;
export const HIRE_BONUS_SHARE_BASIS_POINTS = 1_000;
export const CAP_HIRE_BONUSES = 4;
/** No programme hire starts before the first year the savings model has rates for (the programme began in 2019). */
const FIRST_HIRE_DAY: IsoDate = `${FIRST_RATE_YEAR}-01-01`;
const SUSTAINED_DAYS = SUSTAINMENT_WEEKS * 7;

export interface CompanyRateCard {
  version: string;
  /** Applies to results dated on or after this day. */
  effectiveFrom: IsoDate;
  paymentTermDays: number;
  prices: Readonly<Record<CompanyResultKind, Oere>>;
  /** All company-side payments for one company in one cohort. */
  capPerCompanyOere: Oere;
}

/**
 * Version company-2019-1, from 1 January 2019 (DKK 11,600 for the social model, DKK 800 a hire, cap DKK 14,800),
 * and company-2025-1, from 1 January 2025 (DKK 8,000, DKK 800, cap DKK 11,200): priced for the reform of 1 July
 * 2025, after which a job saves less for most groups. Payment term 30 days, as the citizen card's.
 */
export const companyRateCards: readonly CompanyRateCard[] = [
  {
    version: 'company-2019-1',
    effectiveFrom: '2019-01-01',
    paymentTermDays: 30,
    prices: { 'social-model-implemented': 1_160_000, 'accelerator-hire-sustained': 80_000 },
    capPerCompanyOere: 1_480_000,
  },
  {
    version: 'company-2025-1',
    effectiveFrom: '2025-01-01',
    paymentTermDays: 30,
    prices: { 'social-model-implemented': 800_000, 'accelerator-hire-sustained': 80_000 },
    capPerCompanyOere: 1_120_000,
  },
];

/** The version in force on a date: the latest whose effective date is not after it (as `rateCardOn`). */
export function companyRateCardOn(
  date: IsoDate,
  cards: readonly CompanyRateCard[] = companyRateCards,
): CompanyRateCard {
  return versionOn(date, cards);
}

/** The result dates a version is derived and checked on (as domain/pricing.ts `boundDates`). */
export function companyCardDates(
  card: CompanyRateCard,
  cards: readonly CompanyRateCard[] = companyRateCards,
): IsoDate[] {
  return versionDates(card, cards);
}

/** A sustained full-time hire's expected saving over its 26 verified weeks from `startedOn` (citizen card's hours). */
export function sustainedHireSaving(group: PaymentGroup, startedOn: IsoDate): Oere {
  return expectedSaving(
    group,
    { kind: 'job', hoursPerWeek: rateCardOn(startedOn).fullHoursPerWeek },
    startedOn,
  );
}

/** The day a hire sustained on `sustainedOn` started (never before the programme's first day). */
export function hireStartOf(sustainedOn: IsoDate): IsoDate {
  const start = addDays(sustainedOn, -SUSTAINED_DAYS);
  return start < FIRST_HIRE_DAY ? FIRST_HIRE_DAY : start;
}

/** What the social model's further hires are expected to save, verified on `date`: the bound's base. */
export function socialModelSaving(date: IsoDate): Oere {
  return HIRES_AFTER_FUND_LEAVES * sustainedHireSaving(SOCIAL_MODEL_REFERENCE_GROUP, date);
}

/** The lowest saving of a hire sustained on `date`, over every payment group: the bonus's base. */
export function lowestHireSaving(date: IsoDate): Oere {
  return Math.min(...paymentGroups.map((group) => sustainedHireSaving(group, hireStartOf(date))));
}

const HUNDRED_KRONER: Oere = 10_000;
const downToHundreds = (oere: Oere): Oere => Math.floor(oere / HUNDRED_KRONER) * HUNDRED_KRONER;

/** The prices and cap the assumptions give a version (the table above is data; a test shows it is this). */
export function proposedCompanyPrices(
  card: CompanyRateCard,
  cards: readonly CompanyRateCard[] = companyRateCards,
): Pick<CompanyRateCard, 'prices' | 'capPerCompanyOere'> {
  const dates = companyCardDates(card, cards);
  const socialModel = downToHundreds(
    shareOf(Math.min(...dates.map(socialModelSaving)), SOCIAL_MODEL_SHARE_BASIS_POINTS),
  );
  const hire = downToHundreds(
    shareOf(Math.min(...dates.map(lowestHireSaving)), HIRE_BONUS_SHARE_BASIS_POINTS),
  );
  return {
    prices: { 'social-model-implemented': socialModel, 'accelerator-hire-sustained': hire },
    capPerCompanyOere: socialModel + CAP_HIRE_BONUSES * hire,
  };
}

/**
 * A deterministic key per result, so each is paid once (a conditional write on it): the cohort, the company's CVR
 * number, the result, and for a hire the citizen's hire id (the job start's outcome id, never a CPR number).
 */
export function companyPaymentKey(
  kind: CompanyResultKind,
  cohortId: string,
  cvr: string,
  hireId?: string,
): string {
  const check = checkCvr(cvr);
  if (!check.ok) throw new RangeError(`Not a CVR number (${check.reason})`);
  if (!/^[a-z0-9-]+$/.test(cohortId)) throw new RangeError(`Not a cohort id: ${cohortId}`);
  const base = `${cohortId}:${check.normalized}:${kind}`;
  if (kind === 'social-model-implemented') {
    if (hireId !== undefined) throw new RangeError('The social model is paid once per company: no hire id');
    return base;
  }
  // Ids are ULIDs or UUIDs: letters, digits, hyphens. Anything else (a separator, a CPR-shaped number) is refused.
  if (hireId === undefined || !/^[A-Za-z0-9-]{1,100}$/.test(hireId) || /^\d{6}-?\d{4}$/.test(hireId)) {
    throw new RangeError('A hire needs its hire id (letters, digits, hyphens)');
  }
  return `${base}:${hireId}`;
}

export interface CompanyPaid {
  /** Everything paid on the company side for this company in this cohort so far. */
  companyOere: Oere;
  /** The keys (`companyPaymentKey`) already paid. */
  keys: ReadonlySet<string>;
}

interface CompanyResultCommon {
  cohort: Cohort;
  cvr: string;
  decisions: CompanyDecisions;
  /** The result's date: the day the social model was verified; the day the hire's 26th week was verified. */
  date: IsoDate;
  /** The day the result was recorded: the payment term runs from it. */
  recordedOn: IsoDate;
  paid: CompanyPaid;
}

export type CompanyResultFacts =
  | (CompanyResultCommon & { kind: 'social-model-implemented'; checklist: SocialModelChecklist })
  | (CompanyResultCommon & {
      kind: 'accelerator-hire-sustained';
      /** The citizen's job start (its outcome id): one bonus per hire. */
      hireId: string;
      jobStartedOn: IsoDate;
      hoursPerWeek: number;
    });

export type CompanyNotDueReason =
  | 'not-selected'
  | 'withdrawn'
  | 'before-month-12'
  | 'after-follow-up'
  | 'social-model-not-implemented'
  | 'hired-outside-accelerator'
  | 'not-sustained-26-weeks'
  | 'below-hours-threshold'
  | 'already-paid'
  | 'cap-reached';

export interface CompanyPaymentDue {
  rule: CompanyResultKind;
  payee: 'social-accelerator';
  amountOere: Oere;
  rateCardVersion: string;
  dueDate: IsoDate;
  key: string;
  /** Set when the cap made the payment smaller than the card's amount. */
  cappedFromOere?: Oere;
}

export type CompanyPaymentDecision =
  | { due: true; payment: CompanyPaymentDue }
  | { due: false; reason: CompanyNotDueReason };

function notDueReason(result: CompanyResultFacts): CompanyNotDueReason | undefined {
  const { cohort, decisions, date } = result;
  if (decisions.selected !== true) return 'not-selected';
  if (result.kind === 'social-model-implemented') {
    if (decisions.withdrawnOn !== undefined && decisions.withdrawnOn <= date) return 'withdrawn';
    if (date < cohort.accelerator.end) return 'before-month-12';
    if (date >= cohort.followUp.end) return 'after-follow-up';
    if (!socialModelImplemented(result.checklist)) return 'social-model-not-implemented';
    return undefined;
  }
  // The hire counts when the company was in the accelerator or its follow-up on the job's first day; a later
  // withdrawal does not undo it.
  const stage = stageOn(cohort, decisions, result.jobStartedOn);
  if (stage !== 'accelerator' && stage !== 'follow-up') return 'hired-outside-accelerator';
  if (date < addDays(result.jobStartedOn, SUSTAINED_DAYS)) return 'not-sustained-26-weeks';
  if (result.hoursPerWeek < hoursThresholdsOn(date).fullHoursPerWeek) return 'below-hours-threshold';
  return undefined;
}

/**
 * What a company-side result earns: the card in force on the result's date, paid to the social accelerator
 * `paymentTermDays` after it was recorded, once per key, cut to what is left under the company's cap.
 */
export function priceCompanyResult(
  result: CompanyResultFacts,
  cards: readonly CompanyRateCard[] = companyRateCards,
): CompanyPaymentDecision {
  const reason = notDueReason(result);
  if (reason) return { due: false, reason };
  const key =
    result.kind === 'accelerator-hire-sustained'
      ? companyPaymentKey(result.kind, result.cohort.id, result.cvr, result.hireId)
      : companyPaymentKey(result.kind, result.cohort.id, result.cvr);
  if (result.paid.keys.has(key)) return { due: false, reason: 'already-paid' };

  const card = companyRateCardOn(result.date, cards);
  const amount = card.prices[result.kind];
  const room = card.capPerCompanyOere - result.paid.companyOere;
  if (room <= 0) return { due: false, reason: 'cap-reached' };
  const paid = Math.min(amount, room);
  return {
    due: true,
    payment: {
      rule: result.kind,
      payee: 'social-accelerator',
      amountOere: assertOere(paid),
      rateCardVersion: card.version,
      dueDate: addDays(result.recordedOn, card.paymentTermDays),
      key,
      ...(paid < amount ? { cappedFromOere: amount } : {}),
    },
  };
}

/** What the hire rule needs of a company's journeys: the cohort and the decisions about the company in it. */
export interface HireJourney {
  cohortId: string;
  decisions: CompanyDecisions;
}

/**
 * The cohort in which a job with the company counts as a hire by an accelerator company: the one whose journey had
 * the company in the accelerator or its follow-up on the job's first day (as `priceCompanyResult` judges it), or
 * none.
 */
export function hireCohort(
  journeys: readonly HireJourney[],
  jobStartedOn: IsoDate,
  cohortOf: (id: string) => Cohort | undefined,
): string | undefined {
  return journeys.find((journey) => {
    const cohort = cohortOf(journey.cohortId);
    if (!cohort) return false;
    const stage = stageOn(cohort, journey.decisions, jobStartedOn);
    return stage === 'accelerator' || stage === 'follow-up';
  })?.cohortId;
}
