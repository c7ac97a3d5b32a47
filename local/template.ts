/**
 * Reads the template CDK synthesizes for the stack and turns it into the plain values the local runtime needs:
 * which handler module each Lambda is, the state machine definitions, tables, topics, stream mappings and API
 * routes. Every `Ref`/`Fn::GetAtt` resolves to a deterministic local name, so an ARN in a handler's environment,
 * in a state machine definition and in an event source mapping is the same string.
 */
import { readFileSync } from 'node:fs';
import type { App } from 'aws-cdk-lib';
import type { CloudFormationResource, CloudFormationTemplate } from './cloudformation.ts';

export type { CloudFormationResource, CloudFormationTemplate } from './cloudformation.ts';

export const LOCAL_REGION = 'eu-north-1';
export const LOCAL_ACCOUNT = '000000000000';

/** Stream ARNs on AWS end in the stream's creation time; locally every table's stream was "created" at the epoch. */
const LOCAL_STREAM_LABEL = '1970-01-01T00:00:00.000';

export interface LocalResourceNames {
  region: string;
  account: string;
  /** The template's resources by logical id: how a `Ref` or `Fn::GetAtt` resolves depends on the resource type. */
  resources: Record<string, CloudFormationResource>;
  parameters?: Record<string, unknown>;
  conditions?: Record<string, unknown>;
}

export function localResourceNames(template: CloudFormationTemplate): LocalResourceNames {
  return {
    region: LOCAL_REGION,
    account: LOCAL_ACCOUNT,
    resources: template.Resources,
    parameters: template.Parameters,
    conditions: template.Conditions,
  };
}

/**
 * Synthesizes the real app without esbuild bundling (the local runtime imports handler sources, not bundles).
 * `lib/app.ts` is imported by a computed URL so that this module does not depend on it at type-check time.
 */
export async function synthesizeLocalTemplate(
  options: { stackName?: string } = {},
): Promise<CloudFormationTemplate> {
  const cached = templateSynthesizedEarlier(options);
  if (cached) return cached;
  const appModule: unknown = await import(new URL('../lib/app.ts', import.meta.url).href);
  const createApp = isRecord(appModule) ? appModule.createApp : undefined;
  if (typeof createApp !== 'function') throw new Error('lib/app.ts does not export createApp({ context })');
  // The demo users sign in with their password alone; a deployment keeps the default, where finance and
  // programme users must set up TOTP first (`requireMfa`).
  const created: unknown = await createApp({
    context: { 'aws:cdk:bundling-stacks': [], requireMfa: process.env.REQUIRE_MFA === 'true' },
  });
  // createApp returns { app, stack }; accept a bare App too.
  const app: unknown = isRecord(created) && isRecord(created.app) ? created.app : created;
  if (!isRecord(app) || typeof app.synth !== 'function') {
    throw new Error('createApp() did not return a CDK App');
  }
  return templateOfStack(app as unknown as App, options.stackName);
}

/**
 * A test run synthesizes the app once (test/global-setup.ts) and names the file in LOCAL_TEMPLATE_FILE; every
 * runtime of the run starts from it. Only for the default synthesis: a named stack or REQUIRE_MFA synthesizes anew.
 */
function templateSynthesizedEarlier(options: { stackName?: string }): CloudFormationTemplate | undefined {
  const file = process.env.LOCAL_TEMPLATE_FILE;
  if (!file || options.stackName || process.env.REQUIRE_MFA === 'true') return undefined;
  const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
  if (!isRecord(parsed) || !isRecord(parsed.Resources))
    throw new Error(`${file} is not a CloudFormation template`);
  return parsed as unknown as CloudFormationTemplate;
}

/** The template of the app's only stack, or of the named one. */
export function templateOfStack(app: App, stackName?: string): CloudFormationTemplate {
  const stacks = app.synth().stacksRecursively;
  const chosen = stackName ? stacks.filter((s) => s.stackName === stackName) : stacks;
  const [stack, ...others] = chosen;
  if (!stack || others.length > 0) {
    const names = stacks.map((s) => s.stackName).join(', ');
    throw new Error(
      `Expected exactly one stack${stackName ? ` named ${stackName}` : ''}, the app has: ${names}`,
    );
  }
  return stack.template as CloudFormationTemplate;
}

/** `AWS::NoValue` removes the property or list element that holds it. */
const NO_VALUE = Symbol('AWS::NoValue');

export class UnresolvableTokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnresolvableTokenError';
  }
}

/** Replaces every intrinsic function in `value` by its local value; throws on anything it cannot resolve. */
export function resolveIntrinsics(value: unknown, env: LocalResourceNames): unknown {
  const resolved = resolveValue(value, env);
  return resolved === NO_VALUE ? undefined : resolved;
}

/** Resolves to a string or throws, for places (ARNs, names, definitions) where anything else is a bug. */
export function resolveString(value: unknown, env: LocalResourceNames, what: string): string {
  const resolved = resolveIntrinsics(value, env);
  if (typeof resolved !== 'string') {
    throw new UnresolvableTokenError(`${what} resolved to ${JSON.stringify(resolved)}, expected a string`);
  }
  return resolved;
}

function resolveValue(value: unknown, env: LocalResourceNames): unknown {
  if (Array.isArray(value)) {
    return value.map((item) => resolveValue(item, env)).filter((item) => item !== NO_VALUE);
  }
  if (!isRecord(value)) return value;
  const keys = Object.keys(value);
  const [onlyKey] = keys;
  if (keys.length === 1 && onlyKey !== undefined && isIntrinsicName(onlyKey)) {
    return resolveFunction(onlyKey, value[onlyKey], env);
  }
  const result: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const resolved = resolveValue(item, env);
    if (resolved !== NO_VALUE) result[key] = resolved;
  }
  return result;
}

function isIntrinsicName(key: string): boolean {
  return key === 'Ref' || key.startsWith('Fn::');
}

function resolveFunction(name: string, args: unknown, env: LocalResourceNames): unknown {
  switch (name) {
    case 'Ref':
      return resolveRef(expectString(args, name), env);
    case 'Fn::GetAtt':
      return resolveGetAtt(args, env);
    case 'Fn::Join':
      return resolveJoin(args, env);
    case 'Fn::Sub':
      return resolveSub(args, env);
    case 'Fn::Select':
      return resolveSelect(args, env);
    case 'Fn::Split':
      return resolveSplit(args, env);
    case 'Fn::GetAZs':
      return ['a', 'b', 'c'].map((zone) => `${env.region}${zone}`);
    case 'Fn::If':
      return resolveIf(args, env);
    case 'Fn::Base64':
      return Buffer.from(expectString(resolveValue(args, env), name)).toString('base64');
    default:
      throw new UnresolvableTokenError(`${name} is not supported locally: ${JSON.stringify(args)}`);
  }
}

function resolveRef(target: string, env: LocalResourceNames): unknown {
  const pseudo = pseudoParameter(target, env);
  if (pseudo !== undefined) return pseudo;
  const parameter = env.parameters?.[target];
  if (parameter !== undefined) {
    if (isRecord(parameter) && 'Default' in parameter) return parameter.Default;
    throw new UnresolvableTokenError(`Ref ${target}: the parameter has no Default`);
  }
  const resource = env.resources[target];
  if (!resource) throw new UnresolvableTokenError(`Ref ${target}: no such resource or parameter`);
  return refOfResource(target, resource, env);
}

function pseudoParameter(name: string, env: LocalResourceNames): unknown {
  switch (name) {
    case 'AWS::Region':
      return env.region;
    case 'AWS::AccountId':
      return env.account;
    case 'AWS::Partition':
      return 'aws';
    case 'AWS::URLSuffix':
      return 'amazonaws.com';
    case 'AWS::StackName':
      return 'local';
    case 'AWS::StackId':
      return `arn:aws:cloudformation:${env.region}:${env.account}:stack/local/00000000-0000-0000-0000-000000000000`;
    case 'AWS::NotificationARNs':
      return [];
    case 'AWS::NoValue':
      return NO_VALUE;
    default:
      return undefined;
  }
}

/** What `Ref` returns for each resource type on AWS, with the logical id standing in for generated names. */
function refOfResource(logicalId: string, resource: CloudFormationResource, env: LocalResourceNames): string {
  switch (resource.Type) {
    case 'AWS::StepFunctions::StateMachine':
    case 'AWS::SNS::Topic':
      return arnOf(logicalId, resource, env);
    case 'AWS::SQS::Queue':
      return `https://sqs.${env.region}.amazonaws.com/${env.account}/${logicalId}`;
    case 'AWS::KMS::Alias':
      return typeof resource.Properties?.AliasName === 'string' ? resource.Properties.AliasName : logicalId;
    case 'AWS::Cognito::UserPool':
      return localUserPoolId(logicalId, env);
    case 'AWS::Cognito::UserPoolGroup':
      return typeof resource.Properties?.GroupName === 'string' ? resource.Properties.GroupName : logicalId;
    case 'AWS::ApiGateway::Stage':
      return typeof resource.Properties?.StageName === 'string' ? resource.Properties.StageName : logicalId;
    default:
      // Functions, tables, KMS keys (key id), roles, API resources, user pool clients (client id): the physical
      // name or id is the logical id.
      return logicalId;
  }
}

function resolveGetAtt(args: unknown, env: LocalResourceNames): unknown {
  const [logicalId, attribute] = getAttArguments(args, env);
  const resource = env.resources[logicalId];
  if (!resource) throw new UnresolvableTokenError(`Fn::GetAtt ${logicalId}.${attribute}: no such resource`);
  const value = attributeOf(logicalId, attribute, resource, env);
  if (value === undefined) {
    throw new UnresolvableTokenError(
      `Fn::GetAtt ${logicalId}.${attribute} (${resource.Type}) has no local value; add it to local/template.ts`,
    );
  }
  return value;
}

function getAttArguments(args: unknown, env: LocalResourceNames): [string, string] {
  if (typeof args === 'string') {
    const dot = args.indexOf('.');
    if (dot > 0) return [args.slice(0, dot), args.slice(dot + 1)];
  }
  if (Array.isArray(args) && args.length === 2) {
    return [expectString(args[0], 'Fn::GetAtt'), expectString(resolveValue(args[1], env), 'Fn::GetAtt')];
  }
  throw new UnresolvableTokenError(`Fn::GetAtt with malformed arguments: ${JSON.stringify(args)}`);
}

function attributeOf(
  logicalId: string,
  attribute: string,
  resource: CloudFormationResource,
  env: LocalResourceNames,
): string | undefined {
  const region = env.region;
  const account = env.account;
  switch (`${resource.Type}.${attribute}`) {
    case 'AWS::StepFunctions::StateMachine.Name':
    case 'AWS::SNS::Topic.TopicName':
    case 'AWS::SQS::Queue.QueueName':
    case 'AWS::KMS::Key.KeyId':
    case 'AWS::IAM::Role.RoleId':
    case 'AWS::Logs::LogGroup.LogGroupName':
      return logicalId;
    case 'AWS::SNS::Topic.TopicArn':
      return arnOf(logicalId, resource, env);
    case 'AWS::SQS::Queue.QueueUrl':
      return `https://sqs.${region}.amazonaws.com/${account}/${logicalId}`;
    case 'AWS::DynamoDB::Table.StreamArn':
    case 'AWS::DynamoDB::GlobalTable.StreamArn':
      return `${arnOf(logicalId, resource, env)}/stream/${LOCAL_STREAM_LABEL}`;
    case 'AWS::ApiGateway::RestApi.RootResourceId':
      return `${logicalId}-root`;
    case 'AWS::Cognito::UserPool.UserPoolId':
      return localUserPoolId(logicalId, env);
    case 'AWS::Cognito::UserPool.ProviderName':
      return `cognito-idp.${region}.amazonaws.com/${localUserPoolId(logicalId, env)}`;
    case 'AWS::Cognito::UserPool.ProviderURL':
      return `https://cognito-idp.${region}.amazonaws.com/${localUserPoolId(logicalId, env)}`;
    case 'AWS::Cognito::UserPoolClient.ClientId':
      return logicalId;
    case 'AWS::Cognito::UserPoolClient.Name':
      return typeof resource.Properties?.ClientName === 'string' ? resource.Properties.ClientName : logicalId;
    default:
      return attribute === 'Arn' ? arnOf(logicalId, resource, env) : undefined;
  }
}

/**
 * A user pool's id has Cognito's shape, `<region>_<letters and digits>`, because verifiers check it
 * (aws-jwt-verify refuses any other); the logical id is letters and digits, so it fits and stays deterministic.
 */
export function localUserPoolId(logicalId: string, env: Pick<LocalResourceNames, 'region'>): string {
  return `${env.region}_${logicalId.replace(/[^A-Za-z0-9]/g, '')}`;
}

/** The ARN of a resource under its local name. */
function arnOf(logicalId: string, resource: CloudFormationResource, env: LocalResourceNames): string {
  const { region, account } = env;
  switch (resource.Type) {
    case 'AWS::Lambda::Function':
      return `arn:aws:lambda:${region}:${account}:function:${logicalId}`;
    case 'AWS::StepFunctions::StateMachine':
      return `arn:aws:states:${region}:${account}:stateMachine:${logicalId}`;
    case 'AWS::DynamoDB::Table':
    case 'AWS::DynamoDB::GlobalTable':
      return `arn:aws:dynamodb:${region}:${account}:table/${logicalId}`;
    case 'AWS::SNS::Topic':
      return `arn:aws:sns:${region}:${account}:${logicalId}`;
    case 'AWS::SQS::Queue':
      return `arn:aws:sqs:${region}:${account}:${logicalId}`;
    case 'AWS::KMS::Key':
      return `arn:aws:kms:${region}:${account}:key/${logicalId}`;
    case 'AWS::IAM::Role':
      return `arn:aws:iam::${account}:role/${logicalId}`;
    case 'AWS::Logs::LogGroup':
      return `arn:aws:logs:${region}:${account}:log-group:${logicalId}:*`;
    case 'AWS::Cognito::UserPool':
      return `arn:aws:cognito-idp:${region}:${account}:userpool/${localUserPoolId(logicalId, env)}`;
    default: {
      // AWS::Service::Thing → arn:aws:service:region:account:thing/LogicalId, the common shape.
      const [, service = 'unknown', kind = 'resource'] = resource.Type.split('::');
      return `arn:aws:${service.toLowerCase()}:${region}:${account}:${kind.toLowerCase()}/${logicalId}`;
    }
  }
}

function resolveJoin(args: unknown, env: LocalResourceNames): string {
  if (!Array.isArray(args) || args.length !== 2) {
    throw new UnresolvableTokenError(`Fn::Join with malformed arguments: ${JSON.stringify(args)}`);
  }
  const delimiter = expectString(args[0], 'Fn::Join delimiter');
  const parts = resolveValue(args[1], env);
  if (!Array.isArray(parts)) {
    throw new UnresolvableTokenError(`Fn::Join of ${JSON.stringify(parts)}, not a list`);
  }
  return parts.map((part) => scalarString(part, 'Fn::Join')).join(delimiter);
}

/** `${Name}`, `${Resource.Attribute}` and `${!Literal}`; variables from the second argument win. */
function resolveSub(args: unknown, env: LocalResourceNames): string {
  const [template, variables] = Array.isArray(args) ? args : [args, {}];
  const text = expectString(template, 'Fn::Sub');
  const resolvedVariables = resolveValue(variables ?? {}, env);
  const lookup = isRecord(resolvedVariables) ? resolvedVariables : {};
  return text.replace(/\$\{([^}]*)\}/g, (_match, name: string) => {
    if (name.startsWith('!')) return `\${${name.slice(1)}}`;
    if (name in lookup) return scalarString(lookup[name], `Fn::Sub \${${name}}`);
    if (name.includes('.')) return scalarString(resolveGetAtt(name, env), `Fn::Sub \${${name}}`);
    return scalarString(resolveRef(name, env), `Fn::Sub \${${name}}`);
  });
}

function resolveSelect(args: unknown, env: LocalResourceNames): unknown {
  if (!Array.isArray(args) || args.length !== 2) {
    throw new UnresolvableTokenError(`Fn::Select with malformed arguments: ${JSON.stringify(args)}`);
  }
  const index = Number(resolveValue(args[0], env));
  const list = resolveValue(args[1], env);
  if (!Array.isArray(list) || !Number.isInteger(index) || index < 0 || index >= list.length) {
    throw new UnresolvableTokenError(`Fn::Select index ${index} of ${JSON.stringify(list)}`);
  }
  return list[index];
}

function resolveSplit(args: unknown, env: LocalResourceNames): string[] {
  if (!Array.isArray(args) || args.length !== 2) {
    throw new UnresolvableTokenError(`Fn::Split with malformed arguments: ${JSON.stringify(args)}`);
  }
  const delimiter = expectString(args[0], 'Fn::Split delimiter');
  return expectString(resolveValue(args[1], env), 'Fn::Split source').split(delimiter);
}

function resolveIf(args: unknown, env: LocalResourceNames): unknown {
  if (!Array.isArray(args) || args.length !== 3) {
    throw new UnresolvableTokenError(`Fn::If with malformed arguments: ${JSON.stringify(args)}`);
  }
  const branch = evaluateCondition(expectString(args[0], 'Fn::If condition'), env) ? args[1] : args[2];
  return resolveValue(branch, env);
}

function evaluateCondition(name: string, env: LocalResourceNames): boolean {
  const condition = env.conditions?.[name];
  if (condition === undefined) throw new UnresolvableTokenError(`Condition ${name} is not defined`);
  return evaluateConditionExpression(condition, env);
}

function evaluateConditionExpression(expression: unknown, env: LocalResourceNames): boolean {
  if (!isRecord(expression)) {
    throw new UnresolvableTokenError(`Malformed condition ${JSON.stringify(expression)}`);
  }
  const [[name, args] = []] = Object.entries(expression);
  const list = Array.isArray(args) ? args : [];
  switch (name) {
    case 'Condition':
      return evaluateCondition(expectString(args, 'Condition'), env);
    case 'Fn::Equals':
      return JSON.stringify(resolveValue(list[0], env)) === JSON.stringify(resolveValue(list[1], env));
    case 'Fn::Not':
      return !evaluateConditionExpression(list[0], env);
    case 'Fn::And':
      return list.every((item) => evaluateConditionExpression(item, env));
    case 'Fn::Or':
      return list.some((item) => evaluateConditionExpression(item, env));
    default:
      throw new UnresolvableTokenError(`Condition function ${String(name)} is not supported locally`);
  }
}

function expectString(value: unknown, what: string): string {
  if (typeof value !== 'string') {
    throw new UnresolvableTokenError(`${what}: expected a string, got ${JSON.stringify(value)}`);
  }
  return value;
}

function scalarString(value: unknown, what: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new UnresolvableTokenError(`${what}: cannot put ${JSON.stringify(value)} into a string`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export interface LocalFunction {
  logicalId: string;
  functionName: string;
  arn: string;
  /** `Metadata['vaekst:entry']`: the handler module relative to the repository root. CDK's own helpers have none. */
  entry: string | undefined;
  /** The `Handler` property, e.g. `index.handler`; the export the runtime calls is `handler` either way. */
  handler: string | undefined;
  environment: Record<string, string>;
  timeoutSeconds: number;
}

/** A parsed Amazon States Language document; the step-functions service reads the fields it needs. */
export interface StateMachineDefinitionJson {
  StartAt: string;
  States: Record<string, Record<string, unknown>>;
  TimeoutSeconds?: number;
  Comment?: string;
  [field: string]: unknown;
}

export interface LocalStateMachine {
  logicalId: string;
  /** `Fn::GetAtt Name`: the logical id. */
  name: string;
  arn: string;
  definition: StateMachineDefinitionJson;
}

export interface LocalTable {
  logicalId: string;
  tableName: string;
  arn: string;
  streamArn: string | undefined;
  /** The resolved `Properties` (KeySchema, AttributeDefinitions, GlobalSecondaryIndexes, TimeToLiveSpecification …). */
  properties: Record<string, unknown>;
}

export interface LocalTopic {
  logicalId: string;
  topicName: string;
  arn: string;
}

export interface LocalKey {
  logicalId: string;
  keyId: string;
  arn: string;
  /** `SYMMETRIC_DEFAULT`, `HMAC_256`, …; AWS's default when the template does not say. */
  keySpec: string;
  keyUsage: string;
}

export interface LocalEventSourceMapping {
  logicalId: string;
  functionLogicalId: string;
  eventSourceArn: string;
  /** Set when the source is a DynamoDB table's stream. */
  tableLogicalId: string | undefined;
  batchSize: number | undefined;
  startingPosition: string | undefined;
  /** Each `FilterCriteria.Filters[].Pattern`, parsed from its JSON string. */
  filterPatterns: unknown[];
  bisectBatchOnError: boolean;
  reportBatchItemFailures: boolean;
  maximumRetryAttempts: number | undefined;
  maximumRecordAgeSeconds: number | undefined;
  onFailureDestinationArn: string | undefined;
  enabled: boolean;
}

export interface LocalApiMethod {
  logicalId: string;
  restApiLogicalId: string;
  httpMethod: string;
  /** The full resource path from the API root, e.g. `/referrals/{id}/outcomes`; the root is `/`. */
  path: string;
  integrationType: string | undefined;
  /** The proxied function, for `AWS_PROXY` integrations with a Lambda function of this template. */
  functionLogicalId: string | undefined;
  /** `NONE`, `CUSTOM` (a Lambda authorizer), `AWS_IAM`, `COGNITO_USER_POOLS`; API Gateway's default is `NONE`. */
  authorizationType: string | undefined;
  /** The `AWS::ApiGateway::Authorizer` of a `CUSTOM` method. */
  authorizerLogicalId: string | undefined;
}

export interface LocalApiAuthorizer {
  logicalId: string;
  restApiLogicalId: string;
  name: string;
  /** `REQUEST` or `TOKEN` (Lambda authorizers), or `COGNITO_USER_POOLS`. */
  type: string;
  /** The Lambda function named by `AuthorizerUri`. */
  functionLogicalId: string | undefined;
  /** `IdentitySource` split at commas, e.g. `method.request.header.Authorization`; empty when none is required. */
  identitySources: string[];
  /** `AuthorizerResultTtlInSeconds` (API Gateway's default is 300); 0 means every request calls the authorizer. */
  resultTtlSeconds: number;
}

/** An `AWS::ApiGateway::GatewayResponse`: what API Gateway answers itself (401, 403, …) instead of the API's default. */
export interface LocalGatewayResponse {
  logicalId: string;
  restApiLogicalId: string;
  /** `UNAUTHORIZED`, `ACCESS_DENIED`, `DEFAULT_4XX`, … */
  responseType: string;
  statusCode: number | undefined;
  /** `gatewayresponse.header.<Name>` → `'literal'`, `method.request.header.<Name>`, `stageVariables.<name>` … */
  responseParameters: Record<string, string>;
  /** Content type → Velocity template. */
  responseTemplates: Record<string, string>;
}

export interface LocalApiStage {
  logicalId: string;
  restApiLogicalId: string;
  stageName: string;
  variables: Record<string, string>;
}

export interface LocalUserPool {
  logicalId: string;
  /** `<region>_<logical id>`: what `Ref` gives. */
  userPoolId: string;
  arn: string;
  /** The resolved `Properties` (Schema, Policies, MfaConfiguration, UsernameConfiguration …). */
  properties: Record<string, unknown>;
}

export interface LocalUserPoolClient {
  logicalId: string;
  /** What `Ref` gives: the logical id. */
  clientId: string;
  userPoolId: string;
  /** The resolved `Properties` (ExplicitAuthFlows, token validities and units, Read/WriteAttributes …). */
  properties: Record<string, unknown>;
}

export interface LocalUserPoolGroup {
  logicalId: string;
  groupName: string;
  userPoolId: string;
  properties: Record<string, unknown>;
}

export interface LocalResources {
  names: LocalResourceNames;
  functions: Record<string, LocalFunction>;
  stateMachines: Record<string, LocalStateMachine>;
  tables: Record<string, LocalTable>;
  topics: Record<string, LocalTopic>;
  keys: Record<string, LocalKey>;
  eventSourceMappings: LocalEventSourceMapping[];
  apiMethods: LocalApiMethod[];
  apiAuthorizers: Record<string, LocalApiAuthorizer>;
  gatewayResponses: LocalGatewayResponse[];
  apiStages: LocalApiStage[];
  userPools: Record<string, LocalUserPool>;
  userPoolClients: Record<string, LocalUserPoolClient>;
  userPoolGroups: LocalUserPoolGroup[];
}

export function describeLocalResources(
  template: CloudFormationTemplate,
  names: LocalResourceNames = localResourceNames(template),
): LocalResources {
  const described: LocalResources = {
    names,
    functions: {},
    stateMachines: {},
    tables: {},
    topics: {},
    keys: {},
    eventSourceMappings: [],
    apiMethods: [],
    apiAuthorizers: {},
    gatewayResponses: [],
    apiStages: [],
    userPools: {},
    userPoolClients: {},
    userPoolGroups: [],
  };
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    describeResource(described, logicalId, resource, names);
  }
  return described;
}

function describeResource(
  described: LocalResources,
  logicalId: string,
  resource: CloudFormationResource,
  names: LocalResourceNames,
): void {
  switch (resource.Type) {
    case 'AWS::Lambda::Function':
      described.functions[logicalId] = describeFunction(logicalId, resource, names);
      break;
    case 'AWS::StepFunctions::StateMachine':
      described.stateMachines[logicalId] = describeStateMachine(logicalId, resource, names);
      break;
    case 'AWS::DynamoDB::Table':
    case 'AWS::DynamoDB::GlobalTable':
      described.tables[logicalId] = describeTable(logicalId, resource, names);
      break;
    case 'AWS::SNS::Topic':
      described.topics[logicalId] = {
        logicalId,
        topicName: logicalId,
        arn: arnOf(logicalId, resource, names),
      };
      break;
    case 'AWS::KMS::Key':
      described.keys[logicalId] = describeKey(logicalId, resource, names);
      break;
    case 'AWS::Lambda::EventSourceMapping':
      described.eventSourceMappings.push(describeEventSourceMapping(logicalId, resource, names));
      break;
    case 'AWS::ApiGateway::Method':
      described.apiMethods.push(describeApiMethod(logicalId, resource, names));
      break;
    case 'AWS::ApiGateway::Authorizer':
      described.apiAuthorizers[logicalId] = describeApiAuthorizer(logicalId, resource, names);
      break;
    case 'AWS::ApiGateway::GatewayResponse':
      described.gatewayResponses.push(describeGatewayResponse(logicalId, resource, names));
      break;
    case 'AWS::ApiGateway::Stage':
      described.apiStages.push(describeApiStage(logicalId, resource, names));
      break;
    case 'AWS::Cognito::UserPool':
      described.userPools[logicalId] = {
        logicalId,
        userPoolId: localUserPoolId(logicalId, names),
        arn: arnOf(logicalId, resource, names),
        properties: resolvedProperties(resource, names),
      };
      break;
    case 'AWS::Cognito::UserPoolClient': {
      const properties = resolvedProperties(resource, names);
      described.userPoolClients[logicalId] = {
        logicalId,
        clientId: logicalId,
        userPoolId: resolveString(properties.UserPoolId, names, `${logicalId} UserPoolId`),
        properties,
      };
      break;
    }
    case 'AWS::Cognito::UserPoolGroup': {
      const properties = resolvedProperties(resource, names);
      described.userPoolGroups.push({
        logicalId,
        groupName: typeof properties.GroupName === 'string' ? properties.GroupName : logicalId,
        userPoolId: resolveString(properties.UserPoolId, names, `${logicalId} UserPoolId`),
        properties,
      });
      break;
    }
  }
}

function describeFunction(
  logicalId: string,
  resource: CloudFormationResource,
  names: LocalResourceNames,
): LocalFunction {
  // Only what the runtime uses: Code, Role and the rest may hold tokens that have no local meaning.
  const raw = resource.Properties ?? {};
  const properties = {
    Handler: resolveIntrinsics(raw.Handler, names),
    Timeout: resolveIntrinsics(raw.Timeout, names),
    Environment: resolveIntrinsics(raw.Environment, names),
  };
  const environment = isRecord(properties.Environment) ? properties.Environment.Variables : undefined;
  const entry = resource.Metadata?.['vaekst:entry'];
  return {
    logicalId,
    functionName: logicalId,
    arn: arnOf(logicalId, resource, names),
    entry: typeof entry === 'string' ? entry : undefined,
    handler: typeof properties.Handler === 'string' ? properties.Handler : undefined,
    environment: stringRecord(environment, `${logicalId} Environment.Variables`),
    timeoutSeconds: typeof properties.Timeout === 'number' ? properties.Timeout : 3,
  };
}

function describeStateMachine(
  logicalId: string,
  resource: CloudFormationResource,
  names: LocalResourceNames,
): LocalStateMachine {
  const properties = resource.Properties ?? {};
  const definition = parseDefinition(logicalId, properties, names);
  return { logicalId, name: logicalId, arn: arnOf(logicalId, resource, names), definition };
}

function parseDefinition(
  logicalId: string,
  properties: Record<string, unknown>,
  names: LocalResourceNames,
): StateMachineDefinitionJson {
  let parsed: unknown;
  if (properties.DefinitionString !== undefined) {
    const text = resolveString(properties.DefinitionString, names, `${logicalId} DefinitionString`);
    parsed = JSON.parse(substituteDefinitionSubstitutions(text, properties.DefinitionSubstitutions, names));
  } else if (properties.Definition !== undefined) {
    parsed = resolveIntrinsics(properties.Definition, names);
  } else {
    throw new Error(`State machine ${logicalId} has neither DefinitionString nor Definition`);
  }
  if (!isRecord(parsed) || typeof parsed.StartAt !== 'string' || !isRecord(parsed.States)) {
    throw new Error(`State machine ${logicalId}: the definition has no StartAt/States`);
  }
  return parsed as StateMachineDefinitionJson;
}

/** CloudFormation replaces `${name}` in the definition with `DefinitionSubstitutions` (used by `fromFile`). */
function substituteDefinitionSubstitutions(
  text: string,
  substitutions: unknown,
  names: LocalResourceNames,
): string {
  if (substitutions === undefined) return text;
  const resolved = resolveIntrinsics(substitutions, names);
  if (!isRecord(resolved)) return text;
  return text.replace(/\$\{([^}]+)\}/g, (match, name: string) =>
    name in resolved ? scalarString(resolved[name], `DefinitionSubstitutions.${name}`) : match,
  );
}

function describeTable(
  logicalId: string,
  resource: CloudFormationResource,
  names: LocalResourceNames,
): LocalTable {
  const properties = resolvedProperties(resource, names);
  return {
    logicalId,
    tableName: logicalId,
    arn: arnOf(logicalId, resource, names),
    streamArn: properties.StreamSpecification
      ? attributeOf(logicalId, 'StreamArn', resource, names)
      : undefined,
    properties,
  };
}

function describeKey(
  logicalId: string,
  resource: CloudFormationResource,
  names: LocalResourceNames,
): LocalKey {
  const properties = resolvedProperties(resource, names);
  return {
    logicalId,
    keyId: logicalId,
    arn: arnOf(logicalId, resource, names),
    keySpec: typeof properties.KeySpec === 'string' ? properties.KeySpec : 'SYMMETRIC_DEFAULT',
    keyUsage: typeof properties.KeyUsage === 'string' ? properties.KeyUsage : 'ENCRYPT_DECRYPT',
  };
}

function describeEventSourceMapping(
  logicalId: string,
  resource: CloudFormationResource,
  names: LocalResourceNames,
): LocalEventSourceMapping {
  const properties = resolvedProperties(resource, names);
  const functionName = resolveString(properties.FunctionName, names, `${logicalId} FunctionName`);
  const eventSourceArn = resolveString(properties.EventSourceArn, names, `${logicalId} EventSourceArn`);
  const destination = isRecord(properties.DestinationConfig)
    ? properties.DestinationConfig.OnFailure
    : undefined;
  const responseTypes = Array.isArray(properties.FunctionResponseTypes)
    ? properties.FunctionResponseTypes
    : [];
  return {
    logicalId,
    functionLogicalId: functionLogicalIdOf(functionName, names, logicalId),
    eventSourceArn,
    tableLogicalId: /^arn:aws:dynamodb:[^:]*:[^:]*:table\/([^/]+)\/stream\//.exec(eventSourceArn)?.[1],
    batchSize: optionalNumber(properties.BatchSize),
    startingPosition:
      typeof properties.StartingPosition === 'string' ? properties.StartingPosition : undefined,
    filterPatterns: filterPatternsOf(properties.FilterCriteria, logicalId),
    bisectBatchOnError: properties.BisectBatchOnFunctionError === true,
    reportBatchItemFailures: responseTypes.includes('ReportBatchItemFailures'),
    maximumRetryAttempts: optionalNumber(properties.MaximumRetryAttempts),
    maximumRecordAgeSeconds: optionalNumber(properties.MaximumRecordAgeInSeconds),
    onFailureDestinationArn:
      isRecord(destination) && typeof destination.Destination === 'string'
        ? destination.Destination
        : undefined,
    enabled: properties.Enabled !== false,
  };
}

function filterPatternsOf(criteria: unknown, logicalId: string): unknown[] {
  const filters = isRecord(criteria) && Array.isArray(criteria.Filters) ? criteria.Filters : [];
  return filters.map((filter: unknown) => {
    const pattern = isRecord(filter) ? filter.Pattern : undefined;
    if (typeof pattern !== 'string') throw new Error(`${logicalId}: a filter without a Pattern string`);
    return JSON.parse(pattern) as unknown;
  });
}

/** A mapping or integration names its function by name (`Ref`) or ARN (`Fn::GetAtt Arn`); both lead to the id. */
function functionLogicalIdOf(nameOrArn: string, names: LocalResourceNames, where: string): string {
  const name = /^arn:aws:lambda:[^:]*:[^:]*:function:([^:]+)/.exec(nameOrArn)?.[1] ?? nameOrArn;
  if (names.resources[name]?.Type !== 'AWS::Lambda::Function') {
    throw new Error(`${where}: ${nameOrArn} is not a Lambda function of this template`);
  }
  return name;
}

function describeApiMethod(
  logicalId: string,
  resource: CloudFormationResource,
  names: LocalResourceNames,
): LocalApiMethod {
  const raw = resource.Properties ?? {};
  const properties = resolvedProperties(resource, names);
  const integration = isRecord(properties.Integration) ? properties.Integration : {};
  const uri = typeof integration.Uri === 'string' ? integration.Uri : undefined;
  const functionArn = lambdaOfInvocationUri(uri);
  return {
    logicalId,
    restApiLogicalId: refTarget(raw.RestApiId, `${logicalId} RestApiId`),
    httpMethod: resolveString(properties.HttpMethod, names, `${logicalId} HttpMethod`),
    path: apiResourcePath(raw.ResourceId, names, logicalId),
    integrationType: typeof integration.Type === 'string' ? integration.Type : undefined,
    functionLogicalId: functionArn ? functionLogicalIdOf(functionArn, names, logicalId) : undefined,
    authorizationType:
      typeof properties.AuthorizationType === 'string' ? properties.AuthorizationType : undefined,
    authorizerLogicalId:
      raw.AuthorizerId === undefined ? undefined : refTarget(raw.AuthorizerId, `${logicalId} AuthorizerId`),
  };
}

/** `arn:aws:apigateway:<region>:lambda:path/2015-03-31/functions/<function ARN>/invocations` → the function ARN. */
function lambdaOfInvocationUri(uri: string | undefined): string | undefined {
  return uri ? /:lambda:path\/[^/]+\/functions\/(.+)\/invocations$/.exec(uri)?.[1] : undefined;
}

function describeApiAuthorizer(
  logicalId: string,
  resource: CloudFormationResource,
  names: LocalResourceNames,
): LocalApiAuthorizer {
  const raw = resource.Properties ?? {};
  const properties = resolvedProperties(resource, names);
  const uri = typeof properties.AuthorizerUri === 'string' ? properties.AuthorizerUri : undefined;
  const functionArn = lambdaOfInvocationUri(uri);
  const identitySource = typeof properties.IdentitySource === 'string' ? properties.IdentitySource : '';
  return {
    logicalId,
    restApiLogicalId: refTarget(raw.RestApiId, `${logicalId} RestApiId`),
    name: typeof properties.Name === 'string' ? properties.Name : logicalId,
    type: resolveString(properties.Type, names, `${logicalId} Type`),
    functionLogicalId: functionArn ? functionLogicalIdOf(functionArn, names, logicalId) : undefined,
    identitySources: identitySource
      .split(',')
      .map((source) => source.trim())
      .filter((source) => source !== ''),
    resultTtlSeconds: optionalNumber(properties.AuthorizerResultTtlInSeconds) ?? 300,
  };
}

function describeGatewayResponse(
  logicalId: string,
  resource: CloudFormationResource,
  names: LocalResourceNames,
): LocalGatewayResponse {
  const raw = resource.Properties ?? {};
  const properties = resolvedProperties(resource, names);
  const statusCode = properties.StatusCode === undefined ? undefined : Number(properties.StatusCode);
  if (statusCode !== undefined && !Number.isInteger(statusCode)) {
    throw new Error(`${logicalId}: StatusCode ${JSON.stringify(properties.StatusCode)} is not a number`);
  }
  return {
    logicalId,
    restApiLogicalId: refTarget(raw.RestApiId, `${logicalId} RestApiId`),
    responseType: resolveString(properties.ResponseType, names, `${logicalId} ResponseType`),
    statusCode,
    responseParameters: stringRecord(properties.ResponseParameters, `${logicalId} ResponseParameters`),
    responseTemplates: stringRecord(properties.ResponseTemplates, `${logicalId} ResponseTemplates`),
  };
}

function describeApiStage(
  logicalId: string,
  resource: CloudFormationResource,
  names: LocalResourceNames,
): LocalApiStage {
  const raw = resource.Properties ?? {};
  const properties = resolvedProperties(resource, names);
  return {
    logicalId,
    restApiLogicalId: refTarget(raw.RestApiId, `${logicalId} RestApiId`),
    stageName: resolveString(properties.StageName, names, `${logicalId} StageName`),
    variables: stringRecord(properties.Variables, `${logicalId} Variables`),
  };
}

/**
 * Walks `ParentId` up to the API's root. Read from the unresolved template: a parent is either the root
 * (`Fn::GetAtt [Api, RootResourceId]`) or another `AWS::ApiGateway::Resource` (`Ref`).
 */
function apiResourcePath(resourceId: unknown, names: LocalResourceNames, where: string): string {
  const parts: string[] = [];
  let current = resourceId;
  for (let depth = 0; depth < 100; depth++) {
    if (isRootResourceId(current)) return `/${parts.reverse().join('/')}`;
    const id = refTarget(current, `${where} resource`);
    const resource = names.resources[id];
    if (resource?.Type !== 'AWS::ApiGateway::Resource') {
      throw new Error(`${where}: ${id} is not an API resource`);
    }
    parts.push(resolveString(resource.Properties?.PathPart, names, `${id} PathPart`));
    current = resource.Properties?.ParentId;
  }
  throw new Error(`${where}: the API resource chain does not reach the root`);
}

function isRootResourceId(value: unknown): boolean {
  if (!isRecord(value)) return false;
  const args = value['Fn::GetAtt'];
  const attribute = Array.isArray(args) ? args[1] : typeof args === 'string' ? args.split('.')[1] : undefined;
  return attribute === 'RootResourceId';
}

function refTarget(value: unknown, what: string): string {
  if (isRecord(value) && typeof value.Ref === 'string') return value.Ref;
  throw new Error(`${what}: expected a Ref, got ${JSON.stringify(value)}`);
}

function resolvedProperties(
  resource: CloudFormationResource,
  names: LocalResourceNames,
): Record<string, unknown> {
  const resolved = resolveIntrinsics(resource.Properties ?? {}, names);
  return isRecord(resolved) ? resolved : {};
}

function stringRecord(value: unknown, what: string): Record<string, string> {
  if (value === undefined) return {};
  if (!isRecord(value)) throw new Error(`${what}: expected an object`);
  const result: Record<string, string> = {};
  for (const [key, item] of Object.entries(value)) result[key] = scalarString(item, `${what}.${key}`);
  return result;
}

function optionalNumber(value: unknown): number | undefined {
  return typeof value === 'number' ? value : undefined;
}
