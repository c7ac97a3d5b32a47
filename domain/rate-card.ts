import { addDays, type IsoDate } from './dates.ts';
import { assertOere, divideRounded, type Oere, shareOf } from './money.ts';

/**
 * The rate card is data: dated versions, each applying to results on or after its effective date, and every
 * payment records the version it used. Nothing is paid for activities, only for results.
 *
 * The real programme never published its prices. The default amounts are derived from the savings model
 * (domain/savings.ts), for the most common citizen: kontanthjælp, 30 or over without children, DKK 12,326 a
 * month in 2024, i.e. DKK 2,844.46 a week. After a year or more on benefit the state reimburses only 20 %, so
 * the municipality's own saving is DKK 2,275.57 a week, DKK 59,165 over the first 26 weeks in work, or
 * DKK 47,332 after the assumed 20 % deadweight. A full, sustained job pays DKK 35,000 in all (15,000 at the
 * start, 10,000 at 13 and at 26 weeks): about three quarters of what the municipality saves in the first half
 * year, so the municipality is paid back within the first year in work and keeps every later week's saving.
 * A partial result (a job below the hours threshold, as Australia's DES pays "pathway" outcomes) pays two
 * thirds. Where the employer is an accelerator company, a quarter of each job result goes to the social
 * accelerator (the company side of the double-sided model) and the rest to the employment actor.
 */
export type ResultKind = 'job-start' | 'sustained-13-weeks' | 'sustained-26-weeks' | 'education-start';

/** One payment rule per result kind, and the partial variant of each job result. */
export type PaymentRule =
  | ResultKind
  | 'job-start-partial'
  | 'sustained-13-weeks-partial'
  | 'sustained-26-weeks-partial';

export type Payee = 'employment-actor' | 'social-accelerator';

export interface RateCard {
  version: string;
  effectiveFrom: IsoDate;
  paymentTermDays: number;
  /** Ordinary unsubsidised employment: at least this many hours a week, no wage subsidy. */
  fullHoursPerWeek: number;
  /** A job from this many hours, below the full threshold, is a partial result. Below it: no result. */
  partialHoursPerWeek: number;
  /** A partial result pays this fraction of the full amount (two thirds, as DES "pathway" outcomes). */
  partialShare: { numerator: number; denominator: number };
  amounts: Record<ResultKind, Oere>;
  /** The social accelerator's share of a job result when the employer is an accelerator company. */
  acceleratorShareBasisPoints: number;
  /** Caps: all payments for one citizen's pathway, and all for one municipality per place it has. */
  capPerCitizenOere: Oere;
  capPerPlaceOere: Oere;
}

export const rateCards: readonly RateCard[] = [
  {
    version: '2019-1',
    effectiveFrom: '2019-01-01',
    paymentTermDays: 30,
    fullHoursPerWeek: 15,
    partialHoursPerWeek: 10,
    partialShare: { numerator: 2, denominator: 3 },
    amounts: {
      'job-start': 1_500_000,
      'sustained-13-weeks': 1_000_000,
      'sustained-26-weeks': 1_000_000,
      'education-start': 1_000_000,
    },
    acceleratorShareBasisPoints: 2_500,
    capPerCitizenOere: 4_000_000,
    // A place can be filled again after a drop-out, so a municipality's cap allows two full results per place.
    capPerPlaceOere: 7_000_000,
  },
];

/** The version in force on a date: the latest whose effective date is not after it. */
export function rateCardOn(date: IsoDate, cards: readonly RateCard[] = rateCards): RateCard {
  const inForce = cards
    .filter((c) => c.effectiveFrom <= date)
    .sort((a, b) => b.effectiveFrom.localeCompare(a.effectiveFrom));
  const card = inForce[0];
  if (!card) throw new RangeError(`No rate card in force on ${date}`);
  return card;
}

export interface ResultFacts {
  kind: ResultKind;
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
 * What a result earns under the rate card in force on its date: one payment to the employment actor, and
 * one to the social accelerator when the employer is an accelerator company (the two always add up to the
 * result's amount). Each rule is paid once per pathway; a full job start after a partial one pays the
 * difference. Caps per citizen and per municipality cut the amount, the accelerator's share first kept in
 * proportion. The payment is due `paymentTermDays` after the result was recorded.
 */
export function calculatePayment(
  result: ResultFacts,
  recordedOn: IsoDate,
  paid: AlreadyPaid,
  cards: readonly RateCard[] = rateCards,
): PaymentDecision {
  const card = rateCardOn(result.date, cards);
  const full = card.amounts[result.kind];
  let rule: PaymentRule = result.kind;
  let amount = full;

  if (isJob(result.kind)) {
    const hours = result.hoursPerWeek ?? 0;
    if (hours < card.partialHoursPerWeek) return { due: false, reason: 'below-hours-threshold' };
    if (hours < card.fullHoursPerWeek) {
      rule = partialRule(result.kind);
      amount = divideRounded(full * card.partialShare.numerator, card.partialShare.denominator);
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
