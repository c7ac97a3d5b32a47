import { spawn } from 'node:child_process';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../lib/handler-function.ts';
import { describeLocalResources, type LocalFunction, synthesizeLocalTemplate } from '../../local/template.ts';

/**
 * Every handler module must load with nothing but the environment its own function is given. In the local runtime
 * all handlers share one process, so a module that reads another function's variable at import (TABLE_NAME, say)
 * works there and fails at its first cold start on AWS. Each module is imported here in a fresh `node` with
 * exactly its function's variables, as Lambda would.
 */

interface Loaded {
  entry: string;
  code: number | null;
  stderr: string;
}

/** Imports `entry` in a child process whose environment is `environment` and the bare minimum to run node. */
function load(fn: LocalFunction & { entry: string }): Promise<Loaded> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '--input-type=module',
        '-e',
        `await import(${JSON.stringify(path.join(repoRoot, fn.entry))});`,
      ],
      {
        cwd: repoRoot,
        env: {
          PATH: process.env.PATH ?? '',
          // What Lambda itself sets for every function.
          AWS_REGION: 'eu-north-1',
          AWS_LAMBDA_FUNCTION_NAME: fn.functionName,
          ...fn.environment,
        },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('close', (code) => resolve({ entry: fn.entry, code, stderr }));
  });
}

/** Runs `work` over `items`, `concurrency` at a time (the machines have two cores). */
async function inBatches<T, R>(items: readonly T[], concurrency: number, work: (item: T) => Promise<R>) {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += concurrency) {
    results.push(...(await Promise.all(items.slice(i, i + concurrency).map(work))));
  }
  return results;
}

describe('every handler module at a cold start', () => {
  let handlers: (LocalFunction & { entry: string })[];

  beforeAll(async () => {
    // Prepare: the functions of the synthesized template that run a module of ours.
    const resources = describeLocalResources(await synthesizeLocalTemplate());
    handlers = Object.values(resources.functions).filter(
      (fn): fn is LocalFunction & { entry: string } => fn.entry !== undefined,
    );
  });

  it('loads with only its own function’s environment variables', async () => {
    // Act
    const loaded = await inBatches(handlers, 2, load);

    // Assess: every one loads; a failure names the module and what it missed.
    expect(handlers.length).toBeGreaterThan(10);
    expect(
      loaded
        .filter((l) => l.code !== 0)
        .map((l) => `${l.entry}: ${l.stderr.match(/^\w*Error: .*$/m)?.[0] ?? l.stderr}`),
    ).toEqual([]);
  }, 120_000);
});
