import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/** The table's one index: items listed by type (`gsi1pk` = `REFERRAL` or `PAYMENT`, `gsi1sk` = time#id). */
export const BY_TYPE_INDEX = 'byType';

/**
 * What the byType index holds besides its keys: what the listings read from it. A payment is read whole from
 * the index (`listPayments`); a referral is listed by id (and municipality, to scope a list) and then read by
 * key. Never the CPR ciphertext, the citizen key or the citizen's name: the index is read by the finance
 * handlers, which have no business with them.
 */
export const BY_TYPE_ATTRIBUTES = [
  'referralId',
  'municipality',
  // PaymentRecord (functions/shared/pathway-store.ts), every field.
  'paymentId',
  'paymentKey',
  'resultId',
  'outcomeId',
  'outcomeType',
  'rule',
  'payee',
  'amountOere',
  'cappedFromOere',
  'rateCardVersion',
  'dueDate',
  'payeeId',
  'payeeName',
  'createdAt',
  'recordedBy',
  'notifiedAt',
  'notificationMessageId',
  // CompanyPaymentRecord (functions/shared/company-payment-store.ts): what a citizen's payment lacks, in one map
  // (the company's CVR number and name, the cohort, the result's date: business data, never a person's), because an
  // index projects at most 20 attributes.
  'company',
] as const;

/**
 * The lists' index (functions/shared/summary-store.ts): a municipality's pathway summaries by next deadline
 * (`gsi2pk` = `PATHWAYS#<kommunekode>`) and its worklist entries by the day their first task is shown
 * (`TASKS#<kommunekode>`). Only summary items carry its keys.
 */
export const BY_MUNICIPALITY_INDEX = 'byMunicipality';

/** What the lists read from byMunicipality: the summary, never the CPR ciphertext or the citizen key. */
export const BY_MUNICIPALITY_ATTRIBUTES = [
  'referralId',
  'municipality',
  'name',
  'nameSearch',
  'phase',
  'phaseStartedOn',
  'phaseEndsOn',
  'closedReason',
  'nextDeadline',
  'tasks',
  'eventSeq',
] as const;

/** The attribute holding a referral's encrypted CPR number; never projected into an index. */
export const CPR_ATTRIBUTE = 'cprCiphertext';

/** The programme table and the keys that protect what is in it. */
export class ProgrammeData extends Construct {
  readonly table: dynamodb.TableV2;
  /** Encrypts the table, its stream, the topics, the queue and the state machines. */
  readonly dataKey: kms.Key;
  /**
   * Encrypts CPR numbers inside items. A key of its own because every table reader holds `kms:Decrypt` on the
   * data key: with the data key, anyone allowed to read a referral could also decrypt its CPR number.
   */
  readonly cprKey: kms.Key;
  /** HMAC key for the citizen key, so the one-active-pathway lock never stores or reveals a CPR number. */
  readonly citizenHashKey: kms.Key;

  constructor(scope: Construct, id: string) {
    super(scope, id);

    this.dataKey = new kms.Key(this, 'DataKey', {
      description: 'Vaekstpartnerskaber: programme table, stream, topics, queue and state machines',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.cprKey = new kms.Key(this, 'CprKey', {
      description: 'Vaekstpartnerskaber: CPR numbers stored in referrals',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // KMS cannot rotate HMAC keys, and a new key would change every citizen key and so break the lock anyway.
    this.citizenHashKey = new kms.Key(this, 'CitizenHashKey', {
      description: 'Vaekstpartnerskaber: keyed hash of CPR numbers (citizen key)',
      keySpec: kms.KeySpec.HMAC_256,
      keyUsage: kms.KeyUsage.GENERATE_VERIFY_MAC,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.table = new dynamodb.TableV2(this, 'Table', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      globalSecondaryIndexes: [
        {
          indexName: BY_TYPE_INDEX,
          partitionKey: { name: 'gsi1pk', type: dynamodb.AttributeType.STRING },
          sortKey: { name: 'gsi1sk', type: dynamodb.AttributeType.STRING },
          // Not ALL: the index would otherwise copy each referral's CPR ciphertext to every index reader.
          projectionType: dynamodb.ProjectionType.INCLUDE,
          nonKeyAttributes: [...BY_TYPE_ATTRIBUTES],
        },
        {
          indexName: BY_MUNICIPALITY_INDEX,
          partitionKey: { name: 'gsi2pk', type: dynamodb.AttributeType.STRING },
          sortKey: { name: 'gsi2sk', type: dynamodb.AttributeType.STRING },
          projectionType: dynamodb.ProjectionType.INCLUDE,
          nonKeyAttributes: [...BY_MUNICIPALITY_ATTRIBUTES],
        },
      ],
      billing: dynamodb.Billing.onDemand(),
      encryption: dynamodb.TableEncryptionV2.customerManagedKey(this.dataKey),
      timeToLiveAttribute: 'expiresAt',
      dynamoStream: dynamodb.StreamViewType.NEW_IMAGE,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
