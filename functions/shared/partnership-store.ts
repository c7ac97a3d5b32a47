import {
  type AttributeValue,
  ConditionalCheckFailedException,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { z } from 'zod';
import type { CompanyRecord, EmploymentActorRecord, PartnerPlanVersion } from '#domain/parties';
import { companySizes, socialEconomyStatuses } from '#domain/parties';
import { dynamodb, requiredEnv } from './aws.ts';

/**
 * The partnership's records (issue 7), by municipality: one partition per partnership holds its employment actor,
 * the partner plan's versions and its companies, so that the partnership page is one query. A company is also
 * found by its CVR number (`COMPANY#<cvr>`), which is what keeps one CVR in one partnership.
 *
 * Items are read back through zod schemas: what comes out of the table is checked, not cast.
 */
const tableName = requiredEnv('TABLE_NAME');

export const partnershipKeys = {
  partition: (municipality: string) => `PARTNERSHIP#${municipality}`,
  actor: (municipality: string) => ({ pk: `PARTNERSHIP#${municipality}`, sk: 'ACTOR' }),
  plan: (municipality: string, version: number) => ({
    pk: `PARTNERSHIP#${municipality}`,
    sk: `PLAN#${String(version).padStart(6, '0')}`,
  }),
  companyInPartnership: (municipality: string, cvr: string) => ({
    pk: `PARTNERSHIP#${municipality}`,
    sk: `COMPANY#${cvr}`,
  }),
  company: (cvr: string) => ({ pk: `COMPANY#${cvr}`, sk: 'PROFILE' }),
};

const contactSchema = z.object({
  name: z.string(),
  email: z.string().optional(),
  phone: z.string().optional(),
});

export const companyItem = z.object({
  cvr: z.string().regex(/^\d{8}$/),
  name: z.string(),
  municipality: z.string(),
  contact: contactSchema,
  socialEconomy: z.enum(socialEconomyStatuses),
  size: z.enum(companySizes),
  ownedByEmploymentActor: z.boolean(),
  registeredAt: z.string(),
  registeredBy: z.string(),
}) satisfies z.ZodType<CompanyRecord>;

const actorItem = z.object({
  municipality: z.string(),
  name: z.string(),
  cvr: z.string(),
  contact: contactSchema,
  version: z.number().int().positive(),
  changedAt: z.string(),
  changedBy: z.string(),
}) satisfies z.ZodType<EmploymentActorRecord>;

const planItem = z.object({
  municipality: z.string(),
  version: z.number().int().positive(),
  needs: z.array(z.object({ partner: z.string(), needs: z.string() })),
  roles: z.array(z.object({ partner: z.string(), role: z.string() })),
  contacts: z.array(contactSchema.extend({ partner: z.string() })),
  reviewDates: z.array(z.string()),
  note: z.string(),
  changedAt: z.string(),
  changedBy: z.string(),
}) satisfies z.ZodType<PartnerPlanVersion>;

/** Everything kept in one partnership's partition, except what other stores keep there (journeys). */
export interface PartnershipRecords {
  actor?: EmploymentActorRecord;
  /** Oldest first. */
  planVersions: PartnerPlanVersion[];
  companies: CompanyRecord[];
}

const strip = (item: Record<string, unknown>) => {
  const { pk: _pk, sk: _sk, kind: _kind, ...rest } = item;
  return rest;
};

/** The partnership's actor, plan versions and companies, in one paginated query of its partition. */
export async function loadPartnership(municipality: string): Promise<PartnershipRecords> {
  const records: PartnershipRecords = { planVersions: [], companies: [] };
  let startKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await dynamodb.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: marshall({ ':pk': partnershipKeys.partition(municipality) }),
        ExclusiveStartKey: startKey,
      }),
    );
    for (const raw of page.Items ?? []) {
      const item = unmarshall(raw);
      const sk = String(item.sk);
      if (sk === 'ACTOR') records.actor = actorItem.parse(strip(item));
      else if (sk.startsWith('PLAN#')) records.planVersions.push(planItem.parse(strip(item)));
      else if (sk.startsWith('COMPANY#')) records.companies.push(companyItem.parse(strip(item)));
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  records.planVersions.sort((a, b) => a.version - b.version);
  records.companies.sort((a, b) => a.name.localeCompare(b.name, 'da'));
  return records;
}

/** The municipality's employment actor as it named itself, or undefined while it has not. */
export async function loadEmploymentActor(municipality: string): Promise<EmploymentActorRecord | undefined> {
  const { Item } = await dynamodb.send(
    new GetItemCommand({ TableName: tableName, Key: marshall(partnershipKeys.actor(municipality)) }),
  );
  return Item ? actorItem.parse(strip(unmarshall(Item))) : undefined;
}

/** A company by its CVR number, in whichever partnership it belongs to. */
export async function loadCompany(cvr: string): Promise<CompanyRecord | undefined> {
  const { Item } = await dynamodb.send(
    new GetItemCommand({
      TableName: tableName,
      Key: marshall(partnershipKeys.company(cvr)),
      ConsistentRead: true,
    }),
  );
  return Item ? companyItem.parse(strip(unmarshall(Item))) : undefined;
}

export type RegisterResult =
  | { status: 'created'; company: CompanyRecord }
  | { status: 'exists'; company: CompanyRecord };

/**
 * Registers a company in its municipality's partnership: the profile under its CVR number and its entry in the
 * partnership, in one transaction conditional on the CVR number being new. When it is not, the stored company
 * is returned (`exists`): the handler decides whether that is a repeat of the same request or a conflict.
 */
export async function registerCompany(company: CompanyRecord): Promise<RegisterResult> {
  const item = { ...company, kind: 'company' };
  try {
    await dynamodb.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          {
            Put: {
              TableName: tableName,
              Item: marshall(
                { ...partnershipKeys.company(company.cvr), ...item },
                { removeUndefinedValues: true },
              ),
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Put: {
              TableName: tableName,
              Item: marshall(
                { ...partnershipKeys.companyInPartnership(company.municipality, company.cvr), ...item },
                { removeUndefinedValues: true },
              ),
            },
          },
        ],
      }),
    );
    return { status: 'created', company };
  } catch (error) {
    if (!(error instanceof TransactionCanceledException)) throw error;
    const existing = await loadCompany(company.cvr);
    // Cancelled for another reason (a conflict with a concurrent write) and not there yet: let it surface.
    if (!existing) throw error;
    return { status: 'exists', company: existing };
  }
}

export class VersionConflict extends Error {
  override name = 'VersionConflict';
}

/**
 * Writes the employment actor's record as version `record.version`, on condition that the stored one is the
 * version before it (none for version 1): two people editing at once cannot overwrite each other unseen.
 */
export async function saveEmploymentActor(record: EmploymentActorRecord): Promise<void> {
  const key = partnershipKeys.actor(record.municipality);
  try {
    await dynamodb.send(
      new PutItemCommand({
        TableName: tableName,
        Item: marshall({ ...key, kind: 'employment-actor', ...record }, { removeUndefinedValues: true }),
        ...(record.version === 1
          ? { ConditionExpression: 'attribute_not_exists(pk)' }
          : {
              ConditionExpression: 'version = :before',
              ExpressionAttributeValues: marshall({ ':before': record.version - 1 }),
            }),
      }),
    );
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) throw new VersionConflict('employment actor');
    throw error;
  }
}

/** Adds a version of the partner plan: a version number is written once, so a stale edit is refused. */
export async function addPlanVersion(plan: PartnerPlanVersion): Promise<void> {
  try {
    await dynamodb.send(
      new PutItemCommand({
        TableName: tableName,
        Item: marshall(
          { ...partnershipKeys.plan(plan.municipality, plan.version), kind: 'partner-plan', ...plan },
          { removeUndefinedValues: true },
        ),
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) throw new VersionConflict('partner plan');
    throw error;
  }
}
