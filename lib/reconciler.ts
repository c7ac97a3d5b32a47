import { Duration, Stack, TimeZone } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { grantExecutionControl } from './execution-grants.ts';
import { HandlerFunction } from './handler-function.ts';
import { alarmOnAny } from './operations-alarm.ts';

export interface ReconcilerProps {
  readonly table: dynamodb.ITableV2;
  readonly phaseTimer: sfn.StateMachine;
  readonly payment: sfn.StateMachine;
  readonly sustainment: sfn.StateMachine;
  /** The state machines' key: Step Functions encrypts and decrypts with the caller's permissions. */
  readonly dataKey: kms.IKey;
  readonly operationsTopic: sns.ITopic;
}

/** The namespace and name of the count of starts and stops the reconciler had to make (its findings). */
export const RECONCILER_METRIC = { namespace: 'Vaekstpartnerskaber', name: 'ReconcilerCorrections' } as const;

/**
 * The reconciler (functions/ops/reconcile.ts): daily, it starts the executions the table says should run and
 * do not, and stops those that should not run. Anything it had to do means something upstream lost a step
 * (a stream record, a StartExecution), so every correction raises an alarm to the operations topic. Run it on
 * demand by invoking the function (`aws lambda invoke --function-name <ReconcilerFunctionName> /dev/stdout`).
 */
export class Reconciler extends Construct {
  readonly function: HandlerFunction;
  readonly schedule: scheduler.Schedule;
  /** The role EventBridge Scheduler invokes the reconciler with, and nothing else. */
  readonly scheduleRole: iam.Role;

  constructor(scope: Construct, id: string, props: ReconcilerProps) {
    super(scope, id);
    const { table, phaseTimer, payment, sustainment, dataKey, operationsTopic } = props;

    this.function = new HandlerFunction(this, 'Reconcile', {
      entry: 'functions/ops/reconcile.ts',
      description:
        'Daily: starts missing phase timer, sustainment and payment executions, stops unwanted ones',
      // Every active pathway is read and its executions described, four at a time.
      timeout: Duration.minutes(10),
      environment: {
        PHASE_TIMER_STATE_MACHINE_ARN: phaseTimer.stateMachineArn,
        PAYMENT_STATE_MACHINE_ARN: payment.stateMachineArn,
        SUSTAINMENT_STATE_MACHINE_ARN: sustainment.stateMachineArn,
      },
    })
      // The business case's mode is exactly what it needs: referral ids through byType, each pathway by Query.
      .useTable(table, 'report');

    // Payments run to their end; only a superseded timer and a dropped-out pathway's follow-up are stopped.
    grantExecutionControl(this.function, {
      start: [phaseTimer, payment, sustainment],
      describe: [phaseTimer, payment, sustainment],
      stop: [phaseTimer, sustainment],
      dataKey,
    });

    this.scheduleRole = new iam.Role(this, 'ScheduleRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        // Only this account's schedules may use it (confused deputy).
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
      description: 'EventBridge Scheduler: invokes the reconciler',
    });
    this.schedule = new scheduler.Schedule(this, 'Daily', {
      description: 'Runs the reconciler every night, after the day’s phase timers have fired',
      schedule: scheduler.ScheduleExpression.cron({
        hour: '3',
        minute: '0',
        timeZone: TimeZone.of('Europe/Copenhagen'),
      }),
      target: new targets.LambdaInvoke(this.function, {
        role: this.scheduleRole,
        input: scheduler.ScheduleTargetInput.fromObject({ source: 'schedule' }),
        retryAttempts: 2,
        maxEventAge: Duration.hours(6),
      }),
    });

    const logGroup = this.function.logGroup;
    new logs.MetricFilter(this, 'CorrectionsFilter', {
      logGroup,
      filterPattern: logs.FilterPattern.stringValue('$.message', '=', 'Reconciliation findings'),
      metricNamespace: RECONCILER_METRIC.namespace,
      metricName: RECONCILER_METRIC.name,
      metricValue: '$.corrections',
      defaultValue: 0,
    });
    alarmOnAny(this, 'CorrectionsAlarm', {
      description:
        'The reconciler started or stopped executions: its "Reconciliation findings" log line names them',
      metric: new cloudwatch.Metric({
        namespace: RECONCILER_METRIC.namespace,
        metricName: RECONCILER_METRIC.name,
        period: Duration.hours(1),
        statistic: cloudwatch.Stats.SUM,
      }),
      topic: operationsTopic,
    });
    alarmOnAny(this, 'ErrorsAlarm', {
      description: 'The reconciler failed: nothing checked that every pathway has its executions',
      metric: this.function.metricErrors({ period: Duration.hours(1), statistic: cloudwatch.Stats.SUM }),
      topic: operationsTopic,
    });
  }
}
