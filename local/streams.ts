import {
  type _Record,
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListStreamsCommand,
  type AttributeValue as SdkAttributeValue,
  type StreamRecord as SdkStreamRecord,
  type Shard,
} from '@aws-sdk/client-dynamodb-streams';
import type { AttributeValue, DynamoDBRecord, DynamoDBStreamEvent, StreamRecord } from 'aws-lambda';
import { type FilterPattern, matchesFilters } from './stream-filters.ts';

export type StreamHandlerResult = { batchItemFailures?: { itemIdentifier: string }[] } | undefined;

export interface StreamPollerOptions {
  client: DynamoDBStreamsClient;
  streamArn: string;
  batchSize: number;
  /** The event source mapping's filter patterns (`stream-filters.ts`); filtered records count as processed. */
  filters: readonly FilterPattern[];
  // biome-ignore lint/suspicious/noConfusingVoidType: a Lambda stream handler may return nothing at all.
  handler: (event: DynamoDBStreamEvent) => Promise<StreamHandlerResult | void>;
  /**
   * Handler exceptions, dropped records (StreamRecordDroppedError) and the first failed background poll of a run
   * of failures: while DynamoDB is down every poll fails, and one line says so as well as a hundred.
   */
  onError: (error: unknown) => void;
  /** The background loop polls successfully again after `failedPolls` failed polls in a row. */
  onRecovered?: (failedPolls: number) => void;
  /** The cap on the pause between failed background polls, which doubles from the interval. Default 5 s. */
  maxBackoffMs?: number;
  /** Injected by tests: schedules `callback` after `ms` and returns what cancels it. Real timers otherwise. */
  schedule?: (callback: () => void, ms: number) => () => void;
  /**
   * Retries of a failing record before it is dropped, like MaximumRetryAttempts. Default 3. AWS reads -1 as
   * "until the record expires"; locally that becomes 10, because a drain must end for a fast-forward to answer.
   */
  retryAttempts?: number;
  /**
   * Where delivery resumes after a restart of the poller (the event source mapping's checkpoint): the last
   * sequence number handled, per `<stream ARN>/<shard id>`. Without it a new poller starts at TRIM_HORIZON.
   */
  positions?: StreamPositions;
}

export interface StreamPositions {
  position(key: string): string | undefined;
  save(key: string, sequence: string): void;
}

export interface StreamPoller {
  /**
   * Delivers everything now in the stream, stopping per shard at a failed batch (the next call retries it).
   * Resolves to the number of records handed to the handler, retries included: call until it returns 0.
   */
  pollOnce(): Promise<number>;
  start(intervalMs: number): void;
  stop(): Promise<void>;
}

/** Stands in for the on-failure destination: which record was given up on, never its contents. */
export class StreamRecordDroppedError extends Error {
  constructor(
    readonly eventID: string | undefined,
    readonly sequenceNumber: string,
    readonly attempts: number,
  ) {
    super(
      `Dropped stream record ${eventID ?? '?'} (sequence ${sequenceNumber}) after ${attempts} failed deliveries`,
    );
    this.name = 'StreamRecordDroppedError';
  }
}

interface ShardState {
  shardId: string;
  parentShardId: string | undefined;
  iterator: string | undefined;
  /** The last record read from the stream (delivered or buffered): where a fresh iterator resumes. */
  lastReadSequence: string | undefined;
  /** GetRecords returned no next iterator: the shard is closed and fully read. */
  exhausted: boolean;
  /** Read and past the filter, not yet delivered successfully. */
  buffer: DynamoDBRecord[];
  headFailures: number;
}

const RECORDS_PER_READ = 1000;
const DEFAULT_RETRY_ATTEMPTS = 3;
const UNLIMITED_RETRY_ATTEMPTS_LOCALLY = 10;
const DEFAULT_MAX_BACKOFF_MS = 5_000;

function realSchedule(callback: () => void, ms: number): () => void {
  const timer = setTimeout(callback, ms);
  // The poller alone should not keep a process (or a test worker) alive.
  timer.unref();
  return () => clearTimeout(timer);
}

export function createStreamPoller(options: StreamPollerOptions): StreamPoller {
  const shards = new Map<string, ShardState>();
  const region = options.streamArn.split(':')[3] ?? 'local';
  const configuredRetries = options.retryAttempts ?? DEFAULT_RETRY_ATTEMPTS;
  const retryAttempts = configuredRetries < 0 ? UNLIMITED_RETRY_ATTEMPTS_LOCALLY : configuredRetries;
  const maxBackoffMs = options.maxBackoffMs ?? DEFAULT_MAX_BACKOFF_MS;
  const schedule = options.schedule ?? realSchedule;
  /** The stream polled: a table created again (DynamoDB Local restarted) has a new stream. */
  let streamArn = options.streamArn;
  let queue: Promise<unknown> = Promise.resolve();
  let cancelTimer: (() => void) | undefined;
  let loop: Promise<void> | undefined;
  let running = false;
  /** Background polls failed in a row. */
  let failedPolls = 0;

  // One poll at a time: the background loop and a fast-forward's drain share shard iterators and buffers.
  function serialized<T>(task: () => Promise<T>): Promise<T> {
    const run = queue.then(task, task);
    queue = run.catch(() => undefined);
    return run;
  }

  async function pollAllShards(): Promise<number> {
    await discoverShards();
    let delivered = 0;
    // A child shard holds later changes to the same keys than its parent, so it waits for the parent; a
    // parent that closes during this pass unblocks its children in the same pass, whatever the listing order.
    const waiting = new Set(shards.values());
    let progressed = true;
    while (progressed) {
      progressed = false;
      for (const shard of waiting) {
        if (!isParentDone(shard)) continue;
        waiting.delete(shard);
        delivered += await drainShard(shard);
        progressed = true;
      }
    }
    return delivered;
  }

  async function discoverShards(): Promise<void> {
    let exclusiveStartShardId: string | undefined;
    do {
      let description: Awaited<ReturnType<typeof describeStream>>;
      try {
        description = await describeStream(exclusiveStartShardId);
      } catch (error) {
        if (!isNamed(error, 'ResourceNotFoundException') || !(await followNewStream())) throw error;
        description = await describeStream(undefined);
      }
      const { StreamDescription } = description;
      for (const shard of StreamDescription?.Shards ?? []) addShard(shard);
      exclusiveStartShardId = StreamDescription?.LastEvaluatedShardId;
    } while (exclusiveStartShardId);
  }

  function describeStream(exclusiveStartShardId: string | undefined) {
    return options.client.send(
      new DescribeStreamCommand({ StreamArn: streamArn, ExclusiveStartShardId: exclusiveStartShardId }),
    );
  }

  /**
   * The stream is gone: locally that means DynamoDB Local was restarted and the table created again, with a new
   * stream. Like a mapping re-created for it, the poller moves to the table's current stream, from its start.
   * Returns false when the table has no other stream (the error stands).
   */
  async function followNewStream(): Promise<boolean> {
    const tableName = /:table\/([^/]+)\/stream\//.exec(streamArn)?.[1];
    if (!tableName) return false;
    const { Streams } = await options.client.send(new ListStreamsCommand({ TableName: tableName }));
    const latest = Streams?.map((s) => s.StreamArn)
      .filter((arn) => arn !== undefined && arn !== streamArn)
      .at(-1);
    if (!latest) return false;
    streamArn = latest;
    shards.clear();
    return true;
  }

  function addShard(shard: Shard): void {
    if (!shard.ShardId || shards.has(shard.ShardId)) return;
    shards.set(shard.ShardId, {
      shardId: shard.ShardId,
      parentShardId: shard.ParentShardId,
      iterator: undefined,
      lastReadSequence: options.positions?.position(positionKey(shard.ShardId)),
      exhausted: false,
      buffer: [],
      headFailures: 0,
    });
  }

  function positionKey(shardId: string): string {
    return `${streamArn}/${shardId}`;
  }

  /** After a batch is handled, never before: a crash in between delivers it again, as Lambda would. */
  function savePosition(shard: ShardState, sequence: string | undefined): void {
    if (sequence === undefined || !options.positions) return;
    try {
      options.positions.save(positionKey(shard.shardId), sequence);
    } catch (error) {
      // Not saving only means a redelivery after a restart, which the consumers handle.
      options.onError(error);
    }
  }

  function isParentDone(shard: ShardState): boolean {
    const parent = shard.parentShardId ? shards.get(shard.parentShardId) : undefined;
    return parent === undefined || (parent.exhausted && parent.buffer.length === 0);
  }

  async function drainShard(shard: ShardState): Promise<number> {
    let delivered = 0;
    for (;;) {
      if (shard.buffer.length < options.batchSize && !shard.exhausted) {
        const read = await readRecords(shard);
        // Records the filter dropped are handled too: nothing to deliver, so the position moves past them.
        if (read > 0 && shard.buffer.length === 0) savePosition(shard, shard.lastReadSequence);
        // Everything read may have been filtered out; keep reading until the shard has nothing new.
        if (read > 0 && shard.buffer.length < options.batchSize) continue;
      }
      if (shard.buffer.length === 0) return delivered;
      const batch = shard.buffer.slice(0, options.batchSize);
      delivered += batch.length;
      // A failed batch waits for the next poll, which spaces retries by the polling interval.
      if (!(await deliver(shard, batch))) return delivered;
    }
  }

  async function readRecords(shard: ShardState): Promise<number> {
    shard.iterator ??= await newIterator(shard);
    if (shard.iterator === undefined) {
      shard.exhausted = true;
      return 0;
    }
    let output: Awaited<ReturnType<typeof getRecords>>;
    try {
      output = await getRecords(shard.iterator);
    } catch (error) {
      // Iterators expire after 15 minutes idle; resume right away so a drain does not stop early.
      if (!isNamed(error, 'ExpiredIteratorException')) throw error;
      shard.iterator = await newIterator(shard);
      if (shard.iterator === undefined) {
        shard.exhausted = true;
        return 0;
      }
      output = await getRecords(shard.iterator);
    }
    shard.iterator = output.NextShardIterator;
    if (shard.iterator === undefined) shard.exhausted = true;
    const records = output.Records ?? [];
    for (const record of records) {
      shard.lastReadSequence = record.dynamodb?.SequenceNumber ?? shard.lastReadSequence;
      const delivered = toLambdaRecord(record, streamArn, region);
      if (matchesFilters(options.filters, delivered)) shard.buffer.push(delivered);
    }
    return records.length;
  }

  function getRecords(iterator: string) {
    return options.client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: RECORDS_PER_READ }));
  }

  /** Resumes after the last record read, or starts at TRIM_HORIZON; undefined when the shard is gone. */
  async function newIterator(shard: ShardState): Promise<string | undefined> {
    const resume = shard.lastReadSequence;
    try {
      const { ShardIterator } = await options.client.send(
        new GetShardIteratorCommand({
          StreamArn: streamArn,
          ShardId: shard.shardId,
          ShardIteratorType: resume ? 'AFTER_SEQUENCE_NUMBER' : 'TRIM_HORIZON',
          SequenceNumber: resume,
        }),
      );
      return ShardIterator;
    } catch (error) {
      if (isNamed(error, 'ResourceNotFoundException')) return undefined;
      if (!resume || !isNamed(error, 'TrimmedDataAccessException')) throw error;
      options.onError(error);
      shard.lastReadSequence = undefined;
      return newIterator(shard);
    }
  }

  /** Returns true when the whole batch succeeded. */
  async function deliver(shard: ShardState, batch: DynamoDBRecord[]): Promise<boolean> {
    const firstFailed = await invokeHandler(batch);
    if (firstFailed === undefined) {
      shard.buffer.splice(0, batch.length);
      shard.headFailures = 0;
      savePosition(
        shard,
        shard.buffer.length === 0 ? shard.lastReadSequence : batch.at(-1)?.dynamodb?.SequenceNumber,
      );
      return true;
    }
    // Like Lambda with reportBatchItemFailures: records before the first failure are done, retry from it.
    if (firstFailed > 0) shard.headFailures = 0;
    shard.buffer.splice(0, firstFailed);
    shard.headFailures += 1;
    if (shard.headFailures > retryAttempts) dropHead(shard);
    return false;
  }

  function dropHead(shard: ShardState): void {
    const [dropped] = shard.buffer.splice(0, 1);
    options.onError(
      new StreamRecordDroppedError(
        dropped?.eventID,
        dropped?.dynamodb?.SequenceNumber ?? '?',
        shard.headFailures,
      ),
    );
    shard.headFailures = 0;
  }

  /** The index of the first failed record, or undefined when the batch succeeded. */
  async function invokeHandler(batch: DynamoDBRecord[]): Promise<number | undefined> {
    try {
      // A copy, so a handler that mutates its event cannot change what a retry delivers.
      const result = await options.handler({ Records: structuredClone(batch) });
      return firstFailedIndex(batch, result ?? undefined);
    } catch (error) {
      options.onError(error);
      return 0;
    }
  }

  async function pollOnce(): Promise<number> {
    return serialized(pollAllShards);
  }

  /** After a failed poll the pause doubles, up to `maxBackoffMs`; one success brings back the interval. */
  function scheduleNext(intervalMs: number): void {
    const delay =
      failedPolls === 0
        ? intervalMs
        : Math.min(Math.max(maxBackoffMs, intervalMs), intervalMs * 2 ** failedPolls);
    cancelTimer = schedule(() => {
      loop = pollOnce()
        .then(
          () => {
            if (failedPolls > 0) options.onRecovered?.(failedPolls);
            failedPolls = 0;
          },
          (error: unknown) => {
            failedPolls += 1;
            if (failedPolls === 1) options.onError(error);
          },
        )
        .finally(() => {
          if (running) scheduleNext(intervalMs);
        });
    }, delay);
  }

  return {
    pollOnce,
    start(intervalMs: number): void {
      if (running) return;
      running = true;
      scheduleNext(intervalMs);
    },
    async stop(): Promise<void> {
      running = false;
      cancelTimer?.();
      await loop;
      await queue;
    },
  };
}

/**
 * Lambda's rules: no response or an empty list means success; an identifier that is not in the batch makes the
 * whole batch a failure; otherwise processing resumes at the lowest failed record.
 */
function firstFailedIndex(batch: DynamoDBRecord[], result: StreamHandlerResult): number | undefined {
  const failures = result?.batchItemFailures ?? [];
  if (failures.length === 0) return undefined;
  let first = batch.length;
  for (const { itemIdentifier } of failures) {
    const index = batch.findIndex((record) => record.dynamodb?.SequenceNumber === itemIdentifier);
    if (index < 0) return 0;
    first = Math.min(first, index);
  }
  return first;
}

function isNamed(error: unknown, name: string): boolean {
  return error instanceof Error && error.name === name;
}

/** The Lambda event shape: epoch-second timestamps and base64 binaries, as Lambda's JSON delivers them. */
function toLambdaRecord(record: _Record, streamArn: string, region: string): DynamoDBRecord {
  const converted: DynamoDBRecord = {
    eventID: record.eventID,
    eventName: record.eventName,
    eventVersion: record.eventVersion ?? '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: record.awsRegion ?? region,
    eventSourceARN: streamArn,
  };
  if (record.dynamodb) converted.dynamodb = toLambdaStreamRecord(record.dynamodb);
  if (record.userIdentity) converted.userIdentity = { ...record.userIdentity };
  return converted;
}

function toLambdaStreamRecord(source: SdkStreamRecord): StreamRecord {
  const target: StreamRecord = {};
  if (source.ApproximateCreationDateTime) {
    target.ApproximateCreationDateTime = Math.floor(source.ApproximateCreationDateTime.getTime() / 1000);
  }
  if (source.Keys) target.Keys = toLambdaImage(source.Keys);
  if (source.NewImage) target.NewImage = toLambdaImage(source.NewImage);
  if (source.OldImage) target.OldImage = toLambdaImage(source.OldImage);
  if (source.SequenceNumber) target.SequenceNumber = source.SequenceNumber;
  if (source.SizeBytes !== undefined) target.SizeBytes = source.SizeBytes;
  if (source.StreamViewType) target.StreamViewType = source.StreamViewType;
  return target;
}

function toLambdaImage(image: Record<string, SdkAttributeValue>): Record<string, AttributeValue> {
  return Object.fromEntries(Object.entries(image).map(([name, value]) => [name, toLambdaAttribute(value)]));
}

function toLambdaAttribute(value: SdkAttributeValue): AttributeValue {
  if (value.S !== undefined) return { S: value.S };
  if (value.N !== undefined) return { N: value.N };
  if (value.B !== undefined) return { B: base64(value.B) };
  if (value.BOOL !== undefined) return { BOOL: value.BOOL };
  if (value.NULL !== undefined) return { NULL: value.NULL };
  if (value.SS !== undefined) return { SS: value.SS };
  if (value.NS !== undefined) return { NS: value.NS };
  if (value.BS !== undefined) return { BS: value.BS.map(base64) };
  if (value.L !== undefined) return { L: value.L.map(toLambdaAttribute) };
  if (value.M !== undefined) return { M: toLambdaImage(value.M) };
  // DynamoDB Local writes an empty map into its stream records as `"m": {}`, which the SDK reads as an attribute
  // with no type at all; DynamoDB itself sends `{"M": {}}`.
  if (Object.keys(value).length === 0) return { M: {} };
  throw new Error('Stream record holds an attribute type this poller does not know');
}

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64');
}
