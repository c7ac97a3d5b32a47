import { DynamoDBClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/client-dynamodb';
import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { marshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clock } from '#shared/clock';
import { handler } from '../../functions/ops/reconcile.ts';
import { lambdaContext, referralId } from './support.ts';

const dynamo = mockClient(DynamoDBClient);
const sfn = mockClient(SFNClient);
const timerArn = process.env.PHASE_TIMER_STATE_MACHINE_ARN as string;
const sustainmentArn = process.env.SUSTAINMENT_STATE_MACHINE_ARN as string;
const executionsOf = (machineArn: string) => machineArn.replace(':stateMachine:', ':execution:');

const state = (overrides: Record<string, unknown> = {}) => ({
  pk: `REFERRAL#${referralId}`,
  sk: 'STATE',
  referralId,
  phase: 'induction',
  phaseSeq: 2,
  phaseStartedOn: '2027-03-01',
  phaseEndsOn: '2027-09-01',
  ...overrides,
});
const job = {
  pk: `REFERRAL#${referralId}`,
  sk: 'OUTCOME#job1',
  referralId,
  outcomeId: 'job1',
  type: 'job-start',
  date: '2027-05-20',
  hoursPerWeek: 37,
  recordedAt: '2027-05-20T08:00:00.000Z',
};
const payment = {
  pk: `REFERRAL#${referralId}`,
  sk: 'PAYMENT#job-start#municipality',
  resultId: 'job1',
  notifiedAt: '2027-05-20T09:00:00.000Z',
};

/** The table: one referral in the index, its pathway's items; executions by name with their status. */
function given(items: Array<Record<string, unknown>>, executions: Record<string, string>) {
  dynamo
    .on(QueryCommand)
    .callsFake((input: QueryCommandInput) =>
      input.IndexName === 'byType'
        ? { Items: [marshall({ referralId })] }
        : { Items: items.map((item) => marshall(item)) },
    );
  sfn.on(DescribeExecutionCommand).callsFake(({ executionArn }: { executionArn: string }) => {
    const status = executions[executionArn];
    if (!status) throw new ExecutionDoesNotExist({ message: 'none', $metadata: {} });
    return { status };
  });
}

beforeEach(() => {
  dynamo.reset();
  sfn.reset();
  sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn', startDate: new Date() });
  sfn.on(StopExecutionCommand).resolves({ stopDate: new Date() });
  // The pathway's dates are in 2027: the clock is moved there (it only moves forward).
  clock.advance(Math.max(0, Date.parse('2027-06-01T10:00:00Z') - clock.now().getTime()));
});
afterEach(() => clock.reset());

describe('reconcile', () => {
  it('pages referrals through the byType index from the active horizon, never a Scan', async () => {
    // Prepare
    given([state()], { [`${executionsOf(timerArn)}:${referralId}-2`]: 'RUNNING' });
    // Act
    const summary = await handler({}, lambdaContext);
    // Assess
    const indexQuery = dynamo.commandCalls(QueryCommand).find((c) => c.args[0].input.IndexName === 'byType');
    expect(indexQuery?.args[0].input).toMatchObject({
      KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk >= :since',
      ExpressionAttributeValues: { ':pk': { S: 'REFERRAL' }, ':since': { S: '2025-03-23' } },
    });
    expect(summary).toEqual({ checked: 1, started: [], stopped: [], givenUp: [] });
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });

  it('starts a missing phase timer and sustainment run with the dispatcher’s names and inputs', async () => {
    // Prepare
    given([state(), job, payment], {});
    // Act
    const summary = await handler({}, lambdaContext);
    // Assess
    expect(summary.started).toEqual([`${referralId}-2`, 'sustain-job1']);
    const starts = sfn.commandCalls(StartExecutionCommand).map((c) => c.args[0].input);
    expect(starts[0]).toMatchObject({ stateMachineArn: timerArn, name: `${referralId}-2` });
    expect(JSON.parse(starts[0]?.input ?? '{}')).toEqual({
      referralId,
      phaseSeq: 2,
      phase: 'induction',
      phaseEndsAt: '2027-08-31T22:00:00Z',
    });
    expect(starts[1]).toMatchObject({ stateMachineArn: sustainmentArn, name: 'sustain-job1' });
    expect(JSON.parse(starts[1]?.input ?? '{}')).toMatchObject({
      workflow: 'sustainment',
      referralId,
      outcomeId: 'job1',
      milestones: [{ weeks: 13 }, { weeks: 26 }],
    });
  });

  it('starts a stopped phase timer again under its restart name', async () => {
    // Prepare
    given([state()], { [`${executionsOf(timerArn)}:${referralId}-2`]: 'ABORTED' });
    // Act
    const summary = await handler({}, lambdaContext);
    // Assess
    expect(summary.started).toEqual([`${referralId}-2-r1`]);
  });

  it('treats a start the dispatcher won as already started', async () => {
    // Prepare
    given([state()], {});
    sfn.on(StartExecutionCommand).rejects(new ExecutionAlreadyExists({ message: 'taken', $metadata: {} }));
    // Act
    const summary = await handler({}, lambdaContext);
    // Assess: nothing failed; it is reported as a finding all the same
    expect(summary.started).toEqual([`${referralId}-2`]);
  });

  it('stops the sustainment run of a pathway dropped out of, and a superseded phase timer', async () => {
    // Prepare
    given(
      [state({ phase: 'closed', phaseSeq: 3, phaseEndsOn: null, closedReason: 'dropout' }), job, payment],
      {
        [`${executionsOf(sustainmentArn)}:sustain-job1`]: 'RUNNING',
        [`${executionsOf(timerArn)}:${referralId}-2`]: 'RUNNING',
        [`${executionsOf(timerArn)}:${referralId}-1`]: 'SUCCEEDED',
      },
    );
    // Act
    const summary = await handler({}, lambdaContext);
    // Assess
    expect(summary.stopped.sort()).toEqual([`${referralId}-2`, 'sustain-job1']);
    expect(
      sfn
        .commandCalls(StopExecutionCommand)
        .map((c) => c.args[0].input.executionArn)
        .sort(),
    ).toEqual([`${executionsOf(timerArn)}:${referralId}-2`, `${executionsOf(sustainmentArn)}:sustain-job1`]);
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });

  it('fails when Step Functions cannot be asked, rather than reporting all is well', async () => {
    // Prepare
    given([state()], {});
    sfn.on(DescribeExecutionCommand).rejects(new Error('AccessDenied'));
    // Act / Assess
    await expect(handler({}, lambdaContext)).rejects.toThrow('AccessDenied');
  });
});
