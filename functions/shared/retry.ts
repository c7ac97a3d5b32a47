/**
 * Every retry in the functions goes through `retry`: a fixed number of attempts, jittered backoff between them,
 * and a predicate that says which errors are worth another attempt. Anything else passes through at once.
 * When the attempts run out the caller gets one error that names the operation, never an endless loop.
 */

export interface RetryPolicy {
  /** Attempts in all, the first included (at least 1). */
  attempts: number;
  /** The cap on the pause before the second attempt; it doubles for each attempt after that. */
  baseDelayMs: number;
  /** No pause is longer than this, however many attempts came before. */
  maxDelayMs?: number;
  /** Whether another attempt may succeed where this one failed. */
  retryable: (error: unknown) => boolean;
  /** The error thrown when the attempts run out; by default RetriesExhausted. */
  exhausted?: (lastError: unknown, attempts: number) => Error;
  /** Injected by tests; real time otherwise. */
  sleep?: (ms: number) => Promise<void>;
  /** Injected by tests: a number in [0, 1). */
  random?: () => number;
}

/** Every attempt failed with a retryable error: the operation, how often it was tried and its last error. */
export class RetriesExhausted extends Error {
  override name = 'RetriesExhausted';
  constructor(
    public readonly operation: string,
    public readonly attempts: number,
    public readonly lastError: unknown,
  ) {
    super(`${operation}: gave up after ${attempts} attempts; last error: ${describe(lastError)}`, {
      cause: lastError,
    });
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/**
 * Re-reading after a refused write: another writer changed the item between our read and our write, so a
 * fresh read usually settles it at once. A refusal that outlasts these attempts is a condition that fails for
 * good, and the step ends with RetriesExhausted rather than spinning until its timeout.
 */
export const rereadBackoff = { attempts: 5, baseDelayMs: 20, maxDelayMs: 500 } as const;

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The pause before attempt `attempt + 1`: "full jitter", a random share of an exponentially growing cap, so
 * that writers who collided once do not collide again in step.
 */
export function backoffDelay(
  attempt: number,
  policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>,
  random: () => number = Math.random,
): number {
  const cap = Math.min(
    policy.maxDelayMs ?? Number.POSITIVE_INFINITY,
    policy.baseDelayMs * 2 ** (attempt - 1),
  );
  return Math.floor(random() * cap);
}

/** Runs `work` (given the attempt number, from 1) until it succeeds, fails for good, or the attempts run out. */
export async function retry<T>(
  operation: string,
  policy: RetryPolicy,
  work: (attempt: number) => Promise<T>,
): Promise<T> {
  const attempts = Math.max(1, Math.floor(policy.attempts));
  const sleep = policy.sleep ?? realSleep;
  const random = policy.random ?? Math.random;
  let lastError: unknown;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      return await work(attempt);
    } catch (error) {
      if (!policy.retryable(error)) throw error;
      lastError = error;
    }
    if (attempt < attempts) await sleep(backoffDelay(attempt, policy, random));
  }
  throw policy.exhausted?.(lastError, attempts) ?? new RetriesExhausted(operation, attempts, lastError);
}

/** Error names by which AWS services say "not now" (throttling) or "not me" (a fault on their side). */
const UNAVAILABLE_NAMES = new Set([
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestThrottledException',
  'InternalServerError',
  'InternalServerErrorException',
  'InternalFailure',
  'InternalErrorException',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'KMSInternalException',
  'DependencyTimeoutException',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
]);

/** Node's socket errors when the other end is not there, or stopped answering. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
]);

/** DynamoDB cancels a transaction item by item; these reasons are throttling, not a refused condition. */
const THROTTLED_REASONS = new Set(['ThrottlingError', 'ProvisionedThroughputExceeded']);

type ErrorLike = {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  errors?: unknown;
  cause?: unknown;
  $metadata?: { httpStatusCode?: unknown };
  CancellationReasons?: Array<{ Code?: unknown }>;
};

/**
 * Whether an error means a dependency (DynamoDB, KMS, Step Functions, Cognito) is unreachable or overloaded
 * right now: the same request may succeed in a moment, so the caller is told "try again later" (503), not
 * that something is broken (500). Pure: it looks at the error only. A connection refused on a host with two
 * addresses arrives as an AggregateError, and a wrapped error carries the original as its cause: both are
 * searched, a few levels deep.
 */
export function isDependencyOutage(error: unknown, depth = 0): boolean {
  if (depth > 3 || typeof error !== 'object' || error === null) return false;
  const e = error as ErrorLike;
  if (typeof e.name === 'string' && UNAVAILABLE_NAMES.has(e.name)) return true;
  if (typeof e.code === 'string' && NETWORK_CODES.has(e.code)) return true;
  if (typeof e.message === 'string' && /socket hang up/i.test(e.message)) return true;
  const status = e.$metadata?.httpStatusCode;
  if (typeof status === 'number' && (status >= 500 || status === 429)) return true;
  if (e.name === 'TransactionCanceledException' && Array.isArray(e.CancellationReasons)) {
    if (e.CancellationReasons.some((r) => typeof r?.Code === 'string' && THROTTLED_REASONS.has(r.Code))) {
      return true;
    }
  }
  if (Array.isArray(e.errors) && e.errors.some((inner) => isDependencyOutage(inner, depth + 1))) return true;
  return isDependencyOutage(e.cause, depth + 1);
}
