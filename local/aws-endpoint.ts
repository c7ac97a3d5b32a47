import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  hkdfSync,
  randomBytes,
  randomUUID,
  timingSafeEqual,
} from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type ExecutionDescription,
  LocalServiceError,
  type LocalSnsMessage,
  type LocalStepFunctions,
} from './contracts.ts';

/**
 * One HTTP endpoint that answers the AWS SDK v3 clients for Step Functions (awsJson1_0), KMS (awsJson1_1)
 * and SNS (awsQuery: form-encoded request, XML response) as the SDK's own protocol code expects them.
 * Handlers reach it through AWS_ENDPOINT_URL_SFN / _KMS / _SNS. Request and response bodies are never
 * logged: CPR numbers travel through KMS Encrypt.
 */
export interface LocalAwsEndpointOptions {
  stepFunctions: LocalStepFunctions;
  /** Root secret for the emulated KMS keys; random per process unless given (tests, restarts). */
  kmsSecret?: Buffer;
  onPublish: (message: LocalSnsMessage) => void;
  /** The time stamped on SNS messages; the runtime passes its fast-forward clock. */
  now?: () => Date;
  /** Unexpected failures (not AWS-style errors); receives no request body. */
  onInternalError?: (error: unknown, operation: string) => void;
  /** Asked before each Publish: true answers 500 InternalError without publishing (local/faults.ts). */
  failPublish?: (publish: { topicArn: string; message: string }) => boolean;
}

export interface LocalAwsEndpoint {
  url: string;
  close(): Promise<void>;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

interface RequestContext {
  region: string;
  options: Required<Pick<LocalAwsEndpointOptions, 'stepFunctions' | 'onPublish' | 'now' | 'failPublish'>>;
  kmsSecret: Buffer;
}

type JsonOperation = (input: JsonObject, context: RequestContext) => Promise<JsonObject> | JsonObject;

const MAX_BODY_BYTES = 2 * 1024 * 1024;
const ACCOUNT_ID = '000000000000';
const DEFAULT_REGION = 'eu-central-1';

export async function startLocalAwsEndpoint(options: LocalAwsEndpointOptions): Promise<LocalAwsEndpoint> {
  const base = {
    stepFunctions: options.stepFunctions,
    onPublish: options.onPublish,
    now: options.now ?? (() => new Date()),
    failPublish: options.failPublish ?? (() => false),
  };
  const kmsSecret = options.kmsSecret ?? randomBytes(32);
  const onInternalError = options.onInternalError ?? logInternalError;

  const server = createServer((request, response) => {
    const context: RequestContext = { region: regionOf(request), options: base, kmsSecret };
    handle(request, response, context).catch((error: unknown) => {
      onInternalError(error, operationName(request));
      if (!response.headersSent) sendJsonError(response, 500, 'InternalFailure', 'The local endpoint failed');
      else response.destroy();
    });
  });
  const url = await listen(server);
  return { url, close: () => close(server) };
}

function logInternalError(error: unknown, operation: string): void {
  const description = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  console.error(`[local-aws] ${operation} failed: ${description}`);
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

async function close(server: Server): Promise<void> {
  const closed = new Promise<void>((resolve, reject) =>
    server.close((error) => (error ? reject(error) : resolve())),
  );
  // The SDK keeps connections alive; without this close() waits for their idle timeout.
  server.closeAllConnections();
  await closed;
}

/** The region the client signed for: KMS answers with key ARNs in that region, like the real service. */
function regionOf(request: IncomingMessage): string {
  const match = /Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(request.headers.authorization ?? '');
  return match?.[1] ?? process.env.AWS_REGION ?? DEFAULT_REGION;
}

function operationName(request: IncomingMessage): string {
  const target = request.headers['x-amz-target'];
  return typeof target === 'string' ? target : 'query request';
}

async function handle(
  request: IncomingMessage,
  response: ServerResponse,
  context: RequestContext,
): Promise<void> {
  const body = await readBody(request);
  if (body === undefined) {
    sendJsonError(
      response,
      413,
      'RequestEntityTooLargeException',
      `Request bodies are limited to ${MAX_BODY_BYTES} bytes`,
    );
    return;
  }
  const target = request.headers['x-amz-target'];
  if (typeof target === 'string') {
    await handleJson(target, body, response, context);
    return;
  }
  if ((request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
    handleQuery(new URLSearchParams(body.toString('utf8')), response, context);
    return;
  }
  sendJsonError(
    response,
    400,
    'UnknownOperationException',
    'Expected an X-Amz-Target header or a form-encoded Action',
  );
}

/** Resolves undefined when the body exceeds the limit, so a runaway client cannot exhaust memory. */
async function readBody(request: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

// awsJson: Step Functions and KMS

const JSON_SERVICES: Record<string, { contentType: string; operations: Record<string, JsonOperation> }> = {
  AWSStepFunctions: {
    contentType: 'application/x-amz-json-1.0',
    operations: {
      StartExecution: startExecution,
      StopExecution: stopExecution,
      DescribeExecution: describeExecution,
    },
  },
  TrentService: {
    contentType: 'application/x-amz-json-1.1',
    operations: {
      Encrypt: kmsEncrypt,
      Decrypt: kmsDecrypt,
      GenerateMac: kmsGenerateMac,
      VerifyMac: kmsVerifyMac,
    },
  },
};

async function handleJson(
  target: string,
  body: Buffer,
  response: ServerResponse,
  context: RequestContext,
): Promise<void> {
  const [service = '', name = ''] = target.split('.', 2);
  const definition = JSON_SERVICES[service];
  const operation = definition?.operations[name];
  if (!definition || !operation) {
    sendJsonError(
      response,
      400,
      'UnknownOperationException',
      `The local endpoint does not implement ${target}`,
    );
    return;
  }
  const input = parseJsonObject(body);
  if (input === undefined) {
    sendJsonError(
      response,
      400,
      'SerializationException',
      'The request body is not a JSON object',
      definition.contentType,
    );
    return;
  }
  try {
    sendJson(response, 200, await operation(input, context), definition.contentType);
  } catch (error) {
    if (!(error instanceof LocalServiceError)) throw error;
    sendJsonError(response, error.httpStatus, error.code, error.message, definition.contentType);
  }
}

function parseJsonObject(body: Buffer): JsonObject | undefined {
  try {
    const parsed: unknown = JSON.parse(body.length === 0 ? '{}' : body.toString('utf8'));
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as JsonObject)
      : undefined;
  } catch {
    return undefined;
  }
}

function sendJson(response: ServerResponse, status: number, payload: JsonObject, contentType: string): void {
  const body = JSON.stringify(payload);
  response.writeHead(status, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(body),
    'x-amzn-requestid': randomUUID(),
  });
  response.end(body);
}

/** The SDK reads the error code from `__type` (and the x-amzn-errortype header) and throws that exception. */
function sendJsonError(
  response: ServerResponse,
  status: number,
  code: string,
  message: string,
  contentType = 'application/x-amz-json-1.0',
): void {
  response.setHeader('x-amzn-errortype', code);
  sendJson(response, status, { __type: code, message }, contentType);
}

function validation(message: string): LocalServiceError {
  return new LocalServiceError('ValidationException', message);
}

function requireString(input: JsonObject, field: string): string {
  const value = input[field];
  if (typeof value !== 'string' || value === '') throw validation(`${field} is required`);
  return value;
}

function optionalString(input: JsonObject, field: string): string | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw validation(`${field} must be a string`);
  return value;
}

/** Blobs travel base64-encoded in awsJson. */
function requireBlob(input: JsonObject, field: string, maxBytes: number): Buffer {
  const bytes = Buffer.from(requireString(input, field), 'base64');
  if (bytes.length === 0 || bytes.length > maxBytes) {
    throw validation(`${field} must be between 1 and ${maxBytes} bytes`);
  }
  return bytes;
}

/** awsJson timestamps are epoch seconds (fractions allowed). */
function epochSeconds(date: Date): number {
  return date.getTime() / 1000;
}

// Step Functions

async function startExecution(input: JsonObject, context: RequestContext): Promise<JsonObject> {
  const started = await context.options.stepFunctions.startExecution({
    stateMachineArn: requireString(input, 'stateMachineArn'),
    name: optionalString(input, 'name'),
    input: optionalString(input, 'input'),
  });
  return { executionArn: started.executionArn, startDate: epochSeconds(started.startDate) };
}

async function stopExecution(input: JsonObject, context: RequestContext): Promise<JsonObject> {
  const stopped = await context.options.stepFunctions.stopExecution({
    executionArn: requireString(input, 'executionArn'),
    error: optionalString(input, 'error'),
    cause: optionalString(input, 'cause'),
  });
  return { stopDate: epochSeconds(stopped.stopDate) };
}

function describeExecution(input: JsonObject, context: RequestContext): JsonObject {
  return toDescribeExecutionOutput(
    context.options.stepFunctions.describeExecution(requireString(input, 'executionArn')),
  );
}

function toDescribeExecutionOutput(execution: ExecutionDescription): JsonObject {
  const output: JsonObject = {
    executionArn: execution.executionArn,
    stateMachineArn: execution.stateMachineArn,
    name: execution.name,
    status: execution.status,
    startDate: epochSeconds(execution.startDate),
    input: execution.input,
    inputDetails: { included: true },
  };
  if (execution.stopDate) output.stopDate = epochSeconds(execution.stopDate);
  if (execution.output !== undefined) {
    output.output = execution.output;
    output.outputDetails = { included: true };
  }
  if (execution.error !== undefined) output.error = execution.error;
  if (execution.cause !== undefined) output.cause = execution.cause;
  return output;
}

// KMS: keys are derived from one secret and the key id, so no key store is needed and any key id "exists".

const MAX_KMS_PAYLOAD_BYTES = 4096;
const CIPHERTEXT_MAGIC = Buffer.from('LKMS1');
const IV_BYTES = 12;
const TAG_BYTES = 16;
const MAC_ALGORITHMS: Record<string, string> = {
  HMAC_SHA_224: 'sha224',
  HMAC_SHA_256: 'sha256',
  HMAC_SHA_384: 'sha384',
  HMAC_SHA_512: 'sha512',
};

/** Key id, key ARN, alias name and alias ARN all name a key; derivation uses the bare id or `alias/...`. */
function canonicalKeyId(keyId: string): string {
  const arnResource = /^arn:[^:]+:kms:[^:]*:[^:]*:(.+)$/.exec(keyId)?.[1];
  const resource = arnResource ?? keyId;
  return resource.startsWith('key/') ? resource.slice('key/'.length) : resource;
}

/** KMS answers with the key ARN; an ARN given by the caller is kept as is. */
function keyArn(keyId: string, region: string): string {
  if (keyId.startsWith('arn:')) return keyId;
  const resource = keyId.startsWith('alias/') ? keyId : `key/${keyId}`;
  return `arn:aws:kms:${region}:${ACCOUNT_ID}:${resource}`;
}

function deriveKey(secret: Buffer, purpose: 'encrypt' | 'mac', keyId: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'local-kms', `${purpose}\0${canonicalKeyId(keyId)}`, 32));
}

/** Encryption context is authenticated, not encrypted: Decrypt must be given the same pairs, in any order. */
function encryptionContextAad(input: JsonObject): Buffer {
  const context = input.EncryptionContext;
  if (context === undefined || context === null) return Buffer.alloc(0);
  if (typeof context !== 'object' || Array.isArray(context))
    throw validation('EncryptionContext must be a map');
  const pairs = Object.entries(context).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Buffer.from(JSON.stringify(pairs));
}

function requireSymmetricDefault(input: JsonObject): void {
  const algorithm = optionalString(input, 'EncryptionAlgorithm');
  if (algorithm !== undefined && algorithm !== 'SYMMETRIC_DEFAULT') {
    throw new LocalServiceError(
      'InvalidKeyUsageException',
      `Local keys only support SYMMETRIC_DEFAULT, not ${algorithm}`,
    );
  }
}

/** Blob layout: magic | u16 ARN length | key ARN | IV | GCM tag | ciphertext. The header is authenticated. */
function kmsEncrypt(input: JsonObject, context: RequestContext): JsonObject {
  requireSymmetricDefault(input);
  const arn = keyArn(requireString(input, 'KeyId'), context.region);
  const plaintext = requireBlob(input, 'Plaintext', MAX_KMS_PAYLOAD_BYTES);
  const arnBytes = Buffer.from(arn, 'utf8');
  const header = Buffer.concat([CIPHERTEXT_MAGIC, u16(arnBytes.length), arnBytes]);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', deriveKey(context.kmsSecret, 'encrypt', arn), iv);
  cipher.setAAD(Buffer.concat([header, encryptionContextAad(input)]));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const blob = Buffer.concat([header, iv, cipher.getAuthTag(), ciphertext]);
  return { CiphertextBlob: blob.toString('base64'), KeyId: arn, EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' };
}

function kmsDecrypt(input: JsonObject, context: RequestContext): JsonObject {
  requireSymmetricDefault(input);
  const blob = requireBlob(input, 'CiphertextBlob', 6144);
  const parsed = parseCiphertextBlob(blob);
  const requestedKeyId = optionalString(input, 'KeyId');
  if (requestedKeyId !== undefined && canonicalKeyId(requestedKeyId) !== canonicalKeyId(parsed.arn)) {
    throw new LocalServiceError(
      'IncorrectKeyException',
      'The ciphertext was encrypted under a different key',
    );
  }
  const decipher = createDecipheriv(
    'aes-256-gcm',
    deriveKey(context.kmsSecret, 'encrypt', parsed.arn),
    parsed.iv,
  );
  decipher.setAAD(Buffer.concat([parsed.header, encryptionContextAad(input)]));
  decipher.setAuthTag(parsed.tag);
  let plaintext: Buffer;
  try {
    plaintext = Buffer.concat([decipher.update(parsed.ciphertext), decipher.final()]);
  } catch {
    throw invalidCiphertext();
  }
  return {
    Plaintext: plaintext.toString('base64'),
    KeyId: parsed.arn,
    EncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
  };
}

function parseCiphertextBlob(blob: Buffer): {
  header: Buffer;
  arn: string;
  iv: Buffer;
  tag: Buffer;
  ciphertext: Buffer;
} {
  const magicEnd = CIPHERTEXT_MAGIC.length;
  if (blob.length < magicEnd + 2 || !blob.subarray(0, magicEnd).equals(CIPHERTEXT_MAGIC))
    throw invalidCiphertext();
  const arnEnd = magicEnd + 2 + blob.readUInt16BE(magicEnd);
  const tagEnd = arnEnd + IV_BYTES + TAG_BYTES;
  if (blob.length < tagEnd) throw invalidCiphertext();
  return {
    header: blob.subarray(0, arnEnd),
    arn: blob.subarray(magicEnd + 2, arnEnd).toString('utf8'),
    iv: blob.subarray(arnEnd, arnEnd + IV_BYTES),
    tag: blob.subarray(arnEnd + IV_BYTES, tagEnd),
    ciphertext: blob.subarray(tagEnd),
  };
}

function invalidCiphertext(): LocalServiceError {
  return new LocalServiceError(
    'InvalidCiphertextException',
    'The ciphertext is invalid or its encryption context does not match',
  );
}

function u16(value: number): Buffer {
  const buffer = Buffer.alloc(2);
  buffer.writeUInt16BE(value);
  return buffer;
}

function computeMac(
  input: JsonObject,
  context: RequestContext,
): { arn: string; algorithm: string; mac: Buffer } {
  const arn = keyArn(requireString(input, 'KeyId'), context.region);
  const algorithm = requireString(input, 'MacAlgorithm');
  const digest = MAC_ALGORITHMS[algorithm];
  if (!digest) throw validation(`MacAlgorithm ${algorithm} is not supported`);
  const message = requireBlob(input, 'Message', MAX_KMS_PAYLOAD_BYTES);
  const mac = createHmac(digest, deriveKey(context.kmsSecret, 'mac', arn))
    .update(message)
    .digest();
  return { arn, algorithm, mac };
}

function kmsGenerateMac(input: JsonObject, context: RequestContext): JsonObject {
  const { arn, algorithm, mac } = computeMac(input, context);
  return { Mac: mac.toString('base64'), MacAlgorithm: algorithm, KeyId: arn };
}

/** Like KMS, a wrong MAC is an exception, not `MacValid: false`. */
function kmsVerifyMac(input: JsonObject, context: RequestContext): JsonObject {
  const { arn, algorithm, mac } = computeMac(input, context);
  const given = Buffer.from(requireString(input, 'Mac'), 'base64');
  if (given.length !== mac.length || !timingSafeEqual(given, mac)) {
    throw new LocalServiceError('KMSInvalidMacException', 'The MAC is not valid for this message and key');
  }
  return { KeyId: arn, MacValid: true, MacAlgorithm: algorithm };
}

// awsQuery: SNS

const SNS_XMLNS = 'http://sns.amazonaws.com/doc/2010-03-31/';

class QueryError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    /** Sender: the request is wrong; Receiver: the service failed. */
    readonly type: 'Sender' | 'Receiver' = 'Sender',
  ) {
    super(message);
  }
}

function handleQuery(form: URLSearchParams, response: ServerResponse, context: RequestContext): void {
  const action = form.get('Action');
  try {
    if (action !== 'Publish')
      throw new QueryError(
        'InvalidAction',
        `The local endpoint does not implement ${action ?? 'that action'}`,
      );
    const messageId = publish(form, context);
    sendXml(
      response,
      200,
      `<PublishResponse xmlns="${SNS_XMLNS}"><PublishResult><MessageId>${messageId}</MessageId></PublishResult>` +
        `<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></PublishResponse>`,
    );
  } catch (error) {
    if (!(error instanceof QueryError)) throw error;
    sendXml(
      response,
      error.status,
      `<ErrorResponse xmlns="${SNS_XMLNS}"><Error><Type>${error.type}</Type><Code>${escapeXml(error.code)}</Code>` +
        `<Message>${escapeXml(error.message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`,
    );
  }
}

function publish(form: URLSearchParams, context: RequestContext): string {
  const topicArn = form.get('TopicArn') ?? form.get('TargetArn');
  const message = form.get('Message');
  if (!topicArn) throw new QueryError('InvalidParameter', 'TopicArn or TargetArn is required');
  if (message === null || message === '') throw new QueryError('InvalidParameter', 'Message is required');
  if (context.options.failPublish({ topicArn, message })) {
    throw new QueryError('InternalError', 'Request could not be completed', 500, 'Receiver');
  }
  const published: LocalSnsMessage = {
    messageId: randomUUID(),
    topicArn,
    message,
    publishedAt: context.options.now().toISOString(),
  };
  const subject = form.get('Subject');
  if (subject !== null) published.subject = subject;
  const attributes = readMessageAttributes(form);
  if (Object.keys(attributes).length > 0) published.messageAttributes = attributes;
  context.options.onPublish(published);
  return published.messageId;
}

/** awsQuery flattens the map as MessageAttributes.entry.N.Name / .Value.DataType / .Value.StringValue. */
function readMessageAttributes(form: URLSearchParams): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (let n = 1; form.has(`MessageAttributes.entry.${n}.Name`); n++) {
    const prefix = `MessageAttributes.entry.${n}`;
    const name = form.get(`${prefix}.Name`) ?? '';
    const value = form.get(`${prefix}.Value.StringValue`) ?? form.get(`${prefix}.Value.BinaryValue`);
    if (value !== null) attributes[name] = value;
  }
  return attributes;
}

function sendXml(response: ServerResponse, status: number, xml: string): void {
  response.writeHead(status, { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(xml) });
  response.end(xml);
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}
