import { mayAccessCompany } from '#domain/access';
import { kpiPointLabels } from '#domain/company-kpis';
import { type CompanyTask, companyTasksOn } from '#domain/company-tasks';
import { danishDate, danishDay } from '#domain/dates';
import { authorize } from '#shared/caller';
import { clock } from '#shared/clock';
import { loadKpis, loadSocialModel } from '#shared/company-progress-store';
import { page } from '#shared/html';
import { html, raw } from '#shared/html-template';
import { basePath, HttpError, htmlResponse, json, wantsHtml } from '#shared/http';
import { loadMunicipalityJourneys } from '#shared/journey-store';
import { loadPartnership } from '#shared/partnership-store';
import { wrapHttpHandler } from '#shared/wrap-handler';

/** What a task asks, in Danish, and where it is done. */
function describe(task: CompanyTask, base: string): { text: string; href: string } {
  const company = `${base}/companies/${task.cvr}`;
  switch (task.kind) {
    case 'select':
      return {
        text: 'Udvælg virksomheden til acceleratoren, eller ikke',
        href: `${base}/cohorts/${task.cohortId}`,
      };
    case 'record-attendance':
      return {
        text: `Registrér fremmøde til camp ${danishDay(task.campDate ?? task.due)}`,
        href: `${base}/cohorts/${task.cohortId}`,
      };
    case 'report-kpis':
      return {
        text: `Indberet nøgletal: ${kpiPointLabels[task.point ?? 'baseline'].toLowerCase()}`,
        href: company,
      };
    case 'verify-social-model':
      return { text: 'Verificér den sociale model (alle punkter er gennemført)', href: company };
  }
}

/**
 * GET /accelerator/tasks ("Opgaver" for the fund's accelerator staff and a company's contact): what is due in the
 * municipality's companies today — selections, camp attendance, KPI reports, the social model's verification —
 * oldest deadline first, each linking to the page that does it. A company's contact sees its own company's KPI
 * reports only. One query of the partnership's journeys, then each journey's social model and KPIs.
 */
export const handler = wrapHttpHandler('company-tasks', async (event) => {
  const caller = authorize(event, 'read-company-tasks');
  const municipality = caller.municipality;
  if (!municipality) throw new HttpError(404, [{ field: 'municipality', message: 'Kommunen findes ikke' }]);
  const today = danishDate(clock.now());
  const base = basePath(event);
  const [journeys, { companies }] = await Promise.all([
    loadMunicipalityJourneys(municipality),
    loadPartnership(municipality),
  ]);
  const visible = journeys.filter((j) => mayAccessCompany(caller, 'read-company-tasks', municipality, j.cvr));
  const facts = await Promise.all(
    visible.map(async (journey) => {
      const [model, kpis] = await Promise.all([
        loadSocialModel(municipality, journey.cvr, journey.cohortId),
        loadKpis(municipality, journey.cvr, journey.cohortId),
      ]);
      return {
        cvr: journey.cvr,
        cohortId: journey.cohortId,
        stage: journey.stage,
        decisions: journey.decisions,
        attendance: journey.attendance,
        checklist: model?.checklist,
        verified: model?.verifiedOn !== undefined,
        reportedKpis: Object.values(kpis).map((k) => k.point),
      };
    }),
  );
  const names = new Map(companies.map((c) => [c.cvr, c.name]));
  const tasks = companyTasksOn(today, facts)
    // A company's contact reports its own KPIs; the rest is the fund's work.
    .filter((task) => caller.role !== 'company' || task.kind === 'report-kpis')
    .map((task) => ({
      ...task,
      company: names.get(task.cvr) ?? task.cvr,
      overdue: task.due < today,
      ...describe(task, base),
    }));
  const report = { today, municipality, tasks };
  if (!wantsHtml(event)) return json(200, report);
  const rows = tasks.map(
    (t) =>
      html`<tr data-company="${t.cvr}" data-task="${t.kind}"><td>${danishDay(t.due)}${
        t.overdue ? html` <strong class="overdue">overskredet</strong>` : ''
      }</td><td>${t.company}</td><td><a href="${t.href}">${t.text}</a></td></tr>`,
  );
  return htmlResponse(
    200,
    page(
      'Opgaver',
      html`<h1>Opgaver</h1>
<p>Det, der skal gøres for virksomhederne i dag (${danishDay(today)}), ældste frist først.</p>
${
  tasks.length > 0
    ? html`<table id="tasks"><caption>Opgaver efter frist</caption><tr><th scope="col">Frist</th><th scope="col">Virksomhed</th><th scope="col">Opgave</th></tr>${rows}</table>`
    : html`<p id="no-tasks">Ingen opgaver i dag.</p>`
}`,
      { caller, base, style: raw('.overdue { color: #b00020; }') },
    ),
  );
});
