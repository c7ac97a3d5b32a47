import { App } from 'aws-cdk-lib';
import { ProgrammeStack } from './programme-stack.ts';

export const STACK_NAME = 'Vaekstpartnerskaber';

/** Stockholm: in the EU, close to Denmark, for data about Danish citizens. */
export const DEFAULT_REGION = 'eu-north-1';

export interface CreateAppOptions {
  /** Extra context, e.g. `{ 'aws:cdk:bundling-stacks': [] }` to skip esbuild when only the template matters. */
  readonly context?: Record<string, unknown>;
}

/** The CDK app, shared by `bin/app.ts` (cdk synth/deploy), the local runtime and the tests. */
export function createApp(options: CreateAppOptions = {}): { app: App; stack: ProgrammeStack } {
  const app = new App({ context: options.context });
  const contextRegion: unknown = app.node.tryGetContext('region');
  // Not CDK_DEFAULT_REGION: the CLI sets it from whatever profile is at hand (us-east-1 without one), and CPR data
  // must not follow a developer's profile out of the EU. The region is Stockholm unless the deployer names one.
  const region = typeof contextRegion === 'string' && contextRegion !== '' ? contextRegion : DEFAULT_REGION;
  const stack = new ProgrammeStack(app, STACK_NAME, {
    stackName: STACK_NAME,
    description:
      'Social inklusion gennem Vaekstpartnerskaber: referrals, pathways and results-based payments',
    env: { region, account: process.env.CDK_DEFAULT_ACCOUNT },
  });
  return { app, stack };
}
