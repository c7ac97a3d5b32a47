import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

/**
 * Where the local user pool keeps its files: cognito-local's own data store (StormDB, one JSON file per pool), with
 * another file engine under it. StormDB's engine writes each file in place with an asynchronous `writeFile`, so two
 * saves that overlap, or a kill in the middle of one, leave a file that no longer parses, and the users, passwords
 * and TOTP secrets kept in the data folder would be gone. This engine writes one save at a time per file, to a
 * temporary file first and then renamed over it: the file always holds one whole save.
 */
const require = createRequire(import.meta.url);
/** Requires a module as cognito-local itself resolves it (its own dependencies). */
export const cognitoLocalRequire = createRequire(require.resolve('cognito-local/package.json'));

interface Context {
  logger: { debug(...args: unknown[]): void };
}
interface StormDb {
  default(defaults: unknown): unknown;
  save(): Promise<void> | null;
}
const StormDB = cognitoLocalRequire('stormdb') as new (engine: FileEngine) => StormDb;
const { StormDBDataStore } = require('cognito-local/lib/services/dataStore/stormDb.js') as {
  StormDBDataStore: new (db: StormDb) => unknown;
};

/** The engine interface StormDB calls: `init` once, `read`, and `write` on every save. */
export class FileEngine {
  private queue: Promise<void> = Promise.resolve();
  private writes = 0;

  constructor(
    readonly path: string,
    private readonly log: (line: string) => void = () => {},
  ) {}

  init(): unknown {
    if (!existsSync(this.path)) {
      writeFileSync(this.path, serialize({}));
      return {};
    }
    return this.read();
  }

  read(): unknown {
    const text = readFileSync(this.path, 'utf8');
    try {
      return deserialize(text === '' ? '{}' : text);
    } catch {
      // Written before this engine existed, or by hand: kept aside, and the pool starts over (demo users return).
      const aside = `${this.path}.unreadable-${Date.now()}`;
      renameSync(this.path, aside);
      this.log(`Local Cognito: ${this.path} could not be read; moved to ${aside}, the pool starts empty`);
      return {};
    }
  }

  /** Serialized now (the data may change before the write runs), written after the saves before it. */
  write(data: unknown): Promise<void> {
    const text = serialize(data);
    const temporary = `${this.path}.${process.pid}.${++this.writes}.tmp`;
    const next = this.queue.then(async () => {
      await writeFile(temporary, text, { flush: true });
      await rename(temporary, this.path);
    });
    this.queue = next.catch(() => undefined);
    return next;
  }
}

/** cognito-local's `StormDBDataStoreFactory`, on the file engine above. */
export class AtomicDataStoreFactory {
  constructor(
    private readonly directory: string,
    private readonly log: (line: string) => void = () => {},
  ) {}

  async create(ctx: Context, id: string, defaults: unknown): Promise<unknown> {
    ctx.logger.debug({ id }, 'createDataStore');
    mkdirSync(this.directory, { recursive: true });
    const db = new StormDB(new FileEngine(`${this.directory}/${id}.json`, this.log));
    db.default(defaults);
    await db.save();
    return new StormDBDataStore(db);
  }
}

// cognito-local's own (de)serialisation: fields named …Date hold dates, stored as ISO strings.
function serialize(data: unknown): string {
  return JSON.stringify(
    data,
    function (this: Record<string, unknown>, key: string, value: unknown) {
      if (!key.endsWith('Date')) return value;
      const original = this[key];
      return original instanceof Date ? original.toISOString() : value;
    },
    2,
  );
}

function deserialize(text: string): unknown {
  return JSON.parse(text, (key: string, value: unknown) => {
    if (!key.endsWith('Date')) return value;
    if (typeof value === 'number') return new Date(value);
    if (typeof value === 'string') return new Date(Date.parse(value));
    return value;
  });
}
