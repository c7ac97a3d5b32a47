import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import type { Caller } from '#domain/access';

/** Signed-in users as the authorizer passes them on (the demo users' names: local/demo-users.ts). */
export const callers = {
  koldingCaseworker: { username: 'kolding-sagsbehandler', role: 'caseworker', municipality: '621' },
  koldingActor: { username: 'kolding-aktoer', role: 'employment-actor', municipality: '621' },
  koldingFinance: { username: 'kolding-oekonomi', role: 'finance', municipality: '621' },
  aalborgCaseworker: { username: 'aalborg-sagsbehandler', role: 'caseworker', municipality: '851' },
  aalborgActor: { username: 'aalborg-aktoer', role: 'employment-actor', municipality: '851' },
  aalborgFinance: { username: 'aalborg-oekonomi', role: 'finance', municipality: '851' },
  programme: { username: 'programleder', role: 'programme' },
  koldingAccelerator: { username: 'kolding-accelerator', role: 'accelerator', municipality: '621' },
  aalborgAccelerator: { username: 'aalborg-accelerator', role: 'accelerator', municipality: '851' },
  /** Contacts of a Kolding and an Aalborg company (valid CVR numbers). */
  koldingCompany: {
    username: 'kolding-virksomhed',
    role: 'company',
    municipality: '621',
    company: '12345674',
  },
  aalborgCompany: {
    username: 'aalborg-virksomhed',
    role: 'company',
    municipality: '851',
    company: '87654303',
  },
} as const satisfies Record<string, Caller>;

/**
 * A REST API proxy event as API Gateway sends it, with only what the handlers read. `caller` is the signed-in
 * user in `requestContext.authorizer`, as the Lambda authorizer's context arrives (strings; '' for no
 * municipality); without it the request has no session.
 */
export function apiEvent(options: {
  method: string;
  path: string;
  resource?: string;
  body?: string;
  headers?: Record<string, string>;
  pathParameters?: Record<string, string>;
  queryStringParameters?: Record<string, string>;
  caller?: Caller;
}): APIGatewayProxyEvent {
  const authorizer = options.caller
    ? {
        principalId: options.caller.username,
        username: options.caller.username,
        role: options.caller.role,
        municipality: options.caller.municipality ?? '',
        company: options.caller.company ?? '',
      }
    : undefined;
  return {
    httpMethod: options.method,
    path: options.path,
    resource: options.resource ?? options.path,
    body: options.body ?? null,
    isBase64Encoded: false,
    headers: options.headers ?? {},
    multiValueHeaders: {},
    pathParameters: options.pathParameters ?? null,
    queryStringParameters: options.queryStringParameters ?? null,
    multiValueQueryStringParameters: null,
    stageVariables: null,
    requestContext: {
      path: `/prod${options.path}`,
      stage: 'prod',
      authorizer,
    } as APIGatewayProxyEvent['requestContext'],
  };
}

export const lambdaContext = {
  awsRequestId: 'test-request',
  functionName: 'test',
  getRemainingTimeInMillis: () => 10_000,
} as unknown as Context;

export const referralId = '6f1c2a9e-3b7d-4c1e-9a2f-0d5e8b7c6a41';

/** A referral body that passes validation; no municipality, so the caseworker's own is used. */
export const validReferralBody = {
  cpr: '010180-1234',
  name: 'Anna Hansen',
  benefit: 'kontanthjaelp',
  rateGroup: '30-plus-without-children',
  readiness: 'aktivitetsparat',
  weeksOnBenefit: 30,
  startDate: '2026-12-01',
};
