import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { daysBetween } from '#domain/dates';
import type { LocalRuntime } from '../../local/runtime.ts';
import { type Api, startSystem } from './local-system.ts';

/**
 * The double-sided model end to end on the embedded default (issue 7's "done when"): Kolding's employment actor
 * names itself, the fund's accelerator staff register two companies and run the 2019 cohort through the boot
 * camp, selection and camps with the clock fast-forwarded from 3 September 2018; the social model's checklist and
 * the KPIs are filled in; a citizen is placed in induction in a selected company and hired by it; both payees are
 * paid and notified once, and the business case shows both sides.
 */
let runtime: LocalRuntime;
let api: Api;
let accelerator: Api;
let actor: Api;
let caseworker: Api;
let finance: Api;

const COHORT = 'cluster-1-2019';
const GENBRUG = '12345674';
const CAFE = '87654303';
let referralId = '';

async function advanceTo(date: string): Promise<void> {
  const days = daysBetween(await api.today(), date);
  expect(days).toBeGreaterThanOrEqual(0);
  if (days > 0) await api.advance(days);
  expect(await api.today()).toBe(date);
}

/** The finance notifications about one payment id, as the local inbox holds them. */
const messagesAbout = (paymentId: string) =>
  runtime.inbox.filter((m) => m.messageAttributes?.paymentId === paymentId);

beforeAll(async () => {
  ({ runtime, api } = await startSystem('WARN', { startDate: '2018-09-03' }));
  accelerator = api.as({ role: 'accelerator', municipality: '621' });
  actor = api.as({ role: 'employment-actor', municipality: '621' });
  caseworker = api.as({ role: 'caseworker', municipality: '621' });
  finance = api.as({ role: 'finance', municipality: '621' });
}, 120_000);

afterAll(async () => {
  await runtime?.stop();
});

describe('the companies and the citizens, side by side', () => {
  it('registers the employment actor and two companies, and invites both into the 2019 cohort', async () => {
    // Act
    const named = await actor.request('POST', '/partnership/employment-actor', {
      name: 'Kolding Jobværksted',
      cvr: '29876541',
      contactName: 'Jonas Berg',
      basedOnVersion: 0,
    });
    const registered = await Promise.all(
      [
        { cvr: GENBRUG, name: 'Genbrugsværkstedet ApS', socialEconomy: 'registered', size: 'small' },
        { cvr: CAFE, name: 'Café Fællesskab', socialEconomy: 'unregistered', size: 'micro' },
      ].map((company) => accelerator.request('POST', '/companies', { ...company, contactName: 'Kontakt' })),
    );
    const invited = await Promise.all(
      [GENBRUG, CAFE].map((cvr) => accelerator.request('POST', `/cohorts/${COHORT}/companies`, { cvr })),
    );

    // Assess
    expect(named.status).toBe(201);
    expect(registered.map((r) => r.status)).toEqual([201, 201]);
    expect(invited.map((r) => r.status)).toEqual([201, 201]);
  });

  it('selects both after the boot camp and takes the baseline KPIs from the company itself', async () => {
    // Prepare: the boot camp is 15–16 November 2018.
    await advanceTo('2018-11-16');

    const before = await accelerator.request('GET', '/accelerator/tasks');

    // Act
    const selected = await Promise.all(
      [GENBRUG, CAFE].map((cvr) =>
        accelerator.request('POST', `/companies/${cvr}/journey/selection`, {
          cohortId: COHORT,
          selected: true,
        }),
      ),
    );
    const baseline = await api
      .as({ role: 'company', municipality: '621', company: GENBRUG })
      .request('POST', `/companies/${GENBRUG}/kpis`, {
        cohortId: COHORT,
        point: 'baseline',
        revenueKroner: 2_400_000,
        fullTimeEmployees: 6.5,
        vulnerableEmployed: 1,
        vulnerableStillEmployed: 1,
      });

    const after = await accelerator.request('GET', '/accelerator/tasks');

    // Assess
    expect(selected.map((r) => r.status)).toEqual([200, 200]);
    expect(baseline.status).toBe(201);
    // The selection was on the fund's list until made; then the baseline KPIs of the company that has not reported.
    expect(before.json.tasks).toEqual([
      expect.objectContaining({ kind: 'select', cvr: GENBRUG, due: '2018-12-15' }),
      expect.objectContaining({ kind: 'select', cvr: CAFE, due: '2018-12-15' }),
    ]);
    expect(after.json.tasks).toEqual([
      expect.objectContaining({ kind: 'report-kpis', cvr: CAFE, point: 'baseline' }),
    ]);
  });

  it('runs the accelerator by the clock: both are in it in 2019, attendance at the first camp recorded', async () => {
    // Act
    await advanceTo('2019-02-07');
    const attended = await accelerator.request('POST', `/companies/${GENBRUG}/journey/attendance`, {
      cohortId: COHORT,
      campDate: '2019-02-07',
      present: true,
    });
    const page = await accelerator.request('GET', `/companies/${GENBRUG}`);

    // Assess
    expect(attended.status).toBe(200);
    expect(page.json.journeys).toEqual([
      expect.objectContaining({
        cohortId: COHORT,
        stage: 'accelerator',
        camps: expect.arrayContaining([expect.objectContaining({ date: '2019-02-07', present: true })]),
      }),
    ]);
  });

  it('places a citizen in induction in the selected company and records the hire by it', async () => {
    // Prepare
    const referred = await caseworker.request('POST', '/referrals', {
      cpr: '010185-1234',
      name: 'Anna Hansen',
      benefit: 'kontanthjaelp',
      rateGroup: '30-plus-without-children',
      readiness: 'aktivitetsparat',
      staircaseWeek: 31,
      startDate: '2019-02-07',
    });
    expect(referred.status).toBe(201);
    referralId = String(referred.json.referralId);
    await advanceTo('2019-08-08');

    // Act
    const placed = await actor.request('POST', `/referrals/${referralId}/placement`, {
      type: 'accelerator-company',
      companyCvr: GENBRUG,
      supportPerson: 'Lone Mikkelsen',
    });
    const hired = await caseworker.request('POST', `/referrals/${referralId}/outcomes`, {
      type: 'job-start',
      date: '2019-08-08',
      hoursPerWeek: 30,
      employerCvr: GENBRUG,
    });

    const seenByActor = await actor.request('GET', `/companies/${GENBRUG}`);
    const seenByFund = await accelerator.request('GET', `/companies/${GENBRUG}`);
    const seenByCompany = await api
      .as({ role: 'company', municipality: '621', company: GENBRUG })
      .request('GET', `/companies/${GENBRUG}`);

    // Assess
    expect(placed.status, placed.text).toBe(201);
    expect(hired.status, hired.text).toBe(201);
    expect(seenByActor.json.citizens).toEqual({
      placed: 1,
      hired: 1,
      hiredAsAcceleratorCompany: 1,
      pathways: [
        { referralId, link: 'placement', on: '2019-08-08' },
        { referralId, link: 'hire', on: '2019-08-08' },
      ],
    });
    // The fund's staff and the company's own contact see how many, not who (neither reads pathways).
    expect(seenByFund.json.citizens).toMatchObject({ placed: 1, hired: 1, pathways: [] });
    expect(seenByCompany.json.citizens).toMatchObject({ placed: 1, hired: 1, pathways: [] });
    expect(seenByCompany.text).not.toContain(referralId);
  });

  it('fills the social model checklist during the accelerator', async () => {
    // Act
    const answers = [];
    for (const item of [
      'induction-plan',
      'value-creating-tasks',
      'model-documented',
      'model-known-to-partners',
    ]) {
      answers.push(
        await accelerator.request('POST', `/companies/${GENBRUG}/social-model`, {
          cohortId: COHORT,
          item,
          status: 'done',
          evidence: `Aftalt og beskrevet på camp (${item})`,
        }),
      );
    }
    answers.push(
      await accelerator.request('POST', `/companies/${GENBRUG}/social-model`, {
        cohortId: COHORT,
        item: 'buddies-trained',
        status: 'done',
        evidence: 'Buddykursus gennemført',
        buddies: 3,
      }),
    );
    const early = await accelerator.request('POST', `/companies/${GENBRUG}/social-model/verification`, {
      cohortId: COHORT,
    });

    // Assess
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    expect(early.status).toBe(409);
  });

  it('confirms the job at 13 and 26 weeks, and verifies the social model after the 12 months', async () => {
    // Act
    await advanceTo('2019-11-08');
    const at13 = await actor.request('POST', `/referrals/${referralId}/confirmations`, {
      milestone: 13,
      employed: true,
    });
    await advanceTo('2020-02-07');
    const at26 = await actor.request('POST', `/referrals/${referralId}/confirmations`, {
      milestone: 26,
      employed: true,
    });
    const verified = await accelerator.request('POST', `/companies/${GENBRUG}/social-model/verification`, {
      cohortId: COHORT,
    });
    const again = await accelerator.request('POST', `/companies/${GENBRUG}/social-model/verification`, {
      cohortId: COHORT,
    });
    await runtime.settle();

    // Assess
    expect(at13.status, at13.text).toBe(201);
    expect(at26.status, at26.text).toBe(201);
    expect(verified.status, verified.text).toBe(201);
    expect(again.status).toBe(200);
  });

  it('pays both sides once, tells finance once per payment, and the business case shows both sides', async () => {
    // Act
    const payments = await finance.request('GET', '/payments');
    const businessCase = await finance.request('GET', '/business-case');
    const text = JSON.stringify(payments.json);

    // Assess: the employment actor's job results, the accelerator's share, its hire bonus and the social model.
    expect(payments.status).toBe(200);
    expect(text).toContain('employment-actor');
    expect(text).toContain('social-model-implemented');
    expect(text).toContain('accelerator-hire-sustained');
    const ids = [...text.matchAll(/"paymentId":"([^"]+)"/g)].map((m) => m[1] ?? '');
    expect(ids.length).toBeGreaterThanOrEqual(6);
    for (const id of ids) expect(messagesAbout(id), id).toHaveLength(1);
    expect(businessCase.status).toBe(200);
    expect(JSON.stringify(businessCase.json)).toContain('social-accelerator');
  });
});
