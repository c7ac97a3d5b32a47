import { type CompanyStage, companyStageLabels } from '#domain/accelerator';
import { type Caller, scopeOf } from '#domain/access';
import { danishDay } from '#domain/dates';
import {
  type CompanySize,
  companySizeLabels,
  companySizes,
  type SocialEconomyStatus,
  socialEconomyLabels,
  socialEconomyStatuses,
} from '#domain/parties';
import { errorFor, option, page, scrollingTable, summaryOf, table } from './html.ts';
import { type Html, html } from './html-template.ts';
import type { FieldError } from './http.ts';
import { planPartners } from './partnership-validation.ts';
import type { PartnershipView } from './partnership-view.ts';

/** Which of the page's forms a refused POST came from, with its messages and what the user typed. */
export interface PartnershipFormErrors {
  form: 'employment-actor' | 'company' | 'plan';
  errors: FieldError[];
  values: Record<string, string>;
}

const stageLabel = (stage: string) => companyStageLabels[stage as CompanyStage] ?? stage;
const dateTime = (at: string) => `${danishDay(at.slice(0, 10))} ${at.slice(11, 16)}`;

/**
 * The partnership page (Partnerskab): the partners, the employment actor as single point of contact, the
 * companies and their stage in the accelerator, the partner plan and its history; with the forms the caller's
 * role acts through.
 */
export function partnershipPage(
  base: string,
  caller: Caller,
  view: PartnershipView,
  failed?: PartnershipFormErrors,
): Html {
  const actor = view.employmentActor;
  const errorsOf = (form: PartnershipFormErrors['form']) => (failed?.form === form ? failed.errors : []);
  const valuesOf = (form: PartnershipFormErrors['form']) => (failed?.form === form ? failed.values : {});
  const plan = view.partnerPlan.current;
  const body = html`<h1>Partnerskab: ${view.municipality.name} Kommune</h1>
<p>Klynge ${String(view.municipality.cluster)} · ${String(view.municipality.places)} pladser · facilitator: ${view.facilitator}${
    view.cohort
      ? html` · kohorte <a href="${base}/cohorts/${view.cohort.id}">${String(view.cohort.year)}</a> (bootcamp ${danishDay(view.cohort.bootCampStart)}, udvælgelse senest ${danishDay(view.cohort.selectionBy)})`
      : ''
  }</p>
<h2>Parterne</h2>
${table(
  ['Part', 'Rolle', 'Kontakt'],
  [
    [`${view.municipality.name} Kommune`, 'Visiterer borgere og betaler for resultater', '–'],
    [
      actor ? `${actor.name} (CVR ${actor.cvr})` : html`<em>Ikke navngivet endnu</em>`,
      'Beskæftigelsesaktør: rekrutteringskanal, indslusningsaktør og virksomhedernes ene kontaktpunkt',
      actor ? contactText(actor.contact) : '–',
    ],
    [
      view.companies.length
        ? `${view.companies.length} virksomheder`
        : html`<em>Ingen virksomheder endnu</em>`,
      'Socialøkonomiske virksomheder i acceleratoren',
      'Se listen nedenfor',
    ],
    [view.facilitator, 'Facilitator: acceleratorforløbet og partnerplanen', '–'],
  ],
)}
<h2>Virksomheder</h2>
${
  view.companies.length
    ? scrollingTable(
        'Virksomheder',
        table(
          ['Virksomhed', 'CVR', 'Socialøkonomi', 'Størrelse', 'Kontakt', 'Forløb'],
          view.companies.map((c) => [
            html`<a href="${base}/companies/${c.cvr}">${c.name}</a>${c.ownedByEmploymentActor ? ' (aktørens egen)' : ''}`,
            c.cvr,
            socialEconomyLabels[c.socialEconomy],
            companySizeLabels[c.size],
            contactText(c.contact),
            c.journeys.length
              ? c.journeys.map((j) => `${stageLabel(j.stage)} (${j.cohortId})`).join(', ')
              : 'Ikke inviteret',
          ]),
        ),
      )
    : html`<p>Ingen virksomheder er registreret endnu.</p>`
}
<h2>Partnerplan</h2>
${
  plan
    ? html`<p>Version ${String(plan.version)}, ændret ${dateTime(plan.changedAt)} af ${plan.changedBy}.${
        view.partnerPlan.nextReview ? ` Næste opfølgning: ${danishDay(view.partnerPlan.nextReview)}.` : ''
      }</p>
<h3>Behov og ønsker</h3>
${table(
  ['Partner', 'Behov og ønsker'],
  plan.needs.map((n) => [n.partner, n.needs]),
)}
<h3>Aftalte roller</h3>
${table(
  ['Partner', 'Rolle'],
  plan.roles.map((r) => [r.partner, r.role]),
)}
<h3>Kontaktpersoner</h3>
${table(
  ['Partner', 'Kontakt'],
  plan.contacts.map((c) => [c.partner, contactText(c)]),
)}
<h3>Opfølgningsdatoer</h3>
<p>${plan.reviewDates.length ? plan.reviewDates.map(danishDay).join(', ') : 'Ingen'}</p>
<h3>Historik</h3>
${table(
  ['Version', 'Ændret', 'Af', 'Ændringer', 'Bemærkning'],
  view.partnerPlan.history.map((h) => [
    String(h.version),
    dateTime(h.changedAt),
    h.changedBy,
    h.changes.join(', ') || 'Kun bemærkning',
    h.note,
  ]),
)}`
    : html`<p>Der er ingen partnerplan endnu.</p>`
}
${scopeOf(caller.role, 'edit-partnership-contacts') ? actorForm(base, view, errorsOf('employment-actor'), valuesOf('employment-actor')) : ''}
${scopeOf(caller.role, 'register-company') ? companyForm(base, caller, errorsOf('company'), valuesOf('company')) : ''}
${scopeOf(caller.role, 'edit-partner-plan') ? planForm(base, view, errorsOf('plan'), valuesOf('plan')) : ''}`;
  return page(`Partnerskab – ${view.municipality.name}`, body, { caller, base, wide: true });
}

function contactText(contact: { name: string; email?: string; phone?: string }): string {
  return [contact.name, contact.email, contact.phone].filter(Boolean).join(', ');
}

function field(
  id: string,
  name: string,
  label: string,
  value: string | undefined,
  errors: FieldError[],
  prefix: string,
  type = 'text',
): Html {
  return html`<label for="${prefix}${id}">${label}</label>
  <input id="${prefix}${id}" name="${name}" type="${type}" value="${value}">
  ${errorFor(errors, name, prefix)}`;
}

function actorForm(
  base: string,
  view: PartnershipView,
  errors: FieldError[],
  values: Record<string, string>,
): Html {
  const actor = view.employmentActor;
  const v = (name: string, stored: string | undefined) => values[name] ?? stored;
  const p = 'actor-';
  return html`<h2 id="actor-form">Beskæftigelsesaktør og kontaktperson</h2>
${summaryOf(errors, 'Beskæftigelsesaktøren')}
<form method="post" action="${base}/partnership/employment-actor" novalidate>
  <input type="hidden" name="basedOnVersion" value="${String(actor?.version ?? 0)}">
  ${errorFor(errors, 'basedOnVersion', p)}
  ${field('name', 'name', 'Navn', v('name', actor?.name), errors, p)}
  ${field('cvr', 'cvr', 'CVR-nummer', v('cvr', actor?.cvr), errors, p)}
  ${field('contactName', 'contactName', 'Kontaktperson (ét kontaktpunkt)', v('contactName', actor?.contact.name), errors, p)}
  ${field('contactEmail', 'contactEmail', 'E-mail', v('contactEmail', actor?.contact.email), errors, p, 'email')}
  ${field('contactPhone', 'contactPhone', 'Telefon', v('contactPhone', actor?.contact.phone), errors, p, 'tel')}
  <button type="submit">Gem beskæftigelsesaktør</button>
</form>`;
}

function companyForm(
  base: string,
  caller: Caller,
  errors: FieldError[],
  values: Record<string, string>,
): Html {
  const p = 'company-';
  return html`<h2 id="company-form">Registrér virksomhed</h2>
${summaryOf(errors, 'Virksomheden')}
<form method="post" action="${base}/companies" novalidate>
  ${field('cvr', 'cvr', 'CVR-nummer', values.cvr, errors, p)}
  ${field('name', 'name', 'Navn', values.name, errors, p)}
  ${field('contactName', 'contactName', 'Kontaktperson', values.contactName, errors, p)}
  ${field('contactEmail', 'contactEmail', 'E-mail', values.contactEmail, errors, p, 'email')}
  ${field('contactPhone', 'contactPhone', 'Telefon', values.contactPhone, errors, p, 'tel')}
  <label for="${p}socialEconomy">Socialøkonomisk virksomhed?</label>
  <select id="${p}socialEconomy" name="socialEconomy">${socialEconomyStatuses.map((s: SocialEconomyStatus) =>
    option(s, socialEconomyLabels[s], values.socialEconomy),
  )}</select>
  ${errorFor(errors, 'socialEconomy', p)}
  <label for="${p}size">Størrelse</label>
  <select id="${p}size" name="size">${companySizes.map((s: CompanySize) => option(s, companySizeLabels[s], values.size))}</select>
  ${errorFor(errors, 'size', p)}
  ${
    caller.role === 'employment-actor'
      ? html`<label><input type="checkbox" id="${p}ownedByEmploymentActor" name="ownedByEmploymentActor" style="width:auto"${
          values.ownedByEmploymentActor ? html` checked` : ''
        }> Beskæftigelsesaktørens egen socialøkonomiske virksomhed</label>`
      : ''
  }
  <button type="submit">Registrér virksomhed</button>
</form>`;
}

function planForm(
  base: string,
  view: PartnershipView,
  errors: FieldError[],
  values: Record<string, string>,
): Html {
  const plan = view.partnerPlan.current;
  const p = 'plan-';
  return html`<h2 id="plan-form">Ny version af partnerplanen</h2>
${summaryOf(errors, 'Partnerplanen')}
<form method="post" action="${base}/partnership/plan" novalidate>
  <input type="hidden" name="basedOnVersion" value="${String(plan?.version ?? 0)}">
  ${errorFor(errors, 'basedOnVersion', p)}
  ${Object.entries(planPartners).map(([key, label]) => {
    const need = plan?.needs.find((entry) => entry.partner === label);
    const role = plan?.roles.find((entry) => entry.partner === label);
    const contact = plan?.contacts.find((entry) => entry.partner === label);
    return html`<fieldset><legend>${label}</legend>
    <label for="${p}needs-${key}">Behov og ønsker</label>
    <textarea id="${p}needs-${key}" name="needs.${key}" rows="3">${values[`needs.${key}`] ?? need?.needs}</textarea>
    <label for="${p}role-${key}">Aftalt rolle</label>
    <textarea id="${p}role-${key}" name="role.${key}" rows="2">${values[`role.${key}`] ?? role?.role}</textarea>
    ${field(`contactName-${key}`, `contactName.${key}`, 'Kontaktperson', values[`contactName.${key}`] ?? contact?.name, errors, p)}
    ${field(`contactEmail-${key}`, `contactEmail.${key}`, 'E-mail', values[`contactEmail.${key}`] ?? contact?.email, errors, p, 'email')}
    ${field(`contactPhone-${key}`, `contactPhone.${key}`, 'Telefon', values[`contactPhone.${key}`] ?? contact?.phone, errors, p, 'tel')}
    </fieldset>`;
  })}
  ${field('reviewDates', 'reviewDates', 'Opfølgningsdatoer (ÅÅÅÅ-MM-DD, adskilt med komma)', values.reviewDates ?? plan?.reviewDates.join(', '), errors, p)}
  ${field('note', 'note', 'Hvad er ændret?', values.note, errors, p)}
  <button type="submit">Gem ny version</button>
</form>`;
}
