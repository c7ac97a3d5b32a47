import { isDeepStrictEqual } from 'node:util';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { z } from 'zod';
import { type PathwaySummary, summarize, type WorklistInput } from '#domain/worklist';
import { logger } from '#shared/logger';
import { loadPathway, type Pathway, queryByType } from '#shared/pathway-store';
import { rereadBackoff, retry } from '#shared/retry';
import { loadSummary, SummaryOutdated, saveSummary } from '#shared/summary-store';
import { wrapHandler } from '#shared/wrap-handler';

/**
 * Keeps the lists' read side (functions/shared/summary-store.ts) up to date from the table stream: on every new
 * pathway event or failure, the pathway is loaded whole and its summary recomputed (domain/worklist.ts). Because
 * the summary is made from the current records, not from the record delivered, a redelivered or late record
 * changes nothing, and records of one pathway in a batch are projected once.
 */
export const handler = wrapHandler(
  'project-views',
  async (event: DynamoDBStreamEvent | RebuildEvent): Promise<DynamoDBBatchResponse | RebuildSummary> => {
    if (!('Records' in event)) return rebuild(rebuildEvent.parse(event));
    const done = new Set<string>();
    for (const record of event.Records) {
      const pk = record.dynamodb?.Keys?.pk?.S;
      if (record.eventName === 'REMOVE' || !pk?.startsWith('REFERRAL#')) continue;
      const referralId = pk.slice('REFERRAL#'.length);
      if (done.has(referralId)) continue;
      try {
        await project(referralId);
        done.add(referralId);
      } catch (error) {
        logger.error('Pathway summary not projected', {
          error,
          sequenceNumber: record.dynamodb?.SequenceNumber,
        });
        return { batchItemFailures: [{ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' }] };
      }
    }
    return { batchItemFailures: [] };
  },
);

/** `{ "rebuild": true }`: recompute every pathway's summary (an operator's invocation, or the local start-up). */
const rebuildEvent = z.object({ rebuild: z.literal(true) });
type RebuildEvent = z.infer<typeof rebuildEvent>;

export interface RebuildSummary {
  checked: number;
  /** Summaries written because they were missing or differed from the pathway's records. */
  changed: number;
  /** Pathways that could not be projected (logged); a second rebuild tries them again. */
  failed: string[];
}

/**
 * Every pathway, listed through the byType index (a Query, never a Scan), projected again: pathways stored before
 * the projector existed get their summary, and a summary that differs from the records (a stream record lost
 * past the dead-letter queue) is corrected. Projecting is idempotent, so a rebuild beside the stream is safe.
 */
async function rebuild(_event: RebuildEvent): Promise<RebuildSummary> {
  const ids = (await queryByType('REFERRAL', ['referralId'])).map((item) => String(item.referralId));
  let changed = 0;
  const failed: string[] = [];
  for (const id of ids) {
    // One pathway that cannot be projected now (a conflict that outlasts the retries) does not stop the others.
    try {
      if ((await project(id)).changed) changed++;
    } catch (error) {
      logger.error('Pathway summary not rebuilt', { error, referralId: id });
      failed.push(id);
    }
  }
  logger.info('Pathway summaries rebuilt', { checked: ids.length, changed, failed: failed.length });
  return { checked: ids.length, changed, failed };
}

/** What the worklist rules read from a pathway's records. */
export function worklistInputOf(pathway: Pathway): WorklistInput {
  const { referral } = pathway;
  // Events, and the payment steps that write no event: a payment written, then notified.
  const progress = [
    ...pathway.events.map((e) => e.at),
    ...pathway.payments.flatMap((p) => [p.createdAt, ...(p.notifiedAt ? [p.notifiedAt] : [])]),
  ];
  // biome-ignore lint/complexity/useMathMinMax: ISO timestamps are strings, compared as text, not numbers.
  const lastProgressAt = progress.reduce((last, at) => (at > last ? at : last), referral.referredAt);
  return {
    referralId: referral.referralId,
    municipality: referral.municipality,
    name: referral.name,
    phase: referral.phase,
    phaseStartedOn: referral.phaseStartedOn,
    phaseEndsOn: referral.phaseEndsOn,
    closedReason: referral.closedReason,
    hasInductionPlacement: referral.inductionPlacement !== undefined,
    eventSeq: referral.eventSeq,
    lastProgressAt,
    milestones: pathway.milestones,
    failures: pathway.failures,
  };
}

/** Recomputes one pathway's summary; a concurrent projection of the same pathway makes it read again. */
export async function project(
  referralId: string,
): Promise<{ summary: PathwaySummary | undefined; changed: boolean }> {
  return retry(
    `project ${referralId}`,
    { ...rereadBackoff, retryable: (error) => error instanceof SummaryOutdated },
    async () => {
      const previous = await loadSummary(referralId);
      const pathway = await loadPathway(referralId);
      if (!pathway) return { summary: previous, changed: false };
      const next = summarize(worklistInputOf(pathway));
      // Stored already (a redelivery), or a newer summary was made from records this read has not seen.
      if (previous && (previous.eventSeq > next.eventSeq || isDeepStrictEqual(previous, next))) {
        return { summary: previous, changed: false };
      }
      await saveSummary(previous, next);
      return { summary: next, changed: true };
    },
  );
}
