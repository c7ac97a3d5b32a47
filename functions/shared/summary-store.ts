import {
  type AttributeValue,
  BatchGetItemCommand,
  GetItemCommand,
  QueryCommand,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { z } from 'zod';
import type { IsoDate } from '#domain/dates';
import { firstShownOn, type PathwaySummary, summarySchema } from '#domain/worklist';
import { dynamodb, requiredEnv } from './aws.ts';

/**
 * The read side of the pathways: one summary per pathway and per municipality a count of pathways by phase,
 * kept by the table-stream projector (functions/events/project-views.ts), read by the pathway list and the
 * worklist through the byMunicipality index. A summary lives in its own partition (`SUMMARY#<id>`), so loading a
 * pathway never reads it, and holds no CPR number: only what the lists show.
 *
 * Index keys (`gsi2pk`, `gsi2sk`):
 * - the summary: `PATHWAYS#<municipality>`, `<next deadline or 9999-12-31>#<id>`: the list, soonest first;
 * - the worklist entry, only while the pathway has tasks: `TASKS#<municipality>`, `<first shown>#<id>`, so that
 *   "what is shown today" is one key range. Without tasks the entry has no index keys and leaves the index.
 */

const tableName = requiredEnv('TABLE_NAME');
/** lib/programme-data.ts names the index; a handler does not import the CDK app. */
const BY_MUNICIPALITY_INDEX = 'byMunicipality';
/** Names are searched case-insensitively and in one Unicode form (an å typed as a + ring matches å). */
const searchable = (text: string) => text.normalize('NFC').toLocaleLowerCase('da-DK');

/** A pathway without a deadline (closed) sorts last. */
const NO_DEADLINE = '9999-12-31';

export const summaryKeys = {
  summary: (referralId: string) => ({ pk: `SUMMARY#${referralId}`, sk: 'SUMMARY' }),
  tasks: (referralId: string) => ({ pk: `SUMMARY#${referralId}`, sk: 'TASKS' }),
  phaseCounts: (municipality: string) => ({ pk: `MUNICIPALITY#${municipality}`, sk: 'PHASE_COUNTS' }),
};

/** The phase counts item holds `count_<phase>` attributes, whole numbers. */
const COUNT_PREFIX = 'count_';
const phaseCountsSchema = z.record(z.string(), z.unknown()).transform((item) =>
  Object.fromEntries(
    Object.entries(item)
      // A phase no pathway is in any more is left out, like one no pathway has reached.
      .filter(([key, value]) => key.startsWith(COUNT_PREFIX) && Number.isInteger(value) && value !== 0)
      .map(([key, value]) => [key.slice(COUNT_PREFIX.length), value as number]),
  ),
);

const toItem = (value: object) => marshall(value, { removeUndefinedValues: true });
const fromItem = (item: Record<string, AttributeValue>): PathwaySummary => {
  const { pk: _pk, sk: _sk, gsi2pk: _g1, gsi2sk: _g2, nameSearch: _n, ...rest } = unmarshall(item);
  return summarySchema.parse(rest);
};

export async function loadSummary(referralId: string): Promise<PathwaySummary | undefined> {
  const answer = await dynamodb.send(
    new GetItemCommand({
      TableName: tableName,
      Key: toItem(summaryKeys.summary(referralId)),
      ConsistentRead: true,
    }),
  );
  return answer.Item ? fromItem(answer.Item) : undefined;
}

/** Why a summary was not stored: a newer one is there already (a redelivered or late record). */
export class SummaryOutdated extends Error {
  constructor() {
    super('A newer summary is stored');
    this.name = 'SummaryOutdated';
  }
}

/**
 * Stores `next` in place of `previous` (as loaded), with the worklist entry and the municipality's phase counts,
 * in one transaction conditional on the summary still being `previous`: the counts move exactly once per change,
 * however often a record is delivered, and a crash between writes leaves nothing half-done.
 */
export async function saveSummary(previous: PathwaySummary | undefined, next: PathwaySummary): Promise<void> {
  const firstShown = firstShownOn(next.tasks);
  const moves: Record<string, number> = {};
  if (previous?.phase !== next.phase) {
    if (previous) moves[previous.phase] = -1;
    moves[next.phase] = 1;
  }
  const countUpdate = Object.keys(moves).length
    ? [
        {
          Update: {
            TableName: tableName,
            Key: toItem(summaryKeys.phaseCounts(next.municipality)),
            // One attribute per phase (`count_<phase>`), set from 0 the first time it moves.
            UpdateExpression: `SET ${Object.keys(moves)
              .map((_, i) => `#p${i} = if_not_exists(#p${i}, :zero) + :m${i}`)
              .join(', ')}`,
            ExpressionAttributeNames: Object.fromEntries(
              Object.keys(moves).map((phase, i) => [`#p${i}`, `${COUNT_PREFIX}${phase}`]),
            ),
            ExpressionAttributeValues: toItem({
              ':zero': 0,
              ...Object.fromEntries(Object.values(moves).map((m, i) => [`:m${i}`, m])),
            }),
          },
        },
      ]
    : [];
  try {
    await dynamodb.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          {
            Put: {
              TableName: tableName,
              Item: toItem({
                ...summaryKeys.summary(next.referralId),
                gsi2pk: `PATHWAYS#${next.municipality}`,
                gsi2sk: `${next.nextDeadline ?? NO_DEADLINE}#${next.referralId}`,
                nameSearch: searchable(next.name),
                ...next,
              }),
              ConditionExpression: previous
                ? 'eventSeq = :seq AND #phase = :phase'
                : 'attribute_not_exists(pk)',
              ...(previous
                ? {
                    ExpressionAttributeNames: { '#phase': 'phase' },
                    ExpressionAttributeValues: toItem({
                      ':seq': previous.eventSeq,
                      ':phase': previous.phase,
                    }),
                  }
                : {}),
            },
          },
          {
            Put: {
              TableName: tableName,
              Item: toItem({
                ...summaryKeys.tasks(next.referralId),
                ...(firstShown
                  ? { gsi2pk: `TASKS#${next.municipality}`, gsi2sk: `${firstShown}#${next.referralId}` }
                  : {}),
                referralId: next.referralId,
                municipality: next.municipality,
                name: next.name,
                phase: next.phase,
                tasks: next.tasks,
              }),
            },
          },
          ...countUpdate,
        ],
      }),
    );
  } catch (error) {
    if (error instanceof Error && error.name === 'TransactionCanceledException') throw new SummaryOutdated();
    throw error;
  }
}

export interface SummaryPage {
  items: PathwaySummary[];
  /** Where the next page starts; absent on the last page. */
  cursor?: Record<string, AttributeValue>;
}

/**
 * One page of a municipality's pathways, soonest deadline first, optionally only one phase and only names
 * containing `search` (case-insensitive). A filter can leave a query page short, so pages are read until `limit`
 * summaries are found or the index ends; the cursor is the index position after the last one returned.
 */
export async function listSummaries(options: {
  municipality: string;
  limit: number;
  phase?: string;
  search?: string;
  cursor?: Record<string, AttributeValue>;
}): Promise<SummaryPage> {
  const filters: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = { ':pk': `PATHWAYS#${options.municipality}` };
  if (options.phase) {
    filters.push('#phase = :phase');
    names['#phase'] = 'phase';
    values[':phase'] = options.phase;
  }
  if (options.search) {
    filters.push('contains(nameSearch, :search)');
    values[':search'] = searchable(options.search);
  }
  const items: PathwaySummary[] = [];
  let startKey = options.cursor;
  do {
    const page = await dynamodb.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: BY_MUNICIPALITY_INDEX,
        KeyConditionExpression: 'gsi2pk = :pk',
        FilterExpression: filters.length ? filters.join(' AND ') : undefined,
        ExpressionAttributeNames: Object.keys(names).length ? names : undefined,
        ExpressionAttributeValues: toItem(values),
        Limit: options.limit - items.length,
        ExclusiveStartKey: startKey,
      }),
    );
    items.push(...(page.Items ?? []).map(fromItem));
    startKey = page.LastEvaluatedKey;
  } while (startKey && items.length < options.limit);
  return startKey ? { items, cursor: startKey } : { items };
}

/** Per municipality, its pathways by phase, from the counts the projector keeps (one read per municipality). */
export async function phaseCounts(
  municipalities: readonly string[],
): Promise<Map<string, Record<string, number>>> {
  const counts = new Map<string, Record<string, number>>();
  // BatchGetItem takes 100 keys; a municipality list is far shorter, but unprocessed keys are asked again.
  let keysLeft = municipalities.map((m) => toItem(summaryKeys.phaseCounts(m)));
  while (keysLeft.length > 0) {
    const answer = await dynamodb.send(
      new BatchGetItemCommand({ RequestItems: { [tableName]: { Keys: keysLeft.slice(0, 100) } } }),
    );
    for (const item of answer.Responses?.[tableName] ?? []) {
      const { pk } = unmarshall(item) as { pk: string };
      counts.set(pk.slice('MUNICIPALITY#'.length), phaseCountsSchema.parse(unmarshall(item)));
    }
    keysLeft = [...(answer.UnprocessedKeys?.[tableName]?.Keys ?? []), ...keysLeft.slice(100)];
  }
  return counts;
}

export interface WorklistEntry {
  referralId: string;
  municipality: string;
  name: string;
  phase: PathwaySummary['phase'];
  tasks: PathwaySummary['tasks'];
}

const worklistEntrySchema = summarySchema.pick({
  referralId: true,
  municipality: true,
  name: true,
  phase: true,
  tasks: true,
});

/** Every pathway of the municipality with a task shown on `today` or before (all pages of the index range). */
export async function worklistEntries(municipality: string, today: IsoDate): Promise<WorklistEntry[]> {
  const entries: WorklistEntry[] = [];
  let startKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await dynamodb.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: BY_MUNICIPALITY_INDEX,
        // '~' sorts after '#' and every id character: every entry first shown on `today` is in the range.
        KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk <= :through',
        ExpressionAttributeValues: toItem({ ':pk': `TASKS#${municipality}`, ':through': `${today}#~` }),
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of page.Items ?? []) {
      const { pk: _pk, sk: _sk, gsi2pk: _g1, gsi2sk: _g2, ...rest } = unmarshall(item);
      entries.push(worklistEntrySchema.parse(rest));
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return entries;
}
