import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { findMunicipality } from '#domain/programme';
import { REMINDER_AUDIENCES, type ReminderAudience } from '#domain/reminders';
import { parseEmailList } from './finance-notifications.ts';

/** An address that receives one municipality's reminders for one audience. */
export interface ReminderRecipient {
  address: string;
  municipality: string;
  audience: ReminderAudience;
}

const example =
  '-c reminderEmails=\'{"621": {"employment-actor": ["aktoer@kolding.dk"], "caseworker": ["jobcenter@kolding.dk"]}}\'';

/**
 * The `reminderEmails` context: an object from kommunekode to an object from audience (`employment-actor`,
 * `caseworker`) to a list of addresses (as `parseEmailList` reads it), in cdk.json or as a JSON string with `-c`.
 * Throws, naming the context key, on an unknown municipality or audience or an address that is not one.
 */
export function parseReminderEmails(value: unknown, contextKey: string): ReminderRecipient[] {
  if (value === undefined || value === null || value === '') return [];
  let parsed = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      throw new Error(`Context "${contextKey}" does not parse as JSON: ${value.trim()}. Use ${example}`);
    }
  }
  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObject(parsed)) {
    throw new Error(`Context "${contextKey}" must map kommunekoder to audiences. Use ${example}`);
  }
  const recipients: ReminderRecipient[] = [];
  for (const [municipality, byAudience] of Object.entries(parsed)) {
    if (!findMunicipality(municipality)) {
      throw new Error(
        `Context "${contextKey}" names ${JSON.stringify(municipality)}, which is not a programme municipality's kommunekode`,
      );
    }
    if (!isObject(byAudience)) {
      throw new Error(
        `Context "${contextKey}.${municipality}" must map audiences to addresses. Use ${example}`,
      );
    }
    for (const [audience, list] of Object.entries(byAudience)) {
      if (!(REMINDER_AUDIENCES as readonly string[]).includes(audience)) {
        throw new Error(
          `Context "${contextKey}.${municipality}" names ${JSON.stringify(audience)}; the audiences are ${REMINDER_AUDIENCES.join(', ')}`,
        );
      }
      for (const address of parseEmailList(list, `${contextKey}.${municipality}.${audience}`)) {
        recipients.push({ address, municipality, audience: audience as ReminderAudience });
      }
    }
  }
  return recipients;
}

export interface ReminderNotificationsProps {
  readonly dataKey: kms.IKey;
  /** Employment actors and caseworkers who receive their municipality's milestone reminders; each confirms. */
  readonly recipients: readonly ReminderRecipient[];
}

/**
 * The topic of the Sustainment workflow's milestone reminders (functions/workflow/send-reminder.ts). Each
 * message carries `municipality` and `audience`; each subscription's filter policy allows exactly one of each,
 * so an employment actor gets only their own municipality's confirmations and a caseworker only its lapses.
 */
export class ReminderNotifications extends Construct {
  readonly topic: sns.Topic;

  constructor(scope: Construct, id: string, props: ReminderNotificationsProps) {
    super(scope, id);
    this.topic = new sns.Topic(this, 'Topic', {
      displayName: 'Vaekstpartnerskaber reminders',
      masterKey: props.dataKey,
      enforceSSL: true,
    });
    for (const { address, municipality, audience } of props.recipients) {
      // One subscription per address, municipality and audience: one filter over two municipalities and two
      // audiences would also let through the pairs nobody asked for. Keyed by all three, so that reordering the
      // context replaces (and re-confirms) nothing.
      new sns.Subscription(this, `${municipality}-${audience}-${address.toLowerCase()}`, {
        topic: this.topic,
        protocol: sns.SubscriptionProtocol.EMAIL,
        endpoint: address,
        filterPolicy: {
          municipality: sns.SubscriptionFilter.stringFilter({ allowlist: [municipality] }),
          audience: sns.SubscriptionFilter.stringFilter({ allowlist: [audience] }),
        },
      });
    }
  }
}
