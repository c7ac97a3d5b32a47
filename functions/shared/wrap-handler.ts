import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { html } from './html-template.ts';
import { errorResponse, HttpError, header, htmlResponse, json, wantsHtml } from './http.ts';
import { logger } from './logger.ts';
import { isDependencyOutage } from './retry.ts';

/**
 * An error that is the handler's answer, not its failure: a Lambda authorizer refuses a request by throwing
 * exactly `Error('Unauthorized')`, which API Gateway turns into a 401. The handler logs why; this wrapper
 * does not log it again as a failure.
 */
export class Refusal extends Error {
  override name = 'Refusal';
}

/**
 * Every handler is wrapped once, here: per-invocation log context and one place that logs a failure. The
 * event itself is never logged; it may carry a CPR number.
 */
export function wrapHandler<TEvent, TResult>(
  name: string,
  handler: (event: TEvent, context: Context) => Promise<TResult>,
) {
  return middy<TEvent, TResult, Error, Context>()
    .onError((request) => {
      if (request.error instanceof Refusal) return;
      logger.error('Handler failed', {
        handler: name,
        requestId: request.context?.awsRequestId,
        error: request.error,
      });
    })
    .handler((event, context) =>
      logger.withContext({ handler: name, requestId: context?.awsRequestId }, () => handler(event, context)),
    );
}

/**
 * API handlers: a user error (HttpError) becomes its 4xx with a message per field; a dependency that is down
 * or overloaded (`isDependencyOutage`) answers 503 with `Retry-After`, logged once as a warning, since the same
 * request may well succeed in a moment; anything else is logged and answered with a 500 that reveals nothing
 * about the request. A browser (a page or a form post) gets the server's answers as a page.
 */
export function wrapHttpHandler(
  name: string,
  handler: (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>,
) {
  return wrapHandler<APIGatewayProxyEvent, APIGatewayProxyResult>(name, async (event, context) => {
    try {
      return await handler(event, context);
    } catch (error) {
      if (isContended(error)) {
        logger.warn('Request contended', {});
        return json(409, {
          errors: [{ field: 'body', message: 'Der var for mange samtidige ændringer. Prøv igen.' }],
        });
      }
      if (error instanceof HttpError) {
        logger.info('Request refused', {
          statusCode: error.statusCode,
          fields: error.errors.map((e) => e.field),
        });
        return errorResponse(error);
      }
      if (isDependencyOutage(error)) {
        // Expected during an outage and repeated by every request: one line, no stack.
        logger.warn('Dependency unavailable', { error: outageSummary(error) });
        return serverAnswer(event, 503, UNAVAILABLE_MESSAGE, { 'Retry-After': String(RETRY_AFTER_SECONDS) });
      }
      logger.error('Request failed', { error });
      return serverAnswer(event, 500, FAILED_MESSAGE);
    }
  });
}

/** Long enough for throttling to pass or DynamoDB Local to be restarted; short enough to be worth waiting. */
export const RETRY_AFTER_SECONDS = 5;
const UNAVAILABLE_MESSAGE = 'Tjenesten er midlertidigt utilgængelig. Prøv igen om lidt.';
const FAILED_MESSAGE = 'Der opstod en fejl. Prøv igen om lidt.';

/** The server's own failure, as JSON or, for a browser, as a small page that says the same. */
function serverAnswer(
  event: APIGatewayProxyEvent,
  statusCode: number,
  message: string,
  headers: Record<string, string> = {},
): APIGatewayProxyResult {
  if (fromBrowser(event)) {
    const title = statusCode === 503 ? 'Tjenesten er midlertidigt utilgængelig' : 'Der opstod en fejl';
    return htmlResponse(
      statusCode,
      html`<!doctype html>
<html lang="da">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} – Social inklusion gennem Vækstpartnerskaber</title>
<style>body { font-family: system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; }</style>
</head>
<body><h1>${title}</h1><p role="alert">${message}</p></body>
</html>`,
      headers,
    );
  }
  return json(statusCode, { errors: [{ field: 'server', message }] }, headers);
}

/** A page load or a form post: the browser shows the answer, so it must be a page. */
function fromBrowser(event: APIGatewayProxyEvent): boolean {
  const contentType = (header(event, 'content-type') ?? '').toLowerCase();
  return wantsHtml(event) || contentType.startsWith('application/x-www-form-urlencoded');
}

/** What an operator needs to see which dependency failed how: no stack, nothing from the request. */
function outageSummary(error: unknown): Record<string, unknown> {
  const e = error as {
    name?: unknown;
    message?: unknown;
    code?: unknown;
    $metadata?: { httpStatusCode?: unknown };
  };
  return { name: e?.name, message: e?.message, code: e?.code, httpStatusCode: e?.$metadata?.httpStatusCode };
}

/** By name, so that handlers without a table (the form) need not load the table module to recognise it. */
function isContended(error: unknown): boolean {
  return error instanceof Error && error.name === 'TransactionContended';
}
