import aslValidator from 'asl-validator';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  definitionOf,
  entries,
  entryOfFunction,
  functionIdOfArn,
  logicalIdOf,
  type StateMachineDefinition,
  type Synthesized,
  synthesize,
} from './support.ts';

const retriedErrors = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
  // Not retried (MaxAttempts 0): the handler has retried to its bound already.
  'RetriesExhausted',
  'States.TaskFailed',
];

type State = Record<string, unknown>;

function state(definition: StateMachineDefinition, name: string): State {
  const found = definition.States[name];
  if (!found)
    throw new Error(`No state named "${name}"; states: ${Object.keys(definition.States).join(', ')}`);
  return found;
}

describe('state machines', () => {
  let synthesized: Synthesized;
  let phaseTimer: StateMachineDefinition;
  let payment: StateMachineDefinition;
  let sustainment: StateMachineDefinition;
  let entryOfTask: (task: State) => string | undefined;

  beforeAll(() => {
    // Prepare
    synthesized = synthesize();
    phaseTimer = definitionOf(synthesized.json, logicalIdOf(synthesized.stack.workflows.phaseTimer));
    payment = definitionOf(synthesized.json, logicalIdOf(synthesized.stack.workflows.payment));
    sustainment = definitionOf(synthesized.json, logicalIdOf(synthesized.stack.workflows.sustainment));
    entryOfTask = (task) => entryOfFunction(synthesized.json, functionIdOfArn(task.Resource) ?? '');
  });

  it('phase timer: waits until phaseEndsAt, then advances the phase into $.advance', () => {
    // Act
    const wait = state(phaseTimer, 'Wait until the phase ends');
    const advance = state(phaseTimer, 'Move the pathway to its next phase');

    // Assess
    expect(phaseTimer.StartAt).toBe('Wait until the phase ends');
    expect(wait).toEqual({
      Type: 'Wait',
      TimestampPath: '$.phaseEndsAt',
      Next: 'Move the pathway to its next phase',
    });
    expect(advance).toMatchObject({ Type: 'Task', ResultPath: '$.advance', End: true });
    expect(entryOfTask(advance)).toBe(entries.advancePhase);
  });

  it('phase timer: a failure is recorded into $.failureRecord and ends in "Phase timer failed"', () => {
    // Act
    const advance = state(phaseTimer, 'Move the pathway to its next phase');
    const record = state(phaseTimer, 'Record the failure');

    // Assess
    expect(advance.Catch).toEqual([
      { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Record the failure' },
    ]);
    expect(record).toMatchObject({ Type: 'Task', ResultPath: '$.failureRecord', Next: 'Phase timer failed' });
    expect(entryOfTask(record)).toBe(entries.recordFailure);
    expect(state(phaseTimer, 'Phase timer failed').Type).toBe('Fail');
  });

  it('payment: calculates into $.calculation and notifies finance only when payments are due', () => {
    // Act
    const calculate = state(payment, 'Calculate the payment');
    const choice = state(payment, 'Is a payment due?');
    const notify = state(payment, 'Notify finance');

    // Assess
    expect(payment.StartAt).toBe('Calculate the payment');
    expect(calculate).toMatchObject({ Type: 'Task', ResultPath: '$.calculation', Next: 'Is a payment due?' });
    expect(entryOfTask(calculate)).toBe(entries.calculatePayment);
    expect(choice.Type).toBe('Choice');
    expect(choice.Default).toBe('No payment for this outcome');
    expect(JSON.stringify(choice.Choices)).toContain('{"Variable":"$.calculation.due","BooleanEquals":true}');
    expect((choice.Choices as State[])[0]?.Next).toBe('Notify finance');
    expect(notify).toMatchObject({ Type: 'Task', ResultPath: '$.notification', Next: 'Payment recorded' });
    expect(entryOfTask(notify)).toBe(entries.notifyFinance);
    expect(state(payment, 'Payment recorded').Type).toBe('Succeed');
    expect(state(payment, 'No payment for this outcome').Type).toBe('Succeed');
  });

  it('payment: both tasks catch into "Record the failure", which ends in "Payment failed"', () => {
    // Act
    const record = state(payment, 'Record the failure');

    // Assess
    for (const name of ['Calculate the payment', 'Notify finance']) {
      expect(state(payment, name).Catch, name).toEqual([
        { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Record the failure' },
      ]);
    }
    expect(record).toMatchObject({ Type: 'Task', ResultPath: '$.failureRecord', Next: 'Payment failed' });
    expect(entryOfTask(record)).toBe(entries.recordFailure);
    expect(state(payment, 'Payment failed').Type).toBe('Fail');
  });

  it('calls every Lambda by its plain ARN with the whole state (sustainment tasks: ids only), retrying the contract errors', () => {
    for (const definition of [phaseTimer, payment, sustainment]) {
      // Act
      const tasks = Object.entries(definition.States).filter(([, s]) => s.Type === 'Task');

      for (const [name, task] of tasks) {
        // Assess
        expect(task.Resource, name).toMatch(/^arn:aws:lambda:[^:]+:\d{12}:function:[^:]+$/);
        if (definition === sustainment && entryOfTask(task) !== entries.recordFailure) {
          // A reminder also says which one it is.
          const reminder = entryOfTask(task) === entries.sendReminder ? ['kind'] : [];
          expect(Object.keys(task.Parameters as State).sort(), name).toEqual(
            [...reminder, 'outcomeId.$', 'referralId.$', 'weeks'].sort(),
          );
        } else {
          expect(task.Parameters, name).toBeUndefined();
        }
        const retried = (task.Retry as { ErrorEquals: string[] }[]).flatMap((r) => r.ErrorEquals);
        expect(retried.sort(), name).toEqual([...retriedErrors].sort());
        // Step Functions takes the first retrier that matches: RetriesExhausted's comes before TaskFailed's.
        const retriers = task.Retry as { ErrorEquals: string[]; MaxAttempts?: number }[];
        const exhausted = retriers.findIndex((r) => r.ErrorEquals.includes('RetriesExhausted'));
        const failed = retriers.findIndex((r) => r.ErrorEquals.includes('States.TaskFailed'));
        expect(retriers[exhausted]?.MaxAttempts, name).toBe(0);
        expect(exhausted, name).toBeLessThan(failed);
      }
    }
  });

  it('bounds executions: a phase timer within the one-year limit, a payment within an hour', () => {
    // Assess
    expect(phaseTimer.TimeoutSeconds).toBeGreaterThanOrEqual(184 * 24 * 3600);
    expect(phaseTimer.TimeoutSeconds).toBeLessThan(365 * 24 * 3600);
    expect(payment.TimeoutSeconds).toBe(3600);
    // The last deadline is 30 weeks after the job start, plus room for a late-recorded job: far from one year.
    expect(sustainment.TimeoutSeconds).toBe(250 * 24 * 3600);
  });

  it('sustainment: waits for each milestone, opens it, waits for its deadline, closes it; stops when the result ends', () => {
    // Act
    const legs = [13, 26].map((weeks, index) => ({
      weeks,
      index,
      waitDue: state(sustainment, `Wait until the ${weeks}-week milestone`),
      open: state(sustainment, `Open the ${weeks}-week milestone`),
      running: state(sustainment, `Is the result still followed at ${weeks} weeks?`),
      waitDeadline: state(sustainment, `Wait for the ${weeks}-week confirmation deadline`),
      close: state(sustainment, `Close the ${weeks}-week milestone`),
      confirmed: state(sustainment, `Was the result confirmed at ${weeks} weeks?`),
    }));

    // Assess
    expect(sustainment.StartAt).toBe('Wait until the 13-week milestone');
    for (const leg of legs) {
      expect(leg.waitDue).toMatchObject({ Type: 'Wait', TimestampPath: `$.milestones[${leg.index}].dueAt` });
      expect(leg.open).toMatchObject({
        Type: 'Task',
        ResultPath: `$.opened${leg.weeks}`,
        Parameters: { 'referralId.$': '$.referralId', 'outcomeId.$': '$.outcomeId', weeks: leg.weeks },
      });
      expect(entryOfTask(leg.open)).toBe(entries.openMilestone);
      expect(leg.running.Default).toBe('Sustainment ended');
      expect(leg.waitDeadline).toMatchObject({
        Type: 'Wait',
        TimestampPath: `$.opened${leg.weeks}.deadlineAt`, // the open step's deadline: a late job still gets its window
      });
      expect(entryOfTask(leg.close)).toBe(entries.closeMilestone);
      expect(leg.confirmed.Default).toBe(`Did the ${leg.weeks}-week milestone lapse unanswered?`);
      for (const task of [leg.open, leg.close]) {
        expect((task.Catch as State[])[0]).toMatchObject({
          ErrorEquals: ['States.ALL'],
          Next: 'Record the failure',
        });
      }
    }
    const [thirteen, twentySix] = legs.map((leg) => (leg.confirmed.Choices as State[])[0]?.Next);
    expect(thirteen).toBe('Wait until the 26-week milestone');
    expect(twentySix).toBe('Result sustained 26 weeks');
    expect(state(sustainment, 'Sustainment failed').Type).toBe('Fail');
    // 30 weeks to the last deadline, plus room for late recording; far from the one-year limit.
    expect(sustainment.TimeoutSeconds).toBe(250 * 24 * 3600);
  });

  it('sustainment: reminds the employment actor when a milestone opens and a week before its deadline, the caseworker when it lapsed', () => {
    // Act
    const legs = [13, 26].map((weeks) => ({
      weeks,
      running: state(sustainment, `Is the result still followed at ${weeks} weeks?`),
      opened: state(sustainment, `Remind the employment actor that the ${weeks}-week milestone is open`),
      waitReminder: state(sustainment, `Wait until a week before the ${weeks}-week deadline`),
      deadline: state(sustainment, `Remind the employment actor of the ${weeks}-week deadline`),
      lapse: state(sustainment, `Did the ${weeks}-week milestone lapse unanswered?`),
      lapsed: state(sustainment, `Tell the caseworker the ${weeks}-week milestone lapsed`),
    }));

    // Assess
    for (const leg of legs) {
      const ids = { 'referralId.$': '$.referralId', 'outcomeId.$': '$.outcomeId', weeks: leg.weeks };
      expect((leg.running.Choices as State[])[0]?.Next).toBe(
        `Remind the employment actor that the ${leg.weeks}-week milestone is open`,
      );
      expect(leg.opened).toMatchObject({
        Type: 'Task',
        Parameters: { ...ids, kind: 'milestone-opened' },
        ResultPath: `$.remindedOpened${leg.weeks}`,
        Next: `Wait until a week before the ${leg.weeks}-week deadline`,
      });
      // The open step computes the reminder's time from the milestone's own deadline (domain/reminders.ts).
      expect(leg.waitReminder).toEqual({
        Type: 'Wait',
        TimestampPath: `$.opened${leg.weeks}.remindAt`,
        Next: `Remind the employment actor of the ${leg.weeks}-week deadline`,
      });
      expect(leg.deadline).toMatchObject({
        Type: 'Task',
        Parameters: { ...ids, kind: 'deadline-approaching' },
        Next: `Wait for the ${leg.weeks}-week confirmation deadline`,
      });
      // Only a milestone nobody answered lapses; an ended job ends the run without telling the caseworker.
      expect(leg.lapse.Default).toBe('Sustainment ended');
      expect(leg.lapse.Choices).toEqual([
        {
          Variable: `$.closed${leg.weeks}.status`,
          StringEquals: 'unconfirmed',
          Next: `Tell the caseworker the ${leg.weeks}-week milestone lapsed`,
        },
      ]);
      expect(leg.lapsed).toMatchObject({
        Type: 'Task',
        Parameters: { ...ids, kind: 'milestone-lapsed' },
        Next: 'Sustainment ended',
      });
      // A reminder that fails for good is recorded, and the run goes on where the reminder would have led: the
      // milestone is still closed and the next leg (and its payment) still run.
      for (const [task, kind] of [
        [leg.opened, 'milestone-opened'],
        [leg.deadline, 'deadline-approaching'],
        [leg.lapsed, 'milestone-lapsed'],
      ] as const) {
        expect(entryOfTask(task)).toBe(entries.sendReminder);
        const recordName = `Record that the ${leg.weeks}-week ${kind} reminder failed`;
        expect(task.Catch).toEqual([
          { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: recordName },
        ]);
        const record = state(sustainment, recordName);
        expect(entryOfTask(record)).toBe(entries.recordFailure);
        expect(record.Next).toBe(task.Next);
      }
    }
    // Each leg's states: 6 before, 5 for the reminders, 3 to record a failed one; far below 25,000 events a run.
    expect(Object.keys(sustainment.States)).toHaveLength(2 * 14 + 4);
  });

  it('produces valid Amazon States Language', () => {
    for (const definition of [phaseTimer, payment, sustainment]) {
      // Act
      const result = aslValidator(definition);

      // Assess
      expect(result.errorsText(), definition.StartAt).toBe('');
      expect(result.isValid).toBe(true);
    }
  });

  it('runs Standard machines encrypted with the data key, logging ALL with X-Ray', () => {
    // Prepare
    const dataKey = logicalIdOf(synthesized.stack.data.dataKey);

    for (const machine of [
      synthesized.stack.workflows.phaseTimer,
      synthesized.stack.workflows.payment,
      synthesized.stack.workflows.sustainment,
    ]) {
      // Act
      const properties = synthesized.json.Resources[logicalIdOf(machine)]?.Properties;

      // Assess
      expect(properties).toMatchObject({
        StateMachineType: 'STANDARD',
        EncryptionConfiguration: {
          Type: 'CUSTOMER_MANAGED_KMS_KEY',
          KmsKeyId: { 'Fn::GetAtt': [dataKey, 'Arn'] },
        },
        LoggingConfiguration: { Level: 'ALL' },
        TracingConfiguration: { Enabled: true },
      });
    }
  });
});
