import { isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { BY_MUNICIPALITY_INDEX, BY_TYPE_INDEX } from './programme-data.ts';

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

/** A DynamoDB item action a handler may be granted. `Scan` is not one: nothing reads the whole table. */
export type TableAction =
  | 'GetItem'
  | 'BatchGetItem'
  | 'Query'
  | 'PutItem'
  | 'UpdateItem'
  | 'DeleteItem'
  | 'ConditionCheckItem';

/** What a handler does with the programme table: exactly these actions, on exactly these resources. */
export interface TableMode {
  /** Actions on the table's own items. */
  readonly items: readonly TableAction[];
  /** Indexes the handler queries (`dynamodb:Query` on `<table>/index/<name>` only). */
  readonly queriesIndexes?: readonly string[];
}

const writeActions: ReadonlySet<TableAction> = new Set(['PutItem', 'UpdateItem', 'DeleteItem']);

/**
 * The table modes, read from the handlers' code (functions/shared/pathway-store.ts and the stores built on it).
 * IAM knows no `TransactWriteItems` action: a transaction needs the action of each of its items (`Put` →
 * PutItem, `Update` → UpdateItem, `Delete` → DeleteItem, `ConditionCheck` → ConditionCheckItem). A condition
 * expression on a Put or Update needs nothing more. Every pathway read and write also puts an access-log item
 * (PutItem, inside the write's own transaction). `DeleteItem` appears only where a handler releases the
 * citizen lock (`releaseCitizen`); no mode has `Scan`.
 */
export const tableModes = {
  /**
   * create-referral: an idempotent replay (GetItem); one transaction takes a place (Update) and puts the citizen
   * lock, the referral, its events, the idempotency record and the access-log entry (Put).
   */
  refer: { items: ['GetItem', 'PutItem', 'UpdateItem'] },
  /** get-referral: the pathway in one query, then the access-log entry of the read. */
  'read-pathway': { items: ['Query', 'PutItem'] },
  /** get-access-log: the referral (GetItem, for its municipality), then its access-log items (Query). */
  'read-access-log': { items: ['GetItem', 'Query'] },
  /**
   * record-placement, record-confirmation, open-milestone, calculate-payment: replay or read the referral, the
   * milestone, the payment totals (GetItem), the pathway (Query), then one transaction of Updates and Puts.
   */
  'change-pathway': { items: ['GetItem', 'Query', 'PutItem', 'UpdateItem'] },
  /** record-outcome: as change-pathway, and a drop-out releases the citizen lock (Delete). */
  'record-outcome': { items: ['GetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem'] },
  /** advance-phase: reads the referral, moves it to its next phase; closing the pathway releases the lock. */
  'advance-phase': { items: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem'] },
  /** close-milestone: reads the milestone and the referral; marks it unconfirmed with its event. */
  'close-milestone': { items: ['GetItem', 'PutItem', 'UpdateItem'] },
  /** notify-finance: reads the payment, then marks it notified. */
  'mark-notified': { items: ['GetItem', 'UpdateItem'] },
  /**
   * send-reminder: reads the milestone, the referral and the reminder's record (GetItem), then puts the record
   * (functions/shared/reminder-store.ts).
   */
  'send-reminder': { items: ['GetItem', 'PutItem'] },
  /** record-failure: puts the failure item and reads nothing. */
  'record-failure': { items: ['PutItem'] },
  /** list-payments, statements: payments through the byType index, nothing from the table itself. */
  'list-by-type': { items: [], queriesIndexes: [BY_TYPE_INDEX] },
  /** business-case: referral ids and payments through byType, then each pathway in one query. */
  report: { items: ['Query'], queriesIndexes: [BY_TYPE_INDEX] },
  /**
   * project-views: reads the stored summary (GetItem) and the pathway (Query), then one transaction puts the
   * summary and the worklist entry and moves the municipality's phase counts (Update); a rebuild lists the
   * referral ids through byType.
   */
  'project-views': { items: ['GetItem', 'Query', 'PutItem', 'UpdateItem'], queriesIndexes: [BY_TYPE_INDEX] },
  /** list-pathways: a page of summaries through byMunicipality, and the municipalities' phase counts. */
  'list-summaries': { items: ['BatchGetItem'], queriesIndexes: [BY_MUNICIPALITY_INDEX] },
  /** worklist: the municipality's worklist entries through byMunicipality, nothing from the table itself. */
  worklist: { items: [], queriesIndexes: [BY_MUNICIPALITY_INDEX] },
  /**
   * get-partnership, get-company: the partnership's partition in one query, a company by its CVR number, its
   * journeys' events, its social model and KPIs.
   */
  'read-partnership': { items: ['GetItem', 'Query'] },
  /**
   * save-employment-actor, save-partner-plan, register-company, update-social-model, report-kpis: read the
   * partnership or a company's KPIs (Query), a company, its journey or social model (GetItem), then a conditional
   * Put (a company's two items in one transaction: Put each).
   */
  'edit-partnership': { items: ['GetItem', 'Query', 'PutItem'] },
  /**
   * advance-company-stage: reads the journey (GetItem), then one transaction that puts the journey's state
   * (conditional on its eventSeq) and its events (functions/shared/journey-store.ts).
   */
  'change-journey': { items: ['GetItem', 'PutItem'] },
  /**
   * invite-company, record-selection, record-withdrawal, record-attendance: as change-journey, after reading the
   * company (GetItem); a refused form post shows the cohort page again (Query, as get-cohort).
   */
  'run-accelerator': { items: ['GetItem', 'PutItem', 'Query'] },
  /** get-cohort: each shown municipality's journeys and companies, by prefix of its partnership partition. */
  'read-cohort': { items: ['Query'] },
  /**
   * calculate-company-payment: reads the result, the company, its journey, social model and running total
   * (GetItem) and its payments (Query), then one transaction puts the payment and updates the total.
   */
  'company-payment': { items: ['GetItem', 'Query', 'PutItem', 'UpdateItem'] },
  /** health: one GetItem on a key no item has, to see that the table (and its key) answers. */
  health: { items: ['GetItem'] },
} as const satisfies Record<string, TableMode>;

export type TableModeName = keyof typeof tableModes;

/**
 * ESM output still meets CommonJS dependencies that call `require` for Node built-ins; esbuild's `__require`
 * shim needs a real `require` in scope.
 */
const requireShim =
  "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);";

/** A Lambda handler from this repository, bundled with the local esbuild, with the project's defaults. */
export class HandlerFunction extends NodejsFunction {
  private tableMode?: TableModeName;

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
      // No NODE_OPTIONS=--enable-source-maps: Node then reads and parses the source map at every cold start,
      // measured at tens of milliseconds and MiB per function (docs/BENCHMARKS.md, B1). The map stays in the
      // asset, so a function can get readable stack traces back by setting it on that function alone.
      environment: {
        LOG_LEVEL: 'INFO',
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
        // File and line are what a stack trace needs; the sources themselves are in the repository.
        sourcesContent: false,
        // The handlers' `z` from lib/lambda-zod.ts instead of zod's whole namespace (~60 ms per cold start).
        esbuildArgs: { '--alias': `zod=${join(repoRoot, 'lib/lambda-zod.ts')}` },
        // The SDK versions in package-lock.json are the ones the tests and the local runtime ran against; the
        // runtime's preinstalled SDK changes under us without notice. Tree-shaken ESM clients cost little.
        bundleAwsSDK: true,
        externalModules: [],
        forceDockerBundling: false,
      },
    });
    (this.node.defaultChild as lambda.CfnFunction).addMetadata(ENTRY_METADATA_KEY, entry);
  }

  /**
   * Lets the handler use `table` in one mode (see `tableModes`): grants exactly the mode's DynamoDB actions on
   * the table (and on the indexes it queries), what the table's key needs for them, and sets `TABLE_NAME`
   * with it, so that no handler knows the table without its grant or holds a grant it does not use.
   */
  useTable(table: dynamodb.ITableV2, modeName: TableModeName): this {
    if (this.tableMode) {
      throw new Error(
        `${this.node.path}: useTable(${modeName}) after useTable(${this.tableMode}); a handler has one table mode`,
      );
    }
    this.tableMode = modeName;
    const mode: TableMode = tableModes[modeName];
    if (mode.items.length > 0) {
      this.addToRolePolicy(
        new iam.PolicyStatement({
          actions: mode.items.map((action) => `dynamodb:${action}`),
          resources: [table.tableArn],
        }),
      );
    }
    const indexes = mode.queriesIndexes ?? [];
    if (indexes.length > 0) {
      this.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['dynamodb:Query'],
          resources: indexes.map((index) => `${table.tableArn}/index/${index}`),
        }),
      );
    }
    // DynamoDB uses the table's customer-managed key with the caller's permissions: decrypt to read, and the
    // same key actions the CDK's own write grants hold to write.
    if (table.encryptionKey) {
      if (mode.items.some((action) => writeActions.has(action)))
        table.encryptionKey.grantEncryptDecrypt(this);
      else table.encryptionKey.grantDecrypt(this);
    }
    this.addEnvironment('TABLE_NAME', table.tableName);
    return this;
  }
}
