import { z } from 'zod';
import { clock } from '#shared/clock';
import { executionNames } from '#shared/execution-names';
import { recordJourneyFailure } from '#shared/journey-store';
import { logger } from '#shared/logger';
import { wrapHandler } from '#shared/wrap-handler';

const input = z.looseObject({
  cvr: z.string().min(1),
  cohortId: z.string().min(1),
  legSeq: z.number().int().nonnegative(),
  error: z.looseObject({ Error: z.string().optional(), Cause: z.string().optional() }).optional(),
});

/** Lambda errors arrive as a JSON Cause; keep its message, not its stack. */
const causeSchema = z.looseObject({ errorMessage: z.string() });
function causeMessage(cause: string | undefined): string {
  if (!cause) return '';
  try {
    const parsed = causeSchema.safeParse(JSON.parse(cause));
    if (parsed.success) return parsed.data.errorMessage.slice(0, 500);
  } catch {
    // Not JSON: a plain text cause.
  }
  return cause.slice(0, 500);
}

/**
 * The CompanyStageTimer's catch path: the failure is written onto the journey before the execution ends as
 * Failed (which raises the alarm); the leg's execution name says which timer it was.
 */
export const handler = wrapHandler('record-journey-failure', async (event: unknown) => {
  const { cvr, cohortId, legSeq, error } = input.parse(event);
  const failure = {
    cvr,
    cohortId,
    at: clock.now().toISOString(),
    executionName: executionNames.companyStageTimer(cvr, cohortId, legSeq),
    error: error?.Error ?? 'Unknown',
    message: causeMessage(error?.Cause),
  };
  await recordJourneyFailure(failure);
  logger.warn('Company journey failure recorded', { cohortId, executionName: failure.executionName });
  return { recorded: true };
});
