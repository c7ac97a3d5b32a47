import { describe, expect, it } from 'vitest';
import { reimbursementBasisPoints, splitWeeklyBenefit } from '#domain/reimbursement';

describe('the refusionstrappe', () => {
  it.each([
    [1, 8000],
    [4, 8000],
    [5, 4000], // 4/5 boundary
    [26, 4000],
    [27, 3000], // 26/27 boundary
    [52, 3000],
    [53, 2000], // 52/53 boundary
    [83, 2000],
    [520, 2000],
  ])('reimburses cumulative benefit week %i at %i basis points', (week, basisPoints) => {
    // Act
    const actual = reimbursementBasisPoints(week);
    // Assess
    expect(actual).toBe(basisPoints);
  });

  it.each([0, -1, 4.5, Number.NaN])('refuses %s as a cumulative benefit week', (week) => {
    expect(() => reimbursementBasisPoints(week)).toThrow(RangeError);
  });
});

describe('splitting a week between state and municipality', () => {
  it.each([
    // weekly øre, cumulative week, state, municipality
    [284_446, 4, 227_557, 56_889], // 284,446 × 80 % = 227,556.8 → 227,557
    [284_446, 5, 113_778, 170_668], // × 40 % = 113,778.4 → 113,778
    [284_446, 26, 113_778, 170_668],
    [284_446, 27, 85_334, 199_112], // × 30 % = 85,333.8 → 85,334
    [284_446, 52, 85_334, 199_112],
    [284_446, 53, 56_889, 227_557], // × 20 % = 56,889.2 → 56,889
    [284_446, 83, 56_889, 227_557],
    [5, 53, 1, 4], // 5 × 20 % = 1 exactly
    [3, 53, 1, 2], // 0.6 → 1: the state's share rounds, the municipality gets the rest
    [0, 1, 0, 0],
  ])('%i øre in week %i: state %i, municipality %i', (weekly, week, state, municipality) => {
    // Act
    const split = splitWeeklyBenefit(weekly, week);
    // Assess
    expect(split).toEqual({ stateOere: state, municipalityOere: municipality });
    expect(split.stateOere + split.municipalityOere).toBe(weekly);
  });

  it('refuses a fraction of an øre', () => {
    expect(() => splitWeeklyBenefit(100.5, 1)).toThrow(RangeError);
  });
});
