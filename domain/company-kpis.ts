import { z } from 'zod';
import type { Cohort, DateRange } from './accelerator.ts';
import { addDays, type IsoDate } from './dates.ts';
import { divideRounded, type Oere } from './money.ts';

/**
 * The companies' KPIs (issue 7, item 3), what the fund's earlier accelerators measured (../shared/DOMAIN.md, "The
 * companies' side"): revenue, employees and vulnerable people hired, at selection (the baseline), at the end of
 * the 12-month accelerator and at the end of the 6 months' follow-up.
 */

export const kpiPoints = ['baseline', 'month-12', 'month-18'] as const;
export type KpiPoint = (typeof kpiPoints)[number];

export const kpiPointLabels: Record<KpiPoint, string> = {
  baseline: 'Udgangspunkt (ved udvælgelsen)',
  'month-12': 'Efter 12 måneder (acceleratorens afslutning)',
  'month-18': 'Efter 18 måneder (opfølgningens afslutning)',
};

export interface CompanyKpis {
  /** The last twelve months' revenue, whole øre (the API takes whole kroner). */
  revenueOere: Oere;
  /** Full-time equivalents, at most one decimal (12.5). */
  fullTimeEmployees: number;
  /**
   * Vulnerable citizens the company has employed: at the baseline those employed on the day; later, those plus
   * everyone hired since the baseline (a count that only grows).
   */
  vulnerableEmployed: number;
  /** Of `vulnerableEmployed`, those still employed on the reporting day. */
  vulnerableStillEmployed: number;
}

/** Revenue is reported in whole kroner, at most 10 billion: SMEs, and room for the growth figure's arithmetic. */
export const MAX_REVENUE_KRONER = 10_000_000_000;
export const MAX_FULL_TIME_EMPLOYEES = 100_000;
/** No company employs more people than this; the vulnerable counts are bounded by it too. */
const MAX_PEOPLE = 100_000;

// The limits written out, not formatted with Intl at import (a Lambda cold start pays for that; docs/BENCHMARKS.md).
const REVENUE_MESSAGE = 'Omsætning skal være et helt antal kroner fra 0 til 10.000.000.000';
const FTE_MESSAGE = 'Antal fuldtidsansatte skal være et tal fra 0 til 100.000 med højst én decimal';
const EMPLOYED_MESSAGE = 'Antal udsatte borgere ansat skal være et helt tal fra 0 til 100.000';
const STILL_MESSAGE = 'Antal udsatte borgere stadig ansat skal være et helt tal fra 0 til 100.000';

/** An empty form field or a JSON null is an absent value; absent fails the field's own message. */
const absent = (v: unknown) => (v === '' || v === null ? undefined : v);

/** A number from JSON, or from a form's text in the shape `pattern`, read by `read`; anything else fails `message`. */
const numberInput = (message: string, pattern: RegExp, read: (text: string) => number) =>
  z.union(
    [
      z.number({ error: message }),
      z.string({ error: message }).trim().regex(pattern, { error: message }).transform(read),
    ],
    { error: message },
  );

/** A whole number from JSON (number) or a form (digits, Danish thousands dots allowed: "1.250.000"). */
const wholeNumber = (message: string, max: number) =>
  z.preprocess(
    absent,
    numberInput(message, /^-?\d{1,3}(\.\d{3})+$|^-?\d+$/, (digits) =>
      Number(digits.replaceAll('.', '')),
    ).pipe(
      z
        .number({ error: message })
        .int({ error: message })
        .min(0, { error: message })
        .max(max, { error: message }),
    ),
  );

/** A number with at most one decimal, from JSON or a form ("12,5" as Danes write it, or "12.5"). */
const oneDecimal = (message: string, max: number) =>
  z.preprocess(
    absent,
    numberInput(message, /^-?\d+([.,]\d)?$/, (text) => Number(text.replace(',', '.'))).pipe(
      z
        .number({ error: message })
        .min(0, { error: message })
        .max(max, { error: message })
        // 0.1 steps: 12.5 × 10 is whole; 12.25 × 10 is not (the float error of x × 10 is far below 1e-6).
        .refine((n) => Math.abs(n * 10 - Math.round(n * 10)) < 1e-6, { error: message })
        .transform((n) => Math.round(n * 10) / 10),
    ),
  );

/**
 * A KPI report over the API, or from the company page's form. Revenue comes in whole kroner (`revenueKroner`):
 * companies read it off their accounts in kroner, and an amount in øre is a factor of 100 easily got wrong by hand;
 * the output carries it in øre (`revenueOere`), as all money in the system is. The point is part of the report; the
 * handler checks that it is open (`kpiOpenOn`) and answers 409 when it is not.
 */
export const kpiReportSchema = z
  .object({
    point: z.enum(kpiPoints, {
      error:
        'Målepunkt skal være baseline (udgangspunkt), month-12 (efter 12 måneder) eller month-18 (efter 18 måneder)',
    }),
    revenueKroner: wholeNumber(REVENUE_MESSAGE, MAX_REVENUE_KRONER),
    fullTimeEmployees: oneDecimal(FTE_MESSAGE, MAX_FULL_TIME_EMPLOYEES),
    vulnerableEmployed: wholeNumber(EMPLOYED_MESSAGE, MAX_PEOPLE),
    vulnerableStillEmployed: wholeNumber(STILL_MESSAGE, MAX_PEOPLE),
  })
  .superRefine((value, ctx) => {
    if (value.vulnerableStillEmployed > value.vulnerableEmployed) {
      ctx.addIssue({
        code: 'custom',
        path: ['vulnerableStillEmployed'],
        message: 'Antal udsatte borgere stadig ansat kan ikke være større end antal udsatte borgere ansat',
      });
    }
  })
  .transform(({ revenueKroner, ...rest }) => ({ ...rest, revenueOere: revenueKroner * 100 }));

export type KpiReport = z.output<typeof kpiReportSchema>;

/** The day a point's KPIs are measured: selection day, the accelerator's end, the follow-up's end. */
export function kpiDueDate(cohort: Cohort, point: KpiPoint): IsoDate {
  switch (point) {
    case 'baseline':
      return cohort.selectionBy;
    case 'month-12':
      return cohort.accelerator.end;
    case 'month-18':
      return cohort.followUp.end;
  }
}

/** Days before the due date a point may be reported (month 12 and 18), and days after it that it stays open. */
export const KPI_OPENS_DAYS_BEFORE = 30;
export const KPI_CLOSES_DAYS_AFTER = 90;

/**
 * When a point may be reported: from 30 days before its due date (the baseline: from the boot camp's first day,
 * where the companies first meet the accelerator) to 90 days after it, both inclusive. The range's end is
 * exclusive, as elsewhere (domain/accelerator.ts), so it is the day after the last open day.
 */
export function kpiWindow(cohort: Cohort, point: KpiPoint): DateRange {
  const due = kpiDueDate(cohort, point);
  const start = point === 'baseline' ? cohort.bootCamp.start : addDays(due, -KPI_OPENS_DAYS_BEFORE);
  return { start, end: addDays(due, KPI_CLOSES_DAYS_AFTER + 1) };
}

export function kpiOpenOn(cohort: Cohort, point: KpiPoint, date: IsoDate): boolean {
  const window = kpiWindow(cohort, point);
  return date >= window.start && date < window.end;
}

export interface KpiChanges {
  revenueChangeOere: Oere;
  /** Change against the baseline in per mille (125 = +12.5 %), rounded; null when the baseline revenue was 0. */
  revenueChangePerMille: number | null;
  /** Change in full-time equivalents, one decimal. */
  fullTimeEmployeesChange: number;
  /** Vulnerable citizens hired since the baseline (the growth of the cumulative count). */
  vulnerableHires: number;
  /** Vulnerable citizens employed on the later day, and the change against the baseline's. */
  vulnerableStillEmployed: number;
  vulnerableStillEmployedChange: number;
}

/** The growth figures for the company page: a later point against the baseline. */
export function kpiChanges(baseline: CompanyKpis, later: CompanyKpis): KpiChanges {
  const revenueChangeOere = later.revenueOere - baseline.revenueOere;
  return {
    revenueChangeOere,
    revenueChangePerMille:
      baseline.revenueOere > 0 ? divideRounded(revenueChangeOere * 1000, baseline.revenueOere) : null,
    // In tenths, so 12.3 − 10.1 is 2.2 and not 2.2000000000000011.
    fullTimeEmployeesChange:
      (Math.round(later.fullTimeEmployees * 10) - Math.round(baseline.fullTimeEmployees * 10)) / 10,
    vulnerableHires: later.vulnerableEmployed - baseline.vulnerableEmployed,
    vulnerableStillEmployed: later.vulnerableStillEmployed,
    vulnerableStillEmployedChange: later.vulnerableStillEmployed - baseline.vulnerableStillEmployed,
  };
}
