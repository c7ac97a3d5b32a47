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

/**
 * Issue 9's worked example for the dated rates: a 2019 referral, priced with the published rates of its own
 * years (no silent 2023 fallback). Kontanthjælp, 30+ without children, staircase week 31 at the referral on
 * Monday 2019-01-07 (30 weeks before it), job start Monday 2019-10-07 (39 weeks on), off benefit for 26 weeks
 * until 2020-04-06 (exclusive): 13 weeks in 2019, 13 in 2020; cumulative weeks 30 + 39 + 1 = 70 to 95, 20 % state.
 *
 * - 2019: DKK 11,423 a month (bm.dk, satser for 2019): 1,142,300 × 12 / 52 = 263,607.69… → 263,608 øre a week;
 *   state 52,721.6 → 52,722; municipality 210,886. 13 weeks: municipality 2,741,518, state 685,386.
 * - 2020: DKK 11,554 (bm.dk, satser for 2020): 1,155,400 × 12 / 52 = 266,630.77… → 266,631; state 53,326.2 →
 *   53,326; municipality 213,305. 13 weeks: municipality 2,772,965, state 693,238.
 * - Together: municipality 5,514,483, state 1,378,624; after 20 % deadweight on the running total
 *   (savingsByYear): municipality 5,514,483 − 1,102,897 = 4,411,586 (DKK 44,115.86), of which 2019
 *   2,741,518 − 548,304 = 2,193,214 and 2020 the rest, 2,218,372; state 1,378,624 − 275,725 = 1,102,899, of
 *   which 2019 685,386 − 137,077 = 548,309 and 2020 554,590.
 */
export const example2019 = {
  staircaseWeek: 31,
  input: {
    benefit: 'kontanthjaelp',
    rateGroup: '30-plus-without-children',
    weeksOnBenefitAtReferral: 30,
    referredOn: '2019-01-07',
    from: '2019-10-07',
    until: '2020-04-06',
  } satisfies SavingsInput,
  weeks: [
    { year: 2019, count: 13, rateEffectiveFrom: '2019-01-01', weeklyRateOere: 263_608, stateOere: 52_722 },
    { year: 2020, count: 13, rateEffectiveFrom: '2020-01-01', weeklyRateOere: 266_631, stateOere: 53_326 },
  ],
  after: {
    years: [
      { year: 2019, municipalityOere: 2_193_214, stateOere: 548_309 },
      { year: 2020, municipalityOere: 2_218_372, stateOere: 554_590 },
    ],
    total: { municipalityOere: 4_411_586, stateOere: 1_102_899 },
  },
};

/**
 * Issue 9's worked example for the staircase: the same 26 weeks off benefit priced for a citizen at staircase
 * week 120 and one at week 1. Kontanthjælp, 30+ without children, referred Monday 2026-01-05, job start Monday
 * 2026-03-02 (8 weeks on), until 2026-08-31; all in 2026 at the assumed DKK 12,429 a month = 286,823 øre a week.
 *
 * - Week 120: cumulative weeks 128–153, all 20 % state: 57,364.6 → 57,365; municipality 229,458 a week;
 *   26 weeks: municipality 5,965,908, state 1,491,490; after 20 % deadweight municipality 5,965,908 − 1,193,182 =
 *   4,772,726 (DKK 47,727.26), state 1,491,490 − 298,298 = 1,193,192.
 * - Week 1: cumulative weeks 9–34: 18 weeks at 40 % (state 114,729.2 → 114,729; municipality 172,094) and 8 at
 *   30 % (state 86,046.9 → 86,047; municipality 200,776): municipality 3,097,692 + 1,606,208 = 4,703,900, state
 *   2,065,122 + 688,376 = 2,753,498; after deadweight municipality 4,703,900 − 940,780 = 3,763,120 (DKK 37,631.20),
 *   state 2,753,498 − 550,700 (550,699.6) = 2,202,798.
 * The longer the citizen had been on benefit, the more of the saving is the municipality's: DKK 10,096.06 more.
 */
export const staircase120Example = {
  input: {
    benefit: 'kontanthjaelp',
    rateGroup: '30-plus-without-children',
    referredOn: '2026-01-05',
    from: '2026-03-02',
    until: '2026-08-31',
  },
  weeklyRateOere: 286_823,
  at120: {
    cumulativeWeeks: [128, 153],
    before: { municipalityOere: 5_965_908, stateOere: 1_491_490 },
    after: { municipalityOere: 4_772_726, stateOere: 1_193_192 },
  },
  at1: {
    cumulativeWeeks: [9, 34],
    before: { municipalityOere: 4_703_900, stateOere: 2_753_498 },
    after: { municipalityOere: 3_763_120, stateOere: 2_202_798 },
  },
} as const;

/**
 * Issue 9 item 2's worked examples: savings that follow the money. Dated in 2030–2031 so that the HTTP test can
 * reach them by moving the local clock forward (a referral's start date must lie within 31 days of today); every
 * rate, wage and SU amount there is an assumption regulated by 1.5 % a year from the last published one, listed on
 * the business case with its rule. Both citizens at staircase week 31 (30 weeks before the referral on Monday
 * 2030-01-07), their result on Monday 2031-01-06 (364 days on), confirmed at 13 and 26 weeks: 26 verified weeks
 * to 2031-07-07 (exclusive), staircase weeks 83–108, so the state's part is 20 %. Aktivitetsparat: 20 % deadweight.
 *
 * A PART-TIME JOB: Holbæk, kontanthjælp 30+ without children, 15 hours a week (the card's full threshold).
 * - Benefit 2031 (forhøjet sats 12,064 at 2024 level, regulated yearly: 12,245, 12,429, 12,615, 12,804, 12,996,
 *   13,191, 13,389): DKK 13,389 a month = 1,338,900 × 12 / 52 = 308,976.9 → 308,977 øre a week. A full-time
 *   job would save all of it.
 * - Wage (Industriens Overenskomst's minimum, 136.15 from 1 March 2024, regulated each 1 March: 138.19, 140.26,
 *   142.36, 144.50, 146.67, 148.87, 151.10): to 28 February 2031 DKK 148.87, from 1 March 2031 DKK 151.10.
 * - After the reform 65 % of earnings above the forhøjet sats' DKK 2,500 allowance is deducted:
 *   January–February (8 weeks): earnings 14,887 × 15 × 52 / 12 = 967,655 øre a month; (967,655 − 250,000) × 65 % =
 *   466,475.75 → 466,476 a month; × 12 / 52 = 107,648.3 → 107,648 a week: state 20 % 21,529.6 → 21,530,
 *   municipality 86,118. From March (18 weeks): 15,110 × 780 / 12 = 982,150; (982,150 − 250,000) × 65 % =
 *   475,897.5 → 475,898; a week 109,822.6 → 109,823: state 21,964.6 → 21,965, municipality 87,858.
 * - 26 weeks: municipality 8 × 86,118 + 18 × 87,858 = 2,270,388; state 172,240 + 395,370 = 567,610. After 20 %
 *   deadweight: municipality 2,270,388 − 454,078 (454,077.6) = 1,816,310 (DKK 18,163.10); state 567,610 − 113,522
 *   = 454,088 (DKK 4,540.88). The part-time job saves the municipality about a third of what a full-time one would.
 *
 * AN EDUCATION START: Gribskov, kontanthjælp under 30 living away from home.
 * - Benefit 2031 (grundsats 6,955 at 2024 level regulated: 7,059, 7,165, 7,272, 7,381, 7,492, 7,604, 7,718):
 *   771,800 × 12 / 52 = 178,107.7 → 178,108 øre a week: state 20 % 35,621.6 → 35,622, municipality 142,486.
 * - SU away from home 2031 (6,820 in 2024 regulated: 6,922.30, 7,026.13, 7,131.52, 7,238.49, 7,347.07, 7,457.28,
 *   7,569.14): 756,914 × 12 / 52 = 174,672.5 → 174,672 øre a week, paid by the state.
 * - A week: municipality saves 142,486; the state 35,622 − 174,672 = −139,050 (it pays more SU than it saved).
 * - 26 weeks: municipality 3,704,636 − 740,927 (740,927.2) = 2,963,709 (DKK 29,637.09); state −3,615,300 less
 *   the 20 % that would have happened anyway (−723,060) = −2,892,240 (DKK −28,922.40).
 */
export const moneyExamples = {
  referredOn: '2030-01-07',
  resultOn: '2031-01-06',
  confirmedUntil: '2031-07-07',
  weeksOnBenefitAtReferral: 30,
  partTime: {
    municipality: '316',
    rateGroup: '30-plus-without-children',
    hoursPerWeek: 15,
    weeks: [
      {
        count: 8,
        grossOere: 107_648,
        stateOere: 21_530,
        municipalityOere: 86_118,
        monthlySavedOere: 466_476,
      },
      {
        count: 18,
        grossOere: 109_823,
        stateOere: 21_965,
        municipalityOere: 87_858,
        monthlySavedOere: 475_898,
      },
    ],
    after: { municipalityOere: 1_816_310, stateOere: 454_088 },
  },
  education: {
    municipality: '270',
    rateGroup: 'under-30-living-away',
    week: { grossOere: 178_108, suOere: 174_672, stateOere: -139_050, municipalityOere: 142_486 },
    after: { municipalityOere: 2_963_709, stateOere: -2_892_240 },
  },
} as const;
