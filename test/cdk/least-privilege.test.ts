import { beforeAll, describe, expect, it } from 'vitest';
import {
  actionsOfRole,
  entries,
  functionId,
  identityStatements,
  logicalIdOf,
  refersTo,
  roleOf,
  type Statement,
  type Synthesized,
  statementsOfRole,
  synthesize,
} from './support.ts';

const tableWrites = /^dynamodb:(PutItem|UpdateItem|DeleteItem|BatchWriteItem|TransactWriteItems|\*)$/;
const tableReads = /^dynamodb:(GetItem|BatchGetItem|Query|Scan|\*)$/;

describe('least privilege', () => {
  let synthesized: Synthesized;
  let roleOfEntry: (entry: string) => string;
  let statements: Statement[];

  beforeAll(() => {
    // Prepare
    synthesized = synthesize();
    roleOfEntry = (entry) => roleOf(synthesized.json, functionId(synthesized.json, entry));
    statements = identityStatements(synthesized.json);
  });

  it('never grants a wildcard action', () => {
    // Act
    const wildcards = statements
      .flatMap((s) => s.actions)
      .filter((action) => action === '*' || action.endsWith(':*'));

    // Assess
    expect(wildcards).toEqual([]);
  });

  it('lets the read handlers read the table but write nothing', () => {
    for (const entry of [
      entries.getReferral,
      entries.listPayments,
      entries.businessCase,
      entries.statements,
    ]) {
      // Act
      const actions = actionsOfRole(synthesized.json, roleOfEntry(entry));

      // Assess
      expect(actions, entry).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:Query']));
      expect(
        actions.filter((a) => tableWrites.test(a) || /^(kms:Encrypt|kms:GenerateMac|sns:|states:)/.test(a)),
        entry,
      ).toEqual([]);
    }
  });

  it('lets the reports query the byType index of the table, and no other table', () => {
    // Prepare
    const table = logicalIdOf(synthesized.stack.data.table);

    for (const entry of [entries.businessCase, entries.statements]) {
      // Act
      const queries = statementsOfRole(synthesized.json, roleOfEntry(entry)).filter((s) =>
        s.actions.includes('dynamodb:Query'),
      );
      const resources = queries.flatMap((s) => s.resources);

      // Assess: the table and its indexes (listing referrals and payments goes through byType).
      expect(resources.length, entry).toBeGreaterThan(0);
      expect(
        resources.every((r) => refersTo(r, table)),
        entry,
      ).toBe(true);
      expect(JSON.stringify(resources), entry).toContain('/index/*');
    }
  });

  it('gives the referral form no access to data at all', () => {
    // Act
    const actions = actionsOfRole(synthesized.json, roleOfEntry(entries.referralForm));

    // Assess
    expect(actions.filter((a) => /^(dynamodb|kms|sns|sqs|states):/.test(a))).toEqual([]);
  });

  it('lets record-failure write the table without reading it', () => {
    // Act
    const actions = actionsOfRole(synthesized.json, roleOfEntry(entries.recordFailure));

    // Assess
    expect(actions).toContain('dynamodb:PutItem');
    expect(actions.filter((a) => tableReads.test(a))).toEqual([]);
  });

  it('lets only create-referral use the CPR key, and only to encrypt', () => {
    // Prepare
    const cprKey = logicalIdOf(synthesized.stack.data.cprKey);

    // Act
    const onKey = statements.filter((s) => s.resources.some((r) => refersTo(r, cprKey)));

    // Assess
    expect(onKey.map((s) => ({ roles: s.roles, actions: s.actions }))).toEqual([
      { roles: [roleOfEntry(entries.createReferral)], actions: ['kms:Encrypt'] },
    ]);
  });

  it('lets only create-referral compute citizen keys (kms:GenerateMac on the hash key)', () => {
    // Prepare
    const hashKey = logicalIdOf(synthesized.stack.data.citizenHashKey);

    // Act
    const onKey = statements.filter((s) => s.resources.some((r) => refersTo(r, hashKey)));
    const macAnywhere = statements.filter((s) => s.actions.some((a) => a.startsWith('kms:GenerateMac')));

    // Assess
    expect(onKey.map((s) => ({ roles: s.roles, actions: s.actions }))).toEqual([
      { roles: [roleOfEntry(entries.createReferral)], actions: ['kms:GenerateMac'] },
    ]);
    expect(macAnywhere).toEqual(onKey);
  });

  it('lets only notify-finance publish, and only to the finance topic', () => {
    // Act
    const publishing = statements.filter((s) => s.actions.some((a) => a.startsWith('sns:')));

    // Assess
    expect(publishing).toHaveLength(1);
    expect(publishing[0]?.roles).toEqual([roleOfEntry(entries.notifyFinance)]);
    expect(publishing[0]?.actions).toEqual(['sns:Publish']);
    expect(publishing[0]?.resources).toEqual([{ Ref: logicalIdOf(synthesized.stack.finance.topic) }]);
  });

  it('lets only the dispatcher start executions (all three machines) and stop phase timer executions', () => {
    // Prepare
    const dispatcherRole = roleOfEntry(entries.dispatcher);
    const phaseTimer = logicalIdOf(synthesized.stack.workflows.phaseTimer);
    const payment = logicalIdOf(synthesized.stack.workflows.payment);
    const sustainment = logicalIdOf(synthesized.stack.workflows.sustainment);

    // Act
    const states = statements.filter((s) => s.actions.some((a) => a.startsWith('states:')));
    const starts = states.filter((s) => s.actions.includes('states:StartExecution'));
    const stops = states.filter((s) => s.actions.includes('states:StopExecution'));

    // Assess
    expect(new Set(states.flatMap((s) => s.roles))).toEqual(new Set([dispatcherRole]));
    expect(new Set(states.flatMap((s) => s.actions))).toEqual(
      new Set(['states:StartExecution', 'states:StopExecution']),
    );
    expect(starts.flatMap((s) => s.resources)).toEqual(
      expect.arrayContaining([{ Ref: phaseTimer }, { Ref: payment }, { Ref: sustainment }]),
    );
    expect(starts.flatMap((s) => s.resources)).toHaveLength(3);
    expect(stops.flatMap((s) => s.actions)).toEqual(['states:StopExecution']);
    const stopResources = stops.flatMap((s) => s.resources);
    expect(stopResources).toHaveLength(1);
    const stopArn = JSON.stringify(stopResources[0]);
    expect(stopArn).toContain(':execution:');
    expect(stopArn).toContain(`{"Fn::GetAtt":["${phaseTimer}","Name"]}`);
    expect(stopArn).toMatch(/":\*"\]\]\}$/);
  });

  it('lets the dispatcher use the data key for executions of its three machines only', () => {
    // Prepare
    const { data, workflows } = synthesized.stack;
    const dataKey = logicalIdOf(data.dataKey);

    // Act
    const forExecutions = statementsOfRole(synthesized.json, roleOfEntry(entries.dispatcher)).filter(
      (s) => s.actions.includes('kms:GenerateDataKey') && s.resources.some((r) => refersTo(r, dataKey)),
    );

    // Assess
    expect(forExecutions).toHaveLength(1);
    expect(forExecutions[0]?.actions.sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
    expect(forExecutions[0]?.conditions).toEqual({
      StringEquals: {
        'kms:EncryptionContext:aws:states:stateMachineArn': [
          { Ref: logicalIdOf(workflows.phaseTimer) },
          { Ref: logicalIdOf(workflows.payment) },
          { Ref: logicalIdOf(workflows.sustainment) },
        ],
      },
    });
  });

  it('keeps the dispatcher away from table items', () => {
    // Act
    const actions = actionsOfRole(synthesized.json, roleOfEntry(entries.dispatcher));

    // Assess
    expect(actions.filter((a) => tableWrites.test(a) || tableReads.test(a))).toEqual([]);
    expect(actions).toEqual(expect.arrayContaining(['dynamodb:GetRecords', 'dynamodb:GetShardIterator']));
  });

  it('lets each state machine invoke only its own task functions', () => {
    // Prepare
    const { workflows } = synthesized.stack;
    const expected = [
      { machine: workflows.phaseTimer, functions: [workflows.advancePhase, workflows.recordFailure] },
      {
        machine: workflows.payment,
        functions: [workflows.calculatePayment, workflows.notifyFinance, workflows.recordFailure],
      },
      {
        machine: workflows.sustainment,
        functions: [workflows.openMilestone, workflows.closeMilestone, workflows.recordFailure],
      },
    ];

    for (const { machine, functions } of expected) {
      // Act
      const invoked = statementsOfRole(synthesized.json, roleOf(synthesized.json, logicalIdOf(machine)))
        .filter((s) => s.actions.includes('lambda:InvokeFunction'))
        .flatMap((s) => s.resources);
      const invokedIds = new Set(
        invoked.map((r) => JSON.stringify(r).match(/"Fn::GetAtt":\["([^"]+)","Arn"\]/)?.[1]),
      );

      // Assess
      expect(invokedIds).toEqual(new Set(functions.map(logicalIdOf)));
    }
  });
});
