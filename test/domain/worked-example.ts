import type { SavingsInput } from '#domain/savings';

/**
 * The worked example (issue 3, "Done when"), by hand. It lives outside the *.test.ts files so that the unit tests
 * and the HTTP API test can assert the very same numbers.
 *
 * A Kolding citizen on kontanthjælp, rate group 30-plus-without-children, 30 weeks on benefit at referral,
 * referred on Monday 2026-01-05, job start on Monday 2027-01-04 (the last day of the pathway's 12th month,
 * 364 days = 52 whole weeks after the referral), off benefit for 26 weeks: until 2027-07-05 (exclusive).
 *
 * - Weekly rate: the latest known rate is 2024's, DKK 12,326 a month = 1,232,600 øre;
 *   1,232,600 × 12 / 52 = 14,791,200 / 52 = 284,446.15… → 284,446 øre (DKK 2,844.46).
 * - Tier: the first week off benefit would have been cumulative benefit week 30 + 52 + 1 = 83, the last
 *   30 + 77 + 1 = 108; all from week 53 on, so the state reimburses 20 %.
 * - Per week: state 284,446 × 20 % = 56,889.2 → 56,889 øre; municipality 284,446 − 56,889 = 227,557 øre
 *   (DKK 2,275.57).
 * - 26 weeks, all within the sustainment window (no retention), all in 2027:
 *   gross 26 × 284,446 = 7,395,596; municipality 26 × 227,557 = 5,916,482 (DKK 59,164.82);
 *   state 26 × 56,889 = 1,479,114 (DKK 14,791.14).
 * - After 20 % deadweight: municipality 5,916,482 − 1,183,296 (1,183,296.4) = 4,733,186 (DKK 47,331.86);
 *   state 1,479,114 − 295,823 (295,822.8) = 1,183,291 (DKK 11,832.91).
 */
export const koldingExample = {
  municipality: '621',
  input: {
    benefit: 'kontanthjaelp',
    rateGroup: '30-plus-without-children',
    weeksOnBenefitAtReferral: 30,
    referredOn: '2026-01-05',
    from: '2027-01-04',
    until: '2027-07-05',
  } satisfies SavingsInput,
  weeklyRateOere: 284_446,
  firstCumulativeWeek: 83,
  lastCumulativeWeek: 108,
  statePerWeekOere: 56_889,
  municipalityPerWeekOere: 227_557,
  weeks: 26,
  before: { grossOere: 7_395_596, municipalityOere: 5_916_482, stateOere: 1_479_114 },
  after: { municipalityOere: 4_733_186, stateOere: 1_183_291 },
};
