import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { LocalLambda } from './contracts.ts';
import type { LocalFunction } from './template.ts';

/**
 * The synthesized functions, run in this process: each is the handler module named by its `vaekst:entry`
 * metadata, imported once (like a warm Lambda) after its environment variables are in place.
 *
 * All handlers share one process and so one `process.env`. That is sound because an environment variable
 * means the same resource in every function (docs/ARCHITECTURE.md); a template that broke that rule would be
 * refused here rather than run with the wrong resource.
 */
const RUNTIME_VARIABLES = new Set(['NODE_OPTIONS', 'AWS_NODEJS_CONNECTION_REUSE_ENABLED']);

export class LocalLambdas {
  private readonly byArn = new Map<string, LocalFunction>();
  private readonly loaded = new Map<string, Promise<LocalLambda>>();

  constructor(
    private readonly functions: Record<string, LocalFunction>,
    private readonly repoRoot: string,
  ) {
    for (const fn of Object.values(functions)) this.byArn.set(fn.arn, fn);
  }

  /** The union of every function's environment; throws if two functions give one name different values. */
  environment(): Record<string, string> {
    const merged: Record<string, string> = {};
    const owner: Record<string, string> = {};
    for (const fn of Object.values(this.functions)) {
      if (!fn.entry) continue;
      for (const [name, value] of Object.entries(fn.environment)) {
        if (RUNTIME_VARIABLES.has(name)) continue;
        if (name in merged && merged[name] !== value) {
          throw new Error(`${name} is ${merged[name]} for ${owner[name]} but ${value} for ${fn.logicalId}`);
        }
        merged[name] = value;
        owner[name] = fn.logicalId;
      }
    }
    return merged;
  }

  find(logicalIdOrArn: string): LocalFunction {
    const fn =
      this.functions[logicalIdOrArn] ?? this.byArn.get(logicalIdOrArn.replace(/:(\$LATEST|\d+)$/, ''));
    if (!fn) throw new Error(`No function ${logicalIdOrArn} in the template`);
    if (!fn.entry)
      throw new Error(`Function ${fn.logicalId} has no vaekst:entry metadata: it is not one of ours`);
    return fn;
  }

  async invoke(logicalIdOrArn: string, event: unknown): Promise<unknown> {
    const fn = this.find(logicalIdOrArn);
    const handler = await this.load(fn);
    const started = Date.now();
    const timeoutMs = fn.timeoutSeconds * 1000;
    return handler(event, {
      functionName: fn.functionName,
      awsRequestId: randomUUID(),
      getRemainingTimeInMillis: () => Math.max(0, timeoutMs - (Date.now() - started)),
    });
  }

  private load(fn: LocalFunction): Promise<LocalLambda> {
    const entry = fn.entry as string;
    let module = this.loaded.get(entry);
    if (!module) {
      module = import(pathToFileURL(path.resolve(this.repoRoot, entry)).href).then(
        (m: { handler?: LocalLambda }) => {
          if (typeof m.handler !== 'function') throw new Error(`${entry} exports no handler`);
          return m.handler;
        },
      );
      this.loaded.set(entry, module);
    }
    return module;
  }
}
