import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { daysBetween } from '#domain/dates';
import type { LocalRuntime } from '../../local/runtime.ts';
import { type Api, startSystem } from './local-system.ts';

/**
 * A company's journey with faults injected where AWS has them: every batch of journey events delivered to the
 * company dispatcher twice (a redelivered JEVENT record must start nothing new), and the stage timer's task
 * dying after its work every second time (its retry must find the journey already moved and do nothing).
 */
let runtime: LocalRuntime;
let api: Api;
const COHORT = 'cluster-1-2019';
const CVR = '29000018';

beforeAll(async () => {
  // Injected failures are logged by the handlers and the runtime, as on AWS; not in the test output.
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
  ({ runtime, api } = await startSystem('ERROR', {
    startDate: '2018-09-03',
    faults: {
      seed: 7,
      // Every stream batch, to every consumer (a consumer is named by its logical id here, not its entry).
      streamRedelivery: { every: 1 },
      lambdaCrash: { every: 2, only: ['advance-company-stage'] },
    },
  }));
}, 120_000);

afterAll(async () => {
  await runtime?.stop();
});

describe('a company’s journey under faults', () => {
  it('runs each leg once, to completed, with nothing failed', async () => {
    // Prepare
    const accelerator = api.as({ role: 'accelerator', municipality: '621' });
    const registered = await accelerator.request('POST', '/companies', {
      cvr: CVR,
      name: 'Kolding Genbrug ApS',
      contactName: 'Kontaktperson',
      socialEconomy: 'registered',
      size: 'small',
    });
    expect(registered.status).toBe(201);
    expect((await accelerator.request('POST', `/cohorts/${COHORT}/companies`, { cvr: CVR })).status).toBe(
      201,
    );

    // Act: to the boot camp, selected there, then on to the end of the follow-up.
    await api.advance(daysBetween(await api.today(), '2018-11-15'));
    const selected = await accelerator.request('POST', `/companies/${CVR}/journey/selection`, {
      cohortId: COHORT,
      selected: true,
    });
    await api.advance(daysBetween(await api.today(), '2020-07-02'));

    // Assess
    expect(selected.status).toBe(200);
    const cohort = (await accelerator.request('GET', `/cohorts/${COHORT}`)).json as unknown as {
      companies: Array<{ cvr: string; stage: string }>;
    };
    expect(cohort.companies).toEqual([expect.objectContaining({ cvr: CVR, stage: 'completed' })]);
    const legs = runtime
      .executions()
      .filter((e) => e.name.startsWith(`company-${CVR}-`))
      .map((e) => [e.name, e.status]);
    expect(legs.sort()).toEqual(
      [1, 2, 3, 4, 5, 6, 7, 8, 9].map((leg) => [`company-${CVR}-${COHORT}-${leg}`, 'SUCCEEDED']).sort(),
    );
    const injected = runtime.faults?.injected();
    expect(injected?.streamRedelivery).toBeGreaterThan(0);
    expect(injected?.lambdaCrash).toBeGreaterThan(0);
  });
});
