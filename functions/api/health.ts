import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { dynamodb, requiredEnv } from '#shared/aws';
import { callerOf, notSignedIn } from '#shared/caller';
import { json } from '#shared/http';
import { logger } from '#shared/logger';
import { isDependencyOutage } from '#shared/retry';
import { RETRY_AFTER_SECONDS, wrapHttpHandler } from '#shared/wrap-handler';

/** A key no item has: reading it touches the table (and its key) but no data. */
const PROBE_KEY = { pk: { S: 'HEALTH' }, sk: { S: 'HEALTH' } };

/**
 * GET /health: whether the table answers, for a monitor or a user who wonders. Any signed-in role may ask; the
 * authorizer already guarantees a caller, the check here only keeps a misrouted request out. A missing table
 * counts as unreachable: locally it is what the moments after a DynamoDB Local restart look like.
 */
export const handler = wrapHttpHandler('health', async (event) => {
  if (!callerOf(event)) throw notSignedIn();
  try {
    await dynamodb.send(
      new GetItemCommand({
        TableName: requiredEnv('TABLE_NAME'),
        Key: PROBE_KEY,
        ProjectionExpression: 'pk',
      }),
    );
  } catch (error) {
    if (!isDependencyOutage(error) && !isNamed(error, 'ResourceNotFoundException')) throw error;
    logger.warn('Health check: table unreachable', { error: errorName(error) });
    return json(503, { status: 'unavailable' }, { 'Retry-After': String(RETRY_AFTER_SECONDS) });
  }
  return json(200, { status: 'ok' });
});

function isNamed(error: unknown, name: string): boolean {
  return error instanceof Error && error.name === name;
}

/** The error's name (or code) only: enough to tell throttling from a dead endpoint, nothing from the request. */
function errorName(error: unknown): unknown {
  const e = error as { name?: unknown; code?: unknown };
  return e?.code ?? e?.name;
}
