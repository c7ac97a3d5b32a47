/**
 * Money is integer øre everywhere. Where a calculation divides (a weekly rate from a monthly one, a share in
 * basis points), `divideRounded` is the one rounding rule: to the nearest whole øre, halves away from zero.
 * This module is also the only place that turns øre into text.
 */
export type Oere = number;

/** numerator / denominator, rounded to whole øre (halves away from zero). Both must be safe integers. */
export function divideRounded(numerator: number, denominator: number): Oere {
  if (!Number.isSafeInteger(numerator) || !Number.isSafeInteger(denominator) || denominator === 0) {
    throw new RangeError(`Cannot divide ${numerator} by ${denominator} in whole øre`);
  }
  const sign = Math.sign(numerator) * Math.sign(denominator);
  const a = Math.abs(numerator);
  const b = Math.abs(denominator);
  const quotient = Math.floor(a / b);
  const remainder = a - quotient * b;
  return sign * (remainder * 2 >= b ? quotient + 1 : quotient) || 0;
}

/** A share in basis points (1/100 of a per cent) of an amount, rounded by the one rule. */
export function shareOf(amount: Oere, basisPoints: number): Oere {
  return divideRounded(assertOere(amount) * basisPoints, 10_000);
}

export function assertOere(amount: number): Oere {
  if (!Number.isSafeInteger(amount)) throw new RangeError(`Money must be whole øre, got ${amount}`);
  return amount;
}

// Made on first use, not at import: an Intl formatter costs milliseconds to build, and most Lambda cold starts
// never format an amount (docs/BENCHMARKS.md, B1).
let dkk: Intl.NumberFormat | undefined;

/** 2_500_000 → "25.000,00 kr." (da-DK). */
export function formatDkk(amount: Oere): string {
  assertOere(amount);
  dkk ??= new Intl.NumberFormat('da-DK', { style: 'currency', currency: 'DKK', minimumFractionDigits: 2 });
  return dkk.format(amount / 100);
}

let wholeDkk: Intl.NumberFormat | undefined;

/** 25_000 → "25.000 kr." (da-DK): whole kroner, for chart axes where øre would be noise. */
export function formatWholeKroner(kroner: number): string {
  wholeDkk ??= new Intl.NumberFormat('da-DK', {
    style: 'currency',
    currency: 'DKK',
    maximumFractionDigits: 0,
  });
  return wholeDkk.format(kroner);
}
