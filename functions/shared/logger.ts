import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * A small structured logger. Powertools' Logger has no redaction, and these Lambdas handle CPR numbers, so
 * every line passes a last-resort scrub: anything shaped like a CPR number is masked before it is written.
 * Handlers must still never log request bodies; the scrub is a seatbelt, not the rule.
 */
type Level = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
const order: Record<Level, number> = { DEBUG: 10, INFO: 20, WARN: 30, ERROR: 40 };
const threshold = order[(process.env.LOG_LEVEL?.toUpperCase() as Level | undefined) ?? 'INFO'] ?? order.INFO;

const CPR_SHAPE = /\b(\d{6})-?(\d{4})\b/g;

export function scrub(text: string): string {
  return text.replace(CPR_SHAPE, '******-****');
}

/**
 * Per-invocation keys (handler, request id). Kept per async context, not in a module variable: locally many
 * handlers run in one process at once, and each line must name its own.
 */
const context = new AsyncLocalStorage<Record<string, unknown>>();

function write(level: Level, message: string, extra?: Record<string, unknown>): void {
  if (order[level] < threshold) return;
  const line = JSON.stringify(
    { level, message, timestamp: new Date().toISOString(), ...context.getStore(), ...extra },
    errorReplacer,
  );
  const out = scrub(line);
  if (level === 'ERROR' || level === 'WARN') console.error(out);
  else console.log(out);
}

function errorReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack };
  return value;
}

export const logger = {
  debug: (message: string, extra?: Record<string, unknown>) => write('DEBUG', message, extra),
  info: (message: string, extra?: Record<string, unknown>) => write('INFO', message, extra),
  warn: (message: string, extra?: Record<string, unknown>) => write('WARN', message, extra),
  error: (message: string, extra?: Record<string, unknown>) => write('ERROR', message, extra),
  /** Runs `work` with keys added to every line it logs. */
  withContext<T>(values: Record<string, unknown>, work: () => T): T {
    return context.run(values, work);
  },
};
