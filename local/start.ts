import { clock } from '#shared/clock';
import { startLocalRuntime } from './runtime.ts';

/** `npm start`: the whole system on this machine. */
const port = Number(process.env.PORT ?? 3000);
const runtime = await startLocalRuntime({ port });

console.log(`
Social inklusion gennem Vækstpartnerskaber kører lokalt på ${runtime.url}

  Visitation (formular):   ${runtime.url}/
  Betalinger:              ${runtime.url}/payments
  Finans-indbakke:         ${runtime.url}/_local/inbox
  Spol uret frem:          curl -X POST ${runtime.url}/_local/clock -H 'Content-Type: application/json' -d '{"advanceDays": 183}'

Lokal tid: ${clock.now().toISOString()}. Stop med Ctrl+C.
`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    runtime.stop().finally(() => process.exit(0));
  });
}
