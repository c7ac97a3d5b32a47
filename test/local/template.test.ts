import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalApi } from '../../local/api-gateway.ts';
import { LocalStepFunctionsService } from '../../local/step-functions.ts';
import {
  type CloudFormationTemplate,
  describeLocalResources,
  type LocalResources,
  localResourceNames,
  resolveIntrinsics,
  synthesizeLocalTemplate,
} from '../../local/template.ts';
import { apiStack, signInPageTemplate, signInStack, synthesize } from './cdk-fixtures.ts';

const region = 'eu-north-1';
const account = '000000000000';

describe('resolveIntrinsics', () => {
  const template: CloudFormationTemplate = {
    Resources: {
      Fn: { Type: 'AWS::Lambda::Function' },
      Machine: { Type: 'AWS::StepFunctions::StateMachine' },
      Table: { Type: 'AWS::DynamoDB::GlobalTable' },
      Topic: { Type: 'AWS::SNS::Topic' },
      Key: { Type: 'AWS::KMS::Key' },
    },
  };
  const names = localResourceNames(template);

  it('resolves Fn::Join of strings, pseudo parameters and Fn::GetAtt to the local ARN', () => {
    // Prepare
    const definition = {
      'Fn::Join': [
        '',
        [
          '{"Resource":"',
          { 'Fn::GetAtt': ['Fn', 'Arn'] },
          '","Partition":"',
          { Ref: 'AWS::Partition' },
          '"}',
        ],
      ],
    };

    // Act
    const resolved = resolveIntrinsics(definition, names);

    // Assess
    expect(JSON.parse(String(resolved))).toEqual({
      Resource: `arn:aws:lambda:${region}:${account}:function:Fn`,
      Partition: 'aws',
    });
  });

  it('gives each resource type the value Ref and GetAtt have on AWS, under its logical id', () => {
    // Prepare
    const value = {
      functionName: { Ref: 'Fn' },
      machineArn: { Ref: 'Machine' },
      machineName: { 'Fn::GetAtt': ['Machine', 'Name'] },
      tableName: { Ref: 'Table' },
      streamArn: { 'Fn::GetAtt': 'Table.StreamArn' },
      topicArn: { Ref: 'Topic' },
      keyId: { Ref: 'Key' },
      keyArn: { 'Fn::GetAtt': ['Key', 'Arn'] },
    };

    // Act
    const resolved = resolveIntrinsics(value, names);

    // Assess
    expect(resolved).toEqual({
      functionName: 'Fn',
      machineArn: `arn:aws:states:${region}:${account}:stateMachine:Machine`,
      machineName: 'Machine',
      tableName: 'Table',
      streamArn: expect.stringMatching(
        new RegExp(`^arn:aws:dynamodb:${region}:${account}:table/Table/stream/`),
      ),
      topicArn: `arn:aws:sns:${region}:${account}:Topic`,
      keyId: 'Key',
      keyArn: `arn:aws:kms:${region}:${account}:key/Key`,
    });
  });

  it('resolves Fn::Sub, Fn::Select, Fn::Split and drops AWS::NoValue', () => {
    // Prepare
    const value = {
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Fn::Sub placeholders, not JavaScript templates.
      url: { 'Fn::Sub': 'https://${Api}.execute-api.${AWS::Region}.${AWS::URLSuffix}/${!Literal}' },
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Fn::Sub placeholders, not JavaScript templates.
      subWithVariables: { 'Fn::Sub': ['${Name}@${Fn.Arn}', { Name: { Ref: 'Table' } }] },
      selected: { 'Fn::Select': [1, { 'Fn::Split': [':', { 'Fn::GetAtt': ['Topic', 'TopicArn'] }] }] },
      removed: { Ref: 'AWS::NoValue' },
      list: ['kept', { Ref: 'AWS::NoValue' }],
    };
    const withApi = localResourceNames({
      Resources: { ...template.Resources, Api: { Type: 'AWS::ApiGateway::RestApi' } },
    });

    // Act
    const resolved = resolveIntrinsics(value, withApi);

    // Assess
    expect(resolved).toEqual({
      url: `https://Api.execute-api.${region}.amazonaws.com/\${Literal}`,
      subWithVariables: `Table@arn:aws:lambda:${region}:${account}:function:Fn`,
      selected: 'aws',
      list: ['kept'],
    });
  });

  it('throws on a token it cannot resolve instead of producing a wrong value', () => {
    // Prepare
    const unknownResource = { Ref: 'Missing' };
    const unknownAttribute = { 'Fn::GetAtt': ['Fn', 'SnapStartResponse'] };
    const unsupported = { 'Fn::ImportValue': 'shared-vpc' };

    // Act
    const resolving = (value: unknown) => () => resolveIntrinsics(value, names);

    // Assess
    expect(resolving(unknownResource)).toThrow(/Ref Missing/);
    expect(resolving(unknownAttribute)).toThrow(/Fn::GetAtt Fn\.SnapStartResponse/);
    expect(resolving(unsupported)).toThrow(/Fn::ImportValue is not supported/);
  });
});

describe('describeLocalResources', () => {
  let resources: LocalResources;

  beforeAll(() => {
    resources = describeLocalResources(synthesize(apiStack));
  });

  it('describes each API method with its full resource path and the function it proxies to', () => {
    // Prepare
    const functionIdOf = (prefix: string) =>
      Object.keys(resources.functions).find((id) => id.startsWith(prefix));

    // Act
    const routes = resources.apiMethods
      .map((method) => ({
        route: `${method.httpMethod} ${method.path}`,
        functionLogicalId: method.functionLogicalId,
      }))
      .sort((a, b) => a.route.localeCompare(b.route));

    // Assess
    expect(routes).toEqual([
      { route: 'GET /', functionLogicalId: functionIdOf('Form') },
      { route: 'GET /referrals/{id}', functionLogicalId: functionIdOf('Get') },
      { route: 'POST /referrals', functionLogicalId: functionIdOf('Create') },
      { route: 'POST /referrals/{id}/outcomes', functionLogicalId: functionIdOf('Record') },
    ]);
    expect(resources.apiMethods.every((method) => method.integrationType === 'AWS_PROXY')).toBe(true);
  });

  it('describes functions with their entry module and a resolved environment', () => {
    // Prepare
    const [tableId] = Object.keys(resources.tables);
    const [timerId] = Object.keys(resources.stateMachines);

    // Act
    const create = Object.values(resources.functions).find((fn) => fn.entry === 'functions/test/Create.ts');
    const dispatch = Object.values(resources.functions).find(
      (fn) => fn.entry === 'functions/test/Dispatch.ts',
    );

    // Assess
    expect(create?.environment).toEqual({
      TABLE_NAME: tableId,
      TABLE_ARN: `arn:aws:dynamodb:${region}:${account}:table/${tableId}`,
    });
    expect(create?.arn).toBe(`arn:aws:lambda:${region}:${account}:function:${create?.logicalId}`);
    expect(dispatch?.environment.TIMER_ARN).toBe(resources.stateMachines[timerId ?? '']?.arn);
  });

  it('describes the stream mapping with its table, filter and failure handling', () => {
    // Prepare
    const [table] = Object.values(resources.tables);
    const dispatch = Object.values(resources.functions).find(
      (fn) => fn.entry === 'functions/test/Dispatch.ts',
    );

    // Act
    const [mapping, ...others] = resources.eventSourceMappings;

    // Assess
    expect(others).toEqual([]);
    expect(mapping).toMatchObject({
      functionLogicalId: dispatch?.logicalId,
      tableLogicalId: table?.logicalId,
      eventSourceArn: table?.streamArn,
      batchSize: 10,
      startingPosition: 'TRIM_HORIZON',
      filterPatterns: [{ eventName: ['INSERT'] }],
      bisectBatchOnError: true,
      reportBatchItemFailures: true,
      maximumRetryAttempts: 3,
    });
  });

  it('parses each state machine definition into plain ASL', () => {
    // Prepare
    const [timer] = Object.values(resources.stateMachines);

    // Act
    const definition = timer?.definition;

    // Assess
    expect(definition).toEqual({ StartAt: 'Nothing', States: { Nothing: { Type: 'Pass', End: true } } });
    expect(timer?.arn).toBe(`arn:aws:states:${region}:${account}:stateMachine:${timer?.logicalId}`);
  });
});

describe('describeLocalResources with sign-in', () => {
  let resources: LocalResources;

  beforeAll(() => {
    resources = describeLocalResources(synthesize(signInStack));
  });

  it('gives the user pool a Cognito-shaped id and resolves what handlers are told about the pool', () => {
    // Prepare
    const [pool] = Object.values(resources.userPools);
    const [client] = Object.values(resources.userPoolClients);

    // Act
    const echo = Object.values(resources.functions).find((fn) => fn.entry === 'functions/test/Echo.ts');

    // Assess
    expect(pool?.userPoolId).toBe(`${region}_${pool?.logicalId}`);
    expect(echo?.environment).toEqual({
      USER_POOL_ID: pool?.userPoolId,
      USER_POOL_CLIENT_ID: client?.clientId,
      USER_POOL_ARN: `arn:aws:cognito-idp:${region}:${account}:userpool/${pool?.userPoolId}`,
      USER_POOL_PROVIDER_URL: `https://cognito-idp.${region}.amazonaws.com/${pool?.userPoolId}`,
      USER_POOL_PROVIDER_NAME: `cognito-idp.${region}.amazonaws.com/${pool?.userPoolId}`,
    });
    expect(client?.userPoolId).toBe(pool?.userPoolId);
    expect(client?.properties).toMatchObject({
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      IdTokenValidity: 60,
      TokenValidityUnits: { IdToken: 'minutes' },
    });
    expect(resources.userPoolGroups.map((group) => group.groupName).sort()).toEqual([
      'caseworker',
      'employment-actor',
      'finance',
      'programme',
    ]);
  });

  it('describes the REQUEST authorizer and which methods run it', () => {
    // Prepare
    const [authorizer, ...others] = Object.values(resources.apiAuthorizers);
    const fakeAuthorizer = Object.values(resources.functions).find(
      (fn) => fn.entry === 'functions/test/FakeAuthorizer.ts',
    );

    // Act
    const protection = Object.fromEntries(
      resources.apiMethods.map((m) => [
        `${m.httpMethod} ${m.path}`,
        [m.authorizationType, m.authorizerLogicalId],
      ]),
    );

    // Assess
    expect(others).toEqual([]);
    expect(authorizer).toMatchObject({
      type: 'REQUEST',
      functionLogicalId: fakeAuthorizer?.logicalId,
      identitySources: [],
      resultTtlSeconds: 0,
    });
    expect(protection).toEqual({
      'GET /': ['CUSTOM', authorizer?.logicalId],
      'POST /referrals': ['CUSTOM', authorizer?.logicalId],
      'GET /referrals/{id}': ['CUSTOM', authorizer?.logicalId],
      'GET /login': ['NONE', undefined],
    });
  });

  it('describes the gateway responses and the stage with its variables', () => {
    // Prepare
    const byType = (type: string) => resources.gatewayResponses.find((r) => r.responseType === type);

    // Act
    const unauthorized = byType('UNAUTHORIZED');
    const [stage] = resources.apiStages;

    // Assess
    expect(unauthorized).toMatchObject({
      statusCode: 401,
      responseParameters: { 'gatewayresponse.header.Cache-Control': "'no-store'" },
      responseTemplates: { 'text/html': signInPageTemplate },
    });
    expect(byType('ACCESS_DENIED')?.statusCode).toBe(403);
    expect(stage).toMatchObject({ stageName: 'prod', variables: { loginPath: '/prod/login' } });
    expect(stage?.restApiLogicalId).toBe(resources.apiMethods[0]?.restApiLogicalId);
  });
});

describe('synthesizeLocalTemplate', () => {
  // The real synthesis, not the template the test run synthesized once (test/global-setup.ts).
  const cached = process.env.LOCAL_TEMPLATE_FILE;
  beforeAll(() => {
    delete process.env.LOCAL_TEMPLATE_FILE;
  });
  afterAll(() => {
    if (cached) process.env.LOCAL_TEMPLATE_FILE = cached;
  });

  it('synthesizes the real app into handlers, routes and state machines the local runtime can run', async () => {
    // Prepare
    const entryOf = (resources: LocalResources, logicalId: string | undefined) =>
      logicalId ? resources.functions[logicalId]?.entry : undefined;

    // Act
    const resources = describeLocalResources(await synthesizeLocalTemplate());

    // Assess
    const routes = Object.fromEntries(
      resources.apiMethods.map((method) => [
        `${method.httpMethod} ${method.path}`,
        entryOf(resources, method.functionLogicalId),
      ]),
    );
    expect(routes).toMatchObject({
      'GET /': 'functions/api/referral-form.ts',
      'POST /referrals': 'functions/api/create-referral.ts',
      'GET /referrals/{id}': 'functions/api/get-referral.ts',
      'POST /referrals/{id}/outcomes': 'functions/api/record-outcome.ts',
      'GET /payments': 'functions/api/list-payments.ts',
    });
    const consumers = resources.eventSourceMappings.map((mapping) =>
      entryOf(resources, mapping.functionLogicalId),
    );
    expect(consumers.sort()).toEqual([
      'functions/events/dispatch-company-events.ts',
      'functions/events/dispatch-pathway-events.ts',
      'functions/events/project-views.ts',
    ]);
    expect(
      Object.values(resources.stateMachines)
        .map((m) => m.name.replace(/^Workflows/, '').replace(/[0-9A-F]{8}$/, ''))
        .sort(),
    ).toEqual([
      'CompanyJourneysCompanyStageTimer',
      'CompanyPaymentsCompanyPayment',
      'Payment',
      'PhaseTimer',
      'Sustainment',
    ]);
    const service = () =>
      new LocalStepFunctionsService({
        stateMachines: resources.stateMachines,
        invokeLambda: async () => ({}),
      });
    expect(service).not.toThrow();
  });

  it('synthesizes the sign-in the local runtime serves: one pool and client, the authorizer on all but sign-in and sign-out', async () => {
    // Prepare
    const resources = describeLocalResources(await synthesizeLocalTemplate());

    // Act
    const unprotected = resources.apiMethods
      .filter((method) => (method.authorizationType ?? 'NONE') === 'NONE')
      .map((method) => `${method.httpMethod} ${method.path}`)
      .sort();
    const api = () =>
      createLocalApi({
        methods: resources.apiMethods,
        authorizers: resources.apiAuthorizers,
        gatewayResponses: resources.gatewayResponses,
        stages: resources.apiStages,
        invoke: async () => ({}),
        localRoute: async () => undefined,
        onError: () => {},
      });

    // Assess
    expect(Object.keys(resources.userPools)).toHaveLength(1);
    expect(Object.keys(resources.userPoolClients)).toHaveLength(1);
    expect(unprotected).toEqual(['GET /login', 'POST /login', 'POST /logout']);
    const [authorizer] = Object.values(resources.apiAuthorizers);
    expect(authorizer?.functionLogicalId && resources.functions[authorizer.functionLogicalId]?.entry).toBe(
      'functions/auth/authorizer.ts',
    );
    expect(resources.gatewayResponses.map((r) => r.responseType)).toEqual(
      expect.arrayContaining(['UNAUTHORIZED', 'ACCESS_DENIED']),
    );
    expect(api).not.toThrow();
  });
});
