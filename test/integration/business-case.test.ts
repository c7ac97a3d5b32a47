import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BusinessCase,
  businessCase,
  defaultProgrammeCosts,
  type GroupCase,
} from '#domain/business-case';
import { addDays, daysBetween } from '#domain/dates';
import { shareOf } from '#domain/money';
import { applyDeadweight, defaultSavingsAssumptions, savingsByWeek } from '#domain/savings';
import type { LocalRuntime } from '../../local/runtime.ts';
import { koldingExample, moneyExamples } from '../domain/worked-example.ts';
import { priceOf } from '../prices.ts';
import { type Api, cpr, startSystem } from './local-system.ts';

/**
 * The worked example (issue 3, "Done when") through the HTTP API on the embedded default: a Kolding citizen on
 * kontanthjælp (30 or over, no children), 30 weeks on benefit at referral, a full-time job started 364 days after
 * the referral (the last day of the pathway's 12th month, as in test/domain/worked-example.ts), confirmed at 13
 * and 26 weeks over HTTP. The business case the API answers must equal what the pure domain functions give for
 * the same dates; the dates are today's, not the worked example's, but the offsets are the same, so the 26
 * verified weeks have the worked example's benefit weeks and tier (the rates are those of their own dates).
 */
let runtime: LocalRuntime;
let api: Api;

beforeAll(async () => {
  ({ runtime, api } = await startSystem());
});

afterAll(async () => {
  await runtime?.stop();
});

interface Report {
  options: { start: string; horizonYears: number };
  unpriced: number;
  businessCase: BusinessCase;
}

const kolding = (report: Report): GroupCase => {
  const group = report.businessCase.municipalities.find((m) => m.key === '621');
  if (!group) throw new Error('Kolding is missing from the business case');
  return group;
};

/** Only the domain's figures: the API adds formatted text the domain does not have. */
const figures = (group: GroupCase) => {
  const { formatted: _formatted, ...rest } = group as GroupCase & { formatted?: unknown };
  return rest;
};

describe('the worked example through the HTTP API', () => {
  it('pays Kolding by the rate card for its payment group and gives the savings of the pure domain functions', async () => {
    // Prepare: the referral, today, starting today.
    const referredOn = await api.today();
    const created = await api.refer({ cpr: cpr(500), municipality: '621', startDate: referredOn });
    expect(created.status).toBe(201);
    const id = String(created.json.referralId);

    // Act: a job start 364 days later (in the pathway's 12th month), then both milestones confirmed on the
    // day they open.
    await api.advance(364);
    const jobDate = await api.today();
    const job = await api.request('POST', `/referrals/${id}/outcomes`, {
      type: 'job-start',
      date: jobDate,
      hoursPerWeek: 37,
      employer: 'Kolding Bageri ApS',
    });
    expect(job.status).toBe(201);
    await runtime.settle();
    await api.advance(13 * 7);
    const at13 = await api.request('POST', `/referrals/${id}/confirmations`, {
      milestone: 13,
      employed: true,
    });
    const confirmed13 = await api.today();
    await runtime.settle();
    await api.advance(13 * 7);
    const at26 = await api.request('POST', `/referrals/${id}/confirmations`, {
      milestone: 26,
      employed: true,
    });
    const confirmed26 = await api.today();
    await runtime.settle();
    // The expected basis: the job confirmed at 26 weeks is projected on to the horizon's end.
    const oneYear = await api.request(
      'GET',
      `/business-case?start=${referredOn}&horizonYears=1&basis=expected`,
    );
    const twoYears = await api.request(
      'GET',
      `/business-case?start=${referredOn}&horizonYears=2&basis=expected`,
    );

    // Assess: the payments, to Kolding's employment actor, each due 30 days after its result was recorded.
    expect([at13.status, at26.status]).toEqual([201, 201]);
    const payments = (
      (await api.request('GET', '/payments')).json as unknown as Array<Record<string, unknown>>
    )
      .filter((p) => p.referralId === id)
      .map((p) => ({ rule: p.rule, amountOere: p.amountOere, dueDate: p.dueDate, payee: p.payee }))
      .sort((a, b) => String(a.dueDate).localeCompare(String(b.dueDate)));
    const payee = {
      kind: 'employment-actor',
      id: 'employment-actor-621',
      name: 'Beskæftigelsesaktør, Kolding Kommune',
    };
    expect(payments).toEqual([
      { rule: 'job-start', amountOere: priceOf('job-start', jobDate), dueDate: addDays(jobDate, 30), payee },
      {
        rule: 'sustained-13-weeks',
        amountOere: priceOf('sustained-13-weeks', addDays(jobDate, 13 * 7)),
        dueDate: addDays(confirmed13, 30),
        payee,
      },
      {
        rule: 'sustained-26-weeks',
        amountOere: priceOf('sustained-26-weeks', addDays(jobDate, 26 * 7)),
        dueDate: addDays(confirmed26, 30),
        payee,
      },
    ]);

    // The same offsets as the worked example, shifted: its 26 weeks, from cumulative week 83, 20 % to the state.
    // The amounts are those of the rates in force at today's dates (domain/benefits.ts), not its 2027 ones.
    const citizen = {
      benefit: 'kontanthjaelp',
      rateGroup: '30-plus-without-children',
      readiness: 'aktivitetsparat',
      weeksOnBenefitAtReferral: 30,
      referredOn,
    } as const;
    const verified = savingsByWeek({ ...citizen, from: jobDate, until: addDays(jobDate, 26 * 7) });
    expect(daysBetween(referredOn, jobDate)).toBeGreaterThanOrEqual(364);
    expect(verified).toHaveLength(koldingExample.weeks);
    expect(verified[0]?.cumulativeWeek).toBe(koldingExample.firstCumulativeWeek);
    expect(verified.every((w) => w.stateOere === shareOf(w.grossOere, 2000))).toBe(true);

    // The business case: confirmed through 26 weeks, so off benefit from the job start to the horizon's end.
    // One year from the referral's month ends before the job (364 days on, in month 12 or 13 of the horizon's
    // calendar months, depending on today's day of the month), so it holds little or nothing of Kolding's
    // results; two years hold every payment and the whole verified half year. Both must equal the domain's.
    for (const response of [oneYear, twoYears]) {
      expect(response.status).toBe(200);
      const report = response.json as unknown as Report;
      expect(report.unpriced).toBe(0);
      const { end } = report.businessCase.horizon;
      const weeks = jobDate < end ? savingsByWeek({ ...citizen, from: jobDate, until: end }) : [];
      const raw = (pick: (w: (typeof weeks)[number]) => number) => weeks.reduce((sum, w) => sum + pick(w), 0);
      const paid = payments
        .filter((p) => String(p.dueDate) < end)
        .reduce((sum, p) => sum + Number(p.amountOere), 0);
      const saved = applyDeadweight(
        raw((w) => w.municipalityOere),
        defaultSavingsAssumptions.deadweightBasisPoints,
      );
      expect(kolding(report)).toMatchObject({
        citizens: 1,
        paidOere: paid,
        paidToEmploymentActorsOere: paid,
        paidToAcceleratorOere: 0,
        municipalSavingsOere: saved,
        stateSavingsOere: applyDeadweight(
          raw((w) => w.stateOere),
          defaultSavingsAssumptions.deadweightBasisPoints,
        ),
        netOere: saved - paid,
      });
      // And every figure, series included, as the domain's business case computes it for the same inputs.
      const expected = businessCase(
        [
          {
            referralId: id,
            municipality: '621',
            ...citizen,
            offBenefit: [{ from: jobDate, until: end }],
            // Confirmed: up to the 26-week milestone's due date, within the horizon.
            confirmed:
              jobDate < end
                ? [{ from: jobDate, until: [addDays(jobDate, 26 * 7), end].sort()[0] ?? end }]
                : [],
          },
        ],
        payments.map((p) => ({
          municipality: '621',
          amountOere: Number(p.amountOere),
          dueDate: String(p.dueDate),
          payee: 'employment-actor' as const,
        })),
        { start: referredOn, horizonYears: report.options.horizonYears, basis: 'expected' },
      );
      expect(figures(kolding(report))).toEqual(expected.municipalities.find((m) => m.key === '621'));
      expect(figures(report.businessCase.programme)).toEqual(expected.programme);
    }
    // Two years hold all three payments and more than the 26 verified weeks.
    const two = kolding(twoYears.json as unknown as Report);
    expect(two.paidOere).toBe(payments.reduce((sum, p) => sum + Number(p.amountOere), 0));
    expect(two.municipalSavingsOere).toBeGreaterThan(koldingExample.after.municipalityOere);
  });

  it('serves the page with its charts and the CSV over HTTP', async () => {
    // Act
    const page = await api.request('GET', '/business-case', undefined, { Accept: 'text/html' });
    const csv = await fetch(`${api.url}/business-case?format=csv`, {
      headers: await api.credentials({ role: 'programme' }),
    });
    const bytes = new Uint8Array(await csv.arrayBuffer());

    // Assess
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    // A line chart per municipality and the programme, and the what-if distribution.
    expect(page.text.match(/<svg /g)).toHaveLength(14);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toBe('attachment; filename="business-case.csv"');
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
    expect(text).toMatch(/^\uFEFFNiveau;Nøgle;Navn;/);
    expect(text).toMatch(/\r\nKommune;621;Kolding;1;1;\d+,\d{2};/);
  });

  it("serves Kolding's monthly statement with the job start's payment", async () => {
    // Prepare
    const jobStart = (
      (await api.request('GET', '/payments')).json as unknown as Array<Record<string, unknown>>
    ).find((p) => p.rule === 'job-start');
    const month = String(jobStart?.dueDate).slice(0, 7);

    // Act
    const statement = await api.request('GET', `/statements?municipality=621&month=${month}`);
    const refused = await api.request('GET', '/statements?municipality=621&month=2027-13');

    // Assess
    expect(statement.status).toBe(200);
    const actor = (
      statement.json.payees as Array<{ payee: { id: string }; lines: unknown[]; totalOere: number }>
    )[0];
    expect(actor?.payee.id).toBe('employment-actor-621');
    expect(actor?.lines).toEqual([
      expect.objectContaining({
        rule: 'job-start',
        amountOere: jobStart?.amountOere,
        referralId: jobStart?.referralId,
      }),
    ]);
    expect(refused.status).toBe(400);
  });
});

describe('the staircase week and the age band through the HTTP API (issue 9 item 3)', () => {
  it('refuses a 25-year-old as "30 or over", records staircase week 120 and prices the job from it', async () => {
    // Prepare: a CPR number of someone who turned 25 on 1 January this year (7th digit 4: born in the 2000s).
    const today = await api.today();
    const born = Number(today.slice(0, 4)) - 25;
    const youngCpr = `0101${String(born).slice(2)}-4321`;

    // Act
    const young = await api.refer({
      cpr: youngCpr,
      municipality: '851',
      startDate: today,
      weeksOnBenefit: undefined,
      staircaseWeek: 10,
    });
    const created = await api.refer({
      cpr: cpr(700),
      municipality: '851',
      startDate: today,
      weeksOnBenefit: undefined,
      staircaseWeek: 120,
    });
    const id = String(created.json.referralId);
    await api.advance(8 * 7);
    const jobDate = await api.today();
    const job = await api.request('POST', `/referrals/${id}/outcomes`, {
      type: 'job-start',
      date: jobDate,
      hoursPerWeek: 37,
      employer: 'Aalborg Bageri ApS',
    });
    await runtime.settle();
    const report = (await api.request('GET', '/business-case?horizonYears=5')).json as unknown as Report;

    // Assess: the young citizen is refused on the rate group, in Danish, without the CPR number.
    expect(young.status).toBe(400);
    expect(young.json.errors).toEqual([
      {
        field: 'rateGroup',
        message: expect.stringContaining('ifølge CPR-nummeret er borgeren 25 år på startdatoen'),
      },
    ]);
    expect(young.text).not.toContain(youngCpr.slice(0, 6));
    // Week 120 is recorded and shown; the first week off benefit is week 128, reimbursed 20 %.
    expect([created.status, job.status]).toEqual([201, 201]);
    expect(created.json).toMatchObject({ staircaseWeek: 120, weeksOnBenefit: null });
    const citizen = {
      benefit: 'kontanthjaelp',
      rateGroup: '30-plus-without-children',
      readiness: 'aktivitetsparat',
      weeksOnBenefitAtReferral: 119,
      referredOn: today,
    } as const;
    expect(savingsByWeek({ ...citizen, from: jobDate, until: addDays(jobDate, 7) })[0]?.cumulativeWeek).toBe(
      128,
    );
    // Aalborg's business case over HTTP is the domain's for that citizen, job projected to the horizon's end.
    const payments = (
      (await api.request('GET', '/payments')).json as unknown as Array<Record<string, unknown>>
    )
      .filter((p) => p.referralId === id)
      .map((p) => ({
        municipality: '851',
        amountOere: Number(p.amountOere),
        dueDate: String(p.dueDate),
        payee: 'employment-actor' as const,
      }));
    const expected = businessCase(
      [
        {
          referralId: id,
          municipality: '851',
          ...citizen,
          offBenefit: [{ from: jobDate, until: report.businessCase.horizon.end }],
        },
      ],
      payments,
      { start: report.options.start, horizonYears: 5 },
    );
    const aalborg = report.businessCase.municipalities.find((m) => m.key === '851');
    expect(aalborg && figures(aalborg)).toEqual(expected.municipalities.find((m) => m.key === '851'));
  });
});

describe('the worked examples of issue 9 item 2 through the HTTP API', () => {
  it('prices a 15-hour job and an education start to the øre, confirmed once their milestones are', async () => {
    // Prepare: move the local clock to the examples' referral date (test/domain/worked-example.ts), in steps the
    // clock accepts, and refer a Holbæk citizen (30+) and a Gribskov citizen (born 2005, under 30).
    const { referredOn, resultOn, partTime, education } = moneyExamples;
    let ahead = daysBetween(await api.today(), referredOn);
    expect(ahead).toBeGreaterThanOrEqual(0);
    while (ahead > 0) {
      const step = Math.min(ahead, 1_000);
      await api.advance(step);
      ahead -= step;
    }
    expect(await api.today()).toBe(referredOn);
    const holbaek = await api.refer({
      cpr: cpr(900),
      municipality: partTime.municipality,
      startDate: referredOn,
    });
    const gribskov = await api.refer({
      cpr: '010105-4321',
      municipality: education.municipality,
      startDate: referredOn,
      rateGroup: education.rateGroup,
    });
    expect([holbaek.status, gribskov.status]).toEqual([201, 201]);
    const partTimeId = String(holbaek.json.referralId);
    const educationId = String(gribskov.json.referralId);

    // Act: the results 364 days on, then both milestones confirmed on the day they open.
    await api.advance(364);
    expect(await api.today()).toBe(resultOn);
    const job = await api.request('POST', `/referrals/${partTimeId}/outcomes`, {
      type: 'job-start',
      date: resultOn,
      hoursPerWeek: partTime.hoursPerWeek,
      employer: 'Holbæk Café ApS',
    });
    const study = await api.request('POST', `/referrals/${educationId}/outcomes`, {
      type: 'education-start',
      date: resultOn,
    });
    expect([job.status, study.status]).toEqual([201, 201]);
    await runtime.settle();
    const query = `start=${referredOn}&horizonYears=2`;
    const beforeMilestones = (
      await api.request('GET', `/business-case?${query}&municipality=${partTime.municipality}`)
    ).json as unknown as Report;
    for (const weeks of [13, 26]) {
      await api.advance(13 * 7);
      for (const id of [partTimeId, educationId]) {
        const answer = await api.request('POST', `/referrals/${id}/confirmations`, {
          milestone: weeks,
          employed: true,
        });
        expect(answer.status).toBe(201);
      }
      await runtime.settle();
    }
    const report = async (municipality: string, basis: string) =>
      (
        (await api.request('GET', `/business-case?${query}&municipality=${municipality}&basis=${basis}`))
          .json as unknown as Report
      ).businessCase.municipalities[0];

    // Assess: nothing was confirmed right after the results, though savings were expected.
    const fresh = beforeMilestones.businessCase.municipalities[0];
    expect(fresh?.savings.confirmed.municipalSavingsOere).toBe(0);
    expect(fresh?.savings.expected.municipalSavingsOere).toBeGreaterThan(0);
    // Confirmed through 26 weeks: the worked examples to the øre, the expected basis beyond them.
    const job26 = await report(partTime.municipality, 'confirmed');
    expect(job26).toMatchObject({
      municipalSavingsOere: partTime.after.municipalityOere,
      stateSavingsOere: partTime.after.stateOere,
    });
    expect(job26?.savings.expected.municipalSavingsOere).toBeGreaterThan(partTime.after.municipalityOere);
    const study26 = await report(education.municipality, 'confirmed');
    expect(study26).toMatchObject({
      municipalSavingsOere: education.after.municipalityOere,
      stateSavingsOere: education.after.stateOere,
    });
    const onExpected = await report(education.municipality, 'expected');
    expect(onExpected?.municipalSavingsOere).toBe(study26?.savings.expected.municipalSavingsOere);
    // The full view adds one citizen's and one company's share of the published programme costs.
    expect(study26?.verdicts.full.confirmed.costOere).toBe(
      (study26?.paidOere ?? 0) + defaultProgrammeCosts.perCitizenOere + defaultProgrammeCosts.perCompanyOere,
    );
  });
});
