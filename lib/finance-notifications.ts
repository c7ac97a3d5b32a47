import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { findMunicipality } from '#domain/programme';

// Deliberately loose: SNS validates the address when it sends the confirmation; this only catches typos.
const emailPattern = /^[^\s@,;]+@[^\s@,;]+\.[^\s@,;]+$/;

/**
 * Reads a list of e-mail addresses from a CDK context value: a JSON array (cdk.json), a JSON array given as a
 * string, or a comma-separated string (`-c financeEmails=a@x.dk,b@y.dk`). Throws on anything else.
 */
export function parseEmailList(value: unknown, contextKey: string): string[] {
  const example = `-c ${contextKey}=finance@kommune.dk,other@kommune.dk or "${contextKey}": ["finance@kommune.dk"] in cdk.json`;
  if (value === undefined || value === null) return [];
  let items: unknown;
  if (typeof value === 'string') {
    const trimmed = value.trim();
    if (trimmed.startsWith('[')) {
      try {
        items = JSON.parse(trimmed);
      } catch {
        throw new Error(
          `Context "${contextKey}" looks like a JSON array but does not parse: ${trimmed}. Use ${example}`,
        );
      }
    } else {
      items = trimmed.split(',').filter((part) => part.trim() !== '');
    }
  } else {
    items = value;
  }
  if (!Array.isArray(items)) {
    throw new Error(`Context "${contextKey}" must be a list of e-mail addresses. Use ${example}`);
  }
  const addresses: string[] = [];
  for (const item of items) {
    if (typeof item !== 'string' || !emailPattern.test(item.trim())) {
      throw new Error(
        `Context "${contextKey}" holds ${JSON.stringify(item)}, which is not an e-mail address. Use ${example}`,
      );
    }
    const address = item.trim();
    if (!addresses.some((known) => known.toLowerCase() === address.toLowerCase())) addresses.push(address);
  }
  return addresses;
}

/** A finance address and the municipalities whose payments it receives (none listed: every municipality's). */
export interface FinanceRecipient {
  address: string;
  municipalities?: string[];
}

/**
 * The `financeEmails` context: a list (as `parseEmailList` reads it) of addresses that receive every
 * municipality's payments — the programme's own finance — or an object from kommunekode to such a list, so that
 * each municipality's finance staff receive only their own municipality's payments, as the role matrix lets
 * them read only their own (`-c financeEmails='{"621": ["oekonomi@kolding.dk"]}'`).
 */
export function parseFinanceEmails(value: unknown, contextKey: string): FinanceRecipient[] {
  let parsed = value;
  if (typeof value === 'string' && value.trim().startsWith('{')) {
    try {
      parsed = JSON.parse(value);
    } catch {
      throw new Error(`Context "${contextKey}" looks like a JSON object but does not parse: ${value.trim()}`);
    }
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return parseEmailList(parsed, contextKey).map((address) => ({ address }));
  }
  const byAddress = new Map<string, FinanceRecipient>();
  for (const [code, list] of Object.entries(parsed)) {
    if (!findMunicipality(code)) {
      throw new Error(
        `Context "${contextKey}" names ${JSON.stringify(code)}, which is not a programme municipality's kommunekode`,
      );
    }
    for (const address of parseEmailList(list, `${contextKey}.${code}`)) {
      const known = byAddress.get(address.toLowerCase()) ?? { address, municipalities: [] };
      known.municipalities?.push(code);
      byAddress.set(address.toLowerCase(), known);
    }
  }
  return [...byAddress.values()];
}

export interface FinanceNotificationsProps {
  readonly dataKey: kms.IKey;
  /** Finance staff who receive a message per payment due; each must confirm the subscription. */
  readonly financeEmails: readonly FinanceRecipient[];
}

/** The topic that tells municipal finance staff a results-based payment is due. */
export class FinanceNotifications extends Construct {
  readonly topic: sns.Topic;

  constructor(scope: Construct, id: string, props: FinanceNotificationsProps) {
    super(scope, id);
    for (const { address } of props.financeEmails) {
      if (!emailPattern.test(address)) {
        throw new Error(`FinanceNotifications: ${JSON.stringify(address)} is not an e-mail address`);
      }
    }

    this.topic = new sns.Topic(this, 'Topic', {
      displayName: 'Vaekstpartnerskaber payments',
      masterKey: props.dataKey,
      enforceSSL: true,
    });
    for (const { address, municipalities } of props.financeEmails) {
      // Keyed by address so that reordering the list does not replace (and re-confirm) subscriptions. The
      // filter reads the `municipality` attribute every payment message carries (notify-finance).
      this.topic.addSubscription(
        new subscriptions.EmailSubscription(address, {
          json: false,
          ...(municipalities
            ? {
                filterPolicy: {
                  municipality: sns.SubscriptionFilter.stringFilter({ allowlist: municipalities }),
                },
              }
            : {}),
        }),
      );
    }
  }
}
