import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { summarySchema } from '#domain/worklist';
import type { PaymentRecord } from '../../functions/shared/pathway-store.ts';
import { BY_MUNICIPALITY_ATTRIBUTES, BY_TYPE_ATTRIBUTES, CPR_ATTRIBUTE } from '../../lib/programme-data.ts';
import { isRecord, logicalIdOf, onlyResourceOfType, type Synthesized, synthesize } from './support.ts';

/**
 * Every field of a payment, which `listPayments` reads whole from the byType index. Typed so that a field added
 * to PaymentRecord fails the type check here until it is projected (or deliberately left out).
 */
const paymentFields: Record<keyof PaymentRecord, true> = {
  paymentId: true,
  paymentKey: true,
  referralId: true,
  resultId: true,
  outcomeId: true,
  outcomeType: true,
  rule: true,
  payee: true,
  amountOere: true,
  cappedFromOere: true,
  rateCardVersion: true,
  dueDate: true,
  municipality: true,
  payeeId: true,
  payeeName: true,
  createdAt: true,
  recordedBy: true,
  notifiedAt: true,
  notificationMessageId: true,
};

describe('ProgrammeData', () => {
  let synthesized: Synthesized;
  let dataKeyId: string;

  beforeAll(() => {
    // Prepare
    synthesized = synthesize();
    dataKeyId = logicalIdOf(synthesized.stack.data.dataKey);
  });

  it('rotates and retains the symmetric keys', () => {
    // Act
    const { stack, json } = synthesized;
    const symmetricKeys = [stack.data.dataKey, stack.data.cprKey].map(logicalIdOf);

    // Assess
    for (const id of symmetricKeys) {
      expect(json.Resources[id]?.Properties?.EnableKeyRotation, id).toBe(true);
      expect(json.Resources[id]?.DeletionPolicy, id).toBe('Retain');
      expect(json.Resources[id]?.Properties?.KeySpec ?? 'SYMMETRIC_DEFAULT', id).toBe('SYMMETRIC_DEFAULT');
    }
  });

  it('keeps the citizen hash key as a retained HMAC_256 key for GenerateMac', () => {
    // Act
    const id = onlyResourceOfType(
      synthesized.json,
      'AWS::KMS::Key',
      (r) => r.Properties?.KeySpec === 'HMAC_256',
    );

    // Assess
    expect(synthesized.json.Resources[id]?.Properties?.KeyUsage).toBe('GENERATE_VERIFY_MAC');
    expect(synthesized.json.Resources[id]?.DeletionPolicy).toBe('Retain');
  });

  it('builds the table of the contract: keys, GSIs byType and byMunicipality, TTL, NEW_IMAGE stream, on demand', () => {
    // Act / Assess
    synthesized.template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: Match.arrayWith([
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
        { AttributeName: 'gsi1pk', AttributeType: 'S' },
        { AttributeName: 'gsi1sk', AttributeType: 'S' },
      ]),
      GlobalSecondaryIndexes: [
        Match.objectLike({
          IndexName: 'byType',
          KeySchema: [
            { AttributeName: 'gsi1pk', KeyType: 'HASH' },
            { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
          ],
        }),
        // The lists' index: summaries only, never the CPR ciphertext or the citizen key.
        Match.objectLike({
          IndexName: 'byMunicipality',
          KeySchema: [
            { AttributeName: 'gsi2pk', KeyType: 'HASH' },
            { AttributeName: 'gsi2sk', KeyType: 'RANGE' },
          ],
          Projection: {
            ProjectionType: 'INCLUDE',
            NonKeyAttributes: Match.arrayWith(['name', 'phase', 'tasks']),
          },
        }),
      ],
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      StreamSpecification: { StreamViewType: 'NEW_IMAGE' },
      BillingMode: 'PAY_PER_REQUEST',
    });
  });

  it('encrypts the table with the data key, with PITR, deletion protection and RETAIN', () => {
    // Act
    const tableId = onlyResourceOfType(synthesized.json, 'AWS::DynamoDB::GlobalTable');
    const table = synthesized.json.Resources[tableId];

    // Assess
    expect(table?.DeletionPolicy).toBe('Retain');
    expect(table?.UpdateReplacePolicy).toBe('Retain');
    synthesized.template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
      Replicas: [
        Match.objectLike({
          SSESpecification: { KMSMasterKeyId: { 'Fn::GetAtt': [dataKeyId, 'Arn'] } },
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          DeletionProtectionEnabled: true,
        }),
      ],
    });
  });

  it('projects into byType what the listings read, and never the CPR ciphertext or the citizen', () => {
    // Act
    const tableId = onlyResourceOfType(synthesized.json, 'AWS::DynamoDB::GlobalTable');
    const indexes = synthesized.json.Resources[tableId]?.Properties?.GlobalSecondaryIndexes;
    const byType = (Array.isArray(indexes) ? indexes : []).find(
      (index) => isRecord(index) && index.IndexName === 'byType',
    );
    const projection = isRecord(byType) && isRecord(byType.Projection) ? byType.Projection : {};
    const projected = Array.isArray(projection.NonKeyAttributes) ? projection.NonKeyAttributes : [];

    // Assess
    expect(projection.ProjectionType).toBe('INCLUDE');
    expect(projected).not.toContain(CPR_ATTRIBUTE);
    expect(projected).not.toContain('citizenKey');
    expect(projected).not.toContain('name');
    // The referral listing reads ids (and a municipality to scope them); payments are read whole.
    expect(projected).toEqual(
      expect.arrayContaining(['referralId', 'municipality', ...Object.keys(paymentFields)]),
    );
    expect([...projected].sort()).toEqual([...BY_TYPE_ATTRIBUTES].sort());
  });

  it('projects into byMunicipality exactly the summary the lists show, never the CPR ciphertext or the citizen key', () => {
    // Act
    const tableId = onlyResourceOfType(synthesized.json, 'AWS::DynamoDB::GlobalTable');
    const indexes = synthesized.json.Resources[tableId]?.Properties?.GlobalSecondaryIndexes;
    const index = (Array.isArray(indexes) ? indexes : []).find(
      (i) => isRecord(i) && i.IndexName === 'byMunicipality',
    );
    const projection = isRecord(index) && isRecord(index.Projection) ? index.Projection : {};
    const projected = Array.isArray(projection.NonKeyAttributes) ? projection.NonKeyAttributes : [];

    // Assess: every field of the stored summary (summarySchema), and the search field.
    expect(projected).not.toContain(CPR_ATTRIBUTE);
    expect(projected).not.toContain('citizenKey');
    expect([...projected].sort()).toEqual([...BY_MUNICIPALITY_ATTRIBUTES].sort());
    expect([...BY_MUNICIPALITY_ATTRIBUTES].sort()).toEqual(
      [...Object.keys(summarySchema.shape), 'nameSearch'].sort(),
    );
  });
});
