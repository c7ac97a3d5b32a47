import { type Action, type Caller, roleLabels, scopeOf } from '#domain/access';
import { rateGroupLabels } from '#domain/benefits';
import { danishDay } from '#domain/dates';
import { canPlaceInduction } from '#domain/pathway';
import type { CompanyFacts, PlacementChoices } from '#domain/placement';
import { findMunicipality } from '#domain/programme';
import type { AccessAction, AccessEntry } from './access-log.ts';
import { type Html, type HtmlValue, html, raw } from './html-template.ts';
import type { FieldError } from './http.ts';
import {
  milestoneFollowsLabels,
  milestoneQuestions,
  milestoneStatusLabel,
  outcomeLabels,
  paymentRuleLabels,
  phaseLabels,
} from './labels.ts';
import type { ReferralView } from './referral-view.ts';

/*
 * Server-rendered pages in Danish, built with the escaping template (html-template.ts): every value is escaped
 * unless it is markup by name; no script runs on them.
 */

const closedLabels: Record<string, string> = {
  completed: 'forløbet er gennemført',
  dropout: 'borgeren er faldet fra',
};

const FRAME_STYLE = raw(`
  body { font-family: system-ui, sans-serif; margin: 2rem auto; padding: 0 1rem; color: #1b1b1b; line-height: 1.45; }
  h1 { font-size: 1.6rem; } h2 { font-size: 1.2rem; margin-top: 2rem; }
  label { display: block; font-weight: 600; margin-top: 1rem; }
  input, select { font: inherit; padding: .4rem; width: 100%; box-sizing: border-box; }
  .hint { font-weight: normal; color: #555; font-size: .9rem; }
  .error { color: #b00020; font-size: .95rem; margin: .2rem 0 0; }
  .summary { border: 2px solid #b00020; padding: .5rem 1rem; }
  button { font: inherit; margin-top: 1.5rem; padding: .6rem 1.2rem; background: #004b87; color: #fff; border: 0; cursor: pointer; }
  table { border-collapse: collapse; width: 100%; } td, th { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid #ddd; }
  .phase { font-size: 1.3rem; font-weight: 700; }
  header.user { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: center; justify-content: flex-end; border-bottom: 1px solid #ddd; padding-bottom: .5rem; font-size: .95rem; }
  header.user form { margin: 0; } header.user button { margin: 0; padding: .3rem .8rem; }
  ul.menu { list-style: none; display: flex; flex-wrap: wrap; gap: .25rem 1.25rem; padding: 0; margin: 0 0 .5rem; }
  ul.menu a { font-weight: 600; }
  .table-scroll { overflow-x: auto; }`);

export interface PageOptions {
  /** The signed-in user: the frame names them and offers sign-out. Absent on the sign-in pages. */
  caller?: Caller;
  /** The API's path prefix (functions/shared/http.ts `basePath`), for the sign-out form. */
  base?: string;
  wide?: boolean;
  /** Rules a page adds to the frame's (fixed markup, e.g. the business case's). */
  style?: Html;
}

/** Where the caller belongs, in Danish: the municipality's name, or every municipality for the programme. */
export function municipalityText(caller: Caller): string {
  if (!caller.municipality) return 'alle kommuner';
  const municipality = findMunicipality(caller.municipality);
  return municipality ? `${municipality.name} Kommune` : `kommune ${caller.municipality}`;
}

/**
 * Who is signed in, and the way out: a POST, so that a link elsewhere cannot sign anybody out. The button has
 * no `type` attribute (a button in a form submits anyway), so that a page's own `button[type=submit]` is
 * still the first such button on the page.
 */
/** The frame's menu: every page the role may open, in the order it works (domain/access.ts decides which). */
const menu: ReadonlyArray<{ path: string; label: string; action?: Action }> = [
  { path: '/tasks', label: 'Opgaver', action: 'read-worklist' },
  { path: '/accelerator/tasks', label: 'Opgaver', action: 'read-company-tasks' },
  { path: '/referrals', label: 'Borgerforløb', action: 'list-pathways' },
  { path: '/referrals/new', label: 'Visitation', action: 'refer' },
  { path: '/payments', label: 'Betalinger', action: 'read-payments' },
  { path: '/business-case', label: 'Business case', action: 'read-business-case' },
  { path: '/dashboard', label: 'Overblik', action: 'read-dashboard' },
  { path: '/partnership', label: 'Partnerskab', action: 'read-partnership' },
];

function navigation(caller: Caller, base: string): Html {
  const links = menu.filter((item) => !item.action || scopeOf(caller.role, item.action) !== undefined);
  return html`<nav aria-label="Hovedmenu"><ul class="menu">${links.map(
    (item) => html`<li><a href="${base}${item.path}">${item.label}</a></li>`,
  )}</ul></nav>`;
}

function userBar(caller: Caller, base: string): Html {
  return html`${navigation(caller, base)}<header class="user" id="user" data-username="${caller.username}" data-role="${caller.role}">
<span>Logget ind som <strong>${caller.username}</strong></span>
<span>${roleLabels[caller.role]}</span>
<span>${municipalityText(caller)}</span>
<form method="post" action="${base}/logout"><button>Log ud</button></form>
</header>`;
}

/** A table that may be wider than the page scrolls inside its own region, reachable by keyboard (WCAG 2.1.1). */
export function scrollingTable(label: string, table: Html): Html {
  return html`<div class="table-scroll" role="region" aria-label="${label}" tabindex="0">${table}</div>`;
}

/**
 * The frame of every page: one look for the forms, the pathway page and the business case, with the signed-in
 * user at the top. `options.wide` and `options.style` let the business case widen it and add its own rules.
 */
export function page(title: string, body: Html, options: PageOptions = {}): Html {
  return html`<!doctype html>
<html lang="da">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} – Social inklusion gennem Vækstpartnerskaber</title>
<style>
  body { max-width: ${options.wide ? '90rem' : '46rem'}; }${FRAME_STYLE}
${options.style}
</style>
</head>
<body>
${options.caller && userBar(options.caller, options.base ?? '')}
${body}
</body>
</html>`;
}

export interface FormValues {
  name?: string;
  benefit?: string;
  rateGroup?: string;
  readiness?: string;
  staircaseWeek?: string;
  startDate?: string;
}

/** A field's message; `idPrefix` keeps the ids of two forms on one page apart. */
export function errorFor(errors: FieldError[], field: string, idPrefix = ''): Html {
  const error = errors.find((e) => e.field === field);
  return error ? html`<p class="error" id="${idPrefix}${field}-error">${error.message}</p>` : html``;
}

export function option(value: string, label: string, selected: string | undefined): Html {
  return html`<option value="${value}"${selected === value ? raw(' selected') : ''}>${label}</option>`;
}

export function summaryOf(errors: FieldError[], what: string): Html {
  return errors.length
    ? html`<div class="summary" role="alert"><p>${what} er ikke gemt. Ret venligst:</p><ul>${errors.map(
        (e) => html`<li>${e.message}</li>`,
      )}</ul></div>`
    : html``;
}

/**
 * The referral form (the caseworker's home page). The municipality is the caseworker's own, from the identity
 * provider, so it is shown, not asked. After an error the form is shown again with the other values kept, but
 * the CPR number is never sent back: the caseworker types it again.
 */
export function referralForm(
  base: string,
  caller: Caller,
  values: FormValues = {},
  errors: FieldError[] = [],
): Html {
  const rateGroups = (['kontanthjaelp', 'integrationsydelse'] as const).map(
    (benefit) =>
      html`<optgroup label="${benefit === 'kontanthjaelp' ? 'Kontanthjælp' : 'Integrationsydelse'}">${Object.entries(
        rateGroupLabels[benefit],
      ).map(([value, label]) => option(value, label, values.rateGroup))}</optgroup>`,
  );
  return page(
    'Visitation af borger',
    html`<h1>Visitation af borger</h1>
<p>Henvis en borger på kontanthjælp eller integrationsydelse til et forløb: seks måneders arbejdsmarkedstræning hos beskæftigelsesaktøren, seks måneders virksomhedsindslusning og derefter opfølgning i job.</p>
${summaryOf(errors, 'Visitationen')}
<form method="post" action="${base}/referrals" novalidate>
  <p id="municipality">Kommune: <strong>${municipalityText(caller)}</strong> <span class="hint">(din kommune)</span></p>
  ${errorFor(errors, 'municipality')}
  <label for="cpr">CPR-nummer <span class="hint">(DDMMÅÅ-XXXX)</span></label>
  <input id="cpr" name="cpr" autocomplete="off" inputmode="numeric" required>
  ${errorFor(errors, 'cpr')}
  <label for="name">Navn</label>
  <input id="name" name="name" value="${values.name}" required>
  ${errorFor(errors, 'name')}
  <label for="benefit">Ydelse</label>
  <select id="benefit" name="benefit" required><option value="">Vælg ydelse</option>${option('kontanthjaelp', 'Kontanthjælp', values.benefit)}${option('integrationsydelse', 'Integrationsydelse', values.benefit)}</select>
  ${errorFor(errors, 'benefit')}
  <label for="rateGroup">Satsgruppe <span class="hint">(bestemmer ydelsens størrelse)</span></label>
  <select id="rateGroup" name="rateGroup" required><option value="">Vælg satsgruppe</option>${rateGroups}</select>
  ${errorFor(errors, 'rateGroup')}
  <label for="readiness">Visitationskategori</label>
  <select id="readiness" name="readiness" required><option value="">Vælg kategori</option>${option('jobparat', 'Jobparat', values.readiness)}${option('aktivitetsparat', 'Aktivitetsparat', values.readiness)}</select>
  ${errorFor(errors, 'readiness')}
  <label for="staircaseWeek">Uge på refusionstrappen</label>
  <p class="hint" id="staircaseWeek-hint">Borgerens aktuelle uge på refusionstrappen (finansieringsloven § 5), som kommunens refusionsoplysninger viser den; 0, hvis borgeren ikke er på trappen. Ugerne tælles på tværs af ydelserne fra 1. juli 2014 og kan være langt over 52. Har borgeren været selvforsørgende i 52 hele kalenderuger inden for de seneste 3 år, starter tællingen forfra i uge 1 (§ 6).</p>
  <input id="staircaseWeek" name="staircaseWeek" type="number" min="0" step="1" inputmode="numeric" value="${values.staircaseWeek}" aria-describedby="staircaseWeek-hint" required>
  ${errorFor(errors, 'staircaseWeek')}
  ${errorFor(errors, 'weeksOnBenefit')}
  <label for="startDate">Startdato</label>
  <input id="startDate" name="startDate" type="date" value="${values.startDate}" required>
  ${errorFor(errors, 'startDate')}
  <button type="submit">Visitér borgeren</button>
</form>`,
    { caller, base },
  );
}

/** A GET form that opens a pathway by its id (GET / with `?referral=` answers 303 to the pathway). */
function openPathwayForm(base: string, errors: FieldError[]): Html {
  return html`<h2>Åbn et borgerforløb</h2>
<form method="get" action="${base}/" novalidate>
  <label for="referral">Forløbets id</label>
  <input id="referral" name="referral" autocomplete="off" required>
  ${errorFor(errors, 'referral')}
  <button type="submit">Åbn forløbet</button>
</form>`;
}

/** The monthly statement per payee as a CSV download (GET /statements): the month, and the municipality if the caller has several. */
export function statementsForm(base: string, caller: Caller, month: string): Html {
  return html`<h2>Månedsopgørelse</h2>
<form method="get" action="${base}/statements">
  ${
    caller.municipality
      ? html`<input type="hidden" name="municipality" value="${caller.municipality}">`
      : html`<label for="statement-municipality">Kommune <span class="hint">(kommunekode)</span></label>
  <input id="statement-municipality" name="municipality" inputmode="numeric" required>`
  }
  <label for="statement-month">Måned</label>
  <input id="statement-month" name="month" type="month" value="${month}" required>
  <input type="hidden" name="format" value="csv">
  <button type="submit">Hent opgørelsen (CSV)</button>
</form>`;
}

/**
 * The page GET / shows when the pathway id asked for cannot be one: what the role may open, and the form to open
 * a pathway by its id again. Otherwise GET / sends each role to its own home (functions/api/referral-form.ts).
 */
export function homePage(base: string, caller: Caller, today: string, errors: FieldError[] = []): Html {
  const may = (action: Parameters<typeof scopeOf>[1]) => scopeOf(caller.role, action) !== undefined;
  const month = today.slice(0, 7);
  const statements = may('read-statements') ? statementsForm(base, caller, month) : html``;
  const links = [
    may('read-business-case') && html`<li><a href="${base}/business-case">Kommunernes business case</a></li>`,
    may('read-payments') && html`<li><a href="${base}/payments">Betalinger</a></li>`,
  ].filter(Boolean) as Html[];
  return page(
    roleLabels[caller.role],
    html`<h1>${roleLabels[caller.role]}</h1>
<p>Du er logget ind som ${roleLabels[caller.role].toLowerCase()} for ${municipalityText(caller)}.</p>
${links.length > 0 && html`<ul id="links">${links}</ul>`}
${statements}
${may('read-pathway') && openPathwayForm(base, errors)}`,
    { caller, base },
  );
}

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

export function table(headings: readonly string[], rows: readonly (readonly HtmlValue[])[]): Html {
  return html`<table><tr>${headings.map((h) => html`<th>${h}</th>`)}</tr>${rows.map(
    (cells) => html`<tr>${cells.map((c) => html`<td>${c}</td>`)}</tr>`,
  )}</table>`;
}

function outcomeForm(base: string, view: ReferralView, errors: FieldError[]): Html {
  return html`<h2>Registrér resultat</h2>
${summaryOf(errors, 'Resultatet')}
<form method="post" action="${base}/referrals/${view.referralId}/outcomes" novalidate>
  <label for="type">Resultat</label>
  <select id="type" name="type">${Object.entries(outcomeLabels).map(([value, label]) =>
    option(value, label, undefined),
  )}</select>
  ${errorFor(errors, 'type')}
  <label for="date">Dato</label>
  <input id="date" name="date" type="date">
  ${errorFor(errors, 'date')}
  <label for="hoursPerWeek">Timer om ugen <span class="hint">(ved jobstart)</span></label>
  <input id="hoursPerWeek" name="hoursPerWeek" type="number" min="1" max="80">
  ${errorFor(errors, 'hoursPerWeek')}
  <label for="employer">Arbejdsgiver <span class="hint">(ved jobstart; kan udelades, når CVR-nummeret er en virksomhed i partnerskabet)</span></label>
  <input id="employer" name="employer">
  ${errorFor(errors, 'employer')}
  <label for="employerCvr">Arbejdsgiverens CVR-nummer <span class="hint">(valgfrit; om arbejdsgiveren er en acceleratorvirksomhed, ses af virksomhedens forløb)</span></label>
  <input id="employerCvr" name="employerCvr" inputmode="numeric" autocomplete="off">
  ${errorFor(errors, 'employerCvr')}
  <button type="submit">Gem resultat</button>
</form>`;
}

const companyLabel = (c: { company: string; companyCvr: string | null }) =>
  c.companyCvr ? `${c.company} (CVR ${c.companyCvr})` : c.company;

/**
 * The companies a placement may name, as a select (domain/placement.ts `placementChoices`). A page shown again
 * after a refused form post is not given them (functions/shared/pathway-request.ts), so it asks for the CVR
 * number as text instead.
 */
function companyField(current: string | undefined, choices: PlacementChoices | undefined): Html {
  if (!choices) {
    return html`<label for="placement-companyCvr">Virksomhedens CVR-nummer</label>
  <input id="placement-companyCvr" name="companyCvr" inputmode="numeric" autocomplete="off" value="${current}">`;
  }
  const options = (companies: CompanyFacts[]) =>
    companies.map((c) => option(c.cvr, companyLabel({ company: c.name, companyCvr: c.cvr }), current));
  const none = choices.acceleratorCompanies.length === 0 && choices.ownCompanies.length === 0;
  return html`<label for="placement-companyCvr">Virksomhed <span class="hint">(partnerskabets udvalgte acceleratorvirksomheder og aktørens egen virksomhed)</span></label>
  <select id="placement-companyCvr" name="companyCvr">${option('', 'Vælg virksomhed', current ?? '')}${
    choices.acceleratorCompanies.length > 0
      ? html`<optgroup label="Acceleratorvirksomheder">${options(choices.acceleratorCompanies)}</optgroup>`
      : ''
  }${
    choices.ownCompanies.length > 0
      ? html`<optgroup label="Beskæftigelsesaktørens egen virksomhed">${options(choices.ownCompanies)}</optgroup>`
      : ''
  }</select>${
    none
      ? html`<p class="hint" id="placement-no-companies">Partnerskabet har endnu ingen udvalgte acceleratorvirksomheder og ingen registreret egen virksomhed.</p>`
      : ''
  }`;
}

/** Element ids are prefixed so that they never clash with the outcome form's; the field names are the API's. */
function placementForm(
  base: string,
  view: ReferralView,
  errors: FieldError[],
  choices: PlacementChoices | undefined,
): Html {
  const current = view.inductionPlacement;
  return html`<h2 id="placement-form">Placering i virksomhedsindslusning</h2>
${summaryOf(errors, 'Placeringen')}
<form method="post" action="${base}/referrals/${view.referralId}/placement" novalidate>
  <label for="placement-type">Hvor foregår indslusningen?</label>
  <select id="placement-type" name="type">${Object.entries(placementLabels).map(([value, label]) =>
    option(value, label, current?.type),
  )}</select>
  ${errorFor(errors, 'type', 'placement-')}
  ${companyField(current?.companyCvr ?? undefined, choices)}
  ${errorFor(errors, 'companyCvr', 'placement-')}
  <label for="placement-supportPerson">Socialfaglig støtteperson <span class="hint">(ved acceleratorvirksomhed)</span></label>
  <input id="placement-supportPerson" name="supportPerson" value="${current?.supportPerson}">
  ${errorFor(errors, 'supportPerson', 'placement-')}
  <button type="submit">Gem placering</button>
</form>`;
}

/**
 * One form per open milestone, so that its question fits what the milestone follows (a job and an education
 * followed side by side may both be open). Which of several forms a refused answer came from is not known
 * here, so with more than one the messages are in the summary only.
 */
function confirmationForms(base: string, view: ReferralView, errors: FieldError[]): Html {
  const open = view.milestones.filter((m) => m.status === 'awaiting-confirmation');
  if (open.length === 0) return html``;
  const fieldErrors = open.length === 1 ? errors : [];
  return html`<h2 id="confirm-milestone">Bekræft milepæl</h2>
${summaryOf(errors, 'Bekræftelsen')}
${open.map((m, i) =>
  milestoneForm(base, view.referralId, m, i === 0 ? 'confirmation-' : `confirmation-${i + 1}-`, fieldErrors),
)}`;
}

/** Element ids are prefixed per form; the field names are the API's, the milestone and result sent along. */
function milestoneForm(
  base: string,
  referralId: string,
  milestone: ReferralView['milestones'][number],
  prefix: string,
  errors: FieldError[],
): Html {
  const asked = milestoneQuestions[milestone.follows];
  return html`<form method="post" action="${base}/referrals/${referralId}/confirmations" novalidate aria-labelledby="${prefix}heading" data-follows="${milestone.follows}">
  <h3 id="${prefix}heading">${milestoneFollowsLabels[milestone.follows]}: ${milestone.weeks}-ugers milepæl (frist ${danishDay(milestone.deadlineOn)})</h3>
  <input type="hidden" name="milestone" value="${String(milestone.weeks)}">
  <input type="hidden" name="outcomeId" value="${milestone.outcomeId}">
  ${errorFor(errors, 'milestone', prefix)}
  ${errorFor(errors, 'outcomeId', prefix)}
  <label for="${prefix}employed">${asked.question}</label>
  <select id="${prefix}employed" name="employed">${option('true', asked.yes, undefined)}${option('false', asked.no, undefined)}</select>
  ${errorFor(errors, 'employed', prefix)}
  <label for="${prefix}endedOn">Slutdato <span class="hint">(${asked.ended})</span></label>
  <input id="${prefix}endedOn" name="endedOn" type="date">
  ${errorFor(errors, 'endedOn', prefix)}
  <button type="submit">Gem bekræftelse</button>
</form>`;
}

/**
 * The status of one pathway for caseworkers, employment actors and the programme, with the forms the caller's
 * role acts through (none for the programme, which reads only).
 */
export function referralPage(
  base: string,
  caller: Caller,
  view: ReferralView,
  pageErrors?: PageErrors,
  /** The companies the placement form offers (functions/api/get-referral.ts loads them for its roles). */
  placementChoices?: PlacementChoices,
): Html {
  const errorsOf = (form: PathwayForm) => (pageErrors?.form === form ? pageErrors.errors : []);
  const may = (action: Parameters<typeof scopeOf>[1]) => scopeOf(caller.role, action) !== undefined;
  const phases = view.phases;
  const planned = table(
    ['Fase', 'Fra', 'Til'],
    [
      ['Arbejdsmarkedstræning (10 timer om ugen)', phases.training],
      ['Virksomhedsindslusning', phases.induction],
      ['Opfølgning', phases.tracking],
    ].map(([label, range]) => {
      const r = range as { start: string; end: string };
      return [label as string, danishDay(r.start), danishDay(r.end)];
    }),
  );
  const history = table(
    ['Fase', 'Fra', 'Til', 'Registreret af'],
    view.history.map((h) => [
      phaseLabels[h.phase],
      danishDay(h.startedOn),
      danishDay(h.endsOn),
      h.recordedBy === 'phase-timer' ? 'fasetimer' : h.recordedBy,
    ]),
  );
  const outcomes = view.outcomes.length
    ? table(
        ['Resultat', 'Dato', 'Timer/uge', 'Arbejdsgiver', 'Acceleratorvirksomhed', 'Registreret af'],
        view.outcomes.map((o) => [
          outcomeLabels[o.type],
          danishDay(o.date),
          o.hoursPerWeek ?? '',
          o.employer ? companyLabel({ company: o.employer, companyCvr: o.employerCvr }) : '',
          o.type === 'job-start'
            ? html`<span data-accelerator-hire="${String(o.hiredByAcceleratorCompany)}">${o.hiredByAcceleratorCompany ? 'Ja' : 'Nej'}</span>`
            : '',
          o.recordedBy,
        ]),
      )
    : html`<p>Ingen resultater endnu.</p>`;
  const payments = view.payments.length
    ? table(
        ['Betaling', 'Beløb', 'Modtager', 'Forfald', 'Takstkort'],
        view.payments.map((p) => [
          paymentRuleLabels[p.rule],
          p.amount,
          p.payee.name,
          danishDay(p.dueDate),
          p.rateCardVersion,
        ]),
      )
    : html`<p>Ingen betalinger endnu.</p>`;
  const milestones = view.milestones.length
    ? table(
        ['Milepæl', 'Følger', 'Forfalder', 'Frist', 'Status'],
        view.milestones.map((m) => [
          `${m.weeks} uger`,
          milestoneFollowsLabels[m.follows],
          danishDay(m.dueOn),
          danishDay(m.deadlineOn),
          html`<span data-milestone="${m.weeks}" data-follows="${m.follows}" data-status="${m.status}">${milestoneStatusLabel(m.status, m.follows)}</span>`,
        ]),
      )
    : html`<p>Ingen milepæle endnu (13 og 26 uger efter en jobstart eller uddannelsesstart).</p>`;
  const placed = view.inductionPlacement;
  const placement = placed
    ? html`<p id="placement" data-placement="${placed.type}">Virksomhedsindslusning: ${placementLabels[placed.type]} – ${companyLabel(placed)}${
        placed.supportPerson ? html`, støtteperson ${placed.supportPerson}` : ''
      }</p>`
    : html`<p id="placement">Virksomhedsindslusning: placering ikke registreret endnu.</p>`;
  const closed = view.phase === 'closed';
  return page(
    `Forløb ${view.referralId}`,
    html`<h1>Borgerforløb</h1>
<p>${view.name} · ${view.municipality.name} Kommune · forløb <code>${view.referralId}</code></p>
<p>Fase: <span class="phase" id="phase" data-phase="${view.phase}">${phaseLabels[view.phase]}</span>
${closed ? `(${closedLabels[view.closedReason ?? ''] ?? ''} ${danishDay(view.phaseStartedOn)})` : `siden ${danishDay(view.phaseStartedOn)}, til ${danishDay(view.phaseEndsOn)}`}</p>
<p>Beskæftigelsesaktør (single point of contact): ${view.employmentActor.name}</p>
${placement}
<h2>Planlagte faser</h2>
${planned}
<h2>Forløbets historik</h2>
${history}
<h2>Resultater</h2>
${outcomes}
<h2>Fastholdelse i job og uddannelse</h2>
${milestones}
<h2>Betalinger</h2>
${payments}
${may('record-confirmation') && confirmationForms(base, view, errorsOf('confirmation'))}
${may('record-outcome') && !closed && outcomeForm(base, view, errorsOf('outcome'))}
${may('record-placement') && canPlaceInduction(view.phase) && placementForm(base, view, errorsOf('placement'), placementChoices)}
${may('read-access-log') && html`<p><a href="${base}/referrals/${view.referralId}/access-log">Adgangslog for forløbet</a></p>`}
<p><a href="${base}/">${may('refer') ? 'Ny visitation' : 'Forsiden'}</a></p>`,
    { caller, base },
  );
}

const accessActionLabels: Record<AccessAction, string> = {
  read: 'Læst',
  refer: 'Visiteret',
  'record-outcome': 'Resultat registreret',
  'record-placement': 'Placering registreret',
  'record-confirmation': 'Milepæl besvaret',
};

/** The access log of one pathway, newest first: who read or changed it, when and how (programme role). */
export function accessLogPage(
  base: string,
  caller: Caller,
  referralId: string,
  entries: readonly AccessEntry[],
): Html {
  return page(
    `Adgangslog ${referralId}`,
    html`<h1>Adgangslog</h1>
<p>Forløb <a href="${base}/referrals/${referralId}"><code>${referralId}</code></a>: hvem har læst eller ændret forløbet, hvornår og hvordan. Nyeste først.</p>
${
  entries.length
    ? table(
        ['Tidspunkt (UTC)', 'Bruger', 'Rolle', 'Handling'],
        entries.map((e) => [
          html`<time datetime="${e.at}">${e.at.replace('T', ' ').replace(/\.\d+Z$|Z$/, '')}</time>`,
          e.username,
          roleLabels[e.role],
          html`<span data-action="${e.action}">${accessActionLabels[e.action]}</span>`,
        ]),
      )
    : html`<p>Ingen adgange registreret.</p>`
}`,
    { caller, base },
  );
}
