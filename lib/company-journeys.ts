import { Duration } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { grantExecutionControl } from './execution-grants.ts';
import { HandlerFunction } from './handler-function.ts';
import { alarmOnAny } from './operations-alarm.ts';
import { tableStreamSource } from './pathway-events.ts';
import { lambdaTask, programmeStateMachine } from './workflow-parts.ts';

export interface CompanyJourneysProps {
  readonly table: dynamodb.ITableV2;
  readonly dataKey: kms.IKey;
  /** The programme's REST API (lib/referral-api.ts): its authorizer guards these methods too. */
  readonly api: apigateway.RestApi;
  /** The company-side results' payment workflow (lib/company-payments.ts), started by the same stream consumer. */
  readonly companyPayment: sfn.StateMachine;
  /** Where failed timers and dead letters are alarmed (PathwayEvents' operations topic). */
  readonly operationsTopic?: sns.ITopic;
}

/**
 * The companies' journey through the social accelerator (issue 7) as workflows, the way pathways run: each leg of
 * a journey (domain/accelerator.ts `nextBoundary`: to the boot camp, through it, to the accelerator, camp to camp,
 * to the end of the follow-up) is one Standard execution of the CompanyStageTimer, named from ids
 * (`company-<cvr>-<cohortId>-<legSeq>`), because the whole journey (about 22 months) is longer than one execution
 * may live. The table stream starts each leg's timer from the journey's `stage-started` event
 * (functions/events/dispatch-company-events.ts) and stops the running one when a decision ends the journey.
 */
export class CompanyJourneys extends Construct {
  readonly stageTimer: sfn.StateMachine;
  readonly advanceStage: HandlerFunction;
  readonly recordFailure: HandlerFunction;
  readonly dispatcher: HandlerFunction;
  readonly deadLetterQueue: sqs.Queue;
  readonly inviteCompany: HandlerFunction;
  readonly recordSelection: HandlerFunction;
  readonly recordWithdrawal: HandlerFunction;
  readonly recordAttendance: HandlerFunction;
  readonly getCohort: HandlerFunction;

  constructor(scope: Construct, id: string, props: CompanyJourneysProps) {
    super(scope, id);
    const { table, dataKey, api } = props;

    this.advanceStage = new HandlerFunction(this, 'AdvanceCompanyStage', {
      entry: 'functions/workflow/advance-company-stage.ts',
      description:
        'Company stage timer task: moves a company to its next stage when a leg of its journey ends',
    }).useTable(table, 'change-journey');

    this.recordFailure = new HandlerFunction(this, 'RecordJourneyFailure', {
      entry: 'functions/workflow/record-journey-failure.ts',
      description: 'Catch path of the company stage timer: records that a journey workflow failed',
    }).useTable(table, 'record-failure');

    this.stageTimer = this.stateMachine('CompanyStageTimer', {
      dataKey,
      // The longest leg is the follow-up, about 182 days; 200 days leaves room for retries, inside the year.
      timeout: Duration.days(200),
      definition: new sfn.Wait(this, 'WaitForStageEnd', {
        stateName: 'Wait until the stage ends',
        time: sfn.WaitTime.timestampPath('$.legEndsAt'),
      }).next(
        this.invoke(
          'AdvanceCompanyStageTask',
          'Move the company to its next stage',
          this.advanceStage,
          '$.advance',
        )
          .addCatch(
            this.invoke(
              'RecordJourneyFailureTask',
              'Record the failure',
              this.recordFailure,
              '$.failureRecord',
            ).next(
              new sfn.Fail(this, 'CompanyStageTimerFailed', {
                stateName: 'Company stage timer failed',
                error: 'CompanyStageTimerFailed',
                cause: 'Record the failure wrote what went wrong onto the journey; see the execution history',
              }),
            ),
            { errors: [sfn.Errors.ALL], resultPath: '$.error' },
          )
          .next(new sfn.Succeed(this, 'StageMoved', { stateName: 'Stage moved' })),
      ),
    });

    this.dispatcher = new HandlerFunction(this, 'DispatchCompanyEvents', {
      entry: 'functions/events/dispatch-company-events.ts',
      description: 'Table stream consumer: starts and stops the company stage timer executions',
      environment: {
        COMPANY_STAGE_TIMER_STATE_MACHINE_ARN: this.stageTimer.stateMachineArn,
        COMPANY_PAYMENT_STATE_MACHINE_ARN: props.companyPayment.stateMachineArn,
      },
    });
    grantExecutionControl(this.dispatcher, {
      start: [this.stageTimer, props.companyPayment],
      stop: [this.stageTimer],
      dataKey,
    });
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: dataKey,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    // Only the journeys' own events (`JEVENT#`) and company-side results (`JRESULT#`); the pathways' `EVENT#` go
    // to their own dispatcher.
    this.dispatcher.addEventSource(
      tableStreamSource(table, this.deadLetterQueue, {
        batchSize: 10,
        insertedSortKeyPrefixes: ['JEVENT#', 'JRESULT#'],
      }),
    );

    if (props.operationsTopic) {
      alarmOnAny(this, 'CompanyStageTimerFailedAlarm', {
        description:
          'CompanyStageTimer executions failed; the journey and the execution history show the error',
        metric: this.stageTimer.metricFailed({
          period: Duration.minutes(5),
          statistic: cloudwatch.Stats.SUM,
        }),
        topic: props.operationsTopic,
      });
      alarmOnAny(this, 'DeadLetterAlarm', {
        description:
          'Journey events the company dispatcher gave up on: a stage timer was not started or stopped',
        metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
          period: Duration.minutes(5),
          statistic: cloudwatch.Stats.MAXIMUM,
        }),
        topic: props.operationsTopic,
      });
    }

    this.inviteCompany = new HandlerFunction(this, 'InviteCompany', {
      entry: 'functions/api/invite-company.ts',
      description:
        'POST /cohorts/{cohortId}/companies: invites a registered company into its cluster’s cohort',
    }).useTable(table, 'run-accelerator');
    this.recordSelection = new HandlerFunction(this, 'RecordSelection', {
      entry: 'functions/api/record-selection.ts',
      description: 'POST /companies/{cvr}/journey/selection: selected for the accelerator, or not',
    }).useTable(table, 'run-accelerator');
    this.recordWithdrawal = new HandlerFunction(this, 'RecordWithdrawal', {
      entry: 'functions/api/record-withdrawal.ts',
      description: 'POST /companies/{cvr}/journey/withdrawal: the company leaves its cohort',
    }).useTable(table, 'run-accelerator');
    this.recordAttendance = new HandlerFunction(this, 'RecordAttendance', {
      entry: 'functions/api/record-attendance.ts',
      description: 'POST /companies/{cvr}/journey/attendance: attendance at one of the cohort’s camps',
    }).useTable(table, 'run-accelerator');
    this.getCohort = new HandlerFunction(this, 'GetCohort', {
      entry: 'functions/api/get-cohort.ts',
      description: 'GET /cohorts/{cohortId}: boot camp, camp calendar and companies by stage',
    }).useTable(table, 'read-cohort');

    // resourceForPath reuses what another construct made (the partnerships' /companies/{cvr}).
    const integration = (fn: HandlerFunction) =>
      new apigateway.LambdaIntegration(fn, { allowTestInvoke: false });
    const cohort = api.root.resourceForPath('cohorts/{cohortId}');
    cohort.addMethod('GET', integration(this.getCohort));
    cohort.resourceForPath('companies').addMethod('POST', integration(this.inviteCompany));
    const journey = api.root.resourceForPath('companies/{cvr}/journey');
    journey.resourceForPath('selection').addMethod('POST', integration(this.recordSelection));
    journey.resourceForPath('withdrawal').addMethod('POST', integration(this.recordWithdrawal));
    journey.resourceForPath('attendance').addMethod('POST', integration(this.recordAttendance));
  }

  /** A Lambda task with the programme's retriers (lib/workflow-parts.ts). */
  private invoke(id: string, stateName: string, fn: HandlerFunction, resultPath: string): tasks.LambdaInvoke {
    return lambdaTask(this, id, { stateName, fn, resultPath });
  }

  private stateMachine(
    id: string,
    options: { dataKey: kms.IKey; timeout: Duration; definition: sfn.IChainable },
  ): sfn.StateMachine {
    return programmeStateMachine(this, id, options);
  }
}
