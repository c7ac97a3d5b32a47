import { z } from 'zod';
import { danishDate } from '#domain/dates';
import { reminderDueAt } from '#domain/reminders';
import { confirmationDeadline, deadlineInstant, sustainmentMilestones } from '#domain/sustainment';
import { clock } from '#shared/clock';
import { logger } from '#shared/logger';
import { loadMilestone, loadPathway, openMilestone, TransactionRefused } from '#shared/pathway-store';
import { rereadBackoff, retry } from '#shared/retry';
import { wrapHandler } from '#shared/wrap-handler';

const input = z.looseObject({
  referralId: z.string().min(1),
  outcomeId: z.string().min(1),
  weeks: z.number().int().positive(),
});

export type OpenResult =
  /** `remindAt`: when the workflow reminds the employment actor of the deadline (domain/reminders.ts). */
  { open: true; deadlineAt: string; remindAt: string } | { open: false; reason: 'job-ended' | 'dropped-out' };

/**
 * The sustainment workflow's task when a milestone falls due: it now awaits a person's confirmation, unless the
 * job (or education) it follows has already ended. Safe to retry: an opened milestone is found and reported open again. A write refused on
 * every attempt ends the step with RetriesExhausted, which the state machine records as the pathway's failure.
 */
export const handler = wrapHandler('open-milestone', async (event: unknown): Promise<OpenResult> => {
  const { referralId, outcomeId, weeks } = input.parse(event);
  // Another event written to the pathway meanwhile refuses the write: read again and decide again.
  const policy = { ...rereadBackoff, retryable: (error: unknown) => error instanceof TransactionRefused };
  const operation = `open-milestone ${weeks} weeks of outcome ${outcomeId} (referral ${referralId})`;
  return retry(operation, policy, async (): Promise<OpenResult> => {
    const opened = await loadMilestone(referralId, outcomeId, weeks);
    if (opened) return openResult(opened);
    const pathway = await loadPathway(referralId);
    const outcome = pathway?.outcomes.find((o) => o.outcomeId === outcomeId);
    if (!pathway || !outcome) throw new Error(`Outcome ${outcomeId} of referral ${referralId} not found`);
    if (outcome.endedOn) return { open: false, reason: 'job-ended' };
    // A citizen who left the programme is not followed up: no milestone, no payment.
    if (pathway.referral.closedReason === 'dropout') return { open: false, reason: 'dropped-out' };
    const plan = sustainmentMilestones(outcome.date).find((m) => m.weeks === weeks);
    if (!plan) throw new Error(`No ${weeks}-week milestone`);
    // A job or education start recorded late opens its milestones late; each still gets its full window to be answered.
    const deadlineOn = confirmationDeadline(plan.deadlineOn, danishDate(clock.now()));
    const milestone = {
      referralId,
      outcomeId,
      weeks,
      dueOn: plan.dueOn,
      deadlineOn,
      status: 'awaiting-confirmation' as const,
      openedAt: clock.now().toISOString(),
    };
    await openMilestone(pathway.referral, milestone);
    logger.info('Milestone opened', { referralId, outcomeId, weeks });
    return openResult(milestone);
  });
});

/** The workflow's two timers of an open milestone, from its stored dates. */
function openResult(milestone: { dueOn: string; deadlineOn: string }): OpenResult {
  return {
    open: true,
    deadlineAt: deadlineInstant(milestone.deadlineOn),
    remindAt: reminderDueAt('deadline-approaching', milestone),
  };
}
