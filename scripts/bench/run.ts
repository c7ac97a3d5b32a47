import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { repoRoot } from '../../lib/handler-function.ts';
import { b1 } from './b1-cold-start.ts';
import type { Benchmark, BenchmarkResult } from './benchmark.ts';
import { type BenchReport, describeMachine, mergeResults, parseReport, renderMarkdown } from './report.ts';
import { w1 } from './w1-what-if.ts';

/** Every benchmark, in order; B2–B5 are added here as modules of their own; W1 is issue 9's what-if. */
const benchmarks: readonly Benchmark[] = [b1, w1];

const jsonFile = path.join(repoRoot, 'docs/benchmarks.json');
const markdownFile = path.join(repoRoot, 'docs/BENCHMARKS.md');

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { runs: { type: 'string', default: '15' }, only: { type: 'string' } },
  });
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1)
    throw new Error(`--runs must be a whole number ≥ 1, got ${values.runs}`);
  const wanted = positionals.map((id) => id.toUpperCase());
  const unknown = wanted.filter((id) => !benchmarks.some((b) => b.id === id));
  if (unknown.length > 0) {
    throw new Error(
      `Unknown benchmark ${unknown.join(', ')}; there are ${benchmarks.map((b) => b.id).join(', ')}`,
    );
  }
  const selected = wanted.length === 0 ? benchmarks : benchmarks.filter((b) => wanted.includes(b.id));

  const machine = describeMachine();
  const fresh: BenchmarkResult[] = [];
  for (const benchmark of selected) {
    const started = Date.now();
    const measuredAt = new Date().toISOString();
    const figures = await benchmark.run({ runs, only: values.only, log: (line) => console.log(line) });
    fresh.push({ id: benchmark.id, title: benchmark.title, measuredAt, machine, ...figures });
    console.log(`${benchmark.id}: done in ${Math.round((Date.now() - started) / 1000)} s`);
  }
  if (values.only) {
    console.log('--only measures a part: docs/BENCHMARKS.md and docs/benchmarks.json are left as they are');
    return;
  }
  const previous: BenchReport = existsSync(jsonFile)
    ? parseReport(readFileSync(jsonFile, 'utf8'))
    : { results: {} };
  const report = mergeResults(previous, fresh);
  writeFileSync(jsonFile, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(markdownFile, renderMarkdown(report));
  console.log(`Wrote ${path.relative(repoRoot, markdownFile)} and ${path.relative(repoRoot, jsonFile)}`);
}

await main();
