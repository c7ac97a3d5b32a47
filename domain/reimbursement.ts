import { assertOere, type Oere, shareOf } from './money.ts';

/**
 * The refusionstrappe (finansieringsloven, § 5; ../shared/DOMAIN.md, "Money"): the state reimburses the
 * municipality a share of a benefit week that falls the longer the citizen has been on benefit. So a week off
 * benefit saves the state the reimbursed share and the municipality the rest, and the municipality's own share
 * of the saving grows with the citizen's benefit history.
 *
 * The statute counts benefit weeks over a rolling reference period. This model follows the issue's
 * simplification: the cumulative week is the referral's weeks on benefit plus the weeks since the referral
 * (see `cumulativeBenefitWeek` in savings.ts), and it never resets.
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
