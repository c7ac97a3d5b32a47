/**
 * CVR numbers (the Danish business register): 8 digits, the first not 0, valid when the digits weighted
 * 2, 7, 6, 5, 4, 3, 2, 1 sum to a multiple of 11 (Erhvervsstyrelsen's modulus-11 rule).
 */
export type CvrCheck = { ok: true; normalized: string } | { ok: false; reason: 'format' | 'checksum' };

const WEIGHTS = [2, 7, 6, 5, 4, 3, 2, 1] as const;

/** Accepts the number as people write it: `12345678`, `1234 5678`, `DK12345678` (the VAT form). */
export function checkCvr(input: string): CvrCheck {
  const digits = input.trim().replace(/^DK/i, '').replace(/[\s-]/g, '');
  if (!/^[1-9]\d{7}$/.test(digits)) return { ok: false, reason: 'format' };
  const sum = WEIGHTS.reduce((total, weight, i) => total + weight * Number(digits[i]), 0);
  return sum % 11 === 0 ? { ok: true, normalized: digits } : { ok: false, reason: 'checksum' };
}
