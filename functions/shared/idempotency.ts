import { createHash } from 'node:crypto';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { Caller } from '#domain/access';
import { recordRead } from './access-log.ts';
import { clock } from './clock.ts';
import { HttpError, header } from './http.ts';
import {
  findStoredResponse,
  type IdempotencyWrite,
  type StoredResponse,
  TransactionContended,
  TransactionRefused,
} from './pathway-store.ts';

/** A repeat within this window returns the first answer; afterwards the key may be reused. */
const RETENTION_SECONDS = 24 * 60 * 60;

export interface IdempotencyRequest {
  hash: string;
  fingerprint: string;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Reads the `Idempotency-Key` header. The stored key is a hash of route, signed-in user and key, so a key is
 * the user's own: another user sending the same key (guessed or copied) never gets the first user's answer,
 * which may name a citizen. The fingerprint is a hash of what the caller asked for, built by the handler from
 * data that holds no CPR number in clear.
 */
export function idempotencyRequest(
  event: APIGatewayProxyEvent,
  caller: Caller,
  route: string,
  fingerprintOf: string,
): IdempotencyRequest | undefined {
  const key = header(event, 'idempotency-key');
  if (key === undefined) return undefined;
  if (key.length < 1 || key.length > 255) {
    throw new HttpError(400, [{ field: 'Idempotency-Key', message: 'Idempotency-Key skal være 1–255 tegn' }]);
  }
  return { hash: sha256(`${route}\n${caller.username}\n${key}`), fingerprint: sha256(fingerprintOf) };
}

/** The first answer to this key, or a 422 when the key was used for a different request. */
export async function replay(
  request: IdempotencyRequest | undefined,
): Promise<APIGatewayProxyResult | undefined> {
  if (!request) return undefined;
  const stored = await findStoredResponse(request.hash, epochSeconds());
  if (!stored) return undefined;
  if (stored.fingerprint !== request.fingerprint) {
    throw new HttpError(422, [
      { field: 'Idempotency-Key', message: 'Nøglen er allerede brugt til en anden forespørgsel' },
    ]);
  }
  return { ...stored.response, headers: { ...stored.response.headers, 'Idempotent-Replayed': 'true' } };
}

export function idempotencyWrite(
  request: IdempotencyRequest | undefined,
  response: StoredResponse,
): IdempotencyWrite | undefined {
  if (!request) return undefined;
  const now = epochSeconds();
  return {
    hash: request.hash,
    fingerprint: request.fingerprint,
    response,
    expiresAt: now + RETENTION_SECONDS,
    now,
  };
}

const epochSeconds = () => Math.floor(clock.now().getTime() / 1000);

/**
 * A replayed answer is logged as a read of the pathway. Not as the write again: the write's own entry went in
 * with the write's transaction, once, so the log still counts each change once. But the replay hands the
 * first answer out again (for a referral, the citizen's name and pathway), and whoever receives pathway data
 * is in the trail; as for every read, no entry means no answer.
 */
export async function logReplay(
  response: APIGatewayProxyResult,
  caller: Caller,
  referralId: string,
): Promise<APIGatewayProxyResult> {
  await recordRead(referralId, caller, clock.now().toISOString());
  return response;
}

/** What a pathway write gets to store with its answer: the idempotency record, when the caller sent a key. */
export type RememberAnswer = (response: APIGatewayProxyResult) => IdempotencyWrite | undefined;

/**
 * Pauses between looks for a concurrent duplicate's answer, about a third of a second in all. On DynamoDB the
 * winner's record is committed with its change, so the first look almost always finds it; the later ones cover
 * a winner whose transaction is still being retried (TransactionConflict) when this request gave up.
 */
const FIRST_ANSWER_PAUSES_MS = [10, 20, 40, 80, 160] as const;

/**
 * Failures that a concurrent request with the same key can cause: its transaction made ours fail a condition
 * (TransactionRefused), kept ours conflicting (TransactionContended), or changed the pathway before we read it,
 * so that ours was refused by a rule (409: closed, already answered, a job already running). Other refusals
 * (400, 403, 404, 422) do not depend on another writer, and are answered as they are.
 */
function mayHaveLostToDuplicate(error: unknown): boolean {
  return (
    error instanceof TransactionRefused ||
    error instanceof TransactionContended ||
    (error instanceof HttpError && error.statusCode === 409)
  );
}

/**
 * The first answer to the key, when this request's write failed because a duplicate with the same key won:
 * the duplicate's answer is stored in the very transaction that beat ours, so it is read again, waiting a
 * bounded moment for it to appear. Undefined when there is no key, the failure is not one a duplicate causes,
 * or no answer appears (another writer beat us: the caller answers with its own refusal). Every write under a
 * key goes through here, so a repeated key gets the first answer however the race went.
 */
export async function replayAfterLoss(
  request: IdempotencyRequest | undefined,
  error: unknown,
): Promise<APIGatewayProxyResult | undefined> {
  if (!request || !mayHaveLostToDuplicate(error)) return undefined;
  for (const pause of [0, ...FIRST_ANSWER_PAUSES_MS]) {
    if (pause > 0) await new Promise((resolve) => setTimeout(resolve, pause));
    const first = await replay(request);
    if (first) return first;
  }
  return undefined;
}

/**
 * The shape every pathway POST shares: a repeated `Idempotency-Key` gets the first answer; otherwise `attempt`
 * reads the pathway, decides and writes in one transaction (storing its answer with `remember`). When another
 * writer changed the pathway between the read and the write (TransactionRefused), it reads and decides again;
 * if that keeps happening, the user is asked to try again (409), never shown a 500. When the failure may be a
 * duplicate with the same key winning the race, the duplicate's answer is the answer (`replayAfterLoss`).
 */
export async function writeOnce(options: {
  event: APIGatewayProxyEvent;
  caller: Caller;
  /** The pathway written to: a replay is logged as a read of it. */
  referralId: string;
  route: string;
  /** What the caller asked for, without personal data in clear. */
  fingerprint: string;
  attempt: (remember: RememberAnswer) => Promise<APIGatewayProxyResult>;
  /**
   * Throws (404) when the caller may no longer see the pathway — moved to another municipality since the first
   * answer — so that a stored answer is replayed only to someone who could read it now.
   */
  checkAccess: () => Promise<unknown>;
  attempts?: number;
}): Promise<APIGatewayProxyResult> {
  const request = idempotencyRequest(options.event, options.caller, options.route, options.fingerprint);
  const replayed = await replay(request);
  if (replayed) {
    await options.checkAccess();
    return logReplay(replayed, options.caller, options.referralId);
  }
  const remember: RememberAnswer = (response) =>
    idempotencyWrite(request, {
      statusCode: response.statusCode,
      body: response.body,
      headers: response.headers as Record<string, string>,
    });
  const attempts = options.attempts ?? 3;
  for (let attempt = 1; ; attempt++) {
    try {
      return await options.attempt(remember);
    } catch (error) {
      const first = await replayAfterLoss(request, error);
      if (first) {
        await options.checkAccess();
        return logReplay(first, options.caller, options.referralId);
      }
      if (!(error instanceof TransactionRefused)) throw error;
      if (attempt >= attempts) {
        throw new HttpError(409, [{ field: 'id', message: 'Forløbet blev ændret samtidig. Prøv igen.' }]);
      }
    }
  }
}
