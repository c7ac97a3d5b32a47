import { z } from 'zod';
import { advanceOnTimer, phaseEndsAt } from '#domain/pathway';
import { clock } from '#shared/clock';
import { logger } from '#shared/logger';
import { advancePhase, loadReferral, TransactionRefused } from '#shared/pathway-store';
import { rereadBackoff, retry } from '#shared/retry';
import { wrapHandler } from '#shared/wrap-handler';

/** Running executions keep their input for months: accept any payload that carries these two fields. */
const input = z.looseObject({ referralId: z.string().min(1), phaseSeq: z.number().int().positive() });

export type AdvanceResult =
  | { moved: true; phase: string; phaseSeq: number }
  | { moved: false; reason: 'superseded' };

/**
 * The phase timer's task: the phase has run out, so move the pathway on, unless something (an outcome) has
 * moved it since this timer started; then there is nothing to do. Safe to retry: a repeat finds the pathway
 * already moved and reports "superseded". A write refused on every attempt ends the step with RetriesExhausted,
 * which the state machine records as the pathway's failure.
 */
export const handler = wrapHandler('advance-phase', async (event: unknown): Promise<AdvanceResult> => {
  const { referralId, phaseSeq } = input.parse(event);
  // An outcome written between our read and write refuses the write: read again and decide again.
  const policy = { ...rereadBackoff, retryable: (error: unknown) => error instanceof TransactionRefused };
  return retry(`advance-phase of referral ${referralId} (phase ${phaseSeq})`, policy, async () => {
    const referral = await loadReferral(referralId);
    if (!referral) throw new Error(`Referral ${referralId} not found`);
    if (referral.phaseSeq !== phaseSeq || referral.phase === 'closed')
      return { moved: false, reason: 'superseded' };
    const next = advanceOnTimer(referral, referral.plan);
    await advancePhase(referral, next, phaseEndsAt(next), clock.now().toISOString());
    logger.info('Phase advanced', { referralId, phase: next.phase, phaseSeq: next.phaseSeq });
    return { moved: true, phase: next.phase, phaseSeq: next.phaseSeq };
  });
});
