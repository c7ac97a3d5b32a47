import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, daysBetween } from '#domain/dates';
import type { LocalRuntime } from '../../local/runtime.ts';
import { type Api, startSystem } from './local-system.ts';

/**
 * Companies' journeys on the embedded default (issue 7): the CDK-synthesized CompanyStageTimer run by the local
 * Step Functions, its legs started and stopped by the table stream's company dispatcher, on DynamoDB Local, driven
 * over HTTP by Kolding's accelerator staff with the clock fast-forwarded from 3 September 2018, before the
 * cluster-1 2019 cohort's boot camp (15–16 November 2018).
 */
let runtime: LocalRuntime;
let api: Api;
let accelerator: Api;

const COHORT = 'cluster-1-2019';
/** Kolding companies (CVR numbers that pass modulus 11): one completes, one withdraws in month 3. */
const COMPLETES = '29000018';
const WITHDRAWS = '29000026';
const LATE = '29000034';
/** Invited through the cohort page's form. */
const BY_FORM = '29000050';
/** An Aalborg company: another municipality's partnership. */
const AALBORG = '29000042';

interface Execution {
  name: string;
  status: string;
}

beforeAll(async () => {
  ({ runtime, api } = await startSystem('WARN', { startDate: '2018-09-03' }));
  accelerator = api.as({ role: 'accelerator', municipality: '621' });
  for (const [cvr, name, municipality] of [
    [COMPLETES, 'Kolding Genbrug ApS', '621'],
    [WITHDRAWS, 'Kolding Kaffebar ApS', '621'],
    [LATE, 'Kolding Cykler ApS', '621'],
    [BY_FORM, 'Kolding Bryghus ApS', '621'],
    [AALBORG, 'Aalborg Værksted ApS', '851'],
  ] as const) {
    const registered = await api.as({ role: 'accelerator', municipality }).request('POST', '/companies', {
      cvr,
      name,
      contactName: 'Kontaktperson',
      socialEconomy: 'registered',
      size: 'small',
    });
    expect(registered.status, `${cvr}: ${registered.text}`).toBe(201);
  }
}, 120_000);

afterAll(async () => {
  await runtime?.stop();
});

async function advanceTo(date: string): Promise<void> {
  const days = daysBetween(await api.today(), date);
  expect(days).toBeGreaterThanOrEqual(0);
  await api.advance(days);
  expect(await api.today()).toBe(date);
}

interface CohortJson {
  companies: Array<{ cvr: string; stage: string }>;
  stageCounts: Record<string, number>;
  camps: Array<{ date: string; present: number; absent: number }>;
}

async function cohort(): Promise<CohortJson> {
  const answer = await accelerator.request('GET', `/cohorts/${COHORT}`);
  expect(answer.status).toBe(200);
  return answer.json as unknown as CohortJson;
}

async function stageOf(cvr: string): Promise<string | undefined> {
  return (await cohort()).companies.find((c) => c.cvr === cvr)?.stage;
}

/** The company's leg timers, as GET /_local/executions lists them, by leg number. */
async function legsOf(cvr: string): Promise<Record<number, string>> {
  const listed = (await api.request('GET', '/_local/executions')).json as unknown as Execution[];
  const prefix = `company-${cvr}-${COHORT}-`;
  return Object.fromEntries(
    listed
      .filter((e) => e.name.startsWith(prefix))
      .map((e) => [Number(e.name.slice(prefix.length)), e.status]),
  );
}

describe('a company’s journey through the 2019 cohort', () => {
  it('invites Kolding’s companies into their cluster’s cohort, once, and refuses what does not fit', async () => {
    // Act
    const first = await accelerator.request('POST', `/cohorts/${COHORT}/companies`, { cvr: COMPLETES });
    const repeat = await accelerator.request('POST', `/cohorts/${COHORT}/companies`, { cvr: COMPLETES });
    const second = await accelerator.request('POST', `/cohorts/${COHORT}/companies`, { cvr: WITHDRAWS });
    const otherCluster = await accelerator.request('POST', '/cohorts/cluster-2-2020/companies', {
      cvr: LATE,
    });
    const otherMunicipality = await accelerator.request('POST', `/cohorts/${COHORT}/companies`, {
      cvr: AALBORG,
    });
    const badCvr = await accelerator.request('POST', `/cohorts/${COHORT}/companies`, { cvr: '29000019' });
    const caseworker = await api
      .as({ role: 'caseworker', municipality: '621' })
      .request('POST', `/cohorts/${COHORT}/companies`, { cvr: LATE });

    // Assess
    expect(first.status).toBe(201);
    expect(first.json).toEqual({
      cvr: COMPLETES,
      cohortId: COHORT,
      municipality: '621',
      invitedOn: '2018-09-03',
    });
    expect(repeat.status).toBe(201);
    expect(repeat.text).toBe(first.text);
    expect(second.status).toBe(201);
    expect(otherCluster.status).toBe(409);
    expect(otherCluster.json.errors).toEqual([{ field: 'cohortId', message: expect.any(String) }]);
    expect(otherMunicipality.status).toBe(404);
    expect(otherMunicipality.json.errors).toEqual([{ field: 'cvr', message: 'Virksomheden findes ikke' }]);
    expect(badCvr.status).toBe(400);
    expect(badCvr.json.errors).toEqual([{ field: 'cvr', message: expect.any(String) }]);
    expect(caseworker.status).toBe(403);
    expect(await stageOf(COMPLETES)).toBe('invited');
    expect(await legsOf(COMPLETES)).toEqual({ 1: 'RUNNING' });
  });

  it('works from the cohort page too: a form invites and sends the browser back, a refused one shows its errors', async () => {
    // Prepare
    const form = { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'text/html' };
    const page = await accelerator.request('GET', `/cohorts/${COHORT}`, undefined, { Accept: 'text/html' });

    // Act
    const invited = await accelerator.request('POST', `/cohorts/${COHORT}/companies`, `cvr=${BY_FORM}`, form);
    const refused = await accelerator.request(
      'POST',
      `/companies/${BY_FORM}/journey/withdrawal`,
      `cohortId=${COHORT}&date=2018-09-04&reason=`,
      form,
    );

    // Assess
    expect(page.text).toContain('Invitér virksomhed');
    expect(page.text).toContain(`value="${BY_FORM}"`);
    expect(invited.status).toBe(303);
    expect(invited.headers.get('location')).toBe(`/cohorts/${COHORT}`);
    expect(await stageOf(BY_FORM)).toBe('invited');
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('Årsag skal udfyldes');
    expect(refused.text).toContain('value="2018-09-04"');
  });

  it('moves both companies to the boot camp on its first day, and selects them', async () => {
    // Act
    await advanceTo('2018-11-15');
    const early = await accelerator.request('POST', `/companies/${COMPLETES}/journey/attendance`, {
      cohortId: COHORT,
      campDate: '2018-11-15',
      present: true,
    });
    const selections = await Promise.all(
      [COMPLETES, WITHDRAWS].map((cvr) =>
        accelerator.request('POST', `/companies/${cvr}/journey/selection`, {
          cohortId: COHORT,
          selected: true,
        }),
      ),
    );
    const repeat = await accelerator.request('POST', `/companies/${COMPLETES}/journey/selection`, {
      cohortId: COHORT,
      selected: true,
    });
    const late = await accelerator.request('POST', `/cohorts/${COHORT}/companies`, { cvr: LATE });

    // Assess
    expect(early.status).toBe(400);
    expect(early.json.errors).toEqual([
      { field: 'campDate', message: 'Datoen ligger uden for acceleratorforløbet' },
    ]);
    expect(selections.map((s) => s.status)).toEqual([200, 200]);
    expect(repeat.text).toBe(selections[0]?.text);
    expect(late.status).toBe(409);
    expect(await stageOf(COMPLETES)).toBe('boot-camp');
    expect(await legsOf(COMPLETES)).toEqual({ 1: 'SUCCEEDED', 2: 'RUNNING' });
  });

  it('has them selected after the boot camp and in the accelerator from 1 January', async () => {
    // Act + Assess
    await advanceTo('2018-11-17');
    expect(await stageOf(COMPLETES)).toBe('selected');
    await advanceTo('2019-01-01');
    expect(await stageOf(COMPLETES)).toBe('accelerator');
    expect(await stageOf(WITHDRAWS)).toBe('accelerator');
    const tooLate = await accelerator.request('POST', `/companies/${COMPLETES}/journey/selection`, {
      cohortId: COHORT,
      selected: false,
    });
    expect(tooLate.status).toBe(409);
    expect(await legsOf(COMPLETES)).toEqual({ 1: 'SUCCEEDED', 2: 'SUCCEEDED', 3: 'SUCCEEDED', 4: 'RUNNING' });
  });

  it('records attendance at the first camp, on the camp calendar', async () => {
    // Prepare
    await advanceTo('2019-02-07');

    // Act
    const present = await accelerator.request('POST', `/companies/${COMPLETES}/journey/attendance`, {
      cohortId: COHORT,
      campDate: '2019-02-07',
      present: true,
    });
    const absent = await accelerator.request('POST', `/companies/${WITHDRAWS}/journey/attendance`, {
      cohortId: COHORT,
      campDate: '2019-02-07',
      present: false,
    });
    const notACamp = await accelerator.request('POST', `/companies/${COMPLETES}/journey/attendance`, {
      cohortId: COHORT,
      campDate: '2019-02-06',
      present: true,
    });
    const future = await accelerator.request('POST', `/companies/${COMPLETES}/journey/attendance`, {
      cohortId: COHORT,
      campDate: '2019-05-02',
      present: true,
    });

    // Assess
    expect([present.status, absent.status]).toEqual([200, 200]);
    expect(notACamp.status).toBe(400);
    expect(future.status).toBe(409);
    expect((await cohort()).camps[0]).toMatchObject({ date: '2019-02-07', present: 1, absent: 1 });
  });

  it('withdraws a company in month 3: its timer is stopped and no leg follows', async () => {
    // Prepare
    await advanceTo('2019-03-15');
    expect(await legsOf(WITHDRAWS)).toMatchObject({ 5: 'RUNNING' });

    // Act
    const withdrawal = { cohortId: COHORT, date: '2019-03-15', reason: 'Virksomheden har ikke kapacitet' };
    const first = await accelerator.request('POST', `/companies/${WITHDRAWS}/journey/withdrawal`, withdrawal);
    const repeat = await accelerator.request(
      'POST',
      `/companies/${WITHDRAWS}/journey/withdrawal`,
      withdrawal,
    );
    await runtime.settle();

    // Assess
    expect(first.status).toBe(200);
    expect(repeat.text).toBe(first.text);
    expect(await stageOf(WITHDRAWS)).toBe('withdrawn');
    expect(await legsOf(WITHDRAWS)).toEqual({
      1: 'SUCCEEDED',
      2: 'SUCCEEDED',
      3: 'SUCCEEDED',
      4: 'SUCCEEDED',
      5: 'ABORTED',
    });
    await advanceTo('2019-06-01');
    expect(await stageOf(WITHDRAWS)).toBe('withdrawn');
    expect(Object.keys(await legsOf(WITHDRAWS))).toHaveLength(5);
  });

  it('takes the other company camp by camp through the accelerator and follow-up to completed', async () => {
    // Act + Assess: each boundary moves exactly one leg.
    const steps: Array<[string, string, number]> = [
      ['2019-09-05', 'accelerator', 7],
      ['2019-11-07', 'accelerator', 8],
      ['2020-01-01', 'follow-up', 9],
    ];
    for (const [date, stage, runningLeg] of steps) {
      await advanceTo(date);
      expect(await stageOf(COMPLETES), date).toBe(stage);
      expect((await legsOf(COMPLETES))[runningLeg], date).toBe('RUNNING');
    }
    await advanceTo(addDays('2020-07-01', 1));
    expect(await stageOf(COMPLETES)).toBe('completed');
    const legs = await legsOf(COMPLETES);
    expect(legs).toEqual(Object.fromEntries([1, 2, 3, 4, 5, 6, 7, 8, 9].map((leg) => [leg, 'SUCCEEDED'])));
    const late = await accelerator.request('POST', `/companies/${COMPLETES}/journey/withdrawal`, {
      cohortId: COHORT,
      date: await api.today(),
      reason: 'For sent',
    });
    expect(late.status).toBe(409);
    expect((await cohort()).stageCounts).toMatchObject({ completed: 1, withdrawn: 1 });
  });

  it('shows the cohort page in Danish, and another cluster’s caseworker no companies', async () => {
    // Act
    const page = await accelerator.request('GET', `/cohorts/${COHORT}`, undefined, { Accept: 'text/html' });
    const aalborg = await api
      .as({ role: 'caseworker', municipality: '851' })
      .request('GET', `/cohorts/${COHORT}`);

    // Assess
    expect(page.status).toBe(200);
    expect(page.text).toContain('Campkalender');
    expect(page.text).toContain('Kolding Genbrug ApS');
    expect(page.text).toContain('Gennemført');
    expect(aalborg.status).toBe(200);
    expect((aalborg.json as unknown as CohortJson).companies).toEqual([]);
  });
});
