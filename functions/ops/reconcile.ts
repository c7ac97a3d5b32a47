import { type AttributeValue, QueryCommand } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { addDays, danishDate } from '#domain/dates';
import {
  type Corrections,
  corrections,
  type ExecutionStatus,
  expectedExecutions,
  MAX_RESTARTS,
  type ObservedRun,
  type Workflow,
} from '#domain/reconcile';
import { dynamodb, requiredEnv } from '#shared/aws';
import { clock } from '#shared/clock';
import { executionArn, executionNames } from '#shared/execution-names';
import { logger } from '#shared/logger';
import { loadPathway } from '#shared/pathway-store';
import { executionStatus, startExecution, stopExecution, workflowInputs } from '#shared/workflow-executions';
import { wrapHandler } from '#shared/wrap-handler';

const sfn = new SFNClient({});
const tableName = requiredEnv('TABLE_NAME');
const machines: Record<Workflow, string> = {
  'phase-timer': requiredEnv('PHASE_TIMER_STATE_MACHINE_ARN'),
  payment: requiredEnv('PAYMENT_STATE_MACHINE_ARN'),
  sustainment: requiredEnv('SUSTAINMENT_STATE_MACHINE_ARN'),
};

/**
 * A pathway is at most 92 days waiting, 18 months long and follows a job started at its very end for 30 more
 * weeks: a referral made longer ago than this has nothing left to run, so it is not read at all.
 */
export const ACTIVE_REFERRAL_DAYS = 800;
/** Pathways reconciled at once: each is one query and a few DescribeExecution calls. */
const CONCURRENCY = 4;

export interface ReconcileSummary {
  checked: number;
  /** Run names started. */
  started: string[];
  /** Run names stopped. */
  stopped: string[];
  /** Executions that ended badly too often to be started again. */
  givenUp: string[];
}

/**
 * The reconciler: compares what each active pathway's items say should run with the executions that exist,
 * starts what is missing and stops what should not run (domain/reconcile.ts). Run daily by EventBridge
 * Scheduler and locally at start-up. Safe to run at any time, and twice at once: every start is by the
 * dispatcher's deterministic name, so a start that lost a race is a no-op. Logs ids and counts only.
 */
export const handler = wrapHandler('reconcile', async (): Promise<ReconcileSummary> => {
  const today = danishDate(clock.now());
  const summary: ReconcileSummary = { checked: 0, started: [], stopped: [], givenUp: [] };
  const referralIds = await activeReferralIds(addDays(today, -ACTIVE_REFERRAL_DAYS));
  await forEachLimited(referralIds, CONCURRENCY, async (referralId) => {
    const found = await reconcilePathway(referralId, today);
    if (!found) return;
    summary.checked++;
    summary.started.push(...found.start.map((s) => s.runName));
    summary.stopped.push(...found.stop.map((s) => s.runName));
    summary.givenUp.push(...found.givenUp);
  });
  // One line per run, the alarm's metric filter reads `corrections` from it.
  logger.info('Reconciliation findings', {
    checked: summary.checked,
    corrections: summary.started.length + summary.stopped.length + summary.givenUp.length,
    started: summary.started,
    stopped: summary.stopped,
    givenUp: summary.givenUp,
  });
  return summary;
});

/** Referral ids through the byType index (a Query from `since`, never a Scan), all pages. */
async function activeReferralIds(since: string): Promise<string[]> {
  const ids: string[] = [];
  let startKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await dynamodb.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: 'byType',
        KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk >= :since',
        ExpressionAttributeValues: { ':pk': { S: 'REFERRAL' }, ':since': { S: since } },
        ProjectionExpression: 'referralId',
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of page.Items ?? []) if (item.referralId?.S) ids.push(item.referralId.S);
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return ids;
}

async function reconcilePathway(referralId: string, today: string): Promise<Corrections | undefined> {
  const pathway = await loadPathway(referralId);
  if (!pathway) return undefined;
  const expected = expectedExecutions(pathway, executionNames, today);
  const runs = new Map<string, ObservedRun[]>();
  for (const { workflow, name } of [...expected.wanted, ...expected.unwanted]) {
    runs.set(name, await observedRuns(machines[workflow], name));
  }
  const found = corrections(expected, runs, executionNames.restart);
  for (const start of found.start) {
    const input =
      start.workflow === 'phase-timer'
        ? workflowInputs.phaseTimer(start)
        : start.workflow === 'sustainment'
          ? workflowInputs.sustainment(start)
          : workflowInputs.payment(start);
    await startExecution(sfn, machines[start.workflow], start.runName, input);
  }
  for (const stop of found.stop) {
    await stopExecution(
      sfn,
      executionArn(machines[stop.workflow], stop.runName),
      stop.why === 'dropped-out'
        ? 'Reconciler: the citizen dropped out of the pathway'
        : 'Reconciler: the pathway has moved on from this phase',
    );
  }
  if (found.start.length + found.stop.length + found.givenUp.length > 0) {
    logger.warn('Pathway reconciled', {
      referralId,
      started: found.start.map((s) => s.runName),
      stopped: found.stop.map((s) => s.runName),
      givenUp: found.givenUp,
    });
  }
  return found;
}

/** The dispatcher's run, then each restart, in order, as far as they exist. */
async function observedRuns(stateMachineArn: string, name: string): Promise<ObservedRun[]> {
  const runs: ObservedRun[] = [];
  for (let attempt = 0; attempt <= MAX_RESTARTS; attempt++) {
    const runName = executionNames.restart(name, attempt);
    const status: ExecutionStatus | undefined = await executionStatus(
      sfn,
      executionArn(stateMachineArn, runName),
    );
    if (!status) break;
    runs.push({ name: runName, status });
  }
  return runs;
}

async function forEachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
