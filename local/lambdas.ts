import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { LocalLambda } from './contracts.ts';
import { type FaultInjector, lambdaCrash, lambdaTimeout, requestKey } from './faults.ts';
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
    /** Crashes and timeouts to inject after a handler's work (local/faults.ts); none without. */
    private readonly faults?: FaultInjector,
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

  /**
   * Runs the handler as Lambda would: a run longer than the function's timeout is answered with Lambda's
   * timeout error (the handler cannot be killed in this process, so whatever it still does happens unobserved,
   * as a write in flight may still land on AWS). Injected crashes and timeouts strike after the handler's work
   * is done: the effects are stored, the answer is lost, and the caller's retry must cope with that.
   */
  async invoke(logicalIdOrArn: string, event: unknown): Promise<unknown> {
    const fn = this.find(logicalIdOrArn);
    const handler = await this.load(fn);
    const started = Date.now();
    const timeoutMs = fn.timeoutSeconds * 1000;
    const awsRequestId = randomUUID();
    const context = {
      functionName: fn.functionName,
      awsRequestId,
      getRemainingTimeInMillis: () => Math.max(0, timeoutMs - (Date.now() - started)),
    };
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(lambdaTimeout(awsRequestId, fn.timeoutSeconds)), timeoutMs);
    });
    let result: unknown;
    try {
      result = await Promise.race([handler(event, context), timedOut]);
    } finally {
      clearTimeout(timer);
    }
    if (this.faults) {
      const site = { request: requestKey(fn.logicalId, event), subject: functionNameOf(fn) };
      if (this.faults.inject('lambdaCrash', site)) throw lambdaCrash(awsRequestId);
      if (this.faults.inject('lambdaTimeout', site)) throw lambdaTimeout(awsRequestId, fn.timeoutSeconds);
    }
    return result;
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

/** A function by its entry's name, as fault rules name it: `functions/workflow/notify-finance.ts` is `notify-finance`. */
function functionNameOf(fn: LocalFunction): string {
  return path.basename(fn.entry ?? fn.logicalId).replace(/\.[cm]?[jt]s$/, '');
}
