import { SFNClient, StartExecutionCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalRuntime } from '../../local/runtime.ts';
import { type Api, cpr, startSystem } from './local-system.ts';

/**
 * The reconciler on the embedded default: an execution lost behind the table's back (stopped through the local
 * Step Functions endpoint, as an operator or a failed start would leave it) is started again, and a run that
 * should not go on after a drop-out is stopped.
 */
let runtime: LocalRuntime;
let api: Api;
/** The local Step Functions endpoint, found as the handlers find it (AWS_ENDPOINT_URL_SFN, set by the runtime). */
let sfn: SFNClient;

beforeAll(async () => {
  process.env.PROGRAMME_SCALE = '10';
  ({ runtime, api } = await startSystem());
  sfn = new SFNClient({});
});

afterAll(async () => {
  sfn?.destroy();
  await runtime?.stop();
  delete process.env.PROGRAMME_SCALE;
});

interface Summary {
  checked: number;
  started: string[];
  stopped: string[];
  givenUp: string[];
}

const reconcile = async () => {
  const { status, json } = await api.request('POST', '/_local/reconcile');
  expect(status).toBe(200);
  return json as unknown as Summary;
};
const execution = (name: string) => runtime.executions().find((e) => e.name === name);
const phaseOf = async (id: string) => String((await api.request('GET', `/referrals/${id}`)).json.phase);

async function refer(n: number): Promise<string> {
  const created = await api.refer({ cpr: cpr(n), municipality: '621', startDate: await api.today() });
  expect(created.status).toBe(201);
  await runtime.settle();
  return String(created.json.referralId);
}

describe('the reconciler', () => {
  it('finds nothing to do while every execution runs', async () => {
    // Prepare
    const id = await refer(1);
    // Act
    const summary = await reconcile();
    // Assess
    expect(summary.checked).toBeGreaterThanOrEqual(1);
    expect(summary.started.filter((name) => name.includes(id))).toEqual([]);
    expect(summary.stopped).toEqual([]);
  });

  it('starts a stopped phase timer again, and the pathway moves on when the clock advances', async () => {
    // Prepare: the training phase's timer is lost
    const id = await refer(2);
    const timer = execution(`${id}-1`);
    expect(timer?.status).toBe('RUNNING');
    await sfn.send(new StopExecutionCommand({ executionArn: timer?.executionArn, cause: 'fault injected' }));
    expect(execution(`${id}-1`)?.status).toBe('ABORTED');

    // Act
    const summary = await reconcile();

    // Assess
    expect(summary.started).toContain(`${id}-1-r1`);
    expect(execution(`${id}-1-r1`)?.status).toBe('RUNNING');
    expect(JSON.parse(execution(`${id}-1-r1`)?.input ?? '{}')).toEqual(JSON.parse(timer?.input ?? ''));
    expect((await reconcile()).started.filter((name) => name.includes(id))).toEqual([]);
    await api.advance(190);
    expect(await phaseOf(id)).toBe('induction');
  });

  it('stops a sustainment run still going after the citizen dropped out', async () => {
    // Prepare: a job is followed; the citizen drops out, and a restart of the follow-up raced the drop-out
    const id = await refer(3);
    const job = {
      type: 'job-start',
      date: await api.today(),
      hoursPerWeek: 37,
      employer: 'Kolding Bageri ApS',
    };
    expect((await api.request('POST', `/referrals/${id}/outcomes`, job)).status).toBe(201);
    await runtime.settle();
    const followUp = runtime.executions().find((e) => e.name.startsWith('sustain-') && e.input.includes(id));
    expect(followUp?.status).toBe('RUNNING');
    const dropout = { type: 'dropout', date: await api.today() };
    expect((await api.request('POST', `/referrals/${id}/outcomes`, dropout)).status).toBe(201);
    await runtime.settle();
    expect(execution(followUp?.name ?? '')?.status).toBe('ABORTED');
    await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: followUp?.stateMachineArn,
        name: `${followUp?.name}-r1`,
        input: followUp?.input,
      }),
    );
    expect(execution(`${followUp?.name}-r1`)?.status).toBe('RUNNING');

    // Act
    const summary = await reconcile();

    // Assess
    expect(summary.stopped).toEqual([`${followUp?.name}-r1`]);
    expect(execution(`${followUp?.name}-r1`)?.status).toBe('ABORTED');
    expect(summary.started.filter((name) => name.includes(id))).toEqual([]);
  });
});
