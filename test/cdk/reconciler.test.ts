import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { RECONCILER_METRIC } from '../../lib/reconciler.ts';
import {
  actionCovers,
  entries,
  functionId,
  identityStatements,
  logicalIdOf,
  refersTo,
  resourcesOfType,
  type Synthesized,
  synthesize,
} from './support.ts';

describe('Reconciler', () => {
  let synthesized: Synthesized;
  let fnId: string;
  let roleId: string;

  beforeAll(() => {
    // Prepare
    synthesized = synthesize();
    fnId = functionId(synthesized.json, entries.reconcile);
    const role = synthesized.json.Resources[fnId]?.Properties?.Role as { 'Fn::GetAtt': [string, string] };
    roleId = role['Fn::GetAtt'][0];
  });

  it('runs the reconciler every night through EventBridge Scheduler, in Danish time', () => {
    // Act
    const schedules = resourcesOfType(synthesized.json, 'AWS::Scheduler::Schedule');
    // Assess
    expect(schedules).toHaveLength(1);
    const [, schedule] = schedules[0] ?? [];
    expect(schedule?.Properties).toMatchObject({
      ScheduleExpression: 'cron(0 3 * * ? *)',
      ScheduleExpressionTimezone: 'Europe/Copenhagen',
      State: 'ENABLED',
    });
    const target = schedule?.Properties?.Target as { Arn: unknown; RoleArn: unknown };
    expect(refersTo(target.Arn, fnId)).toBe(true);
  });

  it('may start and describe executions of exactly the three machines, stop only timers and sustainment runs', () => {
    // Prepare
    const { workflows } = synthesized.stack;
    const statements = identityStatements(synthesized.json).filter((s) => s.roles.includes(roleId));
    const onMachines = (action: string) =>
      statements
        .filter((s) => s.actions.includes(action))
        .flatMap((s) => s.resources)
        .map((r) => JSON.stringify(r));
    const machineIds = [workflows.phaseTimer, workflows.payment, workflows.sustainment].map(logicalIdOf);
    // Act
    const starts = onMachines('states:StartExecution');
    const describes = onMachines('states:DescribeExecution');
    const stops = onMachines('states:StopExecution');
    // Assess
    expect(starts).toHaveLength(3);
    for (const id of machineIds)
      expect(
        starts.some((r) => r.includes(`"${id}"`)),
        id,
      ).toBe(true);
    expect(describes).toHaveLength(3);
    for (const id of machineIds)
      expect(
        describes.some((r) => r.includes(`"${id}"`)),
        id,
      ).toBe(true);
    expect(stops).toHaveLength(2);
    expect(stops.some((r) => r.includes(`"${logicalIdOf(workflows.payment)}"`))).toBe(false);
    expect(
      statements
        .flatMap((s) => s.actions)
        .filter((a) => a.startsWith('states:'))
        .sort(),
    ).toEqual(
      expect.arrayContaining(['states:DescribeExecution', 'states:StartExecution', 'states:StopExecution']),
    );
    expect(
      statements
        .flatMap((s) => s.actions)
        .filter((a) => a.startsWith('states:') && !/(Start|Describe|Stop)Execution$/.test(a)),
    ).toEqual([]);
  });

  it('reads the table by Query only (the byType index for referral ids), never a Scan, and writes nothing', () => {
    // Act
    const dynamo = identityStatements(synthesized.json)
      .filter((s) => s.roles.includes(roleId))
      .flatMap((s) => s.actions)
      .filter((a) => a.startsWith('dynamodb:'));
    // Assess
    expect(new Set(dynamo)).toEqual(new Set(['dynamodb:Query']));
    expect(dynamo.some((a) => actionCovers(a, 'dynamodb:Scan'))).toBe(false);
  });

  it('alarms the operations topic when it started or stopped anything, read from its findings line', () => {
    // Prepare
    const topicId = logicalIdOf(synthesized.stack.events.operationsTopic);
    // Act / Assess
    synthesized.template.hasResourceProperties('AWS::Logs::MetricFilter', {
      FilterPattern: '{ $.message = "Reconciliation findings" }',
      MetricTransformations: [
        Match.objectLike({
          MetricNamespace: RECONCILER_METRIC.namespace,
          MetricName: RECONCILER_METRIC.name,
          MetricValue: '$.corrections',
        }),
      ],
    });
    synthesized.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: RECONCILER_METRIC.namespace,
      MetricName: RECONCILER_METRIC.name,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [{ Ref: topicId }],
    });
    synthesized.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: fnId } }],
      AlarmActions: [{ Ref: topicId }],
    });
  });
});
