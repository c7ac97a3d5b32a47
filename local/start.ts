import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { roleLabels } from '#domain/access';
import { danishDate, isIsoDate } from '#domain/dates';
import { findMunicipality } from '#domain/programme';
import { clock } from '#shared/clock';
import { DEMO_PASSWORD } from './demo-users.ts';
import { faultPlanFromEnv } from './faults.ts';
import { type LocalRuntime, StartDateRefused, startLocalRuntime } from './runtime.ts';

/**
 * `npm start`: the whole system on this machine, carrying on from the data folder the last run left
 * (`DATA_DIR`, default `.local/data`, git-ignored); `npm start -- --fresh` empties it first, and
 * `npm start -- --fresh --date 2019-01-07` begins the local clock on that Danish date (09:00 Copenhagen time).
 */
const port = Number(process.env.PORT ?? 3000);
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = path.resolve(repoRoot, process.env.DATA_DIR ?? '.local/data');
const args = process.argv.slice(2);
const fresh = args.includes('--fresh');

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

/** `--date YYYY-MM-DD` or `--date=YYYY-MM-DD`; undefined without it. */
function startDateArgument(): string | undefined {
  const at = args.findIndex((arg) => arg === '--date' || arg.startsWith('--date='));
  if (at < 0) return undefined;
  const arg = args[at] ?? '';
  const value = arg.startsWith('--date=') ? arg.slice('--date='.length) : args[at + 1];
  if (value === undefined || !isIsoDate(value)) {
    fail(
      `--date skal være en gyldig dato som ÅÅÅÅ-MM-DD (fx --date 2019-01-07), ikke ${value === undefined ? 'ingenting' : `"${value}"`}.`,
    );
  }
  return value;
}

const startDate = startDateArgument();
let runtime: LocalRuntime;
try {
  runtime = await startLocalRuntime({ port, dataDir, fresh, startDate, faults: faultPlanFromEnv() });
} catch (error) {
  if (!(error instanceof StartDateRefused)) throw error;
  fail(
    `Uret kan ikke starte den ${error.startDate}: data i ${path.relative(process.cwd(), dataDir) || dataDir} ` +
      `er allerede nået til den ${error.savedDate}, og uret går aldrig tilbage. Start forfra med ` +
      `npm start -- --fresh --date ${error.startDate}.`,
  );
}

/** The seeded users as a table: who to sign in as, and with which password. */
function demoUserTable(): string {
  if (runtime.demoUsers.length === 0) return '  (skabelonen har ingen brugerpulje: ingen log ind)';
  const rows = runtime.demoUsers.map((user) => [
    user.username,
    roleLabels[user.role],
    user.municipality
      ? `${findMunicipality(user.municipality)?.name ?? ''} (${user.municipality})`
      : 'alle kommuner',
    DEMO_PASSWORD,
  ]);
  const header = ['Brugernavn', 'Rolle', 'Kommune', 'Adgangskode'];
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]?.length ?? 0)));
  return [header, ...rows]
    .map((row) => `  ${row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('   ')}`.trimEnd())
    .join('\n');
}

console.log(`
Social inklusion gennem Vækstpartnerskaber kører lokalt på ${runtime.url}

  Log ind:                 ${runtime.url}/login
  Visitation (formular):   ${runtime.url}/
  Betalinger:              ${runtime.url}/payments
  Indbakke (SNS):          ${runtime.url}/_local/inbox   (betalinger til økonomi, påmindelser)
  Spol uret frem:          curl -X POST ${runtime.url}/_local/clock -H 'Content-Type: application/json' -d '{"advanceDays": 183}'

Demobrugere (kun lokalt):
${demoUserTable()}

Data gemmes i ${path.relative(process.cwd(), dataDir) || dataDir} og bruges igen ved næste start (start forfra: npm start -- --fresh; på en bestemt dato: npm start -- --fresh --date ÅÅÅÅ-MM-DD).
Lokal tid: ${clock.now().toISOString()} (dansk dato ${danishDate(clock.now())}${startDate ? `, startet med --date ${startDate}` : ''}). Stop med Ctrl+C.
`);

let stopping = false;
// SIGHUP too: a closed terminal stops the system in order, like Ctrl+C.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    runtime.stop().finally(() => process.exit(0));
  });
}
