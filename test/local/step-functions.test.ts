import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { clock } from '#shared/clock';
import { type ExecutionDescription, LocalServiceError } from '../../local/contracts.ts';
import type { PersistedExecution } from '../../local/data-folder.ts';
import { LocalStepFunctionsService } from '../../local/step-functions.ts';
import { describeLocalResources, type LocalResources } from '../../local/template.ts';
import { synthesize, workflowStack } from './cdk-fixtures.ts';

const DAY_MS = 86_400_000;

type Handler = (payload: unknown) => Promise<unknown>;

interface Harness {
  service: LocalStepFunctionsService;
  calls: { entry: string; payload: unknown }[];
  failures: ExecutionDescription[];
  machineArn(prefix: string): string;
}

let resources: LocalResources;

beforeAll(() => {
  resources = describeLocalResources(synthesize(workflowStack));
});

afterEach(() => {
  clock.reset();
});

/** The service over the synthesized machines, with in-test handlers keyed by entry (`functions/test/<Id>.ts`). */
function harness(handlers: Record<string, Handler> = {}): Harness {
  const calls: Harness['calls'] = [];
  const failures: ExecutionDescription[] = [];
  const service = new LocalStepFunctionsService({
    stateMachines: resources.stateMachines,
    invokeLambda: async (functionArn, payload) => {
      const fn = Object.values(resources.functions).find((candidate) => candidate.arn === functionArn);
      const entry = fn?.entry ?? `unknown function ${functionArn}`;
      calls.push({ entry, payload });
      const handler = handlers[entry];
      return handler ? handler(payload) : {};
    },
    onExecutionFailed: (execution) => failures.push(execution),
  });
  const machineArn = (prefix: string) => {
    const machine = Object.values(resources.stateMachines).find((candidate) =>
      candidate.name.startsWith(prefix),
    );
    if (!machine) throw new Error(`no state machine ${prefix}`);
    return machine.arn;
  };
  return { service, calls, failures, machineArn };
}

function inDays(days: number): string {
  return new Date(clock.now().getTime() + days * DAY_MS).toISOString();
}

describe('LocalStepFunctionsService: Wait states on the local clock', () => {
  it('parks a 180-day Wait until the local clock reaches its timestamp, then runs the task', async () => {
    // Prepare
    const { service, calls, machineArn } = harness({
      'functions/test/Move.ts': async () => ({ moved: true }),
    });
    const input = JSON.stringify({ referralId: 'r-1', dueAt: inDays(180) });
    const { executionArn } = await service.startExecution({
      stateMachineArn: machineArn('PhaseTimer'),
      input,
    });
    await service.settled();
    const callsWhileParked = calls.length;
    clock.advance(179 * DAY_MS);
    const firedEarly = await service.fireDueTimers();

    // Act
    clock.advance(DAY_MS);
    const fired = await service.fireDueTimers();
    await service.settled();

    // Assess
    expect(callsWhileParked).toBe(0);
    expect(firedEarly).toBe(0);
    expect(fired).toBe(1);
    expect(calls.map((call) => call.entry)).toEqual(['functions/test/Move.ts']);
    const execution = service.describeExecution(executionArn);
    expect(execution.status).toBe('SUCCEEDED');
    expect(JSON.parse(execution.output ?? '')).toEqual({ ...JSON.parse(input), advance: { moved: true } });
  });

  it('tells when the next parked execution is due and fires due ones in target order', async () => {
    // Prepare
    const { service, calls, machineArn } = harness();
    const later = inDays(20);
    const sooner = inDays(10);
    await service.startExecution({
      stateMachineArn: machineArn('PhaseTimer'),
      input: JSON.stringify({ dueAt: later }),
    });
    await service.startExecution({
      stateMachineArn: machineArn('PhaseTimer'),
      input: JSON.stringify({ dueAt: sooner }),
    });
    await service.settled();
    const nextDue = service.nextTimerDue();

    // Act
    clock.advance(30 * DAY_MS);
    await service.fireDueTimers();
    await service.settled();

    // Assess
    expect(nextDue?.toISOString()).toBe(sooner);
    expect(calls.map((call) => (call.payload as { dueAt: string }).dueAt)).toEqual([sooner, later]);
    expect(service.nextTimerDue()).toBeUndefined();
  });

  it('continues at once past a Wait whose timestamp has already passed', async () => {
    // Prepare
    const { service, calls, machineArn } = harness();
    const input = JSON.stringify({ dueAt: inDays(-1) });

    // Act
    const { executionArn } = await service.startExecution({
      stateMachineArn: machineArn('PhaseTimer'),
      input,
    });
    await service.settled();

    // Assess
    expect(calls).toHaveLength(1);
    expect(service.describeExecution(executionArn).status).toBe('SUCCEEDED');
  });

  it('succeeds with the input as output when the Wait ends the execution', async () => {
    // Prepare
    const { service, machineArn } = harness();
    const input = JSON.stringify({ seconds: 3600 });
    const { executionArn } = await service.startExecution({ stateMachineArn: machineArn('Pause'), input });
    await service.settled();
    const whileWaiting = service.describeExecution(executionArn).status;

    // Act
    clock.advance(3600_000);
    await service.fireDueTimers();

    // Assess
    expect(whileWaiting).toBe('RUNNING');
    expect(service.describeExecution(executionArn)).toMatchObject({ status: 'SUCCEEDED', output: input });
  });

  it('times an execution out by its TimeoutSeconds on the local clock, before its Wait ends', async () => {
    // Prepare
    const { service, calls, failures, machineArn } = harness();
    const input = JSON.stringify({ dueAt: inDays(300) });
    const { executionArn } = await service.startExecution({
      stateMachineArn: machineArn('PhaseTimer'),
      input,
    });
    await service.settled();

    // Act
    clock.advance(201 * DAY_MS);
    await service.fireDueTimers();

    // Assess
    expect(calls).toEqual([]);
    expect(service.describeExecution(executionArn)).toMatchObject({
      status: 'TIMED_OUT',
      error: 'States.Timeout',
    });
    expect(failures.map((failure) => failure.executionArn)).toEqual([executionArn]);
  });

  it('gives tasks the context object of the execution as started, also after a resume', async () => {
    // Prepare
    const { service, calls, machineArn } = harness();
    const input = { referralId: 'r-7' };
    const { executionArn, startDate } = await service.startExecution({
      stateMachineArn: machineArn('Context'),
      name: 'context-check',
      input: JSON.stringify(input),
    });
    await service.settled();

    // Act
    clock.advance(61_000);
    await service.fireDueTimers();
    await service.settled();

    // Assess
    expect(startDate.getTime()).toBeLessThanOrEqual(clock.now().getTime() - 60_000);
    expect(calls[0]?.payload).toEqual({
      executionId: executionArn,
      executionName: 'context-check',
      startTime: startDate.toISOString(),
      input,
      stateMachineId: machineArn('Context'),
    });
  });
});

describe('LocalStepFunctionsService: carrying on after a restart', () => {
  /** A service as `npm start` builds it: every state change handed to `persist`, the last one per ARN kept. */
  function persistingService(saved: Map<string, PersistedExecution>, calls: string[]) {
    return new LocalStepFunctionsService({
      stateMachines: resources.stateMachines,
      invokeLambda: async (functionArn) => {
        calls.push(functionArn);
        return { moved: true };
      },
      persist: (execution) => saved.set(execution.executionArn, execution),
    });
  }
  const machineArn = (prefix: string) =>
    Object.values(resources.stateMachines).find((machine) => machine.name.startsWith(prefix))?.arn ?? '';

  it("goes on from a Wait's Next, with the Wait's output, when the process ended in the state after it", async () => {
    // Prepare: the timer falls due and its task starts; the process ends while the task runs (it never answers).
    const saved = new Map<string, PersistedExecution>();
    const before = new LocalStepFunctionsService({
      stateMachines: resources.stateMachines,
      invokeLambda: () => new Promise(() => {}),
      persist: (execution) => saved.set(execution.executionArn, execution),
    });
    const input = { referralId: 'r-9', dueAt: inDays(10) };
    const { executionArn } = await before.startExecution({
      stateMachineArn: machineArn('PhaseTimer'),
      name: 'caught',
      input: JSON.stringify(input),
    });
    await before.settled();
    clock.advance(10 * DAY_MS);
    void before.fireDueTimers();
    await new Promise((resolve) => setTimeout(resolve, 50));

    // Act: a new process restores what was saved and fires what is due.
    const payloads: unknown[] = [];
    const after = new LocalStepFunctionsService({
      stateMachines: resources.stateMachines,
      invokeLambda: async (_arn, payload) => {
        payloads.push(payload);
        return { moved: true };
      },
    });
    const rerun = after.restore([...saved.values()]);
    const fired = await after.fireDueTimers();
    await after.settled();

    // Assess: not from the start (no second wait): the task ran once more, on the Wait's output, and finished.
    expect(saved.get(executionArn)?.parked?.stateName).toBe('Wait until due');
    expect(rerun).toBe(0);
    expect(fired).toBe(1);
    expect(payloads).toEqual([input]);
    expect(after.describeExecution(executionArn).status).toBe('SUCCEEDED');
  });

  it('restores parked executions with their timers, closed ones as history, and re-runs one caught mid-run', async () => {
    // Prepare: one execution parked for 10 days, one finished, one persisted as started but never parked (the
    // process ended while its first state ran).
    const saved = new Map<string, PersistedExecution>();
    const before = persistingService(saved, []);
    const parked = await before.startExecution({
      stateMachineArn: machineArn('PhaseTimer'),
      name: 'parked',
      input: JSON.stringify({ dueAt: inDays(10) }),
    });
    const finished = await before.startExecution({
      stateMachineArn: machineArn('PhaseTimer'),
      name: 'finished',
      input: JSON.stringify({ dueAt: inDays(-1) }),
    });
    await before.settled();
    const startedOnly = structuredClone(saved.get(parked.executionArn) as PersistedExecution);
    Object.assign(startedOnly, {
      executionArn: startedOnly.executionArn.replace(/parked$/, 'mid-run'),
      name: 'mid-run',
      parked: undefined,
    });
    saved.set(startedOnly.executionArn, startedOnly);

    // Act: a new service (a new process) takes the saved states back.
    const calls: string[] = [];
    const after = persistingService(new Map(), calls);
    const rerun = after.restore([...saved.values()]);
    await after.settled();
    const callsAtRestore = calls.length;
    clock.advance(10 * DAY_MS);
    const fired = await after.fireDueTimers();
    await after.settled();

    // Assess: the mid-run one ran again from its start and parked at its Wait; at day 10 both timers fire;
    // the finished one is history, its name still taken.
    expect(rerun).toBe(1);
    expect(callsAtRestore).toBe(0);
    expect(fired).toBe(2);
    expect(calls).toHaveLength(2);
    expect(after.describeExecution(parked.executionArn).status).toBe('SUCCEEDED');
    expect(after.describeExecution(startedOnly.executionArn).status).toBe('SUCCEEDED');
    expect(after.describeExecution(finished.executionArn).status).toBe('SUCCEEDED');
    await expect(
      after.startExecution({ stateMachineArn: machineArn('PhaseTimer'), name: 'finished', input: '{}' }),
    ).rejects.toMatchObject({ code: 'ExecutionAlreadyExists' });
  });
});

describe('LocalStepFunctionsService: execution identity and stopping', () => {
  it('aborts a parked execution on stop, and its task never runs', async () => {
    // Prepare
    const { service, calls, machineArn } = harness();
    const input = JSON.stringify({ dueAt: inDays(180) });
    const { executionArn } = await service.startExecution({
      stateMachineArn: machineArn('PhaseTimer'),
      input,
    });
    await service.settled();

    // Act
    const { stopDate } = await service.stopExecution({ executionArn, cause: 'outcome recorded' });
    clock.advance(181 * DAY_MS);
    const fired = await service.fireDueTimers();
    await service.settled();

    // Assess
    expect(fired).toBe(0);
    expect(calls).toEqual([]);
    expect(service.describeExecution(executionArn)).toMatchObject({
      status: 'ABORTED',
      stopDate,
      cause: 'outcome recorded',
    });
  });

  it('aborts an execution whose task is running, and runs no state after it', async () => {
    // Prepare
    let finishCalculation: (result: unknown) => void = () => undefined;
    const calculated = new Promise<unknown>((resolve) => {
      finishCalculation = resolve;
    });
    const { service, calls, failures, machineArn } = harness({
      'functions/test/Calculate.ts': () => calculated,
    });
    const { executionArn } = await service.startExecution({
      stateMachineArn: machineArn('Payment'),
      input: '{"outcomeId":"o-1"}',
    });

    // Act
    await service.stopExecution({ executionArn, error: 'Superseded' });
    finishCalculation({ paymentId: 'p-1' });
    await service.settled();
    // The library finishes the running state in the background; give it the chance to (wrongly) go on.
    await new Promise((resolve) => setTimeout(resolve, 50));

    // Assess
    expect(calls.map((call) => call.entry)).toEqual(['functions/test/Calculate.ts']);
    expect(service.describeExecution(executionArn)).toMatchObject({ status: 'ABORTED', error: 'Superseded' });
    expect(failures).toEqual([]);
  });

  it('returns the running execution for the same name and input, and refuses another input', async () => {
    // Prepare
    const { service, machineArn } = harness();
    const stateMachineArn = machineArn('PhaseTimer');
    const input = JSON.stringify({ referralId: 'r-1', dueAt: inDays(180) });
    const first = await service.startExecution({ stateMachineArn, name: 'r-1-1', input });

    // Act
    const again = await service.startExecution({ stateMachineArn, name: 'r-1-1', input });
    const conflicting = service.startExecution({
      stateMachineArn,
      name: 'r-1-1',
      input: '{"referralId":"r-2"}',
    });

    // Assess
    expect(again.executionArn).toBe(first.executionArn);
    expect(first.executionArn).toBe(`${stateMachineArn.replace(':stateMachine:', ':execution:')}:r-1-1`);
    await expect(conflicting).rejects.toThrow(LocalServiceError);
    await expect(conflicting).rejects.toMatchObject({ code: 'ExecutionAlreadyExists' });
    expect(service.list()).toHaveLength(1);
  });

  it('refuses a name that was used by an execution that has closed', async () => {
    // Prepare
    const { service, machineArn } = harness();
    const stateMachineArn = machineArn('PhaseTimer');
    const input = JSON.stringify({ dueAt: inDays(1) });
    const { executionArn } = await service.startExecution({ stateMachineArn, name: 'once', input });
    await service.stopExecution({ executionArn });

    // Act
    const restarting = service.startExecution({ stateMachineArn, name: 'once', input });

    // Assess
    await expect(restarting).rejects.toMatchObject({ name: 'ExecutionAlreadyExists' });
  });

  it('names an execution with a UUID when no name is given', async () => {
    // Prepare
    const { service, machineArn } = harness();

    // Act
    const { executionArn } = await service.startExecution({
      stateMachineArn: machineArn('Pause'),
      input: '{"seconds":1}',
    });

    // Assess
    expect(service.describeExecution(executionArn).name).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers unknown executions and machines with the AWS error codes', async () => {
    // Prepare
    const { service, machineArn } = harness();
    const unknownExecution = `${machineArn('Pause').replace(':stateMachine:', ':execution:')}:nobody`;

    // Act
    const stopping = service.stopExecution({ executionArn: unknownExecution });
    const starting = service.startExecution({ stateMachineArn: `${machineArn('Pause')}Gone` });

    // Assess
    await expect(stopping).rejects.toMatchObject({ code: 'ExecutionDoesNotExist' });
    await expect(starting).rejects.toMatchObject({ code: 'StateMachineDoesNotExist' });
    expect(() => service.describeExecution(unknownExecution)).toThrow(/Execution Does Not Exist/);
  });

  it('starts and stops executions from tasks of another state machine', async () => {
    // Prepare
    const { service, machineArn } = harness();
    const old = await service.startExecution({
      stateMachineArn: machineArn('PhaseTimer'),
      name: 'r-9-1',
      input: JSON.stringify({ dueAt: inDays(100) }),
    });
    const input = { referralId: 'r-9', phaseSeq: 2, dueAt: inDays(180), oldExecutionArn: old.executionArn };

    // Act
    const { executionArn } = await service.startExecution({
      stateMachineArn: machineArn('Starter'),
      input: JSON.stringify(input),
    });
    await service.settled();

    // Assess
    const started = `${machineArn('PhaseTimer').replace(':stateMachine:', ':execution:')}:r-9-2`;
    expect(service.describeExecution(started)).toMatchObject({
      status: 'RUNNING',
      input: JSON.stringify({ dueAt: input.dueAt }),
    });
    expect(service.describeExecution(old.executionArn).status).toBe('ABORTED');
    const output = JSON.parse(service.describeExecution(executionArn).output ?? '');
    expect(output.started.ExecutionArn).toBe(started);
    expect(typeof output.stopped.StopDate).toBe('string');
  });
});

describe('LocalStepFunctionsService: task errors, Retry, Catch and Choice', () => {
  it('retries a throwing handler, then takes the Catch path to the Fail state', async () => {
    // Prepare
    const { service, calls, failures, machineArn } = harness({
      'functions/test/Move.ts': async () => {
        throw new Error('table unavailable');
      },
      'functions/test/RecordFailure.ts': async () => ({ recorded: true }),
    });
    const input = JSON.stringify({ dueAt: inDays(-1) });
    const started = Date.now();

    // Act
    const { executionArn } = await service.startExecution({
      stateMachineArn: machineArn('PhaseTimer'),
      input,
    });
    await service.settled();

    // Assess
    expect(calls.map((call) => call.entry)).toEqual([
      'functions/test/Move.ts',
      'functions/test/Move.ts',
      'functions/test/Move.ts',
      'functions/test/RecordFailure.ts',
    ]);
    const caught = (calls[3]?.payload as { error: { Error: string; Cause: string } } | undefined)?.error;
    expect(caught?.Error).toBe('Error');
    expect(JSON.parse(caught?.Cause ?? '')).toMatchObject({
      errorType: 'Error',
      errorMessage: 'table unavailable',
    });
    expect(service.describeExecution(executionArn)).toMatchObject({
      status: 'FAILED',
      error: 'TimerFailed',
      cause: 'See the failure record',
    });
    expect(failures.map((failure) => failure.executionArn)).toEqual([executionArn]);
    // The definition says 30 s between attempts; the local runtime does not sleep them.
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('takes the Choice branch the calculated payment asks for', async () => {
    // Prepare
    const paymentIds: Record<string, string | null> = { 'o-1': 'p-1', 'o-2': null };
    const { service, calls, machineArn } = harness({
      'functions/test/Calculate.ts': async (payload) => ({
        paymentId: paymentIds[(payload as { outcomeId: string }).outcomeId],
      }),
      'functions/test/Notify.ts': async () => ({ published: true }),
    });
    const stateMachineArn = machineArn('Payment');

    // Act
    const due = await service.startExecution({
      stateMachineArn,
      name: 'payment-o-1',
      input: '{"outcomeId":"o-1"}',
    });
    const none = await service.startExecution({
      stateMachineArn,
      name: 'payment-o-2',
      input: '{"outcomeId":"o-2"}',
    });
    await service.settled();

    // Assess
    expect(calls.filter((call) => call.entry === 'functions/test/Notify.ts')).toHaveLength(1);
    expect(JSON.parse(service.describeExecution(due.executionArn).output ?? '')).toEqual({
      outcomeId: 'o-1',
      calculation: { paymentId: 'p-1' },
      notification: { published: true },
    });
    expect(JSON.parse(service.describeExecution(none.executionArn).output ?? '')).toEqual({
      outcomeId: 'o-2',
      calculation: { paymentId: null },
    });
  });
});
