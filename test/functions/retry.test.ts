import {
  ConditionalCheckFailedException,
  ProvisionedThroughputExceededException,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { backoffDelay, isDependencyOutage, RetriesExhausted, retry } from '#shared/retry';

class Transient extends Error {
  override name = 'Transient';
}
class Permanent extends Error {
  override name = 'Permanent';
}

/** A retry whose pauses are recorded instead of waited for, with a fixed "random" share. */
function harness(random = 0.5) {
  const pauses: number[] = [];
  return {
    pauses,
    policy: {
      baseDelayMs: 100,
      maxDelayMs: 1_000,
      retryable: (error: unknown) => error instanceof Transient,
      sleep: async (ms: number) => {
        pauses.push(ms);
      },
      random: () => random,
    },
  };
}

/** Work that fails with `failures` in turn, then answers 'done'. */
function failing(...failures: Error[]) {
  const calls: number[] = [];
  const work = async (attempt: number) => {
    calls.push(attempt);
    const failure = failures[attempt - 1];
    if (failure) throw failure;
    return 'done';
  };
  return { calls, work };
}

describe('retry', () => {
  it.each([
    { case: 'succeeds at once', attempts: 3, failures: 0, result: 'done', calls: 1 },
    { case: 'succeeds on the last attempt', attempts: 3, failures: 2, result: 'done', calls: 3 },
    { case: 'runs out of attempts', attempts: 3, failures: 3, result: RetriesExhausted, calls: 3 },
    {
      case: 'a single attempt is never repeated',
      attempts: 1,
      failures: 1,
      result: RetriesExhausted,
      calls: 1,
    },
    { case: 'zero attempts still runs once', attempts: 0, failures: 0, result: 'done', calls: 1 },
    { case: 'stops at its bound', attempts: 5, failures: 9, result: RetriesExhausted, calls: 5 },
  ])('$case: $calls call(s)', async ({ attempts, failures, result, calls }) => {
    // Prepare
    const { policy, pauses } = harness();
    const { work, calls: made } = failing(...Array.from({ length: failures }, () => new Transient('busy')));
    // Act
    const outcome = retry('the operation', { ...policy, attempts }, work).catch((error: unknown) => error);
    // Assess
    if (typeof result === 'string') expect(await outcome).toBe(result);
    else expect(await outcome).toBeInstanceOf(result);
    expect(made).toEqual(Array.from({ length: calls }, (_, i) => i + 1));
    // A pause between attempts, none after the last.
    expect(pauses).toHaveLength(calls - 1);
  });

  it('names the operation, the attempts and the last error when it gives up', async () => {
    // Prepare
    const { policy } = harness();
    const { work } = failing(new Transient('first'), new Transient('second'));
    // Act
    const error = await retry('advance-phase of referral r-1', { ...policy, attempts: 2 }, work).catch(
      (e: unknown) => e,
    );
    // Assess
    expect(error).toBeInstanceOf(RetriesExhausted);
    expect(error).toMatchObject({
      name: 'RetriesExhausted',
      operation: 'advance-phase of referral r-1',
      attempts: 2,
      message: 'advance-phase of referral r-1: gave up after 2 attempts; last error: Transient: second',
    });
    expect((error as RetriesExhausted).cause).toBeInstanceOf(Transient);
  });

  it("throws the caller's own error when it gives up, if it names one", async () => {
    const { policy } = harness();
    const { work } = failing(new Transient('a'), new Transient('b'));
    const error = await retry(
      'x',
      { ...policy, attempts: 2, exhausted: (last, n) => new Permanent(`${n}: ${(last as Error).message}`) },
      work,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Permanent);
    expect((error as Error).message).toBe('2: b');
  });

  it('lets a non-retryable error through at once, unchanged, without a pause', async () => {
    // Prepare
    const { policy, pauses } = harness();
    const permanent = new Permanent('no');
    const { work, calls } = failing(new Transient('busy'), permanent);
    // Act
    const error = await retry('x', { ...policy, attempts: 5 }, work).catch((e: unknown) => e);
    // Assess
    expect(error).toBe(permanent);
    expect(calls).toEqual([1, 2]);
    expect(pauses).toHaveLength(1);
  });

  it.each([
    { random: 0, pauses: [0, 0, 0, 0, 0] },
    // Just under 1: the cap doubles from the base (100 ms) and stops at the maximum (1 s).
    { random: 0.999_999, pauses: [99, 199, 399, 799, 999] },
    { random: 0.5, pauses: [50, 100, 200, 400, 500] },
  ])('pauses a random share of a doubling cap (random = $random)', async ({ random, pauses: expected }) => {
    // Prepare
    const { policy, pauses } = harness(random);
    const { work } = failing(...Array.from({ length: 6 }, () => new Transient('busy')));
    // Act
    await retry('x', { ...policy, attempts: 6 }, work).catch(() => undefined);
    // Assess
    expect(pauses).toEqual(expected);
  });

  it('keeps every pause within [0, cap) for any random share', () => {
    for (let attempt = 1; attempt <= 10; attempt++) {
      const cap = Math.min(1_000, 100 * 2 ** (attempt - 1));
      for (const share of [0, 0.1, 0.5, 0.9, 0.999_999]) {
        const delay = backoffDelay(attempt, { baseDelayMs: 100, maxDelayMs: 1_000 }, () => share);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThan(cap);
      }
    }
  });
});

/** An SDK-shaped error: a name, and the HTTP status the service answered with. */
function sdkError(name: string, httpStatusCode?: number): Error {
  return Object.assign(new Error(name), { name, $metadata: { httpStatusCode } });
}
function networkError(code: string, message = `connect ${code} 127.0.0.1:1`): Error {
  return Object.assign(new Error(message), { code });
}

describe('isDependencyOutage', () => {
  it.each([
    // Unreachable: Node's socket errors, as the SDK passes them on.
    ['connection refused', networkError('ECONNREFUSED'), true],
    ['connection reset', networkError('ECONNRESET'), true],
    ['timed out', networkError('ETIMEDOUT'), true],
    ['host unreachable', networkError('EHOSTUNREACH'), true],
    ['name not resolved for now', networkError('EAI_AGAIN'), true],
    ['socket hang up', new Error('socket hang up'), true],
    [
      'refused on both addresses of localhost',
      Object.assign(new AggregateError([networkError('ECONNREFUSED'), networkError('ECONNREFUSED')]), {
        code: undefined,
      }),
      true,
    ],
    ['wrapped in a cause', new Error('request failed', { cause: networkError('ECONNREFUSED') }), true],
    ['the SDK gave up timing out', sdkError('TimeoutError'), true],
    // Overloaded: throttling by name, whatever the service.
    [
      'DynamoDB throttled',
      new ProvisionedThroughputExceededException({
        message: 'slow down',
        $metadata: { httpStatusCode: 400 },
      }),
      true,
    ],
    ['request limit', sdkError('RequestLimitExceeded', 400), true],
    ['KMS or SFN throttled', sdkError('ThrottlingException', 400), true],
    ['Cognito throttled', sdkError('TooManyRequestsException', 400), true],
    ['internal server error', sdkError('InternalServerError', 500), true],
    ['service unavailable', sdkError('ServiceUnavailable', 503), true],
    ['KMS internal', sdkError('KMSInternalException', 500), true],
    ['any 5xx', sdkError('UnknownError', 502), true],
    ['429 too many requests', sdkError('UnknownError', 429), true],
    [
      'a transaction cancelled by throttling',
      new TransactionCanceledException({
        message: 'cancelled',
        $metadata: { httpStatusCode: 400 },
        CancellationReasons: [{ Code: 'None' }, { Code: 'ThrottlingError' }],
      }),
      true,
    ],
    // Answers, not outages: the request itself was wrong or refused.
    [
      'a condition that failed',
      new ConditionalCheckFailedException({ message: 'no', $metadata: { httpStatusCode: 400 } }),
      false,
    ],
    [
      'a transaction cancelled by a condition',
      new TransactionCanceledException({
        message: 'cancelled',
        $metadata: { httpStatusCode: 400 },
        CancellationReasons: [{ Code: 'ConditionalCheckFailed' }],
      }),
      false,
    ],
    ['a validation error', sdkError('ValidationException', 400), false],
    ['access denied', sdkError('AccessDeniedException', 403), false],
    ['a bug', new TypeError("Cannot read properties of undefined (reading 'phase')"), false],
    ['a missing setting', new Error('Environment variable TABLE_NAME is not set'), false],
    ['a file that is not there', networkError('ENOENT', 'no such file'), false],
    ['not an error at all', 'ECONNREFUSED', false],
    ['nothing', undefined, false],
  ])('%s → %s', (_case, error, outage) => {
    // Act / Assess
    expect(isDependencyOutage(error)).toBe(outage);
  });

  it('sees an outage behind retries that ran out', () => {
    expect(isDependencyOutage(new RetriesExhausted('x', 3, networkError('ECONNREFUSED')))).toBe(true);
    expect(isDependencyOutage(new RetriesExhausted('x', 3, new Permanent('no')))).toBe(false);
  });

  it('does not loop on an error that is its own cause', () => {
    const error = new Error('loop') as Error & { cause?: unknown };
    error.cause = error;
    expect(isDependencyOutage(error)).toBe(false);
  });
});
