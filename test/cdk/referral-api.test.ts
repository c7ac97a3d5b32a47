import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type CfnTemplate,
  entries,
  entryOfFunction,
  isRecord,
  resourcesOfType,
  type Synthesized,
  synthesize,
} from './support.ts';

/** `GET /referrals/{id}` → the entry of the proxied function, read from the unresolved template. */
function routes(json: CfnTemplate): Record<string, string | undefined> {
  const pathOf = (resourceId: unknown): string => {
    if (isRecord(resourceId) && 'Fn::GetAtt' in resourceId) return '';
    const id = isRecord(resourceId) ? String(resourceId.Ref) : '';
    const resource = json.Resources[id]?.Properties ?? {};
    return `${pathOf(resource.ParentId)}/${String(resource.PathPart)}`;
  };
  const result: Record<string, string | undefined> = {};
  for (const [, method] of resourcesOfType(json, 'AWS::ApiGateway::Method')) {
    const properties = method.Properties ?? {};
    const functionId = JSON.stringify(properties.Integration).match(/"Fn::GetAtt":\["([^"]+)","Arn"\]/)?.[1];
    result[`${String(properties.HttpMethod)} ${pathOf(properties.ResourceId) || '/'}`] = entryOfFunction(
      json,
      functionId ?? '',
    );
  }
  return result;
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
      'GET /referrals/{id}': entries.getReferral,
      'POST /referrals/{id}/outcomes': entries.recordOutcome,
      'POST /referrals/{id}/placement': entries.recordPlacement,
      'POST /referrals/{id}/confirmations': entries.recordConfirmation,
      'GET /payments': entries.listPayments,
      'GET /business-case': entries.businessCase,
      'GET /statements': entries.statements,
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
          ThrottlingRateLimit: Match.anyValue(),
          ThrottlingBurstLimit: Match.anyValue(),
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
