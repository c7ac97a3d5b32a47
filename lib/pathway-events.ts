import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { grantExecutionControl } from './execution-grants.ts';
import { HandlerFunction } from './handler-function.ts';
import { alarmOnAny } from './operations-alarm.ts';

/**
 * A consumer of the table stream as every one here is set up: from the oldest record, in order, a failing record
 * retried alone (bisect) up to ten times within a day and then sent to `deadLetterQueue`, never dropped; only
 * inserted items whose sort key begins with one of the prefixes invoke it (and changed ones, for the
 * `changedSortKeyPrefixes`).
 */
export function tableStreamSource(
  table: dynamodb.ITableV2,
  deadLetterQueue: sqs.IQueue,
  options: {
    batchSize: number;
    insertedSortKeyPrefixes: readonly string[];
    /** Items whose changes (not only their insertion) invoke the consumer. */
    changedSortKeyPrefixes?: readonly string[];
  },
): sources.DynamoEventSource {
  return new sources.DynamoEventSource(table, {
    startingPosition: lambda.StartingPosition.TRIM_HORIZON,
    batchSize: options.batchSize,
    bisectBatchOnError: true,
    retryAttempts: 10,
    maxRecordAge: Duration.hours(24),
    reportBatchItemFailures: true,
    filters: [
      ...options.insertedSortKeyPrefixes.map((prefix) =>
        lambda.FilterCriteria.filter({
          eventName: lambda.FilterRule.isEqual('INSERT'),
          dynamodb: { Keys: { sk: { S: lambda.FilterRule.beginsWith(prefix) } } },
        }),
      ),
      ...(options.changedSortKeyPrefixes ?? []).map((prefix) =>
        lambda.FilterCriteria.filter({
          eventName: lambda.FilterRule.or('INSERT', 'MODIFY'),
          dynamodb: { Keys: { sk: { S: lambda.FilterRule.beginsWith(prefix) } } },
        }),
      ),
    ],
    onFailure: new sources.SqsDlq(deadLetterQueue),
  });
}

export interface PathwayEventsProps {
  readonly table: dynamodb.ITableV2;
  readonly dataKey: kms.IKey;
  readonly phaseTimer: sfn.StateMachine;
  readonly payment: sfn.StateMachine;
  readonly sustainment: sfn.StateMachine;
  /** Operators who receive alarms; the topic exists (and can be subscribed later) without any. */
  readonly operationsEmails?: readonly string[];
}

/**
 * The transactional outbox: the table stream starts and stops workflow executions. Failures that survive the
 * retries land in a dead-letter queue and raise an alarm instead of being dropped after 24 hours.
 */
export class PathwayEvents extends Construct {
  readonly dispatcher: HandlerFunction;
  readonly deadLetterQueue: sqs.Queue;
  readonly operationsTopic: sns.Topic;

  constructor(scope: Construct, id: string, props: PathwayEventsProps) {
    super(scope, id);
    const { table, dataKey, phaseTimer, payment, sustainment } = props;

    this.dispatcher = new HandlerFunction(this, 'DispatchPathwayEvents', {
      entry: 'functions/events/dispatch-pathway-events.ts',
      description: 'Table stream consumer: starts and stops phase timer, payment and sustainment executions',
      environment: {
        PHASE_TIMER_STATE_MACHINE_ARN: phaseTimer.stateMachineArn,
        PAYMENT_STATE_MACHINE_ARN: payment.stateMachineArn,
        SUSTAINMENT_STATE_MACHINE_ARN: sustainment.stateMachineArn,
      },
    });
    // A superseded phase timer, and the sustainment runs of a pathway the citizen dropped out of, are stopped.
    grantExecutionControl(this.dispatcher, {
      start: [phaseTimer, payment, sustainment],
      stop: [phaseTimer, sustainment],
      dataKey,
    });

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: dataKey,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });

    // Only new pathway events start workflows; the access log, outcomes and payments inserted beside them
    // would each invoke the dispatcher for nothing (a read of a pathway page writes an access entry).
    this.dispatcher.addEventSource(
      tableStreamSource(table, this.deadLetterQueue, { batchSize: 10, insertedSortKeyPrefixes: ['EVENT#'] }),
    );

    this.operationsTopic = new sns.Topic(this, 'OperationsTopic', {
      displayName: 'Vaekstpartnerskaber operations alarms',
      masterKey: dataKey,
      enforceSSL: true,
    });
    for (const address of props.operationsEmails ?? []) {
      this.operationsTopic.addSubscription(new subscriptions.EmailSubscription(address));
    }
    // CloudWatch publishes alarm notifications itself, so it needs the topic's key; only for this account's
    // alarms, so that no other account's alarm can use the key through CloudWatch (confused deputy).
    dataKey.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    );

    const watched = { PhaseTimer: phaseTimer, Payment: payment, Sustainment: sustainment };
    for (const [machineId, stateMachine] of Object.entries(watched)) {
      alarmOnAny(this, `${machineId}FailedAlarm`, {
        description: `${machineId} executions failed; their history shows the error`,
        metric: stateMachine.metricFailed({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
        topic: this.operationsTopic,
      });
    }
    alarmOnAny(this, 'DeadLetterAlarm', {
      description: 'Table stream records the dispatcher gave up on: executions were not started or stopped',
      metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(5),
        statistic: cloudwatch.Stats.MAXIMUM,
      }),
      topic: this.operationsTopic,
    });
  }
}
