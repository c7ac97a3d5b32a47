import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { z } from 'zod';
import { requiredEnv } from '#shared/aws';
import { executionArn, executionNames } from '#shared/execution-names';
import { logger } from '#shared/logger';
import { startExecution, stopExecution } from '#shared/workflow-executions';
import { wrapHandler } from '#shared/wrap-handler';

const sfn = new SFNClient({});
const companyStageTimerArn = requiredEnv('COMPANY_STAGE_TIMER_STATE_MACHINE_ARN');
const companyPaymentArn = requiredEnv('COMPANY_PAYMENT_STATE_MACHINE_ARN');

/**
 * What the dispatcher needs of a journey's `stage-started` event (functions/shared/journey-store.ts writes it);
 * the other kinds start nothing. Parsed here rather than imported, so that this function needs no table.
 */
const stageStarted = z.looseObject({
  kind: z.literal('stage-started'),
  cvr: z.string().regex(/^\d{8}$/),
  cohortId: z.string().min(1),
  municipality: z.string().min(1),
  legSeq: z.number().int().positive(),
  legEndsAt: z.string().optional(),
  trigger: z.enum(['invitation', 'timer', 'decision']),
});

/**
 * A company-side result as recorded (`JRESULT#`, functions/shared/company-payment-store.ts): its ids are all the
 * CompanyPayment run needs.
 */
const resultRecorded = z.looseObject({
  sk: z.string().startsWith('JRESULT#'),
  resultId: z.string().regex(/^[A-Za-z0-9-]{1,40}$/),
  cvr: z.string().regex(/^\d{8}$/),
  cohortId: z.string().regex(/^[a-z0-9-]{1,20}$/),
});

/** The CompanyStageTimer's input: ids and the instant its wait ends, nothing else. */
export function companyTimerInput(leg: {
  cvr: string;
  cohortId: string;
  municipality: string;
  legSeq: number;
  legEndsAt: string;
}) {
  return {
    cvr: leg.cvr,
    cohortId: leg.cohortId,
    municipality: leg.municipality,
    legSeq: leg.legSeq,
    legEndsAt: leg.legEndsAt,
  };
}

/**
 * The companies' outbox: every journey event is committed with its change, and this consumer of the table stream
 * (only inserted `JEVENT#` and `JRESULT#` items reach it) turns each `stage-started` into the leg's timer and each
 * company-side result into its payment run. A decision that ended the journey (a "no" at selection, a withdrawal)
 * stops the previous leg's timer. One consumer for both: every reader of the table stream adds to its read rate,
 * and a stream serves two readers per shard without throttling. Names come from ids, so a
 * redelivered record starts nothing new. Records are handled in order; the first failure is reported and
 * everything from it is redelivered.
 */
export const handler = wrapHandler(
  'dispatch-company-events',
  async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    for (const record of event.Records) {
      const image = record.dynamodb?.NewImage;
      if (record.eventName !== 'INSERT' || !image) continue;
      const item = unmarshall(image as Record<string, AttributeValue>);
      const leg = stageStarted.safeParse(item);
      const result = resultRecorded.safeParse(item);
      if (!leg.success && !result.success) continue;
      try {
        if (leg.success) await dispatch(leg.data);
        if (result.success) await startPayment(result.data);
      } catch (error) {
        logger.error('Company event not dispatched', {
          error,
          sequenceNumber: record.dynamodb?.SequenceNumber,
        });
        return { batchItemFailures: [{ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' }] };
      }
    }
    return { batchItemFailures: [] };
  },
);

async function dispatch(leg: z.infer<typeof stageStarted>): Promise<void> {
  if (leg.trigger === 'decision' && leg.legSeq > 1) {
    await stopExecution(
      sfn,
      executionArn(
        companyStageTimerArn,
        executionNames.companyStageTimer(leg.cvr, leg.cohortId, leg.legSeq - 1),
      ),
      'A decision ended the company journey',
    );
  }
  if (leg.legEndsAt) {
    await startExecution(
      sfn,
      companyStageTimerArn,
      executionNames.companyStageTimer(leg.cvr, leg.cohortId, leg.legSeq),
      companyTimerInput({ ...leg, legEndsAt: leg.legEndsAt }),
    );
  }
}

/** One CompanyPayment run per company-side result, named from its ids: a redelivered record starts nothing new. */
async function startPayment(result: z.infer<typeof resultRecorded>): Promise<void> {
  const { cvr, cohortId, resultId } = result;
  await startExecution(sfn, companyPaymentArn, executionNames.companyPayment(cvr, cohortId, resultId), {
    cvr,
    cohortId,
    resultId,
  });
}
