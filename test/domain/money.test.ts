import { describe, expect, it } from 'vitest';
import { divideRounded, formatDkk, formatWholeKroner, shareOf } from '#domain/money';

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

describe('amounts as Danes read them', () => {
  it.each([
    [2_500_000, '25.000,00\u00a0kr.'],
    [-150_050, '-1.500,50\u00a0kr.'],
    [0, '0,00\u00a0kr.'],
  ])('formatDkk(%i øre) = %s', (oere, expected) => {
    expect(formatDkk(oere)).toBe(expected);
  });

  it.each([
    [800_000, '800.000\u00a0kr.'],
    [-2_500, '-2.500\u00a0kr.'],
    [0, '0\u00a0kr.'],
  ])('formatWholeKroner(%i) = %s', (kroner, expected) => {
    expect(formatWholeKroner(kroner)).toBe(expected);
  });

  it('refuses a fraction of an øre rather than rounding it away', () => {
    expect(() => formatDkk(0.5)).toThrow(RangeError);
  });
});
