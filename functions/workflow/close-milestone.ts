import { z } from 'zod';
import { clock } from '#shared/clock';
import { logger } from '#shared/logger';
import {
  loadMilestone,
  loadReferral,
  markMilestoneUnconfirmed,
  TransactionRefused,
} from '#shared/pathway-store';
import { rereadBackoff, retry } from '#shared/retry';
import { wrapHandler } from '#shared/wrap-handler';

const input = z.looseObject({
  referralId: z.string().min(1),
  outcomeId: z.string().min(1),
  weeks: z.number().int().positive(),
});

export type CloseResult = { continue: boolean; status: string };

/**
 * The sustainment workflow's task at a milestone's deadline: a confirmed job (or education) goes on to the next
 * milestone; an ended one stops; an unanswered one is marked unconfirmed (no payment, flagged for follow-up) and stops.
 * A write refused on every attempt ends the step with RetriesExhausted, which the state machine records.
 */
export const handler = wrapHandler('close-milestone', async (event: unknown): Promise<CloseResult> => {
  const { referralId, outcomeId, weeks } = input.parse(event);
  // A confirmation (or another event) landing meanwhile refuses the write: read again and decide again.
  const policy = { ...rereadBackoff, retryable: (error: unknown) => error instanceof TransactionRefused };
  const operation = `close-milestone ${weeks} weeks of outcome ${outcomeId} (referral ${referralId})`;
  return retry(operation, policy, async (): Promise<CloseResult> => {
    const milestone = await loadMilestone(referralId, outcomeId, weeks);
    if (!milestone) throw new Error(`Milestone ${weeks} of outcome ${outcomeId} was never opened`);
    if (milestone.status !== 'awaiting-confirmation') {
      return { continue: milestone.status === 'confirmed', status: milestone.status };
    }
    const referral = await loadReferral(referralId);
    if (!referral) throw new Error(`Referral ${referralId} not found`);
    await markMilestoneUnconfirmed(referral, milestone, clock.now().toISOString());
    logger.warn('Milestone unconfirmed at its deadline: flagged for follow-up', {
      referralId,
      outcomeId,
      weeks,
    });
    return { continue: false, status: 'unconfirmed' };
  });
});
