import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { HandlerFunction } from './handler-function.ts';
import { alarmOnAny } from './operations-alarm.ts';
import { tableStreamSource } from './pathway-events.ts';

export interface PathwayViewsProps {
  readonly table: dynamodb.ITableV2;
  readonly dataKey: kms.IKey;
  /** Where the dead-letter alarm goes (PathwayEvents' operations topic). */
  readonly operationsTopic: sns.ITopic;
}

/**
 * The lists' read side: the second consumer of the table stream keeps each pathway's summary, its worklist entry
 * and the municipalities' phase counts (functions/events/project-views.ts). A DynamoDB stream serves two
 * consumers per shard without throttling; this and the dispatcher are the two.
 */
export class PathwayViews extends Construct {
  readonly projector: HandlerFunction;
  readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: PathwayViewsProps) {
    super(scope, id);
    const { table, dataKey } = props;

    this.projector = new HandlerFunction(this, 'ProjectViews', {
      entry: 'functions/events/project-views.ts',
      description: 'Table stream consumer: keeps pathway summaries, worklist entries and phase counts',
      // A rebuild ({ rebuild: true }) projects every pathway one by one; a stream batch takes well under a second.
      timeout: Duration.minutes(10),
    }).useTable(table, 'project-views');

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: dataKey,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });

    // A summary changes when the pathway has a new event or a failed step, and when a payment is written or
    // notified (that is how a failed payment run shows it succeeded after all); reads (access-log entries) and the
    // projector's own items would invoke it for nothing.
    this.projector.addEventSource(
      tableStreamSource(table, this.deadLetterQueue, {
        batchSize: 25,
        insertedSortKeyPrefixes: ['EVENT#', 'FAILURE#'],
        changedSortKeyPrefixes: ['PAYMENT#'],
      }),
    );

    alarmOnAny(this, 'DeadLetterAlarm', {
      description: 'Table stream records the projector gave up on: a list or worklist may be out of date',
      metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(5),
        statistic: cloudwatch.Stats.MAXIMUM,
      }),
      topic: props.operationsTopic,
    });
  }
}
