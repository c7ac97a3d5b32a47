import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { roleGroups } from '#domain/access';
import { danishDate, type IsoDate, isIsoDate, sameDanishTimeDaysLater } from '#domain/dates';
import { clock } from '#shared/clock';
import { createLocalApi, type LocalRouteResult } from './api-gateway.ts';
import { startLocalAwsEndpoint } from './aws-endpoint.ts';
import { type LocalCognito, startLocalCognito } from './cognito.ts';
import type { ExecutionDescription, LocalSnsMessage } from './contracts.ts';
import { type DataFolder, openDataFolder } from './data-folder.ts';
import { DEMO_PASSWORD, type DemoUser, demoUsers } from './demo-users.ts';
import { createTablesFromTemplate, startDynamoDbLocal } from './dynamodb.ts';
import {
  FaultInjector,
  type FaultPlan,
  redeliveringHandler,
  snsPublishFault,
  startDynamoDbFaultProxy,
} from './faults.ts';
import { LocalLambdas } from './lambdas.ts';
import { LocalStepFunctionsService } from './step-functions.ts';
import { checkFilterPatterns } from './stream-filters.ts';
import { createStreamPoller, type StreamHandlerResult, type StreamPoller } from './streams.ts';
import { describeLocalResources, LOCAL_ACCOUNT, LOCAL_REGION, synthesizeLocalTemplate } from './template.ts';

/**
 * The whole system on one machine: the CDK app synthesized in-process, its tables in DynamoDB Local, its state
 * machines run by aws-local-stepfunctions, its stream consumers fed by a poller, its API served over HTTP,
 * and every Lambda the same handler module that is deployed. Only the plumbing lives here.
 */
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Fast-forward refuses more than this in one call: a pathway is 18 months, so this is plenty. */
const MAX_ADVANCE_DAYS = 3 * 366;
const STREAM_POLL_MS = 100;

export interface LocalRuntimeOptions {
  /** 0 picks a free port (tests). */
  port: number;
  log?: (line: string) => void;
  /** Overrides the handlers' LOG_LEVEL from the template (tests keep their output quiet). */
  handlerLogLevel?: string;
  /** Faults to inject (local/faults.ts); with a plan, even an empty one, `runtime.faults` can change it later. */
  faults?: FaultPlan;
  /**
   * Keep the system's state in this folder and carry on from it at the next start (`npm start`); without it
   * everything is in memory and gone at `stop` (tests, the simulation).
   */
  dataDir?: string;
  /** Empty `dataDir` first. */
  fresh?: boolean;
  /**
   * The Danish calendar date (YYYY-MM-DD) the local clock begins on, e.g. a 2019 cohort's referral date; it may be
   * in the past. Only on an empty system: in memory, or a `dataDir` that is new or `fresh`. A data folder whose
   * clock is already past that date is refused (`StartDateRefused`); one whose clock is before it is moved on.
   */
  startDate?: IsoDate;
}

/** The data folder's clock is past the requested start date: the clock never goes back under stored data. */
export class StartDateRefused extends Error {
  constructor(
    readonly startDate: IsoDate,
    readonly savedDate: IsoDate,
    readonly directory: string,
  ) {
    super(
      `${directory} holds data up to ${savedDate}; its clock cannot start again on ${startDate} (use fresh to empty it)`,
    );
    this.name = 'StartDateRefused';
  }
}

/**
 * A start date begins at 09:00 in Copenhagen, not at the wall-clock time of the start: runs from the same date
 * then carry the same timestamps (reproducible), and a run has 15 hours before its first Danish midnight, so a
 * test or demo begun late in the evening does not find its referral date turned into the next day under it.
 */
const START_HOUR = 9;

/** The instant of `START_HOUR`:00 in Copenhagen on `date` (UTC+1 in winter, UTC+2 in summer). */
export function danishStartOf(date: IsoDate): Date {
  if (!isIsoDate(date)) throw new RangeError(`Not a calendar date: ${date}`);
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  for (const hoursAhead of [1, 2]) {
    const candidate = new Date(Date.UTC(y, m - 1, d, START_HOUR - hoursAhead));
    if (copenhagenHour(candidate) === START_HOUR && danishDate(candidate) === date) return candidate;
  }
  throw new RangeError(`No ${START_HOUR}:00 in Copenhagen found on ${date}`);
}

function copenhagenHour(instant: Date): number {
  const hour = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/Copenhagen',
    hour: '2-digit',
    hourCycle: 'h23',
  }).format(instant);
  return Number(hour);
}

/**
 * Sets the process's local clock for a system about to start: on the data folder's saved clock when it holds
 * data, then on `startDate` if one is asked for (see `LocalRuntimeOptions.startDate`), and saves it in the folder
 * so that a restart resumes it. Throws `StartDateRefused` before anything has been started.
 */
export function startLocalClock(data: DataFolder | undefined, startDate?: IsoDate): void {
  // The local clock goes on from where the last run left it (real time has moved on meanwhile, and so has it).
  // Set, not advanced: a clock begun in 2019 is behind real time, so the process's clock must go back to it.
  // A folder that holds data but never saved a clock ran at real time (offset 0).
  if (data && !data.empty) clock.startAt(new Date(Date.now() + data.clock.offsetMs()));
  if (startDate !== undefined) {
    const start = danishStartOf(startDate);
    if (data && !data.empty) {
      const savedDate = danishDate(clock.now());
      if (savedDate > startDate) throw new StartDateRefused(startDate, savedDate, data.directory);
      // Later than the saved clock: like real time passing while stopped; the timers due meanwhile fire at start.
      clock.advance(Math.max(0, start.getTime() - clock.now().getTime()));
    } else {
      clock.startAt(start);
    }
  }
  data?.clock.save(clock.offsetMs());
}

export interface LocalRuntime {
  url: string;
  /** The local Cognito endpoint (`AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER`), when the template has a user pool. */
  cognitoEndpoint: string | undefined;
  /** The users seeded at start-up, all with `DEMO_PASSWORD`. */
  demoUsers: readonly DemoUser[];
  /** Adds a user to the local user pool: its role's group, its municipality, a permanent password. */
  addUser(user: DemoUser & { password?: string }): Promise<void>;
  /** Signs in through the Cognito API (`USER_PASSWORD_AUTH`) and returns the ID token, the session token. */
  signIn(username: string, password?: string): Promise<string>;
  inbox: readonly LocalSnsMessage[];
  /** The fault injector, when the runtime was started with a fault plan: its plan can be replaced, its counts read. */
  faults: FaultInjector | undefined;
  executions(): ExecutionDescription[];
  /** Moves the clock on, firing each due timer at its own time, and resolves when all effects are stored. */
  advanceClock(days: number): Promise<Date>;
  /** Resolves when nothing is running and every stream record has been delivered. */
  settle(): Promise<void>;
  /** Projects every pathway's summary again (the projector's `{ rebuild: true }`): `{ checked, changed }`. */
  rebuildViews(): Promise<unknown>;
  stop(): Promise<void>;
}

export async function startLocalRuntime(options: LocalRuntimeOptions): Promise<LocalRuntime> {
  const log = options.log ?? ((line: string) => console.log(line));
  const data = options.dataDir ? openDataFolder(options.dataDir, { fresh: options.fresh, log }) : undefined;
  try {
    startLocalClock(data, options.startDate);
  } catch (error) {
    // Refused before anything ran: the folder is left as it was, and free for the next start.
    data?.close();
    throw error;
  }
  // Java's start-up and CDK synthesis are the two slow steps; neither needs the other.
  const [template, dynamoDb] = await Promise.all([
    synthesizeLocalTemplate(),
    startDynamoDbLocal({ log, dbPath: data?.dynamoDbPath }),
  ]);
  const resources = describeLocalResources(template);
  const cognito: LocalCognito | undefined =
    Object.keys(resources.userPools).length > 0
      ? await startLocalCognito({
          region: LOCAL_REGION,
          userPools: Object.values(resources.userPools),
          clients: Object.values(resources.userPoolClients),
          groups: resources.userPoolGroups,
          log,
          dataDirectory: data?.cognitoPath,
        })
      : undefined;

  const inbox: LocalSnsMessage[] = data?.inbox.load() ?? [];
  const failures: string[] = [];
  const faults = options.faults ? new FaultInjector(options.faults) : undefined;
  // The handlers reach DynamoDB through the fault proxy; the runtime's own clients (tables, streams) do not.
  const dynamoProxy = faults ? await startDynamoDbFaultProxy(dynamoDb.endpoint, faults) : undefined;
  const lambdas = new LocalLambdas(resources.functions, repoRoot, faults);

  const stepFunctions = new LocalStepFunctionsService({
    stateMachines: resources.stateMachines,
    invokeLambda: (arn, payload) => lambdas.invoke(arn, payload),
    persist: data ? (execution) => data.executions.save(execution) : undefined,
    onExecutionFailed: (execution) => {
      failures.push(execution.executionArn);
      log(
        `Execution ${execution.name} ${execution.status}: ${execution.error ?? ''} ${execution.cause ?? ''}`,
      );
    },
  });
  const endpoint = await startLocalAwsEndpoint({
    stepFunctions,
    failPublish: faults ? snsPublishFault(faults) : undefined,
    onPublish: (message) => {
      inbox.push(message);
      data?.inbox.append(message);
      log(
        `\n📨 ${message.topicArn.split(':').at(-1) ?? 'SNS'} (${message.subject ?? 'no subject'}):\n${message.message}\n`,
      );
    },
    now: () => clock.now(),
    onInternalError: (error, operation) => log(`Local AWS endpoint failed in ${operation}: ${String(error)}`),
  });

  // The handlers' SDK clients find the local services through the SDK's own endpoint variables.
  Object.assign(process.env, {
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID ?? 'local',
    AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY ?? 'local',
    AWS_ENDPOINT_URL_DYNAMODB: dynamoProxy?.url ?? dynamoDb.endpoint,
    AWS_ENDPOINT_URL_DYNAMODB_STREAMS: dynamoDb.endpoint,
    AWS_ENDPOINT_URL_SFN: endpoint.url,
    AWS_ENDPOINT_URL_SNS: endpoint.url,
    AWS_ENDPOINT_URL_KMS: endpoint.url,
    ...(cognito ? { AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: cognito.endpoint } : {}),
    ...lambdas.environment(),
    ...(options.handlerLogLevel ? { LOG_LEVEL: options.handlerLogLevel } : {}),
  });

  const dynamoClient = new DynamoDBClient({ endpoint: dynamoDb.endpoint, region: LOCAL_REGION });
  const tableNames = new Map(Object.values(resources.tables).map((t) => [t.logicalId, t.tableName]));
  const created = await createTablesFromTemplate(dynamoClient, template, tableNames, log);
  dynamoDb.onRestarted(() => createTablesFromTemplate(dynamoClient, template, tableNames, log));

  // Executions carry on where they were: waiting on their timers, or run again from their last Wait state. One
  // that was between two Wait states is saved as parked at the first with its target passed, so it goes on now,
  // like every timer that fell due while the system was stopped.
  if (data) {
    const saved = data.executions.load();
    const rerun = stepFunctions.restore(saved, log);
    const running = stepFunctions.list().filter((execution) => execution.status === 'RUNNING').length;
    const due = await stepFunctions.fireDueTimers();
    await stepFunctions.settled();
    if (saved.length > 0) {
      log(
        `Picked up ${data.directory}: ${running} running workflow(s); ${rerun} run again from their start, ${due} went on from a timer that fell due`,
      );
    }
  }

  const streamsClient = new DynamoDBStreamsClient({ endpoint: dynamoDb.endpoint, region: LOCAL_REGION });
  const pollers: StreamPoller[] = [];
  for (const mapping of resources.eventSourceMappings) {
    const table = mapping.tableLogicalId ? created.get(mapping.tableLogicalId) : undefined;
    if (!table?.streamArn || !mapping.enabled) continue;
    const consume = (event: DynamoDBStreamEvent) =>
      lambdas.invoke(mapping.functionLogicalId, event) as Promise<StreamHandlerResult>;
    pollers.push(
      createStreamPoller({
        client: streamsClient,
        streamArn: table.streamArn,
        batchSize: mapping.batchSize ?? 100,
        filters: checkFilterPatterns(mapping.filterPatterns, mapping.functionLogicalId),
        retryAttempts: mapping.maximumRetryAttempts,
        // Per consumer, as Lambda keeps a checkpoint per event source mapping.
        positions: data && {
          position: (key) => data.streams.position(`${mapping.functionLogicalId}@${key}`),
          save: (key, sequence) => data.streams.save(`${mapping.functionLogicalId}@${key}`, sequence),
        },
        handler: faults ? redeliveringHandler(faults, mapping.functionLogicalId, consume) : consume,
        onError: (error) => log(`Stream delivery to ${mapping.functionLogicalId} failed: ${String(error)}`),
        onRecovered: (failedPolls) =>
          log(
            `Stream delivery to ${mapping.functionLogicalId} works again after ${failedPolls} failed polls`,
          ),
      }),
    );
  }

  // The reconciler, found like any function by its entry: it starts what the table says should run and does not
  // (after a restart, every timer), so it runs once before the API answers, and on POST /_local/reconcile.
  const reconciler = Object.values(resources.functions).find(
    (fn) => fn.entry === 'functions/ops/reconcile.ts',
  );
  async function reconcile(): Promise<unknown> {
    if (!reconciler) throw new Error('The template has no reconciler function');
    const summary = await lambdas.invoke(reconciler.logicalId, { source: 'local' });
    await settle();
    return summary;
  }

  // The projector keeps the lists' summaries from the stream; at start-up it also projects every pathway once, so
  // a data folder made before it existed (or a summary that missed a record) is whole before the API answers.
  const projector = Object.values(resources.functions).find(
    (fn) => fn.entry === 'functions/events/project-views.ts',
  );
  async function rebuildViews(): Promise<unknown> {
    if (!projector) throw new Error('The template has no projector function');
    const summary = await lambdas.invoke(projector.logicalId, { rebuild: true });
    await settle();
    return summary;
  }

  /** Until a whole round finds no stream record and no due timer, something may still cause something. */
  async function settle(): Promise<void> {
    for (;;) {
      await stepFunctions.settled();
      let delivered = 0;
      for (const poller of pollers) delivered += await poller.pollOnce();
      const fired = await stepFunctions.fireDueTimers();
      await stepFunctions.settled();
      if (delivered === 0 && fired === 0) return;
    }
  }

  /** Moves the local clock to `target` (never back) and keeps the new offset, so a restart starts from it. */
  function moveClock(target: number): void {
    clock.advance(Math.max(0, target - clock.now().getTime()));
    data?.clock.save(clock.offsetMs());
  }

  async function advanceClock(days: number): Promise<Date> {
    // Calendar days in Copenhagen, not 24-hour steps (domain/dates.ts).
    const target = Math.max(clock.now().getTime(), sameDanishTimeDaysLater(clock.now(), days).getTime());
    await settle();
    // Each timer fires at its own time, so what it records carries that date, not the end of the jump.
    for (
      let due = stepFunctions.nextTimerDue();
      due && due.getTime() <= target;
      due = stepFunctions.nextTimerDue()
    ) {
      moveClock(due.getTime());
      await settle();
    }
    moveClock(target);
    await settle();
    return clock.now();
  }

  async function localRoute(request: {
    method: string;
    path: string;
    body: string;
  }): Promise<LocalRouteResult | undefined> {
    if (request.path === '/_local/inbox' && request.method === 'GET') return { statusCode: 200, body: inbox };
    if (request.path === '/_local/executions' && request.method === 'GET')
      return { statusCode: 200, body: stepFunctions.list() };
    if (request.path === '/_local/reconcile' && request.method === 'POST')
      return { statusCode: 200, body: await reconcile() };
    if (request.path === '/_local/rebuild-views' && request.method === 'POST')
      return { statusCode: 200, body: await rebuildViews() };
    if (request.path === '/_local/clock' && request.method === 'GET')
      return { statusCode: 200, body: { now: clock.now().toISOString() } };
    if (request.path === '/_local/clock' && request.method === 'POST') {
      let days: unknown;
      try {
        days = (JSON.parse(request.body || '{}') as { advanceDays?: unknown }).advanceDays;
      } catch {
        return {
          statusCode: 400,
          body: { errors: [{ field: 'body', message: 'Indholdet er ikke gyldig JSON' }] },
        };
      }
      if (typeof days !== 'number' || !Number.isInteger(days) || days < 0 || days > MAX_ADVANCE_DAYS) {
        return {
          statusCode: 400,
          body: {
            errors: [
              {
                field: 'advanceDays',
                message: `advanceDays skal være et helt tal fra 0 til ${MAX_ADVANCE_DAYS}`,
              },
            ],
          },
        };
      }
      const now = await advanceClock(days);
      return { statusCode: 200, body: { now: now.toISOString() } };
    }
    return undefined;
  }

  async function addUser(user: DemoUser & { password?: string }): Promise<void> {
    if (!cognito) throw new Error('The template has no user pool');
    await cognito.addUser({
      username: user.username,
      password: user.password ?? DEMO_PASSWORD,
      groups: [roleGroups[user.role]],
      attributes: {
        ...(user.municipality ? { 'custom:municipality': user.municipality } : {}),
        ...(user.company ? { 'custom:company': user.company } : {}),
      },
    });
  }
  for (const user of cognito ? demoUsers : []) await addUser(user);

  if (reconciler) await reconcile();
  if (projector) await rebuildViews();

  const server = createLocalApi({
    methods: resources.apiMethods,
    authorizers: resources.apiAuthorizers,
    gatewayResponses: resources.gatewayResponses,
    stages: resources.apiStages,
    region: LOCAL_REGION,
    account: LOCAL_ACCOUNT,
    invoke: (logicalId, event) => lambdas.invoke(logicalId, event),
    localRoute,
    onError: (error) => log(`Request failed: ${String(error)}`),
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  for (const poller of pollers) poller.start(STREAM_POLL_MS);

  return {
    url: `http://localhost:${port}`,
    cognitoEndpoint: cognito?.endpoint,
    demoUsers: cognito ? demoUsers : [],
    addUser,
    async signIn(username, password = DEMO_PASSWORD) {
      if (!cognito) throw new Error('The template has no user pool');
      const tokens = await cognito.signIn(username, password);
      if (!tokens.IdToken) throw new Error(`Signing in ${username} gave no ID token`);
      return tokens.IdToken;
    },
    inbox,
    faults,
    executions: () => stepFunctions.list(),
    advanceClock,
    settle,
    rebuildViews,
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections?.();
      for (const poller of pollers) await poller.stop();
      await stepFunctions.settled();
      await endpoint.close();
      await cognito?.close();
      await dynamoProxy?.close();
      await dynamoDb.stop();
      data?.close();
    },
  };
}
