/**
 * Step Functions on one machine: runs the state machine definitions CDK synthesized with `aws-local-stepfunctions`,
 * calls the handler modules for Lambda tasks, and keeps Wait states on the local (fast-forwardable) clock.
 *
 * How a Wait state follows the local clock. The library sleeps in a Wait with `setTimeout` against wall time,
 * so every top-level Wait state gets a `waitTimeOverrides` entry that would sleep for the longest timer Node
 * allows. The execution's event log is watched; when it reports `StateEntered` for a Wait state, that run is
 * aborted at once (the sleep never fires) and the execution is parked with the Wait state's input. The target
 * time is computed from the Wait state's own field (`Seconds`, `Timestamp`, `SecondsPath`, `TimestampPath`,
 * after its `InputPath`) against the local clock; paths and the Wait's `OutputPath` are evaluated by running a
 * one-state Pass machine through the library, so JSONPath semantics stay the library's. When the local clock
 * reaches the target (`fireDueTimers`), the same definition runs again with only `StartAt` moved to the Wait
 * state's `Next` and the Wait state's output as input (a Wait with `End` succeeds with that output). The
 * execution record (ARN, name, start date, status, context object) is the same across these runs.
 *
 * Definition changes made before running, all to keep AWS semantics the library does not have:
 * - `TimeoutSeconds` (execution) is enforced against the local clock here: the library's wall-clock
 *   `setTimeout` would overflow for anything over 24.8 days and fire at once.
 * - A Task's `TimeoutSeconds` is capped at that same 24.8 days for the same reason.
 * - `$$.Execution…` paths read an alias of the context object, because the library replaces
 *   `$$.Execution.Input`/`StartTime` with the run's input and the wall-clock time on every run (and inside Map
 *   iterations), which after a resume would be the Wait state's output and a real-time date.
 */
import { randomUUID } from 'node:crypto';
import {
  ExecutionAbortedError,
  ExecutionError,
  type RunOptions,
  StateMachine,
  type StateMachineDefinition,
} from 'aws-local-stepfunctions';
import { clock } from '#shared/clock';
import {
  type ExecutionDescription,
  LocalServiceError,
  type LocalStepFunctions,
  type StartExecutionRequest,
} from './contracts.ts';
import type { PersistedExecution } from './data-folder.ts';
import type { LocalStateMachine, StateMachineDefinitionJson } from './template.ts';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export interface LocalStepFunctionsOptions {
  stateMachines: Record<string, LocalStateMachine> | LocalStateMachine[];
  /** Calls the handler module of the function with this ARN (a `function:<name>` ARN without qualifier). */
  invokeLambda(functionArn: string, payload: unknown): Promise<unknown>;
  /** Told about every execution that ends FAILED or TIMED_OUT; the runtime prints it. */
  onExecutionFailed?(execution: ExecutionDescription): void;
  /** Pause before each `Retry` attempt, instead of `IntervalSeconds` × `BackoffRate`. */
  retryIntervalMs?: number;
  /**
   * Told the execution's whole state whenever it starts, parks at a Wait state or closes (`npm start` keeps it in
   * its data folder), so that `restore` can carry on after a restart where the last one left off.
   */
  persist?(execution: PersistedExecution): void;
}

type Overrides = NonNullable<RunOptions['overrides']>;
type TaskHandler = NonNullable<Overrides['taskResourceLocalHandlers']>[string];
type EventLog = ReturnType<StateMachine['run']>['eventLogs'] extends AsyncGenerator<infer E> ? E : never;
type State = Record<string, unknown>;

/** The longest delay `setTimeout` takes; longer ones fire after 1 ms. */
const MAX_TIMER_MS = 2_147_483_647;
const EXECUTION_ALIAS = 'LocalExecution';
const DEFAULT_RETRY_INTERVAL_MS = 5;
const RFC3339 =
  /^\d{4}-(0[1-9]|1[012])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):([0-5][0-9]):([0-5][0-9])(\.\d+)?(Z|(\+|-)([01][0-9]|2[0-3]):([0-5][0-9]))$/;

/** How a Task state's resource is run locally, decided once from the definition. */
type TaskKind =
  | 'lambda-function'
  | 'lambda-invoke'
  | 'start-execution'
  | 'sdk-start-execution'
  | 'sdk-stop-execution';

interface LocalTask {
  kind: TaskKind;
  resource: string;
}

interface CompiledMachine {
  arn: string;
  name: string;
  region: string;
  account: string;
  definition: StateMachineDefinitionJson;
  timeoutSeconds: number | undefined;
  waitStates: Record<string, State>;
  tasks: Record<string, LocalTask>;
  retryingStates: string[];
  runners: Map<string, StateMachine>;
}

interface ParkedAt {
  stateName: string;
  /** Undefined when the Wait state ends the execution. */
  next: string | undefined;
  output: JsonValue;
  target: Date;
}

interface ActiveRun {
  abort(): void;
  /** Aborted because it reached a Wait state, to be resumed later. */
  parking: boolean;
  /** Aborted by `stopExecution`, or finished. */
  stopped: boolean;
}

interface Execution {
  description: ExecutionDescription;
  machine: CompiledMachine;
  context: Record<string, JsonValue>;
  deadline: Date | undefined;
  activeRun: ActiveRun | undefined;
  parked: ParkedAt | undefined;
}

/** Where a run stopped: at a Wait state, or finished/stopped (undefined). */
type SegmentEnd = { waitState: string; input: JsonValue } | undefined;

export class LocalStepFunctionsService implements LocalStepFunctions {
  private readonly machines = new Map<string, CompiledMachine>();
  private readonly executions = new Map<string, Execution>();
  private readonly active = new Set<Promise<void>>();
  private readonly invokeLambda: LocalStepFunctionsOptions['invokeLambda'];
  private readonly onExecutionFailed: LocalStepFunctionsOptions['onExecutionFailed'];
  private readonly retryIntervalMs: number;
  private readonly persistence: LocalStepFunctionsOptions['persist'];

  constructor(options: LocalStepFunctionsOptions) {
    this.invokeLambda = options.invokeLambda;
    this.persistence = options.persist;
    this.onExecutionFailed = options.onExecutionFailed;
    this.retryIntervalMs = options.retryIntervalMs ?? DEFAULT_RETRY_INTERVAL_MS;
    const machines = Array.isArray(options.stateMachines)
      ? options.stateMachines
      : Object.values(options.stateMachines);
    for (const machine of machines) this.machines.set(machine.arn, compileMachine(machine));
  }

  async startExecution(request: StartExecutionRequest): Promise<{ executionArn: string; startDate: Date }> {
    const machine = this.machines.get(request.stateMachineArn);
    if (!machine) {
      throw new LocalServiceError(
        'StateMachineDoesNotExist',
        `State Machine Does Not Exist: '${request.stateMachineArn}'`,
      );
    }
    const inputText = request.input ?? '{}';
    const input = parseExecutionInput(inputText);
    const name = request.name ?? randomUUID();
    assertValidName(name);
    const executionArn = executionArnOf(machine, name);
    const existing = this.executions.get(executionArn);
    if (existing) return sameOrConflict(existing, inputText);

    const execution = this.createExecution(machine, executionArn, name, inputText, input);
    this.executions.set(executionArn, execution);
    this.persist(execution);
    this.track(this.runFrom(execution, machine.definition.StartAt, input));
    return { executionArn, startDate: new Date(execution.description.startDate) };
  }

  async stopExecution(request: {
    executionArn: string;
    error?: string;
    cause?: string;
  }): Promise<{ stopDate: Date }> {
    const execution = this.mustFind(request.executionArn);
    const description = execution.description;
    // Stopping a closed execution changes nothing; it answers with the date it closed.
    if (description.status !== 'RUNNING') return { stopDate: new Date(description.stopDate ?? clock.now()) };
    const stopDate = clock.now();
    Object.assign(description, { status: 'ABORTED', stopDate, error: request.error, cause: request.cause });
    execution.parked = undefined;
    this.persist(execution);
    if (execution.activeRun) {
      execution.activeRun.stopped = true;
      execution.activeRun.abort();
    }
    return { stopDate: new Date(stopDate) };
  }

  describeExecution(executionArn: string): ExecutionDescription {
    return copyDescription(this.mustFind(executionArn).description);
  }

  list(): ExecutionDescription[] {
    return [...this.executions.values()]
      .map((execution) => copyDescription(execution.description))
      .sort((a, b) => a.startDate.getTime() - b.startDate.getTime());
  }

  /**
   * Takes back the executions an earlier process persisted, before anything else starts one: closed ones as
   * history (so their names stay taken, as on AWS), parked ones waiting for their timers as they were. One that
   * was running between two Wait states when the process ended runs again from its last Wait state's `Next`, or
   * from the start if it never parked: every task is idempotent, so repeating one is what a retry would do. An
   * execution of a state machine the template no longer has is reported and left out. Returns how many run again.
   */
  restore(executions: readonly PersistedExecution[], report: (line: string) => void = () => {}): number {
    let rerun = 0;
    for (const saved of executions) {
      const machine = this.machines.get(saved.stateMachineArn);
      if (!machine) {
        report(`Execution ${saved.name} is not restored: its state machine is no longer in the template`);
        continue;
      }
      if (this.executions.has(saved.executionArn)) continue;
      const execution = fromPersisted(saved, machine);
      this.executions.set(saved.executionArn, execution);
      if (execution.description.status === 'RUNNING' && !execution.parked) {
        rerun++;
        this.track(this.runFrom(execution, machine.definition.StartAt, parseExecutionInput(saved.input)));
      }
    }
    return rerun;
  }

  /** When the earliest parked execution is due (its Wait target, or its execution timeout if sooner). */
  nextTimerDue(): Date | undefined {
    const due = this.parkedExecutions().map(dueAt);
    return due.length > 0 ? new Date(Math.min(...due.map((date) => date.getTime()))) : undefined;
  }

  /**
   * Resumes every parked execution that is due by the local clock, earliest first, each until it parks again
   * or ends, so that effects happen in the order their timers fell due. Returns how many were resumed.
   */
  async fireDueTimers(): Promise<number> {
    const now = clock.now().getTime();
    const due = this.parkedExecutions()
      .filter((execution) => dueAt(execution).getTime() <= now)
      .sort((a, b) => dueAt(a).getTime() - dueAt(b).getTime());
    let resumed = 0;
    for (const execution of due) {
      // An earlier one may have stopped this one meanwhile.
      if (!execution.parked) continue;
      resumed++;
      await this.track(this.resume(execution));
    }
    return resumed;
  }

  /** Resolves once no execution is actively running: every one is parked at a Wait state or closed. */
  async settled(): Promise<void> {
    while (this.active.size > 0) await Promise.allSettled([...this.active]);
  }

  private createExecution(
    machine: CompiledMachine,
    executionArn: string,
    name: string,
    inputText: string,
    input: JsonValue,
  ): Execution {
    const startDate = clock.now();
    const executionContext: Record<string, JsonValue> = {
      Id: executionArn,
      Name: name,
      Input: input,
      StartTime: startDate.toISOString(),
      RoleArn: `arn:aws:iam::${machine.account}:role/${machine.name}Role`,
      RedriveCount: 0,
    };
    return {
      description: {
        executionArn,
        stateMachineArn: machine.arn,
        name,
        status: 'RUNNING',
        startDate,
        input: inputText,
      },
      machine,
      context: {
        Execution: executionContext,
        [EXECUTION_ALIAS]: executionContext,
        StateMachine: { Id: machine.arn, Name: machine.name },
      },
      deadline:
        machine.timeoutSeconds === undefined
          ? undefined
          : new Date(startDate.getTime() + machine.timeoutSeconds * 1000),
      activeRun: undefined,
      parked: undefined,
    };
  }

  private mustFind(executionArn: string): Execution {
    const execution = this.executions.get(executionArn);
    if (!execution) {
      throw new LocalServiceError('ExecutionDoesNotExist', `Execution Does Not Exist: '${executionArn}'`);
    }
    return execution;
  }

  private parkedExecutions(): Execution[] {
    return [...this.executions.values()].filter((execution) => execution.parked !== undefined);
  }

  /** Keeps `settled()` waiting for the promise; the promises tracked here never reject. */
  private track(work: Promise<void>): Promise<void> {
    const tracked: Promise<void> = work.finally(() => this.active.delete(tracked));
    this.active.add(tracked);
    return tracked;
  }

  private async resume(execution: Execution): Promise<void> {
    const parked = execution.parked;
    if (!parked) return;
    execution.parked = undefined;
    if (this.timedOut(execution)) return;
    if (parked.next === undefined) {
      this.close(execution, { status: 'SUCCEEDED', output: JSON.stringify(parked.output) });
      return;
    }
    await this.runFrom(execution, parked.next, parked.output);
  }

  /** Runs from `startAt` until the execution parks, closes or is stopped; a Wait already due continues at once. */
  private async runFrom(execution: Execution, startAt: string, input: JsonValue): Promise<void> {
    try {
      let from: { startAt: string; input: JsonValue } | undefined = { startAt, input };
      while (from && execution.description.status === 'RUNNING') {
        const end = await this.runSegment(execution, from.startAt, from.input);
        from = end ? await this.park(execution, end.waitState, end.input) : undefined;
      }
    } catch (error) {
      // Anything here is a bug of the local runtime, not of the workflow; still an execution failure, not a crash.
      this.close(execution, { status: 'FAILED', error: 'States.Runtime', cause: describeError(error) });
    }
  }

  private async runSegment(execution: Execution, startAt: string, input: JsonValue): Promise<SegmentEnd> {
    const machine = execution.machine;
    const activeRun: ActiveRun = { abort: () => undefined, parking: false, stopped: false };
    const run = runnerFor(machine, startAt).run(input, {
      overrides: this.overridesFor(machine, activeRun),
      context: execution.context,
    });
    activeRun.abort = run.abort;
    execution.activeRun = activeRun;
    const waitEntered = watchForWait(run.eventLogs, () => {
      activeRun.parking = true;
      run.abort();
    });
    try {
      const output = await run.result;
      this.close(execution, { status: 'SUCCEEDED', output: JSON.stringify(output) });
      return undefined;
    } catch (error) {
      if (error instanceof ExecutionAbortedError) return activeRun.parking ? await waitEntered : undefined;
      this.close(execution, failureOf(error));
      return undefined;
    } finally {
      activeRun.stopped = true;
      if (execution.activeRun === activeRun) execution.activeRun = undefined;
    }
  }

  /** Parks at a Wait state; returns where to continue at once when its target has already passed. */
  private async park(
    execution: Execution,
    stateName: string,
    input: JsonValue,
  ): Promise<{ startAt: string; input: JsonValue } | undefined> {
    const state = execution.machine.waitStates[stateName];
    if (!state) throw new Error(`${stateName} is not a top-level Wait state`);
    const evaluated = await evaluateWait(state, input, execution.context);
    if ('error' in evaluated) {
      this.close(execution, { status: 'FAILED', ...evaluated });
      return undefined;
    }
    if (execution.description.status !== 'RUNNING') return undefined;
    const next = typeof state.Next === 'string' ? state.Next : undefined;
    execution.parked = { stateName, next, output: evaluated.output, target: evaluated.target };
    if (dueAt(execution).getTime() > clock.now().getTime()) {
      this.persist(execution);
      return undefined;
    }
    execution.parked = undefined;
    if (this.timedOut(execution)) return undefined;
    if (next !== undefined) return { startAt: next, input: evaluated.output };
    this.close(execution, { status: 'SUCCEEDED', output: JSON.stringify(evaluated.output) });
    return undefined;
  }

  private timedOut(execution: Execution): boolean {
    if (!execution.deadline || execution.deadline.getTime() > clock.now().getTime()) return false;
    this.close(execution, {
      status: 'TIMED_OUT',
      error: 'States.Timeout',
      cause: `The execution ran longer than its TimeoutSeconds (${execution.machine.timeoutSeconds})`,
    });
    return true;
  }

  private close(
    execution: Execution,
    outcome: Pick<ExecutionDescription, 'status' | 'output' | 'error' | 'cause'>,
  ): void {
    const description = execution.description;
    // A stopped execution stays ABORTED whatever its last run did afterwards.
    if (description.status !== 'RUNNING') return;
    Object.assign(description, outcome, { stopDate: clock.now() });
    execution.parked = undefined;
    this.persist(execution);
    if (outcome.status === 'FAILED' || outcome.status === 'TIMED_OUT') this.reportFailure(description);
  }

  private persist(execution: Execution): void {
    if (!this.persistence) return;
    try {
      this.persistence(toPersisted(execution));
    } catch (error) {
      // A full disk must not fail a workflow; the reconciler re-arms what a lost state would have lost.
      this.reportFailure({
        ...copyDescription(execution.description),
        error: 'Local.PersistenceFailed',
        cause: describeError(error),
      });
    }
  }

  private reportFailure(description: ExecutionDescription): void {
    try {
      this.onExecutionFailed?.(copyDescription(description));
    } catch {
      // A failing reporter must not turn into an unhandled rejection inside an execution.
    }
  }

  private overridesFor(machine: CompiledMachine, activeRun: ActiveRun): Overrides {
    const taskResourceLocalHandlers: Record<string, TaskHandler> = {};
    for (const [stateName, task] of Object.entries(machine.tasks)) {
      const handler = this.taskHandler(task, machine);
      // The library retries a task once more when it is aborted during a Retry pause; a stopped run calls nothing.
      taskResourceLocalHandlers[stateName] = (input) => {
        if (activeRun.parking || activeRun.stopped) throw new LocalRuntimeError('The execution was stopped');
        return handler(input);
      };
    }
    return {
      taskResourceLocalHandlers,
      waitTimeOverrides: Object.fromEntries(
        Object.keys(machine.waitStates).map((name) => [name, MAX_TIMER_MS]),
      ),
      retryIntervalOverrides: Object.fromEntries(
        machine.retryingStates.map((name) => [name, this.retryIntervalMs]),
      ),
    };
  }

  private taskHandler(task: LocalTask, machine: CompiledMachine): TaskHandler {
    switch (task.kind) {
      case 'lambda-function':
        return (input) => this.callLambda(machine, task.resource, input);
      case 'lambda-invoke':
        return async (input) => {
          const parameters = asObject(input);
          const payload = await this.callLambda(machine, parameters.FunctionName, parameters.Payload ?? null);
          return lambdaInvokeResponse(payload);
        };
      case 'start-execution':
        return (input) => this.startFromTask(input, 'StepFunctions');
      case 'sdk-start-execution':
        return (input) => this.startFromTask(input, 'Sfn');
      case 'sdk-stop-execution':
        return (input) => this.stopFromTask(input);
    }
  }

  /** A plain function ARN task passes its whole input; `lambda:invoke` names the function in `FunctionName`. */
  private async callLambda(
    machine: CompiledMachine,
    functionName: unknown,
    payload: JsonValue,
  ): Promise<JsonValue> {
    const arn = functionArnOf(functionName, machine);
    try {
      return toJson(await this.invokeLambda(arn, toJson(payload)));
    } catch (error) {
      throw lambdaError(error);
    }
  }

  private async startFromTask(input: JsonValue, errorPrefix: string): Promise<JsonValue> {
    const parameters = asObject(input);
    const executionInput = parameters.Input;
    try {
      const started = await this.startExecution({
        stateMachineArn: String(parameters.StateMachineArn),
        name: typeof parameters.Name === 'string' ? parameters.Name : undefined,
        input:
          executionInput === undefined
            ? undefined
            : typeof executionInput === 'string'
              ? executionInput
              : JSON.stringify(executionInput),
      });
      return { ExecutionArn: started.executionArn, StartDate: started.startDate.toISOString() };
    } catch (error) {
      throw serviceTaskError(error, errorPrefix);
    }
  }

  private async stopFromTask(input: JsonValue): Promise<JsonValue> {
    const parameters = asObject(input);
    try {
      const stopped = await this.stopExecution({
        executionArn: String(parameters.ExecutionArn),
        error: typeof parameters.Error === 'string' ? parameters.Error : undefined,
        cause: typeof parameters.Cause === 'string' ? parameters.Cause : undefined,
      });
      return { StopDate: stopped.stopDate.toISOString() };
    } catch (error) {
      throw serviceTaskError(error, 'Sfn');
    }
  }
}

function compileMachine(machine: LocalStateMachine): CompiledMachine {
  const [, , , region = '', account = ''] = machine.arn.split(':');
  const { TimeoutSeconds, ...definition } = machine.definition;
  validateOnce(machine.definition);
  const tasks: Record<string, LocalTask> = {};
  const retryingStates: string[] = [];
  collectStates(machine.name, definition.States, tasks, retryingStates, true);
  const prepared = prepareDefinition(definition) as StateMachineDefinitionJson;
  return {
    arn: machine.arn,
    name: machine.name,
    region,
    account,
    definition: prepared,
    timeoutSeconds: typeof TimeoutSeconds === 'number' ? TimeoutSeconds : undefined,
    waitStates: Object.fromEntries(
      Object.entries(prepared.States).filter(([, state]) => state.Type === 'Wait'),
    ),
    tasks,
    retryingStates,
    runners: new Map(),
  };
}

/** Definitions already validated: asl-validator compiles its schema per call (a few hundred ms per machine). */
const validatedDefinitions = new Set<string>();

/** Validates the definition as synthesized; runs use derived copies (other StartAt, aliased paths) unvalidated. */
function validateOnce(definition: StateMachineDefinitionJson): void {
  const text = JSON.stringify(definition);
  if (validatedDefinitions.has(text)) return;
  new StateMachine(definition as unknown as StateMachineDefinition);
  validatedDefinitions.add(text);
}

/** Finds every Task (also inside Parallel and Map, whose runs share the overrides by state name). */
function collectStates(
  machineName: string,
  states: Record<string, State>,
  tasks: Record<string, LocalTask>,
  retryingStates: string[],
  topLevel: boolean,
): void {
  for (const [stateName, state] of Object.entries(states)) {
    const where = `State machine ${machineName}, state "${stateName}"`;
    if (Array.isArray(state.Retry)) retryingStates.push(stateName);
    if (state.Type === 'Wait' && !topLevel) {
      throw new Error(`${where}: a Wait inside Parallel or Map cannot be parked on the local clock`);
    }
    if (state.Type === 'Task') {
      const resource = String(state.Resource);
      const kind = taskKindOf(resource);
      if (!kind) throw new Error(`${where}: resource ${resource} has no local implementation`);
      if (tasks[stateName] && tasks[stateName].resource !== resource) {
        throw new Error(`${where}: two Task states of this name call different resources`);
      }
      tasks[stateName] = { kind, resource };
    }
    for (const nested of nestedMachines(state)) {
      collectStates(machineName, nested, tasks, retryingStates, false);
    }
  }
}

function nestedMachines(state: State): Record<string, State>[] {
  const branches = Array.isArray(state.Branches) ? state.Branches : [];
  const processors = [state.ItemProcessor, state.Iterator].filter((item) => item !== undefined);
  return [...branches, ...processors].map(
    (machine) => asRecord(asRecord(machine).States) as Record<string, State>,
  );
}

function taskKindOf(resource: string): TaskKind | undefined {
  if (/^arn:aws[\w-]*:lambda:[^:]+:\d+:function:[^:]+(:[^:]+)?$/.test(resource)) return 'lambda-function';
  const integration = /^arn:aws[\w-]*:states:::(.+)$/.exec(resource)?.[1];
  switch (integration) {
    case 'lambda:invoke':
      return 'lambda-invoke';
    case 'states:startExecution':
      return 'start-execution';
    case 'aws-sdk:sfn:startExecution':
      return 'sdk-start-execution';
    case 'aws-sdk:sfn:stopExecution':
      return 'sdk-stop-execution';
    default:
      return undefined;
  }
}

/** See the module comment: context paths read the alias, task timeouts fit into a Node timer. */
function prepareDefinition(value: unknown, key = ''): unknown {
  if (typeof value === 'string') {
    const isPath = key.endsWith('.$') || key.endsWith('Path') || key === 'Variable';
    return isPath ? value.replace(/\$\$\.Execution\b/g, `$$$$.${EXECUTION_ALIAS}`) : value;
  }
  if (Array.isArray(value)) return value.map((item) => prepareDefinition(item, key));
  if (typeof value !== 'object' || value === null) return value;
  const result: Record<string, unknown> = {};
  for (const [childKey, child] of Object.entries(value)) {
    const capped =
      childKey === 'TimeoutSeconds' && typeof child === 'number' ? Math.min(child, 2_147_483) : child;
    result[childKey] = prepareDefinition(capped, childKey);
  }
  return result;
}

function runnerFor(machine: CompiledMachine, startAt: string): StateMachine {
  let runner = machine.runners.get(startAt);
  if (!runner) {
    const definition = { ...machine.definition, StartAt: startAt } as unknown as StateMachineDefinition;
    runner = new StateMachine(definition, { validationOptions: { noValidate: true } });
    machine.runners.set(startAt, runner);
  }
  return runner;
}

async function watchForWait(events: AsyncGenerator<EventLog>, onWait: () => void): Promise<SegmentEnd> {
  try {
    for await (const event of events) {
      if (event.type === 'StateEntered' && event.state.type === 'Wait') {
        onWait();
        return { waitState: event.state.name, input: event.state.input as JsonValue };
      }
    }
  } catch {
    // The log only ends; nothing here may reject unobserved.
  }
  return undefined;
}

type WaitEvaluation = { target: Date; output: JsonValue } | { error: string; cause: string };

/** The Wait state's target on the local clock and its output, from the state's own fields. */
async function evaluateWait(
  state: State,
  input: JsonValue,
  context: Record<string, JsonValue>,
): Promise<WaitEvaluation> {
  try {
    const output = await probe({ InputPath: state.InputPath, OutputPath: state.OutputPath }, input, context);
    const target = await waitTarget(state, input, context);
    return { target, output };
  } catch (error) {
    return failureOf(error) as { error: string; cause: string };
  }
}

async function waitTarget(state: State, input: JsonValue, context: Record<string, JsonValue>): Promise<Date> {
  const now = clock.now().getTime();
  if (typeof state.Seconds === 'number') return new Date(now + state.Seconds * 1000);
  if (typeof state.Timestamp === 'string') return timestampOf(state.Timestamp, 'Timestamp');
  const path = typeof state.SecondsPath === 'string' ? state.SecondsPath : state.TimestampPath;
  if (typeof path !== 'string') {
    throw new LocalRuntimeError('The Wait state has no Seconds, Timestamp or path');
  }
  const value = asRecord(
    await probe({ InputPath: state.InputPath, Parameters: { 'value.$': path } }, input, context),
  ).value;
  if (typeof state.SecondsPath === 'string') {
    if (!Number.isInteger(value) || Number(value) < 0) {
      throw new LocalRuntimeError(`SecondsPath ${path} evaluated to ${JSON.stringify(value)}, not seconds`);
    }
    return new Date(now + Number(value) * 1000);
  }
  return timestampOf(value, `TimestampPath ${path}`);
}

function timestampOf(value: unknown, what: string): Date {
  if (typeof value !== 'string' || !RFC3339.test(value)) {
    throw new LocalRuntimeError(`${what} evaluated to ${JSON.stringify(value)}, not an RFC3339 timestamp`);
  }
  return new Date(value);
}

/** An ASL `States.Runtime` failure: the definition and the data do not fit together. */
class LocalRuntimeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'States.Runtime';
  }
}

/** Runs one Pass state through the library, so paths mean exactly what they mean in the real run. */
async function probe(
  fields: State,
  input: JsonValue,
  context: Record<string, JsonValue>,
): Promise<JsonValue> {
  const state = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
  const definition = { StartAt: 'Probe', States: { Probe: { Type: 'Pass', ...state, End: true } } };
  const machine = new StateMachine(definition as unknown as StateMachineDefinition, {
    validationOptions: { noValidate: true },
  });
  return (await machine.run(input, { context }).result) as JsonValue;
}

function failureOf(error: unknown): { status: 'FAILED'; error: string; cause: string } {
  // ExecutionError wraps the state's error: its name is the ASL error, its message the cause.
  const inner = error instanceof ExecutionError && error.cause instanceof Error ? error.cause : error;
  if (inner instanceof Error) return { status: 'FAILED', error: inner.name, cause: inner.message };
  return { status: 'FAILED', error: 'States.Runtime', cause: describeError(inner) };
}

/**
 * The library matches `Retry`/`Catch` on the thrown error's `name` and uses its `message` as `Cause`. Lambda on
 * AWS reports `errorType` (the error's name) as the ASL error and a JSON document as the cause.
 */
function lambdaError(error: unknown): Error {
  const errorType = error instanceof Error ? error.name : 'Error';
  const errorMessage = error instanceof Error ? error.message : String(error);
  const trace = error instanceof Error && error.stack ? error.stack.split('\n') : [];
  const wrapped = new Error(JSON.stringify({ errorType, errorMessage, trace }));
  wrapped.name = errorType;
  return wrapped;
}

/** Service integrations report `<Service>.<Code>Exception`, e.g. `StepFunctions.ExecutionAlreadyExistsException`. */
function serviceTaskError(error: unknown, prefix: string): Error {
  if (!(error instanceof LocalServiceError)) return error instanceof Error ? error : new Error(String(error));
  const code = error.code.endsWith('Exception') ? error.code : `${error.code}Exception`;
  const wrapped = new Error(error.message);
  wrapped.name = `${prefix}.${code}`;
  return wrapped;
}

function lambdaInvokeResponse(payload: JsonValue): JsonValue {
  const requestId = randomUUID();
  return {
    ExecutedVersion: '$LATEST',
    Payload: payload,
    SdkHttpMetadata: { HttpHeaders: { 'X-Amz-Request-Id': requestId }, HttpStatusCode: 200 },
    SdkResponseMetadata: { RequestId: requestId },
    StatusCode: 200,
  };
}

/** The handler's ARN: a name or a qualified ARN become the unqualified `function:<name>` ARN. */
function functionArnOf(functionName: unknown, machine: CompiledMachine): string {
  const text = String(functionName);
  const match = /^arn:aws[\w-]*:lambda:([^:]+):(\d+):function:([^:]+)/.exec(text);
  if (match) return `arn:aws:lambda:${match[1]}:${match[2]}:function:${match[3]}`;
  return `arn:aws:lambda:${machine.region}:${machine.account}:function:${text.split(':')[0]}`;
}

function executionArnOf(machine: CompiledMachine, name: string): string {
  return `arn:aws:states:${machine.region}:${machine.account}:execution:${machine.name}:${name}`;
}

function sameOrConflict(existing: Execution, inputText: string): { executionArn: string; startDate: Date } {
  const description = existing.description;
  if (description.status === 'RUNNING' && description.input === inputText) {
    return { executionArn: description.executionArn, startDate: new Date(description.startDate) };
  }
  throw new LocalServiceError(
    'ExecutionAlreadyExists',
    `Execution Already Exists: '${description.executionArn}'`,
  );
}

function parseExecutionInput(text: string): JsonValue {
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    throw new LocalServiceError('InvalidExecutionInput', `Invalid State Machine Execution Input: '${text}'`);
  }
}

/** AWS: 1–80 characters, no whitespace, brackets, wildcards, special or control characters. */
function assertValidName(name: string): void {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what AWS forbids.
  const forbidden = /[\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]/;
  if (name.length === 0 || name.length > 80 || forbidden.test(name)) {
    throw new LocalServiceError('InvalidName', `Invalid Name: '${name}'`);
  }
}

function dueAt(execution: Execution): Date {
  const target = execution.parked?.target ?? new Date(8.64e15);
  return execution.deadline && execution.deadline < target ? execution.deadline : target;
}

function toPersisted(execution: Execution): PersistedExecution {
  const { description, parked, deadline, context } = execution;
  return {
    executionArn: description.executionArn,
    stateMachineArn: description.stateMachineArn,
    name: description.name,
    status: description.status,
    startDate: new Date(description.startDate).toISOString(),
    stopDate: description.stopDate ? new Date(description.stopDate).toISOString() : undefined,
    input: description.input,
    output: description.output,
    error: description.error,
    cause: description.cause,
    context,
    deadline: deadline?.toISOString(),
    parked: parked && {
      stateName: parked.stateName,
      next: parked.next,
      output: parked.output,
      target: parked.target.toISOString(),
    },
  };
}

function fromPersisted(saved: PersistedExecution, machine: CompiledMachine): Execution {
  return {
    description: {
      executionArn: saved.executionArn,
      stateMachineArn: saved.stateMachineArn,
      name: saved.name,
      status: saved.status,
      startDate: new Date(saved.startDate),
      stopDate: saved.stopDate ? new Date(saved.stopDate) : undefined,
      input: saved.input,
      output: saved.output,
      error: saved.error,
      cause: saved.cause,
    },
    machine,
    context: saved.context,
    deadline: saved.deadline ? new Date(saved.deadline) : undefined,
    activeRun: undefined,
    parked: saved.parked && {
      stateName: saved.parked.stateName,
      next: saved.parked.next,
      output: saved.parked.output,
      target: new Date(saved.parked.target),
    },
  };
}

function copyDescription(description: ExecutionDescription): ExecutionDescription {
  return {
    ...description,
    startDate: new Date(description.startDate),
    stopDate: description.stopDate ? new Date(description.stopDate) : undefined,
  };
}

/** What a handler returns crosses Lambda as JSON: `undefined` becomes null, dates become strings. */
function toJson(value: unknown): JsonValue {
  return JSON.parse(JSON.stringify(value ?? null)) as JsonValue;
}

function asObject(value: JsonValue): { [key: string]: JsonValue } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new LocalRuntimeError(`Expected the task parameters to be an object, got ${JSON.stringify(value)}`);
  }
  return value;
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function describeError(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
