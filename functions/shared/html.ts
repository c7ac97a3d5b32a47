import { rateGroupLabels } from '#domain/benefits';
import { canPlaceInduction } from '#domain/pathway';
import { municipalities } from '#domain/programme';
import type { FieldError } from './http.ts';
import { milestoneStatusLabels, outcomeLabels, paymentRuleLabels, phaseLabels } from './labels.ts';
import type { ReferralView } from './referral-view.ts';

/** Server-rendered pages in Danish. Every value is escaped; no script runs on them. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

const closedLabels: Record<string, string> = {
  completed: 'forløbet er gennemført',
  dropout: 'borgeren er faldet fra',
};

/**
 * The frame of every page: one look for the forms, the pathway page and the business case. `options.wide` and
 * `options.style` let the business case widen it and add the rules its tables and charts need.
 */
export function page(title: string, body: string, options: { wide?: boolean; style?: string } = {}): string {
  return `<!doctype html>
<html lang="da">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} – Social inklusion gennem Vækstpartnerskaber</title>
<style>
  body { font-family: system-ui, sans-serif; max-width: ${options.wide ? '64rem' : '46rem'}; margin: 2rem auto; padding: 0 1rem; color: #1b1b1b; line-height: 1.45; }
  h1 { font-size: 1.6rem; } h2 { font-size: 1.2rem; margin-top: 2rem; }
  label { display: block; font-weight: 600; margin-top: 1rem; }
  input, select { font: inherit; padding: .4rem; width: 100%; box-sizing: border-box; }
  .hint { font-weight: normal; color: #555; font-size: .9rem; }
  .error { color: #b00020; font-size: .95rem; margin: .2rem 0 0; }
  .summary { border: 2px solid #b00020; padding: .5rem 1rem; }
  button { font: inherit; margin-top: 1.5rem; padding: .6rem 1.2rem; background: #004b87; color: #fff; border: 0; cursor: pointer; }
  table { border-collapse: collapse; width: 100%; } td, th { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid #ddd; }
  .phase { font-size: 1.3rem; font-weight: 700; }
${options.style ?? ''}
</style>
</head>
<body>
${body}
</body>
</html>`;
}

export interface FormValues {
  name?: string;
  municipality?: string;
  benefit?: string;
  rateGroup?: string;
  readiness?: string;
  weeksOnBenefit?: string;
  startDate?: string;
}

function errorFor(errors: FieldError[], field: string): string {
  const error = errors.find((e) => e.field === field);
  return error ? `<p class="error" id="${field}-error">${escapeHtml(error.message)}</p>` : '';
}

function option(value: string, label: string, selected: string | undefined): string {
  return `<option value="${escapeHtml(value)}"${selected === value ? ' selected' : ''}>${escapeHtml(label)}</option>`;
}

/**
 * The referral form. After an error it is shown again with the other values kept, but the CPR number is
 * never sent back: the caseworker types it again.
 */
export function referralForm(base: string, values: FormValues = {}, errors: FieldError[] = []): string {
  const summary = errors.length
    ? `<div class="summary" role="alert"><p>Visitationen er ikke gemt. Ret venligst:</p><ul>${errors
        .map((e) => `<li>${escapeHtml(e.message)}</li>`)
        .join('')}</ul></div>`
    : '';
  const municipalityOptions = municipalities
    .map((m) => option(m.code, `${m.name} (${m.code}) – klynge ${m.cluster}`, values.municipality))
    .join('');
  return page(
    'Visitation af borger',
    `<h1>Visitation af borger</h1>
<p>Henvis en borger på kontanthjælp eller integrationsydelse til et forløb: seks måneders arbejdsmarkedstræning hos beskæftigelsesaktøren, seks måneders virksomhedsindslusning og derefter opfølgning i job.</p>
${summary}
<form method="post" action="${escapeHtml(base)}/referrals" novalidate>
  <label for="cpr">CPR-nummer <span class="hint">(DDMMÅÅ-XXXX)</span></label>
  <input id="cpr" name="cpr" autocomplete="off" inputmode="numeric" required>
  ${errorFor(errors, 'cpr')}
  <label for="name">Navn</label>
  <input id="name" name="name" value="${escapeHtml(values.name)}" required>
  ${errorFor(errors, 'name')}
  <label for="municipality">Kommune</label>
  <select id="municipality" name="municipality" required><option value="">Vælg kommune</option>${municipalityOptions}</select>
  ${errorFor(errors, 'municipality')}
  <label for="benefit">Ydelse</label>
  <select id="benefit" name="benefit" required><option value="">Vælg ydelse</option>${option('kontanthjaelp', 'Kontanthjælp', values.benefit)}${option('integrationsydelse', 'Integrationsydelse', values.benefit)}</select>
  ${errorFor(errors, 'benefit')}
  <label for="rateGroup">Satsgruppe <span class="hint">(bestemmer ydelsens størrelse)</span></label>
  <select id="rateGroup" name="rateGroup" required><option value="">Vælg satsgruppe</option>${(
    ['kontanthjaelp', 'integrationsydelse'] as const
  )
    .map(
      (benefit) =>
        `<optgroup label="${benefit === 'kontanthjaelp' ? 'Kontanthjælp' : 'Integrationsydelse'}">${Object.entries(
          rateGroupLabels[benefit],
        )
          .map(([value, label]) => option(value, label, values.rateGroup))
          .join('')}</optgroup>`,
    )
    .join('')}</select>
  ${errorFor(errors, 'rateGroup')}
  <label for="readiness">Visitationskategori</label>
  <select id="readiness" name="readiness" required><option value="">Vælg kategori</option>${option('jobparat', 'Jobparat', values.readiness)}${option('aktivitetsparat', 'Aktivitetsparat', values.readiness)}</select>
  ${errorFor(errors, 'readiness')}
  <label for="weeksOnBenefit">Uger på ydelse de seneste 52 uger</label>
  <input id="weeksOnBenefit" name="weeksOnBenefit" type="number" min="0" max="52" value="${escapeHtml(values.weeksOnBenefit)}" required>
  ${errorFor(errors, 'weeksOnBenefit')}
  <label for="startDate">Startdato</label>
  <input id="startDate" name="startDate" type="date" value="${escapeHtml(values.startDate)}" required>
  ${errorFor(errors, 'startDate')}
  <button type="submit">Visitér borgeren</button>
</form>`,
  );
}

const dkDate = (iso: string | null) => (iso ? iso.split('-').reverse().join('-') : '–');

/** Which form on the pathway page an error belongs to. */
export type PathwayForm = 'outcome' | 'placement' | 'confirmation';

export interface PageErrors {
  form: PathwayForm;
  errors: FieldError[];
}

const placementLabels: Record<string, string> = {
  'own-company': 'Beskæftigelsesaktørens egen socialøkonomiske virksomhed',
  'accelerator-company': 'Acceleratorvirksomhed (med socialfaglig støtteperson)',
};

function summaryOf(errors: FieldError[], what: string): string {
  return errors.length
    ? `<div class="summary" role="alert"><p>${what} er ikke gemt. Ret venligst:</p><ul>${errors
        .map((e) => `<li>${escapeHtml(e.message)}</li>`)
        .join('')}</ul></div>`
    : '';
}

function table(headings: string[], rows: string[][]): string {
  return `<table><tr>${headings.map((h) => `<th>${h}</th>`).join('')}</tr>${rows
    .map((cells) => `<tr>${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`)
    .join('')}</table>`;
}

function outcomeForm(base: string, view: ReferralView, errors: FieldError[]): string {
  return `<h2>Registrér resultat</h2>
${summaryOf(errors, 'Resultatet')}
<form method="post" action="${escapeHtml(base)}/referrals/${escapeHtml(view.referralId)}/outcomes" novalidate>
  <label for="type">Resultat</label>
  <select id="type" name="type">${Object.entries(outcomeLabels)
    .map(([value, label]) => option(value, label, undefined))
    .join('')}</select>
  ${errorFor(errors, 'type')}
  <label for="date">Dato</label>
  <input id="date" name="date" type="date">
  ${errorFor(errors, 'date')}
  <label for="hoursPerWeek">Timer om ugen <span class="hint">(ved jobstart)</span></label>
  <input id="hoursPerWeek" name="hoursPerWeek" type="number" min="1" max="80">
  ${errorFor(errors, 'hoursPerWeek')}
  <label for="employer">Arbejdsgiver <span class="hint">(ved jobstart)</span></label>
  <input id="employer" name="employer">
  ${errorFor(errors, 'employer')}
  <label><input type="checkbox" id="hiredByAcceleratorCompany" name="hiredByAcceleratorCompany" style="width:auto"> Arbejdsgiveren er en acceleratorvirksomhed</label>
  <button type="submit">Gem resultat</button>
</form>`;
}

/** Element ids are prefixed so that they never clash with the outcome form's; the field names are the API's. */
function placementForm(base: string, view: ReferralView, errors: FieldError[]): string {
  const current = view.inductionPlacement;
  const placementError = (field: string) =>
    errorFor(errors, field).replace(`id="${field}-error"`, `id="placement-${field}-error"`);
  return `<h2>Placering i virksomhedsindslusning</h2>
${summaryOf(errors, 'Placeringen')}
<form method="post" action="${escapeHtml(base)}/referrals/${escapeHtml(view.referralId)}/placement" novalidate>
  <label for="placement-type">Hvor foregår indslusningen?</label>
  <select id="placement-type" name="type">${Object.entries(placementLabels)
    .map(([value, label]) => option(value, label, current?.type))
    .join('')}</select>
  ${placementError('type')}
  <label for="placement-company">Virksomhed</label>
  <input id="placement-company" name="company" value="${escapeHtml(current?.company)}">
  ${placementError('company')}
  <label for="placement-supportPerson">Socialfaglig støtteperson <span class="hint">(ved acceleratorvirksomhed)</span></label>
  <input id="placement-supportPerson" name="supportPerson" value="${escapeHtml(current?.supportPerson)}">
  ${placementError('supportPerson')}
  <button type="submit">Gem placering</button>
</form>`;
}

function confirmationForm(base: string, view: ReferralView, errors: FieldError[]): string {
  const open = view.milestones.filter((m) => m.status === 'awaiting-confirmation');
  if (open.length === 0) return '';
  const field = (name: string) =>
    errorFor(errors, name).replace(`id="${name}-error"`, `id="confirmation-${name}-error"`);
  return `<h2>Bekræft fastholdelse i job</h2>
${summaryOf(errors, 'Bekræftelsen')}
<form method="post" action="${escapeHtml(base)}/referrals/${escapeHtml(view.referralId)}/confirmations" novalidate>
  <label for="confirmation-milestone">Milepæl</label>
  <select id="confirmation-milestone" name="milestone">${open
    .map((m) => option(String(m.weeks), `${m.weeks} uger (frist ${dkDate(m.deadlineOn)})`, undefined))
    .join('')}</select>
  ${field('milestone')}
  <label for="confirmation-employed">Er borgeren stadig i job?</label>
  <select id="confirmation-employed" name="employed">${option('true', 'Ja, stadig i job', undefined)}${option('false', 'Nej, jobbet er ophørt', undefined)}</select>
  ${field('employed')}
  <label for="confirmation-endedOn">Slutdato <span class="hint">(hvis jobbet er ophørt)</span></label>
  <input id="confirmation-endedOn" name="endedOn" type="date">
  ${field('endedOn')}
  <button type="submit">Gem bekræftelse</button>
</form>`;
}

/** The status of one pathway for caseworkers and employment actors, with the forms they act through. */
export function referralPage(base: string, view: ReferralView, pageErrors?: PageErrors): string {
  const errorsOf = (form: PathwayForm) => (pageErrors?.form === form ? pageErrors.errors : []);
  const phases = view.phases;
  const planned = table(
    ['Fase', 'Fra', 'Til'],
    [
      ['Arbejdsmarkedstræning (10 timer om ugen)', phases.training],
      ['Virksomhedsindslusning', phases.induction],
      ['Opfølgning', phases.tracking],
    ].map(([label, range]) => {
      const r = range as { start: string; end: string };
      return [label as string, dkDate(r.start), dkDate(r.end)];
    }),
  );
  const history = table(
    ['Fase', 'Fra', 'Til', 'Registreret af'],
    view.history.map((h) => [
      escapeHtml(phaseLabels[h.phase]),
      dkDate(h.startedOn),
      dkDate(h.endsOn),
      escapeHtml(h.recordedBy === 'phase-timer' ? 'fasetimer' : h.recordedBy),
    ]),
  );
  const outcomes = view.outcomes.length
    ? table(
        ['Resultat', 'Dato', 'Timer/uge', 'Arbejdsgiver'],
        view.outcomes.map((o) => [
          escapeHtml(outcomeLabels[o.type]),
          dkDate(o.date),
          escapeHtml(o.hoursPerWeek ?? ''),
          escapeHtml(o.employer ?? ''),
        ]),
      )
    : '<p>Ingen resultater endnu.</p>';
  const payments = view.payments.length
    ? table(
        ['Betaling', 'Beløb', 'Modtager', 'Forfald', 'Takstkort'],
        view.payments.map((p) => [
          escapeHtml(paymentRuleLabels[p.rule]),
          escapeHtml(p.amount),
          escapeHtml(p.payee.name),
          dkDate(p.dueDate),
          escapeHtml(p.rateCardVersion),
        ]),
      )
    : '<p>Ingen betalinger endnu.</p>';
  const milestones = view.milestones.length
    ? table(
        ['Milepæl', 'Forfalder', 'Frist', 'Status'],
        view.milestones.map((m) => [
          `${m.weeks} uger`,
          dkDate(m.dueOn),
          dkDate(m.deadlineOn),
          `<span data-milestone="${m.weeks}" data-status="${escapeHtml(m.status)}">${escapeHtml(milestoneStatusLabels[m.status])}</span>`,
        ]),
      )
    : '<p>Ingen milepæle endnu (13 og 26 uger efter en jobstart).</p>';
  const placement = view.inductionPlacement
    ? `<p id="placement" data-placement="${escapeHtml(view.inductionPlacement.type)}">Virksomhedsindslusning: ${escapeHtml(
        placementLabels[view.inductionPlacement.type],
      )} – ${escapeHtml(view.inductionPlacement.company)}${
        view.inductionPlacement.supportPerson
          ? `, støtteperson ${escapeHtml(view.inductionPlacement.supportPerson)}`
          : ''
      }</p>`
    : '<p id="placement">Virksomhedsindslusning: placering ikke registreret endnu.</p>';
  const closed = view.phase === 'closed';
  const canPlace = canPlaceInduction(view.phase);
  return page(
    `Forløb ${view.referralId}`,
    `<h1>Borgerforløb</h1>
<p>${escapeHtml(view.name)} · ${escapeHtml(view.municipality.name)} Kommune · forløb <code>${escapeHtml(view.referralId)}</code></p>
<p>Fase: <span class="phase" id="phase" data-phase="${escapeHtml(view.phase)}">${escapeHtml(phaseLabels[view.phase])}</span>
${closed ? `(${escapeHtml(closedLabels[view.closedReason ?? ''] ?? '')} ${dkDate(view.phaseStartedOn)})` : `siden ${dkDate(view.phaseStartedOn)}, til ${dkDate(view.phaseEndsOn)}`}</p>
<p>Beskæftigelsesaktør (single point of contact): ${escapeHtml(view.employmentActor.name)}</p>
${placement}
<h2>Planlagte faser</h2>
${planned}
<h2>Forløbets historik</h2>
${history}
<h2>Resultater</h2>
${outcomes}
<h2>Fastholdelse i job</h2>
${milestones}
<h2>Betalinger</h2>
${payments}
${confirmationForm(base, view, errorsOf('confirmation'))}
${closed ? '' : outcomeForm(base, view, errorsOf('outcome'))}
${canPlace ? placementForm(base, view, errorsOf('placement')) : ''}
<p><a href="${escapeHtml(base)}/">Ny visitation</a></p>`,
  );
}
