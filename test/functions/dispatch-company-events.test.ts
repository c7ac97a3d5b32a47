import {
  ExecutionAlreadyExists,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const TIMER_ARN = vi.hoisted(() => {
  // The function's own variable, set before its module reads it at import (vitest.config.ts knows only the pathways').
  const arn = 'arn:aws:states:eu-north-1:000000000000:stateMachine:CompanyStageTimer';
  process.env.COMPANY_STAGE_TIMER_STATE_MACHINE_ARN = arn;
  process.env.COMPANY_PAYMENT_STATE_MACHINE_ARN =
    'arn:aws:states:eu-north-1:000000000000:stateMachine:CompanyPayment';
  return arn;
});

import { handler } from '../../functions/events/dispatch-company-events.ts';
import { lambdaContext } from './support.ts';

const sfn = mockClient(SFNClient);
const CVR = '29000018';
const COHORT = 'cluster-1-2019';

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

const stageStarted = (overrides: Record<string, unknown>) => ({
  pk: `JOURNEY#${CVR}#${COHORT}`,
  sk: 'JEVENT#000001',
  kind: 'stage-started',
  cvr: CVR,
  cohortId: COHORT,
  municipality: '621',
  seq: 1,
  at: '2018-09-03T07:00:00.000Z',
  by: 'kolding-accelerator',
  stage: 'invited',
  legSeq: 1,
  startedOn: '2018-09-03',
  legEndsOn: '2018-11-15',
  legEndsAt: '2018-11-14T23:00:00Z',
  trigger: 'invitation',
  ...overrides,
});

beforeEach(() => {
  sfn.reset();
  sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn', startDate: new Date() });
  sfn.on(StopExecutionCommand).resolves({ stopDate: new Date() });
});

describe('dispatch-company-events (table stream)', () => {
  it('starts the leg’s timer, named from the CVR number, cohort and leg, with ids and its end only', async () => {
    // Act
    const result = await handler(streamEvent(stageStarted({})), lambdaContext);

    // Assess
    expect(result).toEqual({ batchItemFailures: [] });
    const start = sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input;
    expect(start?.name).toBe(`company-${CVR}-${COHORT}-1`);
    expect(start?.stateMachineArn).toBe(TIMER_ARN);
    expect(JSON.parse(start?.input ?? '{}')).toEqual({
      cvr: CVR,
      cohortId: COHORT,
      municipality: '621',
      legSeq: 1,
      legEndsAt: '2018-11-14T23:00:00Z',
    });
    expect(sfn.commandCalls(StopExecutionCommand)).toHaveLength(0);
  });

  it('starts nothing new for a redelivered record: the name is taken, and that is success', async () => {
    // Prepare: the first delivery started the timer.
    sfn.on(StartExecutionCommand).rejects(new ExecutionAlreadyExists({ message: 'exists', $metadata: {} }));

    // Act
    const result = await handler(streamEvent(stageStarted({})), lambdaContext);

    // Assess: the one call used the same name; no other, no failure reported.
    expect(result).toEqual({ batchItemFailures: [] });
    expect(sfn.commandCalls(StartExecutionCommand).map((c) => c.args[0].input.name)).toEqual([
      `company-${CVR}-${COHORT}-1`,
    ]);
  });

  it('stops the running leg when a decision ends the journey, and starts no timer for the final leg', async () => {
    // Act
    const result = await handler(
      streamEvent(
        {
          ...stageStarted({}),
          sk: 'JEVENT#000007',
          kind: 'withdrawn',
          seq: 7,
          on: '2019-03-15',
          reason: 'x',
        },
        stageStarted({
          sk: 'JEVENT#000008',
          seq: 8,
          stage: 'withdrawn',
          legSeq: 6,
          legEndsOn: null,
          legEndsAt: undefined,
          trigger: 'decision',
        }),
      ),
      lambdaContext,
    );

    // Assess
    expect(result).toEqual({ batchItemFailures: [] });
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
    const stop = sfn.commandCalls(StopExecutionCommand)[0]?.args[0].input;
    expect(stop?.executionArn).toBe(
      `arn:aws:states:eu-north-1:000000000000:execution:CompanyStageTimer:company-${CVR}-${COHORT}-5`,
    );
  });

  it('stops nothing when a timer moved the journey (that timer has finished)', async () => {
    // Act
    await handler(
      streamEvent(stageStarted({ legSeq: 2, trigger: 'timer', stage: 'boot-camp' })),
      lambdaContext,
    );

    // Assess
    expect(sfn.commandCalls(StopExecutionCommand)).toHaveLength(0);
    expect(sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input.name).toBe(`company-${CVR}-${COHORT}-2`);
  });

  it('reports the failing record, so that it and those after it are delivered again', async () => {
    // Prepare
    sfn
      .on(StartExecutionCommand)
      .rejectsOnce(new Error('throttled'))
      .resolves({ executionArn: 'arn', startDate: new Date() });

    // Act
    const result = await handler(
      streamEvent(stageStarted({}), stageStarted({ cvr: '29000026', sk: 'JEVENT#000001' })),
      lambdaContext,
    );

    // Assess
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: '100' }] });
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(1);
  });
});
