import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type CfnResource,
  type CfnTemplate,
  entries,
  entryOfFunction,
  isRecord,
  resourcesOfType,
  type Synthesized,
  synthesize,
} from './support.ts';

/** `GET /referrals/{id}` for a method resource. */
function routeOf(json: CfnTemplate, method: CfnResource): string {
  const pathOf = (resourceId: unknown): string => {
    if (isRecord(resourceId) && 'Fn::GetAtt' in resourceId) return '';
    const id = isRecord(resourceId) ? String(resourceId.Ref) : '';
    const resource = json.Resources[id]?.Properties ?? {};
    return `${pathOf(resource.ParentId)}/${String(resource.PathPart)}`;
  };
  const properties = method.Properties ?? {};
  return `${String(properties.HttpMethod)} ${pathOf(properties.ResourceId) || '/'}`;
}

/** The logical id of the function an `Fn::GetAtt … Arn` inside `expression` names. */
function functionIdIn(expression: unknown): string {
  return JSON.stringify(expression).match(/"Fn::GetAtt":\["([^"]+)","Arn"\]/)?.[1] ?? '';
}

/** `GET /referrals/{id}` → the entry of the proxied function, read from the unresolved template. */
function routes(json: CfnTemplate): Record<string, string | undefined> {
  return Object.fromEntries(
    resourcesOfType(json, 'AWS::ApiGateway::Method').map(([, method]) => [
      routeOf(json, method),
      entryOfFunction(json, functionIdIn(method.Properties?.Integration)),
    ]),
  );
}

describe('ReferralApi', () => {
  let synthesized: Synthesized;

  beforeAll(() => {
    // Prepare
    synthesized = synthesize();
  });

  it('routes each method to its handler', () => {
    // Act
    const actual = routes(synthesized.json);

    // Assess
    expect(actual).toEqual({
      'GET /': entries.referralForm,
      'POST /referrals': entries.createReferral,
      'GET /referrals': entries.listPathways,
      'GET /referrals/new': entries.referralForm,
      'GET /tasks': entries.worklist,
      'GET /dashboard': entries.dashboard,
      'GET /referrals/{id}': entries.getReferral,
      'POST /referrals/{id}/outcomes': entries.recordOutcome,
      'POST /referrals/{id}/placement': entries.recordPlacement,
      'POST /referrals/{id}/confirmations': entries.recordConfirmation,
      'GET /payments': entries.listPayments,
      'GET /business-case': entries.businessCase,
      'GET /business-case/what-if': entries.whatIf,
      'GET /statements': entries.statements,
      'GET /referrals/{id}/access-log': entries.getAccessLog,
      'GET /health': 'functions/api/health.ts',
      'GET /login': entries.login,
      'POST /login': entries.login,
      'POST /logout': entries.logout,
      'GET /partnership': entries.getPartnership,
      'POST /partnership/employment-actor': entries.saveEmploymentActor,
      'POST /partnership/plan': entries.savePartnerPlan,
      'POST /companies': entries.registerCompany,
      'GET /companies/{cvr}': entries.getCompany,
      'POST /companies/{cvr}/social-model': entries.updateSocialModel,
      'POST /companies/{cvr}/kpis': entries.reportKpis,
      'GET /cohorts/{cohortId}': entries.getCohort,
      'POST /cohorts/{cohortId}/companies': entries.inviteCompany,
      'POST /companies/{cvr}/journey/selection': entries.recordSelection,
      'POST /companies/{cvr}/journey/withdrawal': entries.recordWithdrawal,
      'POST /companies/{cvr}/journey/attendance': entries.recordAttendance,
      'POST /companies/{cvr}/social-model/verification': entries.verifySocialModel,
      'GET /accelerator/tasks': entries.companyTasks,
    });
  });

  it('puts the session authorizer on every method but the login page, its POST and sign-out', () => {
    // Prepare
    const { json } = synthesized;
    const [authorizerId, authorizer] = resourcesOfType(json, 'AWS::ApiGateway::Authorizer')[0] ?? [];
    const methods = resourcesOfType(json, 'AWS::ApiGateway::Method');

    // Act
    const open = methods
      .filter(([, m]) => m.Properties?.AuthorizationType !== 'CUSTOM')
      .map(([, m]) => routeOf(json, m));
    const guarded = methods.filter(([, m]) => m.Properties?.AuthorizationType === 'CUSTOM');

    // Assess
    expect(open.sort()).toEqual(['GET /login', 'POST /login', 'POST /logout']);
    for (const [, method] of methods.filter(([, m]) => m.Properties?.AuthorizationType !== 'CUSTOM')) {
      expect(method.Properties?.AuthorizationType).toBe('NONE');
      expect(method.Properties?.AuthorizerId).toBeUndefined();
    }
    expect(guarded.length).toBeGreaterThan(0);
    for (const [id, method] of guarded) {
      expect(method.Properties?.AuthorizerId, `${id} ${routeOf(json, method)}`).toEqual({
        Ref: authorizerId,
      });
    }
    expect(entryOfFunction(json, functionIdIn(authorizer?.Properties?.AuthorizerUri))).toBe(
      entries.authorizer,
    );
  });

  it('asks the authorizer on every request: REQUEST type, no identity source, no cache', () => {
    // Act
    const [, authorizer] = resourcesOfType(synthesized.json, 'AWS::ApiGateway::Authorizer')[0] ?? [];

    // Assess: the token may be in a cookie or a header, and a cached Allow would outlive a revoked session.
    expect(authorizer?.Properties).toMatchObject({ Type: 'REQUEST', AuthorizerResultTtlInSeconds: 0 });
    expect(authorizer?.Properties?.IdentitySource).toBeUndefined();
  });

  it('answers a missing session with 401 and a refused request with 403, JSON or a Danish page', () => {
    // Prepare
    const responses = Object.fromEntries(
      resourcesOfType(synthesized.json, 'AWS::ApiGateway::GatewayResponse').map(([, r]) => [
        r.Properties?.ResponseType,
        r.Properties ?? {},
      ]),
    );

    // Act
    const unauthorized = responses.UNAUTHORIZED;
    const denied = responses.ACCESS_DENIED;

    // Assess
    expect(unauthorized?.StatusCode).toBe('401');
    expect(denied?.StatusCode).toBe('403');
    const templates = (r: Record<string, unknown> | undefined) =>
      (isRecord(r?.ResponseTemplates) ? r.ResponseTemplates : {}) as Record<string, string>;
    expect(JSON.parse(templates(unauthorized)['application/json'] ?? '')).toEqual({
      errors: [{ field: 'session', message: 'Du er ikke logget ind. Log ind og prøv igen.' }],
    });
    expect(JSON.parse(templates(denied)['application/json'] ?? '')).toEqual({
      errors: [{ field: 'session', message: 'Adgang nægtet.' }],
    });
    const page = templates(unauthorized)['text/html'] ?? '';
    expect(page).toContain('<html lang="da">');
    expect(page).toContain('<meta http-equiv="refresh" content="0;url=$stageVariables.loginPath">');
    expect(page).toContain('<a href="$stageVariables.loginPath">');
    expect(templates(denied)['text/html']).toContain('<html lang="da">');
    for (const response of [unauthorized, denied]) {
      expect(response?.ResponseParameters).toMatchObject({
        'gatewayresponse.header.Cache-Control': "'no-store'",
        'gatewayresponse.header.X-Content-Type-Options': "'nosniff'",
      });
    }
  });

  it("gives every answer API Gateway makes itself the handlers' headers, HSTS and X-Frame-Options included", () => {
    // Prepare
    const responses = Object.fromEntries(
      resourcesOfType(synthesized.json, 'AWS::ApiGateway::GatewayResponse').map(([, r]) => [
        r.Properties?.ResponseType,
        r.Properties ?? {},
      ]),
    );

    // Act
    const types = Object.keys(responses).sort();

    // Assess
    expect(types).toEqual([
      'ACCESS_DENIED',
      'DEFAULT_4XX',
      'DEFAULT_5XX',
      'MISSING_AUTHENTICATION_TOKEN',
      'REQUEST_TOO_LARGE',
      'THROTTLED',
      'UNAUTHORIZED',
    ]);
    for (const type of types) {
      expect(responses[type]?.ResponseParameters, type).toMatchObject({
        'gatewayresponse.header.Strict-Transport-Security': "'max-age=31536000; includeSubDomains'",
        'gatewayresponse.header.X-Frame-Options': "'DENY'",
        'gatewayresponse.header.Cache-Control': "'no-store'",
        'gatewayresponse.header.X-Content-Type-Options': "'nosniff'",
      });
    }
    // API Gateway's own status codes, but an unknown route is a 404; API Gateway's message kept beside a Danish
    // message per field, as the handlers answer.
    expect(responses.DEFAULT_4XX?.StatusCode).toBeUndefined();
    expect(responses.DEFAULT_5XX?.StatusCode).toBeUndefined();
    expect(responses.MISSING_AUTHENTICATION_TOKEN?.StatusCode).toBe('404');
    expect(responses.REQUEST_TOO_LARGE?.ResponseTemplates).toEqual({
      'application/json':
        '{"message":$context.error.messageString,"errors":[{"field":"request","message":"Indholdet er for stort."}]}',
    });
  });

  it('points loginPath at the login page on the stage', () => {
    // Act / Assess
    synthesized.template.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'prod',
      Variables: { loginPath: '/prod/login' },
    });
  });

  it('uses Lambda proxy integrations', () => {
    // Act / Assess
    for (const [id, method] of resourcesOfType(synthesized.json, 'AWS::ApiGateway::Method')) {
      expect(method.Properties?.Integration, id).toMatchObject({
        Type: 'AWS_PROXY',
        IntegrationHttpMethod: 'POST',
      });
    }
  });

  it('logs access and INFO but never request or response bodies, with tracing and throttling', () => {
    // Act / Assess
    synthesized.template.hasResourceProperties('AWS::ApiGateway::Stage', {
      TracingEnabled: true,
      AccessLogSetting: {
        DestinationArn: Match.anyValue(),
        Format: Match.stringLikeRegexp('\\$context.requestId'),
      },
      MethodSettings: [
        Match.objectLike({
          HttpMethod: '*',
          ResourcePath: '/*',
          LoggingLevel: 'INFO',
          DataTraceEnabled: false,
          ThrottlingRateLimit: 20,
          ThrottlingBurstLimit: 40,
        }),
      ],
    });
  });

  it('exports the API URL', () => {
    // Act
    const output = synthesized.json.Outputs?.ApiUrl;

    // Assess
    expect(JSON.stringify(output?.Value)).toContain('.execute-api.');
  });
});
