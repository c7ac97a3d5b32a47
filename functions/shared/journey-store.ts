import {
  type AttributeValue,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { z } from 'zod';
import { type CompanyStage, companyStages } from '#domain/accelerator';
import type { JourneyEvent, JourneyState } from '#domain/company-journey';
import type { CompanyRecord } from '#domain/parties';
import { dynamodb, requiredEnv } from './aws.ts';
import { companyItem, loadCompany, partnershipKeys } from './partnership-store.ts';

/**
 * The companies' journeys (issue 7; the rules are domain/company-journey.ts). A journey's state lives in its
 * municipality's partnership partition (`JOURNEY#<cvr>#<cohortId>`), so that one query of the partnership sees
 * every company's stage; its events and failures live in the journey's own partition. Events are `JEVENT#`, not
 * `EVENT#`: that prefix feeds the pathway dispatcher and projector; `JEVENT#` feeds the company dispatcher
 * (functions/events/dispatch-company-events.ts). Every change is one transaction of the state (conditional on its
 * `eventSeq`) and its events, so nothing is half-written. Items are read back through zod schemas.
 */
const tableName = requiredEnv('TABLE_NAME');

const pad = (seq: number) => String(seq).padStart(6, '0');

export const journeyKeys = {
  state: (municipality: string, cvr: string, cohortId: string) => ({
    pk: partnershipKeys.partition(municipality),
    sk: `JOURNEY#${cvr}#${cohortId}`,
  }),
  partition: (cvr: string, cohortId: string) => `JOURNEY#${cvr}#${cohortId}`,
  event: (cvr: string, cohortId: string, seq: number) => ({
    pk: `JOURNEY#${cvr}#${cohortId}`,
    sk: `JEVENT#${pad(seq)}`,
  }),
  failure: (cvr: string, cohortId: string, at: string, executionName: string) => ({
    pk: `JOURNEY#${cvr}#${cohortId}`,
    sk: `JFAILURE#${at}#${executionName}`,
  }),
};

const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const journeyStateItem = z.object({
  cvr: z.string(),
  cohortId: z.string(),
  municipality: z.string(),
  stage: z.enum(companyStages),
  legSeq: z.number().int().positive(),
  legEndsOn: isoDay.nullable(),
  // Stored only when not empty (see `writeJourney`).
  decisions: z
    .object({
      selected: z.boolean().optional(),
      selectedOn: isoDay.optional(),
      withdrawnOn: isoDay.optional(),
      withdrawalReason: z.string().optional(),
    })
    .default({}),
  attendance: z.record(z.string(), z.boolean()).default({}),
  eventSeq: z.number().int().nonnegative(),
  invitedOn: isoDay,
  invitedAt: z.string(),
  invitedBy: z.string(),
}) satisfies z.ZodType<JourneyState>;

const eventBase = {
  cvr: z.string(),
  cohortId: z.string(),
  municipality: z.string(),
  seq: z.number().int().positive(),
  at: z.string(),
  by: z.string(),
};

export const journeyEventItem = z.union([
  z.object({
    ...eventBase,
    kind: z.literal('stage-started'),
    stage: z.enum(companyStages),
    legSeq: z.number().int().positive(),
    startedOn: isoDay,
    legEndsOn: isoDay.nullable(),
    legEndsAt: z.string().optional(),
    trigger: z.enum(['invitation', 'timer', 'decision']),
  }),
  z.object({ ...eventBase, kind: z.literal('selection-decided'), selected: z.boolean(), on: isoDay }),
  z.object({ ...eventBase, kind: z.literal('attendance-recorded'), campDate: isoDay, present: z.boolean() }),
  z.object({ ...eventBase, kind: z.literal('withdrawn'), on: isoDay, reason: z.string() }),
]) satisfies z.ZodType<JourneyEvent>;

export interface JourneyFailure {
  cvr: string;
  cohortId: string;
  at: string;
  executionName: string;
  error: string;
  message: string;
}

const journeyFailureItem = z.object({
  cvr: z.string(),
  cohortId: z.string(),
  at: z.string(),
  executionName: z.string(),
  error: z.string(),
  message: z.string(),
}) satisfies z.ZodType<JourneyFailure>;

const strip = (item: Record<string, unknown>) => {
  const { pk: _pk, sk: _sk, kind: _kind, ...rest } = item;
  return rest;
};
/** Events keep their `kind` (it is the event's own); only the keys go. */
const stripKeys = (item: Record<string, unknown>) => {
  const { pk: _pk, sk: _sk, ...rest } = item;
  return rest;
};

const toItem = (value: object): Record<string, AttributeValue> =>
  marshall(value, { removeUndefinedValues: true });

async function queryAll(pk: string, skPrefix: string, consistent = true): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await dynamodb.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: marshall({ ':pk': pk, ':prefix': skPrefix }),
        ConsistentRead: consistent,
        ExclusiveStartKey: startKey,
      }),
    );
    items.push(...(page.Items ?? []).map((item) => unmarshall(item)));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

/** A company's journey in one cohort, or undefined when it was never invited. */
export async function loadJourney(
  municipality: string,
  cvr: string,
  cohortId: string,
): Promise<JourneyState | undefined> {
  const { Item } = await dynamodb.send(
    new GetItemCommand({
      TableName: tableName,
      Key: toItem(journeyKeys.state(municipality, cvr, cohortId)),
      ConsistentRead: true,
    }),
  );
  return Item ? journeyStateItem.parse(strip(unmarshall(Item))) : undefined;
}

/** A journey's events, oldest first. */
export async function loadJourneyEvents(cvr: string, cohortId: string): Promise<JourneyEvent[]> {
  const items = await queryAll(journeyKeys.partition(cvr, cohortId), 'JEVENT#');
  return items.map((item) => journeyEventItem.parse(stripKeys(item)));
}

/** A journey's recorded workflow failures, oldest first. */
export async function loadJourneyFailures(cvr: string, cohortId: string): Promise<JourneyFailure[]> {
  const items = await queryAll(journeyKeys.partition(cvr, cohortId), 'JFAILURE#');
  return items.map((item) => journeyFailureItem.parse(strip(item)));
}

/** Every journey of a municipality's companies, in every cohort: one query of the partnership's partition. */
export async function loadMunicipalityJourneys(municipality: string): Promise<JourneyState[]> {
  const items = await queryAll(partnershipKeys.partition(municipality), 'JOURNEY#', false);
  return items.map((item) => journeyStateItem.parse(strip(item)));
}

/**
 * Where each company of a municipality is, by CVR number: its cohorts and stages (the partnership page's
 * view, functions/shared/partnership-request.ts), from the one query of the partnership's journeys.
 */
export async function journeyStagesByCompany(
  municipality: string,
): Promise<ReadonlyMap<string, { cohortId: string; stage: CompanyStage }[]>> {
  const stages = new Map<string, { cohortId: string; stage: CompanyStage }[]>();
  for (const journey of await loadMunicipalityJourneys(municipality)) {
    const list = stages.get(journey.cvr) ?? [];
    list.push({ cohortId: journey.cohortId, stage: journey.stage });
    stages.set(journey.cvr, list);
  }
  return stages;
}

/** The companies registered in a municipality's partnership (for their names beside the journeys). */
export async function loadMunicipalityCompanies(municipality: string): Promise<CompanyRecord[]> {
  const items = await queryAll(partnershipKeys.partition(municipality), 'COMPANY#', false);
  return items.map((item) => companyItem.parse(strip(item)));
}

/**
 * A company's journeys, in every cohort it was invited to (for the company page); none for an unknown company.
 * `municipality` saves the lookup of the company when the caller has it already.
 */
export async function journeysOfCompany(cvr: string, municipality?: string): Promise<JourneyState[]> {
  const where = municipality ?? (await loadCompany(cvr))?.municipality;
  if (!where) return [];
  const items = await queryAll(partnershipKeys.partition(where), `JOURNEY#${cvr}#`);
  return items.map((item) => journeyStateItem.parse(strip(item)));
}

/** Another writer changed the journey between our read and our write: read again and decide again. */
export class JourneyChanged extends Error {
  override name = 'JourneyChanged';
}

/** Concurrent transactions kept cancelling ours: the caller answers "try again" (409, by this name). */
export class TransactionContended extends Error {
  override name = 'TransactionContended';
}

const CONFLICT_ATTEMPTS = 5;
const CONFLICT_BACKOFF_MS = 25;

/**
 * Writes a journey's new state and its events in one transaction: a new journey only if none exists, a changed
 * one only if its `eventSeq` is still `before` (JourneyChanged otherwise); each event only once.
 */
export async function writeJourney(
  before: number | undefined,
  state: JourneyState,
  events: readonly JourneyEvent[],
): Promise<void> {
  const stateKey = journeyKeys.state(state.municipality, state.cvr, state.cohortId);
  // Empty maps are left out: the local runtime's stream poller (the SDK's DynamoDB Streams client) cannot read
  // an empty map back, and a missing one reads as empty anyway.
  const stored = {
    ...state,
    decisions: Object.keys(state.decisions).length > 0 ? state.decisions : undefined,
    attendance: Object.keys(state.attendance).length > 0 ? state.attendance : undefined,
  };
  const items = [
    {
      Put: {
        TableName: tableName,
        Item: toItem({ ...stateKey, kind: 'company-journey', ...stored }),
        ...(before === undefined
          ? { ConditionExpression: 'attribute_not_exists(pk)' }
          : {
              ConditionExpression: 'eventSeq = :before',
              ExpressionAttributeValues: marshall({ ':before': before }),
            }),
      },
    },
    ...events.map((event) => ({
      Put: {
        TableName: tableName,
        Item: toItem({ ...journeyKeys.event(event.cvr, event.cohortId, event.seq), ...event }),
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    })),
  ];
  for (let attempt = 1; ; attempt++) {
    try {
      await dynamodb.send(new TransactWriteItemsCommand({ TransactItems: items }));
      return;
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons = (error.CancellationReasons ?? []).map((r) => r.Code);
      if (reasons.includes('ConditionalCheckFailed'))
        throw new JourneyChanged('The journey changed meanwhile');
      if (!reasons.includes('TransactionConflict')) throw error;
      if (attempt >= CONFLICT_ATTEMPTS) throw new TransactionContended('The journey kept conflicting');
      await new Promise((resolve) => setTimeout(resolve, Math.random() * CONFLICT_BACKOFF_MS * 2 ** attempt));
    }
  }
}

/** The catch path of the CompanyStageTimer: what went wrong, on the journey, written once per execution. */
export async function recordJourneyFailure(failure: JourneyFailure): Promise<void> {
  await dynamodb.send(
    new PutItemCommand({
      TableName: tableName,
      Item: toItem({
        ...journeyKeys.failure(failure.cvr, failure.cohortId, failure.at, failure.executionName),
        kind: 'journey-failure',
        ...failure,
      }),
    }),
  );
}
