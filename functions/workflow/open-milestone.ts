import { z } from 'zod';
import { sustainmentMilestones } from '#domain/sustainment';
import { clock } from '#shared/clock';
import { logger } from '#shared/logger';
import { loadMilestone, loadPathway, openMilestone, TransactionRefused } from '#shared/pathway-store';
import { wrapHandler } from '#shared/wrap-handler';

const input = z.looseObject({
  referralId: z.string().min(1),
  outcomeId: z.string().min(1),
  weeks: z.number().int().positive(),
});

export type OpenResult = { open: true } | { open: false; reason: 'job-ended' };

/**
 * The sustainment workflow's task when a milestone falls due: it now awaits a person's confirmation, unless the
 * job has already ended. Safe to retry: an opened milestone is found and reported open again.
 */
export const handler = wrapHandler('open-milestone', async (event: unknown): Promise<OpenResult> => {
  const { referralId, outcomeId, weeks } = input.parse(event);
  for (;;) {
    if (await loadMilestone(referralId, outcomeId, weeks)) return { open: true };
    const pathway = await loadPathway(referralId);
    const outcome = pathway?.outcomes.find((o) => o.outcomeId === outcomeId);
    if (!pathway || !outcome) throw new Error(`Outcome ${outcomeId} of referral ${referralId} not found`);
    if (outcome.endedOn) return { open: false, reason: 'job-ended' };
    const plan = sustainmentMilestones(outcome.date).find((m) => m.weeks === weeks);
    if (!plan) throw new Error(`No ${weeks}-week milestone`);
    try {
      await openMilestone(pathway.referral, {
        referralId,
        outcomeId,
        weeks,
        dueOn: plan.dueOn,
        deadlineOn: plan.deadlineOn,
        status: 'awaiting-confirmation',
        openedAt: clock.now().toISOString(),
      });
      logger.info('Milestone opened', { referralId, outcomeId, weeks });
      return { open: true };
    } catch (error) {
      // Another event was written to the pathway meanwhile: read again.
      if (!(error instanceof TransactionRefused)) throw error;
    }
  }
});
