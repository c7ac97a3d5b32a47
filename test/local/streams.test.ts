import {
  DeleteItemCommand,
  DynamoDBClient,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import {
  type _Record,
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListStreamsCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { CloudFormationTemplate } from '../../local/cloudformation.ts';
import { createTablesFromTemplate, type DynamoDbLocal, startDynamoDbLocal } from '../../local/dynamodb.ts';
import {
  createStreamPoller,
  type StreamHandlerResult,
  type StreamPollerOptions,
  StreamRecordDroppedError,
} from '../../local/streams.ts';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
let dynamoDb: DynamoDbLocal;
let client: DynamoDBClient;
let streams: DynamoDBStreamsClient;
let tableCount = 0;

beforeAll(async () => {
  dynamoDb = await startDynamoDbLocal();
  client = new DynamoDBClient({ endpoint: dynamoDb.endpoint, region: 'eu-north-1', credentials });
  streams = new DynamoDBStreamsClient({ endpoint: dynamoDb.endpoint, region: 'eu-north-1', credentials });
});

afterAll(async () => {
  client?.destroy();
  streams?.destroy();
  await dynamoDb?.stop();
});

/** A fresh table per test, so each test reads only its own stream. Uses the plain AWS::DynamoDB::Table type. */
async function createStreamedTable(): Promise<{ tableName: string; streamArn: string }> {
  tableCount += 1;
  const tableName = `stream-test-${tableCount}`;
  const template: CloudFormationTemplate = {
    Resources: {
      Table: {
        Type: 'AWS::DynamoDB::Table',
        Properties: {
          KeySchema: [
            { AttributeName: 'pk', KeyType: 'HASH' },
            { AttributeName: 'sk', KeyType: 'RANGE' },
          ],
          AttributeDefinitions: [
            { AttributeName: 'pk', AttributeType: 'S' },
            { AttributeName: 'sk', AttributeType: 'S' },
          ],
          StreamSpecification: { StreamViewType: 'NEW_IMAGE' },
        },
      },
    },
  };
  const created = await createTablesFromTemplate(client, template, new Map([['Table', tableName]]));
  const streamArn = created.get('Table')?.streamArn;
  if (!streamArn) throw new Error('The table was created without a stream');
  return { tableName, streamArn };
}

function putEvent(tableName: string, eventSeq: number) {
  return client.send(
    new PutItemCommand({
      TableName: tableName,
      Item: {
        pk: { S: 'REFERRAL#r-1' },
        sk: { S: `EVENT#${String(eventSeq).padStart(6, '0')}` },
        kind: { S: 'phase-started' },
        phaseSeq: { N: String(eventSeq) },
        cprCiphertext: { B: new Uint8Array([1, 2, 3]) },
      },
    }),
  );
}

/** Records every delivered event; `respond` decides what the handler answers for each call. */
function recordingHandler(
  respond: (event: DynamoDBStreamEvent, call: number) => StreamHandlerResult = () => undefined,
) {
  const calls: DynamoDBStreamEvent[] = [];
  const handler = async (event: DynamoDBStreamEvent) => {
    calls.push(event);
    return respond(event, calls.length);
  };
  return { calls, handler };
}

function sortKeys(records: DynamoDBRecord[]): (string | undefined)[] {
  return records.map((record) => record.dynamodb?.Keys?.sk?.S);
}

function poller(
  streamArn: string,
  overrides: Partial<StreamPollerOptions> & Pick<StreamPollerOptions, 'handler'>,
) {
  const errors: unknown[] = [];
  const created = createStreamPoller({
    client: streams,
    streamArn,
    batchSize: 10,
    filters: [{ eventName: ['INSERT'] }],
    onError: (error) => errors.push(error),
    ...overrides,
  });
  return { poller: created, errors };
}

async function drain(pollOnce: () => Promise<number>): Promise<void> {
  while ((await pollOnce()) > 0) {
    // The runtime drains the same way before answering a fast-forward.
  }
}

describe('stream poller', () => {
  it('delivers an INSERT once, in the Lambda event shape', async () => {
    // Prepare
    const { tableName, streamArn } = await createStreamedTable();
    const { calls, handler } = recordingHandler();
    const { poller: subject } = poller(streamArn, { handler });
    await putEvent(tableName, 1);

    // Act
    const first = await subject.pollOnce();
    const second = await subject.pollOnce();

    // Assess
    expect([first, second]).toEqual([1, 0]);
    expect(calls).toHaveLength(1);
    const [record] = calls[0]?.Records ?? [];
    expect(record).toMatchObject({
      eventName: 'INSERT',
      eventSource: 'aws:dynamodb',
      eventSourceARN: streamArn,
      dynamodb: {
        Keys: { pk: { S: 'REFERRAL#r-1' }, sk: { S: 'EVENT#000001' } },
        NewImage: { kind: { S: 'phase-started' }, phaseSeq: { N: '1' }, cprCiphertext: { B: 'AQID' } },
        StreamViewType: 'NEW_IMAGE',
      },
    });
    expect(typeof record?.dynamodb?.ApproximateCreationDateTime).toBe('number');
    expect(record?.dynamodb?.SequenceNumber).toMatch(/^\d+$/);
  });

  it('filters out MODIFY and REMOVE when only inserts are wanted', async () => {
    // Prepare
    const { tableName, streamArn } = await createStreamedTable();
    const { calls, handler } = recordingHandler();
    const { poller: subject } = poller(streamArn, { handler });
    await putEvent(tableName, 1);
    const key = { pk: { S: 'REFERRAL#r-1' }, sk: { S: 'EVENT#000001' } };
    await client.send(
      new UpdateItemCommand({
        TableName: tableName,
        Key: key,
        UpdateExpression: 'SET kind = :k',
        ExpressionAttributeValues: { ':k': { S: 'changed' } },
      }),
    );
    await client.send(new DeleteItemCommand({ TableName: tableName, Key: key }));
    await putEvent(tableName, 2);

    // Act
    await drain(subject.pollOnce);

    // Assess
    const delivered = calls.flatMap((event) => event.Records);
    expect(delivered.map((record) => record.eventName)).toEqual(['INSERT', 'INSERT']);
    expect(sortKeys(delivered)).toEqual(['EVENT#000001', 'EVENT#000002']);
  });

  it('re-delivers from the first reported failure, then not again once it succeeds', async () => {
    // Prepare
    const { tableName, streamArn } = await createStreamedTable();
    for (const seq of [1, 2, 3]) await putEvent(tableName, seq);
    const { calls, handler } = recordingHandler((event, call) => {
      const second = event.Records[1]?.dynamodb?.SequenceNumber;
      return call === 1 && second ? { batchItemFailures: [{ itemIdentifier: second }] } : undefined;
    });
    const { poller: subject, errors } = poller(streamArn, { handler });

    // Act
    const first = await subject.pollOnce();
    const second = await subject.pollOnce();
    const third = await subject.pollOnce();

    // Assess
    expect([first, second, third]).toEqual([3, 2, 0]);
    expect(calls.map((event) => sortKeys(event.Records))).toEqual([
      ['EVENT#000001', 'EVENT#000002', 'EVENT#000003'],
      ['EVENT#000002', 'EVENT#000003'],
    ]);
    expect(errors).toEqual([]);
  });

  it('drops a record that keeps failing after the retries and reports it', async () => {
    // Prepare
    const { tableName, streamArn } = await createStreamedTable();
    for (const seq of [1, 2]) await putEvent(tableName, seq);
    const { calls, handler } = recordingHandler((event) => {
      const poison = event.Records.find((record) => record.dynamodb?.Keys?.sk?.S === 'EVENT#000001');
      const id = poison?.dynamodb?.SequenceNumber;
      return id ? { batchItemFailures: [{ itemIdentifier: id }] } : undefined;
    });
    const { poller: subject, errors } = poller(streamArn, { handler, retryAttempts: 2 });

    // Act
    await drain(subject.pollOnce);

    // Assess: one try and two retries of the poison record, then the next record on its own
    expect(calls.map((event) => sortKeys(event.Records))).toEqual([
      ['EVENT#000001', 'EVENT#000002'],
      ['EVENT#000001', 'EVENT#000002'],
      ['EVENT#000001', 'EVENT#000002'],
      ['EVENT#000002'],
    ]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(StreamRecordDroppedError);
    expect(errors[0]).toMatchObject({
      attempts: 3,
      sequenceNumber: calls[0]?.Records[0]?.dynamodb?.SequenceNumber,
    });
  });

  it('treats a thrown handler error as a failure of the whole batch', async () => {
    // Prepare
    const { tableName, streamArn } = await createStreamedTable();
    await putEvent(tableName, 1);
    const failure = new Error('Step Functions unavailable');
    const { calls, handler } = recordingHandler((_event, call) => {
      if (call === 1) throw failure;
      return undefined;
    });
    const { poller: subject, errors } = poller(streamArn, { handler });

    // Act
    await drain(subject.pollOnce);

    // Assess
    expect(calls.map((event) => sortKeys(event.Records))).toEqual([['EVENT#000001'], ['EVENT#000001']]);
    expect(errors).toEqual([failure]);
  });

  it('splits records into batches of batchSize in stream order', async () => {
    // Prepare
    const { tableName, streamArn } = await createStreamedTable();
    for (const seq of [1, 2, 3, 4, 5]) await putEvent(tableName, seq);
    const { calls, handler } = recordingHandler();
    const { poller: subject } = poller(streamArn, { handler, batchSize: 2 });

    // Act
    const delivered = await subject.pollOnce();

    // Assess
    expect(delivered).toBe(5);
    expect(calls.map((event) => event.Records.length)).toEqual([2, 2, 1]);
    expect(sortKeys(calls.flatMap((event) => event.Records))).toEqual([
      'EVENT#000001',
      'EVENT#000002',
      'EVENT#000003',
      'EVENT#000004',
      'EVENT#000005',
    ]);
  });

  it('never delivers twice when the background loop and pollOnce run together', async () => {
    // Prepare
    const { tableName, streamArn } = await createStreamedTable();
    const { calls, handler } = recordingHandler();
    const { poller: subject, errors } = poller(streamArn, { handler });
    subject.start(5);
    for (const seq of [1, 2, 3, 4]) await putEvent(tableName, seq);

    // Act
    await Promise.all([drain(subject.pollOnce), drain(subject.pollOnce), drain(subject.pollOnce)]);
    await subject.stop();
    await putEvent(tableName, 5);
    await new Promise((resolve) => setTimeout(resolve, 50));

    // Assess: all four exactly once, and nothing delivered after stop()
    expect(sortKeys(calls.flatMap((event) => event.Records))).toEqual([
      'EVENT#000001',
      'EVENT#000002',
      'EVENT#000003',
      'EVENT#000004',
    ]);
    expect(errors).toEqual([]);
  });
});

/** DynamoDB Local keeps one shard for hours, so shard rotation and iterator expiry are played by a mock. */
describe('stream poller across shards', () => {
  const streamArn = 'arn:aws:dynamodb:ddblocal:000000000000:table/t/stream/2026-01-01T00:00:00.000';
  const record = (seq: string): _Record => ({
    eventID: `e-${seq}`,
    eventName: 'INSERT',
    dynamodb: { Keys: { pk: { S: seq } }, SequenceNumber: seq, StreamViewType: 'NEW_IMAGE' },
  });
  const parentShard = { ShardId: 'shard-parent', SequenceNumberRange: { StartingSequenceNumber: '100' } };
  const childShard = {
    ShardId: 'shard-child',
    ParentShardId: 'shard-parent',
    SequenceNumberRange: { StartingSequenceNumber: '200' },
  };

  it('reads a child shard only after its parent closes, and resumes after an expired iterator', async () => {
    // Prepare
    const mocked = new DynamoDBStreamsClient({ region: 'eu-north-1', credentials });
    const stub = mockClient(mocked);
    stub.on(DescribeStreamCommand).resolves({ StreamDescription: { Shards: [childShard, parentShard] } });
    stub
      .on(GetShardIteratorCommand, { ShardId: 'shard-parent', ShardIteratorType: 'TRIM_HORIZON' })
      .resolves({ ShardIterator: 'parent-1' })
      .on(GetShardIteratorCommand, { ShardId: 'shard-parent', ShardIteratorType: 'AFTER_SEQUENCE_NUMBER' })
      .resolves({ ShardIterator: 'parent-resumed' })
      .on(GetShardIteratorCommand, { ShardId: 'shard-child', ShardIteratorType: 'TRIM_HORIZON' })
      .resolves({ ShardIterator: 'child-1' });
    stub
      .on(GetRecordsCommand, { ShardIterator: 'parent-1' })
      .resolves({ Records: [record('101')], NextShardIterator: 'parent-2' })
      .on(GetRecordsCommand, { ShardIterator: 'parent-2' })
      .resolvesOnce({ Records: [], NextShardIterator: 'parent-2' })
      .resolvesOnce({ Records: [], NextShardIterator: 'parent-2' })
      .rejects(new ExpiredIteratorException({ message: 'expired', $metadata: {} }))
      .on(GetRecordsCommand, { ShardIterator: 'parent-resumed' })
      .resolves({ Records: [record('102')], NextShardIterator: undefined })
      .on(GetRecordsCommand, { ShardIterator: 'child-1' })
      .resolves({ Records: [record('201')], NextShardIterator: 'child-2' })
      .on(GetRecordsCommand, { ShardIterator: 'child-2' })
      .resolves({ Records: [], NextShardIterator: 'child-2' });
    const { calls, handler } = recordingHandler();
    const subject = createStreamPoller({
      client: mocked,
      streamArn,
      batchSize: 10,
      filters: [{ eventName: ['INSERT'] }],
      handler,
      onError: (error) => {
        throw error;
      },
    });

    // Act
    const first = await subject.pollOnce();
    const childReadsWhileParentOpen = stub.commandCalls(GetRecordsCommand, {
      ShardIterator: 'child-1',
    }).length;
    const second = await subject.pollOnce();
    const third = await subject.pollOnce();

    // Assess
    expect([first, second, third]).toEqual([1, 2, 0]);
    expect(childReadsWhileParentOpen).toBe(0);
    expect(calls.map((event) => event.Records.map((r) => r.dynamodb?.SequenceNumber))).toEqual([
      ['101'],
      ['102'],
      ['201'],
    ]);
    expect(
      stub.commandCalls(GetShardIteratorCommand, { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER' })[0]?.args[0]
        .input,
    ).toMatchObject({ ShardId: 'shard-parent', SequenceNumber: '101' });
    expect(calls[0]?.Records[0]).toMatchObject({ awsRegion: 'ddblocal', eventSourceARN: streamArn });
    mocked.destroy();
  });
});

/** A timer the test fires by hand: which pause the poller asked for, and the callback behind it. */
function manualSchedule() {
  const delays: number[] = [];
  let pending: (() => void) | undefined;
  const schedule = (callback: () => void, ms: number) => {
    delays.push(ms);
    pending = callback;
    return () => {
      pending = undefined;
    };
  };
  /** Fires the pending timer and waits until the poll behind it has scheduled the next one. */
  const fire = async () => {
    const callback = pending;
    if (!callback) throw new Error('No timer is pending');
    pending = undefined;
    const scheduled = delays.length;
    callback();
    await vi.waitFor(() => expect(delays.length).toBeGreaterThan(scheduled), { interval: 1 });
  };
  return { schedule, delays, fire };
}

describe('stream poller while DynamoDB is down', () => {
  const streamArn = 'arn:aws:dynamodb:ddblocal:000000000000:table/t/stream/2026-01-01T00:00:00.000';
  const refused = () =>
    Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8000'), { code: 'ECONNREFUSED' });

  it('backs off from the interval to 5 s and says once that it fails and once that it recovered', async () => {
    // Prepare: every call fails, as with DynamoDB Local killed.
    const mocked = new DynamoDBStreamsClient({ region: 'eu-north-1', credentials });
    const stub = mockClient(mocked);
    stub.on(DescribeStreamCommand).rejects(refused());
    const timer = manualSchedule();
    const errors: unknown[] = [];
    const recovered: number[] = [];
    const subject = createStreamPoller({
      client: mocked,
      streamArn,
      batchSize: 10,
      filters: [],
      handler: async () => undefined,
      onError: (error) => errors.push(error),
      onRecovered: (failedPolls) => recovered.push(failedPolls),
      schedule: timer.schedule,
    });
    subject.start(100);

    // Act: a minute of outage, in simulated time.
    let elapsed = 0;
    while (elapsed < 60_000) {
      elapsed += timer.delays.at(-1) ?? 0;
      await timer.fire();
    }
    const attemptsDuringOutage = stub.commandCalls(DescribeStreamCommand).length;
    stub.on(DescribeStreamCommand).resolves({ StreamDescription: { Shards: [] } });
    await timer.fire();
    await timer.fire();
    await subject.stop();

    // Assess: 100 ms → 5 s, where a fixed 100 ms would have polled 600 times and logged 600 lines.
    expect(timer.delays.slice(0, 8)).toEqual([100, 200, 400, 800, 1600, 3200, 5000, 5000]);
    expect(attemptsDuringOutage).toBeLessThanOrEqual(20);
    expect(errors).toHaveLength(1);
    expect(String(errors[0])).toContain('ECONNREFUSED');
    expect(recovered).toEqual([attemptsDuringOutage]);
    // Recovered: back to the interval.
    expect(timer.delays.slice(-2)).toEqual([100, 100]);
  });

  it('reports a new run of failures after a recovery again, once', async () => {
    // Prepare
    const mocked = new DynamoDBStreamsClient({ region: 'eu-north-1', credentials });
    const stub = mockClient(mocked);
    const timer = manualSchedule();
    const errors: unknown[] = [];
    const subject = createStreamPoller({
      client: mocked,
      streamArn,
      batchSize: 10,
      filters: [],
      handler: async () => undefined,
      onError: (error) => errors.push(error),
      schedule: timer.schedule,
    });
    subject.start(100);

    // Act: fail twice, succeed, fail three times.
    for (const fails of [true, true, false, true, true, true]) {
      if (fails) stub.on(DescribeStreamCommand).rejects(refused());
      else stub.on(DescribeStreamCommand).resolves({ StreamDescription: { Shards: [] } });
      await timer.fire();
    }
    await subject.stop();

    // Assess
    expect(errors).toHaveLength(2);
    expect(timer.delays).toEqual([100, 200, 400, 100, 200, 400, 800]);
  });
});

describe('stream poller after DynamoDB Local was restarted', () => {
  const oldArn = 'arn:aws:dynamodb:ddblocal:000000000000:table/t/stream/2026-01-01T00:00:00.000';
  const newArn = 'arn:aws:dynamodb:ddblocal:000000000000:table/t/stream/2026-01-01T01:00:00.000';

  it("moves to the table's new stream when its stream is gone, and delivers from the new stream's start", async () => {
    // Prepare: a fresh JVM knows neither the old stream nor its shards; the table was created again.
    const mocked = new DynamoDBStreamsClient({ region: 'eu-north-1', credentials });
    const stub = mockClient(mocked);
    stub
      .on(DescribeStreamCommand, { StreamArn: oldArn })
      .rejects(new ResourceNotFoundException({ message: 'Requested resource not found', $metadata: {} }));
    stub
      .on(ListStreamsCommand, { TableName: 't' })
      .resolves({ Streams: [{ StreamArn: newArn, TableName: 't' }] });
    stub.on(DescribeStreamCommand, { StreamArn: newArn }).resolves({
      StreamDescription: {
        Shards: [{ ShardId: 'shard-new', SequenceNumberRange: { StartingSequenceNumber: '1' } }],
      },
    });
    stub
      .on(GetShardIteratorCommand, {
        StreamArn: newArn,
        ShardId: 'shard-new',
        ShardIteratorType: 'TRIM_HORIZON',
      })
      .resolves({ ShardIterator: 'it-1' });
    stub.on(GetRecordsCommand, { ShardIterator: 'it-1' }).resolves({
      Records: [
        { eventID: 'e-1', eventName: 'INSERT', dynamodb: { Keys: { pk: { S: 'a' } }, SequenceNumber: '1' } },
      ],
      NextShardIterator: 'it-2',
    });
    stub
      .on(GetRecordsCommand, { ShardIterator: 'it-2' })
      .resolves({ Records: [], NextShardIterator: 'it-2' });
    const { calls, handler } = recordingHandler();
    const errors: unknown[] = [];
    const subject = createStreamPoller({
      client: mocked,
      streamArn: oldArn,
      batchSize: 10,
      filters: [],
      handler,
      onError: (error) => errors.push(error),
    });

    // Act
    await drain(subject.pollOnce);

    // Assess
    expect(calls.flatMap((event) => event.Records).map((r) => [r.eventID, r.eventSourceARN])).toEqual([
      ['e-1', newArn],
    ]);
    expect(errors).toEqual([]);
  });

  it('keeps failing when the table has no other stream', async () => {
    // Prepare
    const mocked = new DynamoDBStreamsClient({ region: 'eu-north-1', credentials });
    const stub = mockClient(mocked);
    stub
      .on(DescribeStreamCommand)
      .rejects(new ResourceNotFoundException({ message: 'Requested resource not found', $metadata: {} }));
    stub.on(ListStreamsCommand).resolves({ Streams: [] });
    const subject = createStreamPoller({
      client: mocked,
      streamArn: oldArn,
      batchSize: 10,
      filters: [],
      handler: async () => undefined,
      onError: () => undefined,
    });

    // Act
    const poll = subject.pollOnce();

    // Assess
    await expect(poll).rejects.toThrow('Requested resource not found');
  });
});
