import { type Benefit, type RateGroup, rateGroups } from './benefits.ts';
import { addDays, type IsoDate } from './dates.ts';
import { type Readiness, readinessValues } from './deadweight.ts';
import { assertOere, type Oere, shareOf } from './money.ts';

/**
 * The rate card is data: dated versions, each applying to results on or after its effective date, and every
 * payment records the version it used. Nothing is paid for activities, only for results.
 *
 * The real programme never published its prices. Ours price each payment group (benefit, rate group, readiness)
 * so that a fully sustained result never costs the municipality more than the card's stated share
 * (`maxShareOfSavingBasisPoints`) of what that group's result is expected to save (domain/pricing.ts
 * `expectedSaving`: the 26 verified weeks after the result, on the long-term refusion tier, after the readiness's
 * deadweight). A table test checks it for every version, group and result, every half year. Where the employer
 * is an accelerator company, a quarter of each job result goes to the social accelerator (the company side of
 * the double-sided model) and the rest to the employment actor.
 */
export type ResultKind = 'job-start' | 'sustained-13-weeks' | 'sustained-26-weeks' | 'education-start';

/** One payment rule per result kind, and the partial variant of each job result. */
export type PaymentRule =
  | ResultKind
  | 'job-start-partial'
  | 'sustained-13-weeks-partial'
  | 'sustained-26-weeks-partial';

export type Payee = 'employment-actor' | 'social-accelerator';

/** Who a result is priced for: the citizen's benefit and rate group, and their readiness (visitationskategori). */
export interface PaymentGroup {
  benefit: Benefit;
  rateGroup: RateGroup;
  readiness: Readiness;
}

type GroupKeyOf<B extends Benefit> = `${B}/${(typeof rateGroups)[B][number]}/${Readiness}`;
/** "kontanthjaelp/30-plus-without-children/aktivitetsparat": typed, so a price table must name every group. */
export type PaymentGroupKey = GroupKeyOf<'kontanthjaelp'> | GroupKeyOf<'integrationsydelse'>;

export function paymentGroupKey(group: PaymentGroup): PaymentGroupKey {
  return `${group.benefit}/${group.rateGroup}/${group.readiness}` as PaymentGroupKey;
}

/** Every payment group: each benefit's rate groups, each readiness. */
export const paymentGroups: readonly PaymentGroup[] = (Object.keys(rateGroups) as Benefit[]).flatMap(
  (benefit) =>
    rateGroups[benefit].flatMap((rateGroup) =>
      readinessValues.map((readiness) => ({ benefit, rateGroup, readiness })),
    ),
);

export interface RateCard {
  version: string;
  effectiveFrom: IsoDate;
  paymentTermDays: number;
  /** Ordinary unsubsidised employment: at least this many hours a week, no wage subsidy. */
  fullHoursPerWeek: number;
  /** A job from this many hours, below the full threshold, is a partial result. Below it: no result. */
  partialHoursPerWeek: number;
  /** Each payment group's amount per payment rule. */
  prices: Readonly<Record<PaymentGroupKey, Readonly<Record<PaymentRule, Oere>>>>;
  /**
   * The most a fully sustained result may cost of what it is expected to save (domain/pricing.ts), in basis
   * points: the rest of the saving is the municipality's, and its margin for the assumptions' uncertainty.
   */
  maxShareOfSavingBasisPoints: number;
  /** The social accelerator's share of a job result when the employer is an accelerator company. */
  acceleratorShareBasisPoints: number;
  /** Caps: all payments for one citizen's pathway, and all for one municipality per place it has. */
  capPerCitizenOere: Oere;
  capPerPlaceOere: Oere;
}

/** One group's prices in whole kroner: a full and a partial job [start, 13 weeks, 26 weeks], an education start. */
type PriceRow = readonly [
  full: readonly [number, number, number],
  partial: readonly [number, number, number],
  education: number,
];

const kroner = (amount: number): Oere => assertOere(amount * 100);

function priceTable(
  rows: Record<PaymentGroupKey, PriceRow>,
): Record<PaymentGroupKey, Record<PaymentRule, Oere>> {
  const table = {} as Record<PaymentGroupKey, Record<PaymentRule, Oere>>;
  for (const [key, [full, partial, education]] of Object.entries(rows) as [PaymentGroupKey, PriceRow][]) {
    table[key] = {
      'job-start': kroner(full[0]),
      'sustained-13-weeks': kroner(full[1]),
      'sustained-26-weeks': kroner(full[2]),
      'job-start-partial': kroner(partial[0]),
      'sustained-13-weeks-partial': kroner(partial[1]),
      'sustained-26-weeks-partial': kroner(partial[2]),
      'education-start': kroner(education),
    };
  }
  return table;
}

/**
 * Version 2019-2, from 1 January 2019: priced with the earnings rule before the reform (krone for krone less a
 * disregard per hour). It replaces the flat version 2019-1 (DKK 15,000 / 10,000 / 10,000 for every citizen), which
 * cost more than the result saves for most groups once earnings reduce the benefit; the system had not gone into
 * production, and a payment recorded under 2019-1 keeps that label. DKK per group (benefit / rate group /
 * readiness): full job [start, 13 weeks, 26 weeks], partial job [the same], education start. Proposed by
 * domain/pricing.ts `proposedPrices`.
 */
// biome-ignore format: a table, one group a line
const prices2019 = priceTable({
  'kontanthjaelp/30-plus-with-children/aktivitetsparat':            [[7_500, 5_000, 5_000], [5_000, 3_300, 3_300], 17_500],
  'kontanthjaelp/30-plus-with-children/jobparat':                   [[6_100, 4_000, 4_000], [4_000, 2_700, 2_700], 14_100],
  'kontanthjaelp/30-plus-without-children/aktivitetsparat':         [[7_500, 5_000, 5_000], [5_000, 3_300, 3_300], 14_000],
  'kontanthjaelp/30-plus-without-children/jobparat':                [[6_100, 4_000, 4_000], [4_000, 2_700, 2_700], 11_400],
  'kontanthjaelp/under-30-living-away/aktivitetsparat':             [[7_500, 5_000, 5_000], [5_000, 3_300, 3_300],  9_000],
  'kontanthjaelp/under-30-living-away/jobparat':                    [[6_100, 4_000, 4_000], [4_000, 2_700, 2_700],  7_300],
  'kontanthjaelp/under-30-living-with-parents/aktivitetsparat':     [[4_300, 2_900, 2_900], [4_300, 2_900, 2_900],  4_300],
  'kontanthjaelp/under-30-living-with-parents/jobparat':            [[3_500, 2_300, 2_300], [3_500, 2_300, 2_300],  3_500],
  'integrationsydelse/single-parent/aktivitetsparat':               [[7_500, 5_000, 5_000], [5_000, 3_300, 3_300], 14_900],
  'integrationsydelse/single-parent/jobparat':                      [[6_100, 4_000, 4_000], [4_000, 2_700, 2_700], 12_100],
  'integrationsydelse/parent/aktivitetsparat':                      [[7_500, 5_000, 5_000], [5_000, 3_300, 3_300], 10_400],
  'integrationsydelse/parent/jobparat':                             [[6_100, 4_000, 4_000], [4_000, 2_700, 2_700],  8_500],
  'integrationsydelse/non-parent/aktivitetsparat':                  [[7_400, 4_900, 4_900], [5_000, 3_300, 3_300],  7_400],
  'integrationsydelse/non-parent/jobparat':                         [[6_000, 4_000, 4_000], [4_000, 2_700, 2_700],  6_000],
  'integrationsydelse/under-30-living-with-parents/aktivitetsparat':[[3_200, 2_100, 2_100], [3_200, 2_100, 2_100],  3_200],
  'integrationsydelse/under-30-living-with-parents/jobparat':       [[2_600, 1_700, 1_700], [2_600, 1_700, 1_700],  2_600],
});

/**
 * Version 2025-1, from 1 January 2025: priced for the reform of 1 July 2025 (new rates; 65 % of earnings above an
 * allowance deducted), which makes a part-time job save far less for most groups. In force half a year before the
 * reform, so no job priced by the earlier version has a verified week under the reform's deduction (a job
 * starting on 31 December 2024 has its 26th week in June 2025).
 */
// biome-ignore format: a table, one group a line
const prices2025 = priceTable({
  'kontanthjaelp/30-plus-with-children/aktivitetsparat':            [[5_200, 3_400, 3_400], [2_700, 1_800, 1_800], 12_000],
  'kontanthjaelp/30-plus-with-children/jobparat':                   [[4_200, 2_800, 2_800], [2_200, 1_500, 1_500],  9_800],
  'kontanthjaelp/30-plus-without-children/aktivitetsparat':         [[5_200, 3_400, 3_400], [2_700, 1_800, 1_800], 12_000],
  'kontanthjaelp/30-plus-without-children/jobparat':                [[4_200, 2_800, 2_800], [2_200, 1_500, 1_500],  9_800],
  'kontanthjaelp/under-30-living-away/aktivitetsparat':             [[3_100, 2_100, 2_100], [  700,   500,   500],  7_300],
  'kontanthjaelp/under-30-living-away/jobparat':                    [[2_500, 1_700, 1_700], [  600,   400,   400],  5_900],
  'kontanthjaelp/under-30-living-with-parents/aktivitetsparat':     [[4_800, 3_200, 3_200], [4_800, 3_200, 3_200],  4_800],
  'kontanthjaelp/under-30-living-with-parents/jobparat':            [[3_900, 2_600, 2_600], [3_900, 2_600, 2_600],  3_900],
  'integrationsydelse/single-parent/aktivitetsparat':               [[3_100, 2_100, 2_100], [  700,   500,   500],  7_300],
  'integrationsydelse/single-parent/jobparat':                      [[2_500, 1_700, 1_700], [  600,   400,   400],  5_900],
  'integrationsydelse/parent/aktivitetsparat':                      [[3_100, 2_100, 2_100], [  700,   500,   500],  7_300],
  'integrationsydelse/parent/jobparat':                             [[2_500, 1_700, 1_700], [  600,   400,   400],  5_900],
  'integrationsydelse/non-parent/aktivitetsparat':                  [[3_100, 2_100, 2_100], [  700,   500,   500],  7_300],
  'integrationsydelse/non-parent/jobparat':                         [[2_500, 1_700, 1_700], [  600,   400,   400],  5_900],
  'integrationsydelse/under-30-living-with-parents/aktivitetsparat':[[3_500, 2_300, 2_300], [3_500, 2_300, 2_300],  3_500],
  'integrationsydelse/under-30-living-with-parents/jobparat':       [[2_800, 1_900, 1_900], [2_800, 1_900, 1_900],  2_800],
});

/**
 * Both versions: ordinary unsubsidised employment from 15 hours a week, a partial result from 10, and a fully
 * sustained result at most 75 % of what it is expected to save. The caps: per citizen, the largest group's full
 * job and an education start; per place, two full results (a place can be filled again after a drop-out).
 */
export const rateCards: readonly RateCard[] = [
  {
    version: '2019-2',
    effectiveFrom: '2019-01-01',
    paymentTermDays: 30,
    fullHoursPerWeek: 15,
    partialHoursPerWeek: 10,
    prices: prices2019,
    maxShareOfSavingBasisPoints: 7_500,
    acceleratorShareBasisPoints: 2_500,
    capPerCitizenOere: 3_500_000,
    capPerPlaceOere: 3_500_000,
  },
  {
    version: '2025-1',
    effectiveFrom: '2025-01-01',
    paymentTermDays: 30,
    fullHoursPerWeek: 15,
    partialHoursPerWeek: 10,
    prices: prices2025,
    maxShareOfSavingBasisPoints: 7_500,
    acceleratorShareBasisPoints: 2_500,
    capPerCitizenOere: 2_400_000,
    capPerPlaceOere: 2_400_000,
  },
];

/** Anything priced in dated versions: the citizens' rate card, the company side's (domain/company-results.ts). */
export interface DatedVersion {
  version: string;
  effectiveFrom: IsoDate;
}

/** The version in force on a date: the latest whose effective date is not after it. */
export function versionOn<C extends DatedVersion>(date: IsoDate, cards: readonly C[]): C {
  const inForce = cards
    .filter((c) => c.effectiveFrom <= date)
    .sort((a, b) => b.effectiveFrom.localeCompare(a.effectiveFrom));
  const card = inForce[0];
  if (!card) throw new RangeError(`No rate card in force on ${date}`);
  return card;
}

/**
 * The result dates a version is derived and checked on: every half year from its effective date until the next
 * version (the last: for ten years), and the day before the next.
 */
export function versionDates<C extends DatedVersion>(card: C, cards: readonly C[]): IsoDate[] {
  const next = cards
    .filter((c) => c.effectiveFrom > card.effectiveFrom)
    .sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom))[0];
  const until =
    next?.effectiveFrom ?? `${Number(card.effectiveFrom.slice(0, 4)) + 10}${card.effectiveFrom.slice(4)}`;
  const dates: IsoDate[] = [];
  for (let year = Number(card.effectiveFrom.slice(0, 4)); ; year++) {
    for (const monthDay of ['-01-01', '-07-01']) {
      const date = `${year}${monthDay}`;
      if (date >= until) return next ? [...dates, addDays(until, -1)] : dates;
      if (date >= card.effectiveFrom) dates.push(date);
    }
  }
}

/** The citizens' rate card in force on a date. */
export function rateCardOn(date: IsoDate, cards: readonly RateCard[] = rateCards): RateCard {
  return versionOn(date, cards);
}

/**
 * What counts as ordinary employment on a date: the hours of the card in force, or of the first card for a day
 * before any (a job recorded on a pathway that began before the programme's first card is still a job, followed
 * to its milestones; it is just not priced).
 */
export function hoursThresholdsOn(
  date: IsoDate,
  cards: readonly RateCard[] = rateCards,
): Pick<RateCard, 'fullHoursPerWeek' | 'partialHoursPerWeek'> {
  const first = [...cards].sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom))[0];
  if (!first) throw new RangeError('No rate card at all');
  return date < first.effectiveFrom ? first : rateCardOn(date, cards);
}

export interface ResultFacts {
  kind: ResultKind;
  /** Whose result: the card prices each payment group. */
  group: PaymentGroup;
  /** The date of the result: the outcome date, or the milestone's date. */
  date: IsoDate;
  /** For job results: the job's hours a week. */
  hoursPerWeek?: number;
  /** For job results: the employer is one of the accelerator companies. */
  hiredByAcceleratorCompany?: boolean;
}

export interface PaymentDue {
  rule: PaymentRule;
  payee: Payee;
  amountOere: Oere;
  rateCardVersion: string;
  dueDate: IsoDate;
  /** Set when a cap made the payment smaller than the rate card's amount. */
  cappedFromOere?: Oere;
}

export interface AlreadyPaid {
  /** What this pathway has been paid per rule, all payees together. */
  byRule: ReadonlyMap<PaymentRule, Oere>;
  /** Everything paid for this citizen so far, on any pathway. */
  citizenOere: Oere;
  /** Everything paid in the municipality so far. */
  municipalityOere: Oere;
  /** The municipality's places, for its cap. */
  municipalityPlaces: number;
}

export type PaymentDecision = { due: true; payments: PaymentDue[] } | { due: false; reason: string };

const isJob = (kind: ResultKind) => kind !== 'education-start';

function partialRule(kind: ResultKind): PaymentRule {
  return `${kind}-partial` as PaymentRule;
}

/**
 * What a result earns under the rate card in force on its date, at its payment group's price: one payment to the
 * employment actor, and one to the social accelerator when the employer is an accelerator company (the two
 * always add up to the result's amount). Each rule is paid once per pathway; a full job start after a partial one pays the
 * difference. Caps per citizen and per municipality cut the amount, the accelerator's share first kept in
 * proportion. The payment is due `paymentTermDays` after the result was recorded.
 */
export function calculatePayment(
  result: ResultFacts,
  recordedOn: IsoDate,
  paid: AlreadyPaid,
  cards: readonly RateCard[] = rateCards,
): PaymentDecision {
  // A result before the first card is not priced: nothing was agreed for it.
  if (cards.every((c) => c.effectiveFrom > result.date)) return { due: false, reason: 'no-rate-card' };
  const card = rateCardOn(result.date, cards);
  const prices = card.prices[paymentGroupKey(result.group)];
  if (!prices)
    throw new RangeError(`Rate card ${card.version} has no prices for ${paymentGroupKey(result.group)}`);
  const full = prices[result.kind];
  let rule: PaymentRule = result.kind;
  let amount = full;

  if (isJob(result.kind)) {
    const hours = result.hoursPerWeek ?? 0;
    if (hours < card.partialHoursPerWeek) return { due: false, reason: 'below-hours-threshold' };
    if (hours < card.fullHoursPerWeek) {
      rule = partialRule(result.kind);
      amount = prices[rule];
      if (paid.byRule.has(result.kind)) return { due: false, reason: `already-paid:${result.kind}` };
    } else if (paid.byRule.has(partialRule(result.kind)) && !paid.byRule.has(result.kind)) {
      // A full result after a partial one pays the rest of the full amount: what the partial one actually paid
      // (under its own card version, after any cap) is what is taken off.
      amount = full - (paid.byRule.get(partialRule(result.kind)) ?? 0);
      if (amount <= 0) return { due: false, reason: `already-paid:${partialRule(result.kind)}` };
    }
  }
  if (paid.byRule.has(rule)) return { due: false, reason: `already-paid:${rule}` };

  const room = Math.min(
    card.capPerCitizenOere - paid.citizenOere,
    card.capPerPlaceOere * paid.municipalityPlaces - paid.municipalityOere,
  );
  if (room <= 0) return { due: false, reason: 'cap-reached' };
  const capped = Math.min(amount, room);

  const dueDate = addDays(recordedOn, card.paymentTermDays);
  const base = { rule, rateCardVersion: card.version, dueDate };
  /** One payee's payment; when capped, it records its own share of the rate card's amount. */
  const line = (payee: Payee, paidOere: Oere, uncappedOere: Oere): PaymentDue => ({
    ...base,
    payee,
    amountOere: assertOere(paidOere),
    ...(capped < amount ? { cappedFromOere: uncappedOere } : {}),
  });
  if (!(isJob(result.kind) && result.hiredByAcceleratorCompany)) {
    return { due: true, payments: [line('employment-actor', capped, amount)] };
  }
  const accelerator = shareOf(capped, card.acceleratorShareBasisPoints);
  const acceleratorUncapped = shareOf(amount, card.acceleratorShareBasisPoints);
  return {
    due: true,
    payments: [
      line('employment-actor', capped - accelerator, amount - acceleratorUncapped),
      line('social-accelerator', accelerator, acceleratorUncapped),
    ].filter((p) => p.amountOere > 0),
  };
}
