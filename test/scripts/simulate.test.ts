import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type CompanyStage, cohortOf } from '#domain/accelerator';
import { checkRateGroupAge, isRateGroupOf } from '#domain/benefits';
import { checkCpr, cprBirthDate } from '#domain/cpr';
import { checkCvr } from '#domain/cvr';
import { formatDkk } from '#domain/money';
import { municipalities } from '#domain/programme';
import { socialModelItems } from '#domain/social-model';
import {
  actorCvr,
  businessCaseTable,
  type CaseRow,
  type CompanyAction,
  type CompanyMemory,
  citizenRandom,
  companiesPerMunicipality,
  companyCvr,
  companyRandom,
  completeCvr,
  cprFor,
  DAYS_PER_MONTH,
  DEFAULT_OPTIONS,
  DEFAULT_PROBABILITIES,
  decideCompanyStep,
  decideMilestone,
  decideStep,
  distributeCitizens,
  drawCompanies,
  drawProfile,
  formatTable,
  helpText,
  interleave,
  invitationDay,
  jobNextLook,
  kpiFigures,
  MAX_COMPANIES_PER_MUNICIPALITY,
  mulberry32,
  nextLook,
  parseSimulationArgs,
  perStep,
  pickCompany,
  programmeScale,
  referralDay,
  type SeenMilestone,
  trainingStart,
  UsageError,
} from '../../scripts/simulation.ts';
import {
  forEachLimited,
  HttpClient,
  runSimulation,
  UnexpectedStatusError,
} from '../../scripts/simulation-runner.ts';

const take = (next: () => number, n: number) => Array.from({ length: n }, next);

describe('the random source', () => {
  it('gives the same sequence for the same seed and another for another seed', () => {
    expect(take(mulberry32(1), 20)).toEqual(take(mulberry32(1), 20));
    expect(take(mulberry32(1), 20)).not.toEqual(take(mulberry32(2), 20));
  });

  it('is mulberry32: fixed values for seed 1, all in [0, 1)', () => {
    // Pinned so that a change of generator (and so of every simulated run) is a deliberate one.
    expect(take(mulberry32(1), 3).map((x) => x.toFixed(8))).toEqual([
      '0.62707394',
      '0.00273572',
      '0.52744704',
    ]);
    const many = take(mulberry32(42), 10_000);
    expect(Math.min(...many)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...many)).toBeLessThan(1);
    const mean = many.reduce((s, x) => s + x, 0) / many.length;
    expect(mean).toBeGreaterThan(0.49);
    expect(mean).toBeLessThan(0.51);
  });

  it('gives every citizen and purpose a stream of its own, the same on every call', () => {
    expect(take(citizenRandom(1, 5, 'steps'), 5)).toEqual(take(citizenRandom(1, 5, 'steps'), 5));
    expect(take(citizenRandom(1, 5, 'steps'), 5)).not.toEqual(take(citizenRandom(1, 6, 'steps'), 5));
    expect(take(citizenRandom(1, 5, 'steps'), 5)).not.toEqual(take(citizenRandom(1, 5, 'milestones'), 5));
    expect(take(citizenRandom(1, 5, 'steps'), 5)).not.toEqual(take(citizenRandom(2, 5, 'steps'), 5));
  });
});

describe('command line', () => {
  it('uses the defaults without flags', () => {
    expect(parseSimulationArgs([])).toEqual({ help: false, options: DEFAULT_OPTIONS });
    expect(DEFAULT_OPTIONS.citizens).toBe(18);
  });

  it('reads every flag', () => {
    const parsed = parseSimulationArgs([
      '--seed',
      '7',
      '--citizens=1000',
      '--step-days',
      '14',
      '--stagger-days',
      '0',
      '--concurrency',
      '4',
      '--horizon-years',
      '10',
      '--out',
      'elsewhere',
      '--dropout',
      '0.1',
      '--job-start',
      '.2',
      '--partial',
      '0',
      '--accelerator',
      '1',
      '--education',
      '0.5',
      '--employed',
      '0.6',
      '--unanswered',
      '0.4',
      '--integration',
      '0.3',
      '--activity-ready',
      '0.9',
      '--start',
      '2018-10-01',
      '--selected',
      '0.5',
      '--camp-attendance',
      '0.75',
      '--social-model',
      '0.25',
      '--company-withdrawal',
      '0.1',
    ]);
    expect(parsed).toEqual({
      help: false,
      options: {
        seed: 7,
        start: '2018-10-01',
        citizens: 1000,
        stepDays: 14,
        staggerDays: 0,
        concurrency: 4,
        horizonYears: 10,
        outDir: 'elsewhere',
        probabilities: {
          dropout: 0.1,
          jobStart: 0.2,
          partial: 0,
          accelerator: 1,
          education: 0.5,
          employed: 0.6,
          unanswered: 0.4,
          integration: 0.3,
          activityReady: 0.9,
          selected: 0.5,
          campAttendance: 0.75,
          socialModel: 0.25,
          companyWithdrawal: 0.1,
        },
      },
    });
  });

  it('asks for help with --help or -h, and the help names every flag in English', () => {
    expect(parseSimulationArgs(['--help'])).toEqual({ help: true });
    expect(parseSimulationArgs(['-h', '--citizens', 'x'])).toEqual({ help: true });
    const help = helpText();
    for (const flag of [
      '--seed',
      '--citizens',
      '--step-days',
      '--stagger-days',
      '--concurrency',
      '--horizon-years',
      '--out',
      '--dropout',
      '--job-start',
      '--partial',
      '--accelerator',
      '--education',
      '--employed',
      '--unanswered',
      '--integration',
      '--activity-ready',
      '--start',
      '--selected',
      '--camp-attendance',
      '--social-model',
      '--company-withdrawal',
      '--help',
    ]) {
      expect(help).toContain(flag);
    }
    expect(help).toContain('(default 0.03)');
  });

  it.each([
    [['--citizens', '0'], /--citizens must be a whole number from 1 to 20000, got '0'/],
    [['--citizens', '12.5'], /--citizens must be a whole number/],
    [['--citizens', '1e3'], /--citizens must be a whole number/],
    [['--seed=-1'], /--seed must be a whole number from 0 to 4294967295, got '-1'/],
    [['--seed', '-1'], /'--seed' argument is ambiguous/],
    [['--step-days', '29'], /--step-days must be a whole number from 1 to 28/],
    [['--stagger-days', '32'], /--stagger-days must be a whole number from 0 to 31/],
    [['--horizon-years', '11'], /--horizon-years must be a whole number from 1 to 10/],
    [['--concurrency', '0'], /--concurrency must be a whole number from 1 to 64/],
    [['--dropout', '1.5'], /--dropout must be a probability from 0 to 1, got '1.5'/],
    [['--partial', 'half'], /--partial must be a probability from 0 to 1/],
    [['--employed', '0.9', '--unanswered', '0.2'], /--employed \(0.9\) and --unanswered \(0.2\)/],
    [['--dropout', '0.6', '--job-start', '0.6'], /--dropout and --job-start/],
    [['--out', ''], /--out must name a folder/],
    [['--start', '2018-02-30'], /--start must be a date YYYY-MM-DD, got '2018-02-30'/],
    [['--start', '3.9.2018'], /--start must be a date YYYY-MM-DD/],
    [['--start', '2018-11-15'], /--start must be from 2017-11-14 and before 2018-11-15/],
    [['--start', '2017-01-01'], /--start must be from 2017-11-14/],
    [['--selected', '2'], /--selected must be a probability from 0 to 1/],
    [['--citizen', '5'], /Unknown option '--citizen'.*--help/],
    [['--seed'], /--seed.*argument missing/],
    [['1000'], /positional argument/],
  ])('refuses %j with a clear message', (argv, message) => {
    expect(() => parseSimulationArgs(argv)).toThrow(UsageError);
    expect(() => parseSimulationArgs(argv)).toThrow(message);
  });
});

describe('citizens over municipalities', () => {
  it('fills the seed programme exactly: one citizen per place', () => {
    const allocations = distributeCitizens(18);
    expect(allocations.map((a) => [a.municipality.code, a.citizens, a.capacity])).toEqual(
      municipalities.map((m) => [m.code, m.places, m.places]),
    );
  });

  it('gives 6 citizens to the six two-place municipalities, three in each cluster', () => {
    const chosen = distributeCitizens(6).filter((a) => a.citizens > 0);
    expect(chosen.map((a) => a.municipality.name)).toEqual([
      'Aalborg',
      'Gentofte',
      'Silkeborg',
      'Frederiksberg',
      'Stevns',
      'Odsherred',
    ]);
    expect(chosen.every((a) => a.citizens === 1)).toBe(true);
  });

  it('scales places by ceil(N / 18) beyond the seed', () => {
    expect([1, 18, 19, 36, 37, 1000].map(programmeScale)).toEqual([1, 1, 2, 2, 3, 56]);
    const thousand = distributeCitizens(1000);
    expect(thousand.every((a) => a.capacity === a.municipality.places * 56)).toBe(true);
    // 1000 × 1/18 = 55.6 and 1000 × 2/18 = 111.1: 996 by the floors, the 4 left go to the larger remainders
    // (the one-place municipalities), ties to the earlier rows: Ikast-Brande, Kolding, Holstebro, Køge.
    expect(thousand.map((a) => a.citizens)).toEqual([111, 56, 56, 56, 111, 111, 56, 111, 111, 55, 111, 55]);
  });

  it('is proportional to places within one citizen and within capacity for every N up to 2,000', () => {
    for (let n = 1; n <= 2000; n++) {
      const allocations = distributeCitizens(n);
      expect(allocations.reduce((s, a) => s + a.citizens, 0)).toBe(n);
      for (const a of allocations) {
        expect(Math.abs(a.citizens - (n * a.municipality.places) / 18)).toBeLessThan(1);
        expect(a.citizens).toBeLessThanOrEqual(a.capacity);
      }
    }
  });

  it('refuses more citizens than places', () => {
    expect(() => distributeCitizens(19, 1)).toThrow('19 citizens do not fit in 18 places');
  });

  it('refers them one municipality at a time, so concurrent referrals spread over capacity counters', () => {
    const order = interleave(distributeCitizens(18)).map((m) => m.name);
    expect(order.slice(0, 12)).toEqual(municipalities.map((m) => m.name));
    expect(order.slice(12)).toEqual([
      'Aalborg',
      'Gentofte',
      'Silkeborg',
      'Frederiksberg',
      'Stevns',
      'Odsherred',
    ]);
  });
});

describe('citizens', () => {
  it('get distinct CPR numbers that pass the API check', () => {
    const numbers = Array.from({ length: 33_600 }, (_, i) => cprFor(i));
    expect(new Set(numbers).size).toBe(numbers.length);
    for (const n of numbers.filter((_, i) => i % 97 === 0)) expect(checkCpr(n).ok).toBe(true);
  });

  it('are drawn the same way for the same seed, within the API ranges', () => {
    const options = { seed: 3, staggerDays: 30, probabilities: DEFAULT_PROBABILITIES };
    const kolding = municipalities[2];
    if (!kolding) throw new Error('no municipality');
    const profiles = Array.from({ length: 500 }, (_, i) => drawProfile(i, kolding, options));
    expect(profiles).toEqual(Array.from({ length: 500 }, (_, i) => drawProfile(i, kolding, options)));
    for (const p of profiles) {
      expect(isRateGroupOf(p.benefit, p.rateGroup)).toBe(true);
      expect(p.weeksOnBenefit).toBeGreaterThanOrEqual(0);
      expect(p.weeksOnBenefit).toBeLessThanOrEqual(52);
      expect(p.startOffsetDays).toBeGreaterThanOrEqual(0);
      expect(p.startOffsetDays).toBeLessThanOrEqual(30);
    }
    expect(new Set(profiles.map((p) => p.weeksOnBenefit)).size).toBe(53);
    expect(new Set(profiles.map((p) => p.benefit))).toEqual(new Set(['kontanthjaelp', 'integrationsydelse']));
  });

  it("have a CPR birth date that fits their rate group's age band, as the API checks (issue 9)", () => {
    // Prepare
    const options = { seed: 5, staggerDays: 30, probabilities: DEFAULT_PROBABILITIES };
    const aalborg = municipalities[0];
    if (!aalborg) throw new Error('no municipality');
    // Act
    const profiles = Array.from({ length: 2_000 }, (_, i) => drawProfile(i, aalborg, options));
    // Assess: on a start date years from now, every one still fits; the under-30 groups are drawn too.
    const misfits = profiles.filter((p) => {
      const birthDate = cprBirthDate(p.cpr);
      return !birthDate || !checkRateGroupAge(p.benefit, p.rateGroup, birthDate, '2030-12-31').ok;
    });
    expect(misfits).toEqual([]);
    expect(profiles.some((p) => p.rateGroup === 'under-30-living-away')).toBe(true);
    expect(new Set(profiles.map((p) => p.cpr)).size).toBe(profiles.length);
  });
});

describe('what happens in a step', () => {
  const p = DEFAULT_PROBABILITIES;

  it('spreads a monthly chance over the step so that a month of steps has the monthly chance', () => {
    expect(perStep(0.06, DAYS_PER_MONTH)).toBeCloseTo(0.06, 12);
    expect(1 - (1 - perStep(0.06, 7)) ** (DAYS_PER_MONTH / 7)).toBeCloseTo(0.06, 12);
    expect(perStep(0, 7)).toBe(0);
    expect(perStep(1, 7)).toBe(1);
  });

  it('drops out or starts a result in training and induction, only starts one in tracking', () => {
    const dropoutDraws = [0, 0.9, 0.9, 0.5, 0.9];
    expect(decideStep('training', 'searching', dropoutDraws, p, 7)).toEqual({ type: 'dropout' });
    expect(decideStep('induction', 'searching', dropoutDraws, p, 7)).toEqual({ type: 'dropout' });
    // In tracking the same draw is a result: there is no drop-out chance to fall into.
    expect(decideStep('tracking', 'searching', dropoutDraws, p, 7)).toMatchObject({ type: 'job-start' });
    const nothing = [0.99, 0, 0, 0, 0];
    expect(decideStep('training', 'searching', nothing, p, 7)).toBeNull();
  });

  it('does nothing before training, after closing, or for a citizen in a job or education', () => {
    const draws = [0, 0, 0, 0, 0];
    expect(decideStep('referred', 'searching', draws, p, 7)).toBeNull();
    expect(decideStep('closed', 'searching', draws, p, 7)).toBeNull();
    expect(decideStep('training', 'in-job', draws, p, 7)).toBeNull();
    expect(decideStep('tracking', 'in-education', draws, p, 7)).toBeNull();
  });

  it('splits results into education, partial and full jobs, with or without an accelerator company', () => {
    const pDropout = perStep(p.dropout, 7);
    const result = pDropout + 0.001;
    expect(decideStep('training', 'searching', [result, 0.1, 0.9, 0.5, 0.9], p, 7)).toEqual({
      type: 'education-start',
    });
    expect(decideStep('training', 'searching', [result, 0.5, 0.1, 0, 0.1], p, 7)).toEqual({
      type: 'job-start',
      hoursPerWeek: 10,
      hiredByAcceleratorCompany: true,
    });
    expect(decideStep('training', 'searching', [result, 0.5, 0.1, 0.9999, 0.9], p, 7)).toEqual({
      type: 'job-start',
      hoursPerWeek: 14,
      hiredByAcceleratorCompany: false,
    });
    expect(decideStep('training', 'searching', [result, 0.5, 0.9, 0.9999, 0.9], p, 7)).toMatchObject({
      hoursPerWeek: 37,
    });
  });

  it('matches the monthly rates over many citizens', () => {
    const random = mulberry32(9);
    let dropouts = 0;
    let results = 0;
    const trials = 200_000;
    for (let i = 0; i < trials; i++) {
      const decision = decideStep('training', 'searching', take(random, 5), p, DAYS_PER_MONTH);
      if (decision?.type === 'dropout') dropouts += 1;
      else if (decision) results += 1;
    }
    expect(dropouts / trials).toBeCloseTo(p.dropout, 2);
    expect(results / trials).toBeCloseTo(p.jobStart, 2);
  });

  it('answers a milestone: unanswered, employed, or ended on a day between the last known day and today', () => {
    expect(decideMilestone([0.01, 0], p, '2027-01-01', '2027-04-10')).toEqual({ answer: 'unanswered' });
    expect(decideMilestone([0.5, 0], p, '2027-01-01', '2027-04-10')).toEqual({ answer: 'employed' });
    expect(decideMilestone([0.9, 0], p, '2027-01-01', '2027-04-10')).toEqual({
      answer: 'ended',
      endedOn: '2027-01-01',
    });
    expect(decideMilestone([0.9, 0.99999], p, '2027-01-01', '2027-04-10')).toEqual({
      answer: 'ended',
      endedOn: '2027-04-10',
    });
  });
});

describe('when a pathway needs reading', () => {
  const job = { outcomeId: 'job-1', date: '2027-01-04' };
  const seen = (weeks: number, status: SeenMilestone['status']): SeenMilestone => ({
    outcomeId: 'job-1',
    weeks,
    deadlineOn: weeks === 13 ? '2027-05-03' : '2027-08-02',
    status,
  });
  const none = new Map();

  it("looks for a job's 13-week milestone on its due date, 91 days after the start", () => {
    expect(jobNextLook(job, [], none)).toBe('2027-04-05');
  });

  it('looks again the day after the deadline of a milestone left open, to see it closed', () => {
    expect(jobNextLook(job, [seen(13, 'awaiting-confirmation')], none)).toBe('2027-05-04');
    expect(jobNextLook(job, [seen(13, 'awaiting-confirmation')], new Map([['job-1:13', 'unanswered']]))).toBe(
      '2027-05-04',
    );
  });

  it('moves on to the 26-week milestone once the 13-week one is confirmed, even by this very visit', () => {
    expect(jobNextLook(job, [seen(13, 'confirmed')], none)).toBe('2027-07-05');
    expect(jobNextLook(job, [seen(13, 'awaiting-confirmation')], new Map([['job-1:13', 'employed']]))).toBe(
      '2027-07-05',
    );
  });

  it('has nothing more to see once the job ended, a milestone went unanswered, or 26 weeks are answered', () => {
    expect(
      jobNextLook(job, [seen(13, 'awaiting-confirmation')], new Map([['job-1:13', 'ended']])),
    ).toBeNull();
    expect(jobNextLook(job, [seen(13, 'unconfirmed')], none)).toBeNull();
    expect(jobNextLook(job, [seen(13, 'confirmed'), seen(26, 'job-ended')], none)).toBeNull();
    expect(jobNextLook(job, [seen(13, 'confirmed'), seen(26, 'confirmed')], none)).toBeNull();
  });

  it("takes the earliest of the phase end and the jobs' next milestones; a closed, settled pathway is done", () => {
    const outcomes = [{ ...job, type: 'job-start' }];
    expect(nextLook({ phase: 'tracking', phaseEndsOn: '2027-07-04', outcomes, milestones: [] }, none)).toBe(
      '2027-04-05',
    );
    expect(
      nextLook(
        { phase: 'tracking', phaseEndsOn: '2027-07-04', outcomes, milestones: [seen(13, 'confirmed')] },
        none,
      ),
    ).toBe('2027-07-04');
    expect(
      nextLook({ phase: 'closed', phaseEndsOn: null, outcomes, milestones: [seen(13, 'unconfirmed')] }, none),
    ).toBeNull();
    expect(
      nextLook(
        {
          phase: 'closed',
          phaseEndsOn: null,
          outcomes: [{ outcomeId: 'd', type: 'dropout', date: '2027-02-01' }],
          milestones: [],
        },
        none,
      ),
    ).toBeNull();
  });
});

describe('the companies', () => {
  it.each([
    ['1234567', '12345674'],
    ['2621001', '26210011'],
    ['3621001', null],
  ])('completes %s with its check digit (%s), or none when it would be 10', (first7, cvr) => {
    expect(completeCvr(first7)).toBe(cvr);
    if (cvr) expect(checkCvr(cvr).ok).toBe(true);
  });

  it('gives every party of every municipality a distinct valid CVR number, not starting with 0', () => {
    const all = municipalities.flatMap((m) => Array.from({ length: 1000 }, (_, n) => companyCvr(m.code, n)));
    for (const cvr of all) {
      expect(cvr).toMatch(/^[1-9]\d{7}$/);
      const digits = [...cvr].map(Number);
      const sum = [2, 7, 6, 5, 4, 3, 2, 1].reduce((total, w, i) => total + w * (digits[i] ?? 0), 0);
      expect(sum % 11).toBe(0);
      expect(checkCvr(cvr).ok).toBe(true);
    }
    expect(new Set(all).size).toBe(all.length);
    expect(companyCvr('621', 3)).toBe(companyCvr('621', 3));
    expect(actorCvr('621')).toBe(companyCvr('621', 999));
    expect(() => companyCvr('621', 1000)).toThrow(RangeError);
  });

  it.each([
    [2, 1, 2],
    [2, 3, 6],
    [1, 56, 20],
  ])('registers min(places %i × scale %i, the cap) = %i accelerator companies', (places, scale, count) => {
    expect(companiesPerMunicipality(places, scale)).toBe(count);
    expect(MAX_COMPANIES_PER_MUNICIPALITY).toBe(20);
  });

  it("draws the companies of the municipalities with citizens into their cluster's cohort, the same per seed", () => {
    const allocations = distributeCitizens(6);
    const companies = drawCompanies(allocations, 1, DEFAULT_OPTIONS);
    const withCitizens = allocations.filter((a) => a.citizens > 0);
    expect(companies).toHaveLength(withCitizens.reduce((sum, a) => sum + a.municipality.places, 0));
    for (const c of companies) {
      expect(withCitizens.map((a) => a.municipality.code)).toContain(c.municipality.code);
      expect(c.cohortId).toBe(c.municipality.cluster === 1 ? 'cluster-1-2019' : 'cluster-2-2020');
      expect(checkCvr(c.cvr).ok).toBe(true);
      expect(c.buddies).toBeGreaterThanOrEqual(1);
    }
    expect(companies.map((c) => c.index)).toEqual(companies.map((_, i) => i));
    expect(drawCompanies(allocations, 1, DEFAULT_OPTIONS)).toEqual(companies);
    const always = {
      ...DEFAULT_OPTIONS,
      probabilities: { ...DEFAULT_PROBABILITIES, selected: 1, socialModel: 0 },
    };
    expect(drawCompanies(allocations, 1, always).every((c) => c.willBeSelected && !c.completesModel)).toBe(
      true,
    );
    expect(take(companyRandom(1, 0, 'steps'), 5)).not.toEqual(take(citizenRandom(1, 0, 'steps'), 5));
  });

  describe('what the accelerator does in a step', () => {
    const cohort = cohortOf(1, 2019);
    const firstCamp = cohort.camps[0]?.date ?? '';
    const none: CompanyMemory = {
      selectionRecorded: false,
      camps: new Set(),
      modelRecorded: false,
      verificationTried: false,
      kpis: new Set(),
    };
    const selected: CompanyMemory = { ...none, selectionRecorded: true, kpis: new Set(['baseline']) };
    const stays = { campAttendance: 0.9, companyWithdrawal: 0 };
    type StepRow = [
      string,
      { willBeSelected: boolean; completesModel: boolean },
      CompanyStage,
      string,
      CompanyMemory,
      CompanyAction[],
    ];
    const yes = { willBeSelected: true, completesModel: true };
    const no = { willBeSelected: false, completesModel: false };
    it.each([
      ['invited before the boot camp: nothing', yes, 'invited', '2018-10-01', none, []],
      [
        'selects at the boot camp and takes the baseline',
        yes,
        'boot-camp',
        '2018-11-15',
        none,
        [
          { type: 'select', selected: true },
          { type: 'kpis', point: 'baseline' },
        ],
      ],
      [
        'says no, and nothing more',
        no,
        'awaiting-selection',
        '2018-12-01',
        none,
        [{ type: 'select', selected: false }],
      ],
      ['waits in the accelerator before a camp', yes, 'accelerator', '2019-01-20', selected, []],
      [
        'records the first camp on its day',
        yes,
        'accelerator',
        firstCamp,
        selected,
        [{ type: 'attend', campDate: firstCamp, present: true }],
      ],
      [
        'completes the social model from the last camp on',
        yes,
        'accelerator',
        '2019-12-05',
        { ...selected, camps: new Set(cohort.camps.map((c) => c.date)) },
        [
          { type: 'social-model', items: socialModelItems },
          { type: 'kpis', point: 'month-12' },
        ],
      ],
      [
        'completes three items when drawn not to finish',
        { willBeSelected: true, completesModel: false },
        'accelerator',
        '2019-11-20',
        { ...selected, camps: new Set(cohort.camps.map((c) => c.date)) },
        [{ type: 'social-model', items: socialModelItems.slice(0, 3) }],
      ],
      [
        'verifies in the follow-up',
        yes,
        'follow-up',
        '2020-04-15',
        { ...selected, modelRecorded: true, kpis: new Set(['baseline', 'month-12']) },
        [{ type: 'verify' }],
      ],
      ['nothing after the journey ended', yes, 'completed', '2020-07-15', selected, []],
    ] satisfies StepRow[])('%s', (_, company, stage, today, memory, actions) => {
      expect(decideCompanyStep(company, stage, today, cohort, memory, [0.9, 0.1], stays, 14)).toEqual(
        actions,
      );
    });

    it('withdraws with the quarterly chance spread over the step, and only that', () => {
      const leaving = { campAttendance: 0.9, companyWithdrawal: 0.2 };
      // 0.2 a quarter: 1 − 0.8^(14 / 91.3) ≈ 0.0336 in a 14-day step.
      expect(
        decideCompanyStep(yes, 'accelerator', '2019-03-01', cohort, selected, [0.03, 0], leaving, 14),
      ).toEqual([{ type: 'withdraw', date: '2019-03-01' }]);
      expect(
        decideCompanyStep(yes, 'accelerator', '2019-03-01', cohort, selected, [0.04, 0], leaving, 14),
      ).toEqual([{ type: 'attend', campDate: firstCamp, present: true }]);
      expect(
        decideCompanyStep(yes, 'withdrawn', '2019-03-01', cohort, selected, [0, 0], leaving, 14),
      ).toEqual([]);
      expect(() => decideCompanyStep(yes, 'invited', '2018-10-01', cohort, none, [0], stays, 14)).toThrow(
        RangeError,
      );
    });
  });

  it('reports KPIs that never say more are still employed than were employed, growing after the baseline', () => {
    const company = { revenueKroner: 1_000_000, fullTimeEmployees: 10 };
    expect(kpiFigures(company, 'baseline', 0)).toEqual({
      revenueKroner: 1_000_000,
      fullTimeEmployees: 10,
      vulnerableEmployed: 0,
      vulnerableStillEmployed: 0,
    });
    expect(kpiFigures(company, 'month-18', 2)).toEqual({
      revenueKroner: 1_500_000,
      fullTimeEmployees: 12,
      vulnerableEmployed: 2,
      vulnerableStillEmployed: 2,
    });
  });

  it.each([
    ['cluster 1 from the default first day', cohortOf(1, 2019), '2018-09-03', '2018-09-03'],
    ['cluster 2 when its recruitment opens', cohortOf(2, 2020), '2018-09-03', '2019-09-01'],
    [
      'cluster 1 from its recruitment when the run starts earlier',
      cohortOf(1, 2019),
      '2018-01-02',
      '2018-09-01',
    ],
  ])('invites %s', (_, cohort, firstDay, day) => {
    expect(invitationDay(cohort, firstDay)).toBe(day);
  });

  it('picks a company by CVR number whatever order they come in, or none without any', () => {
    const a = { cvr: '36210012' };
    const b = { cvr: '46210019' };
    const cvrOf = (c: { cvr: string }) => c.cvr;
    expect(pickCompany([a, b], 0, cvrOf)).toBe(a);
    expect(pickCompany([b, a], 0, cvrOf)).toBe(a);
    expect(pickCompany([b, a], 3, cvrOf)).toBe(b);
    expect(pickCompany([], 3, cvrOf)).toBeUndefined();
  });

  it.each([
    ['cluster 1', '2019-01-01', 0, '2018-09-03', '2019-01-01', '2019-01-01'],
    ['cluster 2, staggered', '2020-01-01', 30, '2018-09-03', '2020-01-31', '2020-01-01'],
    ['a first day in the year refers on it', '2019-01-01', 5, '2019-01-03', '2019-01-06', '2019-01-03'],
  ])("trains %s from the cluster's year", (_, yearStart, offset, firstDay, start, referOn) => {
    const municipality = municipalities.find((m) => `${m.clusterYear}-01-01` === yearStart);
    if (!municipality) throw new Error('no municipality of that year');
    const profile = { municipality, startOffsetDays: offset };
    expect(trainingStart(profile)).toBe(start);
    expect(referralDay(profile, firstDay)).toBe(referOn);
  });
});

describe('printing', () => {
  it('aligns text left and amounts right under a rule', () => {
    const table = formatTable(
      [
        { name: 'Kolding', paid: '25.000,00 kr.' },
        { name: 'Frederiksberg', paid: '0,00 kr.' },
      ],
      [
        { header: 'Municipality', align: 'left', value: (r) => r.name },
        { header: 'Paid', align: 'right', value: (r) => r.paid },
      ],
    );
    expect(table.split('\n')).toEqual([
      'Municipality            Paid',
      '─────────────  ─────────────',
      'Kolding        25.000,00 kr.',
      'Frederiksberg       0,00 kr.',
    ]);
  });
  it('prints the business case with municipalities, clusters and the programme apart, in DKK (da-DK)', () => {
    const row = (name: string, paidOere: number, paybackMonth: number | null): CaseRow => ({
      key: name,
      name,
      places: 1,
      citizens: 1,
      paidOere,
      municipalSavingsOere: 5_000_000,
      netOere: 5_000_000 - paidOere,
      paybackMonth,
      fundsNextCohort: paybackMonth !== null,
      sides: {
        'employment-actor': { paidOere: paidOere - 80_000, municipalSavingsOere: 4_000_000 },
        'social-accelerator': { paidOere: 80_000, municipalSavingsOere: 1_000_000 },
      },
    });
    const lines = businessCaseTable({
      municipalities: [row('Kolding', 2_500_000, 4), row('Køge', 0, null)],
      clusters: [row('Klynge 1', 2_500_000, 4)],
      programme: row('Programme', 2_500_000, 4),
    }).split('\n');
    expect(lines).toHaveLength(8);
    expect(lines[0]).toMatch(
      /^Municipality\s+Places\s+Citizens\s+Paid\s+Saved \(municipal\)\s+Net\s+Payback month\s+Funds next cohort\s+Employment actor: paid \/ saved\s+Accelerator: paid \/ saved$/,
    );
    // da-DK puts a no-break space before "kr.": compare with the domain's own formatting.
    const cells = (line: string | undefined) => (line ?? '').split(/ {2,}/);
    expect(cells(lines[2])).toEqual([
      'Kolding',
      '1',
      '1',
      formatDkk(2_500_000),
      formatDkk(5_000_000),
      formatDkk(2_500_000),
      '4',
      'yes',
      `${formatDkk(2_420_000)} / ${formatDkk(4_000_000)}`,
      `${formatDkk(80_000)} / ${formatDkk(1_000_000)}`,
    ]);
    expect(cells(lines[3])).toEqual([
      'Køge',
      '1',
      '1',
      formatDkk(0),
      formatDkk(5_000_000),
      formatDkk(5_000_000),
      '–',
      'no',
      `${formatDkk(-80_000)} / ${formatDkk(4_000_000)}`,
      `${formatDkk(80_000)} / ${formatDkk(1_000_000)}`,
    ]);
    expect(lines[4]).toMatch(/^─+/);
    expect(lines[6]).toMatch(/^─+/);
    // Amounts are right-aligned: the paid column ends at the same place on every row.
    const paidEnd = (line: string | undefined) => (line ?? '').indexOf('kr.');
    expect(paidEnd(lines[2])).toBe(paidEnd(lines[3]));
  });
});

describe('talking to the API', () => {
  /** A server that answers each request with the next of `answers`, and records what it was asked. */
  async function serve(answers: Array<[number, string]>) {
    const seen: Array<{
      method: string;
      url: string;
      key: string | undefined;
      authorization: string | undefined;
    }> = [];
    const server = createServer((request, response) => {
      seen.push({
        method: request.method ?? '',
        url: request.url ?? '',
        key: request.headers['idempotency-key'] as string | undefined,
        authorization: request.headers.authorization,
      });
      const [status, body] = answers.shift() ?? [500, 'no more answers'];
      request.resume();
      request.on('end', () => response.writeHead(status, { 'Content-Type': 'application/json' }).end(body));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return { url, seen, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
  }

  it('fails on an unexpected status, naming the request, the status and the answer', async () => {
    const server = await serve([
      [400, '{"errors":[{"field":"date","message":"Datoen må ikke ligge i fremtiden"}]}'],
    ]);
    try {
      const client = new HttpClient(server.url);
      const failure = client.send('POST', '/referrals/r-1/outcomes', [201], { body: { type: 'dropout' } });
      await expect(failure).rejects.toBeInstanceOf(UnexpectedStatusError);
      await expect(failure).rejects.toThrow(
        'POST /referrals/r-1/outcomes answered 400, expected 201: {"errors":[{"field":"date","message":"Datoen må ikke ligge i fremtiden"}]}',
      );
    } finally {
      await server.close();
    }
  });

  it('sends each request as the role it acts as, with a token from the source, and /_local without one', async () => {
    const server = await serve([
      [201, '{}'],
      [200, '{}'],
    ]);
    try {
      // Prepare
      const asked: string[] = [];
      const client = new HttpClient(server.url, async ({ role, municipality }) => {
        asked.push(`${role}:${municipality ?? ''}`);
        return `token-${role}`;
      });

      // Act
      await client.send('POST', '/referrals', [201], {
        body: {},
        as: { role: 'caseworker', municipality: '621' },
      });
      await client.send('GET', '/_local/clock', [200]);

      // Assess
      expect(asked).toEqual(['caseworker:621']);
      expect(server.seen[0]?.authorization).toBe('Bearer token-caseworker');
      expect(server.seen[1]?.authorization).toBeUndefined();
    } finally {
      await server.close();
    }
  });

  it('retries a 409 "Prøv igen" with the same idempotency key, and only that 409', async () => {
    const server = await serve([
      [409, '{"errors":[{"field":"id","message":"Forløbet blev ændret samtidig. Prøv igen."}]}'],
      [201, '{"outcomeId":"o-1"}'],
      [409, '{"errors":[{"field":"id","message":"Forløbet er afsluttet"}]}'],
    ]);
    try {
      const client = new HttpClient(server.url);
      expect(await client.json('POST', '/referrals/r-1/outcomes', 201, 'local', { type: 'dropout' })).toEqual(
        {
          outcomeId: 'o-1',
        },
      );
      expect(client.retries).toBe(1);
      expect(server.seen[0]?.key).toBeDefined();
      expect(server.seen[1]?.key).toBe(server.seen[0]?.key);
      await expect(client.send('POST', '/referrals/r-1/outcomes', [201], { body: {} })).rejects.toThrow(
        'answered 409, expected 201',
      );
    } finally {
      await server.close();
    }
  });

  it('keeps at most `limit` pieces of work in flight and does them all', async () => {
    let inFlight = 0;
    let most = 0;
    const done: number[] = [];
    await forEachLimited(
      Array.from({ length: 50 }, (_, i) => i),
      8,
      async (i) => {
        inFlight += 1;
        most = Math.max(most, inFlight);
        await new Promise((resolve) => setTimeout(resolve, (i * 7) % 5));
        inFlight -= 1;
        done.push(i);
      },
    );
    expect(most).toBe(8);
    expect(done.sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    await expect(
      forEachLimited([1, 2, 3], 2, async (i) => {
        if (i === 2) throw new Error('second failed');
      }),
    ).rejects.toThrow('second failed');
  });
});

describe('a small simulation on the embedded runtime', () => {
  it('refers 6 citizens, drives them through the real workflows, pays them and reports what GET /payments says', async () => {
    const outDir = await mkdtemp(path.join(tmpdir(), 'simulation-'));
    const lines: string[] = [];
    try {
      // Generous chances so that six citizens certainly produce results, milestones and payments.
      const result = await runSimulation(
        {
          ...DEFAULT_OPTIONS,
          seed: 7,
          citizens: 6,
          stepDays: 28,
          outDir,
          probabilities: {
            ...DEFAULT_PROBABILITIES,
            dropout: 0.02,
            jobStart: 0.3,
            unanswered: 0.1,
            accelerator: 0.6,
            // Every company selected, present, finishing its social model and staying: company payments certain.
            selected: 1,
            campAttendance: 1,
            socialModel: 1,
            companyWithdrawal: 0,
          },
        },
        { log: (line) => lines.push(line) },
      );

      expect(result.activity.referred).toBe(6);
      expect(result.activity.jobStarts).toBeGreaterThan(0);
      expect(result.activity.milestonesConfirmed + result.activity.milestonesEnded).toBeGreaterThan(0);
      expect(result.payments).toBeGreaterThan(0);
      expect(result.paidOere).toBeGreaterThan(0);
      // Every payment went to finance once.
      expect(result.notifications).toBe(result.payments);
      // The printed programme total is GET /payments' sum, to the øre.
      expect(result.printedPaidOere).toBe(result.paidOere);
      expect(result.summary.split('\n').at(-1)).toContain(formatDkk(result.paidOere));
      expect(result.warnings).toEqual([]);

      // The companies' side: two places in each of the six municipalities, so two accelerator companies each
      // and the employment actor's own; all selected, present and finishing their social model.
      expect(result.firstDay).toBe('2018-09-03');
      expect(result.companies.registered).toBe(18);
      expect(result.companies.invited).toBe(12);
      expect(result.companies.selected).toBeGreaterThan(0);
      expect(result.companies.completed).toBe(result.companies.selected);
      expect(result.companies.socialModelsVerified).toBe(result.companies.selected);
      expect(result.companies.payments).toBeGreaterThan(0);
      expect(result.companies.paidOere).toBeGreaterThan(0);
      expect(result.activity.placements).toBeGreaterThan(0);
      // The accelerator's side holds at least its company-side payments; the sides add up to the programme's.
      expect(result.sides['social-accelerator'].paidOere).toBeGreaterThanOrEqual(result.companies.paidOere);
      expect(result.sides['employment-actor'].paidOere + result.sides['social-accelerator'].paidOere).toBe(
        result.printedPaidOere,
      );

      const json = JSON.parse(await readFile(result.jsonPath, 'utf8')) as {
        options: { seed: number };
        payments: { paidOere: number };
        companies: { paidOere: number };
      };
      expect(json.options.seed).toBe(7);
      expect(json.companies.paidOere).toBe(result.companies.paidOere);
      expect(json.payments.paidOere).toBe(result.paidOere);
      expect(await readFile(result.htmlPath, 'utf8')).toMatch(/<html/i);
    } finally {
      await rm(outDir, { recursive: true, force: true });
    }
    // About two minutes on two cores: four simulated years in 14-day steps, both cohorts' company journeys.
  }, 300_000);
});
