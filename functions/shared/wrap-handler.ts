import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { errorResponse, HttpError, json } from './http.ts';
import { logger } from './logger.ts';

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
 * API handlers: a user error (HttpError) becomes its 4xx with a message per field; anything else is logged
 * and answered with a 500 that reveals nothing about the request.
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
      logger.error('Request failed', { error });
      return json(500, { errors: [{ field: 'server', message: 'Der opstod en fejl. Prøv igen om lidt.' }] });
    }
  });
}

/** By name, so that handlers without a table (the form) need not load the table module to recognise it. */
function isContended(error: unknown): boolean {
  return error instanceof Error && error.name === 'TransactionContended';
}
