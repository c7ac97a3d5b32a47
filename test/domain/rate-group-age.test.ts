import { describe, expect, it } from 'vitest';
import { ageOn, type Benefit, checkRateGroupAge, type RateGroup } from '#domain/benefits';
import { cprBirthDate } from '#domain/cpr';

describe("a CPR number's birth date, with the century from the 7th digit (CPR-kontoret)", () => {
  it.each([
    ['010185-1234', '1985-01-01'], // 0–3: 1900s
    ['311299-3999', '1999-12-31'],
    ['0101364000', '2036-01-01'], // 4 or 9: 2000s up to 36
    ['010137-4000', '1937-01-01'], // … else 1900s
    ['010137-9000', '1937-01-01'],
    ['010157-5000', '2057-01-01'], // 5–8: 2000s up to 57
    ['010158-8000', '1858-01-01'], // … else 1800s
    ['290200-4000', '2000-02-29'],
    ['290201-4000', null], // no 29 February in 2001
    ['12345', null],
  ])('%s was born on %s', (cpr, birthDate) => {
    expect(cprBirthDate(cpr)).toBe(birthDate);
  });
});

describe('age in completed years', () => {
  it.each([
    ['1996-12-01', '2026-11-30', 29],
    ['1996-12-01', '2026-12-01', 30], // the birthday itself
    ['2000-02-29', '2030-02-28', 29],
    ['2000-02-29', '2030-03-01', 30], // born on 29 February: a year older on 1 March
    ['2000-02-29', '2028-02-29', 28],
  ])('born %s is %i on %s', (birth, date, age) => {
    expect(ageOn(birth, date)).toBe(age);
  });
});

describe("the rate group's age band on the start date", () => {
  it.each<[Benefit, RateGroup, string, string, boolean, number | null]>([
    // The case: a 25-year-old referred as "30+ without children".
    ['kontanthjaelp', '30-plus-without-children', '2001-06-15', '2026-12-01', false, 25],
    ['kontanthjaelp', '30-plus-without-children', '1996-12-01', '2026-12-01', true, null],
    ['kontanthjaelp', '30-plus-with-children', '1996-12-02', '2026-12-01', false, 29],
    ['kontanthjaelp', 'under-30-living-away', '1996-12-02', '2026-12-01', true, null],
    ['kontanthjaelp', 'under-30-living-away', '1996-12-01', '2026-12-01', false, 30],
    ['kontanthjaelp', 'under-30-living-with-parents', '1985-01-01', '2026-12-01', false, 41],
    ['integrationsydelse', 'under-30-living-with-parents', '1990-01-01', '2026-12-01', false, 36],
    // Integrationsydelse's other groups have no age in them.
    ['integrationsydelse', 'non-parent', '2005-01-01', '2026-12-01', true, null],
    ['integrationsydelse', 'single-parent', '1960-01-01', '2026-12-01', true, null],
  ])('%s / %s, born %s, starting %s: fits %s', (benefit, group, birth, start, fits, age) => {
    // Act
    const check = checkRateGroupAge(benefit, group, birth, start);
    // Assess
    expect(check.ok).toBe(fits);
    if (!check.ok) expect(check.age).toBe(age);
  });
});
