import {
  DecryptCommand,
  EncryptCommand,
  GenerateMacCommand,
  KMSClient,
  VerifyMacCommand,
} from '@aws-sdk/client-kms';
import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  ListExecutionsCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type LocalAwsEndpoint, startLocalAwsEndpoint } from '../../local/aws-endpoint.ts';
import {
  type ExecutionDescription,
  LocalServiceError,
  type LocalSnsMessage,
  type LocalStepFunctions,
  type StartExecutionRequest,
} from '../../local/contracts.ts';

const STATE_MACHINE_ARN = 'arn:aws:states:eu-central-1:000000000000:stateMachine:PhaseTimer';
const TOPIC_ARN = 'arn:aws:sns:eu-central-1:000000000000:finance';

/** Enough of Step Functions to exercise the wire protocol: names are unique, unknown ARNs are errors. */
class FakeStepFunctions implements LocalStepFunctions {
  readonly executions = new Map<string, ExecutionDescription>();

  async startExecution(request: StartExecutionRequest): Promise<{ executionArn: string; startDate: Date }> {
    const name = request.name ?? crypto.randomUUID();
    const executionArn = `${request.stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
    if (this.executions.has(executionArn)) {
      throw new LocalServiceError('ExecutionAlreadyExists', `Execution already exists: '${executionArn}'`);
    }
    const startDate = new Date('2026-03-01T10:00:00.250Z');
    this.executions.set(executionArn, {
      executionArn,
      stateMachineArn: request.stateMachineArn,
      name,
      status: 'RUNNING',
      startDate,
      input: request.input ?? '{}',
    });
    return { executionArn, startDate };
  }

  async stopExecution(request: {
    executionArn: string;
    error?: string;
    cause?: string;
  }): Promise<{ stopDate: Date }> {
    const execution = this.describeExecution(request.executionArn);
    const stopDate = new Date('2026-03-02T10:00:00.000Z');
    this.executions.set(request.executionArn, {
      ...execution,
      status: 'ABORTED',
      stopDate,
      error: request.error,
      cause: request.cause,
    });
    return { stopDate };
  }

  describeExecution(executionArn: string): ExecutionDescription {
    const execution = this.executions.get(executionArn);
    if (!execution)
      throw new LocalServiceError('ExecutionDoesNotExist', `Execution does not exist: '${executionArn}'`);
    return execution;
  }
}

const published: LocalSnsMessage[] = [];
let endpoint: LocalAwsEndpoint;
let sfn: SFNClient;
let sns: SNSClient;
let kms: KMSClient;

beforeAll(async () => {
  endpoint = await startLocalAwsEndpoint({
    stepFunctions: new FakeStepFunctions(),
    onPublish: (message) => published.push(message),
    now: () => new Date('2027-01-01T00:00:00.000Z'),
  });
  // Exactly what the runtime gives handlers: clients are built with no endpoint and find it in the environment.
  vi.stubEnv('AWS_ENDPOINT_URL_SFN', endpoint.url);
  vi.stubEnv('AWS_ENDPOINT_URL_SNS', endpoint.url);
  vi.stubEnv('AWS_ENDPOINT_URL_KMS', endpoint.url);
  vi.stubEnv('AWS_REGION', 'eu-central-1');
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'local');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'local');
  sfn = new SFNClient({});
  sns = new SNSClient({});
  kms = new KMSClient({});
});

afterAll(async () => {
  for (const client of [sfn, sns, kms]) client?.destroy();
  await endpoint?.close();
  vi.unstubAllEnvs();
});

describe('Step Functions through the SDK', () => {
  it('starts, describes and stops an execution', async () => {
    // Prepare
    const input = JSON.stringify({ referralId: 'r-1', phaseSeq: 1 });

    // Act
    const started = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: STATE_MACHINE_ARN, name: 'r-1-1', input }),
    );
    const stopped = await sfn.send(
      new StopExecutionCommand({
        executionArn: started.executionArn,
        error: 'Superseded',
        cause: 'next phase',
      }),
    );
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn: started.executionArn }));

    // Assess
    expect(started.executionArn).toBe('arn:aws:states:eu-central-1:000000000000:execution:PhaseTimer:r-1-1');
    expect(started.startDate).toEqual(new Date('2026-03-01T10:00:00.250Z'));
    expect(stopped.stopDate).toEqual(new Date('2026-03-02T10:00:00.000Z'));
    expect(described).toMatchObject({
      name: 'r-1-1',
      status: 'ABORTED',
      input,
      stateMachineArn: STATE_MACHINE_ARN,
      startDate: new Date('2026-03-01T10:00:00.250Z'),
      stopDate: new Date('2026-03-02T10:00:00.000Z'),
      error: 'Superseded',
      cause: 'next phase',
    });
  });

  it('throws ExecutionAlreadyExists for a taken name', async () => {
    // Prepare
    const request = { stateMachineArn: STATE_MACHINE_ARN, name: 'r-2-1', input: '{}' };
    await sfn.send(new StartExecutionCommand(request));

    // Act
    const error = await sfn.send(new StartExecutionCommand(request)).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(ExecutionAlreadyExists);
    expect(error).toMatchObject({ name: 'ExecutionAlreadyExists', $metadata: { httpStatusCode: 400 } });
    expect((error as Error).message).toContain('r-2-1');
  });

  it('throws ExecutionDoesNotExist for an unknown execution', async () => {
    // Prepare
    const executionArn = `${STATE_MACHINE_ARN.replace(':stateMachine:', ':execution:')}:missing`;

    // Act
    const stopError = await sfn.send(new StopExecutionCommand({ executionArn })).catch((e: unknown) => e);
    const describeError = await sfn
      .send(new DescribeExecutionCommand({ executionArn }))
      .catch((e: unknown) => e);

    // Assess
    expect(stopError).toBeInstanceOf(ExecutionDoesNotExist);
    expect(describeError).toBeInstanceOf(ExecutionDoesNotExist);
    expect((describeError as Error).name).toBe('ExecutionDoesNotExist');
  });

  it('answers an operation it does not implement with a named error', async () => {
    // Act
    const error = await sfn
      .send(new ListExecutionsCommand({ stateMachineArn: STATE_MACHINE_ARN }))
      .catch((e: unknown) => e);

    // Assess
    expect(error).toMatchObject({ name: 'UnknownOperationException', $metadata: { httpStatusCode: 400 } });
  });
});

describe('SNS through the SDK', () => {
  it('publishes a message with subject and attributes', async () => {
    // Prepare
    published.length = 0;

    // Act
    const result = await sns.send(
      new PublishCommand({
        TopicArn: TOPIC_ARN,
        Subject: 'Betaling klar: 12.500,00 kr.',
        Message: 'Line one & <two>\nline "three"',
        MessageAttributes: {
          kind: { DataType: 'String', StringValue: 'payment-due' },
          amount: { DataType: 'Number', StringValue: '12500' },
        },
      }),
    );

    // Assess
    expect(result.MessageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(published).toEqual([
      {
        messageId: result.MessageId,
        topicArn: TOPIC_ARN,
        subject: 'Betaling klar: 12.500,00 kr.',
        message: 'Line one & <two>\nline "three"',
        messageAttributes: { kind: 'payment-due', amount: '12500' },
        publishedAt: '2027-01-01T00:00:00.000Z',
      },
    ]);
  });

  it('rejects a publish without a message as InvalidParameter', async () => {
    // Act
    const error = await sns
      .send(new PublishCommand({ TopicArn: TOPIC_ARN, Message: '' }))
      .catch((e: unknown) => e);

    // Assess
    expect(error).toMatchObject({ $metadata: { httpStatusCode: 400 } });
    expect((error as Error).name).toBe('InvalidParameterException');
  });
});

describe('KMS through the SDK', () => {
  const cprKey = '1234abcd-12ab-34cd-56ef-1234567890ab';
  const plaintext = new TextEncoder().encode('0101901234');

  it('decrypts what it encrypted, finding the key from the ciphertext alone', async () => {
    // Act
    const encrypted = await kms.send(new EncryptCommand({ KeyId: cprKey, Plaintext: plaintext }));
    const decrypted = await kms.send(new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob }));

    // Assess
    expect(Buffer.from(encrypted.CiphertextBlob ?? []).includes(Buffer.from('0101901234'))).toBe(false);
    expect(encrypted.KeyId).toBe(`arn:aws:kms:eu-central-1:000000000000:key/${cprKey}`);
    expect(decrypted.KeyId).toBe(encrypted.KeyId);
    expect(new TextDecoder().decode(decrypted.Plaintext)).toBe('0101901234');
  });

  it('refuses a different key or encryption context on decrypt', async () => {
    // Prepare
    const encrypted = await kms.send(
      new EncryptCommand({ KeyId: cprKey, Plaintext: plaintext, EncryptionContext: { referralId: 'r-1' } }),
    );

    // Act
    const wrongKey = await kms
      .send(new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob, KeyId: 'another-key' }))
      .catch((e: unknown) => e);
    const wrongContext = await kms
      .send(
        new DecryptCommand({
          CiphertextBlob: encrypted.CiphertextBlob,
          EncryptionContext: { referralId: 'r-2' },
        }),
      )
      .catch((e: unknown) => e);
    const keyArnGiven = await kms.send(
      new DecryptCommand({
        CiphertextBlob: encrypted.CiphertextBlob,
        KeyId: `arn:aws:kms:eu-central-1:000000000000:key/${cprKey}`,
        EncryptionContext: { referralId: 'r-1' },
      }),
    );

    // Assess
    expect((wrongKey as Error).name).toBe('IncorrectKeyException');
    expect((wrongContext as Error).name).toBe('InvalidCiphertextException');
    expect(new TextDecoder().decode(keyArnGiven.Plaintext)).toBe('0101901234');
  });

  it('makes a deterministic MAC per key that differs across keys and verifies it', async () => {
    // Prepare
    const mac = (KeyId: string) =>
      kms.send(new GenerateMacCommand({ KeyId, Message: plaintext, MacAlgorithm: 'HMAC_SHA_256' }));

    // Act
    const first = await mac('hash-key');
    const again = await mac('hash-key');
    const otherKey = await mac('other-hash-key');
    const verified = await kms.send(
      new VerifyMacCommand({
        KeyId: 'hash-key',
        Message: plaintext,
        Mac: first.Mac,
        MacAlgorithm: 'HMAC_SHA_256',
      }),
    );
    const rejected = await kms
      .send(
        new VerifyMacCommand({
          KeyId: 'other-hash-key',
          Message: plaintext,
          Mac: first.Mac,
          MacAlgorithm: 'HMAC_SHA_256',
        }),
      )
      .catch((e: unknown) => e);

    // Assess
    expect(first.Mac).toHaveLength(32);
    expect(Buffer.from(again.Mac ?? [])).toEqual(Buffer.from(first.Mac ?? []));
    expect(Buffer.from(otherKey.Mac ?? [])).not.toEqual(Buffer.from(first.Mac ?? []));
    expect(first).toMatchObject({ MacAlgorithm: 'HMAC_SHA_256' });
    expect(verified.MacValid).toBe(true);
    expect((rejected as Error).name).toBe('KMSInvalidMacException');
  });

  it('gives other keys to an endpoint with another secret', async () => {
    // Prepare
    const other = await startLocalAwsEndpoint({
      stepFunctions: new FakeStepFunctions(),
      onPublish: () => undefined,
      kmsSecret: Buffer.alloc(32, 7),
    });
    const otherKms = new KMSClient({ endpoint: other.url });
    const encrypted = await kms.send(new EncryptCommand({ KeyId: cprKey, Plaintext: plaintext }));

    // Act
    const error = await otherKms
      .send(new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob }))
      .catch((e: unknown) => e);

    // Assess
    expect((error as Error).name).toBe('InvalidCiphertextException');
    otherKms.destroy();
    await other.close();
  });
});

describe('a failure inside the local service', () => {
  it('answers 500 InternalFailure and reports the error with the operation name only', async () => {
    // Prepare
    const reported: { error: unknown; operation: string }[] = [];
    const broken = new FakeStepFunctions();
    broken.startExecution = async () => {
      throw new Error('state machine definition not found');
    };
    const failing = await startLocalAwsEndpoint({
      stepFunctions: broken,
      onPublish: () => undefined,
      onInternalError: (error, operation) => reported.push({ error, operation }),
    });
    const client = new SFNClient({ endpoint: failing.url, maxAttempts: 1 });

    // Act
    const error = await client
      .send(new StartExecutionCommand({ stateMachineArn: STATE_MACHINE_ARN, input: '{"cpr":"0101901234"}' }))
      .catch((e: unknown) => e);

    // Assess
    expect(error).toMatchObject({ name: 'InternalFailure', $metadata: { httpStatusCode: 500 } });
    expect(reported).toEqual([
      {
        error: new Error('state machine definition not found'),
        operation: 'AWSStepFunctions.StartExecution',
      },
    ]);
    client.destroy();
    await failing.close();
  });
});

describe('requests the endpoint cannot place', () => {
  it('answers 400 with a __type instead of failing', async () => {
    // Act
    const noTarget = await fetch(endpoint.url, { method: 'POST', body: '{}' });
    const badJson = await fetch(endpoint.url, {
      method: 'POST',
      headers: { 'x-amz-target': 'TrentService.Encrypt', 'content-type': 'application/x-amz-json-1.1' },
      body: 'not json',
    });
    const otherService = await fetch(endpoint.url, {
      method: 'POST',
      headers: { 'x-amz-target': 'DynamoDB_20120810.ListTables' },
      body: '{}',
    });

    // Assess
    expect(noTarget.status).toBe(400);
    expect(await noTarget.json()).toMatchObject({ __type: 'UnknownOperationException' });
    expect(badJson.status).toBe(400);
    expect(await badJson.json()).toMatchObject({ __type: 'SerializationException' });
    expect(otherService.status).toBe(400);
    expect(await otherService.json()).toMatchObject({ __type: 'UnknownOperationException' });
  });
});
