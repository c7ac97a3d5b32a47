/** What every benchmark module (B1, B2, …) gives the runner (scripts/bench/run.ts). */

export interface Column {
  readonly key: string;
  readonly label: string;
  /** Figures are right-aligned. @default 'left' */
  readonly align?: 'left' | 'right';
}

export type Cell = string | number;

export interface Table {
  readonly title?: string;
  readonly columns: readonly Column[];
  readonly rows: readonly Readonly<Record<string, Cell>>[];
}

export interface Machine {
  readonly os: string;
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly node: string;
}

/** One benchmark's figures as written to docs/benchmarks.json and rendered into docs/BENCHMARKS.md. */
export interface BenchmarkResult {
  readonly id: string;
  readonly title: string;
  /** ISO timestamp of the run. Results of different benchmarks may come from different runs (`npm run bench -- B1`). */
  readonly measuredAt: string;
  readonly machine: Machine;
  /** Markdown paragraphs: what was measured and how. */
  readonly method: readonly string[];
  readonly tables: readonly Table[];
  /** The goal for this benchmark and whether this run met it. */
  readonly goal?: { readonly text: string; readonly met: boolean };
  /** Markdown paragraphs after the tables: findings, choices made from the figures. */
  readonly notes: readonly string[];
}

export interface RunOptions {
  /** Paired repetitions where a benchmark takes a median. */
  readonly runs: number;
  /** `--only <text>`: a benchmark with many subjects measures only those whose name contains it. */
  readonly only?: string;
  readonly log: (line: string) => void;
}

export interface Benchmark {
  /** `B1`, `B2`, …: what `npm run bench -- <id>` selects. */
  readonly id: string;
  readonly title: string;
  readonly run: (
    options: RunOptions,
  ) => Promise<Omit<BenchmarkResult, 'id' | 'title' | 'measuredAt' | 'machine'>>;
}
