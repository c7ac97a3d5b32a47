import { formatSeconds, helpText, parseSimulationArgs, UsageError } from './simulation.ts';
import { describeRun, runSimulation, UnexpectedStatusError } from './simulation-runner.ts';

/** `npm run simulate`: the programme through the real system; see `--help` and scripts/simulation.ts. */
const started = Date.now();
// The what-if (scripts/what-if.ts) is pure arithmetic: no local system is started for it.
if (process.argv.includes('--what-if')) {
  const { runWhatIfCli } = await import('./what-if.ts');
  try {
    process.exit(runWhatIfCli(process.argv.slice(2).filter((arg) => arg !== '--what-if')));
  } catch (error) {
    console.error(`simulate --what-if: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  }
}
let parsed: ReturnType<typeof parseSimulationArgs>;
try {
  parsed = parseSimulationArgs(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  console.error(`simulate: ${error.message}`);
  process.exit(2);
}
if (parsed.help) {
  console.log(helpText());
  process.exit(0);
}

const abort = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  // A lasting listener: the runtime's own (which kills DynamoDB Local's Java at once) re-raises the signal,
  // ending the process before the runtime is stopped, when no other listener is left. A second signal quits.
  process.on(signal, () => {
    if (abort.signal.aborted) process.exit(130);
    console.error(`\nsimulate: ${signal}, stopping the local system…`);
    abort.abort(new Error(`Interrupted by ${signal}`));
  });
}

try {
  const result = await runSimulation(parsed.options, {
    log: (line) => console.log(line),
    signal: abort.signal,
  });
  console.log('');
  console.log(result.summary);
  console.log('');
  console.log(describeRun(result));
  for (const warning of result.warnings) console.warn(`Warning: ${warning}`);
  console.log(`JSON: ${result.jsonPath}`);
  console.log(`HTML: ${result.htmlPath}`);
  console.log(`CSV:  ${result.csvPath}`);
  console.log(`Wall time: ${formatSeconds(Date.now() - started)}`);
  process.exit(0);
} catch (error) {
  if (abort.signal.aborted) {
    console.error(
      `simulate: interrupted after ${formatSeconds(Date.now() - started)}; the local system is stopped`,
    );
    process.exit(130);
  }
  const message =
    error instanceof UnexpectedStatusError
      ? `unexpected HTTP status: ${error.message}`
      : error instanceof Error
        ? (error.stack ?? error.message)
        : String(error);
  console.error(`simulate failed after ${formatSeconds(Date.now() - started)}: ${message}`);
  process.exit(1);
}
