import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  entries,
  functionId,
  logicalIdOf,
  resourcesOfType,
  type Synthesized,
  synthesize,
} from './support.ts';

describe('PathwayEvents', () => {
  let synthesized: Synthesized;

  beforeAll(() => {
    // Prepare
    synthesized = synthesize();
  });

  it('lets CloudWatch use the data key only for alarms of this account', () => {
    // Prepare
    const key = synthesized.json.Resources[logicalIdOf(synthesized.stack.data.dataKey)];
    const policy = key?.Properties?.KeyPolicy as { Statement: Array<Record<string, unknown>> } | undefined;
    const statements = policy?.Statement ?? [];
    // Act
    const cloudwatch = statements.filter(
      (s) => JSON.stringify(s.Principal) === JSON.stringify({ Service: 'cloudwatch.amazonaws.com' }),
    );
    // Assess
    expect(cloudwatch).toHaveLength(1);
    expect(cloudwatch[0]?.Condition).toEqual({
      StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
    });
  });

  it('feeds inserted pathway events of the table stream to the dispatcher with bounded, bisected retries and a DLQ', () => {
    // Prepare
    const { stack } = synthesized;

    // Act / Assess
    synthesized.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: functionId(synthesized.json, entries.dispatcher) },
      EventSourceArn: { 'Fn::GetAtt': [logicalIdOf(stack.data.table), 'StreamArn'] },
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: 10,
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 10,
      MaximumRecordAgeInSeconds: 24 * 3600,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      // New pathway events only: an access-log entry (written on every read) must not invoke the dispatcher.
      FilterCriteria: {
        Filters: [
          {
            Pattern: JSON.stringify({
              eventName: ['INSERT'],
              dynamodb: { Keys: { sk: { S: [{ prefix: 'EVENT#' }] } } },
            }),
          },
        ],
      },
      DestinationConfig: {
        OnFailure: { Destination: { 'Fn::GetAtt': [logicalIdOf(stack.events.deadLetterQueue), 'Arn'] } },
      },
    });
  });

  it('feeds the projector new events and failures, and written or notified payments, with its own DLQ', () => {
    // Prepare
    const { stack } = synthesized;
    const pattern = (eventName: string[], prefix: string) => ({
      Pattern: JSON.stringify({ eventName, dynamodb: { Keys: { sk: { S: [{ prefix }] } } } }),
    });

    // Act / Assess: a payment's notification (a MODIFY) is how a restarted payment run shows it succeeded.
    synthesized.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: functionId(synthesized.json, entries.projectViews) },
      EventSourceArn: { 'Fn::GetAtt': [logicalIdOf(stack.data.table), 'StreamArn'] },
      StartingPosition: 'TRIM_HORIZON',
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      FilterCriteria: {
        Filters: [
          pattern(['INSERT'], 'EVENT#'),
          pattern(['INSERT'], 'FAILURE#'),
          pattern(['INSERT', 'MODIFY'], 'PAYMENT#'),
        ],
      },
      DestinationConfig: {
        OnFailure: { Destination: { 'Fn::GetAtt': [logicalIdOf(stack.views.deadLetterQueue), 'Arn'] } },
      },
    });
  });

  it('encrypts the dead-letter queue and the operations topic with the data key, SSL only', () => {
    // Prepare
    const { stack, template } = synthesized;
    const dataKeyArn = { 'Fn::GetAtt': [logicalIdOf(stack.data.dataKey), 'Arn'] };
    const denyInsecure = Match.objectLike({
      Effect: 'Deny',
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    });

    // Act / Assess
    template.hasResourceProperties('AWS::SQS::Queue', { KmsMasterKeyId: dataKeyArn });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: logicalIdOf(stack.events.deadLetterQueue) }],
      PolicyDocument: { Statement: Match.arrayWith([denyInsecure]) },
    });
    expect(
      synthesized.json.Resources[logicalIdOf(stack.events.operationsTopic)]?.Properties?.KmsMasterKeyId,
    ).toEqual(dataKeyArn);
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: logicalIdOf(stack.events.operationsTopic) }],
      PolicyDocument: { Statement: Match.arrayWith([denyInsecure]) },
    });
  });

  it('alarms the operations topic on failed executions of both machines and on dead letters', () => {
    // Prepare
    const { stack } = synthesized;
    const topic = logicalIdOf(stack.events.operationsTopic);

    // Act
    const alarms = resourcesOfType(synthesized.json, 'AWS::CloudWatch::Alarm').map(
      ([, a]) => a.Properties ?? {},
    );
    const watched = alarms.map((a) => `${String(a.MetricName)} ${JSON.stringify(a.Dimensions)}`);

    // Assess
    for (const machine of [stack.workflows.phaseTimer, stack.workflows.payment]) {
      expect(watched).toContainEqual(
        `ExecutionsFailed ${JSON.stringify([{ Name: 'StateMachineArn', Value: { Ref: logicalIdOf(machine) } }])}`,
      );
    }
    expect(watched.some((w) => w.startsWith('ApproximateNumberOfMessagesVisible'))).toBe(true);
    for (const alarm of alarms) expect(alarm.AlarmActions).toEqual([{ Ref: topic }]);
  });

  it('lets CloudWatch use the data key, without which alarms cannot reach the encrypted topic', () => {
    // Act / Assess
    synthesized.template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          }),
        ]),
      },
    });
  });
});
