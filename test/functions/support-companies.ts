import { type DynamoDBClient, GetItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { AwsClientStub } from 'aws-sdk-client-mock';
import type { CompanyRecord } from '#domain/parties';
import type { JourneyFacts } from '#domain/placement';

/** Company records and journeys as the stores keep them, for handlers that read a company (issue 7, item 4). */

export function companyRecord(overrides: Partial<CompanyRecord> = {}): CompanyRecord {
  return {
    cvr: '12345674',
    name: 'Grøn Café ApS',
    municipality: '621',
    contact: { name: 'Kontakt' },
    socialEconomy: 'registered',
    size: 'small',
    ownedByEmploymentActor: false,
    registeredAt: '2018-09-01T08:00:00.000Z',
    registeredBy: 'kolding-accelerator',
    ...overrides,
  };
}

/** A journey's stored state in cohort 1 (boot camp November 2018, accelerator 2019). */
export function journeyOf(company: CompanyRecord, facts: Partial<JourneyFacts> = {}) {
  return {
    pk: `PARTNERSHIP#${company.municipality}`,
    sk: `JOURNEY#${company.cvr}#${facts.cohortId ?? 'cluster-1-2019'}`,
    kind: 'company-journey',
    cvr: company.cvr,
    cohortId: 'cluster-1-2019',
    municipality: company.municipality,
    stage: 'accelerator',
    legSeq: 4,
    legEndsOn: '2019-09-05',
    decisions: { selected: true, selectedOn: '2018-11-16' },
    eventSeq: 6,
    invitedOn: '2018-09-03',
    invitedAt: '2018-09-03T08:00:00.000Z',
    invitedBy: 'kolding-accelerator',
    ...facts,
  };
}

/**
 * Answers a company's GetItem (`COMPANY#<cvr>`) with its record and the Query of its journeys with `journeys`;
 * set after the handler's other mocks, so that these more specific matches win.
 */
export function mockCompany(
  dynamo: AwsClientStub<DynamoDBClient>,
  company: CompanyRecord,
  journeys: ReturnType<typeof journeyOf>[],
): void {
  dynamo.on(GetItemCommand, { Key: marshall({ pk: `COMPANY#${company.cvr}`, sk: 'PROFILE' }) }).resolves({
    Item: marshall({ pk: `COMPANY#${company.cvr}`, sk: 'PROFILE', kind: 'company', ...company }),
  });
  dynamo
    .on(QueryCommand, {
      ExpressionAttributeValues: marshall({
        ':pk': `PARTNERSHIP#${company.municipality}`,
        ':prefix': `JOURNEY#${company.cvr}#`,
      }),
    })
    .resolves({ Items: journeys.map((j) => marshall(j, { removeUndefinedValues: true })) });
}

/** A CVR number no company is registered under. */
export function mockNoCompany(dynamo: AwsClientStub<DynamoDBClient>, cvr: string): void {
  dynamo.on(GetItemCommand, { Key: marshall({ pk: `COMPANY#${cvr}`, sk: 'PROFILE' }) }).resolves({});
}
