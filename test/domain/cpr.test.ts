import { describe, expect, it } from 'vitest';
import { checkCpr } from '#domain/cpr';

describe('CPR validation', () => {
  it.each([
    ['010180-1234', '0101801234'],
    ['0101801234', '0101801234'],
    [' 290200-4000 ', '2902004000'], // 2000 is a leap year (7th digit 4, year 00 → 2000)
    ['010101-0005', '0101010005'], // fails modulus 11, valid since 2007
  ])('accepts %s as %s', (input, normalized) => {
    expect(checkCpr(input)).toEqual({ ok: true, normalized });
  });

  it.each([
    ['01018-1234', 'format'],
    ['0101801234X', 'format'],
    ['010180 1234', 'format'],
    ['', 'format'],
    ['320180-1234', 'date'],
    ['290201-4000', 'date'], // 2001 is not a leap year
    ['290200-0000', 'date'], // 7th digit 0 → 1900, not a leap year
    ['011380-1234', 'date'],
  ])('refuses %s (%s)', (input, reason) => {
    expect(checkCpr(input)).toEqual({ ok: false, reason });
  });
});
