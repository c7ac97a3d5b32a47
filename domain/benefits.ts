import type { IsoDate } from './dates.ts';
import { divideRounded, type Oere } from './money.ts';

/**
 * Benefit rates as dated data with their sources (../shared/DOMAIN.md, "Money"). A week off benefit saves the
 * weekly rate, monthly × 12 / 52. Rates change every year and by reform; a rate applies from its effective date
 * until the next one for the same benefit and group.
 *
 * Every year from 2019 (the seed's first cluster) to `LAST_RATE_YEAR` has a rate for every group, so no date is
 * priced with another year's rate in silence: a year without a published rate gets an assumed one, derived by
 * a stated rule and carrying its Danish label (`assumption`), which the business case lists. The reform of
 * 1 July 2025 (L 13, 2024-25) is modelled where the agreement gives an amount; see `reformRates`.
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

/**
 * The ages a rate group is for, in completed years on the referral's start date (inclusive bounds; absent = no
 * bound). The kontanthjælp groups say it in their names: 30 or over, or under 30. Integrationsydelse's
 * "non-parent" covers both 30+ and under 30 living away, and parents have no age in their group, so only its
 * under-30 group has a band.
 */
export interface AgeBand {
  minAge?: number;
  maxAge?: number;
}

export const rateGroupAgeBands: Record<Benefit, Readonly<Record<string, AgeBand>>> = {
  kontanthjaelp: {
    '30-plus-with-children': { minAge: 30 },
    '30-plus-without-children': { minAge: 30 },
    'under-30-living-away': { maxAge: 29 },
    'under-30-living-with-parents': { maxAge: 29 },
  },
  integrationsydelse: {
    'under-30-living-with-parents': { maxAge: 29 },
  },
};

/**
 * Age in completed years on a date. A birthday is reached on the same month and day; someone born on 29 February
 * is a year older on 1 March in a year without one.
 */
export function ageOn(birthDate: IsoDate, date: IsoDate): number {
  const years = Number(date.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return date.slice(5) < birthDate.slice(5) ? years - 1 : years;
}

export type AgeCheck = { ok: true } | { ok: false; age: number; band: AgeBand };

/** Whether a citizen born on `birthDate` fits the rate group's age band on `onDate` (the start date). */
export function checkRateGroupAge(
  benefit: Benefit,
  rateGroup: RateGroup,
  birthDate: IsoDate,
  onDate: IsoDate,
): AgeCheck {
  const band = rateGroupAgeBands[benefit][rateGroup] ?? {};
  const age = ageOn(birthDate, onDate);
  const fits =
    (band.minAge === undefined || age >= band.minAge) && (band.maxAge === undefined || age <= band.maxAge);
  return fits ? { ok: true } : { ok: false, age, band };
}

export function isRateGroupOf(benefit: Benefit, group: string): group is RateGroup {
  return (rateGroups[benefit] as readonly string[]).includes(group);
}

export interface BenefitRate {
  benefit: Benefit;
  rateGroup: RateGroup;
  effectiveFrom: IsoDate;
  monthlyOere: Oere;
  /** Where the figure, or the figure it is derived from, was published. */
  source: string;
  /** Set when no rate was published for this date: how this one was derived, in Danish, for the business case. */
  assumption?: string;
}

/** The first and last years with rates: the seed's first cluster, and the API's latest start plus its horizon. */
export const FIRST_RATE_YEAR = 2019;
export const LAST_RATE_YEAR = 2110;

/**
 * Our assumption for a year without a published rate: the neighbouring year's rate regulated by 1.5 % a year.
 * The published rates rose about that much a year from 2019 to 2024 (30+ without children: DKK 11,423 → 12,326,
 * 1.53 % a year; with children: 15,180 → 16,382, the same). Rounded to whole kroner, as rates are published.
 */
export const ASSUMED_REGULATION_BASIS_POINTS = 150;

const BM = (year: number) => `Beskæftigelsesministeriet (bm.dk), satser for kontanthjælp ${year}`;
const BM_2024 = 'Beskæftigelsesministeriet (bm.dk), satser for kontanthjælp 2024, via seniorfolk.dk';
const HERNING_2019 = 'borger.dk via Herning Kommune, satser for integrationsydelse 2019';
const ROSKILDE_2020 = 'Roskilde Kommune, satser for integrationsydelse 2020';
const ISHOJ_2021 =
  'Ishøj Kommune (ishoj.dk), satser for selvforsørgelses- og hjemrejseydelse/overgangsydelse 2021';
const L13 = 'Lovforslag L 13 (2024-25), kontanthjælpsreformen; aftalens beløb i 2024-niveau';

/** Published monthly rates in whole kroner, from 1 January of the year (DOMAIN.md's table). */
const published: ReadonlyArray<readonly [Benefit, RateGroup, number, number, string]> = [
  ['kontanthjaelp', '30-plus-with-children', 2019, 15_180, BM(2019)],
  ['kontanthjaelp', '30-plus-with-children', 2020, 15_355, BM(2020)],
  ['kontanthjaelp', '30-plus-with-children', 2021, 15_547, BM(2021)],
  ['kontanthjaelp', '30-plus-with-children', 2023, 15_874, BM(2023)],
  ['kontanthjaelp', '30-plus-with-children', 2024, 16_382, BM_2024],
  ['kontanthjaelp', '30-plus-without-children', 2019, 11_423, BM(2019)],
  ['kontanthjaelp', '30-plus-without-children', 2020, 11_554, BM(2020)],
  ['kontanthjaelp', '30-plus-without-children', 2021, 11_698, BM(2021)],
  ['kontanthjaelp', '30-plus-without-children', 2023, 11_944, BM(2023)],
  ['kontanthjaelp', '30-plus-without-children', 2024, 12_326, BM_2024],
  ['kontanthjaelp', 'under-30-living-away', 2021, 7_541, BM(2021)],
  ['kontanthjaelp', 'under-30-living-away', 2023, 7_699, BM(2023)],
  ['kontanthjaelp', 'under-30-living-away', 2024, 7_945, BM_2024],
  ['kontanthjaelp', 'under-30-living-with-parents', 2021, 3_639, BM(2021)],
  ['kontanthjaelp', 'under-30-living-with-parents', 2023, 3_715, BM(2023)],
  ['kontanthjaelp', 'under-30-living-with-parents', 2024, 3_834, BM_2024],
  ['integrationsydelse', 'single-parent', 2019, 12_143, HERNING_2019],
  ['integrationsydelse', 'single-parent', 2020, 12_283, ROSKILDE_2020],
  ['integrationsydelse', 'single-parent', 2021, 12_437, ISHOJ_2021],
  ['integrationsydelse', 'parent', 2019, 8_498, HERNING_2019],
  ['integrationsydelse', 'parent', 2020, 8_596, ROSKILDE_2020],
  ['integrationsydelse', 'parent', 2021, 8_703, ISHOJ_2021],
  ['integrationsydelse', 'non-parent', 2019, 6_072, HERNING_2019],
  ['integrationsydelse', 'non-parent', 2020, 6_142, ROSKILDE_2020],
  ['integrationsydelse', 'non-parent', 2021, 6_219, ISHOJ_2021],
  ['integrationsydelse', 'under-30-living-with-parents', 2019, 2_616, HERNING_2019],
  ['integrationsydelse', 'under-30-living-with-parents', 2020, 2_646, ROSKILDE_2020],
  ['integrationsydelse', 'under-30-living-with-parents', 2021, 2_679, ISHOJ_2021],
];

/** The day the reform merges the benefits into one kontanthjælp with a new rate structure. */
export const REFORM_DATE: IsoDate = '2025-07-01';

/**
 * The reform's rate for a group where the agreement gives an amount (2024 level; the enacted 2025/26 amounts were
 * not found): 30+ without children gets the forhøjet sats, under 30 living away the grundsats, integrationsydelse
 * without children (residence requirement not met) the mindstesats. The supplements (children, single person,
 * young) have no amounts in what was found, so they are left out: a single person is priced low.
 */
const reformRates: ReadonlyArray<readonly [Benefit, RateGroup, number, string]> = [
  ['kontanthjaelp', '30-plus-without-children', 12_064, 'forhøjet sats'],
  ['kontanthjaelp', 'under-30-living-away', 6_955, 'grundsats'],
  ['integrationsydelse', 'non-parent', 6_553, 'mindstesats'],
];

/**
 * The gap: groups whose rate after the reform depends on a supplement (children, young people at home) with no
 * amount found. They keep their previous rate, regulated each year, and the business case says so.
 */
export const REFORM_GAP =
  'Kontanthjælpsreformen 1. juli 2025 (L 13, 2024-25) er kun indregnet, hvor aftalen angiver et beløb: forhøjet ' +
  'sats (30 år og derover uden børn) 12.064 kr., grundsats (under 30 år, udeboende) 6.955 kr. og mindstesats ' +
  '(integrationsydelse uden børn) 6.553 kr. om måneden i 2024-niveau, reguleret med den antagne regulering. De ' +
  'vedtagne 2025/26-beløb og tillæggene (børn, enlige, unge) er ikke fundet: enlige prissættes uden tillæg, og ' +
  'forsørgere og hjemmeboende unge beholder den hidtidige sats, reguleret år for år.';

const dkk = (kroner: number): Oere => kroner * 100;

/** Whole kroner regulated by the assumed rate, up (a later year) or down (an earlier one). */
function regulate(kroner: number, direction: 'up' | 'down'): number {
  const factor = 10_000 + ASSUMED_REGULATION_BASIS_POINTS;
  return direction === 'up' ? divideRounded(kroner * factor, 10_000) : divideRounded(kroner * 10_000, factor);
}

const regulation = (): string => {
  const digits = String(ASSUMED_REGULATION_BASIS_POINTS).padStart(3, '0');
  const fraction = digits.slice(-2).replace(/0+$/, '');
  return fraction ? `${digits.slice(0, -2)},${fraction} %` : `${digits.slice(0, -2)} %`;
};

/** 12064 → "12.064", without the runtime's locale data. */
const thousands = (kroner: number): string => String(kroner).replace(/\B(?=(\d{3})+$)/g, '.');

/** Every year's rates of one group: published where found, otherwise derived by the stated rule. */
function ratesOfGroup(benefit: Benefit, rateGroup: RateGroup): BenefitRate[] {
  const found = published.filter(([b, g]) => b === benefit && g === rateGroup);
  const first = found[0];
  if (!first) throw new RangeError(`No published rate for ${benefit} / ${rateGroup}`);
  const rates: BenefitRate[] = [];
  // Before the first published year: that year's rate regulated down, year by year.
  let kroner = first[3];
  for (let year = first[2] - 1; year >= FIRST_RATE_YEAR; year--) {
    kroner = regulate(kroner, 'down');
    rates.unshift({
      benefit,
      rateGroup,
      effectiveFrom: `${year}-01-01`,
      monthlyOere: dkk(kroner),
      source: first[4],
      assumption: `Ingen offentliggjort sats fundet for ${year}: ${year + 1}-satsen nedreguleret med ${regulation()} (vores antagelse).`,
    });
  }
  const reform = reformRates.find(([b, g]) => b === benefit && g === rateGroup);
  let latest: BenefitRate | undefined;
  for (let year = first[2]; year <= LAST_RATE_YEAR; year++) {
    const row = found.find(([, , y]) => y === year);
    const previous = latest;
    if (row) {
      latest = {
        benefit,
        rateGroup,
        effectiveFrom: `${year}-01-01`,
        monthlyOere: dkk(row[3]),
        source: row[4],
      };
    } else if (previous) {
      latest = {
        benefit,
        rateGroup,
        effectiveFrom: `${year}-01-01`,
        monthlyOere: dkk(regulate(previous.monthlyOere / 100, 'up')),
        source: previous.source,
        assumption:
          `Ingen offentliggjort sats fundet for ${year}: satsen fra ${previous.effectiveFrom} reguleret med ${regulation()} ` +
          `(vores antagelse${year > 2025 && !reform ? '; reformens sats for gruppen er ikke fundet' : ''}).`,
      };
    }
    if (latest) rates.push(latest);
    if (reform && String(year) === REFORM_DATE.slice(0, 4)) {
      latest = {
        benefit,
        rateGroup,
        effectiveFrom: REFORM_DATE,
        monthlyOere: dkk(regulate(reform[2], 'up')),
        source: L13,
        assumption:
          `Reformen 1. juli 2025, ${reform[3]}: aftalens ${thousands(reform[2])} kr. i 2024-niveau ` +
          `reguleret med ${regulation()} til 2025 (vores antagelse; de vedtagne beløb og tillæg er ikke fundet).`,
      };
      rates.push(latest);
    }
  }
  return rates;
}

/** Every group's rates from `FIRST_RATE_YEAR` to `LAST_RATE_YEAR`, published or assumed. */
export const benefitRates: readonly BenefitRate[] = (Object.keys(rateGroups) as Benefit[]).flatMap(
  (benefit) => rateGroups[benefit].flatMap((group) => ratesOfGroup(benefit, group)),
);

const indexes = new WeakMap<readonly BenefitRate[], Map<string, BenefitRate[]>>();

/** Each group's rates, latest first; a business case looks up a rate for every week of every citizen. */
function ratesByGroup(rates: readonly BenefitRate[]): Map<string, BenefitRate[]> {
  let index = indexes.get(rates);
  if (!index) {
    index = new Map();
    for (const rate of rates) {
      const key = `${rate.benefit}/${rate.rateGroup}`;
      index.set(key, [...(index.get(key) ?? []), rate]);
    }
    for (const list of index.values()) list.sort((a, b) => b.effectiveFrom.localeCompare(a.effectiveFrom));
    indexes.set(rates, index);
  }
  return index;
}

/**
 * The rate in force on a date: the latest for the benefit and group whose effective date is not after it. A date
 * outside the years with rates is an error, never priced with another year's rate.
 */
export function benefitRateOn(
  benefit: Benefit,
  rateGroup: RateGroup,
  date: IsoDate,
  rates: readonly BenefitRate[] = benefitRates,
): BenefitRate {
  if (date > `${LAST_RATE_YEAR}-12-31`) {
    throw new RangeError(`No rate for ${benefit} / ${rateGroup} after ${LAST_RATE_YEAR}: ${date}`);
  }
  const rate = ratesByGroup(rates)
    .get(`${benefit}/${rateGroup}`)
    ?.find((r) => r.effectiveFrom <= date);
  if (!rate) throw new RangeError(`No rate for ${benefit} / ${rateGroup} on ${date}`);
  return rate;
}

/** A week's benefit: monthly × 12 / 52, rounded by the one rule. */
export function weeklyRateOere(monthlyOere: Oere): Oere {
  return divideRounded(monthlyOere * 12, 52);
}
