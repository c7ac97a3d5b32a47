import {
  type Cohort,
  type CompanyStage,
  companyStageLabels,
  companyStages,
  isFinalStage,
} from '#domain/accelerator';
import { type Caller, scopeOf } from '#domain/access';
import type { JourneyState } from '#domain/company-journey';
import { danishDay, type IsoDate } from '#domain/dates';
import type { CompanyRecord } from '#domain/parties';
import { findMunicipality, municipalities } from '#domain/programme';
import { errorFor, option, page, scrollingTable, summaryOf, table } from './html.ts';
import { type Html, html } from './html-template.ts';
import type { FieldError } from './http.ts';

/** The cohort page's data (GET /cohorts/{cohortId}): its dates, the camp calendar and the companies by stage. */
export interface CohortView {
  id: string;
  cluster: number;
  year: number;
  recruitment: { start: IsoDate; end: IsoDate };
  bootCamp: { start: IsoDate; end: IsoDate };
  selectionBy: IsoDate;
  accelerator: { start: IsoDate; end: IsoDate };
  followUp: { start: IsoDate; end: IsoDate };
  /** Attendance counted over the companies shown. */
  camps: Array<{ date: IsoDate; days: number; title: string; present: number; absent: number }>;
  /** The municipalities whose companies are shown: the cluster's, as far as the caller may see them. */
  municipalities: Array<{ code: string; name: string }>;
  stageCounts: Record<CompanyStage, number>;
  /** Registered companies the caller may invite (its own municipality's, not yet in the cohort). */
  invitable: Array<{ cvr: string; name: string }>;
  companies: Array<{
    cvr: string;
    name: string;
    municipality: string;
    stage: CompanyStage;
    stageLabel: string;
    invitedOn: IsoDate;
    legEndsOn: IsoDate | null;
  }>;
}

/** The cluster's municipalities the caller may see (`visible` undefined: every one). */
export function cohortMunicipalities(cohort: Cohort, visible: readonly string[] | undefined): string[] {
  return municipalities
    .filter((m) => m.cluster === cohort.cluster && (visible === undefined || visible.includes(m.code)))
    .map((m) => m.code);
}

/** Builds the view from the journeys and companies of the municipalities shown (other cohorts' are left out). */
export function cohortView(
  cohort: Cohort,
  shown: readonly string[],
  journeys: readonly JourneyState[],
  companies: readonly CompanyRecord[],
  /** The municipality whose companies the caller may invite, if any (the accelerator staff's own). */
  invitingFor?: string,
): CohortView {
  const ofCohort = journeys.filter((j) => j.cohortId === cohort.id && shown.includes(j.municipality));
  const names = new Map(companies.map((c) => [c.cvr, c.name]));
  const stageCounts: Record<CompanyStage, number> = {
    invited: 0,
    'boot-camp': 0,
    'awaiting-selection': 0,
    'not-selected': 0,
    selected: 0,
    accelerator: 0,
    'follow-up': 0,
    completed: 0,
    withdrawn: 0,
  };
  for (const journey of ofCohort) stageCounts[journey.stage] += 1;
  return {
    id: cohort.id,
    cluster: cohort.cluster,
    year: cohort.year,
    recruitment: cohort.recruitment,
    bootCamp: cohort.bootCamp,
    selectionBy: cohort.selectionBy,
    accelerator: cohort.accelerator,
    followUp: cohort.followUp,
    camps: cohort.camps.map((camp) => ({
      ...camp,
      present: ofCohort.filter((j) => j.attendance[camp.date] === true).length,
      absent: ofCohort.filter((j) => j.attendance[camp.date] === false).length,
    })),
    municipalities: shown.map((code) => ({ code, name: findMunicipality(code)?.name ?? code })),
    invitable: companies
      .filter((c) => c.municipality === invitingFor && !ofCohort.some((j) => j.cvr === c.cvr))
      .map((c) => ({ cvr: c.cvr, name: c.name }))
      .sort((a, b) => a.name.localeCompare(b.name, 'da')),
    stageCounts,
    companies: ofCohort
      .map((j) => ({
        cvr: j.cvr,
        name: names.get(j.cvr) ?? j.cvr,
        municipality: j.municipality,
        stage: j.stage,
        stageLabel: companyStageLabels[j.stage],
        invitedOn: j.invitedOn,
        legEndsOn: j.legEndsOn,
      }))
      .sort(
        (a, b) =>
          companyStages.indexOf(a.stage) - companyStages.indexOf(b.stage) ||
          a.name.localeCompare(b.name, 'da'),
      ),
  };
}

const period = (range: { start: IsoDate; end: IsoDate }) =>
  // `end` is exclusive; people read the last day.
  `${danishDay(range.start)} – ${danishDay(lastDay(range.end))}`;

function lastDay(exclusiveEnd: IsoDate): IsoDate {
  const day = new Date(`${exclusiveEnd}T12:00:00Z`);
  day.setUTCDate(day.getUTCDate() - 1);
  return day.toISOString().slice(0, 10);
}

/** A form of the page that was sent and refused: shown again with a message per field and the values kept. */
export interface CohortFormErrors {
  form: 'invite' | 'selection' | 'attendance' | 'withdrawal';
  /** The company the form was about (not for an invitation). */
  cvr?: string;
  errors: FieldError[];
  values: Record<string, string>;
}

/** The cohort page in Danish; the fund's accelerator staff also get its forms. */
export function cohortPage(base: string, caller: Caller, view: CohortView, failed?: CohortFormErrors): Html {
  const title = `Acceleratorhold ${view.year} (klynge ${view.cluster})`;
  const municipalityNames = view.municipalities.map((m) => m.name).join(', ');
  const withCompanies = companyStages.filter((stage) => view.stageCounts[stage] > 0);
  return page(
    title,
    html`<h1>${title}</h1>
<dl>
  <dt>Rekruttering med kommunerne</dt><dd>${period(view.recruitment)}</dd>
  <dt>Bootcamp (to dage)</dt><dd>${period(view.bootCamp)}</dd>
  <dt>Udvælgelse senest</dt><dd>${danishDay(view.selectionBy)}</dd>
  <dt>Acceleratorforløb (12 måneder)</dt><dd>${period(view.accelerator)}</dd>
  <dt>Opfølgning (6 måneder)</dt><dd>${period(view.followUp)}</dd>
</dl>
<h2>Campkalender</h2>
${scrollingTable(
  'Campkalender',
  table(
    ['Dato', 'Dage', 'Camp', 'Mødt', 'Ikke mødt'],
    view.camps.map((camp) => [
      danishDay(camp.date),
      String(camp.days),
      camp.title,
      String(camp.present),
      String(camp.absent),
    ]),
  ),
)}
<h2>Virksomheder efter fase</h2>
<p>${municipalityNames ? `Virksomheder fra ${municipalityNames}.` : 'Holdet har ingen kommuner, du kan se.'}</p>
${
  withCompanies.length
    ? html`<ul>${withCompanies.map(
        (stage) => html`<li>${companyStageLabels[stage]}: ${String(view.stageCounts[stage])}</li>`,
      )}</ul>
${scrollingTable(
  'Virksomheder på holdet',
  table(
    ['Virksomhed', 'CVR-nummer', 'Kommune', 'Fase', 'Inviteret'],
    view.companies.map((c) => [
      html`<a href="${base}/companies/${c.cvr}">${c.name}</a>`,
      c.cvr,
      findMunicipality(c.municipality)?.name ?? c.municipality,
      c.stageLabel,
      danishDay(c.invitedOn),
    ]),
  ),
)}`
    : html`<p>Ingen virksomheder er inviteret til holdet endnu.</p>`
}
${scopeOf(caller.role, 'run-accelerator') ? acceleratorForms(base, caller, view, failed) : ''}`,
    { caller, base, wide: true },
  );
}

/**
 * The accelerator staff's forms: invite a registered company, and for each of their companies still on the way
 * the selection (from the boot camp), camp attendance (in the accelerator) and withdrawal. Each posts to the JSON
 * route with a form body; the handler sends the browser back here, or shows this page again with the errors.
 */
function acceleratorForms(base: string, caller: Caller, view: CohortView, failed?: CohortFormErrors): Html {
  const failedFor = (form: CohortFormErrors['form'], cvr?: string) =>
    failed?.form === form && failed.cvr === cvr ? failed : undefined;
  const ongoing = view.companies.filter(
    (c) => c.municipality === caller.municipality && !isFinalStage(c.stage),
  );
  const invite = failedFor('invite');
  return html`<h2 id="invite-form">Invitér virksomhed</h2>
${
  view.invitable.length
    ? html`${summaryOf(invite?.errors ?? [], 'Invitationen')}
<form method="post" action="${base}/cohorts/${view.id}/companies" novalidate>
  <label for="invite-cvr">Registreret virksomhed</label>
  <select id="invite-cvr" name="cvr">${view.invitable.map((c) => option(c.cvr, `${c.name} (CVR ${c.cvr})`, invite?.values.cvr))}</select>
  ${errorFor(invite?.errors ?? [], 'cvr', 'invite-')}
  ${errorFor(invite?.errors ?? [], 'cohortId', 'invite-')}
  <button type="submit">Invitér til holdet</button>
</form>`
    : html`<p>Ingen registrerede virksomheder at invitere. Virksomheder registreres på <a href="${base}/partnership">partnerskabssiden</a>.</p>`
}
${ongoing.map((company) => companyForms(base, view, company, failedFor))}`;
}

function companyForms(
  base: string,
  view: CohortView,
  company: CohortView['companies'][number],
  failedFor: (form: CohortFormErrors['form'], cvr?: string) => CohortFormErrors | undefined,
): Html {
  const action = (what: string) => `${base}/companies/${company.cvr}/journey/${what}`;
  const p = `c${company.cvr}-`;
  const selection = failedFor('selection', company.cvr);
  const attendance = failedFor('attendance', company.cvr);
  const withdrawal = failedFor('withdrawal', company.cvr);
  const errors = (form: CohortFormErrors | undefined) => form?.errors ?? [];
  const mayBeSelected = ['invited', 'boot-camp', 'awaiting-selection'].includes(company.stage);
  return html`<h3 id="${p}forms">${company.name} – ${company.stageLabel}</h3>
${
  mayBeSelected
    ? html`${summaryOf(errors(selection), 'Udvælgelsen')}
<form method="post" action="${action('selection')}" novalidate>
  <input type="hidden" name="cohortId" value="${view.id}">
  ${errorFor(errors(selection), 'selected', p)}
  <button type="submit" name="selected" value="true">Udvælg til acceleratoren</button>
  <button type="submit" name="selected" value="false">Ikke udvalgt</button>
</form>`
    : ''
}
${
  company.stage === 'accelerator'
    ? html`${summaryOf(errors(attendance), 'Fremmødet')}
<form method="post" action="${action('attendance')}" novalidate>
  <input type="hidden" name="cohortId" value="${view.id}">
  <label for="${p}campDate">Camp</label>
  <select id="${p}campDate" name="campDate">${view.camps.map((camp) => option(camp.date, `${danishDay(camp.date)}: ${camp.title}`, attendance?.values.campDate))}</select>
  ${errorFor(errors(attendance), 'campDate', p)}
  <label for="${p}present">Fremmøde</label>
  <select id="${p}present" name="present">${option('true', 'Mødt', attendance?.values.present)}${option('false', 'Ikke mødt', attendance?.values.present)}</select>
  ${errorFor(errors(attendance), 'present', p)}
  <button type="submit">Registrér fremmøde</button>
</form>`
    : ''
}
${summaryOf(errors(withdrawal), 'Udtrædelsen')}
<form method="post" action="${action('withdrawal')}" novalidate>
  <input type="hidden" name="cohortId" value="${view.id}">
  <label for="${p}date">Udtrådt den <span class="hint">(ÅÅÅÅ-MM-DD)</span></label>
  <input id="${p}date" name="date" value="${withdrawal?.values.date}">
  ${errorFor(errors(withdrawal), 'date', p)}
  <label for="${p}reason">Årsag</label>
  <input id="${p}reason" name="reason" value="${withdrawal?.values.reason}">
  ${errorFor(errors(withdrawal), 'reason', p)}
  <button type="submit">Meld virksomheden udtrådt</button>
</form>`;
}
