import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GroupCase } from '#domain/business-case';
import { daysBetween } from '#domain/dates';
import { deadweightBasisPointsOf } from '#domain/deadweight';
import { rateCardOn } from '#domain/rate-card';
import { staircaseWeeksBeforeReferral } from '#domain/reimbursement';
import { defaultSavingsAssumptions } from '#domain/savings';
import { sustainmentMilestones } from '#domain/sustainment';
import type { LocalRuntime } from '../../local/runtime.ts';
import { example2019 } from '../domain/worked-example.ts';
import { priceOf, testGroup } from '../prices.ts';
import { type Api, cpr, startSystem } from './local-system.ts';

/**
 * Issue 9's 2019 worked example (test/domain/worked-example.ts, `example2019`) through the HTTP API: a system whose
 * local clock begins on the referral date, Monday 2019-01-07 (a referral's start date must lie within 31 days of
 * the clock's today), and is moved on to the job start and the two milestones. The business case the API answers
 * must be the example's figures to the øre, and the payments those of rate card version 2019-2.
 */
const { input } = example2019;
let runtime: LocalRuntime;
let api: Api;

beforeAll(async () => {
  ({ runtime, api } = await startSystem('WARN', { startDate: input.referredOn }));
});

afterAll(async () => {
  await runtime?.stop();
});

interface Report {
  unpriced: number;
  businessCase: { horizon: { start: string; end: string }; municipalities: GroupCase[] };
}

describe('the 2019 worked example of issue 9 through the HTTP API', () => {
  it('prices a Kolding job started in October 2019 with the rates of 2019 and 2020, to the øre', async () => {
    // Prepare: the example's assumptions, stated: the citizen is aktivitetsparat (20 % deadweight under the
    // assumption in force in 2019, the example's figure), the test's payment group, and staircase week 31 is the
    // example's 30 weeks on benefit before the referral. cpr(2019) is born in 1985 (7th digit 0–3 with year 85:
    // the 1900s), 33 on the referral date: 30 or over, as the rate group says.
    const readiness = 'aktivitetsparat';
    expect(deadweightBasisPointsOf(readiness, input.referredOn)).toBe(
      defaultSavingsAssumptions.deadweightBasisPoints,
    );
    expect(defaultSavingsAssumptions.deadweightBasisPoints).toBe(2_000);
    expect(testGroup).toEqual({ benefit: input.benefit, rateGroup: input.rateGroup, readiness });
    expect(staircaseWeeksBeforeReferral(example2019.staircaseWeek)).toBe(input.weeksOnBenefitAtReferral);
    const citizenCpr = cpr(2019);
    expect(citizenCpr).toMatch(/^\d{4}85-[0-3]\d{3}$/);
    expect(await api.today()).toBe(input.referredOn);

    // Act: the referral on its start date, the full-time job 39 weeks on, both milestones confirmed on the day
    // they open.
    const created = await api.refer({
      cpr: citizenCpr,
      municipality: '621',
      startDate: input.referredOn,
      benefit: input.benefit,
      rateGroup: input.rateGroup,
      readiness,
      weeksOnBenefit: undefined,
      staircaseWeek: example2019.staircaseWeek,
    });
    expect(created.status).toBe(201);
    const id = String(created.json.referralId);
    await api.advance(daysBetween(input.referredOn, input.from));
    expect(await api.today()).toBe(input.from);
    // Sent twice with one Idempotency-Key (a retrying client): the record kept for the key expires by the local
    // clock, a day after 2019-10-07, not by real time, so the second is answered from it.
    const jobStart = {
      type: 'job-start',
      date: input.from,
      hoursPerWeek: 37,
      employer: 'Kolding Bageri ApS',
    };
    const key = { 'Idempotency-Key': 'job-2019' };
    const job = await api.request('POST', `/referrals/${id}/outcomes`, jobStart, key);
    const repeat = await api.request('POST', `/referrals/${id}/outcomes`, jobStart, key);
    expect(job.status).toBe(201);
    expect(repeat.text).toBe(job.text);
    await runtime.settle();
    const milestones = sustainmentMilestones(input.from);
    const confirmations: number[] = [];
    for (const milestone of milestones) {
      await api.advance(daysBetween(await api.today(), milestone.dueOn));
      const answer = await api.request('POST', `/referrals/${id}/confirmations`, {
        milestone: milestone.weeks,
        employed: true,
      });
      confirmations.push(answer.status);
      await runtime.settle();
    }
    const response = await api.request(
      'GET',
      '/business-case?start=2019-01-01&horizonYears=2&municipality=621&basis=confirmed',
    );
    const payments = (
      (await api.request('GET', '/payments')).json as unknown as Array<Record<string, unknown>>
    ).filter((p) => p.referralId === id);

    // Assess: 26 confirmed weeks to 2020-04-06, the example's figures after deadweight, by year and in total.
    expect(confirmations).toEqual([201, 201]);
    expect(milestones.map((m) => m.dueOn)).toEqual(['2020-01-06', input.until]);
    expect(response.status).toBe(200);
    const report = response.json as unknown as Report;
    expect(report.unpriced).toBe(0);
    const kolding = report.businessCase.municipalities.find((m) => m.key === '621');
    expect(kolding).toMatchObject({
      citizens: 1,
      municipalSavingsOere: example2019.after.total.municipalityOere,
      stateSavingsOere: example2019.after.total.stateOere,
    });
    expect(kolding?.savingsByYear.filter((y) => y.municipalityOere !== 0 || y.stateOere !== 0)).toEqual(
      example2019.after.years,
    );
    // The job start (once) and both milestones, each under rate card version 2019-2, at its price on its own date.
    expect(
      payments
        .map((p) => ({ rule: p.rule, amountOere: p.amountOere, rateCardVersion: p.rateCardVersion }))
        .sort((a, b) => String(a.rule).localeCompare(String(b.rule))),
    ).toEqual(
      (
        [
          ['job-start', input.from],
          ['sustained-13-weeks', milestones[0]?.dueOn ?? ''],
          ['sustained-26-weeks', milestones[1]?.dueOn ?? ''],
        ] as const
      )
        .map(([rule, on]) => {
          expect(rateCardOn(on).version).toBe('2019-2');
          return { rule, amountOere: priceOf(rule, on), rateCardVersion: '2019-2' };
        })
        .sort((a, b) => a.rule.localeCompare(b.rule)),
    );
  });
});
