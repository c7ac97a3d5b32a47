import aslValidator from 'asl-validator';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  actionsOfRole,
  definitionOf,
  entryOfFunction,
  functionId,
  functionIdOfArn,
  logicalIdOf,
  roleOf,
  type StateMachineDefinition,
  type Statement,
  type Synthesized,
  statementsOfRole,
  synthesize,
} from './support.ts';

/** The companies' journey (lib/company-journeys.ts) in the synthesized stack. */
const journeyEntries = {
  inviteCompany: 'functions/api/invite-company.ts',
  recordSelection: 'functions/api/record-selection.ts',
  recordWithdrawal: 'functions/api/record-withdrawal.ts',
  recordAttendance: 'functions/api/record-attendance.ts',
  getCohort: 'functions/api/get-cohort.ts',
  advanceStage: 'functions/workflow/advance-company-stage.ts',
  recordFailure: 'functions/workflow/record-journey-failure.ts',
  dispatcher: 'functions/events/dispatch-company-events.ts',
} as const;

describe('CompanyJourneys', () => {
  let synthesized: Synthesized;
  let timer: StateMachineDefinition;
  let timerId: string;

  beforeAll(() => {
    // Prepare
    synthesized = synthesize();
    timerId = logicalIdOf(synthesized.stack.companyJourneys.stageTimer);
    timer = definitionOf(synthesized.json, timerId);
  });

  it('waits until the leg ends, then moves the company on; a failure is recorded and ends the run as failed', async () => {
    // Act
    const wait = timer.States['Wait until the stage ends'];
    const move = timer.States['Move the company to its next stage'];
    const record = timer.States['Record the failure'];
    const entryOf = (state: Record<string, unknown> | undefined) =>
      entryOfFunction(synthesized.json, functionIdOfArn(state?.Resource) ?? '');

    // Assess
    expect(timer.StartAt).toBe('Wait until the stage ends');
    expect(wait).toMatchObject({
      Type: 'Wait',
      TimestampPath: '$.legEndsAt',
      Next: 'Move the company to its next stage',
    });
    expect(entryOf(move)).toBe(journeyEntries.advanceStage);
    expect(move).toMatchObject({
      ResultPath: '$.advance',
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Record the failure' }],
    });
    expect(JSON.stringify(move?.Retry)).toContain('RetriesExhausted');
    expect(entryOf(record)).toBe(journeyEntries.recordFailure);
    expect(timer.States[String(record?.Next)]).toMatchObject({ Type: 'Fail' });
    const { isValid, errors } = aslValidator(timer);
    expect(errors).toEqual([]);
    expect(isValid).toBe(true);
  });

  it('runs a Standard machine bounded well inside a year, encrypted with the data key', () => {
    // Act / Assess
    synthesized.template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      EncryptionConfiguration: { Type: 'CUSTOMER_MANAGED_KMS_KEY' },
    });
    expect(timer.TimeoutSeconds).toBe(200 * 24 * 3600);
  });

  it('feeds only inserted journey events (JEVENT#) and company results (JRESULT#) to the company dispatcher, with a DLQ', () => {
    // Act / Assess
    synthesized.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: functionId(synthesized.json, journeyEntries.dispatcher) },
      BisectBatchOnFunctionError: true,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      FilterCriteria: {
        Filters: [
          {
            Pattern: JSON.stringify({
              eventName: ['INSERT'],
              dynamodb: { Keys: { sk: { S: [{ prefix: 'JEVENT#' }] } } },
            }),
          },
          {
            Pattern: JSON.stringify({
              eventName: ['INSERT'],
              dynamodb: { Keys: { sk: { S: [{ prefix: 'JRESULT#' }] } } },
            }),
          },
        ],
      },
    });
  });

  it('lets the company dispatcher start stage timers and company payment runs, stop stage timers only, and read no table item', () => {
    // Prepare
    const role = roleOf(synthesized.json, functionId(synthesized.json, journeyEntries.dispatcher));

    // Act
    const states = statementsOfRole(synthesized.json, role).filter((s) =>
      s.actions.some((a) => a.startsWith('states:')),
    );
    const actions = actionsOfRole(synthesized.json, role);

    // Assess
    const paymentId = logicalIdOf(synthesized.stack.companyPayments.payment);
    expect(new Set(states.flatMap((s) => s.actions))).toEqual(
      new Set(['states:StartExecution', 'states:StopExecution']),
    );
    const starts = states
      .filter((s) => s.actions.includes('states:StartExecution'))
      .flatMap((s) => s.resources);
    const stops = states
      .filter((s) => s.actions.includes('states:StopExecution'))
      .flatMap((s) => s.resources);
    expect(starts).toEqual(expect.arrayContaining([{ Ref: timerId }, { Ref: paymentId }]));
    expect(starts).toHaveLength(2);
    for (const resource of stops) expect(JSON.stringify(resource)).toContain(timerId);
    expect(
      actions.filter((a) => /^dynamodb:(GetItem|Query|PutItem|UpdateItem|DeleteItem|Scan)/.test(a)),
    ).toEqual([]);
  });

  it('grants each handler exactly the table actions its code uses', () => {
    // Prepare
    const table = logicalIdOf(synthesized.stack.data.table);
    const onTable = (s: Statement) =>
      s.resources.some((r) => JSON.stringify(r) === `{"Fn::GetAtt":["${table}","Arn"]}`);
    const expected: Record<string, string[]> = {
      [journeyEntries.inviteCompany]: ['GetItem', 'PutItem', 'Query'],
      [journeyEntries.recordSelection]: ['GetItem', 'PutItem', 'Query'],
      [journeyEntries.recordWithdrawal]: ['GetItem', 'PutItem', 'Query'],
      [journeyEntries.recordAttendance]: ['GetItem', 'PutItem', 'Query'],
      [journeyEntries.advanceStage]: ['GetItem', 'PutItem'],
      [journeyEntries.getCohort]: ['Query'],
      [journeyEntries.recordFailure]: ['PutItem'],
      [journeyEntries.dispatcher]: [],
    };

    for (const [entry, actions] of Object.entries(expected)) {
      // Act
      const granted = statementsOfRole(
        synthesized.json,
        roleOf(synthesized.json, functionId(synthesized.json, entry)),
      )
        .filter((s) => onTable(s))
        .flatMap((s) => s.actions)
        .map((a) => a.replace('dynamodb:', ''))
        .sort();

      // Assess
      expect(granted, entry).toEqual(actions);
    }
  });

  it('lets the stage timer invoke only its two task functions', () => {
    // Act
    const invoked = statementsOfRole(synthesized.json, roleOf(synthesized.json, timerId))
      .filter((s) => s.actions.includes('lambda:InvokeFunction'))
      .flatMap((s) => s.resources)
      .map((r) => JSON.stringify(r).match(/"Fn::GetAtt":\["([^"]+)","Arn"\]/)?.[1]);

    // Assess
    expect(new Set(invoked)).toEqual(
      new Set(
        [journeyEntries.advanceStage, journeyEntries.recordFailure].map((e) =>
          functionId(synthesized.json, e),
        ),
      ),
    );
  });
});
