import { z } from 'zod';
import { clock } from '#shared/clock';
import { logger } from '#shared/logger';
import {
  loadMilestone,
  loadReferral,
  markMilestoneUnconfirmed,
  TransactionRefused,
} from '#shared/pathway-store';
import { wrapHandler } from '#shared/wrap-handler';

const input = z.looseObject({
  referralId: z.string().min(1),
  outcomeId: z.string().min(1),
  weeks: z.number().int().positive(),
});

export type CloseResult = { continue: boolean; status: string };

/**
 * The sustainment workflow's task at a milestone's deadline: a confirmed job goes on to the next milestone;
 * an ended one stops; an unanswered one is marked unconfirmed (no payment, flagged for follow-up) and stops.
 */
export const handler = wrapHandler('close-milestone', async (event: unknown): Promise<CloseResult> => {
  const { referralId, outcomeId, weeks } = input.parse(event);
  for (;;) {
    const milestone = await loadMilestone(referralId, outcomeId, weeks);
    if (!milestone) throw new Error(`Milestone ${weeks} of outcome ${outcomeId} was never opened`);
    if (milestone.status !== 'awaiting-confirmation') {
      return { continue: milestone.status === 'confirmed', status: milestone.status };
    }
    const referral = await loadReferral(referralId);
    if (!referral) throw new Error(`Referral ${referralId} not found`);
    try {
      await markMilestoneUnconfirmed(referral, milestone, clock.now().toISOString());
      logger.warn('Milestone unconfirmed at its deadline: flagged for follow-up', {
        referralId,
        outcomeId,
        weeks,
      });
      return { continue: false, status: 'unconfirmed' };
    } catch (error) {
      // A confirmation (or another event) landed meanwhile: read again and decide again.
      if (!(error instanceof TransactionRefused)) throw error;
    }
  }
});
