import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { HandlerFunction, repoRoot } from '../../lib/handler-function.ts';
import {
  actionsOfRole,
  type CfnTemplate,
  entries,
  entryOfFunction,
  functionId,
  isRecord,
  logicalIdOf,
  refersTo,
  removeAssembly,
  resourcesOfType,
  roleOf,
  type Synthesized,
  synthesize,
} from './support.ts';

function environmentOf(synthesized: Synthesized, entry: string): Record<string, unknown> {
  const environment =
    synthesized.json.Resources[functionId(synthesized.json, entry)]?.Properties?.Environment;
  return isRecord(environment) && isRecord(environment.Variables) ? environment.Variables : {};
}

describe('HandlerFunction', () => {
  let synthesized: Synthesized;

  beforeAll(() => {
    // Prepare
    synthesized = synthesize();
  });

  it('builds exactly the handlers of the contract, each tagged with an existing entry file', () => {
    // Act
    const tagged = resourcesOfType(synthesized.json, 'AWS::Lambda::Function').map(([id]) =>
      entryOfFunction(synthesized.json, id),
    );

    // Assess
    expect(tagged.sort()).toEqual(Object.values(entries).sort());
    for (const entry of Object.values(entries)) expect(existsSync(join(repoRoot, entry)), entry).toBe(true);
  });

  it('runs every Lambda on nodejs22.x, arm64, with X-Ray, 512 MB and its own log group', () => {
    // Act
    const functions = resourcesOfType(synthesized.json, 'AWS::Lambda::Function');

    // Assess
    for (const [id, fn] of functions) {
      const properties = fn.Properties ?? {};
      expect(properties.Runtime, id).toBe('nodejs22.x');
      expect(properties.Architectures, id).toEqual(['arm64']);
      expect(properties.TracingConfig, id).toEqual({ Mode: 'Active' });
      expect(properties.MemorySize, id).toBe(512);
      expect(properties.Handler, id).toBe('index.handler');
      const logGroup = isRecord(properties.LoggingConfig) ? properties.LoggingConfig.LogGroup : undefined;
      const logGroupId = isRecord(logGroup) && typeof logGroup.Ref === 'string' ? logGroup.Ref : '';
      expect(synthesized.json.Resources[logGroupId]?.Properties?.RetentionInDays, id).toBe(365);
    }
  });

  it('sets LOG_LEVEL everywhere, source maps nowhere at start-up (B1) and a 10 s default timeout', () => {
    // Prepare: the reconciler reads every active pathway and the projector's rebuild projects every pathway, so
    // each is given ten minutes; the what-if's 20,000 draws just under API Gateway's 29 s
    const longer: Record<string, number> = {
      [functionId(synthesized.json, entries.reconcile)]: 600,
      [functionId(synthesized.json, entries.projectViews)]: 600,
      [functionId(synthesized.json, entries.whatIf)]: 28,
    };
    // Act
    const functions = resourcesOfType(synthesized.json, 'AWS::Lambda::Function');

    // Assess
    for (const [id, fn] of functions) {
      const environment = fn.Properties?.Environment;
      expect(environment, id).toMatchObject({ Variables: { LOG_LEVEL: 'INFO' } });
      expect(JSON.stringify(environment), id).not.toContain('--enable-source-maps');
      expect(fn.Properties?.Timeout, id).toBe(longer[id] ?? 10);
    }
  });

  it('gives each environment variable name the same resource, and only to the handlers of the contract', () => {
    // Prepare
    const { stack } = synthesized;
    const resourceOf: Record<string, string> = {
      TABLE_NAME: logicalIdOf(stack.data.table),
      CPR_KEY_ID: logicalIdOf(stack.data.cprKey),
      CITIZEN_HASH_KEY_ID: logicalIdOf(stack.data.citizenHashKey),
      PHASE_TIMER_STATE_MACHINE_ARN: logicalIdOf(stack.workflows.phaseTimer),
      PAYMENT_STATE_MACHINE_ARN: logicalIdOf(stack.workflows.payment),
      SUSTAINMENT_STATE_MACHINE_ARN: logicalIdOf(stack.workflows.sustainment),
      FINANCE_TOPIC_ARN: logicalIdOf(stack.finance.topic),
      REMINDER_TOPIC_ARN: logicalIdOf(stack.reminders.topic),
      USER_POOL_ID: logicalIdOf(stack.signIn.userPool),
      USER_POOL_CLIENT_ID: logicalIdOf(stack.signIn.userPoolClient),
    };
    const expected: Record<string, string[]> = {
      [entries.referralForm]: [],
      [entries.createReferral]: ['TABLE_NAME', 'CPR_KEY_ID', 'CITIZEN_HASH_KEY_ID'],
      [entries.getReferral]: ['TABLE_NAME'],
      [entries.recordOutcome]: ['TABLE_NAME'],
      [entries.recordPlacement]: ['TABLE_NAME'],
      [entries.recordConfirmation]: ['TABLE_NAME'],
      [entries.openMilestone]: ['TABLE_NAME'],
      [entries.closeMilestone]: ['TABLE_NAME'],
      [entries.sendReminder]: ['TABLE_NAME', 'REMINDER_TOPIC_ARN'],
      [entries.listPayments]: ['TABLE_NAME'],
      [entries.businessCase]: ['TABLE_NAME'],
      [entries.whatIf]: [],
      [entries.listPathways]: ['TABLE_NAME'],
      [entries.worklist]: ['TABLE_NAME'],
      [entries.dashboard]: ['TABLE_NAME'],
      [entries.projectViews]: ['TABLE_NAME'],
      [entries.statements]: ['TABLE_NAME'],
      [entries.getAccessLog]: ['TABLE_NAME'],
      [entries.authorizer]: ['USER_POOL_ID', 'USER_POOL_CLIENT_ID'],
      [entries.login]: ['USER_POOL_ID', 'USER_POOL_CLIENT_ID'],
      [entries.logout]: ['USER_POOL_CLIENT_ID'],
      [entries.dispatcher]: [
        'PHASE_TIMER_STATE_MACHINE_ARN',
        'PAYMENT_STATE_MACHINE_ARN',
        'SUSTAINMENT_STATE_MACHINE_ARN',
      ],
      [entries.advancePhase]: ['TABLE_NAME'],
      [entries.calculatePayment]: ['TABLE_NAME'],
      [entries.notifyFinance]: ['TABLE_NAME', 'FINANCE_TOPIC_ARN'],
      [entries.recordFailure]: ['TABLE_NAME'],
      [entries.reconcile]: [
        'TABLE_NAME',
        'PHASE_TIMER_STATE_MACHINE_ARN',
        'PAYMENT_STATE_MACHINE_ARN',
        'SUSTAINMENT_STATE_MACHINE_ARN',
      ],
    };

    for (const [entry, names] of Object.entries(expected)) {
      // Act
      const environment = environmentOf(synthesized, entry);
      const resourceNames = Object.keys(environment).filter((name) => name in resourceOf);

      // Assess
      expect(resourceNames.sort(), entry).toEqual([...names].sort());
      for (const name of names)
        expect(refersTo(environment[name], resourceOf[name] ?? '?'), `${entry} ${name}`).toBe(true);
    }
  });

  it('useTable grants a mode once, with TABLE_NAME, and refuses a second mode for the same handler', () => {
    // Prepare
    const stack = new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'UseTable');
    const table = new dynamodb.TableV2(stack, 'Table', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
    });
    const fn = new HandlerFunction(stack, 'Handler', {
      entry: entries.recordFailure,
      description: 'record-failure, in a stack of its own',
    });

    // Act
    fn.useTable(table, 'record-failure');
    const template = Template.fromStack(stack).toJSON() as CfnTemplate;
    removeAssembly(stack.node.root as App);

    // Assess
    const handlerId = functionId(template, entries.recordFailure);
    const environment = template.Resources[handlerId]?.Properties?.Environment;
    expect(JSON.stringify(environment)).toContain('"TABLE_NAME":{"Ref":');
    expect(actionsOfRole(template, roleOf(template, handlerId))).toContain('dynamodb:PutItem');
    expect(() => fn.useTable(table, 'change-pathway')).toThrow(/one table mode/);
  });
});
