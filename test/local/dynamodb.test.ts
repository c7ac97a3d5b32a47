import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  GetItemCommand,
  ListTablesCommand,
  PutItemCommand,
  QueryCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AttributeType, StreamViewType, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { CloudFormationTemplate } from '../../local/cloudformation.ts';
import {
  type CreatedTable,
  createTablesFromTemplate,
  type DynamoDbLocal,
  dynamoDbLocalAt,
  startDynamoDbLocal,
} from '../../local/dynamodb.ts';

const TABLE_NAME = 'programme-local';

/** The table as docs/ARCHITECTURE.md describes it, synthesized by CDK rather than written by hand. */
function synthesizeProgrammeTable(): { template: CloudFormationTemplate; logicalId: string } {
  const stack = new Stack(new App(), 'LocalDynamoDbTest', {
    env: { account: '000000000000', region: 'eu-north-1' },
  });
  new TableV2(stack, 'ProgrammeTable', {
    partitionKey: { name: 'pk', type: AttributeType.STRING },
    sortKey: { name: 'sk', type: AttributeType.STRING },
    dynamoStream: StreamViewType.NEW_IMAGE,
    timeToLiveAttribute: 'expiresAt',
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    deletionProtection: true,
    globalSecondaryIndexes: [
      {
        indexName: 'byType',
        partitionKey: { name: 'gsi1pk', type: AttributeType.STRING },
        sortKey: { name: 'gsi1sk', type: AttributeType.STRING },
      },
    ],
  });
  const template = Template.fromStack(stack).toJSON() as CloudFormationTemplate;
  const [logicalId] = Object.entries(template.Resources)
    .filter(([, resource]) => resource.Type === 'AWS::DynamoDB::GlobalTable')
    .map(([id]) => id);
  if (!logicalId) throw new Error('TableV2 did not synthesize an AWS::DynamoDB::GlobalTable');
  return { template, logicalId };
}

let dynamoDb: DynamoDbLocal;
let client: DynamoDBClient;
let created: Map<string, CreatedTable>;
let logicalId: string;
let template: CloudFormationTemplate;
/** What the supervision logged: one line per state change. */
const logged: string[] = [];

beforeAll(async () => {
  const synthesized = synthesizeProgrammeTable();
  logicalId = synthesized.logicalId;
  template = synthesized.template;
  dynamoDb = await startDynamoDbLocal({ log: (line) => logged.push(line) });
  // Visible in the test output: start-up time is the cost every test file and `npm start` pays.
  console.info(`DynamoDB Local answered after ${dynamoDb.startupMs} ms`);
  client = new DynamoDBClient({
    endpoint: dynamoDb.endpoint,
    region: 'eu-north-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  created = await createTablesFromTemplate(client, synthesized.template, new Map([[logicalId, TABLE_NAME]]));
});

afterAll(async () => {
  client?.destroy();
  await dynamoDb?.stop();
  vi.unstubAllEnvs();
});

describe('createTablesFromTemplate with a CDK TableV2', () => {
  it('creates the table with its keys, index, stream and TTL', async () => {
    // Act
    const { Table } = await client.send(new DescribeTableCommand({ TableName: TABLE_NAME }));
    const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: TABLE_NAME }));

    // Assess
    expect(created.get(logicalId)).toMatchObject({ logicalId, tableName: TABLE_NAME });
    expect(created.get(logicalId)?.streamArn).toBe(Table?.LatestStreamArn);
    expect(Table?.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect(Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    expect(Table?.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_IMAGE' });
    expect(Table?.GlobalSecondaryIndexes?.map((index) => index.IndexName)).toEqual(['byType']);
    expect(ttl.TimeToLiveDescription).toMatchObject({
      AttributeName: 'expiresAt',
      TimeToLiveStatus: 'ENABLED',
    });
  });

  it('supports a conditional TransactWriteItems and a query on the GSI', async () => {
    // Prepare
    const takePlace = (paymentId: string) =>
      new TransactWriteItemsCommand({
        TransactItems: [
          {
            Update: {
              TableName: TABLE_NAME,
              Key: { pk: { S: 'MUNICIPALITY#101' }, sk: { S: 'CAPACITY' } },
              UpdateExpression: 'ADD placesTaken :one',
              ConditionExpression: 'attribute_not_exists(placesTaken) OR placesTaken < :max',
              ExpressionAttributeValues: { ':one': { N: '1' }, ':max': { N: '1' } },
            },
          },
          {
            Put: {
              TableName: TABLE_NAME,
              Item: {
                pk: { S: `REFERRAL#${paymentId}` },
                sk: { S: `PAYMENT#${paymentId}` },
                gsi1pk: { S: 'PAYMENT' },
                gsi1sk: { S: `2026-05-01T00:00:00.000Z#${paymentId}` },
              },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
        ],
      });

    // Act
    await client.send(takePlace('p-1'));
    const refused = await client.send(takePlace('p-2')).catch((e: unknown) => e);
    const payments = await client.send(
      new QueryCommand({
        TableName: TABLE_NAME,
        IndexName: 'byType',
        KeyConditionExpression: 'gsi1pk = :type',
        ExpressionAttributeValues: { ':type': { S: 'PAYMENT' } },
      }),
    );

    // Assess
    expect(refused).toBeInstanceOf(TransactionCanceledException);
    expect(
      (refused as TransactionCanceledException).CancellationReasons?.map((reason) => reason.Code),
    ).toEqual(['ConditionalCheckFailed', 'None']);
    expect(payments.Items?.map((item) => item.pk?.S)).toEqual(['REFERRAL#p-1']);
  });
});

describe('a handler-style client', () => {
  it('reaches DynamoDB Local through AWS_ENDPOINT_URL_DYNAMODB with no endpoint in code', async () => {
    // Prepare
    vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', dynamoDb.endpoint);
    vi.stubEnv('AWS_REGION', 'eu-north-1');
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'handler');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'handler');
    const handlerClient = new DynamoDBClient({});

    // Act
    const { TableNames } = await handlerClient.send(new ListTablesCommand({}));

    // Assess: other credentials and region see the same tables because the database is shared
    expect(TableNames).toContain(TABLE_NAME);
    handlerClient.destroy();
  });
});

/** Last in the file: it kills the Java process the tests above share. */
describe('a DynamoDB Local that dies', () => {
  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };

  it('is started again on the same endpoint, says its data is gone, and has its tables again', async () => {
    // Prepare
    dynamoDb.onRestarted(() =>
      createTablesFromTemplate(client, template, new Map([[logicalId, TABLE_NAME]])),
    );
    await client.send(
      new PutItemCommand({ TableName: TABLE_NAME, Item: { pk: { S: 'before' }, sk: { S: 'crash' } } }),
    );
    const pid = dynamoDb.pid();
    if (pid === undefined) throw new Error('DynamoDB Local has no process id');
    expect(dynamoDbLocalAt(dynamoDb.endpoint)).toBe(dynamoDb);
    logged.length = 0;

    // Act
    process.kill(pid, 'SIGKILL');
    await vi.waitFor(() => expect(logged.at(-1)).toMatch(/tables ready/), {
      timeout: 60_000,
      interval: 100,
    });

    // Assess: same endpoint (the client was not told anything), a new process, the table back and empty.
    const { TableNames } = await client.send(new ListTablesCommand({}));
    expect(TableNames).toEqual([TABLE_NAME]);
    const { Item } = await client.send(
      new GetItemCommand({ TableName: TABLE_NAME, Key: { pk: { S: 'before' }, sk: { S: 'crash' } } }),
    );
    expect(Item).toBeUndefined();
    expect(dynamoDb.pid()).not.toBe(pid);
    expect(alive(pid)).toBe(false);
    expect(logged).toHaveLength(3);
    expect(logged[0]).toMatch(/stopped unexpectedly/);
    expect(logged[1]).toMatch(/running again .*data was in memory and is gone/);
  });

  it('is not started again after stop()', async () => {
    // Prepare
    const pid = dynamoDb.pid();
    if (pid === undefined) throw new Error('DynamoDB Local has no process id');
    logged.length = 0;

    // Act
    await dynamoDb.stop();
    await new Promise((resolve) => setTimeout(resolve, 1_000));

    // Assess
    expect(alive(pid)).toBe(false);
    expect(logged).toEqual([]);
    expect(dynamoDbLocalAt(dynamoDb.endpoint)).toBeUndefined();
  });
});

describe('a DynamoDB Local kept on disk', () => {
  it('finds its tables, items and stream again after a restart, and adds an index the template gained', async () => {
    // Prepare: a database folder written by a first instance, from a template that had no index yet.
    const dbPath = mkdtempSync(path.join(os.tmpdir(), 'vaekst-dynamodb-'));
    const withoutIndex = structuredClone(template);
    const tableProperties = withoutIndex.Resources[logicalId]?.Properties as Record<string, unknown>;
    delete tableProperties.GlobalSecondaryIndexes;
    tableProperties.AttributeDefinitions = [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'S' },
    ];
    const names = new Map([[logicalId, TABLE_NAME]]);
    const first = await startDynamoDbLocal({ dbPath, log: () => {} });
    const firstClient = localClient(first.endpoint);
    const firstTables = await createTablesFromTemplate(firstClient, withoutIndex, names);
    await firstClient.send(
      new PutItemCommand({ TableName: TABLE_NAME, Item: { pk: { S: 'kept' }, sk: { S: 'disk' } } }),
    );
    firstClient.destroy();
    await first.stop();
    const reported: string[] = [];

    // Act: a second instance on the same folder, with the template as it is now.
    const second = await startDynamoDbLocal({ dbPath, log: () => {} });
    const secondClient = localClient(second.endpoint);
    try {
      const secondTables = await createTablesFromTemplate(secondClient, template, names, (line) =>
        reported.push(line),
      );

      // Assess: the item is there, the stream is the same one, the new index exists and was reported.
      const { Item } = await secondClient.send(
        new GetItemCommand({ TableName: TABLE_NAME, Key: { pk: { S: 'kept' }, sk: { S: 'disk' } } }),
      );
      expect(Item).toEqual({ pk: { S: 'kept' }, sk: { S: 'disk' } });
      expect(secondTables.get(logicalId)?.streamArn).toBe(firstTables.get(logicalId)?.streamArn);
      const { Table } = await secondClient.send(new DescribeTableCommand({ TableName: TABLE_NAME }));
      expect(Table?.GlobalSecondaryIndexes?.map((index) => index.IndexName)).toEqual(['byType']);
      expect(reported).toEqual([expect.stringMatching(/creating index byType/)]);
    } finally {
      secondClient.destroy();
      await second.stop();
      rmSync(dbPath, { recursive: true, force: true });
    }
  });
});

function localClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: 'eu-north-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}
