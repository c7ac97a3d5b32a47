import {
  DescribeExecutionCommand,
  type SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import type { IsoDate } from '#domain/dates';
import type { Phase } from '#domain/pathway';
import type { ExecutionStatus } from '#domain/reconcile';
import { sustainmentMilestones } from '#domain/sustainment';
import { logger } from './logger.ts';

/**
 * The inputs of the three workflows and the calls that start, stop and describe their executions: one place,
 * shared by the stream dispatcher and the reconciler, so that a run the reconciler starts is the run the
 * dispatcher would have started. Inputs carry ids and dates only, never personal data.
 */
export const workflowInputs = {
  phaseTimer: (timer: { referralId: string; phaseSeq: number; phase: Phase; phaseEndsAt: string }) => ({
    referralId: timer.referralId,
    phaseSeq: timer.phaseSeq,
    phase: timer.phase,
    phaseEndsAt: timer.phaseEndsAt,
  }),
  payment: (result: { referralId: string; outcomeId: string; milestoneWeeks?: number }) =>
    result.milestoneWeeks === undefined
      ? { referralId: result.referralId, outcomeId: result.outcomeId }
      : { referralId: result.referralId, outcomeId: result.outcomeId, milestoneWeeks: result.milestoneWeeks },
  sustainment: (job: { referralId: string; outcomeId: string; date: IsoDate }) => ({
    workflow: 'sustainment',
    referralId: job.referralId,
    outcomeId: job.outcomeId,
    milestones: sustainmentMilestones(job.date),
  }),
};

/** Starts an execution; a name already taken means it was started already (true when this call started it). */
export async function startExecution(
  sfn: SFNClient,
  stateMachineArn: string,
  name: string,
  input: object,
): Promise<boolean> {
  try {
    await sfn.send(new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) }));
    logger.info('Execution started', { name });
    return true;
  } catch (error) {
    if ((error as Error).name === 'ExecutionAlreadyExists') {
      logger.info('Execution already started', { name });
      return false;
    }
    throw error;
  }
}

/**
 * Stopping is idempotent: a run that has finished (or was never started) is left as it is. The old phase's
 * timer would find itself superseded anyway; stopping it keeps the console honest.
 */
export async function stopExecution(sfn: SFNClient, executionArn: string, cause: string): Promise<void> {
  try {
    await sfn.send(new StopExecutionCommand({ executionArn, cause }));
  } catch (error) {
    if ((error as Error).name === 'ExecutionDoesNotExist') return;
    throw error;
  }
}

/** An execution's status, or undefined when there is none by that ARN. */
export async function executionStatus(
  sfn: SFNClient,
  executionArn: string,
): Promise<ExecutionStatus | undefined> {
  try {
    const { status } = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    return status as ExecutionStatus;
  } catch (error) {
    if ((error as Error).name === 'ExecutionDoesNotExist') return undefined;
    throw error;
  }
}
