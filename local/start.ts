import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { roleLabels } from '#domain/access';
import { findMunicipality } from '#domain/programme';
import { clock } from '#shared/clock';
import { DEMO_PASSWORD } from './demo-users.ts';
import { faultPlanFromEnv } from './faults.ts';
import { startLocalRuntime } from './runtime.ts';

/**
 * `npm start`: the whole system on this machine, carrying on from the data folder the last run left
 * (`DATA_DIR`, default `.local/data`, git-ignored); `npm start -- --fresh` empties it first.
 */
const port = Number(process.env.PORT ?? 3000);
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = path.resolve(repoRoot, process.env.DATA_DIR ?? '.local/data');
const fresh = process.argv.slice(2).includes('--fresh');
const runtime = await startLocalRuntime({ port, dataDir, fresh, faults: faultPlanFromEnv() });

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
  Finans-indbakke:         ${runtime.url}/_local/inbox
  Spol uret frem:          curl -X POST ${runtime.url}/_local/clock -H 'Content-Type: application/json' -d '{"advanceDays": 183}'

Demobrugere (kun lokalt):
${demoUserTable()}

Data gemmes i ${path.relative(process.cwd(), dataDir) || dataDir} og bruges igen ved næste start (start forfra: npm start -- --fresh).
Lokal tid: ${clock.now().toISOString()}. Stop med Ctrl+C.
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
