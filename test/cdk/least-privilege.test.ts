import { beforeAll, describe, expect, it } from 'vitest';
import {
  actionCovers,
  actionsOfRole,
  asList,
  entries,
  everyPolicyStatement,
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

  it('grants dynamodb:Scan in no policy of the template, by name or by wildcard', () => {
    // Act
    const all = everyPolicyStatement(synthesized.json);
    const scanning = all.filter(
      ({ statement }) =>
        statement.Effect === 'Allow' &&
        (asList(statement.Action).some((a) => actionCovers(String(a), 'dynamodb:Scan')) ||
          // An Allow with NotAction grants everything it does not list.
          (statement.NotAction !== undefined &&
            !asList(statement.NotAction).some((a) => actionCovers(String(a), 'dynamodb:Scan')))),
    );

    // Assess (the walk does find the table grants, so an empty result means something)
    expect(all.some(({ statement }) => asList(statement.Action).includes('dynamodb:Query'))).toBe(true);
    expect(scanning).toEqual([]);
  });

  it('grants dynamodb:DeleteItem only to the handlers that release a citizen lock', () => {
    // Prepare: releaseCitizen runs when a drop-out or the end of tracking closes a pathway.
    const deleters = [entries.recordOutcome, entries.advancePhase].map((entry) => roleOfEntry(entry));

    // Act
    const deleting = everyPolicyStatement(synthesized.json).filter(
      ({ statement }) =>
        statement.Effect === 'Allow' &&
        asList(statement.Action).some((a) => actionCovers(String(a), 'dynamodb:DeleteItem')),
    );
    const roles = statements
      .filter((s) => s.actions.some((a) => actionCovers(a, 'dynamodb:DeleteItem')))
      .flatMap((s) => s.roles);

    // Assess: every such statement is an identity policy of one of the two roles.
    expect(new Set(roles)).toEqual(new Set(deleters));
    expect(deleting).toHaveLength(roles.length);
  });

  it('never grants a wildcard action', () => {
    // Act
    const wildcards = statements
      .flatMap((s) => s.actions)
      .filter((action) => action === '*' || action.endsWith(':*'));

    // Assess
    expect(wildcards).toEqual([]);
  });

  it('grants each handler exactly the table actions its code uses, on the table and the byType index', () => {
    // Prepare: read from the handlers and the stores (functions/shared/pathway-store.ts); a transaction's items
    // need PutItem / UpdateItem / DeleteItem, every pathway read and write puts an access-log item.
    const table = logicalIdOf(synthesized.stack.data.table);
    const onTable = (s: Statement) =>
      s.resources.some((r) => JSON.stringify(r) === `{"Fn::GetAtt":["${table}","Arn"]}`);
    const onIndex = (s: Statement) => s.resources.some((r) => JSON.stringify(r).includes('/index/byType'));
    const onMunicipalityIndex = (s: Statement) =>
      s.resources.some((r) => JSON.stringify(r).includes('/index/byMunicipality'));
    const expected: Record<string, { table: string[]; index: string[]; municipalityIndex?: string[] }> = {
      [entries.createReferral]: { table: ['GetItem', 'PutItem', 'UpdateItem'], index: [] },
      [entries.getReferral]: { table: ['PutItem', 'Query'], index: [] },
      [entries.getAccessLog]: { table: ['GetItem', 'Query'], index: [] },
      [entries.recordOutcome]: {
        table: ['DeleteItem', 'GetItem', 'PutItem', 'Query', 'UpdateItem'],
        index: [],
      },
      [entries.recordPlacement]: { table: ['GetItem', 'PutItem', 'Query', 'UpdateItem'], index: [] },
      [entries.recordConfirmation]: { table: ['GetItem', 'PutItem', 'Query', 'UpdateItem'], index: [] },
      [entries.listPayments]: { table: [], index: ['Query'] },
      [entries.statements]: { table: [], index: ['Query'] },
      [entries.businessCase]: { table: ['Query'], index: ['Query'] },
      [entries.dashboard]: { table: ['Query'], index: ['Query'] },
      [entries.advancePhase]: { table: ['DeleteItem', 'GetItem', 'PutItem', 'UpdateItem'], index: [] },
      [entries.calculatePayment]: { table: ['GetItem', 'PutItem', 'Query', 'UpdateItem'], index: [] },
      [entries.notifyFinance]: { table: ['GetItem', 'UpdateItem'], index: [] },
      [entries.openMilestone]: { table: ['GetItem', 'PutItem', 'Query', 'UpdateItem'], index: [] },
      [entries.closeMilestone]: { table: ['GetItem', 'PutItem', 'UpdateItem'], index: [] },
      [entries.sendReminder]: { table: ['GetItem', 'PutItem'], index: [] },
      [entries.recordFailure]: { table: ['PutItem'], index: [] },
      [entries.reconcile]: { table: ['Query'], index: ['Query'] },
      [entries.referralForm]: { table: [], index: [] },
      [entries.whatIf]: { table: [], index: [] },
      [entries.projectViews]: { table: ['GetItem', 'PutItem', 'Query', 'UpdateItem'], index: ['Query'] },
      [entries.listPathways]: { table: ['BatchGetItem'], index: [], municipalityIndex: ['Query'] },
      [entries.worklist]: { table: [], index: [], municipalityIndex: ['Query'] },
      [entries.authorizer]: { table: [], index: [] },
      [entries.login]: { table: [], index: [] },
      [entries.logout]: { table: [], index: [] },
      [entries.inviteCompany]: { table: ['GetItem', 'PutItem', 'Query'], index: [] },
      [entries.recordSelection]: { table: ['GetItem', 'PutItem', 'Query'], index: [] },
      [entries.recordWithdrawal]: { table: ['GetItem', 'PutItem', 'Query'], index: [] },
      [entries.recordAttendance]: { table: ['GetItem', 'PutItem', 'Query'], index: [] },
      [entries.getCohort]: { table: ['Query'], index: [] },
      [entries.advanceCompanyStage]: { table: ['GetItem', 'PutItem'], index: [] },
      [entries.recordJourneyFailure]: { table: ['PutItem'], index: [] },
      [entries.companyDispatcher]: { table: [], index: [] },
      [entries.getPartnership]: { table: ['GetItem', 'Query'], index: [] },
      [entries.getCompany]: { table: ['GetItem', 'Query'], index: [] },
      [entries.companyTasks]: { table: ['GetItem', 'Query'], index: [] },
      [entries.saveEmploymentActor]: { table: ['GetItem', 'PutItem', 'Query'], index: [] },
      [entries.savePartnerPlan]: { table: ['GetItem', 'PutItem', 'Query'], index: [] },
      [entries.registerCompany]: { table: ['GetItem', 'PutItem', 'Query'], index: [] },
      [entries.updateSocialModel]: { table: ['GetItem', 'PutItem', 'Query'], index: [] },
      [entries.reportKpis]: { table: ['GetItem', 'PutItem', 'Query'], index: [] },
      [entries.verifySocialModel]: { table: ['GetItem', 'PutItem', 'Query'], index: [] },
      [entries.calculateCompanyPayment]: { table: ['GetItem', 'PutItem', 'Query', 'UpdateItem'], index: [] },
      [entries.notifyCompanyPayment]: { table: ['GetItem', 'UpdateItem'], index: [] },
    };

    for (const [entry, actions] of Object.entries(expected)) {
      // Act
      const dynamo = statementsOfRole(synthesized.json, roleOfEntry(entry)).filter((s) =>
        s.actions.some((a) => a.startsWith('dynamodb:')),
      );
      const granted = (where: (s: Statement) => boolean) =>
        dynamo
          .filter(where)
          .flatMap((s) => s.actions)
          .map((a) => a.replace('dynamodb:', ''))
          .sort();

      // Assess
      expect(granted(onTable), `${entry} on the table`).toEqual(actions.table);
      expect(granted(onIndex), `${entry} on byType`).toEqual(actions.index);
      expect(granted(onMunicipalityIndex), `${entry} on byMunicipality`).toEqual(
        actions.municipalityIndex ?? [],
      );
      expect(
        // A stream consumer's event source mapping reads the table's stream (StreamArn), nothing else.
        dynamo.filter(
          (s) =>
            !onTable(s) &&
            !onIndex(s) &&
            !onMunicipalityIndex(s) &&
            !JSON.stringify(s.resources).includes('StreamArn'),
        ),
        `${entry} elsewhere`,
      ).toEqual([]);
    }
  });

  it('lets handlers that only read hold kms:Decrypt on the data key and nothing else of it', () => {
    // Prepare
    const dataKey = logicalIdOf(synthesized.stack.data.dataKey);

    for (const entry of [
      entries.listPayments,
      entries.businessCase,
      entries.statements,
      entries.getAccessLog,
    ]) {
      // Act
      const onKey = statementsOfRole(synthesized.json, roleOfEntry(entry)).filter((s) =>
        s.resources.some((r) => refersTo(r, dataKey)),
      );

      // Assess
      expect(
        onKey.flatMap((s) => s.actions),
        entry,
      ).toEqual(['kms:Decrypt']);
    }
  });

  it('lets the reports query the byType index of the table, and no other table', () => {
    // Prepare
    const table = logicalIdOf(synthesized.stack.data.table);

    for (const entry of [entries.businessCase, entries.statements, entries.listPayments]) {
      // Act
      const queries = statementsOfRole(synthesized.json, roleOfEntry(entry)).filter((s) =>
        s.actions.includes('dynamodb:Query'),
      );
      const resources = queries.flatMap((s) => s.resources);

      // Assess: the table and its byType index by name, never every index (`/index/*`).
      expect(resources.length, entry).toBeGreaterThan(0);
      expect(
        resources.every((r) => refersTo(r, table)),
        entry,
      ).toBe(true);
      expect(JSON.stringify(resources), entry).toContain('/index/byType');
      expect(JSON.stringify(resources), entry).not.toContain('/index/*');
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

  it('lets only the two notify tasks publish to the finance topic and send-reminder to the reminder topic', () => {
    // Act
    const publishing = statements
      .filter((s) => s.actions.some((a) => a.startsWith('sns:')))
      .map((s) => ({ roles: s.roles, actions: s.actions, resources: s.resources }));

    // Assess
    expect(publishing).toHaveLength(3);
    expect(publishing).toEqual(
      expect.arrayContaining([
        {
          roles: [roleOfEntry(entries.notifyFinance)],
          actions: ['sns:Publish'],
          resources: [{ Ref: logicalIdOf(synthesized.stack.finance.topic) }],
        },
        {
          roles: [roleOfEntry(entries.notifyCompanyPayment)],
          actions: ['sns:Publish'],
          resources: [{ Ref: logicalIdOf(synthesized.stack.finance.topic) }],
        },
        {
          roles: [roleOfEntry(entries.sendReminder)],
          actions: ['sns:Publish'],
          resources: [{ Ref: logicalIdOf(synthesized.stack.reminders.topic) }],
        },
      ]),
    );
  });

  it('lets only the dispatchers (and the reconciler) start executions (the pathway dispatcher all three machines) and stop phase timer executions', () => {
    // Prepare: the reconciler's grants are tested in reconciler.test.ts
    const dispatcherRole = roleOfEntry(entries.dispatcher);
    const reconcilerRole = roleOfEntry(entries.reconcile);
    // The companies' dispatcher controls only the CompanyStageTimer (test/cdk/company-journeys.test.ts).
    const companyDispatcherRole = roleOfEntry(entries.companyDispatcher);
    const phaseTimer = logicalIdOf(synthesized.stack.workflows.phaseTimer);
    const payment = logicalIdOf(synthesized.stack.workflows.payment);
    const sustainment = logicalIdOf(synthesized.stack.workflows.sustainment);

    // Act
    const everyStates = statements.filter((s) => s.actions.some((a) => a.startsWith('states:')));
    const states = everyStates.filter((s) => s.roles.includes(dispatcherRole));
    const starts = states.filter((s) => s.actions.includes('states:StartExecution'));
    const stops = states.filter((s) => s.actions.includes('states:StopExecution'));

    // Assess
    expect(new Set(everyStates.flatMap((s) => s.roles))).toEqual(
      new Set([dispatcherRole, reconcilerRole, companyDispatcherRole]),
    );
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
    expect(stopResources).toHaveLength(2);
    [phaseTimer, sustainment].forEach((machine, index) => {
      const stopArn = JSON.stringify(stopResources[index]);
      expect(stopArn).toContain(':execution:');
      expect(stopArn).toContain(`{"Fn::GetAtt":["${machine}","Name"]}`);
      expect(stopArn).toMatch(/":\*"\]\]\}$/);
    });
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
        functions: [
          workflows.openMilestone,
          workflows.closeMilestone,
          workflows.sendReminder,
          workflows.recordFailure,
        ],
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
