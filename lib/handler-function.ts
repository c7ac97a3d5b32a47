import { isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';

/** The repository root: entries, the lock file and the esbuild project root are all resolved against it. */
export const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/** Metadata key on every `AWS::Lambda::Function`; the local runtime imports this module in-process. */
export const ENTRY_METADATA_KEY = 'vaekst:entry';

export interface HandlerFunctionProps {
  /** Handler module relative to the repository root, e.g. `functions/api/create-referral.ts`. */
  readonly entry: string;
  readonly description: string;
  readonly environment?: Record<string, string>;
  /** @default Duration.seconds(10) */
  readonly timeout?: Duration;
}

/**
 * ESM output still meets CommonJS dependencies that call `require` for Node built-ins; esbuild's `__require`
 * shim needs a real `require` in scope.
 */
const requireShim =
  "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);";

/** A Lambda handler from this repository, bundled with the local esbuild, with the project's defaults. */
export class HandlerFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: HandlerFunctionProps) {
    if (isAbsolute(props.entry)) {
      throw new Error(
        `HandlerFunction ${id}: entry must be relative to the repository root, got ${props.entry}`,
      );
    }
    const entry = props.entry.replaceAll('\\', '/');
    // Siblings made before super(): Lambda would otherwise create a log group that never expires.
    const logGroup = new logs.LogGroup(scope, `${id}Logs`, {
      retention: logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // Instead of AWSLambdaBasicExecutionRole, which may create log groups and write to any of them.
    const role = new iam.Role(scope, `${id}Role`, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs ${entry}`,
    });
    logGroup.grantWrite(role);
    super(scope, id, {
      entry: join(repoRoot, entry),
      handler: 'handler',
      description: props.description,
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 512,
      timeout: props.timeout ?? Duration.seconds(10),
      tracing: lambda.Tracing.ACTIVE,
      logGroup,
      role,
      environment: {
        LOG_LEVEL: 'INFO',
        NODE_OPTIONS: '--enable-source-maps',
        ...props.environment,
      },
      projectRoot: repoRoot,
      depsLockFilePath: join(repoRoot, 'package-lock.json'),
      bundling: {
        format: OutputFormat.ESM,
        mainFields: ['module', 'main'],
        banner: requireShim,
        target: 'node22',
        minify: true,
        sourceMap: true,
        // The SDK versions in package-lock.json are the ones the tests and the local runtime ran against; the
        // runtime's preinstalled SDK changes under us without notice. Tree-shaken ESM clients cost little.
        bundleAwsSDK: true,
        externalModules: [],
        forceDockerBundling: false,
      },
    });
    (this.node.defaultChild as lambda.CfnFunction).addMetadata(ENTRY_METADATA_KEY, entry);
  }
}
