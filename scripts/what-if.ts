import { parseArgs } from 'node:util';
import { DEFAULT_HORIZON_YEARS } from '#domain/business-case';
import { danishDate } from '#domain/dates';
import { formatDkk } from '#domain/money';
import { type Distribution, MAX_DRAWS, simulateWhatIf, type WhatIf } from '#domain/what-if';

/**
 * `npm run simulate -- --what-if`: the business case under uncertainty (domain/what-if.ts) in the terminal, with
 * no system started: a table per municipality, cluster and the programme, and the time the draws took.
 */
export const WHAT_IF_HELP = `npm run simulate -- --what-if [options]

  --draws N             draws of the whole programme, 1–${MAX_DRAWS} (default 10000)
  --seed S              seed, 0–4294967295 (default 1); the same seed gives the same figures
  --start YYYY-MM-DD    the cohort's start (default the first of this month)
  --horizon-years Y     years counted, 1–10 (default ${DEFAULT_HORIZON_YEARS})
  --cost-per-citizen K  the programme's own cost per citizen, whole kroner (default none: PbR only)
  --cost-per-company K  the programme's own cost per company, whole kroner
  --json                the whole result as JSON instead of the table`;

function whole(name: string, raw: string | undefined, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    throw new RangeError(`--${name} must be a whole number from ${min} to ${max}, got '${raw}'`);
  }
  return value;
}

const share = (p: number) => `${(p * 100).toFixed(1)} %`;

/** The figures as a fixed-width table, amounts in da-DK kroner. */
export function whatIfTable(whatIf: WhatIf): string {
  const head = ['', 'Borgere', 'P(gevinst)', 'P10', 'P50', 'P90', 'Middel'];
  const row = (g: Distribution) => [
    g.name,
    String(g.citizens),
    share(g.probabilityOfGain),
    ...[g.p10Oere, g.p50Oere, g.p90Oere, g.meanOere].map(formatDkk),
  ];
  const rows = [head, ...[whatIf.programme, ...whatIf.clusters, ...whatIf.municipalities].map(row)];
  const widths = head.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows
    .map((r) =>
      r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  '),
    )
    .join('\n');
}

/** Runs the what-if from command-line arguments (without `--what-if`); returns the exit code. */
export function runWhatIfCli(args: readonly string[], log: (line: string) => void = console.log): number {
  const { values } = parseArgs({
    args: [...args],
    options: {
      draws: { type: 'string' },
      seed: { type: 'string' },
      start: { type: 'string' },
      'horizon-years': { type: 'string' },
      'cost-per-citizen': { type: 'string' },
      'cost-per-company': { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    log(WHAT_IF_HELP);
    return 0;
  }
  const perCitizen = whole('cost-per-citizen', values['cost-per-citizen'], 0, 10_000_000);
  const perCompany = whole('cost-per-company', values['cost-per-company'], 0, 10_000_000);
  const start = values.start ?? `${danishDate(new Date()).slice(0, 7)}-01`;
  const began = performance.now();
  const whatIf = simulateWhatIf({
    start,
    draws: whole('draws', values.draws, 1, MAX_DRAWS) ?? 10_000,
    seed: whole('seed', values.seed, 0, 0xffff_ffff) ?? 1,
    horizonYears: whole('horizon-years', values['horizon-years'], 1, 10) ?? DEFAULT_HORIZON_YEARS,
    ...(perCitizen === undefined && perCompany === undefined
      ? {}
      : {
          programmeCosts: {
            perCitizenOere: (perCitizen ?? 0) * 100,
            perCompanyOere: (perCompany ?? 0) * 100,
          },
        }),
  });
  const seconds = (performance.now() - began) / 1000;
  if (values.json) {
    log(JSON.stringify(whatIf, null, 2));
    return 0;
  }
  log(
    `What-if: ${whatIf.draws} draws, seed ${whatIf.seed}, cohort starting ${whatIf.start}, ${whatIf.horizonYears} years ` +
      `(to ${whatIf.horizonEnd}), ${whatIf.programmeCosts ? 'with the programme costs' : 'PbR payments only'}`,
  );
  log('');
  log(whatIfTable(whatIf));
  log('');
  for (const line of whatIf.explanations) log(`- ${line}`);
  log('');
  log(`Computed in ${seconds.toFixed(2)} s`);
  return 0;
}
