import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp, DEFAULT_REGION, STACK_NAME } from '../../lib/app.ts';
import { removeAssembly } from './support.ts';

describe('createApp', () => {
  let savedRegion: string | undefined;

  beforeEach(() => {
    savedRegion = process.env.CDK_DEFAULT_REGION;
    delete process.env.CDK_DEFAULT_REGION;
  });

  afterEach(() => {
    if (savedRegion === undefined) delete process.env.CDK_DEFAULT_REGION;
    else process.env.CDK_DEFAULT_REGION = savedRegion;
  });

  it('names the stack and places it in Stockholm by default', () => {
    // Act
    const { app, stack } = createApp({ context: { 'aws:cdk:bundling-stacks': [] } });
    removeAssembly(app);

    // Assess
    expect(stack.stackName).toBe(STACK_NAME);
    expect(stack.region).toBe(DEFAULT_REGION);
  });

  it('takes the region from context only, never from the CLI’s profile', () => {
    // Prepare
    process.env.CDK_DEFAULT_REGION = 'eu-west-1';

    // Act
    const fromEnvironment = createApp({ context: { 'aws:cdk:bundling-stacks': [] } });
    const fromContext = createApp({ context: { 'aws:cdk:bundling-stacks': [], region: 'eu-central-1' } });
    removeAssembly(fromEnvironment.app);
    removeAssembly(fromContext.app);

    // Assess
    expect(fromEnvironment.stack.region).toBe(DEFAULT_REGION);
    expect(fromContext.stack.region).toBe('eu-central-1');
  });
});
