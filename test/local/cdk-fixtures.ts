import { App, Duration, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { type CloudFormationTemplate, templateOfStack } from '../../local/template.ts';

/** Synthesizes offline: bundling skipped and inline code, since the local runtime never runs deployed code. */
export function synthesize(build: (stack: Stack) => void): CloudFormationTemplate {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  build(new Stack(app, 'LocalTest'));
  return templateOfStack(app);
}

/** A function tagged with its handler module, the way `HandlerFunction` in lib/ tags them. */
export function handlerFunction(
  stack: Stack,
  id: string,
  environment: Record<string, string> = {},
): lambda.Function {
  const fn = new lambda.Function(stack, id, {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('export const handler = async () => ({});'),
    environment,
  });
  (fn.node.defaultChild as lambda.CfnFunction).addMetadata('vaekst:entry', `functions/test/${id}.ts`);
  return fn;
}

/**
 * `PhaseTimer`: Wait until `$.dueAt` → Move on (retried on States.TaskFailed) → end; any error → Record the
 * failure → Fail. `Payment`: Calculate (lambda:invoke) → Choice on `$.calculation.paymentId` → Notify or not.
 * `Context`: Wait 60 s → a task whose payload is the context object. `Starter`: starts a PhaseTimer execution
 * and stops another one through the SDK integration. `Pause`: a Wait that ends the execution.
 */
export function workflowStack(stack: Stack): void {
  const move = handlerFunction(stack, 'Move');
  const recordFailure = handlerFunction(stack, 'RecordFailure');
  const calculate = handlerFunction(stack, 'Calculate');
  const notify = handlerFunction(stack, 'Notify');
  const inspect = handlerFunction(stack, 'Inspect');

  const phaseTimer = new sfn.StateMachine(stack, 'PhaseTimer', {
    definitionBody: sfn.DefinitionBody.fromChainable(
      new sfn.Wait(stack, 'Wait until due', { time: sfn.WaitTime.timestampPath('$.dueAt') }).next(
        lambdaTask(stack, 'Move on', move, '$.advance')
          .addRetry({ errors: ['States.TaskFailed'], maxAttempts: 2, interval: Duration.seconds(30) })
          .addCatch(failurePath(stack, 'Timer', recordFailure), {
            errors: ['States.ALL'],
            resultPath: '$.error',
          }),
      ),
    ),
    timeout: Duration.days(200),
  });

  const calculation = new tasks.LambdaInvoke(stack, 'Calculate the payment', {
    lambdaFunction: calculate,
    resultSelector: { 'paymentId.$': '$.Payload.paymentId' },
    resultPath: '$.calculation',
  });
  const due = new sfn.Choice(stack, 'Is a payment due?')
    .when(
      sfn.Condition.isString('$.calculation.paymentId'),
      lambdaTask(stack, 'Notify finance', notify, '$.notification').next(
        new sfn.Succeed(stack, 'Payment recorded'),
      ),
    )
    .otherwise(new sfn.Succeed(stack, 'No payment for this outcome'));
  new sfn.StateMachine(stack, 'Payment', {
    definitionBody: sfn.DefinitionBody.fromChainable(calculation.next(due)),
  });

  new sfn.StateMachine(stack, 'Context', {
    definitionBody: sfn.DefinitionBody.fromChainable(
      new sfn.Wait(stack, 'Wait a minute', { time: sfn.WaitTime.duration(Duration.seconds(60)) }).next(
        new tasks.LambdaInvoke(stack, 'Inspect the context', {
          lambdaFunction: inspect,
          payloadResponseOnly: true,
          payload: sfn.TaskInput.fromObject({
            executionId: sfn.JsonPath.executionId,
            executionName: sfn.JsonPath.executionName,
            startTime: sfn.JsonPath.executionStartTime,
            input: sfn.JsonPath.objectAt('$$.Execution.Input'),
            stateMachineId: sfn.JsonPath.stateMachineId,
          }),
        }),
      ),
    ),
  });

  const start = new tasks.StepFunctionsStartExecution(stack, 'Start the next timer', {
    stateMachine: phaseTimer,
    name: sfn.JsonPath.format(
      '{}-{}',
      sfn.JsonPath.stringAt('$.referralId'),
      sfn.JsonPath.stringAt('$.phaseSeq'),
    ),
    input: sfn.TaskInput.fromObject({ dueAt: sfn.JsonPath.stringAt('$.dueAt') }),
    resultPath: '$.started',
  });
  const stop = new tasks.CallAwsService(stack, 'Stop the old timer', {
    service: 'sfn',
    action: 'stopExecution',
    parameters: { ExecutionArn: sfn.JsonPath.stringAt('$.oldExecutionArn') },
    iamResources: ['*'],
    resultPath: '$.stopped',
  });
  new sfn.StateMachine(stack, 'Starter', {
    definitionBody: sfn.DefinitionBody.fromChainable(start.next(stop)),
  });

  new sfn.StateMachine(stack, 'Pause', {
    definitionBody: sfn.DefinitionBody.fromChainable(
      new sfn.Wait(stack, 'Pause for an hour', { time: sfn.WaitTime.secondsPath('$.seconds') }),
    ),
  });
}

function lambdaTask(stack: Stack, id: string, fn: lambda.IFunction, resultPath: string): tasks.LambdaInvoke {
  return new tasks.LambdaInvoke(stack, id, { lambdaFunction: fn, payloadResponseOnly: true, resultPath });
}

function failurePath(stack: Stack, prefix: string, recordFailure: lambda.IFunction): sfn.IChainable {
  return lambdaTask(stack, `${prefix}: record the failure`, recordFailure, '$.failureRecord').next(
    new sfn.Fail(stack, `${prefix} failed`, { error: `${prefix}Failed`, cause: 'See the failure record' }),
  );
}

/** A REST API with the project's routes, a table with a filtered stream consumer, and a handler's environment. */
export function apiStack(stack: Stack): void {
  const table = new dynamodb.TableV2(stack, 'Table', {
    partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
    sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
    dynamoStream: dynamodb.StreamViewType.NEW_IMAGE,
  });
  const timer = new sfn.StateMachine(stack, 'Timer', {
    definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'Nothing')),
  });
  const form = handlerFunction(stack, 'Form');
  const create = handlerFunction(stack, 'Create', { TABLE_NAME: table.tableName, TABLE_ARN: table.tableArn });
  const get = handlerFunction(stack, 'Get', { TABLE_NAME: table.tableName });
  const record = handlerFunction(stack, 'Record', { TABLE_NAME: table.tableName });
  const dispatch = handlerFunction(stack, 'Dispatch', { TIMER_ARN: timer.stateMachineArn });
  dispatch.addEventSource(
    new DynamoEventSource(table, {
      startingPosition: lambda.StartingPosition.TRIM_HORIZON,
      batchSize: 10,
      bisectBatchOnError: true,
      reportBatchItemFailures: true,
      retryAttempts: 3,
      filters: [lambda.FilterCriteria.filter({ eventName: lambda.FilterRule.isEqual('INSERT') })],
    }),
  );

  const api = new apigw.RestApi(stack, 'Api');
  api.root.addMethod('GET', new apigw.LambdaIntegration(form));
  const referrals = api.root.addResource('referrals');
  referrals.addMethod('POST', new apigw.LambdaIntegration(create));
  const referral = referrals.addResource('{id}');
  referral.addMethod('GET', new apigw.LambdaIntegration(get));
  referral.addResource('outcomes').addMethod('POST', new apigw.LambdaIntegration(record));
}

/** The HTML a browser without a session gets: it goes on to the login page (a stage variable, as in lib/). */
export const signInPageTemplate =
  '<!doctype html><meta http-equiv="refresh" content="0;url=$stageVariables.loginPath">' +
  '<a href="$stageVariables.loginPath">Log ind</a> ($context.error.responseType)';

/**
 * Sign-in as lib/ wires it, in small: a user pool with the `municipality` custom attribute, an app client and a
 * group per role; a REST API whose methods go through a REQUEST Lambda authorizer (`FakeAuthorizer`, a test
 * fixture) except `GET /login`; UNAUTHORIZED and ACCESS_DENIED gateway responses in JSON and HTML; a `prod`
 * stage with the `loginPath` stage variable. `Echo` answers with what API Gateway handed it.
 */
export function signInStack(stack: Stack): void {
  const pool = new cognito.UserPool(stack, 'Users', {
    selfSignUpEnabled: false,
    signInCaseSensitive: false,
    customAttributes: { municipality: new cognito.StringAttribute({ minLen: 3, maxLen: 3, mutable: true }) },
    mfa: cognito.Mfa.OPTIONAL,
    mfaSecondFactor: { sms: false, otp: true },
    passwordPolicy: { minLength: 12 },
  });
  const client = pool.addClient('WebClient', {
    authFlows: { userPassword: true },
    idTokenValidity: Duration.hours(1),
    accessTokenValidity: Duration.hours(1),
    refreshTokenValidity: Duration.hours(12),
    enableTokenRevocation: true,
    preventUserExistenceErrors: true,
    readAttributes: new cognito.ClientAttributes().withCustomAttributes('municipality'),
    writeAttributes: new cognito.ClientAttributes(),
  });
  for (const role of ['caseworker', 'employment-actor', 'finance', 'programme']) {
    new cognito.CfnUserPoolGroup(stack, `Group-${role}`, { userPoolId: pool.userPoolId, groupName: role });
  }
  const poolEnvironment = { USER_POOL_ID: pool.userPoolId, USER_POOL_CLIENT_ID: client.userPoolClientId };
  const authorizer = new apigw.RequestAuthorizer(stack, 'Authorizer', {
    handler: handlerFunction(stack, 'FakeAuthorizer', poolEnvironment),
    identitySources: [],
    resultsCacheTtl: Duration.seconds(0),
  });
  const echo = new apigw.LambdaIntegration(
    handlerFunction(stack, 'Echo', {
      ...poolEnvironment,
      USER_POOL_ARN: pool.userPoolArn,
      USER_POOL_PROVIDER_URL: pool.userPoolProviderUrl,
      USER_POOL_PROVIDER_NAME: pool.userPoolProviderName,
    }),
  );
  const api = new apigw.RestApi(stack, 'Api', {
    deployOptions: { stageName: 'prod', variables: { loginPath: '/prod/login' } },
    defaultMethodOptions: { authorizer },
  });
  api.root.addMethod('GET', echo);
  api.root.addResource('login').addMethod('GET', echo, { authorizationType: apigw.AuthorizationType.NONE });
  const referrals = api.root.addResource('referrals');
  referrals.addMethod('POST', echo);
  referrals.addResource('{id}').addMethod('GET', echo);
  api.addGatewayResponse('Unauthorized', {
    type: apigw.ResponseType.UNAUTHORIZED,
    statusCode: '401',
    responseHeaders: { 'Cache-Control': "'no-store'" },
    templates: {
      'application/json': '{"errors":[{"field":"session","message":"Du er ikke logget ind."}]}',
      'text/html': signInPageTemplate,
    },
  });
  api.addGatewayResponse('AccessDenied', {
    type: apigw.ResponseType.ACCESS_DENIED,
    statusCode: '403',
    templates: {
      'application/json':
        '{"errors":[{"field":"session","message":"Adgang nægtet."}],"why":$context.error.messageString}',
    },
  });
}
