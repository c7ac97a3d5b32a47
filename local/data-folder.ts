import {
  appendFileSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { LocalSnsMessage } from './contracts.ts';

/**
 * Where `npm start` keeps what must survive a restart: DynamoDB Local's database file, the local user pool, the
 * local clock, the finance inbox, the state of every workflow execution and how far each stream has been
 * delivered. Everything else (synthesized template, handler modules) is rebuilt at start-up.
 *
 * Files that change as a whole (clock, stream positions) are replaced atomically (write, then rename), so a crash
 * leaves the old or the new version. Files that grow (inbox, executions) are append-only journals of JSON lines:
 * a crash can tear only the last line, which is then skipped when read back. Every line is validated on the way
 * in, like any other boundary.
 */

const clockSchema = z.object({
  /** Negative when the clock was begun at a past date (`npm start -- --fresh --date 2019-01-07`). */
  offsetMs: z.number().int(),
  /** The local time when it was saved: the clock never goes back behind it, even if the wall clock does. */
  localNow: z.number().int().nonnegative().optional(),
});
const streamPositionsSchema = z.record(z.string(), z.string().regex(/^\d+$/));
const inboxMessageSchema = z.object({
  messageId: z.string(),
  topicArn: z.string(),
  subject: z.string().optional(),
  message: z.string(),
  messageAttributes: z.record(z.string(), z.string()).optional(),
  publishedAt: z.string(),
});

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
const jsonSchema: z.ZodType<Json> = z.lazy(() =>
  z.union([
    z.null(),
    z.boolean(),
    z.number(),
    z.string(),
    z.array(jsonSchema),
    z.record(z.string(), jsonSchema),
  ]),
);
const isoDate = z.iso.datetime({ offset: true });

/** One workflow execution as the local Step Functions service needs it to carry on after a restart. */
export const persistedExecutionSchema = z.object({
  executionArn: z.string(),
  stateMachineArn: z.string(),
  name: z.string(),
  status: z.enum(['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED']),
  startDate: isoDate,
  stopDate: isoDate.optional(),
  input: z.string(),
  output: z.string().optional(),
  error: z.string().optional(),
  cause: z.string().optional(),
  context: z.record(z.string(), jsonSchema),
  deadline: isoDate.optional(),
  /** Where a running execution waits on a timer; absent while it runs between two Wait states. */
  parked: z
    .object({
      stateName: z.string(),
      next: z.string().optional(),
      output: jsonSchema,
      target: isoDate,
    })
    .optional(),
});
export type PersistedExecution = z.infer<typeof persistedExecutionSchema>;

export interface DataFolder {
  readonly directory: string;
  /** DynamoDB Local's `-dbPath`. */
  readonly dynamoDbPath: string;
  /** The local user pool's files. */
  readonly cognitoPath: string;
  /**
   * Nothing from an earlier run was found (a new folder, or one `fresh` emptied): the runtime may begin its
   * clock at any date. A folder that holds data but no saved clock ran at real time (offset 0).
   */
  readonly empty: boolean;
  readonly clock: { offsetMs(): number; save(offsetMs: number): void };
  readonly inbox: { load(): LocalSnsMessage[]; append(message: LocalSnsMessage): void };
  readonly executions: { load(): PersistedExecution[]; save(execution: PersistedExecution): void };
  /** The last stream record delivered, per stream and shard: where delivery resumes after a restart. */
  readonly streams: { position(key: string): string | undefined; save(key: string, sequence: string): void };
  /** Releases the folder's lock. */
  close(): void;
}

export interface OpenDataFolderOptions {
  /** Delete what an earlier run left and start empty (`npm start -- --fresh`). */
  fresh?: boolean;
  /** Told about lines that could not be read back (a torn last line after a crash). */
  log?: (line: string) => void;
}

/** Rewrite the executions journal once it holds this many times more lines than executions. */
const COMPACT_RATIO = 4;
const COMPACT_MIN_LINES = 10_000;

export function openDataFolder(directory: string, options: OpenDataFolderOptions = {}): DataFolder {
  const log = options.log ?? (() => {});
  const dir = path.resolve(directory);
  mkdirSync(dir, { recursive: true });
  // The lock first: `--fresh` must not empty a folder another npm start is using.
  const release = lock(dir);
  endOrphans(path.join(dir, 'dynamodb'));
  if (options.fresh) {
    for (const entry of readdirSync(dir)) {
      if (entry !== LOCK_FILE) rmSync(path.join(dir, entry), { recursive: true, force: true });
    }
  }
  const empty = !holdsFiles(dir);
  const files = {
    clock: path.join(dir, 'clock.json'),
    streams: path.join(dir, 'stream-positions.json'),
    inbox: path.join(dir, 'inbox.jsonl'),
    executions: path.join(dir, 'executions.jsonl'),
  };
  const dynamoDbPath = path.join(dir, 'dynamodb');
  const cognitoPath = path.join(dir, 'cognito');
  mkdirSync(dynamoDbPath, { recursive: true });
  mkdirSync(cognitoPath, { recursive: true });

  const savedClock = readJson(files.clock, clockSchema, log);
  // Real time has moved on since the save, and the clock with it; but never back behind the local time it saved
  // (the wall clock may have been set back meanwhile). Both hold for a negative offset too.
  let offsetMs = savedClock
    ? Math.max(savedClock.offsetMs, (savedClock.localNow ?? Number.NEGATIVE_INFINITY) - Date.now())
    : 0;
  const positions = new Map(Object.entries(readJson(files.streams, streamPositionsSchema, log) ?? {}));

  const executions = new Map<string, PersistedExecution>();
  let journalLines = 0;
  for (const execution of readLines(files.executions, persistedExecutionSchema, log)) {
    executions.set(execution.executionArn, execution);
    journalLines++;
  }
  // The journal is read once here; starting from a compact copy keeps the next start fast.
  compactExecutions();
  // A line torn by a crash would swallow the next message appended to it: start from the readable ones.
  const inbox = readLines(files.inbox, inboxMessageSchema, log);
  replaceFile(files.inbox, inbox.map((message) => `${JSON.stringify(message)}\n`).join(''));

  function compactExecutions(): void {
    replaceFile(files.executions, [...executions.values()].map((e) => `${JSON.stringify(e)}\n`).join(''));
    journalLines = executions.size;
  }

  return {
    directory: dir,
    dynamoDbPath,
    cognitoPath,
    empty,
    clock: {
      offsetMs: () => offsetMs,
      save(next) {
        offsetMs = next;
        replaceFile(files.clock, JSON.stringify({ offsetMs, localNow: Date.now() + offsetMs }));
      },
    },
    inbox: {
      load: () => [...inbox],
      append: (message) => appendFileSync(files.inbox, `${JSON.stringify(message)}\n`),
    },
    executions: {
      load: () => [...executions.values()],
      save(execution) {
        executions.set(execution.executionArn, execution);
        appendFileSync(files.executions, `${JSON.stringify(execution)}\n`);
        journalLines++;
        if (journalLines > Math.max(COMPACT_MIN_LINES, COMPACT_RATIO * executions.size)) compactExecutions();
      },
    },
    streams: {
      position: (key) => positions.get(key),
      save(key, sequence) {
        if (positions.get(key) === sequence) return;
        positions.set(key, sequence);
        replaceFile(files.streams, JSON.stringify(Object.fromEntries(positions)));
      },
    },
    close: release,
  };
}

const LOCK_FILE = 'lock';

/**
 * One `npm start` per folder: two processes appending to the same journals and sharing one database file would
 * corrupt both. The lock file is created exclusively (two starts at the same moment: one wins); a lock left by a
 * process that no longer runs (a crash, kill -9) is taken over. Released only by its holder.
 */
function lock(dir: string): () => void {
  const file = path.join(dir, LOCK_FILE);
  const mine = String(process.pid);
  const release = () => {
    if (readText(file) === mine) rmSync(file, { force: true });
  };
  for (let attempt = 1; attempt <= 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, mine);
      closeSync(fd);
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = Number(readText(file));
    if (holder === process.pid) return release;
    if (Number.isInteger(holder) && holder > 0 && isRunning(holder)) {
      throw new Error(
        `${dir} is in use by process ${holder}: stop that npm start first, or start this one with another DATA_DIR`,
      );
    }
    rmSync(file, { force: true });
  }
  throw new Error(`${dir}: another npm start took the folder at the same moment`);
}

/**
 * A DynamoDB Local still running on this folder's database while we hold the lock belongs to a run that was killed
 * (its watchdog ends it within a second or so); it must be gone before ours opens the same file. Found by its
 * command line, so a reused process id is never hit. Linux only (/proc); elsewhere the watchdog has to do.
 */
function endOrphans(dbPath: string): void {
  if (!existsSync('/proc')) return;
  const orphans = readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry) && Number(entry) !== process.pid)
    .filter((pid) => {
      const commandLine = readText(`/proc/${pid}/cmdline`)?.split('\0') ?? [];
      const at = commandLine.indexOf('-dbPath');
      return at >= 0 && commandLine[at + 1] === dbPath;
    })
    .map(Number);
  for (const pid of orphans) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Gone meanwhile.
    }
  }
  const deadline = Date.now() + 5_000;
  while (orphans.some(isRunning) && Date.now() < deadline) Atomics.wait(SLEEP, 0, 0, 50);
}

const SLEEP = new Int32Array(new SharedArrayBuffer(4));

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, run by someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Any file, at any depth, but the lock: empty directories (a start that failed early) hold nothing. */
function holdsFiles(dir: string, lockFile = path.join(dir, LOCK_FILE)): boolean {
  return readdirSync(dir, { withFileTypes: true }).some((entry) => {
    const entryPath = path.join(dir, entry.name);
    return entry.isDirectory() ? holdsFiles(entryPath, lockFile) : entryPath !== lockFile;
  });
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    // ESRCH/EACCES: a /proc entry of a process that ended or is not ours to read.
    if (['ENOENT', 'ESRCH', 'EACCES'].includes((error as NodeJS.ErrnoException).code ?? '')) return undefined;
    throw error;
  }
}

function readJson<T>(file: string, schema: z.ZodType<T>, log: (line: string) => void): T | undefined {
  const text = readText(file);
  if (text === undefined) return undefined;
  const parsed = schema.safeParse(parseJson(text));
  if (parsed.success) return parsed.data;
  log(`${path.basename(file)} could not be read and is ignored: ${parsed.error.issues[0]?.message ?? ''}`);
  return undefined;
}

function readLines<T>(file: string, schema: z.ZodType<T>, log: (line: string) => void): T[] {
  const text = readText(file);
  if (!text) return [];
  const items: T[] = [];
  let skipped = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const parsed = schema.safeParse(parseJson(line));
    if (parsed.success) items.push(parsed.data);
    else skipped++;
  }
  if (skipped > 0)
    log(`${path.basename(file)}: ${skipped} unreadable line(s) skipped (a write torn by a crash)`);
  return items;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Write beside, flush, rename over: readers see the old file or the new one, never half of one. */
function replaceFile(file: string, contents: string): void {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, contents, { flush: true });
  renameSync(temporary, file);
}
