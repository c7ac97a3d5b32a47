import { z } from 'zod';
import { findCohort } from '#domain/accelerator';
import { advanceOnTimer } from '#domain/company-journey';
import { clock } from '#shared/clock';
import { JourneyChanged, loadJourney, writeJourney } from '#shared/journey-store';
import { logger } from '#shared/logger';
import { rereadBackoff, retry } from '#shared/retry';
import { wrapHandler } from '#shared/wrap-handler';

/** Running executions keep their input for months: accept any payload that carries these fields. */
const input = z.looseObject({
  cvr: z.string().regex(/^\d{8}$/),
  cohortId: z.string().min(1),
  municipality: z.string().min(1),
  legSeq: z.number().int().positive(),
});

export type AdvanceCompanyResult =
  | { moved: true; stage: string; legSeq: number; legEndsAt: string | null }
  | { moved: false; reason: 'superseded' };

/**
 * The CompanyStageTimer's task: leg `legSeq` has run out, so the company is moved to where the calendar puts it
 * (domain/company-journey.ts `advanceOnTimer`) and the next leg begins, or the journey ends (completed, or not
 * selected). A journey no longer on that leg (a decision moved it, or this is a retry) is left as it is. A write
 * refused on every attempt ends the step with RetriesExhausted, which the state machine records as a failure.
 */
export const handler = wrapHandler(
  'advance-company-stage',
  async (event: unknown): Promise<AdvanceCompanyResult> => {
    const { cvr, cohortId, municipality, legSeq } = input.parse(event);
    const cohort = findCohort(cohortId);
    if (!cohort) throw new Error(`Cohort ${cohortId} not found`);
    const policy = { ...rereadBackoff, retryable: (error: unknown) => error instanceof JourneyChanged };
    return retry(`advance-company-stage ${cohortId} leg ${legSeq}`, policy, async () => {
      const journey = await loadJourney(municipality, cvr, cohortId);
      if (!journey) throw new Error(`Journey of ${cvr} in ${cohortId} not found`);
      const decision = advanceOnTimer(cohort, journey, legSeq, {
        at: clock.now().toISOString(),
        by: 'timer',
      });
      if (decision.kind !== 'change') return { moved: false, reason: 'superseded' };
      await writeJourney(journey.eventSeq, decision.state, decision.events);
      const started = decision.events.find((e) => e.kind === 'stage-started');
      logger.info('Company stage advanced', { cohortId, stage: decision.state.stage, legSeq: legSeq + 1 });
      return {
        moved: true,
        stage: decision.state.stage,
        legSeq: decision.state.legSeq,
        legEndsAt: started?.kind === 'stage-started' ? (started.legEndsAt ?? null) : null,
      };
    });
  },
);
