import os from 'node:os';
import { z } from 'zod';
import type { BenchmarkResult, Cell, Machine, Table } from './benchmark.ts';

/** docs/benchmarks.json: the latest result of each benchmark, by id. */
export interface BenchReport {
  readonly results: Readonly<Record<string, BenchmarkResult>>;
}

const cell = z.union([z.string(), z.number()]);
const machine = z.object({
  os: z.string(),
  cpu: z.string(),
  cores: z.number(),
  memoryGiB: z.number(),
  node: z.string(),
});
const result = z.object({
  id: z.string(),
  title: z.string(),
  measuredAt: z.string(),
  machine,
  method: z.array(z.string()),
  tables: z.array(
    z.object({
      title: z.string().optional(),
      columns: z.array(
        z.object({ key: z.string(), label: z.string(), align: z.enum(['left', 'right']).optional() }),
      ),
      rows: z.array(z.record(z.string(), cell)),
    }),
  ),
  goal: z.object({ text: z.string(), met: z.boolean() }).optional(),
  notes: z.array(z.string()),
});
const report = z.object({ results: z.record(z.string(), result) });

/** Reads docs/benchmarks.json; a file from an older shape is an error, not silently dropped figures. */
export function parseReport(json: string): BenchReport {
  return report.parse(JSON.parse(json));
}

/** The previous report with the benchmarks just run replaced, so `npm run bench -- B1` keeps B2–B5's figures. */
export function mergeResults(previous: BenchReport, fresh: readonly BenchmarkResult[]): BenchReport {
  const results: Record<string, BenchmarkResult> = { ...previous.results };
  for (const r of fresh) results[r.id] = r;
  return { results };
}

export function describeMachine(): Machine {
  const cpus = os.cpus();
  return {
    os: `${os.type()} ${os.release()} (${os.arch()})`,
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
  };
}

function escapeCell(value: Cell): string {
  return String(value).replaceAll('|', '\\|').replaceAll('\n', ' ');
}

export function renderTable(table: Table): string {
  const header = `| ${table.columns.map((c) => escapeCell(c.label)).join(' | ')} |`;
  const rule = `|${table.columns.map((c) => (c.align === 'right' ? '---:' : '---')).join('|')}|`;
  const rows = table.rows.map(
    (row) => `| ${table.columns.map((c) => escapeCell(row[c.key] ?? '')).join(' | ')} |`,
  );
  return [...(table.title ? [`**${table.title}**`, ''] : []), header, rule, ...rows].join('\n');
}

function machineLine(m: Machine): string {
  return `${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB; ${m.os}; Node.js ${m.node}`;
}

/** docs/BENCHMARKS.md, made from the JSON alone: benchmarks in id order, each with its machine and date. */
export function renderMarkdown(report: BenchReport): string {
  const ids = Object.keys(report.results).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  const sections = ids.map((id) => {
    const r = report.results[id] as BenchmarkResult;
    return [
      `## ${r.id}: ${r.title}`,
      `Measured ${r.measuredAt.slice(0, 16).replace('T', ' ')} UTC on ${machineLine(r.machine)}.`,
      ...r.method,
      ...(r.goal ? [`**Goal:** ${r.goal.text} — **${r.goal.met ? 'met' : 'not met'}**.`] : []),
      ...r.tables.map(renderTable),
      ...r.notes,
    ].join('\n\n');
  });
  return [
    '# Benchmarks',
    'Written by `npm run bench` (all benchmarks) or `npm run bench -- B1` (one; the others keep their last ' +
      'figures) from `docs/benchmarks.json`; do not edit by hand. Every ratio is measured side by side in one ' +
      'run, so it holds on a noisy machine even where the absolute times do not.',
    ...sections,
  ]
    .join('\n\n')
    .concat('\n');
}
