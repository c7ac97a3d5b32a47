import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { HandlerFunction } from './handler-function.ts';

export interface PartnershipApiProps {
  readonly table: dynamodb.ITableV2;
  /** The programme's REST API (lib/referral-api.ts): its authorizer guards these methods too. */
  readonly api: apigateway.RestApi;
}

/**
 * The partnerships' side of the API (issue 7): the partnership page with its employment actor and partner plan,
 * and the companies. Methods are added with `resourceForPath`, which reuses a resource another construct made
 * (the companies' journey adds its own methods under /companies/{cvr}).
 */
export class PartnershipApi extends Construct {
  readonly getPartnership: HandlerFunction;
  readonly saveEmploymentActor: HandlerFunction;
  readonly savePartnerPlan: HandlerFunction;
  readonly registerCompany: HandlerFunction;
  readonly getCompany: HandlerFunction;
  readonly updateSocialModel: HandlerFunction;
  readonly reportKpis: HandlerFunction;
  readonly companyTasks: HandlerFunction;

  constructor(scope: Construct, id: string, props: PartnershipApiProps) {
    super(scope, id);
    const { table, api } = props;

    this.getPartnership = new HandlerFunction(this, 'GetPartnership', {
      entry: 'functions/api/get-partnership.ts',
      description:
        'GET /partnership: partners, employment actor, companies and their stage, the partner plan',
    }).useTable(table, 'read-partnership');

    this.saveEmploymentActor = new HandlerFunction(this, 'SaveEmploymentActor', {
      entry: 'functions/api/save-employment-actor.ts',
      description: 'POST /partnership/employment-actor: the employment actor and its single point of contact',
    }).useTable(table, 'edit-partnership');

    this.savePartnerPlan = new HandlerFunction(this, 'SavePartnerPlan', {
      entry: 'functions/api/save-partner-plan.ts',
      description: 'POST /partnership/plan: a new version of the partner plan, kept with who and when',
    }).useTable(table, 'edit-partnership');

    this.registerCompany = new HandlerFunction(this, 'RegisterCompany', {
      entry: 'functions/api/register-company.ts',
      description: 'POST /companies: registers a company (CVR number) in the municipality’s partnership',
    }).useTable(table, 'edit-partnership');

    this.getCompany = new HandlerFunction(this, 'GetCompany', {
      entry: 'functions/api/get-company.ts',
      description: 'GET /companies/{cvr}: the company page (journey, camps, social model, KPIs)',
    }).useTable(table, 'read-partnership');

    this.updateSocialModel = new HandlerFunction(this, 'UpdateSocialModel', {
      entry: 'functions/api/update-social-model.ts',
      description: 'POST /companies/{cvr}/social-model: one item of the company’s social model checklist',
    }).useTable(table, 'edit-partnership');

    this.reportKpis = new HandlerFunction(this, 'ReportKpis', {
      entry: 'functions/api/report-kpis.ts',
      description: 'POST /companies/{cvr}/kpis: the company’s KPIs at selection, 12 or 18 months',
    }).useTable(table, 'edit-partnership');

    this.companyTasks = new HandlerFunction(this, 'CompanyTasks', {
      entry: 'functions/api/company-tasks.ts',
      description:
        'GET /accelerator/tasks: what is due in the companies today (selections, camps, KPIs, verification)',
    }).useTable(table, 'read-partnership');

    const integration = (fn: HandlerFunction) =>
      new apigateway.LambdaIntegration(fn, { allowTestInvoke: false });
    const partnership = api.root.resourceForPath('partnership');
    partnership.addMethod('GET', integration(this.getPartnership));
    partnership.resourceForPath('employment-actor').addMethod('POST', integration(this.saveEmploymentActor));
    partnership.resourceForPath('plan').addMethod('POST', integration(this.savePartnerPlan));
    api.root.resourceForPath('accelerator/tasks').addMethod('GET', integration(this.companyTasks));
    const companies = api.root.resourceForPath('companies');
    companies.addMethod('POST', integration(this.registerCompany));
    const company = companies.resourceForPath('{cvr}');
    company.addMethod('GET', integration(this.getCompany));
    company.resourceForPath('social-model').addMethod('POST', integration(this.updateSocialModel));
    company.resourceForPath('kpis').addMethod('POST', integration(this.reportKpis));
  }
}
