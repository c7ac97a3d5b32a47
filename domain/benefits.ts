import type { IsoDate } from './dates.ts';
import { divideRounded, type Oere } from './money.ts';

/**
 * Benefit rates as dated data with their sources (../shared/DOMAIN.md). A week off benefit saves the weekly
 * rate, monthly × 12 / 52. Rates change every year and by reform; a rate applies from its effective date until
 * the next one for the same benefit and group.
 *
 * Not modelled, because the amounts were not found: the reform of 1 July 2025 that merges these benefits into
 * kontanthjælp with a mindstesats, grundsats and forhøjet sats. Until its rates are added here, the latest
 * known rate of each group goes on applying.
 */
export type Benefit = 'kontanthjaelp' | 'integrationsydelse';

export const rateGroups = {
  kontanthjaelp: [
    '30-plus-with-children',
    '30-plus-without-children',
    'under-30-living-away',
    'under-30-living-with-parents',
  ],
  integrationsydelse: ['single-parent', 'parent', 'non-parent', 'under-30-living-with-parents'],
} as const;

export type RateGroup = (typeof rateGroups)[Benefit][number];

/** Danish names, for the form and pages. */
export const rateGroupLabels: Record<Benefit, Record<string, string>> = {
  kontanthjaelp: {
    '30-plus-with-children': '30 år eller derover, forsørger',
    '30-plus-without-children': '30 år eller derover, ikke forsørger',
    'under-30-living-away': 'Under 30 år, udeboende',
    'under-30-living-with-parents': 'Under 30 år, hjemmeboende',
  },
  integrationsydelse: {
    'single-parent': 'Enlig forsørger',
    parent: 'Forsørger',
    'non-parent': 'Ikke forsørger (30+ eller udeboende)',
    'under-30-living-with-parents': 'Under 30 år, hjemmeboende',
  },
};

export function isRateGroupOf(benefit: Benefit, group: string): group is RateGroup {
  return (rateGroups[benefit] as readonly string[]).includes(group);
}

export interface BenefitRate {
  benefit: Benefit;
  rateGroup: RateGroup;
  effectiveFrom: IsoDate;
  monthlyOere: Oere;
  source: string;
}

const BM_2023 = 'Beskæftigelsesministeriet (bm.dk), satser for kontanthjælp 2023';
const BM_2024 = 'Beskæftigelsesministeriet (bm.dk), satser for kontanthjælp 2024, via seniorfolk.dk';
const ISHOJ_2021 =
  'Ishøj Kommune (ishoj.dk), satser for selvforsørgelses- og hjemrejseydelse/overgangsydelse 2021';

const dkk = (kroner: number): Oere => kroner * 100;

export const benefitRates: readonly BenefitRate[] = [
  {
    benefit: 'kontanthjaelp',
    rateGroup: '30-plus-with-children',
    effectiveFrom: '2023-01-01',
    monthlyOere: dkk(15_874),
    source: BM_2023,
  },
  {
    benefit: 'kontanthjaelp',
    rateGroup: '30-plus-without-children',
    effectiveFrom: '2023-01-01',
    monthlyOere: dkk(11_944),
    source: BM_2023,
  },
  {
    benefit: 'kontanthjaelp',
    rateGroup: 'under-30-living-away',
    effectiveFrom: '2023-01-01',
    monthlyOere: dkk(7_699),
    source: BM_2023,
  },
  {
    benefit: 'kontanthjaelp',
    rateGroup: 'under-30-living-with-parents',
    effectiveFrom: '2023-01-01',
    monthlyOere: dkk(3_715),
    source: BM_2023,
  },
  {
    benefit: 'kontanthjaelp',
    rateGroup: '30-plus-with-children',
    effectiveFrom: '2024-01-01',
    monthlyOere: dkk(16_382),
    source: BM_2024,
  },
  {
    benefit: 'kontanthjaelp',
    rateGroup: '30-plus-without-children',
    effectiveFrom: '2024-01-01',
    monthlyOere: dkk(12_326),
    source: BM_2024,
  },
  {
    benefit: 'kontanthjaelp',
    rateGroup: 'under-30-living-away',
    effectiveFrom: '2024-01-01',
    monthlyOere: dkk(7_945),
    source: BM_2024,
  },
  {
    benefit: 'kontanthjaelp',
    rateGroup: 'under-30-living-with-parents',
    effectiveFrom: '2024-01-01',
    monthlyOere: dkk(3_834),
    source: BM_2024,
  },
  {
    benefit: 'integrationsydelse',
    rateGroup: 'single-parent',
    effectiveFrom: '2021-01-01',
    monthlyOere: dkk(12_437),
    source: ISHOJ_2021,
  },
  {
    benefit: 'integrationsydelse',
    rateGroup: 'parent',
    effectiveFrom: '2021-01-01',
    monthlyOere: dkk(8_703),
    source: ISHOJ_2021,
  },
  {
    benefit: 'integrationsydelse',
    rateGroup: 'non-parent',
    effectiveFrom: '2021-01-01',
    monthlyOere: dkk(6_219),
    source: ISHOJ_2021,
  },
  {
    benefit: 'integrationsydelse',
    rateGroup: 'under-30-living-with-parents',
    effectiveFrom: '2021-01-01',
    monthlyOere: dkk(2_679),
    source: ISHOJ_2021,
  },
];

/** The rate in force on a date: the latest for the benefit and group whose effective date is not after it. */
export function benefitRateOn(
  benefit: Benefit,
  rateGroup: RateGroup,
  date: IsoDate,
  rates: readonly BenefitRate[] = benefitRates,
): BenefitRate {
  const inForce = rates
    .filter((r) => r.benefit === benefit && r.rateGroup === rateGroup && r.effectiveFrom <= date)
    .sort((a, b) => b.effectiveFrom.localeCompare(a.effectiveFrom));
  const rate =
    inForce[0] ??
    rates
      .filter((r) => r.benefit === benefit && r.rateGroup === rateGroup)
      .sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom))[0];
  if (!rate) throw new RangeError(`No rate for ${benefit} / ${rateGroup}`);
  return rate;
}

/** A week's benefit: monthly × 12 / 52, rounded by the one rule. */
export function weeklyRateOere(monthlyOere: Oere): Oere {
  return divideRounded(monthlyOere * 12, 52);
}
