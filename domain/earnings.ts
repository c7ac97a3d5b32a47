import { type Benefit, LAST_RATE_YEAR, type RateGroup, REFORM_DATE } from './benefits.ts';
import type { IsoDate } from './dates.ts';
import { divideRounded, type Oere } from './money.ts';

/**
 * What a result saves beyond "the benefit stops" (../shared/DOMAIN.md, "Money"):
 * - Earnings reduce kontanthjælp, so a part-time job leaves a top-up benefit and saves only the reduction.
 *   Until 30 June 2025 earnings are deducted krone for krone less a disregard per hour worked (at most 160 hours a
 *   month); from 1 July 2025 (L 13, 2024-25) 65 % of the earnings above a monthly allowance is deducted.
 * - An education start ends the benefit; the state then pays SU (statens uddannelsesstøtte).
 * Every amount is dated data with its source, or a labelled assumption derived by a stated rule, like the
 * benefit rates (domain/benefits.ts), so each figure of the business case traces to one.
 */
export interface DatedAmount {
  /** Which series: the wage, the disregard, an SU rate. */
  series: EarningsSeries;
  effectiveFrom: IsoDate;
  oere: Oere;
  source: string;
  /** Set when nothing was published for the date: how the amount was derived, in Danish. */
  assumption?: string;
}

export type EarningsSeries =
  | 'hourly-wage'
  | 'hourly-disregard'
  | 'su-away-from-home'
  | 'su-living-with-parents';

/** Danish names, for the business case's list of assumptions. */
export const earningsSeriesLabels: Record<EarningsSeries, string> = {
  'hourly-wage': 'Timeløn i job (mindstebetaling, Industriens Overenskomst)',
  'hourly-disregard': 'Fradrag pr. arbejdstime ved modregning i kontanthjælp (før reformen)',
  'su-away-from-home': 'SU, udeboende (pr. måned)',
  'su-living-with-parents': 'SU, hjemmeboende (pr. måned)',
};

/**
 * Our assumption for a year without a published amount: the neighbouring year's regulated by 1.5 % a year, the
 * rule the benefit rates use (domain/benefits.ts `ASSUMED_REGULATION_BASIS_POINTS`), so wages, disregards, SU
 * and benefits move together and their ratios, which decide what a job saves, stay as last published.
 */
const REGULATION_FACTOR = 10_150;

const IO = (what: string) =>
  `Industriens Overenskomst § 22, mindstebetaling for voksne ${what} (co-industri.dk; dmogt.dk, OK-2023)`;
const DISREGARD = (year: number, where: string) =>
  `Fradrag pr. arbejdstime ved modregning i kontanthjælp ${year} (${where})`;
const SU_2024 = 'SU-satser 2024, før skat (seniorfolk.dk, "SU 2024")';
const SU_2018 = 'SU-satser 2018, udeboende (avisen.dk, "Hvad får man i SU?", februar 2018)';

type Published = readonly [IsoDate, number, string];

/**
 * The hourly wage of a job: the lowest wage of the largest private collective agreement, as an estimate of an
 * entry-level wage for a citizen who has been far from the labour market. DKK 131.65 from 1 March 2023 and
 * 136.15 from 1 March 2024 (published); 2022's 127.15 follows from the same text (2023 was 4.50 more).
 */
const wages: readonly Published[] = [
  ['2022-03-01', 12_715, IO('2022, 131,65 kr. fra 1.3.2023 fratrukket stigningen på 4,50 kr.')],
  ['2023-03-01', 13_165, IO('fra 1.3.2023')],
  ['2024-03-01', 13_615, IO('fra 1.3.2024')],
];

/** The pre-reform disregard per hour worked: DOMAIN.md's municipal pages, DKK 27.32 (2019), 28.40, 28.66. */
const disregards: readonly Published[] = [
  ['2019-01-01', 2_732, DISREGARD(2019, 'kommunale vejledninger')],
  ['2021-01-01', 2_840, DISREGARD(2021, 'kommunale vejledninger')],
  ['2022-01-01', 2_866, DISREGARD(2022, 'kommunale vejledninger')],
];

const suAway: readonly Published[] = [
  ['2018-01-01', 609_000, SU_2018],
  ['2024-01-01', 682_000, SU_2024],
];

/** SU for a student living with parents, 20 or over (the youngest citizens in the programme are 18–19). */
const suHome: readonly Published[] = [['2024-01-01', 268_600, SU_2024]];

const kroner = (oere: Oere): string => {
  const whole = Math.trunc(oere / 100);
  const fraction = String(Math.abs(oere % 100)).padStart(2, '0');
  return `${String(whole).replace(/\B(?=(\d{3})+$)/g, '.')},${fraction} kr.`;
};

/**
 * A dated series from 2019 to `LAST_RATE_YEAR`: published amounts where found, and for every other year (on the
 * series' own day of change) the neighbouring year's amount regulated by the assumed 1.5 %, labelled as such.
 */
function datedSeries(series: EarningsSeries, published: readonly Published[]): DatedAmount[] {
  const first = published[0];
  if (!first) throw new RangeError(`No published amount for ${series}`);
  const monthDay = first[0].slice(4);
  const label = earningsSeriesLabels[series];
  const amounts: DatedAmount[] = [];
  let oere = first[1];
  // A series that changes later in the year (the wage, on 1 March) needs 2018's amount for the start of 2019.
  const earliest = monthDay === '-01-01' ? 2019 : 2018;
  for (let year = Number(first[0].slice(0, 4)) - 1; year >= earliest; year--) {
    oere = divideRounded(oere * 10_000, REGULATION_FACTOR);
    amounts.unshift({
      series,
      effectiveFrom: `${year}${monthDay}`,
      oere,
      source: first[2],
      assumption: `${label}: intet offentliggjort beløb fundet for ${year}; ${first[0]}-beløbet ${kroner(first[1])} nedreguleret med 1,5 % om året (vores antagelse).`,
    });
  }
  let latest: DatedAmount | undefined;
  for (let year = Number(first[0].slice(0, 4)); year <= LAST_RATE_YEAR; year++) {
    const effectiveFrom = `${year}${monthDay}`;
    const row = published.find(([date]) => date === effectiveFrom);
    if (row) latest = { series, effectiveFrom, oere: row[1], source: row[2] };
    else if (latest) {
      latest = {
        series,
        effectiveFrom,
        oere: divideRounded(latest.oere * REGULATION_FACTOR, 10_000),
        source: latest.source,
        assumption: `${label}: intet offentliggjort beløb fundet for ${year}; beløbet fra ${latest.effectiveFrom} reguleret med 1,5 % (vores antagelse).`,
      };
    }
    if (latest && Number(effectiveFrom.slice(0, 4)) >= earliest) amounts.push(latest);
  }
  return amounts;
}

export const earningsAmounts: readonly DatedAmount[] = [
  ...datedSeries('hourly-wage', wages),
  ...datedSeries('hourly-disregard', disregards),
  ...datedSeries('su-away-from-home', suAway),
  ...datedSeries('su-living-with-parents', suHome),
];

const bySeries = new Map<EarningsSeries, DatedAmount[]>();
for (const amount of earningsAmounts) {
  bySeries.set(amount.series, [...(bySeries.get(amount.series) ?? []), amount]);
}
for (const list of bySeries.values()) list.sort((a, b) => b.effectiveFrom.localeCompare(a.effectiveFrom));

/** The amount in force on a date; a date before the series begins is an error, never another year's amount. */
export function amountOn(series: EarningsSeries, date: IsoDate): DatedAmount {
  const amount = bySeries.get(series)?.find((a) => a.effectiveFrom <= date);
  if (!amount) throw new RangeError(`No ${series} amount on ${date}`);
  return amount;
}

/** The pre-reform disregard applies to at most 160 hours a month. */
export const DISREGARD_MAX_HOURS_PER_MONTH = 160;
/** The reform's deduction: 65 % of earnings above the allowance. */
export const REFORM_DEDUCTION_BASIS_POINTS = 6_500;

/**
 * The reform's monthly allowance by the rate a group gets after 1 July 2025 (agreement text, DKK): 2,500 on the
 * forhøjet sats, 5,000 on the grundsats and the mindstesats, none for young people living with their parents.
 * Kept at the agreement's nominal amounts (the enacted ones were not found; our assumption, stated on the page).
 */
export const reformAllowanceOere: Record<Benefit, Readonly<Record<string, Oere>>> = {
  kontanthjaelp: {
    '30-plus-with-children': 250_000,
    '30-plus-without-children': 250_000,
    'under-30-living-away': 500_000,
    'under-30-living-with-parents': 0,
  },
  integrationsydelse: {
    'single-parent': 500_000,
    parent: 500_000,
    'non-parent': 500_000,
    'under-30-living-with-parents': 0,
  },
};

export const EARNINGS_RULE_NOTE =
  'Løn modregnes i kontanthjælpen, så et deltidsjob sparer kun det, ydelsen falder med: til 30. juni 2025 ' +
  'modregnes lønnen krone for krone fratrukket et fradrag pr. arbejdstime (højst 160 timer om måneden); fra ' +
  '1. juli 2025 (L 13, 2024-25) modregnes 65 % af lønnen over et fribeløb på 2.500 kr. (forhøjet sats), 5.000 kr. ' +
  '(grundsats og mindstesats) eller 0 kr. (hjemmeboende unge) om måneden, aftalens nominelle beløb (vores ' +
  'antagelse: de vedtagne er ikke fundet). Lønnen er timer om ugen × 52 / 12 × timelønnen. Uddannelse: ' +
  'kommunen sparer sin andel af ydelsen, mens borgeren er indskrevet; staten sparer sin refusion, men betaler SU.';

export interface JobEarnings {
  wage: DatedAmount;
  /** Before the reform: the disregard per hour in force. */
  disregard?: DatedAmount;
  /** From the reform: the group's monthly allowance. */
  allowanceOere?: Oere;
  monthlyEarningsOere: Oere;
  /** How much the month's benefit falls: never more than the benefit itself. */
  monthlySavedOere: Oere;
}

/**
 * What a job of `hoursPerWeek` saves a month on a benefit of `monthlyBenefitOere`, under the rule in force on
 * `date`: the benefit falls by the deducted earnings, to nothing at most. Integer arithmetic throughout:
 * earnings = wage × hours × 52 / 12, rounded once.
 */
export function jobEarnings(
  benefit: Benefit,
  rateGroup: RateGroup,
  monthlyBenefitOere: Oere,
  hoursPerWeek: number,
  date: IsoDate,
): JobEarnings {
  if (!Number.isInteger(hoursPerWeek) || hoursPerWeek < 0) {
    throw new RangeError(`Hours a week must be a whole number ≥ 0, got ${hoursPerWeek}`);
  }
  const wage = amountOn('hourly-wage', date);
  const monthlyEarningsOere = divideRounded(wage.oere * hoursPerWeek * 52, 12);
  const capped = (deducted: Oere) => Math.min(Math.max(deducted, 0), monthlyBenefitOere);
  if (date < REFORM_DATE) {
    const disregard = amountOn('hourly-disregard', date);
    const hourTwelfths = Math.min(hoursPerWeek * 52, DISREGARD_MAX_HOURS_PER_MONTH * 12);
    const disregarded = divideRounded(disregard.oere * hourTwelfths, 12);
    return {
      wage,
      disregard,
      monthlyEarningsOere,
      monthlySavedOere: capped(monthlyEarningsOere - disregarded),
    };
  }
  const allowanceOere = reformAllowanceOere[benefit][rateGroup] ?? 0;
  const deducted = divideRounded(
    (monthlyEarningsOere - allowanceOere) * REFORM_DEDUCTION_BASIS_POINTS,
    10_000,
  );
  return { wage, allowanceOere, monthlyEarningsOere, monthlySavedOere: capped(deducted) };
}

/** The SU a citizen of this rate group gets as a student: the rate for students living with parents, or away. */
export function suOn(rateGroup: RateGroup, date: IsoDate): DatedAmount {
  return amountOn(
    rateGroup === 'under-30-living-with-parents' ? 'su-living-with-parents' : 'su-away-from-home',
    date,
  );
}
