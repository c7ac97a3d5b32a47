import { municipalities } from '#domain/programme';
import type { FieldError } from './http.ts';
import { outcomeLabels, paymentRuleLabels, phaseLabels } from './labels.ts';
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

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="da">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} – Social inklusion gennem Vækstpartnerskaber</title>
<style>
  body { font-family: system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; color: #1b1b1b; line-height: 1.45; }
  h1 { font-size: 1.6rem; } h2 { font-size: 1.2rem; margin-top: 2rem; }
  label { display: block; font-weight: 600; margin-top: 1rem; }
  input, select { font: inherit; padding: .4rem; width: 100%; box-sizing: border-box; }
  .hint { font-weight: normal; color: #555; font-size: .9rem; }
  .error { color: #b00020; font-size: .95rem; margin: .2rem 0 0; }
  .summary { border: 2px solid #b00020; padding: .5rem 1rem; }
  button { font: inherit; margin-top: 1.5rem; padding: .6rem 1.2rem; background: #004b87; color: #fff; border: 0; cursor: pointer; }
  table { border-collapse: collapse; width: 100%; } td, th { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid #ddd; }
  .phase { font-size: 1.3rem; font-weight: 700; }
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

/** The status of one pathway for caseworkers and employment actors, with a form to record an outcome. */
export function referralPage(base: string, view: ReferralView, errors: FieldError[] = []): string {
  const phases = view.phases;
  const planned = [
    ['Arbejdsmarkedstræning (10 timer om ugen)', phases.training],
    ['Virksomhedsindslusning', phases.induction],
    ['Opfølgning', phases.tracking],
  ] as const;
  const outcomes = view.outcomes.length
    ? `<table><tr><th>Resultat</th><th>Dato</th><th>Timer/uge</th><th>Arbejdsgiver</th></tr>${view.outcomes
        .map(
          (o) =>
            `<tr><td>${escapeHtml(outcomeLabels[o.type])}</td><td>${dkDate(o.date)}</td><td>${escapeHtml(o.hoursPerWeek ?? '')}</td><td>${escapeHtml(o.employer ?? '')}</td></tr>`,
        )
        .join('')}</table>`
    : '<p>Ingen resultater endnu.</p>';
  const payments = view.payments.length
    ? `<table><tr><th>Betaling</th><th>Beløb</th><th>Modtager</th><th>Forfald</th><th>Takstkort</th></tr>${view.payments
        .map(
          (p) =>
            `<tr><td>${escapeHtml(paymentRuleLabels[p.rule])}</td><td>${escapeHtml(p.amount)}</td><td>${escapeHtml(p.payee.name)}</td><td>${dkDate(p.dueDate)}</td><td>${escapeHtml(p.rateCardVersion)}</td></tr>`,
        )
        .join('')}</table>`
    : '<p>Ingen betalinger endnu.</p>';
  const closed = view.phase === 'closed';
  const summary = errors.length
    ? `<div class="summary" role="alert"><p>Resultatet er ikke gemt. Ret venligst:</p><ul>${errors
        .map((e) => `<li>${escapeHtml(e.message)}</li>`)
        .join('')}</ul></div>`
    : '';
  const outcomeForm = closed
    ? ''
    : `<h2>Registrér resultat</h2>
${summary}
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
  <button type="submit">Gem resultat</button>
</form>`;
  return page(
    `Forløb ${view.referralId}`,
    `<h1>Borgerforløb</h1>
<p>${escapeHtml(view.name)} · ${escapeHtml(view.municipality.name)} Kommune · forløb <code>${escapeHtml(view.referralId)}</code></p>
<p>Fase: <span class="phase" id="phase" data-phase="${escapeHtml(view.phase)}">${escapeHtml(phaseLabels[view.phase])}</span>
${closed ? `(${escapeHtml(closedLabels[view.closedReason ?? ''] ?? '')} ${dkDate(view.phaseStartedOn)})` : `siden ${dkDate(view.phaseStartedOn)}, til ${dkDate(view.phaseEndsOn)}`}</p>
<p>Beskæftigelsesaktør (single point of contact): ${escapeHtml(view.employmentActor.name)}</p>
<h2>Planlagte faser</h2>
<table><tr><th>Fase</th><th>Fra</th><th>Til</th></tr>${planned
      .map(
        ([label, range]) =>
          `<tr><td>${label}</td><td>${dkDate(range.start)}</td><td>${dkDate(range.end)}</td></tr>`,
      )
      .join('')}</table>
<h2>Resultater</h2>
${outcomes}
<h2>Betalinger</h2>
${payments}
${outcomeForm}
<p><a href="${escapeHtml(base)}/">Ny visitation</a></p>`,
  );
}
