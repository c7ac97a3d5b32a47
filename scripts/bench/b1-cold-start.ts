import { spawnSync } from 'node:child_process';
import path from 'node:path';
import type { Benchmark, Table } from './benchmark.ts';
import { bundleHandlersAndFloors, type HandlerWithFloor, type LambdaBundle } from './lambda-bundles.ts';

/** The issue's goal: a handler initialises in at most this multiple of its SDK-only floor. */
export const GOAL_RATIO = 1.25;

const SOURCE_MAPS = '--enable-source-maps';

/**
 * Runs in a fresh `node` process: the time from before `import()` of the bundle to its module evaluation's
 * end (what a Lambda cold start adds to the runtime's own start), and the resident memory afterwards.
 */
const probe =
  'const t = performance.now(); await import(process.argv[1]); const ms = performance.now() - t; process.stdout.write(JSON.stringify({ ms, rss: process.memoryUsage().rss }));';

interface Sample {
  readonly ms: number;
  readonly rss: number;
}

function initOnce(bundle: LambdaBundle, nodeOptions: string): Sample {
  const { NODE_OPTIONS: _, ...environment } = bundle.environment;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', probe, bundle.file], {
    cwd: path.dirname(bundle.file),
    env: {
      PATH: process.env.PATH ?? '',
      AWS_REGION: 'eu-north-1',
      ...environment,
      ...(nodeOptions ? { NODE_OPTIONS: nodeOptions } : {}),
    },
    encoding: 'utf8',
  });
  if (run.status !== 0) {
    // Node prints the failing line of the minified bundle first; the error itself is what helps.
    const error = run.stderr
      .split('\n')
      .filter((line) => /^\w*Error\b|^\s+at /.test(line))
      .slice(0, 4);
    throw new Error(`B1: importing ${bundle.entry} failed (exit ${run.status}):\n${error.join('\n')}`);
  }
  return JSON.parse(run.stdout) as Sample;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

const kb = (bytes: number) => `${Math.round(bytes / 1024).toLocaleString('en')} KB`;
const ms = (value: number) => value.toFixed(1);
const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(1);

interface Measured {
  readonly entry: string;
  readonly sdk: string;
  readonly bytes: number;
  readonly floorBytes: number;
  readonly mapBytes: number;
  readonly deployedWithMaps: boolean;
  /** Why the bundle could not be imported; the figures below are then absent. */
  readonly failure?: string;
  readonly handlerMs: number;
  readonly floorMs: number;
  readonly ratio: number;
  readonly mapsMs: number;
  readonly mapsRatio: number;
  readonly mapsAddedMs: number;
  readonly mapsAddedRss: number;
  readonly rss: number;
  readonly floorRss: number;
}

type Variant = 'floor' | 'plain' | 'maps';
const variants: readonly Variant[] = ['floor', 'plain', 'maps'];

function measure(pair: HandlerWithFloor, runs: number): Measured {
  const { handler, floor, sdkPackages } = pair;
  const deployed = handler.environment.NODE_OPTIONS ?? '';
  const deployedWithMaps = deployed.includes(SOURCE_MAPS);
  const options: Record<Variant, string> = {
    floor: '',
    plain: deployed.replace(SOURCE_MAPS, '').trim(),
    maps: `${deployed.replace(SOURCE_MAPS, '').trim()} ${SOURCE_MAPS}`.trim(),
  };
  const base = {
    entry: handler.entry,
    sdk: sdkPackages.map((p) => p.replace('@aws-sdk/', '')).join(', ') || 'none',
    bytes: handler.bytes,
    floorBytes: floor.bytes,
    mapBytes: handler.mapBytes,
    deployedWithMaps,
  };
  const rounds: Record<Variant, Sample>[] = [];
  try {
    for (let round = 0; round < runs; round++) {
      // Interleaved, in a rotating order, so a slow moment of a shared machine falls on all three alike.
      const order = [...variants.slice(round % 3), ...variants.slice(0, round % 3)];
      const got: Partial<Record<Variant, Sample>> = {};
      for (const variant of order) {
        if (variant === 'maps' && handler.mapBytes === 0) got.maps = { ms: Number.NaN, rss: Number.NaN };
        else got[variant] = initOnce(variant === 'floor' ? floor : handler, options[variant]);
      }
      rounds.push(got as Record<Variant, Sample>);
    }
  } catch (error) {
    const nan = Number.NaN;
    return {
      ...base,
      failure: error instanceof Error ? error.message : String(error),
      ...{ handlerMs: nan, floorMs: nan, ratio: nan, mapsMs: nan, mapsRatio: nan },
      ...{ mapsAddedMs: nan, mapsAddedRss: nan, rss: nan, floorRss: nan },
    };
  }
  const asDeployed = (r: Record<Variant, Sample>) => (deployedWithMaps ? r.maps : r.plain);
  return {
    ...base,
    handlerMs: median(rounds.map((r) => asDeployed(r).ms)),
    floorMs: median(rounds.map((r) => r.floor.ms)),
    ratio: median(rounds.map((r) => asDeployed(r).ms / r.floor.ms)),
    mapsMs: median(rounds.map((r) => r.maps.ms)),
    mapsRatio: median(rounds.map((r) => r.maps.ms / r.floor.ms)),
    mapsAddedMs: median(rounds.map((r) => r.maps.ms - r.plain.ms)),
    mapsAddedRss: median(rounds.map((r) => r.maps.rss - r.plain.rss)),
    rss: median(rounds.map((r) => asDeployed(r).rss)),
    floorRss: median(rounds.map((r) => r.floor.rss)),
  };
}

const handlerName = (entry: string) => `\`${path.relative('functions', entry)}\``;

export const b1: Benchmark = {
  id: 'B1',
  title: 'Cold start: each handler against an SDK-only floor',
  async run({ runs, only, log }) {
    const { pairs, dispose } = await bundleHandlersAndFloors(log, only);
    const rows: Measured[] = [];
    try {
      for (const pair of pairs) {
        const row = measure(pair, runs);
        rows.push(row);
        log(
          row.failure
            ? `B1: ${row.entry} FAILS AT IMPORT: ${row.failure.split('\n')[1] ?? row.failure}`
            : `B1: ${row.entry} ${ms(row.handlerMs)} ms / floor ${ms(row.floorMs)} ms = ${row.ratio.toFixed(2)}× (with source maps ${row.mapsRatio.toFixed(2)}×)`,
        );
      }
    } finally {
      dispose();
    }

    const measured = rows.filter((r) => !r.failure);
    const failed = rows.filter((r) => r.failure);
    const worst = Math.max(...measured.map((r) => r.ratio));
    const main: Table = {
      columns: [
        { key: 'handler', label: 'handler' },
        { key: 'sdk', label: 'SDK in the floor' },
        { key: 'size', label: 'bundle', align: 'right' },
        { key: 'floorSize', label: 'floor bundle', align: 'right' },
        { key: 'init', label: 'init ms', align: 'right' },
        { key: 'floorInit', label: 'floor ms', align: 'right' },
        { key: 'ratio', label: 'init / floor', align: 'right' },
        { key: 'rss', label: 'RSS MiB', align: 'right' },
        { key: 'floorRss', label: 'floor RSS MiB', align: 'right' },
      ],
      rows: rows.map((r) => ({
        handler: handlerName(r.entry),
        sdk: r.sdk,
        size: kb(r.bytes),
        floorSize: kb(r.floorBytes),
        init: r.failure ? 'fails at import' : ms(r.handlerMs),
        floorInit: ms(r.floorMs),
        ratio: r.failure ? '–' : `${r.ratio.toFixed(2)}×${r.ratio > GOAL_RATIO ? ' ✗' : ''}`,
        rss: mib(r.rss),
        floorRss: mib(r.floorRss),
      })),
    };
    const maps: Table = {
      title: `The same bundles with NODE_OPTIONS=${SOURCE_MAPS}`,
      columns: [
        { key: 'handler', label: 'handler' },
        { key: 'map', label: 'source map', align: 'right' },
        { key: 'init', label: 'init ms', align: 'right' },
        { key: 'ratio', label: 'init / floor', align: 'right' },
        { key: 'extraMs', label: 'added ms', align: 'right' },
        { key: 'extraRss', label: 'added RSS MiB', align: 'right' },
      ],
      rows: measured
        .filter((r) => r.mapBytes > 0)
        .map((r) => ({
          handler: handlerName(r.entry),
          map: kb(r.mapBytes),
          init: ms(r.mapsMs),
          ratio: `${r.mapsRatio.toFixed(2)}×`,
          extraMs: ms(r.mapsAddedMs),
          extraRss: mib(r.mapsAddedRss),
        })),
    };
    const deployedWithMaps = rows.some((r) => r.deployedWithMaps);
    return {
      method: [
        "Every function of the CDK app is bundled by `cdk synth` itself (HandlerFunction's NodejsFunction " +
          'bundling, into a temporary cloud assembly). Its floor is a module holding only the AWS SDK imports ' +
          "the handler's own modules make (each client constructed once, as the handlers do at module scope), " +
          'bundled by a HandlerFunction in a second stack of the same app, so both go through the same esbuild options.',
        `Init is the time a fresh \`node\` process (${process.version}) takes to \`import()\` the bundle, with ` +
          "the function's environment and NODE_OPTIONS as deployed; the floor runs without NODE_OPTIONS. " +
          `Each handler runs ${runs} rounds of floor, handler and handler with ${SOURCE_MAPS}, interleaved in ` +
          "a rotating order; the ratio is the median of the rounds' ratios, the times are medians. RSS is the " +
          'resident memory after the import.',
        `Deployed with ${SOURCE_MAPS}: ${deployedWithMaps ? 'yes' : 'no'}. Reproduce: \`npm run bench -- B1\` ` +
          '(`-- B1 --runs 31` for more rounds, `--only create-referral` for one handler).',
      ],
      goal: {
        text:
          `every handler ≤ ${GOAL_RATIO}× its floor (worst here ${worst.toFixed(2)}×` +
          `${failed.length > 0 ? `; ${failed.length} failing at import` : ''})`,
        met: worst <= GOAL_RATIO && failed.length === 0,
      },
      tables: [main, maps],
      notes: failed.map(
        (r) =>
          `**${handlerName(r.entry)} fails at import** with its deployed environment: ${r.failure?.split('\n')[1] ?? r.failure}`,
      ),
    };
  },
};
