import { rmSync } from 'node:fs';
import { type App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { createApp } from '../../lib/app.ts';
import { ENTRY_METADATA_KEY } from '../../lib/handler-function.ts';
import type { ProgrammeStack } from '../../lib/programme-stack.ts';

export interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
  Metadata?: Record<string, unknown>;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
}

export interface CfnTemplate {
  Resources: Record<string, CfnResource>;
  Outputs?: Record<string, { Value: unknown }>;
}

export interface Synthesized {
  stack: ProgrammeStack;
  template: Template;
  json: CfnTemplate;
}

/** Synthesizes the real app; esbuild is skipped because these tests are about the template, not the bundles. */
export function synthesize(context: Record<string, unknown> = {}): Synthesized {
  const { app, stack } = createApp({ context: { 'aws:cdk:bundling-stacks': [], ...context } });
  const template = Template.fromStack(stack);
  removeAssembly(app);
  return { stack, template, json: template.toJSON() as CfnTemplate };
}

/** Every App makes a temporary cloud assembly directory; the tests keep what they need in memory. */
export function removeAssembly(app: App): void {
  rmSync(app.outdir, { recursive: true, force: true });
}

/** The logical id of an L2 construct's CloudFormation resource. */
export function logicalIdOf(construct: IConstruct): string {
  const resource = construct.node.defaultChild as CfnElement | undefined;
  if (!resource) throw new Error(`${construct.node.path} has no CloudFormation resource`);
  return Stack.of(construct).getLogicalId(resource);
}

export const entries = {
  referralForm: 'functions/api/referral-form.ts',
  createReferral: 'functions/api/create-referral.ts',
  getReferral: 'functions/api/get-referral.ts',
  recordOutcome: 'functions/api/record-outcome.ts',
  recordPlacement: 'functions/api/record-placement.ts',
  recordConfirmation: 'functions/api/record-confirmation.ts',
  listPayments: 'functions/api/list-payments.ts',
  businessCase: 'functions/api/business-case.ts',
  whatIf: 'functions/api/what-if.ts',
  statements: 'functions/api/statements.ts',
  getAccessLog: 'functions/api/get-access-log.ts',
  health: 'functions/api/health.ts',
  authorizer: 'functions/auth/authorizer.ts',
  login: 'functions/auth/login.ts',
  logout: 'functions/auth/logout.ts',
  dispatcher: 'functions/events/dispatch-pathway-events.ts',
  projectViews: 'functions/events/project-views.ts',
  listPathways: 'functions/api/list-pathways.ts',
  worklist: 'functions/api/worklist.ts',
  dashboard: 'functions/api/dashboard.ts',
  advancePhase: 'functions/workflow/advance-phase.ts',
  calculatePayment: 'functions/workflow/calculate-payment.ts',
  notifyFinance: 'functions/workflow/notify-finance.ts',
  recordFailure: 'functions/workflow/record-failure.ts',
  openMilestone: 'functions/workflow/open-milestone.ts',
  closeMilestone: 'functions/workflow/close-milestone.ts',
  sendReminder: 'functions/workflow/send-reminder.ts',
  reconcile: 'functions/ops/reconcile.ts',
  getPartnership: 'functions/api/get-partnership.ts',
  saveEmploymentActor: 'functions/api/save-employment-actor.ts',
  savePartnerPlan: 'functions/api/save-partner-plan.ts',
  registerCompany: 'functions/api/register-company.ts',
  getCompany: 'functions/api/get-company.ts',
  updateSocialModel: 'functions/api/update-social-model.ts',
  reportKpis: 'functions/api/report-kpis.ts',
  inviteCompany: 'functions/api/invite-company.ts',
  recordSelection: 'functions/api/record-selection.ts',
  recordWithdrawal: 'functions/api/record-withdrawal.ts',
  recordAttendance: 'functions/api/record-attendance.ts',
  getCohort: 'functions/api/get-cohort.ts',
  advanceCompanyStage: 'functions/workflow/advance-company-stage.ts',
  recordJourneyFailure: 'functions/workflow/record-journey-failure.ts',
  companyDispatcher: 'functions/events/dispatch-company-events.ts',
  calculateCompanyPayment: 'functions/workflow/calculate-company-payment.ts',
  notifyCompanyPayment: 'functions/workflow/notify-company-payment.ts',
  verifySocialModel: 'functions/api/verify-social-model.ts',
  companyTasks: 'functions/api/company-tasks.ts',
} as const;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function resourcesOfType(json: CfnTemplate, type: string): [string, CfnResource][] {
  return Object.entries(json.Resources).filter(([, resource]) => resource.Type === type);
}

export function onlyResourceOfType(
  json: CfnTemplate,
  type: string,
  where?: (r: CfnResource) => boolean,
): string {
  const matches = resourcesOfType(json, type).filter(([, resource]) => where?.(resource) ?? true);
  if (matches.length !== 1)
    throw new Error(`Expected one ${type}, found ${matches.map(([id]) => id).join(', ')}`);
  return (matches[0] as [string, CfnResource])[0];
}

/** The logical id of the function built from `entry` (read from its `vaekst:entry` metadata). */
export function functionId(json: CfnTemplate, entry: string): string {
  return onlyResourceOfType(json, 'AWS::Lambda::Function', (r) => r.Metadata?.[ENTRY_METADATA_KEY] === entry);
}

export function entryOfFunction(json: CfnTemplate, logicalId: string): string | undefined {
  const entry = json.Resources[logicalId]?.Metadata?.[ENTRY_METADATA_KEY];
  return typeof entry === 'string' ? entry : undefined;
}

/** True when a CloudFormation expression mentions the logical id (`Ref`, `Fn::GetAtt`, inside `Fn::Join` …). */
export function refersTo(expression: unknown, logicalId: string): boolean {
  return JSON.stringify(expression).includes(`"${logicalId}"`);
}

export interface Statement {
  /** Logical ids of the roles the policy is attached to. */
  roles: string[];
  effect: string;
  actions: string[];
  resources: unknown[];
  conditions: unknown;
}

/** Every statement of every `AWS::IAM::Policy` (identity policies; key and topic policies are separate). */
export function identityStatements(json: CfnTemplate): Statement[] {
  const statements: Statement[] = [];
  for (const [, policy] of resourcesOfType(json, 'AWS::IAM::Policy')) {
    const properties = policy.Properties ?? {};
    const roles = (Array.isArray(properties.Roles) ? properties.Roles : []).map((role: unknown) =>
      isRecord(role) && typeof role.Ref === 'string' ? role.Ref : JSON.stringify(role),
    );
    const document = isRecord(properties.PolicyDocument) ? properties.PolicyDocument : {};
    const raw = Array.isArray(document.Statement) ? document.Statement : [];
    for (const statement of raw) {
      if (!isRecord(statement)) continue;
      statements.push({
        roles,
        effect: String(statement.Effect),
        actions: asList(statement.Action).map(String),
        resources: asList(statement.Resource),
        conditions: statement.Condition,
      });
    }
  }
  return statements;
}

export interface AnyStatement {
  /** Logical id of the resource the policy document belongs to (policy, role, key, topic, queue …). */
  resource: string;
  statement: Record<string, unknown>;
}

/**
 * Every statement of every policy document anywhere in the template: identity policies, inline role
 * policies, managed policies, key, topic and queue policies. Found by shape (a `Statement` list), so a new
 * kind of policy cannot slip past the tests that use it.
 */
export function everyPolicyStatement(json: CfnTemplate): AnyStatement[] {
  const found: AnyStatement[] = [];
  const visit = (resource: string, value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(resource, item);
      return;
    }
    if (!isRecord(value)) return;
    if (Array.isArray(value.Statement)) {
      for (const statement of value.Statement) if (isRecord(statement)) found.push({ resource, statement });
    }
    for (const child of Object.values(value)) visit(resource, child);
  };
  for (const [id, resource] of Object.entries(json.Resources)) visit(id, resource.Properties);
  return found;
}

/** Whether an IAM action pattern (`dynamodb:*`, `dynamodb:S*`, `*`) covers `action`; IAM matches case-insensitively. */
export function actionCovers(pattern: string, action: string): boolean {
  const regex = new RegExp(
    `^${pattern
      .split('')
      .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
      .join('')}$`,
    'i',
  );
  return regex.test(action);
}

/** The execution role of a function or state machine (`Properties.RoleArn` / `Properties.Role`). */
export function roleOf(json: CfnTemplate, logicalId: string): string {
  const properties = json.Resources[logicalId]?.Properties ?? {};
  const role = properties.Role ?? properties.RoleArn;
  const getAtt = isRecord(role) ? role['Fn::GetAtt'] : undefined;
  if (!Array.isArray(getAtt) || typeof getAtt[0] !== 'string')
    throw new Error(`${logicalId} has no role GetAtt`);
  return getAtt[0];
}

export function statementsOfRole(json: CfnTemplate, roleId: string): Statement[] {
  return identityStatements(json).filter((statement) => statement.roles.includes(roleId));
}

export function actionsOfRole(json: CfnTemplate, roleId: string): string[] {
  return [...new Set(statementsOfRole(json, roleId).flatMap((statement) => statement.actions))].sort();
}

export function asList(value: unknown): unknown[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

export const PLACEHOLDER_REGION = 'eu-north-1';
export const PLACEHOLDER_ACCOUNT = '123456789012';

export interface StateMachineDefinition {
  StartAt: string;
  TimeoutSeconds?: number;
  States: Record<string, Record<string, unknown>>;
}

/**
 * Turns `DefinitionString` (an `Fn::Join` of text and tokens) into JSON: a function's `Fn::GetAtt Arn` becomes a
 * well-formed Lambda ARN ending in the logical id, any other token a placeholder string.
 */
export function definitionOf(json: CfnTemplate, stateMachineId: string): StateMachineDefinition {
  const definition = json.Resources[stateMachineId]?.Properties?.DefinitionString;
  const join = isRecord(definition) ? definition['Fn::Join'] : undefined;
  if (!Array.isArray(join) || !Array.isArray(join[1])) {
    return JSON.parse(String(definition)) as StateMachineDefinition;
  }
  const text = (join[1] as unknown[])
    .map((part) => {
      if (typeof part === 'string') return part;
      const getAtt = isRecord(part) ? part['Fn::GetAtt'] : undefined;
      if (Array.isArray(getAtt) && getAtt[1] === 'Arn' && typeof getAtt[0] === 'string') {
        const target = json.Resources[getAtt[0]];
        if (target?.Type === 'AWS::Lambda::Function') {
          return `arn:aws:lambda:${PLACEHOLDER_REGION}:${PLACEHOLDER_ACCOUNT}:function:${getAtt[0]}`;
        }
      }
      return 'PLACEHOLDER';
    })
    .join(join[0] as string);
  return JSON.parse(text) as StateMachineDefinition;
}

/** The logical id behind a Lambda ARN produced by `definitionOf`. */
export function functionIdOfArn(arn: unknown): string | undefined {
  return typeof arn === 'string' ? /:function:([^:]+)$/.exec(arn)?.[1] : undefined;
}
