import { type Cohort, type CompanyStage, companyStageLabels, companyStages } from '#domain/accelerator';
import type { Caller } from '#domain/access';
import type { JourneyState } from '#domain/company-journey';
import { danishDay, type IsoDate } from '#domain/dates';
import type { CompanyRecord } from '#domain/parties';
import { findMunicipality, municipalities } from '#domain/programme';
import { page, scrollingTable, table } from './html.ts';
import { html } from './html-template.ts';

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

/** The cohort page in Danish. */
export function cohortPage(base: string, caller: Caller, view: CohortView) {
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
}`,
    { caller, base },
  );
}
