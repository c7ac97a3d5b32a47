import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { parseEmailList } from '../../lib/finance-notifications.ts';
import { logicalIdOf, resourcesOfType, synthesize } from './support.ts';

describe('parseEmailList', () => {
  it.each([
    ['a JSON array', ['a@kommune.dk', 'b@kommune.dk']],
    ['a JSON array in a string', '["a@kommune.dk", "b@kommune.dk"]'],
    ['a comma-separated string', ' a@kommune.dk, b@kommune.dk ,'],
  ])('reads %s', (_kind, value) => {
    // Act
    const addresses = parseEmailList(value, 'financeEmails');

    // Assess
    expect(addresses).toEqual(['a@kommune.dk', 'b@kommune.dk']);
  });

  it('reads nothing as no addresses and drops duplicates', () => {
    // Act / Assess
    expect(parseEmailList(undefined, 'financeEmails')).toEqual([]);
    expect(parseEmailList('', 'financeEmails')).toEqual([]);
    expect(parseEmailList(['a@kommune.dk', 'A@Kommune.dk'], 'financeEmails')).toEqual(['a@kommune.dk']);
  });

  it.each([
    ['a non-address', 'finance.kommune.dk', /financeEmails.*"finance\.kommune\.dk".*not an e-mail address/],
    ['broken JSON', '["a@kommune.dk"', /financeEmails.*does not parse/],
    ['an object', { to: 'a@kommune.dk' }, /financeEmails.*must be a list/],
    ['a number in the list', [42], /financeEmails.*42.*not an e-mail address/],
  ])('rejects %s with a message naming the context key', (_kind, value, message) => {
    // Act / Assess
    expect(() => parseEmailList(value, 'financeEmails')).toThrow(message);
  });
});

describe('FinanceNotifications', () => {
  it('subscribes each address from context to the encrypted, SSL-only finance topic', () => {
    // Prepare
    const { stack, template, json } = synthesize({ financeEmails: 'a@kommune.dk,b@kommune.dk' });
    const topic = logicalIdOf(stack.finance.topic);

    // Act
    const subscriptions = resourcesOfType(json, 'AWS::SNS::Subscription').map(([, s]) => s.Properties);

    // Assess
    expect(subscriptions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Protocol: 'email', Endpoint: 'a@kommune.dk', TopicArn: { Ref: topic } }),
        expect.objectContaining({ Protocol: 'email', Endpoint: 'b@kommune.dk', TopicArn: { Ref: topic } }),
      ]),
    );
    expect(json.Resources[topic]?.Properties?.KmsMasterKeyId).toEqual({
      'Fn::GetAtt': [logicalIdOf(stack.data.dataKey), 'Arn'],
    });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: topic }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('sends each municipality’s finance staff only that municipality’s payments', () => {
    // Prepare
    const { json } = synthesize({
      financeEmails: JSON.stringify({
        '621': ['oekonomi@kolding.dk', 'faelles@example.dk'],
        '851': ['oekonomi@aalborg.dk', 'faelles@example.dk'],
      }),
    });

    // Act
    const policyOf = (address: string) =>
      resourcesOfType(json, 'AWS::SNS::Subscription').find(([, s]) => s.Properties?.Endpoint === address)?.[1]
        .Properties?.FilterPolicy;

    // Assess
    expect(policyOf('oekonomi@kolding.dk')).toEqual({ municipality: ['621'] });
    expect(policyOf('oekonomi@aalborg.dk')).toEqual({ municipality: ['851'] });
    expect(policyOf('faelles@example.dk')).toEqual({ municipality: ['621', '851'] });
  });

  it('refuses a kommunekode that is not in the programme', () => {
    expect(() => synthesize({ financeEmails: { '999': ['a@kommune.dk'] } })).toThrow(
      /Context "financeEmails" names "999", which is not a programme municipality's kommunekode/,
    );
  });

  it('fails the synth with a clear message for a bad address', () => {
    // Act / Assess
    expect(() => synthesize({ financeEmails: ['finance@kommune.dk', 'not-an-email'] })).toThrow(
      /Context "financeEmails" holds "not-an-email", which is not an e-mail address/,
    );
  });
});
