import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isDependencyOutage } from '#shared/retry';
import { startLocalAwsEndpoint } from '../../local/aws-endpoint.ts';
import type { LocalSnsMessage, LocalStepFunctions } from '../../local/contracts.ts';
import {
  type DynamoDbFaultProxy,
  FaultInjector,
  type FaultPlan,
  faultPlanFromEnv,
  redeliveringHandler,
  snsPublishFault,
  startDynamoDbFaultProxy,
} from '../../local/faults.ts';
import { LocalLambdas } from '../../local/lambdas.ts';
import type { LocalFunction } from '../../local/template.ts';

/** The decisions of `calls` calls, each its own request, as a string of 0 and 1. */
function decisions(plan: FaultPlan, calls = 200): string {
  const faults = new FaultInjector(plan);
  return Array.from({ length: calls }, (_, i) =>
    faults.inject('lambdaCrash', { request: `r${i}` }) ? '1' : '0',
  ).join('');
}

describe('the fault injector', () => {
  it('decides the same way for the same plan and seed, and differently for another seed', () => {
    // Act
    const first = decisions({ seed: 7, lambdaCrash: { rate: 0.3 } });
    const again = decisions({ seed: 7, lambdaCrash: { rate: 0.3 } });
    const other = decisions({ seed: 8, lambdaCrash: { rate: 0.3 } });
    // Assess
    expect(again).toBe(first);
    expect(other).not.toBe(first);
  });

  it('strikes about the share asked for, and exactly every Nth request with every', () => {
    // Act
    const struck = decisions({ seed: 3, lambdaCrash: { rate: 0.2 } }, 10_000).split('1').length - 1;
    const everyFourth = decisions({ lambdaCrash: { every: 4 } }, 12);
    // Assess
    expect(struck).toBeGreaterThan(1_800);
    expect(struck).toBeLessThan(2_200);
    expect(everyFourth).toBe('000100010001');
  });

  it('fails a struck request `times` attempts, then lets it through for good; its retries are not new requests', () => {
    // Prepare
    const faults = new FaultInjector({ dynamodbError: { every: 2, times: 3 } });
    const attempt = (request: string) => faults.inject('dynamodbError', { request });
    // Act
    const a = attempt('a');
    const b = [attempt('b'), attempt('b'), attempt('b'), attempt('b'), attempt('b')];
    const c = attempt('c');
    const d = attempt('d');
    // Assess: a is request 1 (through), b request 2 (struck thrice), c request 3, d request 4 (struck).
    expect(a).toBe(false);
    expect(b).toEqual([true, true, true, false, false]);
    expect([c, d]).toEqual([false, true]);
    expect(faults.injected().dynamodbError).toBe(4);
  });

  it('applies a rule only to the operations or functions it names', () => {
    // Prepare
    const faults = new FaultInjector({ lambdaTimeout: { every: 1, only: ['notify-finance'] } });
    // Act
    const other = faults.inject('lambdaTimeout', { request: '1', subject: 'advance-phase' });
    const named = faults.inject('lambdaTimeout', { request: '2', subject: 'notify-finance' });
    // Assess
    expect([other, named]).toEqual([false, true]);
  });

  it('starts counting afresh when the plan is replaced, and injects nothing without a rule', () => {
    // Prepare
    const faults = new FaultInjector({ snsError: { every: 1 } });
    faults.inject('snsError', { request: 'x' });
    // Act
    faults.setPlan({});
    const after = faults.inject('snsError', { request: 'y' });
    // Assess
    expect(after).toBe(false);
    expect(Object.values(faults.injected())).toEqual([0, 0, 0, 0, 0, 0, 0]);
  });
});

describe('LOCAL_FAULTS', () => {
  it('is read as a validated plan, and is absent when unset', () => {
    // Act
    const plan = faultPlanFromEnv({
      LOCAL_FAULTS: '{"seed":7,"dynamodbThrottle":{"rate":0.1,"times":2},"lambdaCrash":{"every":5}}',
    });
    // Assess
    expect(plan).toEqual({
      seed: 7,
      dynamodbThrottle: { rate: 0.1, times: 2 },
      lambdaCrash: { every: 5 },
    });
    expect(faultPlanFromEnv({})).toBeUndefined();
  });

  it('refuses what is not a plan, saying why, rather than run without the faults asked for', () => {
    // Assess
    expect(() => faultPlanFromEnv({ LOCAL_FAULTS: '{' })).toThrow('LOCAL_FAULTS is not valid JSON');
    expect(() => faultPlanFromEnv({ LOCAL_FAULTS: '{"lambdaCrash":{"rate":2}}' })).toThrow(/rate/);
    expect(() => faultPlanFromEnv({ LOCAL_FAULTS: '{"lambdaCrash":{"rate":0.1,"every":2}}' })).toThrow(
      /either every or rate/,
    );
    expect(() => faultPlanFromEnv({ LOCAL_FAULTS: '{"diskFull":{"every":1}}' })).toThrow(/diskFull/);
  });
});

describe('the DynamoDB fault proxy', () => {
  /** Stands in for DynamoDB Local: answers every operation with an empty 200 and counts what reached it. */
  let upstream: Server;
  const received: string[] = [];
  const faults = new FaultInjector();
  let proxy: DynamoDbFaultProxy;
  const client = (maxAttempts?: number) =>
    new DynamoDBClient({
      endpoint: proxy.url,
      region: 'eu-north-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts,
    });
  const put = new PutItemCommand({ TableName: 'programme', Item: { pk: { S: 'a' }, sk: { S: 'b' } } });
  const get = new GetItemCommand({ TableName: 'programme', Key: { pk: { S: 'a' }, sk: { S: 'b' } } });

  beforeAll(async () => {
    upstream = createServer((request, response) => {
      received.push(String(request.headers['x-amz-target']).split('.')[1] ?? '');
      request.resume();
      request.on('end', () => {
        response.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
        response.end('{}');
      });
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    proxy = await startDynamoDbFaultProxy(
      `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`,
      faults,
    );
  });

  afterAll(async () => {
    await proxy.close();
    upstream.closeAllConnections();
    await new Promise((resolve) => upstream.close(resolve));
  });

  beforeEach(() => {
    received.length = 0;
  });

  it('throttles as DynamoDB does: the SDK retries it as throttling, and the request goes through', async () => {
    // Prepare
    faults.setPlan({ dynamodbThrottle: { every: 1, times: 1 } });
    // Act
    const answer = await client().send(get);
    // Assess
    expect(answer.$metadata.attempts).toBe(2);
    expect(received).toEqual(['GetItem']);
    expect(faults.injected().dynamodbThrottle).toBe(1);
  });

  it('answers throttling and 5xx in DynamoDB’s shape: the SDK names them and our handlers see an outage', async () => {
    // Prepare
    faults.setPlan({ dynamodbThrottle: { every: 1 } });
    // Act
    const throttled = await client(1)
      .send(get)
      .catch((error: unknown) => error);
    faults.setPlan({ dynamodbError: { every: 1, times: 4 } });
    const failed = await client()
      .send(get)
      .catch((error: unknown) => error);
    // Assess
    expect(throttled).toMatchObject({
      name: 'ProvisionedThroughputExceededException',
      $metadata: { httpStatusCode: 400 },
    });
    // Retried by the SDK, all four attempts failed: a 500 it classifies as a server fault.
    expect(failed).toMatchObject({
      name: 'InternalServerError',
      $fault: 'server',
      $metadata: { httpStatusCode: 500, attempts: 4 },
    });
    expect(isDependencyOutage(throttled)).toBe(true);
    expect(isDependencyOutage(failed)).toBe(true);
    expect(received).toEqual([]);
  });

  it('applies a write and loses its answer; reads are never ambiguous', async () => {
    // Prepare
    faults.setPlan({ dynamodbAmbiguous: { every: 1 } });
    // Act
    const lost = await client(1)
      .send(put)
      .catch((error: unknown) => error);
    const read = await client(1).send(get);
    // Assess: the write reached DynamoDB, the caller was told it failed.
    expect(lost).toMatchObject({ name: 'InternalServerError', $metadata: { httpStatusCode: 500 } });
    expect(read.$metadata.httpStatusCode).toBe(200);
    expect(received).toEqual(['PutItem', 'GetItem']);
  });
});

describe('Lambda faults', () => {
  let root: string;
  const calls: string[] = [];
  const fn = (name: string, timeoutSeconds: number): LocalFunction => ({
    logicalId: name,
    functionName: name,
    arn: `arn:aws:lambda:eu-north-1:000000000000:function:${name}`,
    entry: `functions/${name}.mjs`,
    handler: 'index.handler',
    environment: {},
    timeoutSeconds,
  });

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'faults-'));
    const handler = (ms: number) =>
      `export const handler = async (event) => { await new Promise((r) => setTimeout(r, ${ms})); globalThis.faultsTestCalls.push(event.id); return { done: event.id }; };`;
    await mkdir(path.join(root, 'functions'));
    await writeFile(path.join(root, 'functions', 'work.mjs'), handler(1));
    await writeFile(path.join(root, 'functions', 'slow.mjs'), handler(300));
    (globalThis as { faultsTestCalls?: string[] }).faultsTestCalls = calls;
  });

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('crashes after the handler’s work, as Lambda reports a runtime that exited; the retry goes through', async () => {
    // Prepare
    const faults = new FaultInjector({ lambdaCrash: { every: 1, only: ['work'] } });
    const lambdas = new LocalLambdas({ work: fn('work', 10) }, root, faults);
    // Act
    const crashed = await lambdas.invoke('work', { id: 'crash' }).catch((error: unknown) => error);
    const retried = await lambdas.invoke('work', { id: 'crash' });
    // Assess: the work was done twice, the first answer lost.
    expect(crashed).toMatchObject({ name: 'Runtime.ExitError', message: /Runtime exited with error/ });
    expect(retried).toEqual({ done: 'crash' });
    expect(calls.filter((id) => id === 'crash')).toHaveLength(2);
  });

  it('reports an injected timeout, and enforces the function’s own timeout', async () => {
    // Prepare
    const faults = new FaultInjector({ lambdaTimeout: { every: 1, only: ['work'] } });
    const lambdas = new LocalLambdas({ work: fn('work', 10), slow: fn('slow', 0.1) }, root, faults);
    // Act
    const injected = await lambdas.invoke('work', { id: 'timeout' }).catch((error: unknown) => error);
    const slow = await lambdas.invoke('slow', { id: 'slow' }).catch((error: unknown) => error);
    // Assess
    expect(injected).toMatchObject({
      name: 'Sandbox.Timedout',
      message: /Task timed out after 10.00 seconds/,
    });
    expect(slow).toMatchObject({ name: 'Sandbox.Timedout', message: /Task timed out after 0.10 seconds/ });
  });
});

describe('stream redelivery', () => {
  it('hands a struck batch to the consumer again after it was handled, and answers with the last answer', async () => {
    // Prepare
    const faults = new FaultInjector({ streamRedelivery: { every: 2, times: 2 } });
    const delivered: string[] = [];
    const handler = redeliveringHandler(faults, 'Dispatcher', async (event: { Records: string[] }) => {
      delivered.push(event.Records.join());
      return delivered.length;
    });
    // Act
    const first = await handler({ Records: ['1', '2'] });
    const second = await handler({ Records: ['3'] });
    // Assess: the second batch (every second) was delivered three times.
    expect(delivered).toEqual(['1,2', '3', '3', '3']);
    expect([first, second]).toEqual([1, 4]);
    expect(faults.injected().streamRedelivery).toBe(2);
  });
});

describe('SNS failures', () => {
  it('answers a struck publish with a 500 the SDK retries, and publishes the message once it goes through', async () => {
    // Prepare
    const published: LocalSnsMessage[] = [];
    const faults = new FaultInjector({ snsError: { every: 1, times: 2 } });
    const endpoint = await startLocalAwsEndpoint({
      stepFunctions: {} as LocalStepFunctions,
      onPublish: (message) => published.push(message),
      failPublish: snsPublishFault(faults),
    });
    const sns = (maxAttempts: number) =>
      new SNSClient({
        endpoint: endpoint.url,
        region: 'eu-north-1',
        credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
        maxAttempts,
      });
    const publish = new PublishCommand({
      TopicArn: 'arn:aws:sns:eu-north-1:000000000000:finance',
      Message: 'Betaling',
    });
    try {
      // Act
      const failed = await sns(1)
        .send(publish)
        .catch((error: unknown) => error);
      const sent = await sns(3).send(publish);
      // Assess: the first call's one attempt and the second call's first attempt failed; the retry published.
      // SNS's code InternalError, which the SDK throws as InternalErrorException.
      expect(failed).toMatchObject({ name: 'InternalErrorException', $metadata: { httpStatusCode: 500 } });
      expect(isDependencyOutage(failed)).toBe(true);
      expect(sent.$metadata.attempts).toBe(2);
      expect(published.map((m) => m.message)).toEqual(['Betaling']);
    } finally {
      await endpoint.close();
    }
  });
});
