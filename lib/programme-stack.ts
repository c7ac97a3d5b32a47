import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { FinanceNotifications, parseEmailList } from './finance-notifications.ts';
import { PathwayEvents } from './pathway-events.ts';
import { PathwayWorkflows } from './pathway-workflows.ts';
import { ProgrammeData } from './programme-data.ts';
import { ReferralApi } from './referral-api.ts';

/**
 * The whole programme in one stack. Context `financeEmails` and `operationsEmails` take a JSON array or a
 * comma-separated string of addresses.
 */
export class ProgrammeStack extends Stack {
  readonly data: ProgrammeData;
  readonly finance: FinanceNotifications;
  readonly workflows: PathwayWorkflows;
  readonly events: PathwayEvents;
  readonly referralApi: ReferralApi;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    this.data = new ProgrammeData(this, 'Data');
    const { table, dataKey, cprKey, citizenHashKey } = this.data;

    this.finance = new FinanceNotifications(this, 'Finance', {
      dataKey,
      financeEmails: parseEmailList(this.node.tryGetContext('financeEmails'), 'financeEmails'),
    });

    this.workflows = new PathwayWorkflows(this, 'Workflows', {
      table,
      dataKey,
      financeTopic: this.finance.topic,
    });

    this.events = new PathwayEvents(this, 'Events', {
      table,
      dataKey,
      phaseTimer: this.workflows.phaseTimer,
      payment: this.workflows.payment,
      sustainment: this.workflows.sustainment,
      operationsEmails: parseEmailList(this.node.tryGetContext('operationsEmails'), 'operationsEmails'),
    });

    this.referralApi = new ReferralApi(this, 'Referrals', { table, cprKey, citizenHashKey });

    new CfnOutput(this, 'ApiUrl', { value: this.referralApi.api.url });
    new CfnOutput(this, 'TableName', { value: table.tableName });
    new CfnOutput(this, 'PhaseTimerStateMachineArn', { value: this.workflows.phaseTimer.stateMachineArn });
    new CfnOutput(this, 'PaymentStateMachineArn', { value: this.workflows.payment.stateMachineArn });
    new CfnOutput(this, 'FinanceTopicArn', { value: this.finance.topic.topicArn });
    new CfnOutput(this, 'OperationsTopicArn', { value: this.events.operationsTopic.topicArn });
  }
}
