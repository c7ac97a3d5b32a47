import { Duration } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { HandlerFunction } from './handler-function.ts';
import { alarmOnAny } from './operations-alarm.ts';
import { lambdaTask, programmeStateMachine } from './workflow-parts.ts';

export interface CompanyPaymentsProps {
  readonly table: dynamodb.ITableV2;
  readonly dataKey: kms.IKey;
  readonly financeTopic: sns.ITopic;
  /** The programme's REST API: the social model's verification is one of its methods. */
  readonly api: apigateway.RestApi;
  readonly operationsTopic?: sns.ITopic;
}

/**
 * The accelerator's side of Payment by Results (issue 7): a company-side result (the social model verified at 12
 * months, a hire by an accelerator company sustained 26 weeks) is recorded as an item, the companies' stream
 * consumer (lib/company-journeys.ts) starts one CompanyPayment execution for it (named from its ids), and the
 * workflow prices it with the company rate card, writes the payment once and tells finance.
 */
export class CompanyPayments extends Construct {
  readonly payment: sfn.StateMachine;
  readonly calculate: HandlerFunction;
  readonly notify: HandlerFunction;
  readonly verifySocialModel: HandlerFunction;

  constructor(scope: Construct, id: string, props: CompanyPaymentsProps) {
    super(scope, id);
    const { table, dataKey, financeTopic, api } = props;

    this.calculate = new HandlerFunction(this, 'CalculateCompanyPayment', {
      entry: 'functions/workflow/calculate-company-payment.ts',
      description: 'Company payment task: prices a company-side result and records the accelerator’s payment',
    }).useTable(table, 'company-payment');

    this.notify = new HandlerFunction(this, 'NotifyCompanyPayment', {
      entry: 'functions/workflow/notify-company-payment.ts',
      description: 'Company payment task: tells finance staff about the payment and marks it notified',
      environment: { FINANCE_TOPIC_ARN: financeTopic.topicArn },
    }).useTable(table, 'mark-notified');
    financeTopic.grantPublish(this.notify);

    const failed = new sfn.Fail(this, 'CompanyPaymentFailed', {
      stateName: 'Company payment failed',
      error: 'CompanyPaymentFailed',
      cause: 'See the execution history; the result stays recorded and the run can be started again',
    });
    const catchAll = { errors: [sfn.Errors.ALL], resultPath: '$.error' };
    const notify = lambdaTask(this, 'NotifyCompanyPaymentTask', {
      stateName: 'Notify finance',
      fn: this.notify,
      resultPath: '$.notification',
    })
      .addCatch(failed, catchAll)
      .next(new sfn.Succeed(this, 'CompanyPaymentRecorded', { stateName: 'Payment recorded' }));
    this.payment = programmeStateMachine(this, 'CompanyPayment', {
      dataKey,
      timeout: Duration.hours(1),
      definition: lambdaTask(this, 'CalculateCompanyPaymentTask', {
        stateName: 'Calculate the company payment',
        fn: this.calculate,
        resultPath: '$.calculation',
      })
        .addCatch(failed, catchAll)
        .next(
          new sfn.Choice(this, 'IsCompanyPaymentDue', { stateName: 'Is a payment due?' })
            .when(
              sfn.Condition.and(
                sfn.Condition.isPresent('$.calculation.due'),
                sfn.Condition.booleanEquals('$.calculation.due', true),
              ),
              notify,
            )
            .otherwise(
              new sfn.Succeed(this, 'NoCompanyPayment', { stateName: 'No payment for this result' }),
            ),
        ),
    });

    if (props.operationsTopic) {
      alarmOnAny(this, 'CompanyPaymentFailedAlarm', {
        description: 'CompanyPayment executions failed; the execution history shows the error',
        metric: this.payment.metricFailed({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
        topic: props.operationsTopic,
      });
    }

    this.verifySocialModel = new HandlerFunction(this, 'VerifySocialModel', {
      entry: 'functions/api/verify-social-model.ts',
      description:
        'POST /companies/{cvr}/social-model/verification: the implemented model verified at 12 months',
    }).useTable(table, 'edit-partnership');
    api.root
      .resourceForPath('companies/{cvr}/social-model/verification')
      .addMethod(
        'POST',
        new apigateway.LambdaIntegration(this.verifySocialModel, { allowTestInvoke: false }),
      );
  }
}
