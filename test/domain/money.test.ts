import { describe, expect, it } from 'vitest';
import { divideRounded, shareOf } from '#domain/money';

describe('the one rounding rule', () => {
  it.each([
    [10, 4, 3], // 2.5 → 3: halves away from zero
    [-10, 4, -3],
    [9, 4, 2], // 2.25 → 2
    [11, 4, 3], // 2.75 → 3
    [1_232_600 * 12, 52, 284_446], // DKK 12,326 a month is DKK 2,844.46 a week
    [0, 7, 0],
  ])('%i / %i = %i', (numerator, denominator, expected) => {
    expect(divideRounded(numerator, denominator)).toBe(expected);
  });

  it.each([
    [284_446, 2_000, 56_889], // 20 % of 2,844.46 = 568.892 → 568.89
    [1_500_000, 2_500, 375_000],
    [1, 5_000, 1],
  ])('%i øre × %i bp = %i øre', (amount, bp, expected) => {
    expect(shareOf(amount, bp)).toBe(expected);
  });

  it('refuses fractions and division by zero', () => {
    expect(() => divideRounded(1.5, 2)).toThrow(RangeError);
    expect(() => divideRounded(1, 0)).toThrow(RangeError);
  });
});
