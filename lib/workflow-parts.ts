import { Duration, Fn, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';

const lambdaServiceErrors = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
];

/**
 * A Lambda task as every workflow of the programme calls one: the plain function ARN as `Resource` (which the local
 * runtime maps to the entry), the payload's answer as the result, and the programme's retriers: Lambda service
 * errors six times; `RetriesExhausted` (a handler that already retried to its bound has decided) straight to the
 * catch; any other failure three more times after jittered pauses, since handlers are idempotent.
 */
export function lambdaTask(
  scope: Construct,
  id: string,
  options: { stateName: string; fn: lambda.IFunction; resultPath: string; payload?: sfn.TaskInput },
): tasks.LambdaInvoke {
  const task = new tasks.LambdaInvoke(scope, id, {
    stateName: options.stateName,
    lambdaFunction: options.fn,
    payload: options.payload,
    payloadResponseOnly: true,
    resultPath: options.resultPath,
    retryOnServiceExceptions: false,
  });
  task.addRetry({
    errors: lambdaServiceErrors,
    interval: Duration.seconds(2),
    maxAttempts: 6,
    backoffRate: 2,
    jitterStrategy: sfn.JitterType.FULL,
  });
  task.addRetry({ errors: ['RetriesExhausted'], maxAttempts: 0 });
  task.addRetry({
    errors: [sfn.Errors.TASKS_FAILED],
    interval: Duration.seconds(5),
    maxAttempts: 3,
    backoffRate: 2,
    jitterStrategy: sfn.JitterType.FULL,
  });
  return task;
}

/**
 * A Standard state machine as the programme's are: named after the stack, logged with execution data (inputs and
 * outputs carry ids only) to a vended log group kept for a year (named with the stack's UUID, so a retained group
 * of a deleted stack never blocks the next deployment), traced, encrypted with the data key.
 */
export function programmeStateMachine(
  scope: Construct,
  id: string,
  options: { dataKey: kms.IKey; timeout: Duration; definition: sfn.IChainable },
): sfn.StateMachine {
  const stack = Stack.of(scope);
  const stackUuid = Fn.select(2, Fn.split('/', stack.stackId));
  const logGroup = new logs.LogGroup(scope, `${id}Logs`, {
    logGroupName: `/aws/vendedlogs/states/${stack.stackName}-${id}-${stackUuid}`,
    retention: logs.RetentionDays.ONE_YEAR,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  return new sfn.StateMachine(scope, id, {
    stateMachineName: `${stack.stackName}-${id}`,
    stateMachineType: sfn.StateMachineType.STANDARD,
    definitionBody: sfn.DefinitionBody.fromChainable(options.definition),
    timeout: options.timeout,
    tracingEnabled: true,
    logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
    encryptionConfiguration: new sfn.CustomerManagedEncryptionConfiguration(options.dataKey),
  });
}
