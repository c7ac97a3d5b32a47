import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { CompanyJourneys } from './company-journeys.ts';
import { CompanyPayments } from './company-payments.ts';
import { FinanceNotifications, parseEmailList, parseFinanceEmails } from './finance-notifications.ts';
import { PartnershipApi } from './partnership-api.ts';
import { PathwayEvents } from './pathway-events.ts';
import { PathwayViews } from './pathway-views.ts';
import { PathwayWorkflows } from './pathway-workflows.ts';
import { ProgrammeData } from './programme-data.ts';
import { Reconciler } from './reconciler.ts';
import { ReferralApi } from './referral-api.ts';
import { parseReminderEmails, ReminderNotifications } from './reminders.ts';
import { SignIn } from './sign-in.ts';

/** Reads a boolean context flag given as `true`/`false` (cdk.json) or `-c flag=true|false` (a string). */
export function parseFlag(value: unknown, contextKey: string, defaultValue: boolean): boolean {
  if (value === undefined || value === null || value === '') return defaultValue;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new Error(`Context "${contextKey}" must be true or false, got ${JSON.stringify(value)}`);
}

/**
 * The whole programme in one stack. Context `financeEmails` and `operationsEmails` take a JSON array or a
 * comma-separated string of addresses; `reminderEmails` maps kommunekode to audience (`employment-actor`,
 * `caseworker`) to such a list (lib/reminders.ts); `requireMfa` (default true) makes finance and programme users set up
 * TOTP at their first sign-in.
 */
export class ProgrammeStack extends Stack {
  readonly data: ProgrammeData;
  readonly finance: FinanceNotifications;
  readonly reminders: ReminderNotifications;
  readonly workflows: PathwayWorkflows;
  readonly events: PathwayEvents;
  readonly views: PathwayViews;
  readonly reconciler: Reconciler;
  readonly referralApi: ReferralApi;
  readonly partnershipApi: PartnershipApi;
  readonly signIn: SignIn;
  readonly companyJourneys: CompanyJourneys;
  readonly companyPayments: CompanyPayments;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    this.data = new ProgrammeData(this, 'Data');
    const { table, dataKey, cprKey, citizenHashKey } = this.data;

    this.finance = new FinanceNotifications(this, 'Finance', {
      dataKey,
      financeEmails: parseFinanceEmails(this.node.tryGetContext('financeEmails'), 'financeEmails'),
    });

    this.reminders = new ReminderNotifications(this, 'Reminders', {
      dataKey,
      recipients: parseReminderEmails(this.node.tryGetContext('reminderEmails'), 'reminderEmails'),
    });

    this.workflows = new PathwayWorkflows(this, 'Workflows', {
      table,
      dataKey,
      financeTopic: this.finance.topic,
      reminderTopic: this.reminders.topic,
    });

    this.events = new PathwayEvents(this, 'Events', {
      table,
      dataKey,
      phaseTimer: this.workflows.phaseTimer,
      payment: this.workflows.payment,
      sustainment: this.workflows.sustainment,
      operationsEmails: parseEmailList(this.node.tryGetContext('operationsEmails'), 'operationsEmails'),
    });

    this.views = new PathwayViews(this, 'Views', {
      table,
      dataKey,
      operationsTopic: this.events.operationsTopic,
    });

    this.reconciler = new Reconciler(this, 'Reconciler', {
      table,
      dataKey,
      phaseTimer: this.workflows.phaseTimer,
      payment: this.workflows.payment,
      sustainment: this.workflows.sustainment,
      operationsTopic: this.events.operationsTopic,
    });

    this.signIn = new SignIn(this, 'SignIn', {
      requireMfa: parseFlag(this.node.tryGetContext('requireMfa'), 'requireMfa', true),
    });

    this.referralApi = new ReferralApi(this, 'Referrals', {
      table,
      cprKey,
      citizenHashKey,
      signIn: this.signIn,
    });

    this.partnershipApi = new PartnershipApi(this, 'Partnerships', { table, api: this.referralApi.api });

    this.companyPayments = new CompanyPayments(this, 'CompanyPayments', {
      table,
      dataKey,
      financeTopic: this.finance.topic,
      api: this.referralApi.api,
      operationsTopic: this.events.operationsTopic,
    });

    this.companyJourneys = new CompanyJourneys(this, 'CompanyJourneys', {
      table,
      dataKey,
      api: this.referralApi.api,
      companyPayment: this.companyPayments.payment,
      operationsTopic: this.events.operationsTopic,
    });

    new CfnOutput(this, 'ApiUrl', { value: this.referralApi.api.url });
    new CfnOutput(this, 'TableName', { value: table.tableName });
    new CfnOutput(this, 'UserPoolId', { value: this.signIn.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.signIn.userPoolClient.userPoolClientId });
    new CfnOutput(this, 'PhaseTimerStateMachineArn', { value: this.workflows.phaseTimer.stateMachineArn });
    new CfnOutput(this, 'PaymentStateMachineArn', { value: this.workflows.payment.stateMachineArn });
    new CfnOutput(this, 'FinanceTopicArn', { value: this.finance.topic.topicArn });
    new CfnOutput(this, 'ReminderTopicArn', { value: this.reminders.topic.topicArn });
    new CfnOutput(this, 'ReconcilerFunctionName', { value: this.reconciler.function.functionName });
    new CfnOutput(this, 'OperationsTopicArn', { value: this.events.operationsTopic.topicArn });
  }
}
