import { Duration } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import type { ReminderKind } from '#domain/reminders';
import { HandlerFunction } from './handler-function.ts';
import { lambdaTask, programmeStateMachine } from './workflow-parts.ts';

export interface PathwayWorkflowsProps {
  readonly table: dynamodb.ITableV2;
  readonly dataKey: kms.IKey;
  readonly financeTopic: sns.ITopic;
  /** Where the Sustainment workflow's milestone reminders go (lib/reminders.ts). */
  readonly reminderTopic: sns.ITopic;
}

/** The phase timer and the payment state machines, and the Lambda tasks they call. */
export class PathwayWorkflows extends Construct {
  readonly phaseTimer: sfn.StateMachine;
  readonly payment: sfn.StateMachine;
  readonly advancePhase: HandlerFunction;
  readonly calculatePayment: HandlerFunction;
  readonly notifyFinance: HandlerFunction;
  readonly recordFailure: HandlerFunction;
  readonly sustainment: sfn.StateMachine;
  readonly openMilestone: HandlerFunction;
  readonly closeMilestone: HandlerFunction;
  readonly sendReminder: HandlerFunction;

  constructor(scope: Construct, id: string, props: PathwayWorkflowsProps) {
    super(scope, id);
    const { table, dataKey, financeTopic, reminderTopic } = props;

    this.advancePhase = new HandlerFunction(this, 'AdvancePhase', {
      entry: 'functions/workflow/advance-phase.ts',
      description: 'Phase timer task: moves a pathway to its next phase when the phase has ended',
    }).useTable(table, 'advance-phase');

    this.calculatePayment = new HandlerFunction(this, 'CalculatePayment', {
      entry: 'functions/workflow/calculate-payment.ts',
      description: 'Payment task: applies the rate card to an outcome and records the payment due',
    }).useTable(table, 'change-pathway');

    this.notifyFinance = new HandlerFunction(this, 'NotifyFinance', {
      entry: 'functions/workflow/notify-finance.ts',
      description: 'Payment task: tells finance staff about a payment and marks it notified',
      environment: { FINANCE_TOPIC_ARN: financeTopic.topicArn },
    }).useTable(table, 'mark-notified');
    financeTopic.grantPublish(this.notifyFinance);

    this.recordFailure = new HandlerFunction(this, 'RecordFailure', {
      entry: 'functions/workflow/record-failure.ts',
      description: 'Catch path of both state machines: records that a pathway workflow failed',
    }).useTable(table, 'record-failure');

    this.phaseTimer = this.stateMachine('PhaseTimer', {
      dataKey,
      // A phase lasts at most six calendar months (184 days); 200 days leaves room for retries and stays far
      // inside the one-year limit on a Standard execution, which is why every phase is its own execution.
      timeout: Duration.days(200),
      definition: new sfn.Wait(this, 'WaitForPhaseEnd', {
        stateName: 'Wait until the phase ends',
        time: sfn.WaitTime.timestampPath('$.phaseEndsAt'),
      }).next(
        this.invoke(
          'AdvancePhaseTask',
          'Move the pathway to its next phase',
          this.advancePhase,
          '$.advance',
        ).addCatch(this.failurePath('PhaseTimer', 'Phase timer failed'), {
          errors: [sfn.Errors.ALL],
          resultPath: '$.error',
        }),
      ),
    });

    const paymentFailure = this.failurePath('Payment', 'Payment failed');
    const calculate = this.invoke(
      'CalculatePaymentTask',
      'Calculate the payment',
      this.calculatePayment,
      '$.calculation',
    ).addCatch(paymentFailure, { errors: [sfn.Errors.ALL], resultPath: '$.error' });
    const notify = this.invoke('NotifyFinanceTask', 'Notify finance', this.notifyFinance, '$.notification')
      .addCatch(paymentFailure, { errors: [sfn.Errors.ALL], resultPath: '$.error' })
      .next(new sfn.Succeed(this, 'PaymentRecorded', { stateName: 'Payment recorded' }));

    this.payment = this.stateMachine('Payment', {
      dataKey,
      timeout: Duration.hours(1),
      definition: calculate.next(
        new sfn.Choice(this, 'IsPaymentDue', { stateName: 'Is a payment due?' })
          .when(
            sfn.Condition.and(
              // IsPresent first: a comparison on a missing path is a runtime error, not `false`.
              sfn.Condition.isPresent('$.calculation.due'),
              sfn.Condition.booleanEquals('$.calculation.due', true),
            ),
            notify,
          )
          .otherwise(new sfn.Succeed(this, 'NoPayment', { stateName: 'No payment for this outcome' })),
      ),
    });

    this.openMilestone = new HandlerFunction(this, 'OpenMilestone', {
      entry: 'functions/workflow/open-milestone.ts',
      description: 'Sustainment task: opens a milestone for confirmation when it falls due',
    }).useTable(table, 'change-pathway');

    this.closeMilestone = new HandlerFunction(this, 'CloseMilestone', {
      entry: 'functions/workflow/close-milestone.ts',
      description: 'Sustainment task: closes a milestone at its deadline, flagging it when unconfirmed',
    }).useTable(table, 'close-milestone');

    this.sendReminder = new HandlerFunction(this, 'SendReminder', {
      entry: 'functions/workflow/send-reminder.ts',
      description: 'Sustainment task: reminds the employment actor or the caseworker of a milestone, once',
      environment: { REMINDER_TOPIC_ARN: reminderTopic.topicArn },
    }).useTable(table, 'send-reminder');
    reminderTopic.grantPublish(this.sendReminder);

    this.sustainment = this.stateMachine('Sustainment', {
      dataKey,
      // The 26-week milestone's deadline is 30 weeks (210 days) after the job or education start; well inside
      // one year.
      timeout: Duration.days(250),
      definition: this.sustainmentDefinition(),
    });
  }

  /**
   * One leg per milestone (13, then 26 weeks): wait until it falls due, open it, remind the employment actor, wait
   * until a week before its confirmation deadline, remind again (the task sends nothing for a milestone answered
   * meanwhile), wait for the deadline, close it; a job (or education) that has ended or an unconfirmed milestone
   * ends the run, the latter after telling the caseworker. One run follows one result, a job or an education start
   * (domain/pathway.ts `isFollowedResult`), by the same steps. The legs are spelled out rather than mapped,
   * because a Wait inside a Map would hide each milestone's timer from the console. Reminders are timers of this
   * run, not a daily poll: each is due once, at a known instant (domain/reminders.ts).
   */
  private sustainmentDefinition(): sfn.IChainable {
    const failure = this.failurePath('Sustainment', 'Sustainment failed');
    const catchAll = { errors: [sfn.Errors.ALL], resultPath: '$.error' };
    const ended = new sfn.Succeed(this, 'SustainmentEnded', { stateName: 'Sustainment ended' });
    const sustained = new sfn.Succeed(this, 'Sustained26Weeks', {
      stateName: 'Result sustained 26 weeks',
    });
    const leg = (index: number, weeks: number, next: sfn.IChainable): sfn.IChainable => {
      const ids = {
        referralId: sfn.JsonPath.stringAt('$.referralId'),
        outcomeId: sfn.JsonPath.stringAt('$.outcomeId'),
        weeks,
      };
      const payload = sfn.TaskInput.fromObject(ids);
      /**
       * A reminder is an e-mail, not a step the milestone depends on: one that fails past its retries is recorded on
       * the pathway (the worklist shows it, the alarm fires) and the run goes on to `then`, so closing the milestone
       * and the next leg (and their payments) never wait on SNS.
       */
      const remind = (
        id: string,
        stateName: string,
        kind: ReminderKind,
        resultPath: string,
        then: sfn.IChainable,
      ): sfn.IChainable => {
        const recorded = this.invoke(
          `${id}Failed`,
          `Record that the ${weeks}-week ${kind} reminder failed`,
          this.recordFailure,
          `${resultPath}Failure`,
        ).next(then);
        return this.invoke(
          id,
          stateName,
          this.sendReminder,
          resultPath,
          sfn.TaskInput.fromObject({ ...ids, kind }),
        )
          .addCatch(recorded, catchAll)
          .next(then);
      };
      const open = this.invoke(
        `Open${weeks}WeekMilestone`,
        `Open the ${weeks}-week milestone`,
        this.openMilestone,
        `$.opened${weeks}`,
        payload,
      ).addCatch(failure, catchAll);
      const close = this.invoke(
        `Close${weeks}WeekMilestone`,
        `Close the ${weeks}-week milestone`,
        this.closeMilestone,
        `$.closed${weeks}`,
        payload,
      ).addCatch(failure, catchAll);
      const lapsed = new sfn.Choice(this, `Lapsed${weeks}Weeks`, {
        stateName: `Did the ${weeks}-week milestone lapse unanswered?`,
      })
        .when(
          // The close step says `unconfirmed` only for a milestone nobody answered; `job-ended` is an answer.
          sfn.Condition.stringEquals(`$.closed${weeks}.status`, 'unconfirmed'),
          remind(
            `RemindCaseworker${weeks}WeekLapsed`,
            `Tell the caseworker the ${weeks}-week milestone lapsed`,
            'milestone-lapsed',
            `$.remindedLapsed${weeks}`,
            ended,
          ),
        )
        .otherwise(ended);
      const closing = new sfn.Wait(this, `WaitFor${weeks}WeekDeadline`, {
        stateName: `Wait for the ${weeks}-week confirmation deadline`,
        // The open step's deadline: a late-recorded result still gets its full window.
        time: sfn.WaitTime.timestampPath(`$.opened${weeks}.deadlineAt`),
      })
        .next(close)
        .next(
          new sfn.Choice(this, `Confirmed${weeks}Weeks`, {
            stateName: `Was the result confirmed at ${weeks} weeks?`,
          })
            .when(sfn.Condition.booleanEquals(`$.closed${weeks}.continue`, true), next)
            .otherwise(lapsed),
        );
      const reminding = new sfn.Wait(this, `WaitFor${weeks}WeekReminder`, {
        stateName: `Wait until a week before the ${weeks}-week deadline`,
        time: sfn.WaitTime.timestampPath(`$.opened${weeks}.remindAt`),
      }).next(
        remind(
          `RemindActor${weeks}WeekDeadline`,
          `Remind the employment actor of the ${weeks}-week deadline`,
          'deadline-approaching',
          `$.remindedDeadline${weeks}`,
          closing,
        ),
      );
      return new sfn.Wait(this, `WaitFor${weeks}WeekMilestone`, {
        stateName: `Wait until the ${weeks}-week milestone`,
        time: sfn.WaitTime.timestampPath(`$.milestones[${index}].dueAt`),
      })
        .next(open)
        .next(
          new sfn.Choice(this, `JobRunningAt${weeks}Weeks`, {
            stateName: `Is the result still followed at ${weeks} weeks?`,
          })
            .when(
              sfn.Condition.booleanEquals(`$.opened${weeks}.open`, true),
              remind(
                `RemindActor${weeks}WeekOpen`,
                `Remind the employment actor that the ${weeks}-week milestone is open`,
                'milestone-opened',
                `$.remindedOpened${weeks}`,
                reminding,
              ),
            )
            .otherwise(ended),
        );
    };
    return leg(0, 13, leg(1, 26, sustained));
  }

  /** A Lambda task with the programme's retriers (lib/workflow-parts.ts). */
  private invoke(
    id: string,
    stateName: string,
    fn: HandlerFunction,
    resultPath: string,
    payload?: sfn.TaskInput,
  ): tasks.LambdaInvoke {
    return lambdaTask(this, id, { stateName, fn, resultPath, payload });
  }

  private failurePath(machine: string, failStateName: string): sfn.IChainable {
    return this.invoke(
      `${machine}RecordFailureTask`,
      'Record the failure',
      this.recordFailure,
      '$.failureRecord',
    ).next(
      new sfn.Fail(this, `${machine}Failed`, {
        stateName: failStateName,
        error: `${machine}Failed`,
        cause: 'Record the failure wrote what went wrong to the programme table; see the execution history',
      }),
    );
  }

  private stateMachine(
    id: string,
    options: { dataKey: kms.IKey; timeout: Duration; definition: sfn.IChainable },
  ): sfn.StateMachine {
    return programmeStateMachine(this, id, options);
  }
}
