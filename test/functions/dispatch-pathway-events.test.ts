import {
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { handler } from '../../functions/events/dispatch-pathway-events.ts';
import { lambdaContext, referralId } from './support.ts';

const sfn = mockClient(SFNClient);

function streamEvent(...images: Array<Record<string, unknown>>): DynamoDBStreamEvent {
  return {
    Records: images.map((image, i) => ({
      eventName: 'INSERT',
      dynamodb: {
        SequenceNumber: String(100 + i),
        NewImage: marshall(image, { removeUndefinedValues: true }) as never,
      },
    })),
  };
}

const phaseStarted = (overrides: Record<string, unknown>) => ({
  pk: `REFERRAL#${referralId}`,
  sk: 'EVENT#000002',
  kind: 'phase-started',
  referralId,
  seq: 2,
  trigger: 'referral',
  phase: 'training',
  phaseSeq: 1,
  phaseEndsAt: '2027-02-28T23:00:00Z',
  ...overrides,
});

beforeEach(() => {
  sfn.reset();
  sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn', startDate: new Date() });
  sfn.on(StopExecutionCommand).resolves({ stopDate: new Date() });
});

describe('dispatch-pathway-events (table stream)', () => {
  it('starts the phase timer named after the referral and phase, with ids only', async () => {
    // Act
    const result = await handler(streamEvent(phaseStarted({})), lambdaContext);
    // Assess
    expect(result).toEqual({ batchItemFailures: [] });
    const start = sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input;
    expect(start?.name).toBe(`${referralId}-1`);
    expect(start?.stateMachineArn).toBe(process.env.PHASE_TIMER_STATE_MACHINE_ARN);
    expect(JSON.parse(start?.input ?? '{}')).toEqual({
      referralId,
      phaseSeq: 1,
      phase: 'training',
      phaseEndsAt: '2027-02-28T23:00:00Z',
    });
    expect(sfn.commandCalls(StopExecutionCommand)).toHaveLength(0);
  });

  it('stops the old timer when an outcome moved the pathway, and starts none for a closed one', async () => {
    await handler(
      streamEvent(phaseStarted({ trigger: 'outcome', phase: 'closed', phaseSeq: 3, phaseEndsAt: undefined })),
      lambdaContext,
    );
    expect(sfn.commandCalls(StopExecutionCommand)[0]?.args[0].input.executionArn).toBe(
      `arn:aws:states:eu-north-1:000000000000:execution:PhaseTimer:${referralId}-2`,
    );
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });

  it('starts the payment run named after the outcome', async () => {
    await handler(
      streamEvent({ kind: 'outcome-recorded', referralId, outcomeId: 'o-1', type: 'job-start', seq: 3 }),
      lambdaContext,
    );
    const start = sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input;
    expect(start).toMatchObject({
      name: 'payment-o-1',
      stateMachineArn: process.env.PAYMENT_STATE_MACHINE_ARN,
    });
  });

  it('starts the sustainment workflow for a job start, with its 13- and 26-week milestones', async () => {
    // Act
    await handler(
      streamEvent({
        kind: 'outcome-recorded',
        referralId,
        outcomeId: 'o-3',
        type: 'job-start',
        date: '2027-01-04',
        hoursPerWeek: 37,
        seq: 3,
      }),
      lambdaContext,
    );
    // Assess
    const starts = sfn.commandCalls(StartExecutionCommand).map((c) => c.args[0].input);
    expect(starts.map((s) => s.name)).toEqual(['payment-o-3', 'sustain-o-3']);
    expect(starts[1]?.stateMachineArn).toBe(process.env.SUSTAINMENT_STATE_MACHINE_ARN);
    expect(JSON.parse(starts[1]?.input ?? '{}')).toMatchObject({
      workflow: 'sustainment',
      referralId,
      outcomeId: 'o-3',
      milestones: [
        { weeks: 13, dueAt: '2027-04-04T22:00:00Z', deadlineAt: '2027-05-03T22:00:00Z' },
        { weeks: 26, dueAt: '2027-07-04T22:00:00Z', deadlineAt: '2027-08-02T22:00:00Z' },
      ],
    });
  });

  it('starts the sustainment workflow for an education start, named and timed as a job’s', async () => {
    // Act
    await handler(
      streamEvent({
        kind: 'outcome-recorded',
        referralId,
        outcomeId: 'o-5',
        type: 'education-start',
        date: '2027-01-04',
        seq: 3,
      }),
      lambdaContext,
    );
    // Assess
    const starts = sfn.commandCalls(StartExecutionCommand).map((c) => c.args[0].input);
    expect(starts.map((s) => s.name)).toEqual(['payment-o-5', 'sustain-o-5']);
    expect(starts[1]?.stateMachineArn).toBe(process.env.SUSTAINMENT_STATE_MACHINE_ARN);
    expect(JSON.parse(starts[1]?.input ?? '{}')).toMatchObject({
      workflow: 'sustainment',
      referralId,
      outcomeId: 'o-5',
      milestones: [
        { weeks: 13, dueAt: '2027-04-04T22:00:00Z', deadlineAt: '2027-05-03T22:00:00Z' },
        { weeks: 26, dueAt: '2027-07-04T22:00:00Z', deadlineAt: '2027-08-02T22:00:00Z' },
      ],
    });
  });

  it('follows no job below the partial-hours threshold to its milestones', async () => {
    await handler(
      streamEvent({
        kind: 'outcome-recorded',
        referralId,
        outcomeId: 'o-4',
        type: 'job-start',
        date: '2027-01-04',
        hoursPerWeek: 9,
        seq: 3,
      }),
      lambdaContext,
    );
    expect(sfn.commandCalls(StartExecutionCommand).map((c) => c.args[0].input.name)).toEqual(['payment-o-4']);
  });

  it('stops the sustainment runs a drop-out names, with the pathway', async () => {
    // Prepare: one run is gone already (finished long ago and expired); stopping is idempotent.
    sfn
      .on(StopExecutionCommand)
      .rejectsOnce(new ExecutionDoesNotExist({ message: 'gone', $metadata: {} }))
      .resolves({ stopDate: new Date() });
    // Act
    const result = await handler(
      streamEvent({
        kind: 'outcome-recorded',
        referralId,
        outcomeId: 'o-9',
        type: 'dropout',
        stopsSustainment: ['o-1', 'o-3'],
        seq: 9,
      }),
      lambdaContext,
    );
    // Assess
    expect(result).toEqual({ batchItemFailures: [] });
    expect(sfn.commandCalls(StopExecutionCommand).map((c) => c.args[0].input.executionArn)).toEqual([
      'arn:aws:states:eu-north-1:000000000000:execution:Sustainment:sustain-o-1',
      'arn:aws:states:eu-north-1:000000000000:execution:Sustainment:sustain-o-3',
    ]);
    expect(sfn.commandCalls(StartExecutionCommand).map((c) => c.args[0].input.name)).toEqual(['payment-o-9']);
  });

  it('stops no sustainment run for a drop-out that names none (a pathway without a followed job)', async () => {
    await handler(
      streamEvent({ kind: 'outcome-recorded', referralId, outcomeId: 'o-9', type: 'dropout', seq: 4 }),
      lambdaContext,
    );
    expect(sfn.commandCalls(StopExecutionCommand)).toHaveLength(0);
  });

  it('starts a payment run for a confirmed milestone, named after the result', async () => {
    await handler(
      streamEvent({
        kind: 'milestone-confirmed',
        referralId,
        outcomeId: 'o-3',
        weeks: 13,
        resultId: 'o-3-w13',
        seq: 7,
      }),
      lambdaContext,
    );
    const start = sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input;
    expect(start?.name).toBe('payment-o-3-w13');
    expect(JSON.parse(start?.input ?? '{}')).toEqual({ referralId, outcomeId: 'o-3', milestoneWeeks: 13 });
  });

  it('starts nothing for an access log entry, which shares the pathway’s partition and the stream', async () => {
    // Act
    const result = await handler(
      streamEvent({
        pk: `REFERRAL#${referralId}`,
        sk: `ACCESS#2026-11-26T10:00:00.000Z#${referralId}`,
        kind: 'access',
        referralId,
        at: '2026-11-26T10:00:00.000Z',
        username: 'kolding-aktoer',
        role: 'employment-actor',
        action: 'read',
      }),
      lambdaContext,
    );

    // Assess
    expect(result).toEqual({ batchItemFailures: [] });
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });

  it('treats a redelivered record as already started', async () => {
    sfn.on(StartExecutionCommand).rejects(new ExecutionAlreadyExists({ message: 'exists', $metadata: {} }));
    expect(await handler(streamEvent(phaseStarted({})), lambdaContext)).toEqual({ batchItemFailures: [] });
  });

  it('ignores a timer that no longer exists', async () => {
    sfn.on(StopExecutionCommand).rejects(new ExecutionDoesNotExist({ message: 'gone', $metadata: {} }));
    const result = await handler(
      streamEvent(phaseStarted({ trigger: 'outcome', phaseSeq: 2 })),
      lambdaContext,
    );
    expect(result).toEqual({ batchItemFailures: [] });
  });

  it('reports the first failed record so that it and the rest are redelivered', async () => {
    // Prepare
    sfn
      .on(StartExecutionCommand)
      .rejectsOnce(new Error('throttled'))
      .resolves({ executionArn: 'arn', startDate: new Date() });
    // Act
    const result = await handler(
      streamEvent(phaseStarted({}), {
        kind: 'outcome-recorded',
        referralId,
        outcomeId: 'o-2',
        type: 'dropout',
        seq: 3,
      }),
      lambdaContext,
    );
    // Assess
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: '100' }] });
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(1);
  });
});
