import { RemovalPolicy } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { HandlerFunction } from './handler-function.ts';

export interface ReferralApiProps {
  readonly table: dynamodb.ITableV2;
  /** Symmetric key that encrypts CPR numbers (`CPR_KEY_ID`). */
  readonly cprKey: kms.IKey;
  /** HMAC_256 key for the citizen key (`CITIZEN_HASH_KEY_ID`). */
  readonly citizenHashKey: kms.IKey;
}

/** The REST API caseworkers and finance use: the referral form, referrals, outcomes, payments and reports. */
export class ReferralApi extends Construct {
  readonly api: apigateway.RestApi;
  readonly referralForm: HandlerFunction;
  readonly createReferral: HandlerFunction;
  readonly getReferral: HandlerFunction;
  readonly recordOutcome: HandlerFunction;
  readonly recordPlacement: HandlerFunction;
  readonly recordConfirmation: HandlerFunction;
  readonly listPayments: HandlerFunction;
  readonly businessCase: HandlerFunction;
  readonly statements: HandlerFunction;

  constructor(scope: Construct, id: string, props: ReferralApiProps) {
    super(scope, id);
    const { table, cprKey, citizenHashKey } = props;
    const tableEnvironment = { TABLE_NAME: table.tableName };

    this.referralForm = new HandlerFunction(this, 'ReferralForm', {
      entry: 'functions/api/referral-form.ts',
      description: 'GET /: the referral form',
    });

    this.createReferral = new HandlerFunction(this, 'CreateReferral', {
      entry: 'functions/api/create-referral.ts',
      description: 'POST /referrals: takes a place, locks the citizen and starts the first phase',
      environment: {
        ...tableEnvironment,
        CPR_KEY_ID: cprKey.keyArn,
        CITIZEN_HASH_KEY_ID: citizenHashKey.keyArn,
      },
    });
    table.grantReadWriteData(this.createReferral);
    // Encrypt only: nothing in the system needs to read a CPR number back.
    cprKey.grant(this.createReferral, 'kms:Encrypt');
    citizenHashKey.grant(this.createReferral, 'kms:GenerateMac');

    this.getReferral = new HandlerFunction(this, 'GetReferral', {
      entry: 'functions/api/get-referral.ts',
      description: 'GET /referrals/{id}: a referral with its events and outcomes',
      environment: tableEnvironment,
    });
    table.grantReadData(this.getReferral);

    this.recordOutcome = new HandlerFunction(this, 'RecordOutcome', {
      entry: 'functions/api/record-outcome.ts',
      description: 'POST /referrals/{id}/outcomes: records an outcome and the phase change it causes',
      environment: tableEnvironment,
    });
    table.grantReadWriteData(this.recordOutcome);

    this.recordPlacement = new HandlerFunction(this, 'RecordPlacement', {
      entry: 'functions/api/record-placement.ts',
      description: 'POST /referrals/{id}/placement: records where the company induction takes place',
      environment: tableEnvironment,
    });
    table.grantReadWriteData(this.recordPlacement);

    this.recordConfirmation = new HandlerFunction(this, 'RecordConfirmation', {
      entry: 'functions/api/record-confirmation.ts',
      description: 'POST /referrals/{id}/confirmations: confirms or ends a job at a sustainment milestone',
      environment: tableEnvironment,
    });
    table.grantReadWriteData(this.recordConfirmation);

    this.listPayments = new HandlerFunction(this, 'ListPayments', {
      entry: 'functions/api/list-payments.ts',
      description: 'GET /payments: payments due, newest first',
      environment: tableEnvironment,
    });
    table.grantReadData(this.listPayments);

    // Reports for finance: read only. grantReadData covers the table's indexes too (byType lists referrals
    // and payments), so no write, and no key beyond decrypting the table, reaches them.
    this.businessCase = new HandlerFunction(this, 'BusinessCase', {
      entry: 'functions/api/business-case.ts',
      description: 'GET /business-case: paid against municipal savings per municipality, cluster, programme',
      environment: tableEnvironment,
    });
    table.grantReadData(this.businessCase);

    this.statements = new HandlerFunction(this, 'Statements', {
      entry: 'functions/api/statements.ts',
      description: 'GET /statements: the monthly statement per municipality and payee',
      environment: tableEnvironment,
    });
    table.grantReadData(this.statements);

    const accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.api = new apigateway.RestApi(this, 'Api', {
      restApiName: 'Vaekstpartnerskaber referrals',
      description: 'Referrals, outcomes and payments of the Vaekstpartnerskaber programme',
      endpointConfiguration: { types: [apigateway.EndpointType.REGIONAL] },
      // The account-wide role API Gateway logs through; kept if the stack goes, other APIs may rely on it.
      cloudWatchRole: true,
      cloudWatchRoleRemovalPolicy: RemovalPolicy.RETAIN,
      deployOptions: {
        stageName: 'prod',
        accessLogDestination: new apigateway.LogGroupLogDestination(accessLogs),
        accessLogFormat: apigateway.AccessLogFormat.jsonWithStandardFields(),
        loggingLevel: apigateway.MethodLoggingLevel.INFO,
        // Request and response bodies carry CPR numbers; they must never reach the execution log.
        dataTraceEnabled: false,
        tracingEnabled: true,
        metricsEnabled: true,
        throttlingRateLimit: 20,
        throttlingBurstLimit: 40,
      },
    });

    const integration = (fn: HandlerFunction) =>
      new apigateway.LambdaIntegration(fn, { allowTestInvoke: false });
    const root = this.api.root;
    root.addMethod('GET', integration(this.referralForm));
    const referrals = root.addResource('referrals');
    referrals.addMethod('POST', integration(this.createReferral));
    const referral = referrals.addResource('{id}');
    referral.addMethod('GET', integration(this.getReferral));
    referral.addResource('outcomes').addMethod('POST', integration(this.recordOutcome));
    referral.addResource('placement').addMethod('POST', integration(this.recordPlacement));
    referral.addResource('confirmations').addMethod('POST', integration(this.recordConfirmation));
    root.addResource('payments').addMethod('GET', integration(this.listPayments));
    root.addResource('business-case').addMethod('GET', integration(this.businessCase));
    root.addResource('statements').addMethod('GET', integration(this.statements));
  }
}
