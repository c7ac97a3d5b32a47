import { randomUUID } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type {
  APIGatewayProxyEvent,
  APIGatewayProxyResult,
  APIGatewayRequestAuthorizerEvent,
  APIGatewayTokenAuthorizerEvent,
} from 'aws-lambda';
import {
  LOCAL_ACCOUNT,
  LOCAL_REGION,
  type LocalApiAuthorizer,
  type LocalApiMethod,
  type LocalApiStage,
  type LocalGatewayResponse,
} from './template.ts';

/**
 * API Gateway's REST proxy integration on one machine: the synthesized methods and paths, each request turned
 * into the same `APIGatewayProxyEvent` Lambda receives, the handler's result written back as is. A `CUSTOM`
 * method first runs its synthesized Lambda authorizer, as API Gateway does, and what API Gateway answers by
 * itself (401, 403, 413 …) comes from the template's gateway responses.
 *
 * The local API serves each stage at the root, as a custom domain would on AWS: `/referrals`, not
 * `/prod/referrals`. A stage variable holding a path under the stage (`loginPath` = `/prod/login`) is
 * therefore rebased to the root (`/login`).
 */
export type LocalRoute = (request: {
  method: string;
  path: string;
  body: string;
}) => Promise<LocalRouteResult | undefined>;
export interface LocalRouteResult {
  statusCode: number;
  body: unknown;
}

/** API Gateway refuses payloads over 10 MB before any Lambda sees them. */
const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;
/**
 * How much of an oversized body is still read (and dropped) before the 413. Answering while the client still
 * sends would make the closing socket reset the connection, and the client could lose the answer with it; a
 * body beyond this is not worth waiting for: the connection is dropped without an answer.
 */
const MAX_DRAINED_BYTES = 4 * MAX_PAYLOAD_BYTES;

/** The answers API Gateway gives itself when the template has no gateway response for them. */
const DEFAULT_TEMPLATE = '{"message":$context.error.messageString}';
const ERROR_TYPES: Record<string, string> = {
  UNAUTHORIZED: 'UnauthorizedException',
  ACCESS_DENIED: 'AccessDeniedException',
  AUTHORIZER_FAILURE: 'AuthorizerConfigurationException',
  AUTHORIZER_CONFIGURATION_ERROR: 'AuthorizerConfigurationException',
  MISSING_AUTHENTICATION_TOKEN: 'MissingAuthenticationTokenException',
  REQUEST_TOO_LARGE: 'RequestTooLargeException',
  BAD_REQUEST_PARAMETERS: 'BadRequestException',
};

interface CompiledMethod {
  method: LocalApiMethod;
  pattern: RegExp;
  parameterNames: string[];
  authorizer: LocalApiAuthorizer | undefined;
}

/** An answer API Gateway gives itself; its body and headers come from the matching gateway response. */
interface GatewayError {
  responseType: string;
  statusCode: number;
  message: string | null;
}

type AuthorizerOutcome =
  | { allowed: true; context: Record<string, unknown> }
  | { allowed: false; error: GatewayError };

interface StageView {
  apiId: string;
  stageName: string;
  /** The stage variables as the local API (served at the root) sees them. */
  variables: Record<string, string>;
}

export interface LocalApiOptions {
  methods: LocalApiMethod[];
  authorizers?: Record<string, LocalApiAuthorizer>;
  gatewayResponses?: LocalGatewayResponse[];
  stages?: LocalApiStage[];
  region?: string;
  account?: string;
  invoke(
    functionLogicalId: string,
    event: APIGatewayProxyEvent | APIGatewayRequestAuthorizerEvent | APIGatewayTokenAuthorizerEvent,
  ): Promise<unknown>;
  /** Routes the local runtime adds under `/_local/`; they exist only here, never on AWS. */
  localRoute: LocalRoute;
  onError(error: unknown): void;
}

export function createLocalApi(options: LocalApiOptions): http.Server {
  const region = options.region ?? LOCAL_REGION;
  const account = options.account ?? LOCAL_ACCOUNT;
  // API Gateway matches a literal path segment before a path parameter (`/referrals/new` before
  // `/referrals/{id}`); fewer parameters first gives the same choice for this API's paths.
  const methods = options.methods
    .filter((m) => m.functionLogicalId)
    .map((method) => compile(method, options.authorizers ?? {}))
    .sort((a, b) => a.parameterNames.length - b.parameterNames.length);
  const apiIds = [...new Set(options.methods.map((m) => m.restApiLogicalId))];
  /** A request that matches no method still gets its API's gateway responses when there is only one API. */
  const onlyApi = apiIds.length === 1 ? apiIds[0] : undefined;
  const stages = new Map<string, StageView>();
  for (const apiId of apiIds) stages.set(apiId, stageView(apiId, options.stages ?? []));
  const authorizerCache = new Map<string, { expiresAt: number; result: Record<string, unknown> }>();

  return http.createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      options.onError(error);
      if (!response.headersSent) {
        // What API Gateway answers when the Lambda integration fails.
        sendGatewayError(
          request,
          response,
          { responseType: 'DEFAULT_5XX', statusCode: 502, message: 'Internal server error' },
          onlyApi,
        );
      }
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const read = await readBody(request);
    if (read.kind === 'abandoned') {
      request.socket.destroy();
      return;
    }
    if (read.kind === 'too-large') {
      const error = {
        responseType: 'REQUEST_TOO_LARGE',
        statusCode: 413,
        message: 'Request Entity Too Large',
      };
      // The connection is not reused after a refused body: the client's next request opens a new one.
      sendGatewayError(request, response, error, onlyApi, { Connection: 'close' });
      return;
    }
    const url = requestUrl(request.url);
    if (!url || !isWellEncoded(url.pathname)) {
      const error = { responseType: 'DEFAULT_4XX', statusCode: 400, message: 'Bad Request' };
      sendGatewayError(request, response, error, onlyApi);
      return;
    }
    const body = read.text;
    const method = request.method ?? 'GET';
    if (url.pathname.startsWith('/_local/')) {
      const result = await options.localRoute({ method, path: url.pathname, body });
      if (result) {
        send(
          response,
          result.statusCode,
          { 'Content-Type': 'application/json; charset=utf-8' },
          JSON.stringify(result.body),
        );
        return;
      }
    }
    for (const compiled of methods) {
      if (compiled.method.httpMethod !== method) continue;
      const match = compiled.pattern.exec(url.pathname);
      if (!match) continue;
      const pathParameters = Object.fromEntries(
        compiled.parameterNames.map((name, i) => [name, decodeURIComponent(match[i + 1] ?? '')]),
      );
      const stage = stages.get(compiled.method.restApiLogicalId) as StageView;
      const event = toEvent(request, url, compiled.method, body, pathParameters, stage, account);
      if (compiled.authorizer) {
        const outcome = await authorize(compiled.authorizer, compiled.method, event, stage);
        if (!outcome.allowed) {
          sendGatewayError(request, response, outcome.error, compiled.method.restApiLogicalId);
          return;
        }
        event.requestContext.authorizer = outcome.context;
      }
      const result = (await options.invoke(
        compiled.method.functionLogicalId as string,
        event,
      )) as APIGatewayProxyResult;
      const text = result.isBase64Encoded ? Buffer.from(result.body, 'base64') : result.body;
      send(response, result.statusCode, responseHeaders(result), text);
      return;
    }
    // What API Gateway answers for a path or method it does not have.
    const error = {
      responseType: 'MISSING_AUTHENTICATION_TOKEN',
      statusCode: 403,
      message: 'Missing Authentication Token',
    };
    sendGatewayError(request, response, error, onlyApi);
  }

  /** Runs the method's Lambda authorizer on the request, as API Gateway does before the integration. */
  async function authorize(
    authorizer: LocalApiAuthorizer,
    method: LocalApiMethod,
    event: APIGatewayProxyEvent,
    stage: StageView,
  ): Promise<AuthorizerOutcome> {
    const unauthorized: AuthorizerOutcome = {
      allowed: false,
      error: { responseType: 'UNAUTHORIZED', statusCode: 401, message: 'Unauthorized' },
    };
    const failure: AuthorizerOutcome = {
      allowed: false,
      error: { responseType: 'AUTHORIZER_FAILURE', statusCode: 500, message: null },
    };
    // A named identity source that is missing or empty is refused before the authorizer is called.
    const identity = authorizer.identitySources.map((source) => identitySourceValue(source, event, stage));
    if (identity.some((value) => value === undefined || value === '')) return unauthorized;

    const methodArn = `arn:aws:execute-api:${region}:${account}:${stage.apiId}/${stage.stageName}/${method.httpMethod}/${event.path.slice(1)}`;
    const cacheKey =
      authorizer.resultTtlSeconds > 0 && identity.length > 0
        ? `${authorizer.logicalId}\n${identity.join('\n')}`
        : undefined;
    const cached = cacheKey ? authorizerCache.get(cacheKey) : undefined;
    const started = Date.now();
    let result: Record<string, unknown>;
    if (cached && cached.expiresAt > started) {
      result = cached.result;
    } else {
      const authorizerEvent =
        authorizer.type === 'TOKEN'
          ? { type: 'TOKEN' as const, authorizationToken: identity[0] ?? '', methodArn }
          : requestAuthorizerEvent(event, methodArn);
      let answer: unknown;
      try {
        answer = await options.invoke(authorizer.functionLogicalId as string, authorizerEvent);
      } catch (error) {
        // API Gateway answers 401 for exactly this error message; any other failure is the authorizer's.
        if (error instanceof Error && error.message === 'Unauthorized') return unauthorized;
        options.onError(error);
        return failure;
      }
      if (!isValidAuthorizerResult(answer)) {
        options.onError(new Error(`Authorizer ${authorizer.logicalId} returned ${JSON.stringify(answer)}`));
        return failure;
      }
      result = answer;
      if (cacheKey) {
        authorizerCache.set(cacheKey, { expiresAt: started + authorizer.resultTtlSeconds * 1000, result });
      }
    }

    const decision = policyDecision(result.policyDocument, methodArn);
    if (decision !== 'allow') {
      const message =
        decision === 'deny'
          ? 'User is not authorized to access this resource with an explicit deny'
          : 'User is not authorized to access this resource';
      return { allowed: false, error: { responseType: 'ACCESS_DENIED', statusCode: 403, message } };
    }
    // API Gateway hands the integration the context's values as strings, with the principal and its latency.
    const context = isRecord(result.context) ? result.context : {};
    return {
      allowed: true,
      context: {
        ...Object.fromEntries(Object.entries(context).map(([key, value]) => [key, String(value)])),
        principalId: String(result.principalId),
        integrationLatency: Date.now() - started,
      },
    };
  }

  function sendGatewayError(
    request: IncomingMessage,
    response: ServerResponse,
    error: GatewayError,
    apiId: string | undefined,
    extraHeaders: Record<string, string> = {},
  ): void {
    const responses = (options.gatewayResponses ?? []).filter((r) => r.restApiLogicalId === apiId);
    const fallback = error.statusCode >= 500 ? 'DEFAULT_5XX' : 'DEFAULT_4XX';
    const configured =
      responses.find((r) => r.responseType === error.responseType) ??
      responses.find((r) => r.responseType === fallback);
    const templates =
      configured && Object.keys(configured.responseTemplates).length > 0
        ? configured.responseTemplates
        : { 'application/json': DEFAULT_TEMPLATE };
    const contentType = chooseTemplate(templates, request.headers.accept);
    const stage = apiId ? stages.get(apiId) : undefined;
    const variables: Record<string, string> = {
      'context.error.message': error.message ?? '',
      'context.error.messageString': error.message === null ? 'null' : `"${error.message}"`,
      'context.error.responseType': error.responseType,
      'context.stage': stage?.stageName ?? '',
      'context.httpMethod': request.method ?? '',
      ...Object.fromEntries(
        Object.entries(stage?.variables ?? {}).map(([name, value]) => [`stageVariables.${name}`, value]),
      ),
    };
    const headers: Record<string, string> = { 'Content-Type': contentType };
    const errorType = ERROR_TYPES[error.responseType];
    if (errorType) headers['x-amzn-ErrorType'] = errorType;
    for (const [parameter, expression] of Object.entries(configured?.responseParameters ?? {})) {
      const name = /^gatewayresponse\.header\.(.+)$/.exec(parameter)?.[1];
      const value = name ? responseParameterValue(expression, request, variables) : undefined;
      if (name && value !== undefined) headers[name] = value;
    }
    Object.assign(headers, extraHeaders);
    send(
      response,
      configured?.statusCode ?? error.statusCode,
      headers,
      renderTemplate(templates[contentType] ?? '', variables),
    );
  }
}

function compile(method: LocalApiMethod, authorizers: Record<string, LocalApiAuthorizer>): CompiledMethod {
  const parameterNames: string[] = [];
  const source = method.path
    .split('/')
    .map((segment) => {
      const parameter = /^\{(\w+)\}$/.exec(segment);
      if (!parameter) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      parameterNames.push(parameter[1] as string);
      return '([^/]+)';
    })
    .join('/');
  return {
    method,
    pattern: new RegExp(`^${source === '' ? '/' : source}$`),
    parameterNames,
    authorizer: authorizerOf(method, authorizers),
  };
}

/** The Lambda authorizer a method runs first; refuses methods whose protection is not emulated. */
function authorizerOf(
  method: LocalApiMethod,
  authorizers: Record<string, LocalApiAuthorizer>,
): LocalApiAuthorizer | undefined {
  const where = `${method.httpMethod} ${method.path} (${method.logicalId})`;
  const type = method.authorizationType ?? 'NONE';
  if (type === 'NONE') return undefined;
  if (type !== 'CUSTOM') {
    // Serving it without the check would make it open locally, which it is not on AWS.
    throw new Error(`${where}: AuthorizationType ${type} is not emulated locally`);
  }
  const authorizer = method.authorizerLogicalId ? authorizers[method.authorizerLogicalId] : undefined;
  if (!authorizer) throw new Error(`${where}: CUSTOM without an authorizer of this template`);
  if ((authorizer.type !== 'REQUEST' && authorizer.type !== 'TOKEN') || !authorizer.functionLogicalId) {
    throw new Error(`${where}: authorizer ${authorizer.logicalId} is not a Lambda authorizer`);
  }
  return authorizer;
}

function stageView(apiId: string, stages: LocalApiStage[]): StageView {
  // A template deploys an API to one stage; without one, the name only labels events and ARNs.
  const stage = stages.find((s) => s.restApiLogicalId === apiId);
  const stageName = stage?.stageName ?? 'local';
  const variables: Record<string, string> = {};
  for (const [name, value] of Object.entries(stage?.variables ?? {})) {
    variables[name] = rebaseToRoot(value, stageName);
  }
  return { apiId, stageName, variables };
}

/** `/prod/login` on the stage's own URL is `/login` where the API is served at the root. */
function rebaseToRoot(value: string, stageName: string): string {
  const base = `/${stageName}`;
  if (value === base) return '/';
  return value.startsWith(`${base}/`) ? value.slice(base.length) : value;
}

/**
 * The request target as a URL on this server, or undefined when it is not a path (`*`, an absolute URL) or
 * does not parse. Never resolved against a base: `//host/x` is the path `//host/x`, not another host.
 */
function requestUrl(target: string | undefined): URL | undefined {
  if (!target?.startsWith('/')) return undefined;
  try {
    return new URL(`http://localhost${target}`);
  } catch {
    return undefined;
  }
}

function isWellEncoded(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}

/** `method.request.header.X`, `method.request.querystring.X`, `stageVariables.X`, `context.X`. */
function identitySourceValue(
  source: string,
  event: APIGatewayProxyEvent,
  stage: StageView,
): string | undefined {
  const header = /^method\.request\.header\.(.+)$/i.exec(source)?.[1];
  if (header) return headerValue(event.headers, header);
  const query = /^method\.request\.querystring\.(.+)$/i.exec(source)?.[1];
  if (query) return event.queryStringParameters?.[query] ?? undefined;
  const variable = /^stageVariables\.(.+)$/.exec(source)?.[1];
  if (variable) return stage.variables[variable];
  if (source.startsWith('context.')) return 'context';
  return undefined;
}

function headerValue(headers: Record<string, string | undefined> | null, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(headers ?? {})) if (key.toLowerCase() === lower) return value;
  return undefined;
}

function requestAuthorizerEvent(
  event: APIGatewayProxyEvent,
  methodArn: string,
): APIGatewayRequestAuthorizerEvent {
  return {
    type: 'REQUEST',
    methodArn,
    resource: event.resource,
    path: event.path,
    httpMethod: event.httpMethod,
    headers: event.headers,
    multiValueHeaders: event.multiValueHeaders,
    pathParameters: event.pathParameters,
    queryStringParameters: event.queryStringParameters,
    multiValueQueryStringParameters: event.multiValueQueryStringParameters,
    stageVariables: event.stageVariables,
    requestContext: { ...event.requestContext, authorizer: undefined },
  } as unknown as APIGatewayRequestAuthorizerEvent;
}

/** A principal and a policy document; context values are strings, numbers or booleans only. */
function isValidAuthorizerResult(
  value: unknown,
): value is { principalId: unknown; policyDocument: Record<string, unknown>; context?: unknown } {
  if (!isRecord(value) || !isRecord(value.policyDocument)) return false;
  if (typeof value.principalId !== 'string' && typeof value.principalId !== 'number') return false;
  if (value.context === undefined || value.context === null) return true;
  return (
    isRecord(value.context) &&
    Object.values(value.context).every((item) => ['string', 'number', 'boolean'].includes(typeof item))
  );
}

/** IAM's answer for `execute-api:Invoke` on the method: an explicit Deny wins, then any Allow, else none. */
export function policyDecision(policyDocument: unknown, methodArn: string): 'allow' | 'deny' | 'none' {
  const statements = isRecord(policyDocument) ? asList(policyDocument.Statement).filter(isRecord) : [];
  let allowed = false;
  for (const statement of statements) {
    const actionMatches = asList(statement.Action).some(
      (action) => typeof action === 'string' && wildcardMatches(action.toLowerCase(), 'execute-api:invoke'),
    );
    const resourceMatches = asList(statement.Resource).some(
      (resource) => typeof resource === 'string' && wildcardMatches(resource, methodArn),
    );
    if (!actionMatches || !resourceMatches) continue;
    if (statement.Effect === 'Deny') return 'deny';
    if (statement.Effect === 'Allow') allowed = true;
  }
  return allowed ? 'allow' : 'none';
}

/** IAM wildcards: `*` any run of characters (slashes included), `?` one character. */
function wildcardMatches(pattern: string, value: string): boolean {
  const source = pattern
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`).test(value);
}

function asList(value: unknown): unknown[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/**
 * API Gateway picks a gateway response's template by the request's Accept header: HTML when the client accepts
 * HTML and there is an HTML template, else another type the client named, else JSON.
 */
function chooseTemplate(templates: Record<string, string>, accept: string | undefined): string {
  const accepted = (accept ?? '')
    .split(',')
    .map((range) => range.split(';')[0]?.trim().toLowerCase() ?? '')
    .filter((type) => type !== '');
  const types = Object.keys(templates);
  const find = (type: string) => types.find((t) => t.toLowerCase() === type);
  if (accepted.includes('text/html') && find('text/html')) return find('text/html') as string;
  for (const type of accepted) if (find(type)) return find(type) as string;
  return find('application/json') ?? (types[0] as string);
}

/**
 * The Velocity references a gateway response template uses: `$context.error.messageString`,
 * `$stageVariables.loginPath`, `${…}` and quiet `$!…` forms. An unknown reference stays as written, as in
 * Velocity (quiet ones vanish).
 */
function renderTemplate(template: string, variables: Record<string, string>): string {
  return template.replace(
    /\$(!?)(?:\{([A-Za-z_][\w.]*)\}|([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*))/g,
    (match, quiet: string, braced: string | undefined, plain: string | undefined) => {
      const name = braced ?? plain ?? '';
      if (name in variables) return variables[name] as string;
      return quiet ? '' : match;
    },
  );
}

/** `'literal'`, `method.request.header.X`, `method.request.querystring.X`, `stageVariables.X`. */
function responseParameterValue(
  expression: string,
  request: IncomingMessage,
  variables: Record<string, string>,
): string | undefined {
  const literal = /^'(.*)'$/s.exec(expression)?.[1];
  if (literal !== undefined) return literal;
  const header = /^method\.request\.header\.(.+)$/i.exec(expression)?.[1];
  if (header) {
    const value = request.headers[header.toLowerCase()];
    return Array.isArray(value) ? value.join(',') : value;
  }
  const query = /^method\.request\.querystring\.(.+)$/i.exec(expression)?.[1];
  if (query) return requestUrl(request.url)?.searchParams.get(query) ?? undefined;
  return variables[expression];
}

/**
 * A proxy result's `headers` and `multiValueHeaders` merged as API Gateway merges them: every value of both,
 * a name-and-value pair given in both only once (several `Set-Cookie` headers come as multiValueHeaders).
 */
function responseHeaders(result: APIGatewayProxyResult): Record<string, string[]> {
  const merged: Record<string, string[]> = {};
  const add = (name: string, value: unknown) => {
    const key = Object.keys(merged).find((k) => k.toLowerCase() === name.toLowerCase()) ?? name;
    const values = merged[key] ?? [];
    if (!values.includes(String(value))) merged[key] = [...values, String(value)];
  };
  for (const [name, values] of Object.entries(result.multiValueHeaders ?? {})) {
    for (const value of values) add(name, value);
  }
  for (const [name, value] of Object.entries(result.headers ?? {})) add(name, value);
  return merged;
}

function send(
  response: ServerResponse,
  status: number,
  headers: Record<string, string | string[]>,
  body: string | Buffer,
): void {
  response.writeHead(status, headers);
  response.end(body);
}

type BodyRead = { kind: 'body'; text: string } | { kind: 'too-large' } | { kind: 'abandoned' };

/** The body; `too-large` once an oversized one is read to its end; `abandoned` when it goes on beyond reason. */
async function readBody(request: IncomingMessage): Promise<BodyRead> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_DRAINED_BYTES) return { kind: 'abandoned' };
    if (size <= MAX_PAYLOAD_BYTES) chunks.push(chunk as Buffer);
  }
  if (size > MAX_PAYLOAD_BYTES) return { kind: 'too-large' };
  return { kind: 'body', text: Buffer.concat(chunks).toString('utf8') };
}

function toEvent(
  request: IncomingMessage,
  url: URL,
  method: LocalApiMethod,
  body: string,
  pathParameters: Record<string, string>,
  stage: StageView,
  account: string,
): APIGatewayProxyEvent {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (let i = 0; i < request.rawHeaders.length; i += 2) {
    const name = request.rawHeaders[i] as string;
    const value = request.rawHeaders[i + 1] as string;
    headers[name] = value;
    multiValueHeaders[name] = [...(multiValueHeaders[name] ?? []), value];
  }
  const query = [...url.searchParams.keys()];
  return {
    httpMethod: method.httpMethod,
    path: url.pathname,
    resource: method.path,
    headers,
    multiValueHeaders,
    pathParameters: Object.keys(pathParameters).length ? pathParameters : null,
    queryStringParameters: query.length ? Object.fromEntries(url.searchParams) : null,
    multiValueQueryStringParameters: query.length
      ? Object.fromEntries(query.map((k) => [k, url.searchParams.getAll(k)]))
      : null,
    stageVariables: Object.keys(stage.variables).length ? { ...stage.variables } : null,
    body: body === '' ? null : body,
    isBase64Encoded: false,
    requestContext: {
      accountId: account,
      apiId: stage.apiId,
      httpMethod: method.httpMethod,
      // Served at the root, as behind a custom domain: the path as requested, without the stage.
      path: url.pathname,
      protocol: 'HTTP/1.1',
      requestId: randomUUID(),
      requestTimeEpoch: Date.now(),
      resourceId: method.logicalId,
      resourcePath: method.path,
      stage: stage.stageName,
      authorizer: null,
      identity: {
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        userAgent: request.headers['user-agent'] ?? null,
      },
    } as unknown as APIGatewayProxyEvent['requestContext'],
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
