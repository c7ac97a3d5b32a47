import { describe, expect, it } from 'vitest';
import type { BenchmarkResult, Table } from '../../scripts/bench/benchmark.ts';
import { mergeResults, parseReport, renderMarkdown, renderTable } from '../../scripts/bench/report.ts';

const machine = { os: 'Linux 6.1 (x64)', cpu: 'Test CPU', cores: 2, memoryGiB: 7.8, node: 'v22.23.3' };

function result(id: string, figure: string): BenchmarkResult {
  return {
    id,
    title: `Benchmark ${id}`,
    measuredAt: '2026-12-02T18:30:00.000Z',
    machine,
    method: [`How ${id} measures.`],
    tables: [
      {
        columns: [
          { key: 'name', label: 'handler' },
          { key: 'figure', label: 'init / floor', align: 'right' },
        ],
        rows: [{ name: '`api/health.ts`', figure }],
      },
    ],
    goal: { text: 'every handler ≤ 1.25× its floor', met: figure === '1.10×' },
    notes: [],
  };
}

describe('benchmark report', () => {
  it('renders a table with right-aligned figures and escaped pipes', () => {
    // Prepare
    const table: Table = {
      columns: [
        { key: 'a', label: 'name' },
        { key: 'b', label: 'ms', align: 'right' as const },
      ],
      rows: [{ a: 'x | y', b: 12.5 }, { a: 'z' }],
    };

    // Act
    const markdown = renderTable(table);

    // Assess
    expect(markdown.split('\n')).toEqual(['| name | ms |', '|---|---:|', '| x \\| y | 12.5 |', '| z |  |']);
  });

  it('keeps the other benchmarks when one is run again, and reads back what it wrote', () => {
    // Prepare
    const before = { results: { B1: result('B1', '1.60×'), B2: result('B2', '2.00×') } };

    // Act
    const after = parseReport(JSON.stringify(mergeResults(before, [result('B1', '1.10×')])));

    // Assess
    expect(after.results.B1?.tables[0]?.rows[0]?.figure).toBe('1.10×');
    expect(after.results.B2).toEqual(before.results.B2);
  });

  it('writes the machine, the date and the goal of each benchmark, in id order', () => {
    // Prepare
    const report = { results: { B10: result('B10', '2.00×'), B1: result('B1', '1.10×') } };

    // Act
    const markdown = renderMarkdown(report);

    // Assess
    expect(markdown.indexOf('## B1:')).toBeLessThan(markdown.indexOf('## B10:'));
    expect(markdown).toContain(
      'Measured 2026-12-02 18:30 UTC on Test CPU, 2 cores, 7.8 GiB; Linux 6.1 (x64); Node.js v22.23.3.',
    );
    expect(markdown).toContain('**Goal:** every handler ≤ 1.25× its floor — **met**.');
    expect(markdown).toContain('**Goal:** every handler ≤ 1.25× its floor — **not met**.');
  });

  it('refuses a JSON file of another shape rather than dropping its figures', () => {
    // Act / Assess
    expect(() => parseReport(JSON.stringify({ results: { B1: { id: 'B1' } } }))).toThrow();
  });
});
