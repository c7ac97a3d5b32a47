/**
 * Interfaces between the parts of the local runtime. Nothing here is business logic: it only says how the
 * emulated AWS services reach each other on one machine.
 */

/** A Lambda handler module's export, as the local runtime calls it (context is a minimal stand-in). */
export type LocalLambda = (event: unknown, context: LocalLambdaContext) => Promise<unknown>;

export interface LocalLambdaContext {
  functionName: string;
  awsRequestId: string;
  getRemainingTimeInMillis(): number;
}

/** Errors raised by the local Step Functions service carry the same names as the AWS SDK's exceptions. */
export class LocalServiceError extends Error {
  constructor(
    public readonly code: string,
    message: string,
    public readonly httpStatus = 400,
  ) {
    super(message);
    this.name = code;
  }
}

export interface StartExecutionRequest {
  stateMachineArn: string;
  name?: string;
  input?: string;
}

export interface ExecutionDescription {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';
  startDate: Date;
  stopDate?: Date;
  input: string;
  output?: string;
  error?: string;
  cause?: string;
}

/** What the local AWS endpoint (SFN protocol) and the `states:startExecution` task override call. */
export interface LocalStepFunctions {
  /** Throws LocalServiceError('ExecutionAlreadyExists') when the name is taken with another input or closed. */
  startExecution(request: StartExecutionRequest): Promise<{ executionArn: string; startDate: Date }>;
  /** Throws LocalServiceError('ExecutionDoesNotExist') for an unknown ARN. */
  stopExecution(request: {
    executionArn: string;
    error?: string;
    cause?: string;
  }): Promise<{ stopDate: Date }>;
  describeExecution(executionArn: string): ExecutionDescription;
}

/** A message published to SNS locally. */
export interface LocalSnsMessage {
  messageId: string;
  topicArn: string;
  subject?: string;
  message: string;
  messageAttributes?: Record<string, string>;
  publishedAt: string;
}
