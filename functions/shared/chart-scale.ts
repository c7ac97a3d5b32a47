/** Scales and labels the server-rendered charts share (the business case, the what-if). */

// Made on first use, not at import (a formatter costs milliseconds of the cold start; JSON never needs it).
let monthName: Intl.DateTimeFormat | undefined;
/** "nov. 2026" for "2026-11". */
export function danishMonth(month: string): string {
  monthName ??= new Intl.DateTimeFormat('da-DK', { month: 'short', year: 'numeric', timeZone: 'UTC' });
  return monthName.format(new Date(`${month}-01T00:00:00Z`));
}

/**
 * A round step (1, 2, 2.5 or 5 × 10ⁿ kroner) that splits `max` into about four intervals; at least 1,000 kr.,
 * so that an empty chart is labelled 0 to 4.000 kr. rather than in fractions of a krone.
 */
export function niceStep(maxKroner: number): number {
  const raw = Math.max(maxKroner, 4_000) / 4;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const factor = [1, 2, 2.5, 5, 10].find((f) => f * magnitude >= raw) ?? 10;
  return factor * magnitude;
}
