import { describe, expect, it } from 'vitest';
import { type BenefitRate, weeklyRateOere } from '#domain/benefits';
import { addDays } from '#domain/dates';
import {
  applyDeadweight,
  applyRetention,
  assertAssumptions,
  cumulativeBenefitWeek,
  deadweightByBucket,
  defaultSavingsAssumptions,
  explainAssumptions,
  retentionYears,
  type SavingsInput,
  savingsByWeek,
  savingsByYear,
  weeksOffBenefit,
} from '#domain/savings';
import { koldingExample } from './worked-example.ts';

const base: SavingsInput = { ...koldingExample.input };

/**
 * One rate for every date (2024's DKK 12,326 a month, 284,446 øre a week), for the tests of the mechanics
 * (reimbursement tiers, retention), so their figures do not move with the dated rates.
 */
const flat: BenefitRate[] = [
  {
    benefit: 'kontanthjaelp',
    rateGroup: '30-plus-without-children',
    effectiveFrom: '2019-01-01',
    monthlyOere: 1_232_600,
    source: 'test: 2024 rate held flat',
  },
];

describe('the worked example: Kolding, kontanthjælp, 30 weeks at referral, job start in month 12', () => {
  it('prices every one of the 26 weeks at DKK 2,911.15, 20 % to the state', () => {
    // Act
    const weeks = savingsByWeek(koldingExample.input);
    // Assess
    expect(weeks).toHaveLength(koldingExample.weeks);
    expect(weeks[0]?.cumulativeWeek).toBe(koldingExample.firstCumulativeWeek);
    expect(weeks.at(-1)?.cumulativeWeek).toBe(koldingExample.lastCumulativeWeek);
    expect(weeks.at(-1)?.weekStart).toBe('2027-06-28');
    for (const week of weeks) {
      expect(week).toMatchObject({
        rateEffectiveFrom: '2027-01-01',
        weeklyRateOere: koldingExample.weeklyRateOere,
        retentionYears: 0,
        grossOere: koldingExample.weeklyRateOere,
        stateOere: koldingExample.statePerWeekOere,
        municipalityOere: koldingExample.municipalityPerWeekOere,
      });
    }
  });

  it('saves the municipality DKK 60,551.92 before and DKK 48,441.54 after deadweight', () => {
    // Prepare
    const weeks = savingsByWeek(koldingExample.input);
    // Act
    const summary = savingsByYear(weeks, defaultSavingsAssumptions);
    // Assess
    const sum = (pick: (w: (typeof weeks)[number]) => number) => weeks.reduce((s, w) => s + pick(w), 0);
    expect(sum((w) => w.grossOere)).toBe(koldingExample.before.grossOere);
    expect(sum((w) => w.municipalityOere)).toBe(koldingExample.before.municipalityOere);
    expect(sum((w) => w.stateOere)).toBe(koldingExample.before.stateOere);
    expect(summary).toEqual({
      years: [{ year: 2027, ...koldingExample.after }],
      total: koldingExample.after,
    });
  });

  it('agrees with the weekly rate rule of benefits.ts', () => {
    expect(weeklyRateOere(1_261_500)).toBe(koldingExample.weeklyRateOere);
  });
});

describe('weeks off benefit', () => {
  it.each([
    ['2027-01-04', '2027-01-04', []],
    ['2027-01-04', '2027-01-05', ['2027-01-04']], // a last, incomplete week counts whole
    ['2027-01-04', '2027-01-11', ['2027-01-04']],
    ['2027-01-04', '2027-01-12', ['2027-01-04', '2027-01-11']],
    ['2027-12-27', '2028-01-10', ['2027-12-27', '2028-01-03']],
  ])('from %s until %s are the weeks starting %j', (from, until, expected) => {
    expect(weeksOffBenefit({ from, until })).toEqual(expected);
  });

  it('refuses a period that ends before it begins', () => {
    expect(() => weeksOffBenefit({ from: '2027-01-04', until: '2027-01-03' })).toThrow(RangeError);
  });

  it.each([
    // weeks at referral, referred, week start, cumulative week
    [0, '2026-01-05', '2026-01-05', 1],
    [0, '2026-01-05', '2026-01-11', 1], // six days: still the first week
    [0, '2026-01-05', '2026-01-12', 2],
    [30, '2026-01-05', '2027-01-04', 83],
    [52, '2026-01-05', '2026-01-05', 53],
  ])(
    '%i weeks at referral on %s: the week of %s is cumulative week %i',
    (atReferral, referredOn, weekStart, week) => {
      expect(cumulativeBenefitWeek(atReferral, referredOn, weekStart)).toBe(week);
    },
  );

  it.each([
    [-1, '2026-01-05', '2026-01-05'],
    [1.5, '2026-01-05', '2026-01-05'],
    [0, '2026-01-05', '2026-01-04'], // off benefit before the referral is not the programme's result
  ])('refuses %s weeks at referral on %s for a week of %s', (atReferral, referredOn, weekStart) => {
    expect(() => cumulativeBenefitWeek(atReferral, referredOn, weekStart)).toThrow(RangeError);
  });
});

describe('reimbursement boundaries through savingsByWeek', () => {
  it.each([
    // weeks at referral, days from referral to outcome, cumulative weeks of the two weeks, state øre of each
    ['4/5', 3, 0, [4, 5], [227_557, 113_778]],
    ['26/27', 25, 0, [26, 27], [113_778, 85_334]],
    ['52/53', 0, 51 * 7, [52, 53], [85_334, 56_889]],
    ['52/53 via weeks at referral', 51, 0, [52, 53], [85_334, 56_889]],
  ])(
    '%s: %i weeks at referral, outcome %i days after it',
    (_label, atReferral, daysToOutcome, weeks, state) => {
      // Prepare: a referral on 2026-01-05 and two weeks off benefit in 2026, at 284,446 øre a week.
      const from = addDays('2026-01-05', daysToOutcome);
      // Act
      const priced = savingsByWeek(
        { ...base, weeksOnBenefitAtReferral: atReferral, from, until: addDays(from, 14) },
        defaultSavingsAssumptions,
        flat,
      );
      // Assess
      expect(priced.map((w) => w.cumulativeWeek)).toEqual(weeks);
      expect(priced.map((w) => w.stateOere)).toEqual(state);
      expect(priced.map((w) => w.stateOere + w.municipalityOere)).toEqual([284_446, 284_446]);
    },
  );
});

describe('dated benefit rates', () => {
  it('uses the rate in force at the start of each week', () => {
    // Act: one week in 2023 (DKK 11,944 a month), one in 2024 (DKK 12,326).
    const weeks = savingsByWeek({
      ...base,
      referredOn: '2023-06-05',
      from: '2023-12-25',
      until: '2024-01-08',
    });
    // Assess: 1,194,400 × 12 / 52 = 275,630.77 → 275,631
    expect(weeks.map((w) => [w.rateEffectiveFrom, w.weeklyRateOere])).toEqual([
      ['2023-01-01', 275_631],
      ['2024-01-01', 284_446],
    ]);
  });

  it('names an unknown rate group', () => {
    expect(() =>
      savingsByWeek({ ...base, benefit: 'integrationsydelse', rateGroup: '30-plus-without-children' }),
    ).toThrow(RangeError);
  });
});

describe('retention beyond the sustainment window', () => {
  // Prepare: 200 weeks off benefit from the worked example's job start.
  const long = { ...base, until: addDays(base.from, 200 * 7) };

  it.each([
    // week index k, retention years, gross øre
    [0, 0, 284_446],
    [25, 0, 284_446], // the last verified week
    [26, 1, 227_557], // the first projected week: 284,446 × 80 % = 227,556.8 → 227,557
    [77, 1, 227_557],
    [78, 2, 182_046], // 227,557 × 80 % = 182,045.6 → 182,046 (applied per year, not 64 % at once: 182,045)
    [129, 2, 182_046],
    [130, 3, 145_637], // 182,046 × 80 % = 145,636.8 → 145,637
    [182, 4, 116_510], // 145,637 × 80 % = 116,509.6 → 116,510
  ])('week %i counts %i retention years: %i øre', (k, years, gross) => {
    // Act
    const week = savingsByWeek(long, defaultSavingsAssumptions, flat)[k];
    // Assess
    expect(week).toMatchObject({ retentionYears: years, grossOere: gross });
    expect((week?.stateOere ?? 0) + (week?.municipalityOere ?? 0)).toBe(gross);
  });

  it('starts retention at a later sustainment end when employment was confirmed for longer', () => {
    // Prepare: confirmed through 52 weeks
    const sustainmentEnd = addDays(base.from, 52 * 7);
    // Act
    const weeks = savingsByWeek({ ...long, sustainmentEnd });
    // Assess
    expect(weeks[51]?.retentionYears).toBe(0);
    expect(weeks[52]?.retentionYears).toBe(1);
  });

  it('refuses a sustainment end before the outcome', () => {
    expect(() => savingsByWeek({ ...base, sustainmentEnd: '2027-01-03' })).toThrow(RangeError);
  });

  it.each([
    ['2027-07-05', '2027-07-04', 0],
    ['2027-07-05', '2027-07-05', 1],
    ['2027-07-05', '2028-06-26', 1],
    ['2027-07-05', '2028-07-03', 2],
    ['2027-07-05', '2029-07-02', 3],
  ])('from a sustainment end on %s, the week of %s has %i retention years', (end, weekStart, years) => {
    expect(retentionYears(end, weekStart)).toBe(years);
  });

  it.each([
    [284_446, 0, 8000, 284_446],
    [284_446, 1, 8000, 227_557],
    [284_446, 2, 8000, 182_046],
    [284_446, 5, 10_000, 284_446],
    [284_446, 1, 0, 0],
  ])('%i øre after %i years at %i bp is %i', (amount, years, bp, expected) => {
    expect(applyRetention(amount, years, bp)).toBe(expected);
  });
});

describe('deadweight', () => {
  it.each([
    [5_916_482, 2000, 4_733_186],
    [1_479_114, 2000, 1_183_291],
    [3, 2000, 2], // 0.6 → 1 is taken off
    [0, 2000, 0],
    [100, 0, 100],
    [100, 10_000, 0],
    [-100, 2000, -80],
  ])('%i øre less %i bp deadweight is %i', (amount, bp, expected) => {
    expect(applyDeadweight(amount, bp)).toBe(expected);
  });

  it.each([
    [
      [3, 3, 3],
      [2, 3, 2],
    ], // running totals 3, 6, 9 → 2, 5, 7
    [[5_916_482], [4_733_186]],
    [
      [0, 0, 100],
      [0, 0, 80],
    ],
    [[], []],
  ])('deadweights buckets %j on their running total: %j', (raw, expected) => {
    // Act
    const buckets = deadweightByBucket(raw, 2000);
    // Assess
    expect(buckets).toEqual(expected);
    expect(buckets.reduce((s, b) => s + b, 0)).toBe(
      applyDeadweight(
        raw.reduce((s, b) => s + b, 0),
        2000,
      ),
    );
  });
});

describe('savings per calendar year', () => {
  it('splits a period across years, with the years adding up to the total exactly', () => {
    // Prepare: the worked example's job start, off benefit until the end of 2028 (104 weeks)
    const weeks = savingsByWeek({ ...base, until: '2029-01-01' });
    // Act
    const summary = savingsByYear(weeks);
    // Assess: 2027 holds 52 weeks (2027-01-04 … 2027-12-27), 2028 the other 52 (retention years 0 to 2).
    expect(summary.years.map((y) => y.year)).toEqual([2027, 2028]);
    const raw = weeks.reduce((s, w) => s + w.municipalityOere, 0);
    expect(summary.total.municipalityOere).toBe(applyDeadweight(raw, 2000));
    expect(summary.years.reduce((s, y) => s + y.municipalityOere, 0)).toBe(summary.total.municipalityOere);
    expect(summary.years.reduce((s, y) => s + y.stateOere, 0)).toBe(summary.total.stateOere);
  });

  it('is empty without weeks', () => {
    expect(savingsByYear([])).toEqual({ years: [], total: { municipalityOere: 0, stateOere: 0 } });
  });

  it('leaves the state and municipality alone when deadweight is zero', () => {
    // Act
    const summary = savingsByYear(savingsByWeek(koldingExample.input), {
      deadweightBasisPoints: 0,
      annualRetentionBasisPoints: 8000,
    });
    // Assess
    expect(summary.total).toEqual({
      municipalityOere: koldingExample.before.municipalityOere,
      stateOere: koldingExample.before.stateOere,
    });
  });
});

describe('the assumptions', () => {
  it('are 20 % deadweight and 80 % annual retention by default, explained in English and Danish', () => {
    // Act
    const explained = explainAssumptions(defaultSavingsAssumptions);
    // Assess
    expect(explained.map((e) => [e.name, e.basisPoints])).toEqual([
      ['deadweightBasisPoints', 2000],
      ['annualRetentionBasisPoints', 8000],
    ]);
    expect(explained[0]?.en).toContain('20 %');
    expect(explained[0]?.da).toContain('Dødvægt: 20 %');
    expect(explained[1]?.en).toContain('80 %');
    expect(explained[1]?.en).toContain(
      'weeks 27–78 count at 80 %, weeks 79–130 at 64 %, from week 131 at 51.2 %',
    );
    expect(explained[1]?.da).toContain(
      'uge 27–78 tæller med 80 %, uge 79–130 med 64 %, fra uge 131 med 51,2 %',
    );
  });

  it('say from which week each retention share applies, as savingsByWeek applies it', () => {
    // Prepare: 140 weeks off benefit, at one flat rate, and a retention share that rounds per year.
    const weeks = savingsByWeek(
      { ...base, until: addDays(base.from, 140 * 7) },
      { deadweightBasisPoints: 0, annualRetentionBasisPoints: 7500 },
      flat,
    );
    const firstWeekWith = (years: number) => weeks.findIndex((w) => w.retentionYears === years) + 1;
    // Act
    const [, retention] = explainAssumptions({ deadweightBasisPoints: 0, annualRetentionBasisPoints: 7500 });
    // Assess: the text's week numbers are the 1-based weeks where the code starts each share.
    const [one, two, three] = [firstWeekWith(1), firstWeekWith(2), firstWeekWith(3)];
    expect([one, two, three]).toEqual([27, 79, 131]);
    expect(retention?.da).toContain(
      `uge 1–${one - 1} efter et resultat bekræftes ved milepælene og tæller fuldt`,
    );
    expect(retention?.da).toContain(
      `uge ${one}–${two - 1} tæller med 75 %, uge ${two}–${three - 1} med 56,25 %, fra uge ${three} med 42,19 %`,
    );
  });

  it('write a fractional percentage with the language decimal mark', () => {
    const [dead] = explainAssumptions({ deadweightBasisPoints: 1250, annualRetentionBasisPoints: 8000 });
    expect(dead?.en).toContain('12.5 %');
    expect(dead?.da).toContain('12,5 %');
  });

  it.each([
    [{ deadweightBasisPoints: -1, annualRetentionBasisPoints: 8000 }],
    [{ deadweightBasisPoints: 2000, annualRetentionBasisPoints: 10_001 }],
    [{ deadweightBasisPoints: 20.5, annualRetentionBasisPoints: 8000 }],
  ])('refuse %j', (assumptions) => {
    expect(() => assertAssumptions(assumptions)).toThrow(RangeError);
  });
});
