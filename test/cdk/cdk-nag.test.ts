import { App, Stack, Validations } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../lib/app.ts';
import type { HandlerFunction } from '../../lib/handler-function.ts';
import type { ProgrammeStack } from '../../lib/programme-stack.ts';
import { logicalIdOf, removeAssembly } from './support.ts';

/** One acknowledgement per rule and resource; each reason says why the finding is accepted here. */
function acknowledge(construct: IConstruct, id: string, reason: string): void {
  Validations.of(construct).acknowledge({ id, reason });
}

function roleOf(fn: HandlerFunction): IConstruct {
  if (!fn.role) throw new Error(`${fn.node.path} has no role`);
  return fn.role;
}

function acknowledgeFindings(stack: ProgrammeStack): void {
  const {
    workflows,
    events,
    views,
    referralApi,
    partnershipApi,
    signIn,
    reconciler,
    companyJourneys,
    companyPayments,
  } = stack;
  const functions: HandlerFunction[] = [
    workflows.advancePhase,
    workflows.calculatePayment,
    workflows.notifyFinance,
    workflows.recordFailure,
    workflows.openMilestone,
    workflows.closeMilestone,
    workflows.sendReminder,
    events.dispatcher,
    views.projector,
    reconciler.function,
    referralApi.referralForm,
    referralApi.createReferral,
    referralApi.getReferral,
    referralApi.recordOutcome,
    referralApi.recordPlacement,
    referralApi.recordConfirmation,
    referralApi.listPayments,
    referralApi.businessCase,
    referralApi.whatIf,
    referralApi.listPathways,
    referralApi.worklist,
    referralApi.dashboard,
    referralApi.statements,
    referralApi.getAccessLog,
    referralApi.health,
    referralApi.authorizerFunction,
    referralApi.login,
    referralApi.logout,
    partnershipApi.getPartnership,
    partnershipApi.saveEmploymentActor,
    partnershipApi.savePartnerPlan,
    partnershipApi.registerCompany,
    partnershipApi.getCompany,
    partnershipApi.updateSocialModel,
    partnershipApi.reportKpis,
    partnershipApi.companyTasks,
    companyJourneys.advanceStage,
    companyJourneys.recordFailure,
    companyJourneys.dispatcher,
    companyJourneys.inviteCompany,
    companyJourneys.recordSelection,
    companyJourneys.recordWithdrawal,
    companyJourneys.recordAttendance,
    companyJourneys.getCohort,
    companyPayments.calculate,
    companyPayments.notify,
    companyPayments.verifySocialModel,
  ];
  // Handlers that write nothing encrypted with the data key (they read the table, or touch no data at all).
  const noDataKeyWrites = [
    companyJourneys.getCohort,
    partnershipApi.getPartnership,
    partnershipApi.getCompany,
    partnershipApi.companyTasks,
    referralApi.referralForm,
    referralApi.listPayments,
    referralApi.businessCase,
    referralApi.whatIf,
    referralApi.listPathways,
    referralApi.worklist,
    referralApi.dashboard,
    referralApi.statements,
    referralApi.getAccessLog,
    referralApi.health,
    referralApi.authorizerFunction,
    referralApi.login,
    referralApi.logout,
    reconciler.function,
  ];
  const dataKeyWriters = functions.filter((fn) => !noDataKeyWrites.includes(fn));

  for (const fn of functions) {
    acknowledge(
      fn,
      'AwsSolutions-L1',
      `${fn.node.id}: pinned to nodejs22.x on purpose; the toolchain, the local runtime and aws-local-stepfunctions run on Node 22, so the handlers are tested on 22. Move all of them together.`,
    );
    acknowledge(
      roleOf(fn),
      'AwsSolutions-IAM5[Resource::*]',
      `${fn.node.id}: X-Ray PutTraceSegments/PutTelemetryRecords have no resource-level permissions.`,
    );
  }
  for (const fn of dataKeyWriters) {
    for (const action of ['kms:ReEncrypt*', 'kms:GenerateDataKey*']) {
      acknowledge(
        roleOf(fn),
        `AwsSolutions-IAM5[Action::${action}]`,
        `${fn.node.id}: writing the table (or, for the dispatcher, the dead-letter queue) needs ${action} on the data key, and only that key.`,
      );
    }
  }

  for (const [machine, tasks] of [
    [workflows.phaseTimer, [workflows.advancePhase, workflows.recordFailure]],
    [workflows.payment, [workflows.calculatePayment, workflows.notifyFinance, workflows.recordFailure]],
    [
      workflows.sustainment,
      [workflows.openMilestone, workflows.closeMilestone, workflows.sendReminder, workflows.recordFailure],
    ],
    [companyJourneys.stageTimer, [companyJourneys.advanceStage, companyJourneys.recordFailure]],
    [companyPayments.payment, [companyPayments.calculate, companyPayments.notify]],
  ] as const) {
    acknowledge(
      machine.role,
      'AwsSolutions-IAM5[Resource::*]',
      `${machine.node.id}: log delivery (logs:*LogDelivery, DescribeLogGroups …) and X-Ray work only on "*".`,
    );
    for (const task of tasks) {
      acknowledge(
        machine.role,
        `AwsSolutions-IAM5[Resource::<${logicalIdOf(task)}.Arn>:*]`,
        `${machine.node.id}: may invoke versions and aliases of its own task function ${task.node.id} only.`,
      );
    }
  }

  acknowledge(
    roleOf(events.dispatcher),
    `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:${stack.region}:<AWS::AccountId>:execution:<${logicalIdOf(workflows.phaseTimer)}.Name>:*]`,
    'Dispatcher: StopExecution on executions of the phase timer only; their names (<referralId>-<phaseSeq>) are not known in advance.',
  );
  acknowledge(
    roleOf(events.dispatcher),
    `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:${stack.region}:<AWS::AccountId>:execution:<${logicalIdOf(workflows.sustainment)}.Name>:*]`,
    'Dispatcher: StopExecution on sustainment executions, stopped when the citizen drops out; their names (sustain-<outcomeId>) are not known in advance.',
  );
  acknowledge(
    roleOf(companyJourneys.dispatcher),
    `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:${stack.region}:<AWS::AccountId>:execution:<${logicalIdOf(companyJourneys.stageTimer)}.Name>:*]`,
    'Company dispatcher: StopExecution on company stage timer executions only, stopped when a decision ends a journey; their names (company-<cvr>-<cohortId>-<legSeq>) are not known in advance.',
  );
  for (const machine of [workflows.phaseTimer, workflows.payment, workflows.sustainment]) {
    acknowledge(
      roleOf(reconciler.function),
      `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:${stack.region}:<AWS::AccountId>:execution:<${logicalIdOf(machine)}.Name>:*]`,
      `Reconciler: DescribeExecution (and, but for payments, StopExecution) on ${machine.node.id} executions only; their names come from pathway ids, not known in advance.`,
    );
  }
  acknowledge(
    reconciler.scheduleRole,
    `AwsSolutions-IAM5[Resource::<${logicalIdOf(reconciler.function)}.Arn>:*]`,
    'Reconciler schedule: may invoke versions and aliases of the reconciler function only (the grant EventBridge Scheduler targets make).',
  );
  acknowledge(
    events.deadLetterQueue,
    'AwsSolutions-SQS3',
    'DeadLetterQueue: it is the on-failure destination of the table stream mapping, the end of the line.',
  );
  acknowledge(
    companyJourneys.deadLetterQueue,
    'AwsSolutions-SQS3',
    'DeadLetterQueue: the on-failure destination of the company dispatcher’s stream mapping, the end of the line.',
  );
  acknowledge(
    views.deadLetterQueue,
    'AwsSolutions-SQS3',
    'DeadLetterQueue: the on-failure destination of the projector’s stream mapping, the end of the line.',
  );

  acknowledge(
    signIn.userPool,
    'AwsSolutions-COG2',
    'User pool: MFA is OPTIONAL at the pool so that caseworkers may use it; the login handler requires TOTP of the roles in REQUIRE_MFA_ROLES (finance and programme unless -c requireMfa=false).',
  );
  acknowledge(
    signIn.userPool,
    'AwsSolutions-COG8',
    'User pool: the Plus plan (threat protection) is billed per monthly user; admin-only accounts, strong passwords, TOTP and stage throttling cover a few dozen known users. An operator can switch it on without code changes.',
  );

  const { api } = referralApi;
  acknowledge(
    api,
    'AwsSolutions-APIG2',
    'Referral API: each handler validates its body and path with zod and answers 400 with field errors; a validator without models would check nothing.',
  );
  acknowledge(
    api,
    'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
    'Referral API CloudWatchRole: the account-level role API Gateway needs for stage logging; AWS publishes no narrower policy.',
  );
  acknowledge(
    api.deploymentStage,
    'AwsSolutions-APIG3',
    "Referral API stage: a few dozen signed-in users in 12 municipalities; every method but the login needs a verified session, and stage throttling bounds load. WAF is the operator's choice at deployment.",
  );
  for (const method of referralApi.loginMethods) {
    acknowledge(
      method,
      'AwsSolutions-APIG4',
      `Referral API ${method.httpMethod} ${method.resource.path}: where a session is obtained or ended (an expired one too), so the only methods without the authorizer.`,
    );
  }
  for (const method of api.methods) {
    acknowledge(
      method,
      'AwsSolutions-COG4',
      referralApi.loginMethods.includes(method)
        ? `Referral API ${method.httpMethod} ${method.resource.path}: signing in or out, unauthenticated by design.`
        : `Referral API ${method.httpMethod} ${method.resource.path}: a Lambda authorizer verifies this user pool's ID tokens (aws-jwt-verify), because a COGNITO_USER_POOLS authorizer cannot read the session cookie.`,
    );
  }
}

/** A stack that breaks rules on purpose: an open API method, an unencrypted queue, a user pool without MFA. */
function nonCompliantApp(): App {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'NonCompliant');
  new sqs.Queue(stack, 'Queue', { encryption: sqs.QueueEncryption.UNENCRYPTED });
  new cognito.UserPool(stack, 'Users', { selfSignUpEnabled: true });
  const api = new apigateway.RestApi(stack, 'Api');
  api.root.addMethod('GET', new apigateway.MockIntegration());
  return app;
}

describe('cdk-nag AwsSolutions', () => {
  it('has no unacknowledged findings', () => {
    // Prepare
    const { app, stack } = createApp({ context: { 'aws:cdk:bundling-stacks': [] } });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    acknowledgeFindings(stack);

    // Act
    const synth = () => app.synth();

    // Assess (the findings themselves are printed by the CDK on failure)
    try {
      expect(synth).not.toThrow();
    } finally {
      removeAssembly(app);
    }
  });

  it('still finds what it should: a non-compliant stack fails with the rules named (negative control)', () => {
    // Prepare
    const app = nonCompliantApp();
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

    // Act
    let failure: unknown;
    try {
      app.synth();
    } catch (error) {
      failure = error;
    } finally {
      removeAssembly(app);
    }

    // Assess
    expect(failure).toBeInstanceOf(Error);
    const message = String((failure as Error).message);
    for (const rule of [
      'AwsSolutions-APIG4',
      'AwsSolutions-COG4',
      'AwsSolutions-COG2',
      'AwsSolutions-SQS3',
    ]) {
      expect(message, rule).toContain(rule);
    }
  });
});
