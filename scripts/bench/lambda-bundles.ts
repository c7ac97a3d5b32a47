import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as esbuild from 'esbuild';
import { createApp } from '../../lib/app.ts';
import { ENTRY_METADATA_KEY, HandlerFunction, repoRoot } from '../../lib/handler-function.ts';

/** One Lambda bundle exactly as `cdk synth` makes it: HandlerFunction's own NodejsFunction bundling. */
export interface LambdaBundle {
  /** Handler module relative to the repository root. */
  readonly entry: string;
  /** The asset's `index.mjs`. */
  readonly file: string;
  readonly bytes: number;
  /** The source map beside it, 0 when the bundling writes none. */
  readonly mapBytes: number;
  /** The function's environment as deployed, CloudFormation tokens replaced by placeholders. */
  readonly environment: Readonly<Record<string, string>>;
}

export interface HandlerWithFloor {
  readonly handler: LambdaBundle;
  /** A bundle of only the AWS SDK imports the handler's modules make, built the same way. */
  readonly floor: LambdaBundle;
  /** `@aws-sdk/client-dynamodb`, … : what the floor holds. */
  readonly sdkPackages: readonly string[];
}

type SdkImports = ReadonlyMap<string, ReadonlySet<string>>;

/** Floor entries live in the git-ignored data folder: HandlerFunction wants entries inside the repository. */
const floorDir = '.local/bench/floors';

/**
 * Value imports from `@aws-sdk/*` in every repository module the handler's bundle is built from (esbuild's
 * metafile gives the module graph; only the graph is used, not this build's output).
 */
async function sdkImportsOf(entry: string): Promise<SdkImports> {
  const { metafile } = await esbuild.build({
    entryPoints: [path.join(repoRoot, entry)],
    absWorkingDir: repoRoot,
    bundle: true,
    platform: 'node',
    format: 'esm',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const imports = new Map<string, Set<string>>();
  const statement = /import\s+(type\s+)?\{([^}]*)\}\s*from\s*'(@aws-sdk\/[^']+)'/g;
  for (const input of Object.keys(metafile.inputs)) {
    if (input.includes('node_modules/')) continue;
    const source = readFileSync(path.join(repoRoot, input), 'utf8');
    for (const [, typeOnly, names = '', from = ''] of source.matchAll(statement)) {
      if (typeOnly) continue;
      const values = names
        .split(',')
        .map((name) => name.trim())
        .filter((name) => name !== '' && !name.startsWith('type '))
        .map((name) => name.split(/\s+as\s+/)[0] as string);
      if (values.length === 0) continue;
      const set = imports.get(from) ?? new Set<string>();
      for (const value of values) set.add(value);
      imports.set(from, set);
    }
    if (/from\s*'@aws-sdk\//.test(source.replaceAll(statement, ''))) {
      throw new Error(`${input}: an @aws-sdk import the floor analysis does not understand`);
    }
  }
  return imports;
}

/** The floor's source: the same SDK imports, and every client constructed once, as the handlers do. */
function floorSource(imports: SdkImports): string {
  const packages = [...imports.keys()].sort();
  const lines: string[] = [];
  const clients: string[] = [];
  const others: string[] = [];
  for (const from of packages) {
    const names = [...(imports.get(from) ?? [])].sort();
    lines.push(`import { ${names.join(', ')} } from '${from}';`);
    for (const name of names) (name.endsWith('Client') ? clients : others).push(name);
  }
  lines.push(`export const clients = [${clients.map((c) => `new ${c}({})`).join(', ')}];`);
  if (others.length > 0) lines.push(`export { ${others.join(', ')} };`);
  return `${lines.join('\n')}\n`;
}

function floorKey(imports: SdkImports): string {
  const parts = [...imports.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([from, names]) => `${from.replace('@aws-sdk/', '')}:${[...names].sort().join(',')}`);
  return parts.length === 0 ? 'nothing' : parts.join(' ');
}

/**
 * A stand-in of the shape the handler checks at import for a CloudFormation token (a Ref or GetAtt): a user pool
 * id as `<region>_<id>` (aws-jwt-verify parses it when the module loads), ARNs as ARNs, anything else a name.
 */
function placeholderFor(name: string): string {
  const account = '000000000000';
  const region = 'eu-north-1';
  if (name === 'USER_POOL_ID') return `${region}_Bench0000`;
  if (name.endsWith('STATE_MACHINE_ARN')) return `arn:aws:states:${region}:${account}:stateMachine:Bench`;
  if (name.endsWith('TOPIC_ARN')) return `arn:aws:sns:${region}:${account}:Bench`;
  if (name.endsWith('KEY_ID')) return `arn:aws:kms:${region}:${account}:key/bench`;
  return `bench-${name.toLowerCase()}`;
}

function placeholders(variables: unknown): Record<string, string> {
  const environment: Record<string, string> = {};
  if (typeof variables !== 'object' || variables === null) return environment;
  for (const [name, value] of Object.entries(variables)) {
    environment[name] = typeof value === 'string' ? value : placeholderFor(name);
  }
  return environment;
}

function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

/**
 * Synthesizes the real CDK app with bundling on, plus a second stack of HandlerFunctions whose entries are the
 * floors, so handlers and floors go through the same NodejsFunction bundling without a copy of its options.
 * The cloud assembly goes to a temporary directory; `dispose` removes it.
 */
export async function bundleHandlersAndFloors(
  log: (line: string) => void,
  only?: string,
): Promise<{
  readonly pairs: readonly HandlerWithFloor[];
  readonly dispose: () => void;
}> {
  const outdir = mkdtempSync(path.join(os.tmpdir(), 'vaekst-bench-'));
  // App reads its output directory from CDK_OUTDIR; createApp takes no outdir of its own.
  process.env.CDK_OUTDIR = outdir;
  const { app, stack } = createApp();
  const entries = stack.node
    .findAll()
    .filter((c): c is lambda.CfnFunction => c instanceof lambda.CfnFunction)
    .map((fn) => fn.getMetadata(ENTRY_METADATA_KEY))
    .filter((entry): entry is string => typeof entry === 'string' && (!only || entry.includes(only)))
    .sort();

  log(`B1: reading the SDK imports of ${entries.length} handlers`);
  mkdirSync(path.join(repoRoot, floorDir), { recursive: true });
  const floors = new Map<string, { entry: string; packages: string[] }>();
  const floorOf = new Map<string, string>();
  for (const entry of entries) {
    const imports = await sdkImportsOf(entry);
    const key = floorKey(imports);
    if (!floors.has(key)) {
      const floorEntry = `${floorDir}/floor-${floors.size + 1}.ts`;
      writeFileSync(path.join(repoRoot, floorEntry), floorSource(imports));
      floors.set(key, { entry: floorEntry, packages: [...imports.keys()].sort() });
    }
    floorOf.set(entry, key);
  }
  const floorStack = new Stack(app, 'BenchFloors');
  [...floors.values()].forEach((floor, i) => {
    new HandlerFunction(floorStack, `Floor${i + 1}`, { entry: floor.entry, description: 'B1 floor' });
  });

  log(`B1: bundling ${entries.length} handlers and ${floors.size} floors through cdk synth`);
  const assembly = app.synth();
  const bundles = new Map<string, LambdaBundle>();
  for (const artifact of assembly.stacks) {
    const resources = (artifact.template as { Resources: Record<string, Record<string, unknown>> }).Resources;
    for (const resource of Object.values(resources)) {
      if (resource.Type !== 'AWS::Lambda::Function') continue;
      const metadata = resource.Metadata as Record<string, unknown> | undefined;
      const properties = resource.Properties as {
        Code: { S3Key: string };
        Environment?: { Variables?: unknown };
      };
      const entry = metadata?.[ENTRY_METADATA_KEY];
      if (typeof entry !== 'string') continue;
      const dir = path.join(outdir, `asset.${properties.Code.S3Key.replace(/\.zip$/, '')}`);
      const file = path.join(dir, 'index.mjs');
      bundles.set(entry, {
        entry,
        file,
        bytes: fileSize(file),
        mapBytes: fileSize(`${file}.map`),
        environment: placeholders(properties.Environment?.Variables),
      });
    }
  }
  const pairs = entries.map((entry) => {
    const floor = floors.get(floorOf.get(entry) as string) as { entry: string; packages: string[] };
    const handler = bundles.get(entry);
    const floorBundle = bundles.get(floor.entry);
    if (!handler || !floorBundle) throw new Error(`B1: no bundle for ${entry} or its floor`);
    return { handler, floor: floorBundle, sdkPackages: floor.packages };
  });
  return { pairs, dispose: () => rmSync(outdir, { recursive: true, force: true }) };
}
