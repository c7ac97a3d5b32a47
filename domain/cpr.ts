import type { IsoDate } from './dates.ts';

/**
 * CPR numbers (DDMMYY-SSSS). Since 2007 not every number passes the modulus-11 check, so only the format and
 * the date are validated; the 7th digit with the year gives the century (CPR-kontoret's table).
 */
export type CprCheck = { ok: true; normalized: string } | { ok: false; reason: 'format' | 'date' };

export function checkCpr(input: string): CprCheck {
  const match = /^(\d{2})(\d{2})(\d{2})-?(\d{4})$/.exec(input.trim());
  if (!match) return { ok: false, reason: 'format' };
  const [, dd, mm, yy, serial] = match as unknown as [string, string, string, string, string];
  const year = fullYear(Number(yy), Number(serial[0]));
  if (!isValidDate(year, Number(mm), Number(dd))) return { ok: false, reason: 'date' };
  return { ok: true, normalized: `${dd}${mm}${yy}${serial}` };
}

/**
 * The birth date in a CPR number (DDMMYY-SSSS or 10 digits), with the century from the 7th digit; null when the
 * number has no valid date. Used to check the age a rate group requires, never stored or shown.
 */
export function cprBirthDate(input: string): IsoDate | null {
  const check = checkCpr(input);
  if (!check.ok) return null;
  const digits = check.normalized;
  const year = fullYear(Number(digits.slice(4, 6)), Number(digits[6]));
  return `${year}-${digits.slice(2, 4)}-${digits.slice(0, 2)}`;
}

function fullYear(yy: number, seventhDigit: number): number {
  if (seventhDigit <= 3) return 1900 + yy;
  if (seventhDigit === 4 || seventhDigit === 9) return yy <= 36 ? 2000 + yy : 1900 + yy;
  // 5–8
  return yy <= 57 ? 2000 + yy : 1800 + yy;
}

function isValidDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

/**
 * Anything shaped like a CPR number: six digits, an optional hyphen, four digits, not part of a longer run of
 * digits (`010185-1234`, `Jens 0101851234`, `cpr:0101851234`). The date is not checked: a mistyped CPR number
 * is still personal data. Unlike the logger's scrub (`\b`), a letter right before the digits does not hide
 * them, so the shape refused in text is never narrower than the one masked in logs.
 */
const CPR_SHAPE = /(?<!\d)\d{6}-?\d{4}(?!\d)/;

/** True when free text contains a CPR-shaped number; such text must not be stored where a name belongs. */
export function containsCprShape(text: string): boolean {
  return CPR_SHAPE.test(text);
}
