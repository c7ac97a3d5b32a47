import type { SavingsInput } from '#domain/savings';

/**
 * The worked example (issue 3, "Done when"), by hand. It lives outside the *.test.ts files so that the unit tests
 * and the HTTP API test can assert the very same numbers.
 *
 * A Kolding citizen on kontanthjælp, rate group 30-plus-without-children, 30 weeks on benefit at referral,
 * referred on Monday 2026-01-05, job start on Monday 2027-01-04 (the last day of the pathway's 12th month,
 * 364 days = 52 whole weeks after the referral), off benefit for 26 weeks: until 2027-07-05 (exclusive).
 *
 * - Weekly rate: no rate is published for 2027, so the assumed one applies (domain/benefits.ts): the 1 July 2025
 *   reform's forhøjet sats, DKK 12,064 at 2024 level, regulated by 1.5 % to 2025 (12,244.96 → 12,245), 2026
 *   (12,428.675 → 12,429) and 2027 (12,615.435 → DKK 12,615 a month = 1,261,500 øre);
 *   1,261,500 × 12 / 52 = 15,138,000 / 52 = 291,115.38… → 291,115 øre (DKK 2,911.15).
 * - Tier: the first week off benefit would have been cumulative benefit week 30 + 52 + 1 = 83, the last
 *   30 + 77 + 1 = 108; all from week 53 on, so the state reimburses 20 %.
 * - Per week: state 291,115 × 20 % = 58,223 øre; municipality 291,115 − 58,223 = 232,892 øre (DKK 2,328.92).
 * - 26 weeks, all within the sustainment window (no retention), all in 2027:
 *   gross 26 × 291,115 = 7,568,990; municipality 26 × 232,892 = 6,055,192 (DKK 60,551.92);
 *   state 26 × 58,223 = 1,513,798 (DKK 15,137.98).
 * - After 20 % deadweight: municipality 6,055,192 − 1,211,038 (1,211,038.4) = 4,844,154 (DKK 48,441.54);
 *   state 1,513,798 − 302,760 (302,759.6) = 1,211,038 (DKK 12,110.38).
 *
 * Until issue 9 the example used 2024's DKK 12,326 (284,446 øre a week, DKK 47,331.86 after deadweight): the
 * latest known rate went on applying in silence.
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
  weeklyRateOere: 291_115,
  firstCumulativeWeek: 83,
  lastCumulativeWeek: 108,
  statePerWeekOere: 58_223,
  municipalityPerWeekOere: 232_892,
  weeks: 26,
  before: { grossOere: 7_568_990, municipalityOere: 6_055_192, stateOere: 1_513_798 },
  after: { municipalityOere: 4_844_154, stateOere: 1_211_038 },
};
