import { daysBetween, type IsoDate } from './dates.ts';
import { assertOere, type Oere, shareOf } from './money.ts';

/**
 * The refusionstrappe (finansieringsloven, § 5; ../shared/DOMAIN.md, "Money"): the state reimburses the
 * municipality a share of a benefit week that falls the longer the citizen has been on benefit. So a week off
 * benefit saves the state the reimbursed share and the municipality the rest, and the municipality's own share
 * of the saving grows with the citizen's benefit history.
 *
 * The referral records the citizen's current week on the staircase (`staircaseWeek`), as the municipality's
 * reimbursement records have it: counted per citizen across the benefits the law lists from 1 July 2014, so it
 * can be far above 52, and started again from week 1 under § 6 (52 whole calendar weeks of self-support within
 * the last 3 years) before the referral. From there the model counts on: the citizen is on benefit during the
 * pathway, and a week off benefit is priced at the week the citizen would otherwise have reached (see
 * `cumulativeBenefitWeek` in savings.ts). A § 6 restart after the result is not modelled: it would need 52 weeks
 * off benefit, and by then the tier is the lowest anyway.
 */
export interface ReimbursementTier {
  /** The first cumulative benefit week (1-based) the tier applies to; it runs until the next tier begins. */
  fromWeek: number;
  /** The state's share of the weekly benefit, in basis points (8000 = 80 %). */
  stateBasisPoints: number;
}

export const reimbursementTiers: readonly ReimbursementTier[] = [
  { fromWeek: 1, stateBasisPoints: 8000 },
  { fromWeek: 5, stateBasisPoints: 4000 },
  { fromWeek: 27, stateBasisPoints: 3000 },
  { fromWeek: 53, stateBasisPoints: 2000 },
];

/**
 * The staircase in words for the business case, from the same tiers the savings use: "80 % i uge 1–4, 40 % i uge
 * 5–26, 30 % i uge 27–52 og 20 % fra uge 53".
 */
export function explainStaircase(): string {
  const parts = reimbursementTiers.map((tier, i) => {
    const next = reimbursementTiers[i + 1];
    const share = `${tier.stateBasisPoints / 100} %`;
    return next
      ? `${share} i uge ${tier.fromWeek}–${next.fromWeek - 1}`
      : `${share} fra uge ${tier.fromWeek}`;
  });
  const last = parts.pop();
  return (
    `Statens refusion (refusionstrappen, finansieringsloven, LBK nr. 221 af 2021, § 5): ${parts.join(', ')} og ` +
    `${last}. Ugen på trappen er den, borgeren var i ved visitationen, talt videre uge for uge; en uge uden ydelse ` +
    'prissættes i den uge, borgeren ellers ville have nået. Kommunens besparelse er ydelsen fratrukket refusionen.'
  );
}

/** The state's reimbursement in basis points for a cumulative benefit week (week numbers start at 1). */
export function reimbursementBasisPoints(cumulativeWeek: number): number {
  if (!Number.isInteger(cumulativeWeek) || cumulativeWeek < 1) {
    throw new RangeError(`A cumulative benefit week is a whole number from 1, got ${cumulativeWeek}`);
  }
  // The tiers are in ascending order; the last one whose first week is not after this week applies.
  let basisPoints = 0;
  for (const tier of reimbursementTiers) {
    if (tier.fromWeek <= cumulativeWeek) basisPoints = tier.stateBasisPoints;
  }
  return basisPoints;
}

export interface WeeklySplit {
  stateOere: Oere;
  municipalityOere: Oere;
}

/**
 * Splits one week's benefit between the state (its reimbursement, rounded by the one rule) and the municipality.
 * The municipality's part is the remainder rather than a second rounded share, so the two always add up to
 * the week's benefit exactly.
 */
export function splitWeeklyBenefit(weeklyOere: Oere, cumulativeWeek: number): WeeklySplit {
  const stateOere = shareOf(assertOere(weeklyOere), reimbursementBasisPoints(cumulativeWeek));
  return { stateOere, municipalityOere: weeklyOere - stateOere };
}

/** The staircase counts weeks from 1 July 2014 (finansieringsloven); no citizen can be further up on a date. */
export const STAIRCASE_COUNT_BEGAN: IsoDate = '2014-07-01';

/** The highest staircase week possible on a date: every week since the count began, the first one being week 1. */
export function maxStaircaseWeek(onDate: IsoDate): number {
  return Math.max(Math.floor(daysBetween(STAIRCASE_COUNT_BEGAN, onDate) / 7) + 1, 0);
}

/** A staircase week recorded on a date: a whole number from 0 (not on the staircase) up to `maxStaircaseWeek`. */
export function checkStaircaseWeek(staircaseWeek: number, onDate: IsoDate): 'ok' | 'too-high' | 'invalid' {
  if (!Number.isInteger(staircaseWeek) || staircaseWeek < 0) return 'invalid';
  return staircaseWeek > maxStaircaseWeek(onDate) ? 'too-high' : 'ok';
}

/**
 * Referrals and API clients from before the staircase week sent "weeks on benefit in the last 52 weeks" (0–52),
 * which the savings counted as whole weeks before the referral's week. The same figure as a staircase week is
 * one more: the referral's week follows them. So an old referral with 30 weeks is at staircase week 31, and its
 * savings are unchanged.
 */
export function staircaseWeekFromWeeksOnBenefit(weeksOnBenefit: number): number {
  if (!Number.isInteger(weeksOnBenefit) || weeksOnBenefit < 0) {
    throw new RangeError(`Weeks on benefit must be a whole number ≥ 0, got ${weeksOnBenefit}`);
  }
  return weeksOnBenefit + 1;
}

/**
 * The whole staircase weeks before the referral's week, which `cumulativeBenefitWeek` counts on from: week 0
 * (not on the staircase) and week 1 both have none, so the referral's week is week 1.
 */
export function staircaseWeeksBeforeReferral(staircaseWeek: number): number {
  if (!Number.isInteger(staircaseWeek) || staircaseWeek < 0) {
    throw new RangeError(`A staircase week is a whole number ≥ 0, got ${staircaseWeek}`);
  }
  return Math.max(staircaseWeek - 1, 0);
}
