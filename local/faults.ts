import { createHash, randomUUID } from 'node:crypto';
import {
  Agent,
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';

/**
 * Fault injection for the embedded default: the failures AWS has in store (throttling, 5xx, a write applied
 * whose answer is lost, a Lambda that dies after its work, a timeout, a stream batch delivered again, SNS
 * down), injected where the real service would fail: in front of DynamoDB Local, around the Lambda call, in
 * the stream delivery and in the local SNS endpoint. Faults come from configuration only (`LOCAL_FAULTS`, or
 * the runtime's `faults` option), never from a request, and every decision is drawn from a seeded generator
 * so that a run can be repeated. The injector counts what it injected: a fault test that injected nothing
 * proves nothing.
 */

/** What can go wrong, each where it happens on AWS. */
export const faultKinds = [
  /** DynamoDB answers 400 ProvisionedThroughputExceededException (ThrottlingException for table operations). */
  'dynamodbThrottle',
  /** DynamoDB answers 500 InternalServerError without doing anything. */
  'dynamodbError',
  /** DynamoDB applies a write, and the answer is lost: the caller sees 500 InternalServerError. */
  'dynamodbAmbiguous',
  /** The Lambda's runtime dies after the handler finished (its writes are done) but before it answered. */
  'lambdaCrash',
  /** The Lambda ran past its timeout after the handler's work was done: reported as a timeout. */
  'lambdaTimeout',
  /** The stream delivers a batch that the consumer has already handled once more. */
  'streamRedelivery',
  /** SNS answers Publish with 500 InternalError without publishing. */
  'snsError',
] as const;
export type FaultKind = (typeof faultKinds)[number];

const faultRule = z
  .strictObject({
    /** Every Nth request (1: every one), counted per fault kind; a retry of a struck request does not count. */
    every: z.number().int().positive().optional(),
    /** Or this share of requests, drawn from the plan's seeded generator. */
    rate: z.number().min(0).max(1).optional(),
    /**
     * How many attempts of a struck request fail (default 1) before it goes through: its retries fail too until
     * this many have, and then it is never struck again. A retry is the same request: for DynamoDB the SDK's
     * (same `amz-sdk-invocation-id`), for SNS any publish of the same message, for a Lambda the same function
     * and payload (a Step Functions retry), for a stream the same batch. Below the caller's retry bound the
     * retry absorbs it; at or above it the caller sees the failure and the layer above must cope (the SDK makes
     * 4 attempts at DynamoDB and 3 at SNS; Step Functions runs a failed task 4 times).
     */
    times: z.number().int().positive().optional(),
    /** Only these: DynamoDB operations (`UpdateItem`) or functions by their entry's name (`notify-finance`). */
    only: z.array(z.string().min(1)).min(1).optional(),
  })
  .refine((rule) => (rule.every === undefined) !== (rule.rate === undefined), {
    message: 'Give either every or rate',
  });
export type FaultRule = z.infer<typeof faultRule>;

export const faultPlanSchema = z.strictObject({
  /** Seeds the generators; the same plan and the same calls inject the same faults. Default 1. */
  seed: z.number().int().optional(),
  ...Object.fromEntries(faultKinds.map((kind) => [kind, faultRule.optional()])),
}) as z.ZodType<FaultPlan>;
export type FaultPlan = { seed?: number } & { [kind in FaultKind]?: FaultRule };

/**
 * The plan in `LOCAL_FAULTS` (JSON), or undefined when it is not set, e.g.
 * `LOCAL_FAULTS='{"seed":7,"dynamodbThrottle":{"rate":0.1,"times":2},"lambdaCrash":{"every":5}}'`.
 * An invalid plan stops the start with the reason, rather than running without the faults asked for.
 */
export function faultPlanFromEnv(
  env: Record<string, string | undefined> = process.env,
): FaultPlan | undefined {
  const text = env.LOCAL_FAULTS;
  if (text === undefined || text.trim() === '') return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error('LOCAL_FAULTS is not valid JSON');
  }
  const parsed = faultPlanSchema.safeParse(json);
  if (!parsed.success) throw new Error(`LOCAL_FAULTS is not a fault plan: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** Where a decision is asked for: which request (to cap repeats) and what it is (for `only`). */
export interface FaultSite {
  /** Stable across retries of the same request. */
  request?: string;
  /** The DynamoDB operation or the function's name. */
  subject?: string;
}

/** mulberry32: small, fast and good enough to spread faults; what matters is that it is seeded. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

interface KindState {
  random: () => number;
  /** Requests seen, retries of struck requests not counted. */
  requests: number;
  injected: number;
  /** Struck requests with attempts still to fail. */
  pending: Map<string, number>;
  /** Struck requests that have failed their `times`: they go through from now on. */
  done: Set<string>;
}

/**
 * Decides, per call, whether to inject a fault, and counts what it injected. One generator per kind, so the
 * faults of one kind do not move when calls of another kind come and go. The plan can be replaced while the
 * system runs (a test runs its scenarios one after another on one runtime); replacing it starts the counts
 * and generators afresh.
 */
export class FaultInjector {
  private current: FaultPlan = {};
  private states = new Map<FaultKind, KindState>();

  constructor(plan: FaultPlan = {}) {
    this.setPlan(plan);
  }

  get plan(): FaultPlan {
    return this.current;
  }

  setPlan(plan: FaultPlan): void {
    this.current = faultPlanSchema.parse(plan);
    const seed = this.current.seed ?? 1;
    this.states = new Map(
      faultKinds.map((kind, index) => [
        kind,
        {
          random: generator(seed * 31 + index),
          requests: 0,
          injected: 0,
          pending: new Map(),
          done: new Set(),
        },
      ]),
    );
  }

  /** Whether this call fails with `kind`; counted when it does. */
  inject(kind: FaultKind, site: FaultSite = {}): boolean {
    const rule = this.current[kind];
    const state = this.states.get(kind);
    if (!rule || !state) return false;
    if (rule.only && (site.subject === undefined || !rule.only.includes(site.subject))) return false;
    const key = site.request;
    const left = key === undefined ? undefined : state.pending.get(key);
    if (key !== undefined && left !== undefined) {
      state.pending.delete(key);
      if (left > 1) state.pending.set(key, left - 1);
      else state.done.add(key);
      state.injected += 1;
      return true;
    }
    if (key !== undefined && state.done.has(key)) return false;
    state.requests += 1;
    const struck =
      rule.every !== undefined ? state.requests % rule.every === 0 : state.random() < (rule.rate ?? 0);
    if (!struck) return false;
    const times = rule.times ?? 1;
    if (key !== undefined) {
      if (times > 1) state.pending.set(key, times - 1);
      else state.done.add(key);
    }
    state.injected += 1;
    return true;
  }

  /** For a fault applied all at once (a batch delivered again `times` times): how many strikes, 0 for none. */
  strikes(kind: FaultKind, site: FaultSite): number {
    if (!this.inject(kind, site)) return 0;
    let strikes = 1;
    while (site.request !== undefined && this.states.get(kind)?.pending.has(site.request)) {
      this.inject(kind, site);
      strikes += 1;
    }
    return strikes;
  }

  /** Injections (failed attempts) per kind since the plan was set. */
  injected(): Record<FaultKind, number> {
    return Object.fromEntries(
      faultKinds.map((kind) => [kind, this.states.get(kind)?.injected ?? 0]),
    ) as Record<FaultKind, number>;
  }
}

/** A request's identity across retries, from what it carries (a Step Functions retry sends the same payload). */
export function requestKey(...parts: unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32);
}

// Lambda

/**
 * What Lambda reports for a runtime that exited before answering. Step Functions sees it as the task's error
 * (older runtimes report `Lambda.Unknown`); `States.TaskFailed` matches both, and API Gateway answers 502.
 */
export function lambdaCrash(requestId: string): Error {
  const error = new Error(`RequestId: ${requestId} Error: Runtime exited with error: exit status 1`);
  error.name = 'Runtime.ExitError';
  return error;
}

/** What Lambda reports for an invocation that ran past the function's timeout. */
export function lambdaTimeout(requestId: string, timeoutSeconds: number): Error {
  const error = new Error(
    `RequestId: ${requestId} Error: Task timed out after ${timeoutSeconds.toFixed(2)} seconds`,
  );
  error.name = 'Sandbox.Timedout';
  return error;
}

// Streams

/**
 * Wraps a stream consumer: a batch struck by `streamRedelivery` is handed to the consumer again (`times` times)
 * after it was handled, as Lambda does when an invocation's answer is lost. The last answer counts.
 */
export function redeliveringHandler<TEvent extends { Records: ReadonlyArray<unknown> }, TResult>(
  faults: FaultInjector,
  consumer: string,
  handler: (event: TEvent) => Promise<TResult>,
): (event: TEvent) => Promise<TResult> {
  return async (event) => {
    let result = await handler(structuredClone(event));
    const again = faults.strikes('streamRedelivery', {
      request: requestKey(consumer, event.Records),
      subject: consumer,
    });
    for (let delivery = 0; delivery < again; delivery++) result = await handler(structuredClone(event));
    return result;
  };
}

// SNS

/**
 * The local SNS endpoint's `failPublish`: a publish struck by `snsError` answers 500. Keyed by the message, so
 * that a retry of the same notification (the SDK's, or the task's run again by Step Functions) is the same request.
 */
export function snsPublishFault(
  faults: FaultInjector,
): (publish: { topicArn: string; message: string }) => boolean {
  return (publish) => faults.inject('snsError', { request: requestKey(publish.topicArn, publish.message) });
}

// DynamoDB

/** Writes: the only operations whose answer can be lost after they took effect. */
const WRITE_OPERATIONS = new Set([
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'TransactWriteItems',
  'BatchWriteItem',
]);
const ITEM_OPERATIONS = new Set([
  ...WRITE_OPERATIONS,
  'GetItem',
  'BatchGetItem',
  'Query',
  'Scan',
  'TransactGetItems',
]);

export interface DynamoDbFaultProxy {
  /** Where the handlers' `AWS_ENDPOINT_URL_DYNAMODB` points. */
  url: string;
  close(): Promise<void>;
}

/**
 * An HTTP proxy in front of DynamoDB Local that answers some requests as DynamoDB does when it throttles or
 * fails (awsJson1_0 with `__type`, which the SDK turns into `ProvisionedThroughputExceededException` or
 * `InternalServerError` and retries), and for `dynamodbAmbiguous` forwards a write, lets DynamoDB Local apply
 * it, and replaces its answer with a 500. Bodies are passed through, never logged: they carry encrypted CPR.
 */
export async function startDynamoDbFaultProxy(
  target: string,
  faults: FaultInjector,
): Promise<DynamoDbFaultProxy> {
  const upstream = new URL(target);
  const agent = new Agent({ keepAlive: true });
  const server = createServer((request, response) => {
    proxy(request, response).catch(() => {
      // DynamoDB Local is down or the caller went away: a reset connection is what the SDK would see on AWS.
      if (!response.headersSent) response.destroy();
    });
  });

  async function proxy(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readAll(request);
    const target = request.headers['x-amz-target'];
    const operation = typeof target === 'string' ? (target.split('.')[1] ?? '') : '';
    const invocation = request.headers['amz-sdk-invocation-id'];
    const site: FaultSite = {
      request: typeof invocation === 'string' ? invocation : requestKey(operation, body.toString('base64')),
      subject: operation,
    };
    if (faults.inject('dynamodbThrottle', site)) {
      const code = ITEM_OPERATIONS.has(operation)
        ? 'ProvisionedThroughputExceededException'
        : 'ThrottlingException';
      sendDynamoDbError(
        response,
        400,
        code,
        'The level of configured provisioned throughput for the table was exceeded.',
      );
      return;
    }
    if (faults.inject('dynamodbError', site)) {
      sendDynamoDbError(response, 500, 'InternalServerError', 'Internal server error');
      return;
    }
    const answer = await forward(request, body);
    if (
      answer.status === 200 &&
      WRITE_OPERATIONS.has(operation) &&
      faults.inject('dynamodbAmbiguous', site)
    ) {
      sendDynamoDbError(response, 500, 'InternalServerError', 'Internal server error');
      return;
    }
    response.writeHead(answer.status, answer.headers);
    response.end(answer.body);
  }

  function forward(
    request: IncomingMessage,
    body: Buffer,
  ): Promise<{ status: number; headers: Record<string, string | string[]>; body: Buffer }> {
    return new Promise((resolve, reject) => {
      const outgoing = httpRequest(
        {
          protocol: upstream.protocol,
          hostname: upstream.hostname,
          port: upstream.port,
          method: request.method,
          path: request.url,
          headers: { ...request.headers, host: upstream.host, 'content-length': String(body.length) },
          agent,
        },
        (incoming) => {
          readAll(incoming).then((answer) => {
            const headers: Record<string, string | string[]> = {};
            for (const [name, value] of Object.entries(incoming.headers)) {
              if (value !== undefined && name !== 'connection' && name !== 'keep-alive')
                headers[name] = value;
            }
            resolve({ status: incoming.statusCode ?? 500, headers, body: answer });
          }, reject);
        },
      );
      outgoing.on('error', reject);
      outgoing.end(body);
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      agent.destroy();
      await closed;
    },
  };
}

/** DynamoDB's error shape: the SDK reads the code from `__type` after the `#`. */
function sendDynamoDbError(response: ServerResponse, status: number, code: string, message: string): void {
  const body = JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${code}`, message });
  response.writeHead(status, {
    'content-type': 'application/x-amz-json-1.0',
    'content-length': Buffer.byteLength(body),
    'x-amzn-requestid': randomUUID(),
  });
  response.end(body);
}

async function readAll(stream: AsyncIterable<unknown>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
