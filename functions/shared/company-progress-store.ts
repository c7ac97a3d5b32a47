import {
  ConditionalCheckFailedException,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { z } from 'zod';
import { type CompanyKpis, type KpiPoint, kpiPoints } from '#domain/company-kpis';
import { type SocialModelChecklist, socialModelChecklistSchema } from '#domain/social-model';
import { dynamodb, requiredEnv } from './aws.ts';
import { partnershipKeys } from './partnership-store.ts';

/**
 * What the accelerator builds with a company in a cohort (issue 7): the social model's checklist, and the
 * company's KPIs at selection, 12 and 18 months. Both live in the partnership's partition beside the journey, so
 * that the partnership's one query can see them; each write is conditional on the version read, so two people
 * editing at once never overwrite each other unseen.
 */
const tableName = requiredEnv('TABLE_NAME');

export const progressKeys = {
  socialModel: (municipality: string, cvr: string, cohortId: string) => ({
    pk: partnershipKeys.partition(municipality),
    sk: `SOCIALMODEL#${cvr}#${cohortId}`,
  }),
  kpi: (municipality: string, cvr: string, cohortId: string, point: KpiPoint) => ({
    pk: partnershipKeys.partition(municipality),
    sk: `KPI#${cvr}#${cohortId}#${point}`,
  }),
};

export interface SocialModelRecord {
  municipality: string;
  cvr: string;
  cohortId: string;
  checklist: SocialModelChecklist;
  version: number;
  /** Set when the accelerator staff verified the implemented model (at 12 months): the result that is paid. */
  verifiedOn?: string;
  verifiedAt?: string;
  verifiedBy?: string;
}

const socialModelItem = z.object({
  municipality: z.string(),
  cvr: z.string(),
  cohortId: z.string(),
  checklist: socialModelChecklistSchema,
  version: z.number().int().positive(),
  verifiedOn: z.string().optional(),
  verifiedAt: z.string().optional(),
  verifiedBy: z.string().optional(),
});

const kpiValues = z.object({
  revenueOere: z.number().int().nonnegative(),
  fullTimeEmployees: z.number().nonnegative(),
  vulnerableEmployed: z.number().int().nonnegative(),
  vulnerableStillEmployed: z.number().int().nonnegative(),
}) satisfies z.ZodType<CompanyKpis>;

export interface KpiRecord extends CompanyKpis {
  municipality: string;
  cvr: string;
  cohortId: string;
  point: KpiPoint;
  version: number;
  reportedAt: string;
  reportedBy: string;
  /** Earlier reports of the same point, oldest first: a correction keeps what it corrected. */
  corrections: (CompanyKpis & { reportedAt: string; reportedBy: string })[];
}

const kpiItem = kpiValues.extend({
  municipality: z.string(),
  cvr: z.string(),
  cohortId: z.string(),
  point: z.enum(kpiPoints),
  version: z.number().int().positive(),
  reportedAt: z.string(),
  reportedBy: z.string(),
  corrections: z.array(kpiValues.extend({ reportedAt: z.string(), reportedBy: z.string() })),
});

const strip = (item: Record<string, unknown>) => {
  const { pk: _pk, sk: _sk, kind: _kind, ...rest } = item;
  return rest;
};

export class ProgressChanged extends Error {
  override name = 'ProgressChanged';
}

export async function loadSocialModel(
  municipality: string,
  cvr: string,
  cohortId: string,
): Promise<SocialModelRecord | undefined> {
  const { Item } = await dynamodb.send(
    new GetItemCommand({
      TableName: tableName,
      Key: marshall(progressKeys.socialModel(municipality, cvr, cohortId)),
      ConsistentRead: true,
    }),
  );
  return Item ? socialModelItem.parse(strip(unmarshall(Item))) : undefined;
}

/** Writes `record` as its version, on condition that the stored one is the version before it. */
async function putVersioned(key: { pk: string; sk: string }, kind: string, record: { version: number }) {
  try {
    await dynamodb.send(
      new PutItemCommand({
        TableName: tableName,
        Item: marshall({ ...key, kind, ...record }, { removeUndefinedValues: true }),
        ...(record.version === 1
          ? { ConditionExpression: 'attribute_not_exists(pk)' }
          : {
              ConditionExpression: 'version = :before',
              ExpressionAttributeValues: marshall({ ':before': record.version - 1 }),
            }),
      }),
    );
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) throw new ProgressChanged(kind);
    throw error;
  }
}

export async function saveSocialModel(record: SocialModelRecord): Promise<void> {
  await putVersioned(
    progressKeys.socialModel(record.municipality, record.cvr, record.cohortId),
    'social-model',
    record,
  );
}

/** A company's KPIs in a cohort, by point. */
export async function loadKpis(
  municipality: string,
  cvr: string,
  cohortId: string,
): Promise<Partial<Record<KpiPoint, KpiRecord>>> {
  const { Items } = await dynamodb.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: marshall({
        ':pk': partnershipKeys.partition(municipality),
        ':prefix': `KPI#${cvr}#${cohortId}#`,
      }),
      ConsistentRead: true,
    }),
  );
  const records = (Items ?? []).map((item) => kpiItem.parse(strip(unmarshall(item))));
  return Object.fromEntries(records.map((record) => [record.point, record]));
}

export async function saveKpi(record: KpiRecord): Promise<void> {
  await putVersioned(
    progressKeys.kpi(record.municipality, record.cvr, record.cohortId, record.point),
    'company-kpi',
    record,
  );
}

const citizenAtCompanyItem = z.object({
  link: z.enum(['placement', 'hire']),
  referralId: z.string(),
  cvr: z.string(),
  on: z.string(),
  outcomeId: z.string().optional(),
  hiredByAcceleratorCompany: z.boolean().optional(),
  movedAt: z.string().optional(),
});
export type CitizenAtCompany = z.output<typeof citizenAtCompanyItem>;

/**
 * The citizens placed in induction in a company and hired by it, as the pathway writes record them (ids and
 * dates only): one query of the partnership's partition.
 */
export async function loadCitizensAtCompany(municipality: string, cvr: string): Promise<CitizenAtCompany[]> {
  const { Items } = await dynamodb.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: marshall({
        ':pk': partnershipKeys.partition(municipality),
        ':prefix': `CITIZENAT#${cvr}#`,
      }),
    }),
  );
  return (Items ?? []).map((item) => citizenAtCompanyItem.parse(strip(unmarshall(item))));
}
