import type { APIGatewayProxyEvent } from 'aws-lambda';
import { z } from 'zod';
import { type Action, type Caller, needsMunicipality, roles, scopeOf } from '#domain/access';
import { HttpError } from './http.ts';

/**
 * The signed-in user as the authorizer passed it on: API Gateway copies the authorizer's `context` into
 * `requestContext.authorizer` (string values only). Nothing here is taken from the request itself.
 */
const authorizerContext = z.object({
  principalId: z.string().min(1),
  username: z.string().min(1),
  role: z.enum(roles),
  municipality: z.string().optional().default(''),
  company: z.string().optional().default(''),
});

/** The caller, or undefined when the request carries no authorizer context (a public route). */
export function callerOf(event: APIGatewayProxyEvent): Caller | undefined {
  const parsed = authorizerContext.safeParse(event.requestContext?.authorizer ?? undefined);
  if (!parsed.success) return undefined;
  const { username, role, municipality, company } = parsed.data;
  if (!needsMunicipality(role)) return { username, role };
  return role === 'company' ? { username, role, municipality, company } : { username, role, municipality };
}

export const notSignedIn = () =>
  new HttpError(401, [{ field: 'session', message: 'Du er ikke logget ind. Log ind og prøv igen.' }]);

export const forbidden = () =>
  new HttpError(403, [{ field: 'role', message: 'Din rolle giver ikke adgang til denne handling.' }]);

/**
 * The caller, when the role matrix lets it take `action` at all (403 otherwise). Whether the data in question
 * belongs to the caller's municipality is the handler's next check (`mayAccess`, 404 when not).
 */
export function authorize(event: APIGatewayProxyEvent, action: Action): Caller {
  const caller = callerOf(event);
  if (!caller) throw notSignedIn();
  if (!scopeOf(caller.role, action)) throw forbidden();
  if (needsMunicipality(caller.role) && !caller.municipality) throw forbidden();
  if (caller.role === 'company' && !caller.company) throw forbidden();
  return caller;
}
