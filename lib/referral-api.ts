import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { HandlerFunction } from './handler-function.ts';
import type { SignIn } from './sign-in.ts';

/** The one stage; the login page's path on it is the `loginPath` stage variable the gateway responses use. */
export const STAGE_NAME = 'prod';

/** Served when the authorizer finds no valid session (401) or denies the request (403). */
export const gatewayResponseTemplates = {
  unauthorized: {
    'application/json': JSON.stringify({
      errors: [{ field: 'session', message: 'Du er ikke logget ind. Log ind og prøv igen.' }],
    }),
    'text/html': [
      '<!doctype html><html lang="da"><head><meta charset="utf-8">',
      '<meta http-equiv="refresh" content="0;url=$stageVariables.loginPath">',
      '<title>Log ind – Vækstpartnerskaber</title></head><body>',
      '<p>Du er ikke logget ind. <a href="$stageVariables.loginPath">Log ind</a></p></body></html>',
    ].join(''),
  },
  accessDenied: {
    'application/json': JSON.stringify({ errors: [{ field: 'session', message: 'Adgang nægtet.' }] }),
    // No automatic redirect: the user may well be signed in, the request itself was refused (a form posted
    // from another site).
    'text/html': [
      '<!doctype html><html lang="da"><head><meta charset="utf-8">',
      '<title>Adgang nægtet – Vækstpartnerskaber</title></head><body>',
      '<p>Adgang nægtet. <a href="$stageVariables.loginPath">Gå til log ind</a></p></body></html>',
    ].join(''),
  },
} as const;

/**
 * The headers every page and answer of the handlers carries (functions/shared/http.ts), as static values, on
 * what API Gateway answers itself. HSTS here is what gives the API's own domain HSTS on AWS (no CloudFront in
 * front); browsers ignore it over http://localhost.
 */
const securityHeaders = {
  'Cache-Control': "'no-store'",
  'X-Content-Type-Options': "'nosniff'",
  'Referrer-Policy': "'no-referrer'",
  'X-Frame-Options': "'DENY'",
  'Strict-Transport-Security': "'max-age=31536000; includeSubDomains'",
};

/**
 * API Gateway's own other answers (unknown route, too large, throttled, integration failure), in the API's error
 * shape with a Danish message for the user; `message` keeps API Gateway's own text for a client that logs it.
 */
export function gatewayErrorTemplate(message: string): Record<string, string> {
  return {
    'application/json': `{"message":$context.error.messageString,"errors":${JSON.stringify([{ field: 'request', message }])}}`,
  };
}

/** What a user reads for each of API Gateway's own answers; the status code is API Gateway's unless given. */
export const gatewayErrors = [
  // API Gateway answers an unknown route 403 "Missing Authentication Token"; to a user it is a page not found.
  {
    id: 'UnknownRoute',
    type: 'MISSING_AUTHENTICATION_TOKEN',
    statusCode: '404',
    message: 'Siden findes ikke.',
  },
  { id: 'TooLarge', type: 'REQUEST_TOO_LARGE', message: 'Indholdet er for stort.' },
  { id: 'Throttled', type: 'THROTTLED', message: 'For mange forespørgsler lige nu. Prøv igen om lidt.' },
  { id: 'Default4xx', type: 'DEFAULT_4XX', message: 'Anmodningen kunne ikke behandles.' },
  {
    id: 'Default5xx',
    type: 'DEFAULT_5XX',
    message: 'Tjenesten er midlertidigt utilgængelig. Prøv igen om lidt.',
  },
] as const;

export interface ReferralApiProps {
  readonly table: dynamodb.ITableV2;
  /** Symmetric key that encrypts CPR numbers (`CPR_KEY_ID`). */
  readonly cprKey: kms.IKey;
  /** HMAC_256 key for the citizen key (`CITIZEN_HASH_KEY_ID`). */
  readonly citizenHashKey: kms.IKey;
  /** The user pool whose ID tokens open every method but the login page. */
  readonly signIn: SignIn;
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
  readonly listPathways: HandlerFunction;
  readonly worklist: HandlerFunction;
  readonly dashboard: HandlerFunction;
  readonly whatIf: HandlerFunction;
  readonly statements: HandlerFunction;
  readonly getAccessLog: HandlerFunction;
  readonly health: HandlerFunction;
  readonly authorizerFunction: HandlerFunction;
  readonly login: HandlerFunction;
  readonly logout: HandlerFunction;
  readonly authorizer: apigateway.RequestAuthorizer;
  /** The only methods without the authorizer: the login page, its POST and sign-out. */
  readonly loginMethods: apigateway.Method[];

  constructor(scope: Construct, id: string, props: ReferralApiProps) {
    super(scope, id);
    const { table, cprKey, citizenHashKey, signIn } = props;
    const { userPool, userPoolClient } = signIn;

    this.authorizerFunction = new HandlerFunction(this, 'Authorizer', {
      entry: 'functions/auth/authorizer.ts',
      description:
        'API Gateway authorizer: verifies the Cognito ID token from the session cookie or Bearer header',
      environment: {
        USER_POOL_ID: userPool.userPoolId,
        USER_POOL_CLIENT_ID: userPoolClient.userPoolClientId,
        REQUIRE_MFA_ROLES: signIn.requireMfaRoles.join(','),
      },
    });
    // To ask whether a user of a role that must have TOTP has it (the token does not say).
    userPool.grant(this.authorizerFunction, 'cognito-idp:AdminGetUser');

    // InitiateAuth, RespondToAuthChallenge, the TOTP calls and RevokeToken are public Cognito APIs for a
    // client without a secret: the login and logout handlers need no IAM grant for them.
    this.login = new HandlerFunction(this, 'Login', {
      entry: 'functions/auth/login.ts',
      description: 'GET and POST /login: the Danish login page, new password and TOTP steps, session cookies',
      environment: {
        USER_POOL_ID: userPool.userPoolId,
        USER_POOL_CLIENT_ID: userPoolClient.userPoolClientId,
        REQUIRE_MFA_ROLES: signIn.requireMfaRoles.join(','),
      },
    });

    this.logout = new HandlerFunction(this, 'Logout', {
      entry: 'functions/auth/logout.ts',
      description: 'POST /logout: revokes the refresh token and clears the session cookies',
      environment: { USER_POOL_CLIENT_ID: userPoolClient.userPoolClientId },
    });

    this.referralForm = new HandlerFunction(this, 'ReferralForm', {
      entry: 'functions/api/referral-form.ts',
      description: 'GET /referrals/new: the referral form; GET /: each role’s home (a redirect)',
    });

    this.createReferral = new HandlerFunction(this, 'CreateReferral', {
      entry: 'functions/api/create-referral.ts',
      description: 'POST /referrals: takes a place, locks the citizen and starts the first phase',
      environment: {
        CPR_KEY_ID: cprKey.keyArn,
        CITIZEN_HASH_KEY_ID: citizenHashKey.keyArn,
      },
    }).useTable(table, 'refer');
    // Encrypt only: nothing in the system needs to read a CPR number back.
    cprKey.grant(this.createReferral, 'kms:Encrypt');
    citizenHashKey.grant(this.createReferral, 'kms:GenerateMac');

    this.getReferral = new HandlerFunction(this, 'GetReferral', {
      entry: 'functions/api/get-referral.ts',
      description: 'GET /referrals/{id}: a referral with its events and outcomes',
    }).useTable(table, 'read-pathway');

    this.recordOutcome = new HandlerFunction(this, 'RecordOutcome', {
      entry: 'functions/api/record-outcome.ts',
      description: 'POST /referrals/{id}/outcomes: records an outcome and the phase change it causes',
    }).useTable(table, 'record-outcome');

    this.recordPlacement = new HandlerFunction(this, 'RecordPlacement', {
      entry: 'functions/api/record-placement.ts',
      description: 'POST /referrals/{id}/placement: records where the company induction takes place',
    }).useTable(table, 'change-pathway');

    this.recordConfirmation = new HandlerFunction(this, 'RecordConfirmation', {
      entry: 'functions/api/record-confirmation.ts',
      description: 'POST /referrals/{id}/confirmations: confirms or ends a job at a sustainment milestone',
    }).useTable(table, 'change-pathway');

    this.listPayments = new HandlerFunction(this, 'ListPayments', {
      entry: 'functions/api/list-payments.ts',
      description: 'GET /payments: payments due, newest first',
    }).useTable(table, 'list-by-type');

    // Reports for finance: read only, through the byType index (which holds no CPR ciphertext); the business
    // case also reads each pathway by its key.
    this.businessCase = new HandlerFunction(this, 'BusinessCase', {
      entry: 'functions/api/business-case.ts',
      description: 'GET /business-case: paid against municipal savings per municipality, cluster, programme',
    }).useTable(table, 'report');

    // Reads no data (no table, no grant): it simulates a cohort of the programme's places from assumptions.
    // 20,000 draws take a few seconds; API Gateway answers 504 after 29.
    this.whatIf = new HandlerFunction(this, 'WhatIf', {
      entry: 'functions/api/what-if.ts',
      description: 'GET /business-case/what-if: the business case under uncertainty (seeded Monte Carlo)',
      timeout: Duration.seconds(28),
    });

    this.statements = new HandlerFunction(this, 'Statements', {
      entry: 'functions/api/statements.ts',
      description: 'GET /statements: the monthly statement per municipality and payee',
    }).useTable(table, 'list-by-type');

    // The lists people work from read the summaries the projector keeps (lib/pathway-views.ts), through the
    // byMunicipality index: one query per page, whatever the number of pathways.
    this.listPathways = new HandlerFunction(this, 'ListPathways', {
      entry: 'functions/api/list-pathways.ts',
      description:
        'GET /referrals: a municipality’s pathways by next deadline, counts per phase, search, pages',
    }).useTable(table, 'list-summaries');

    this.worklist = new HandlerFunction(this, 'Worklist', {
      entry: 'functions/api/worklist.ts',
      description: 'GET /tasks: what the caseworker or employment actor has to do today',
    }).useTable(table, 'worklist');

    // The programme dashboard reads as the business case does: referral ids and payments through byType, then
    // each pathway of the municipalities the caller may see in one query.
    this.dashboard = new HandlerFunction(this, 'Dashboard', {
      entry: 'functions/api/dashboard.ts',
      description: 'GET /dashboard: places used and free, pathways by phase, outcomes and payments per month',
    }).useTable(table, 'report');

    this.getAccessLog = new HandlerFunction(this, 'GetAccessLog', {
      entry: 'functions/api/get-access-log.ts',
      description: 'GET /referrals/{id}/access-log: who read or changed a pathway, and when (programme role)',
    }).useTable(table, 'read-access-log');

    // Reads no data, so the narrowest mode there is: a GetItem on a key no item has.
    this.health = new HandlerFunction(this, 'Health', {
      entry: 'functions/api/health.ts',
      description: 'GET /health: whether the table answers (503 with Retry-After when it does not)',
    }).useTable(table, 'health');

    const accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // No identity sources and no cache: the token comes from the session cookie or the Authorization header,
    // and API Gateway would answer 401 itself, before the authorizer runs, when a listed source is missing.
    this.authorizer = new apigateway.RequestAuthorizer(this, 'SessionAuthorizer', {
      authorizerName: 'session',
      handler: this.authorizerFunction,
      identitySources: [],
      resultsCacheTtl: Duration.seconds(0),
    });
    // The CDK writes the empty list as "", which is not "no identity source"; without the property API Gateway
    // calls the authorizer for every request.
    (this.authorizer.node.defaultChild as apigateway.CfnAuthorizer).addPropertyDeletionOverride(
      'IdentitySource',
    );

    this.api = new apigateway.RestApi(this, 'Api', {
      restApiName: 'Vaekstpartnerskaber referrals',
      description: 'Referrals, outcomes and payments of the Vaekstpartnerskaber programme',
      endpointConfiguration: { types: [apigateway.EndpointType.REGIONAL] },
      // The account-wide role API Gateway logs through; kept if the stack goes, other APIs may rely on it.
      cloudWatchRole: true,
      cloudWatchRoleRemovalPolicy: RemovalPolicy.RETAIN,
      // Every method but the login page's two requires a verified session.
      defaultMethodOptions: {
        authorizer: this.authorizer,
        authorizationType: apigateway.AuthorizationType.CUSTOM,
      },
      deployOptions: {
        stageName: STAGE_NAME,
        variables: { loginPath: `/${STAGE_NAME}/login` },
        accessLogDestination: new apigateway.LogGroupLogDestination(accessLogs),
        accessLogFormat: apigateway.AccessLogFormat.jsonWithStandardFields(),
        loggingLevel: apigateway.MethodLoggingLevel.INFO,
        // Request and response bodies carry CPR numbers; they must never reach the execution log.
        dataTraceEnabled: false,
        tracingEnabled: true,
        metricsEnabled: true,
        // Stage-wide (method settings */*): bounds what one caller, or a password-guessing script against the
        // unauthenticated login methods, can cost.
        throttlingRateLimit: 20,
        throttlingBurstLimit: 40,
      },
    });

    this.api.addGatewayResponse('Unauthorized', {
      type: apigateway.ResponseType.UNAUTHORIZED,
      statusCode: '401',
      responseHeaders: securityHeaders,
      templates: gatewayResponseTemplates.unauthorized,
    });
    this.api.addGatewayResponse('AccessDenied', {
      type: apigateway.ResponseType.ACCESS_DENIED,
      statusCode: '403',
      responseHeaders: securityHeaders,
      templates: gatewayResponseTemplates.accessDenied,
    });
    // Every other answer API Gateway gives itself, with the same headers and a message per field like the API's.
    for (const answer of gatewayErrors) {
      this.api.addGatewayResponse(answer.id, {
        type: apigateway.ResponseType.of(answer.type),
        statusCode: 'statusCode' in answer ? answer.statusCode : undefined,
        responseHeaders: securityHeaders,
        templates: gatewayErrorTemplate(answer.message),
      });
    }

    const integration = (fn: HandlerFunction) =>
      new apigateway.LambdaIntegration(fn, { allowTestInvoke: false });
    const root = this.api.root;
    root.addMethod('GET', integration(this.referralForm));
    const referrals = root.addResource('referrals');
    referrals.addMethod('POST', integration(this.createReferral));
    referrals.addMethod('GET', integration(this.listPathways));
    // A literal segment: API Gateway matches it before /referrals/{id}.
    referrals.addResource('new').addMethod('GET', integration(this.referralForm));
    root.addResource('tasks').addMethod('GET', integration(this.worklist));
    root.addResource('dashboard').addMethod('GET', integration(this.dashboard));
    const referral = referrals.addResource('{id}');
    referral.addMethod('GET', integration(this.getReferral));
    referral.addResource('outcomes').addMethod('POST', integration(this.recordOutcome));
    referral.addResource('placement').addMethod('POST', integration(this.recordPlacement));
    referral.addResource('confirmations').addMethod('POST', integration(this.recordConfirmation));
    root.addResource('payments').addMethod('GET', integration(this.listPayments));
    const businessCase = root.addResource('business-case');
    businessCase.addMethod('GET', integration(this.businessCase));
    businessCase.addResource('what-if').addMethod('GET', integration(this.whatIf));
    root.addResource('statements').addMethod('GET', integration(this.statements));
    referral.addResource('access-log').addMethod('GET', integration(this.getAccessLog));
    root.addResource('health').addMethod('GET', integration(this.health));

    const login = root.addResource('login');
    const unauthenticated = { authorizationType: apigateway.AuthorizationType.NONE };
    this.loginMethods = [
      login.addMethod('GET', integration(this.login), unauthenticated),
      login.addMethod('POST', integration(this.login), unauthenticated),
    ];
    // Sign-out too: a session whose hour is up must still be able to end (the handler checks the Origin).
    this.loginMethods.push(
      root.addResource('logout').addMethod('POST', integration(this.logout), unauthenticated),
    );
  }
}
