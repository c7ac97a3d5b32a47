import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { isFollowedResult } from '#domain/pathway';
import { requiredEnv } from '#shared/aws';
import { executionArn, executionNames } from '#shared/execution-names';
import { logger } from '#shared/logger';
import type { PathwayEvent } from '#shared/pathway-store';
import { startExecution, stopExecution, workflowInputs } from '#shared/workflow-executions';
import { wrapHandler } from '#shared/wrap-handler';

const sfn = new SFNClient({});
const phaseTimerArn = requiredEnv('PHASE_TIMER_STATE_MACHINE_ARN');
const paymentArn = requiredEnv('PAYMENT_STATE_MACHINE_ARN');
const sustainmentArn = requiredEnv('SUSTAINMENT_STATE_MACHINE_ARN');

/**
 * The transactional outbox: every pathway event is committed with the change it describes, and this consumer
 * of the table stream turns it into executions. Names come from ids, so a redelivered record starts nothing
 * new. Records are handled in order; the first failure is reported and everything from it is redelivered.
 */
export const handler = wrapHandler(
  'dispatch-pathway-events',
  async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    for (const record of event.Records) {
      const image = record.dynamodb?.NewImage;
      if (record.eventName !== 'INSERT' || !image) continue;
      const item = unmarshall(image as Record<string, AttributeValue>) as PathwayEvent | { kind?: string };
      try {
        await dispatch(item);
      } catch (error) {
        logger.error('Pathway event not dispatched', {
          error,
          sequenceNumber: record.dynamodb?.SequenceNumber,
        });
        return { batchItemFailures: [{ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' }] };
      }
    }
    return { batchItemFailures: [] };
  },
);

async function dispatch(item: PathwayEvent | { kind?: string }): Promise<void> {
  if (!('referralId' in item)) return;
  if (item.kind === 'phase-started') {
    if (item.trigger === 'outcome' && item.phaseSeq > 1) {
      await stopExecution(
        sfn,
        executionArn(phaseTimerArn, executionNames.phaseTimer(item.referralId, item.phaseSeq - 1)),
        'The pathway moved on through an outcome',
      );
    }
    if (item.phaseEndsAt) {
      await startExecution(
        sfn,
        phaseTimerArn,
        executionNames.phaseTimer(item.referralId, item.phaseSeq),
        workflowInputs.phaseTimer({ ...item, phaseEndsAt: item.phaseEndsAt }),
      );
    }
  } else if (item.kind === 'outcome-recorded') {
    await startExecution(
      sfn,
      paymentArn,
      executionNames.payment(item.outcomeId),
      workflowInputs.payment(item),
    );
    // A drop-out ends the follow-up: its milestones would not open anyway, but the run would wait out weeks.
    for (const outcomeId of item.stopsSustainment ?? []) {
      await stopExecution(
        sfn,
        executionArn(sustainmentArn, executionNames.sustainment(outcomeId)),
        'The citizen dropped out of the pathway',
      );
    }
    // A followed job or an education start: both are followed to their 13- and 26-week milestones.
    if (item.date && isFollowedResult({ ...item, date: item.date })) {
      await startExecution(
        sfn,
        sustainmentArn,
        executionNames.sustainment(item.outcomeId),
        workflowInputs.sustainment({ ...item, date: item.date }),
      );
    }
  } else if (item.kind === 'milestone-confirmed') {
    await startExecution(
      sfn,
      paymentArn,
      executionNames.payment(item.resultId),
      workflowInputs.payment({ ...item, milestoneWeeks: item.weeks }),
    );
  }
}
