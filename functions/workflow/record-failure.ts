import { z } from 'zod';
import { clock } from '#shared/clock';
import { executionNames } from '#shared/execution-names';
import { logger } from '#shared/logger';
import { recordFailure, resultIdOf } from '#shared/pathway-store';
import { wrapHandler } from '#shared/wrap-handler';

const input = z.looseObject({
  referralId: z.string().min(1),
  phaseSeq: z.number().optional(),
  outcomeId: z.string().optional(),
  milestoneWeeks: z.number().optional(),
  workflow: z.string().optional(),
  error: z.looseObject({ Error: z.string().optional(), Cause: z.string().optional() }).optional(),
});

/** Lambda errors arrive as a JSON Cause; keep its message, not its stack. */
function causeMessage(cause: string | undefined): string {
  if (!cause) return '';
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: unknown };
    if (typeof parsed.errorMessage === 'string') return parsed.errorMessage.slice(0, 500);
  } catch {
    // Not JSON: a plain text cause.
  }
  return cause.slice(0, 500);
}

/**
 * The catch path of both state machines: the failure is written onto the pathway, where caseworkers and the
 * status page see it, before the execution ends as Failed (which raises the alarm).
 */
export const handler = wrapHandler('record-failure', async (event: unknown) => {
  const { referralId, phaseSeq, outcomeId, milestoneWeeks, workflow, error } = input.parse(event);
  const executionName = executionNameOf(referralId, { phaseSeq, outcomeId, milestoneWeeks, workflow });
  const failure = {
    referralId,
    at: clock.now().toISOString(),
    executionName,
    error: error?.Error ?? 'Unknown',
    message: causeMessage(error?.Cause),
  };
  await recordFailure(failure);
  logger.warn('Workflow failure recorded', { referralId, executionName, error: failure.error });
  return { recorded: true };
});

/** Which execution failed, from the ids its input carries (the same names the dispatcher gave them). */
function executionNameOf(
  referralId: string,
  ids: { phaseSeq?: number; outcomeId?: string; milestoneWeeks?: number; workflow?: string },
): string {
  if (ids.workflow === 'sustainment' && ids.outcomeId) return executionNames.sustainment(ids.outcomeId);
  if (ids.outcomeId) {
    return executionNames.payment(
      ids.milestoneWeeks ? resultIdOf(ids.outcomeId, ids.milestoneWeeks) : ids.outcomeId,
    );
  }
  return executionNames.phaseTimer(referralId, ids.phaseSeq ?? 0);
}
