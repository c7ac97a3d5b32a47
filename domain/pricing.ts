import { addDays, type IsoDate } from './dates.ts';
import { deadweightBasisPointsOf } from './deadweight.ts';
import { type Oere, shareOf } from './money.ts';
import {
  type PaymentGroup,
  type PaymentRule,
  paymentGroupKey,
  type RateCard,
  rateCardOn,
  rateCards,
  versionDates,
} from './rate-card.ts';
import { applyDeadweight, type SavedResult, SUSTAINMENT_WEEKS, savingsByWeek } from './savings.ts';
import { MILESTONE_WEEKS } from './sustainment.ts';

/**
 * What the rate card's prices are held to: a fully sustained result never costs the municipality more than the
 * card's stated share (`maxShareOfSavingBasisPoints`) of what that payment group's result is expected to save.
 *
 * The reference citizen has been on benefit for more than a year, so every week off benefit is on the
 * staircase's long-term tier (from week 53: the state reimburses 20 %, the municipality saves 80 %). That is
 * our assumption about the programme's citizens, who have typically been on benefit for more than a year; a
 * citizen lower on the staircase saves the municipality less a week, one higher saves the same.
 */
export const REFERENCE_WEEKS_ON_BENEFIT = 52;

/**
 * What a payment group's result is expected to save the municipality: its saving over the 26 weeks the
 * sustainment milestones verify (retention is not involved), for the reference citizen, after the deadweight
 * of the group's readiness in force on the result date (taken as the referral date). A job saves what its
 * earnings take off the benefit at `result.hoursPerWeek` under the earnings rule in force each week; an
 * education saves the municipality its whole share of the benefit (the SU it costs is the state's).
 */
export function expectedSaving(group: PaymentGroup, result: SavedResult, resultDate: IsoDate): Oere {
  const weeks = savingsByWeek({
    benefit: group.benefit,
    rateGroup: group.rateGroup,
    weeksOnBenefitAtReferral: REFERENCE_WEEKS_ON_BENEFIT,
    referredOn: resultDate,
    from: resultDate,
    until: addDays(resultDate, SUSTAINMENT_WEEKS * 7),
    result,
  });
  const municipality = weeks.reduce((sum, week) => sum + week.municipalityOere, 0);
  return applyDeadweight(municipality, deadweightBasisPointsOf(group.readiness, resultDate));
}

/**
 * The results the bound is checked for, each at the fewest hours that earn its amounts: a full job (start, 13 and
 * 26 weeks), a partial job (the same, partial), an education start.
 */
export type PricedResult = 'full-job' | 'partial-job' | 'education';
export const pricedResults: readonly PricedResult[] = ['full-job', 'partial-job', 'education'];

/** A result's payments, each with the weeks after the result on which it falls (so the card in force then). */
const paymentsOf: Record<PricedResult, ReadonlyArray<readonly [PaymentRule, number]>> = {
  'full-job': [
    ['job-start', 0],
    ['sustained-13-weeks', MILESTONE_WEEKS[0]],
    ['sustained-26-weeks', MILESTONE_WEEKS[1]],
  ],
  'partial-job': [
    ['job-start-partial', 0],
    ['sustained-13-weeks-partial', MILESTONE_WEEKS[0]],
    ['sustained-26-weeks-partial', MILESTONE_WEEKS[1]],
  ],
  education: [['education-start', 0]],
};

/** What a result saves, in the savings model's terms, at the card's thresholds. */
function savedResultOf(result: PricedResult, card: RateCard): SavedResult {
  if (result === 'education') return { kind: 'education' };
  return {
    kind: 'job',
    hoursPerWeek: result === 'full-job' ? card.fullHoursPerWeek : card.partialHoursPerWeek,
  };
}

export interface Bound {
  /** All the result's payments, each priced by the card in force on its own date (a milestone's, 13 or 26 weeks on). */
  costOere: Oere;
  savingOere: Oere;
  /** The card's stated share of the saving (the card in force on the result date). */
  limitOere: Oere;
  /** cost / saving in basis points, rounded down: for reports of the margin. */
  shareBasisPoints: number;
}

/**
 * A fully sustained result of a payment group on a date: what it costs (every payment, each under the card in
 * force on its date, so a job that starts under one version and is sustained under the next is priced as it
 * would be paid) against the card's share of what it is expected to save.
 */
export function boundOf(
  group: PaymentGroup,
  result: PricedResult,
  resultDate: IsoDate,
  cards: readonly RateCard[] = rateCards,
): Bound {
  const card = rateCardOn(resultDate, cards);
  const costOere = paymentsOf[result].reduce((sum, [rule, weeks]) => {
    const paidUnder = rateCardOn(addDays(resultDate, weeks * 7), cards);
    return sum + priceOf(paidUnder, group)[rule];
  }, 0);
  const savingOere = expectedSaving(group, savedResultOf(result, card), resultDate);
  return {
    costOere,
    savingOere,
    limitOere: shareOf(savingOere, card.maxShareOfSavingBasisPoints),
    shareBasisPoints:
      savingOere > 0 ? Math.floor((costOere * 10_000) / savingOere) : Number.POSITIVE_INFINITY,
  };
}

function priceOf(card: RateCard, group: PaymentGroup): Record<PaymentRule, Oere> {
  const prices = card.prices[paymentGroupKey(group)];
  if (!prices) throw new RangeError(`Rate card ${card.version} has no prices for ${paymentGroupKey(group)}`);
  return prices;
}

/**
 * The dates the bound is checked on for a version: every half year from its effective date until the next
 * version (the last version: for ten years), and the day before the next version, where a job starts under
 * this version and is sustained under the next.
 */
export function boundDates(card: RateCard, cards: readonly RateCard[] = rateCards): IsoDate[] {
  return versionDates(card, cards);
}

const HUNDRED_KRONER: Oere = 10_000;
const downToHundreds = (oere: Oere): Oere => Math.floor(oere / HUNDRED_KRONER) * HUNDRED_KRONER;

/**
 * A proposed price list for a group under a version (the tables in rate-card.ts are data; a test shows they are
 * what this proposes): the card's share of the lowest saving over the version's dates, in whole hundreds of
 * kroner, rounded down. A job's allowance is split as the first card split it, 3 : 2 : 2 (start, 13 and 26
 * weeks). The education start is paid once and up front, with nothing held back for sustainment (its milestones
 * confirm enrolment and pay nothing), so it is priced as a job start is: three sevenths of what the bound allows;
 * and never above the group's full job in all, so a provider is never paid more for steering a citizen into
 * education than into a sustained job (an education saves the whole benefit while it lasts, a job only what its
 * earnings take off it, but the programme's aim is work).
 */
export function proposedPrices(
  group: PaymentGroup,
  card: RateCard,
  cards: readonly RateCard[] = rateCards,
): Record<PaymentRule, Oere> {
  const dates = boundDates(card, cards);
  const allowance = (result: PricedResult) =>
    shareOf(
      Math.min(...dates.map((date) => expectedSaving(group, savedResultOf(result, card), date))),
      card.maxShareOfSavingBasisPoints,
    );
  const split = (total: Oere) => {
    const start = downToHundreds(Math.floor((total * 3) / 7));
    const milestone = downToHundreds(Math.floor((total * 2) / 7));
    return [start, milestone, milestone] as const;
  };
  const [start, s13, s26] = split(allowance('full-job'));
  const [pStart, p13, p26] = split(allowance('partial-job'));
  return {
    'job-start': start,
    'sustained-13-weeks': s13,
    'sustained-26-weeks': s26,
    'job-start-partial': pStart,
    'sustained-13-weeks-partial': p13,
    'sustained-26-weeks-partial': p26,
    'education-start': Math.min(split(allowance('education'))[0], start + s13 + s26),
  };
}
