import type { IsoDate } from './dates.ts';

/**
 * Deadweight: the share of results that would have happened without the programme. It depends on how close the
 * citizen is to the labour market, which the job centre's visitation category (readiness) records: a citizen
 * assessed as job-ready (jobparat) finds work on their own far more often than one assessed as ready for
 * activities only (aktivitetsparat), the programme's main target group.
 *
 * Dated assumptions, ours: no Danish estimate for this target group was found. A referral is priced with the
 * assumption in force on its referral date, so a later revision does not rewrite earlier cohorts' business case.
 */
export const readinessValues = ['jobparat', 'aktivitetsparat'] as const;
export type Readiness = (typeof readinessValues)[number];

export const readinessLabels: Record<Readiness, string> = {
  jobparat: 'Jobparat',
  aktivitetsparat: 'Aktivitetsparat',
};

export interface DeadweightAssumption {
  effectiveFrom: IsoDate;
  basisPoints: Record<Readiness, number>;
  /** Why these figures, in Danish, for the business case's list of assumptions. */
  reason: string;
}

export const deadweightAssumptions: readonly DeadweightAssumption[] = [
  {
    effectiveFrom: '2019-01-01',
    basisPoints: { aktivitetsparat: 2_000, jobparat: 3_500 },
    reason:
      'Dødvægt efter visitationskategori (vores antagelse, gældende fra 1. januar 2019; der er ikke fundet et ' +
      'dansk skøn for målgruppen): aktivitetsparate borgere, programmets primære målgruppe, er langt fra ' +
      'arbejdsmarkedet, så 20 % af deres resultater antages at ville være opnået uden programmet; jobparate ' +
      'finder oftere selv arbejde, så 35 %.',
  },
];

/** The assumption in force on a date (the referral's). Before the first one is an error, never a guess. */
export function deadweightOn(
  date: IsoDate,
  table: readonly DeadweightAssumption[] = deadweightAssumptions,
): DeadweightAssumption {
  const inForce = table
    .filter((a) => a.effectiveFrom <= date)
    .sort((a, b) => b.effectiveFrom.localeCompare(a.effectiveFrom))[0];
  if (!inForce) throw new RangeError(`No deadweight assumption in force on ${date}`);
  return inForce;
}

/** A citizen's deadweight in basis points: their readiness under the assumption in force on the referral date. */
export function deadweightBasisPointsOf(readiness: Readiness, referredOn: IsoDate): number {
  return deadweightOn(referredOn).basisPoints[readiness];
}
