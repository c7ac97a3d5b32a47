import { type CompanyStage, companyStageLabels } from '#domain/accelerator';
import { type Caller, scopeOf } from '#domain/access';
import type { JourneyEvent } from '#domain/company-journey';
import { kpiPointLabels } from '#domain/company-kpis';
import { danishDay } from '#domain/dates';
import { formatWholeKroner } from '#domain/money';
import { companySizeLabels, socialEconomyLabels } from '#domain/parties';
import { findMunicipality } from '#domain/programme';
import {
  itemStatuses,
  itemStatusLabels,
  socialModelItemLabels,
  socialModelItems,
} from '#domain/social-model';
import type { CompanyJourneyView, CompanyView } from './company-view.ts';
import { errorFor, option, page, scrollingTable, summaryOf, table } from './html.ts';
import { type Html, html } from './html-template.ts';
import type { FieldError } from './http.ts';

export type { CompanyView } from './company-view.ts';

/** Which of the page's forms a refused POST came from, with its messages and what the user typed. */
export interface CompanyFormErrors {
  form: 'social-model' | 'kpis';
  cohortId: string;
  errors: FieldError[];
  values: Record<string, string>;
}

function eventText(event: JourneyEvent): string {
  switch (event.kind) {
    case 'stage-started':
      return `Fase: ${companyStageLabels[event.stage as CompanyStage] ?? event.stage}`;
    case 'selection-decided':
      return event.selected ? 'Udvalgt til acceleratoren' : 'Ikke udvalgt';
    case 'attendance-recorded':
      return `Camp ${danishDay(event.campDate)}: ${event.present ? 'deltog' : 'deltog ikke'}`;
    case 'withdrawn':
      return `Udtrådt ${danishDay(event.on)}: ${event.reason}`;
  }
}

/**
 * The company page (Virksomhed): who the company is, and per cohort its journey timeline, camps and attendance,
 * the social model's checklist and the KPIs, with the forms the caller's role acts through.
 */
export function companyPage(
  base: string,
  caller: Caller,
  view: CompanyView,
  failed?: CompanyFormErrors,
): Html {
  const { company } = view;
  const municipality = findMunicipality(company.municipality);
  return page(
    `Virksomhed – ${company.name}`,
    html`<h1>${company.name}</h1>
<p><a href="${base}/partnership${caller.role === 'programme' ? `?municipality=${company.municipality}` : ''}">Partnerskab: ${municipality?.name ?? company.municipality} Kommune</a></p>
${table(
  ['Oplysning', 'Værdi'],
  [
    ['CVR-nummer', company.cvr],
    ['Socialøkonomi', socialEconomyLabels[company.socialEconomy]],
    ['Størrelse', companySizeLabels[company.size]],
    [
      'Kontaktperson',
      [company.contact.name, company.contact.email, company.contact.phone].filter(Boolean).join(', '),
    ],
    ['Beskæftigelsesaktørens egen virksomhed', company.ownedByEmploymentActor ? 'Ja' : 'Nej'],
    ['Registreret', `${danishDay(company.registeredAt.slice(0, 10))} af ${company.registeredBy}`],
  ],
)}
<h2>Borgere i virksomheden</h2>
<p>${String(view.citizens.placed)} i virksomhedsindslusning · ${String(view.citizens.hired)} ansat${
      view.citizens.hired
        ? `, heraf ${view.citizens.hiredAsAcceleratorCompany} mens virksomheden var i acceleratoren`
        : ''
    }</p>
${
  view.citizens.pathways.length
    ? table(
        ['Dato', 'Hvad', 'Forløb'],
        view.citizens.pathways.map((p) => [
          danishDay(p.on),
          p.link === 'hire' ? 'Ansat' : 'Virksomhedsindslusning',
          html`<a href="${base}/referrals/${p.referralId}">Åbn forløbet</a>`,
        ]),
      )
    : ''
}
${
  view.journeys.length
    ? view.journeys.map((journey) =>
        journeySection(
          base,
          caller,
          company.cvr,
          journey,
          failed?.cohortId === journey.cohortId ? failed : undefined,
        ),
      )
    : html`<p>Virksomheden er ikke inviteret til et acceleratorhold endnu.</p>`
}`,
    { caller, base, wide: true },
  );
}

function journeySection(
  base: string,
  caller: Caller,
  cvr: string,
  journey: CompanyJourneyView,
  failed: CompanyFormErrors | undefined,
): Html {
  const model = journey.socialModel;
  return html`<section aria-labelledby="journey-${journey.cohortId}">
<h2 id="journey-${journey.cohortId}">Acceleratorhold <a href="${base}/cohorts/${journey.cohortId}">${journey.cohortId}</a>: ${journey.stageLabel}</h2>
<p>Inviteret ${danishDay(journey.invitedOn)}${journey.legEndsOn ? ` · næste skift ${danishDay(journey.legEndsOn)}` : ''}</p>
<h3>Forløb</h3>
${scrollingTable(
  'Forløb',
  table(
    ['Dato', 'Hændelse', 'Af'],
    journey.timeline.map((event) => [danishDay(event.at.slice(0, 10)), eventText(event), event.by]),
  ),
)}
<h3>Camps og deltagelse</h3>
${table(
  ['Dato', 'Camp', 'Deltagelse'],
  journey.camps.map((camp) => [
    danishDay(camp.date),
    camp.title,
    camp.present === null ? 'Ikke registreret' : camp.present ? 'Deltog' : 'Deltog ikke',
  ]),
)}
<h3>Den sociale model (${String(model.done)} af ${String(model.total)} punkter gennemført${
    model.verifiedOn ? html`, verificeret ${danishDay(model.verifiedOn)}` : ''
  })</h3>
${table(
  ['Punkt', 'Status', 'Dokumentation', 'Opdateret'],
  socialModelItems.map((item) => {
    const entry = model.checklist[item];
    return [
      item === 'buddies-trained' && entry.buddies !== undefined
        ? `${socialModelItemLabels[item]} (${entry.buddies})`
        : socialModelItemLabels[item],
      itemStatusLabels[entry.status],
      entry.evidence ?? '',
      entry.updatedAt ? `${danishDay(entry.updatedAt.slice(0, 10))} af ${entry.updatedBy ?? ''}` : '',
    ];
  }),
)}
${scopeOf(caller.role, 'run-accelerator') ? socialModelForm(base, cvr, journey, failed?.form === 'social-model' ? failed : undefined) : ''}
<h3>Nøgletal</h3>
${table(
  ['Målepunkt', 'Kan indberettes', 'Omsætning', 'Årsværk', 'Udsatte ansat', 'Stadig ansat', 'Udvikling'],
  journey.kpis.map((kpi) => [
    kpiPointLabels[kpi.point],
    `${danishDay(kpi.opens)} – ${danishDay(kpi.closes)}`,
    kpi.reported ? formatWholeKroner(kpi.reported.revenueOere) : '–',
    kpi.reported ? String(kpi.reported.fullTimeEmployees).replace('.', ',') : '–',
    kpi.reported ? String(kpi.reported.vulnerableEmployed) : '–',
    kpi.reported ? String(kpi.reported.vulnerableStillEmployed) : '–',
    kpi.changes
      ? `Omsætning ${kpi.changes.revenueChangeOere >= 0 ? '+' : ''}${formatWholeKroner(kpi.changes.revenueChangeOere)}, ${kpi.changes.vulnerableHires} udsatte ansat siden udgangspunktet`
      : '',
  ]),
)}
${scopeOf(caller.role, 'report-kpis') ? kpiForm(base, cvr, journey, failed?.form === 'kpis' ? failed : undefined) : ''}
</section>`;
}

function socialModelForm(
  base: string,
  cvr: string,
  journey: CompanyJourneyView,
  failed?: CompanyFormErrors,
): Html {
  const errors = failed?.errors ?? [];
  const values = failed?.values ?? {};
  const p = `model-${journey.cohortId}-`;
  return html`<h4>Opdatér et punkt</h4>
${summaryOf(errors, 'Punktet')}
<form method="post" action="${base}/companies/${cvr}/social-model" novalidate>
  <input type="hidden" name="cohortId" value="${journey.cohortId}">
  <input type="hidden" name="basedOnVersion" value="${String(journey.socialModel.version)}">
  <label for="${p}item">Punkt</label>
  <select id="${p}item" name="item">${socialModelItems.map((item) => option(item, socialModelItemLabels[item], values.item))}</select>
  ${errorFor(errors, 'item', p)}
  <label for="${p}status">Status</label>
  <select id="${p}status" name="status">${itemStatuses.map((s) => option(s, itemStatusLabels[s], values.status))}</select>
  ${errorFor(errors, 'status', p)}
  <label for="${p}evidence">Dokumentation <span class="hint">(skal udfyldes, når punktet er gennemført)</span></label>
  <textarea id="${p}evidence" name="evidence" rows="3">${values.evidence}</textarea>
  ${errorFor(errors, 'evidence', p)}
  <label for="${p}buddies">Antal medarbejdere uddannet som buddies <span class="hint">(kun for buddy-punktet)</span></label>
  <input id="${p}buddies" name="buddies" type="number" min="0" value="${values.buddies}">
  ${errorFor(errors, 'buddies', p)}
  <button type="submit">Gem punkt</button>
</form>`;
}

function kpiForm(base: string, cvr: string, journey: CompanyJourneyView, failed?: CompanyFormErrors): Html {
  const errors = failed?.errors ?? [];
  const values = failed?.values ?? {};
  const p = `kpi-${journey.cohortId}-`;
  const field = (name: string, label: string, type = 'text') =>
    html`<label for="${p}${name}">${label}</label>
  <input id="${p}${name}" name="${name}" type="${type}" value="${values[name]}">
  ${errorFor(errors, name, p)}`;
  return html`<h4>Indberet nøgletal</h4>
${summaryOf(errors, 'Nøgletallene')}
<form method="post" action="${base}/companies/${cvr}/kpis" novalidate>
  <input type="hidden" name="cohortId" value="${journey.cohortId}">
  <label for="${p}point">Målepunkt</label>
  <select id="${p}point" name="point">${journey.kpis.map((kpi) => option(kpi.point, kpiPointLabels[kpi.point], values.point))}</select>
  ${errorFor(errors, 'point', p)}
  ${field('revenueKroner', 'Omsætning det seneste år (kr.)')}
  ${field('fullTimeEmployees', 'Årsværk (fuldtidsansatte)')}
  ${field('vulnerableEmployed', 'Udsatte borgere ansat', 'number')}
  ${field('vulnerableStillEmployed', 'Heraf stadig ansat', 'number')}
  <button type="submit">Gem nøgletal</button>
</form>`;
}
