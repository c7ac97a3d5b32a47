import { randomUUID } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { LocalApiMethod } from './template.ts';

/**
 * API Gateway's REST proxy integration on one machine: the synthesized methods and paths, each request turned
 * into the same `APIGatewayProxyEvent` Lambda receives, the handler's result written back as is.
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

interface CompiledMethod {
  method: LocalApiMethod;
  pattern: RegExp;
  parameterNames: string[];
}

function compile(method: LocalApiMethod): CompiledMethod {
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
  return { method, pattern: new RegExp(`^${source === '' ? '/' : source}$`), parameterNames };
}

export interface LocalApiOptions {
  methods: LocalApiMethod[];
  invoke(functionLogicalId: string, event: APIGatewayProxyEvent): Promise<unknown>;
  /** Routes the local runtime adds under `/_local/`; they exist only here, never on AWS. */
  localRoute: LocalRoute;
  onError(error: unknown): void;
}

export function createLocalApi(options: LocalApiOptions): http.Server {
  const methods = options.methods.filter((m) => m.functionLogicalId).map(compile);
  return http.createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      options.onError(error);
      if (!response.headersSent)
        send(
          response,
          502,
          { 'Content-Type': 'application/json' },
          JSON.stringify({ message: 'Internal server error' }),
        );
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const body = await readBody(request);
    if (body === undefined) {
      send(
        response,
        413,
        { 'Content-Type': 'application/json' },
        JSON.stringify({ message: 'Request Entity Too Large' }),
      );
      return;
    }
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
      const event = toEvent(request, url, compiled.method, body, pathParameters);
      const result = (await options.invoke(
        compiled.method.functionLogicalId as string,
        event,
      )) as APIGatewayProxyResult;
      const headers = Object.fromEntries(
        Object.entries(result.headers ?? {}).map(([k, v]) => [k, String(v)]),
      );
      const text = result.isBase64Encoded ? Buffer.from(result.body, 'base64') : result.body;
      send(response, result.statusCode, headers, text);
      return;
    }
    // What API Gateway answers for a path or method it does not have.
    send(
      response,
      403,
      { 'Content-Type': 'application/json' },
      JSON.stringify({ message: 'Missing Authentication Token' }),
    );
  }
}

function send(
  response: ServerResponse,
  status: number,
  headers: Record<string, string>,
  body: string | Buffer,
): void {
  response.writeHead(status, headers);
  response.end(body);
}

async function readBody(request: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_PAYLOAD_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function toEvent(
  request: IncomingMessage,
  url: URL,
  method: LocalApiMethod,
  body: string,
  pathParameters: Record<string, string>,
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
    stageVariables: null,
    body: body === '' ? null : body,
    isBase64Encoded: false,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      httpMethod: method.httpMethod,
      path: url.pathname,
      protocol: 'HTTP/1.1',
      requestId: randomUUID(),
      requestTimeEpoch: Date.now(),
      resourceId: method.logicalId,
      resourcePath: method.path,
      stage: 'local',
      authorizer: null,
      identity: {
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        userAgent: request.headers['user-agent'] ?? null,
      },
    } as unknown as APIGatewayProxyEvent['requestContext'],
  };
}
