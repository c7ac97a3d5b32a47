import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { parseReminderEmails } from '../../lib/reminders.ts';
import { logicalIdOf, resourcesOfType, synthesize } from './support.ts';

describe('parseReminderEmails', () => {
  it('reads addresses per municipality and audience, from an object or a JSON string', () => {
    // Prepare
    const value = {
      '621': {
        'employment-actor': ['aktoer@kolding.dk'],
        caseworker: 'jobcenter@kolding.dk, leder@kolding.dk',
      },
      '851': { caseworker: ['jobcenter@aalborg.dk'] },
    };

    // Act
    const fromObject = parseReminderEmails(value, 'reminderEmails');
    const fromString = parseReminderEmails(JSON.stringify(value), 'reminderEmails');

    // Assess
    expect(fromObject).toEqual([
      { address: 'aktoer@kolding.dk', municipality: '621', audience: 'employment-actor' },
      { address: 'jobcenter@kolding.dk', municipality: '621', audience: 'caseworker' },
      { address: 'leder@kolding.dk', municipality: '621', audience: 'caseworker' },
      { address: 'jobcenter@aalborg.dk', municipality: '851', audience: 'caseworker' },
    ]);
    expect(fromString).toEqual(fromObject);
    expect(parseReminderEmails(undefined, 'reminderEmails')).toEqual([]);
  });

  it.each([
    ['broken JSON', '{"621": ', /reminderEmails.*does not parse/],
    ['a list', ['a@kolding.dk'], /reminderEmails.*must map kommunekoder/],
    ['an unknown municipality', { '999': { caseworker: ['a@x.dk'] } }, /reminderEmails.*"999".*kommunekode/],
    ['a list per municipality', { '621': ['a@kolding.dk'] }, /reminderEmails\.621.*must map audiences/],
    ['an unknown audience', { '621': { finance: ['a@kolding.dk'] } }, /reminderEmails\.621.*"finance"/],
    [
      'a non-address',
      { '621': { caseworker: ['kolding.dk'] } },
      /reminderEmails\.621\.caseworker.*not an e-mail/,
    ],
  ])('rejects %s with a message naming the context key', (_kind, value, message) => {
    // Act / Assess
    expect(() => parseReminderEmails(value, 'reminderEmails')).toThrow(message);
  });
});

describe('ReminderNotifications', () => {
  it('subscribes each address to the encrypted, SSL-only reminder topic, filtered to its municipality and audience', () => {
    // Prepare
    const { stack, template, json } = synthesize({
      reminderEmails: JSON.stringify({
        '621': { 'employment-actor': ['faelles@example.dk'], caseworker: ['jobcenter@kolding.dk'] },
        '851': { 'employment-actor': ['faelles@example.dk'] },
      }),
    });
    const topic = logicalIdOf(stack.reminders.topic);

    // Act
    const subscriptions = resourcesOfType(json, 'AWS::SNS::Subscription')
      .map(([, s]) => s.Properties ?? {})
      .filter((p) => JSON.stringify(p.TopicArn) === JSON.stringify({ Ref: topic }))
      .map((p) => ({ endpoint: p.Endpoint, protocol: p.Protocol, filter: p.FilterPolicy }));

    // Assess: the shared address gets one subscription per municipality, so Kolding's reminders never reach
    // it as Aalborg's employment actor's, nor the other way round.
    expect(subscriptions).toHaveLength(3);
    expect(subscriptions).toEqual(
      expect.arrayContaining([
        {
          endpoint: 'faelles@example.dk',
          protocol: 'email',
          filter: { municipality: ['621'], audience: ['employment-actor'] },
        },
        {
          endpoint: 'jobcenter@kolding.dk',
          protocol: 'email',
          filter: { municipality: ['621'], audience: ['caseworker'] },
        },
        {
          endpoint: 'faelles@example.dk',
          protocol: 'email',
          filter: { municipality: ['851'], audience: ['employment-actor'] },
        },
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
    expect(json.Outputs?.ReminderTopicArn?.Value).toEqual({ Ref: topic });
  });
});
