import type { Caller } from '#domain/access';
import type { BenefitRate } from '#domain/benefits';
import { rateGroupLabels } from '#domain/benefits';
import {
  type Basis,
  defaultProgrammeCosts,
  type MonthPoint,
  type Payee,
  payees,
  type View,
  views,
} from '#domain/business-case';
import { type CsvCell, danishCsv, kroner } from '#domain/csv';
import { addMonths } from '#domain/dates';
import { type DatedAmount, earningsSeriesLabels } from '#domain/earnings';
import { formatDkk, formatWholeKroner } from '#domain/money';
import { EXPECTED_EDUCATION_WEEKS } from '#domain/savings';
import type { BusinessCaseReport, GroupView } from './business-case-data.ts';
import { danishMonth, niceStep } from './chart-scale.ts';
import { page, scrollingTable } from './html.ts';
import { type Html, html, raw } from './html-template.ts';
import { netResultText, whatIfAssumptions, whatIfFigures, whatIfHref } from './what-if-page.ts';
import type { WhatIfReport } from './what-if-report.ts';

/**
 * The business case as finance reads it: an HTML page in Danish with server-rendered SVG charts (the pages'
 * Content-Security-Policy forbids scripts, so nothing is drawn in the browser), and a CSV for Danish Excel.
 */

const percent = (basisPoints: number) => `${String(basisPoints / 100).replace('.', ',')} %`;

function paybackText(group: GroupView, month: number | null = group.paybackMonth): string {
  if (month === null) return 'ikke inden for horisonten';
  const point = group.series[month - 1];
  return point ? `måned ${month} (${danishMonth(point.month)})` : `måned ${month}`;
}

// ---- Charts ----

export interface ChartOptions {
  /** Used for element ids and `data-chart`; the group's key. */
  id: string;
  title: string;
  series: readonly MonthPoint[];
  paybackMonth: number | null;
  width: number;
  height: number;
}

const MARGIN = { left: 108, right: 16, top: 14, bottom: 70 };
const PAID_COLOUR = '#b00020';
const SAVED_COLOUR = '#004b87';
const PAYBACK_COLOUR = '#2e7d32';

/** Months between x-axis labels: a label needs about 64 px. */
function monthStep(months: number, plotWidth: number): number {
  const room = Math.max(1, Math.floor(plotWidth / 64));
  return [1, 3, 6, 12, 24, 36, 60].find((step) => Math.ceil(months / step) <= room) ?? 60;
}

const round = (value: number) => Math.round(value * 10) / 10;

/**
 * Cumulative paid against cumulative municipal savings per month, as an inline SVG line chart: y-axis in whole
 * kroner (da-DK), x-axis in months, a legend, and the payback month marked when there is one.
 */
export function lineChart(options: ChartOptions): Html {
  const { id, series, width, height } = options;
  const plotWidth = width - MARGIN.left - MARGIN.right;
  const plotHeight = height - MARGIN.top - MARGIN.bottom;
  const maxOere = Math.max(0, ...series.flatMap((p) => [p.cumulativePaidOere, p.cumulativeSavedOere]));
  const step = niceStep(Math.ceil(maxOere / 100));
  // Nothing paid or saved yet: an empty scale of four steps rather than a single one.
  const topKroner = maxOere > 0 ? Math.ceil(maxOere / 100 / step) * step : 4 * step;
  const x = (index: number) =>
    round(MARGIN.left + (series.length > 1 ? (index * plotWidth) / (series.length - 1) : 0));
  const y = (oere: number) => round(MARGIN.top + plotHeight - (oere / 100 / topKroner) * plotHeight);
  const bottom = MARGIN.top + plotHeight;

  const yTicks: Html[] = [];
  for (let value = 0; value <= topKroner + step / 2; value += step) {
    const ty = y(value * 100);
    yTicks.push(
      html`<line x1="${MARGIN.left}" x2="${MARGIN.left + plotWidth}" y1="${ty}" y2="${ty}" stroke="#ddd"/><text x="${MARGIN.left - 6}" y="${ty + 4}" text-anchor="end">${formatWholeKroner(value)}</text>`,
    );
  }
  const every = monthStep(series.length, plotWidth);
  const xTicks = series.map((point, index) =>
    index % every === 0
      ? html`<line x1="${x(index)}" x2="${x(index)}" y1="${bottom}" y2="${bottom + 4}" stroke="#555"/><text x="${x(index)}" y="${bottom + 16}" text-anchor="middle">${danishMonth(point.month)}</text>`
      : '',
  );
  const line = (pick: (p: MonthPoint) => number) =>
    series.map((point, index) => `${x(index)},${y(pick(point))}`).join(' ');
  const payback =
    options.paybackMonth !== null
      ? html`<line x1="${x(options.paybackMonth - 1)}" x2="${x(options.paybackMonth - 1)}" y1="${MARGIN.top}" y2="${bottom}" stroke="${PAYBACK_COLOUR}" stroke-dasharray="4 3"/>`
      : '';
  const legendY = height - 14;
  const legendItem = (dx: number, colour: string, dash: string | undefined, label: string) =>
    html`<line x1="${dx}" x2="${dx + 22}" y1="${legendY - 4}" y2="${legendY - 4}" stroke="${colour}" stroke-width="2"${dash ? html` stroke-dasharray="${dash}"` : ''}/><text x="${dx + 28}" y="${legendY}">${label}</text>`;
  const legend = html`${legendItem(8, PAID_COLOUR, '6 3', 'Betalt')}${legendItem(80, SAVED_COLOUR, undefined, 'Kommunal besparelse')}${
    options.paybackMonth !== null ? legendItem(244, PAYBACK_COLOUR, '4 3', 'Tilbagebetalt') : ''
  }`;
  const last = series.at(-1);
  const description = last
    ? `Ved horisontens slut (${danishMonth(last.month)}): betalt ${formatDkk(last.cumulativePaidOere)}, kommunal besparelse ${formatDkk(last.cumulativeSavedOere)}.`
    : 'Ingen måneder i horisonten.';
  const titleId = `chart-${id}-title`;
  const descId = `chart-${id}-desc`;
  const middle = round(MARGIN.top + plotHeight / 2);
  return html`<svg class="chart" data-chart="${id}" role="img" aria-labelledby="${titleId} ${descId}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" font-family="system-ui, sans-serif" font-size="11" fill="#1b1b1b">
<title id="${titleId}">${options.title}</title>
<desc id="${descId}">${description}</desc>
${yTicks}
<line x1="${MARGIN.left}" x2="${MARGIN.left}" y1="${MARGIN.top}" y2="${bottom}" stroke="#555"/>
<line x1="${MARGIN.left}" x2="${MARGIN.left + plotWidth}" y1="${bottom}" y2="${bottom}" stroke="#555"/>
${xTicks}
<text x="12" y="${middle}" text-anchor="middle" transform="rotate(-90 12 ${middle})">Kumuleret beløb (kr.)</text>
<text x="${round(MARGIN.left + plotWidth / 2)}" y="${bottom + 32}" text-anchor="middle">Måned</text>
${payback}
<polyline data-series="paid" points="${line((p) => p.cumulativePaidOere)}" fill="none" stroke="${PAID_COLOUR}" stroke-width="2" stroke-dasharray="6 3"/>
<polyline data-series="saved" points="${line((p) => p.cumulativeSavedOere)}" fill="none" stroke="${SAVED_COLOUR}" stroke-width="2"/>
${legend}
</svg>`;
}

// ---- Page ----

export const basisLabels: Record<Basis, string> = { confirmed: 'bekræftet', expected: 'forventet' };
export const viewLabels: Record<View, string> = { pbr: 'kun resultatbetaling', full: 'fuld' };

const money = (oere: number) => html`<td class="num${oere < 0 ? ' negative' : ''}">${formatDkk(oere)}</td>`;

/**
 * One row per group: what was paid and what the programme cost, confirmed and expected savings side by side, and
 * for the report's basis the net result, payback and next cohort in both views (PbR only, and full).
 */
function summaryTable(caption: string, groups: readonly GroupView[], basis: Basis): Html {
  const on = basisLabels[basis];
  const head: Array<[string, boolean]> = [
    ['Navn', false],
    ['Pladser', true],
    ['Borgere', true],
    ['Betalt', true],
    ['Programmets omkostninger', true],
    ['Bekræftet besparelse', true],
    ['Forventet besparelse', true],
    [`Netto, kun resultatbetaling (${on})`, true],
    [`Netto, fuld (${on})`, true],
    [`Tilbagebetalt, kun resultatbetaling (${on})`, false],
    [`Tilbagebetalt, fuld (${on})`, false],
    [`Finansierer næste hold? Kun resultatbetaling / fuld (${on})`, false],
  ];
  const rows = groups.map((g) => {
    const pbr = g.verdicts.pbr[basis];
    const full = g.verdicts.full[basis];
    return html`<tr data-group="${g.key}"><td>${g.name}</td><td class="num">${g.places}</td><td class="num">${g.citizens}</td>${money(g.paidOere)}${money(g.programmeCostOere)}<td class="num" data-basis="confirmed">${formatDkk(g.savings.confirmed.municipalSavingsOere)}</td><td class="num" data-basis="expected">${formatDkk(g.savings.expected.municipalSavingsOere)}</td>${money(pbr.netOere)}${money(full.netOere)}<td>${paybackText(g, pbr.paybackMonth)}</td><td>${paybackText(g, full.paybackMonth)}</td><td>${fundsText(pbr)} / ${fundsText(full)}</td></tr>`;
  });
  return scrollingTable(
    `Business case: ${caption}`,
    html`<table><caption>${caption}</caption><tr>${head.map(
      ([h, numeric]) => html`<th scope="col"${numeric ? raw(' class="num"') : ''}>${h}</th>`,
    )}</tr>${rows}</table>`,
  );
}

export const sideLabels: Record<Payee, string> = {
  'employment-actor': 'Beskæftigelsesaktør',
  'social-accelerator': 'Social accelerator',
};

/**
 * The two sides of the double-sided model (issue 7, item 5), two rows per group: what each was paid (the
 * accelerator's share of citizens' jobs and its company-side results apart) and what its results saved. A
 * citizen's result is the accelerator's when the job was with an accelerator company.
 */
function sidesTable(groups: readonly GroupView[]): Html {
  const head: Array<[string, boolean]> = [
    ['Navn', false],
    ['Side', false],
    ['Borgere med resultat', true],
    ['Betalt for borgerresultater', true],
    ['Betalt for virksomhedsresultater', true],
    ['Betalt i alt', true],
    ['Bekræftet kommunal besparelse', true],
    ['Forventet kommunal besparelse', true],
  ];
  const rows = groups.flatMap((g) =>
    payees.map((payee) => {
      const side = g.sides[payee];
      return html`<tr data-group="${g.key}" data-side="${payee}"><td>${g.name}</td><td>${sideLabels[payee]}</td><td class="num">${side.results}</td>${money(side.paidForCitizenResultsOere)}${money(side.paidForCompanyResultsOere)}${money(side.paidOere)}<td class="num" data-basis="confirmed">${formatDkk(side.savings.confirmed.municipalSavingsOere)}</td><td class="num" data-basis="expected">${formatDkk(side.savings.expected.municipalSavingsOere)}</td></tr>`;
    }),
  );
  return scrollingTable(
    'Business case: begge sider',
    html`<table id="sides"><caption>Betalt til hver side, og hvad hver sides resultater sparede</caption><tr>${head.map(
      ([h, numeric]) => html`<th scope="col"${numeric ? raw(' class="num"') : ''}>${h}</th>`,
    )}</tr>${rows}</table>`,
  );
}

/** Wages, disregards and SU amounts the counted weeks used, each with its source or assumption. */
function earningsTable(amounts: readonly DatedAmount[]): Html | '' {
  if (amounts.length === 0) return '';
  return html`<table id="earnings-amounts"><caption>Løn, fradrag og SU brugt i beregningen</caption><tr><th scope="col">Beløb</th><th scope="col">Fra</th><th scope="col" class="num">Beløb</th><th scope="col">Grundlag</th></tr>${amounts.map(
    (a) =>
      html`<tr data-assumed="${a.assumption ? 'ja' : 'nej'}"><td>${earningsSeriesLabels[a.series]}</td><td>${a.effectiveFrom}</td><td class="num">${formatDkk(a.oere)}</td><td>${amountBasis(a)}</td></tr>`,
  )}</table>`;
}

function amountBasis(amount: DatedAmount): string {
  return amount.assumption
    ? `Antagelse: ${amount.assumption} Grundlag: ${amount.source}.`
    : `Kilde: ${amount.source}.`;
}

/** The href of the same report as CSV, with the options the page was made from, so the two agree. */
export function csvHref(
  base: string,
  report: BusinessCaseReport,
  changes: Record<string, string> = {},
): string {
  return reportHref(base, report, { format: 'csv', ...changes });
}

/** The same report with some options changed (the CSV, the other basis), so the pages and files agree. */
export function reportHref(
  base: string,
  report: BusinessCaseReport,
  changes: Record<string, string>,
): string {
  const { options } = report;
  const query = new URLSearchParams({
    start: options.start,
    horizonYears: String(options.horizonYears),
    ...(options.deadweightBasisPoints === null ? {} : { deadweight: String(options.deadweightBasisPoints) }),
    retention: String(options.annualRetentionBasisPoints),
    basis: options.basis,
    // The defaults are not whole kroner (the published total spread over 36); given ones are.
    ...(options.costPerCitizenOere === defaultProgrammeCosts.perCitizenOere
      ? {}
      : { costPerCitizen: String(options.costPerCitizenOere / 100) }),
    ...(options.costPerCompanyOere === defaultProgrammeCosts.perCompanyOere
      ? {}
      : { costPerCompany: String(options.costPerCompanyOere / 100) }),
    ...changes,
  });
  return `${base}/business-case?${query.toString()}`;
}

/** Rules the business case adds to the common page: numeric columns, charts, the CSV link. */
const BUSINESS_CASE_STYLE = raw(`
  table { margin-top: 1rem; }
  caption { text-align: left; font-weight: 600; }
  td.num, th.num { text-align: right; } td.num { white-space: nowrap; } td.negative { color: #b00020; }
  .charts { display: flex; flex-wrap: wrap; gap: 1rem; }
  figure { margin: 0; } figcaption { font-weight: 600; }
  svg.chart { max-width: 100%; height: auto; }
  a.button { display: inline-block; margin-top: .5rem; padding: .6rem 1.2rem; background: #004b87; color: #fff; text-decoration: none; }`);

function chartFigure(group: GroupView, width: number, height: number): Html {
  return html`<figure><figcaption>${group.name}</figcaption>${lineChart({
    id: group.key,
    title: `${group.name}: kumuleret betalt og kommunal besparelse pr. måned`,
    series: group.series,
    paybackMonth: group.paybackMonth,
    width,
    height,
  })}</figure>`;
}

const benefitLabels: Record<BenefitRate['benefit'], string> = {
  kontanthjaelp: 'Kontanthjælp',
  integrationsydelse: 'Integrationsydelse',
};

/** The basis of a rate as the page and the CSV say it: its source, or the assumption it rests on. */
function rateBasis(rate: BenefitRate): string {
  return rate.assumption
    ? `Antagelse: ${rate.assumption} Grundlag: ${rate.source}.`
    : `Kilde: ${rate.source}.`;
}

function rateCells(rate: BenefitRate): [string, string, string, string, string] {
  return [
    benefitLabels[rate.benefit],
    rateGroupLabels[rate.benefit][rate.rateGroup] ?? rate.rateGroup,
    rate.effectiveFrom,
    formatDkk(rate.monthlyOere),
    rateBasis(rate),
  ];
}

/** Every rate the counted weeks were priced with, so each saving traces to a dated, sourced rate. */
function ratesTable(rates: readonly BenefitRate[]): Html | '' {
  if (rates.length === 0) return '';
  return html`<table id="rates"><caption>Ydelsessatser brugt i beregningen</caption><tr><th scope="col">Ydelse</th><th scope="col">Satsgruppe</th><th scope="col">Fra</th><th scope="col" class="num">Pr. måned</th><th scope="col">Grundlag</th></tr>${rates.map(
    (rate) => {
      const [benefit, group, from, monthly, basis] = rateCells(rate);
      return html`<tr data-assumed="${rate.assumption ? 'ja' : 'nej'}"><td>${benefit}</td><td>${group}</td><td>${from}</td><td class="num">${monthly}</td><td>${basis}</td></tr>`;
    },
  )}</table>`;
}

/**
 * The business case page: summary per municipality, cluster and programme, assumptions, CSV link, charts. A
 * report scoped to the caller's municipality (finance) has no clusters and no programme.
 */
export function businessCasePage(
  base: string,
  caller: Caller,
  report: BusinessCaseReport,
  whatIf?: WhatIfReport,
): Html {
  const { businessCase: bc, options } = report;
  const lastMonth = addMonths(`${bc.horizon.startMonth}-01`, bc.horizon.months - 1).slice(0, 7);
  const unpriced =
    report.unpriced > 0
      ? html`<p class="hint" id="unpriced">${`${report.unpriced} visitation(er) uden satsgruppe kan ikke prissættes og indgår ikke, heller ikke deres betalinger (${formatDkk(report.unpricedPaidOere)}).`}</p>`
      : '';
  const municipalCharts = bc.municipalities.map((m) => chartFigure(m, 360, 240));
  const basis = bc.basis;
  const other: Basis = basis === 'confirmed' ? 'expected' : 'confirmed';
  const deadweightText =
    options.deadweightBasisPoints === null
      ? 'Dødvægt efter visitationskategori'
      : `Dødvægt ${percent(options.deadweightBasisPoints)} for alle`;
  return page(
    'Kommunernes business case',
    html`<h1>Kommunernes business case</h1>
<p>Hvad kommunerne har betalt for resultater (investeringen) over for kommunens egen besparelse på forsørgelse, over ${bc.horizon.years} år fra ${danishMonth(bc.horizon.startMonth)} til og med ${danishMonth(lastMonth)}. Opgjort ${report.asOf.slice(0, 10)}.</p>
${unpriced}
<p id="basis">${`Besparelser vises både som bekræftede (de uger, milepælene har bekræftet) og forventede (fremskrevet med fastholdelsesantagelsen). Netto, tilbagebetaling og næste hold regnes her på det ${basisLabels[basis]}e grundlag`}${basis === 'confirmed' ? ' (standard: intet regnes med, før nogen har bekræftet det)' : ''}. <a href="${reportHref(base, report, { basis: other })}">${`Vis på ${basisLabels[other]} grundlag`}</a>.</p>
<p id="views">To visninger: <strong>kun resultatbetaling</strong> stiller besparelsen over for betalingerne for resultater; <strong>fuld</strong> lægger programmets egne omkostninger til (accelerator og beskæftigelsesaktørens år, pr. borger og pr. virksomhed).</p>
<p><a class="button" href="${csvHref(base, report)}">Hent som CSV (Excel)</a> ${whatIf ? html`<a class="button" href="#what-if">Usikkerhed: hvad nu hvis?</a>` : ''}</p>
${bc.programme && summaryTable('Programmet', [bc.programme], basis)}
${bc.clusters.length > 0 && summaryTable('Klynger', bc.clusters, basis)}
${summaryTable('Kommuner', bc.municipalities, basis)}
<h2 id="both-sides">Begge sider: beskæftigelsesaktør og social accelerator</h2>
<p>Resultatbetalingen er dobbeltsidet: beskæftigelsesaktøren betales for borgernes resultater, den sociale accelerator for sin andel af job i acceleratorvirksomheder og for virksomhedernes resultater (social model implementeret, udsatte borgere ansat og fastholdt). Et borgerresultat tæller på acceleratorens side, når jobbet er i en acceleratorvirksomhed, ellers på beskæftigelsesaktørens. De to sider giver tilsammen gruppens tal; betalingerne for virksomhedsresultater indgår i &quot;Betalt&quot; ovenfor.</p>
${sidesTable([...(bc.programme ? [bc.programme] : []), ...bc.clusters, ...bc.municipalities])}
<h2>Forudsætninger</h2>
<ul>
<li>${`Horisont: ${options.horizonYears} år (hele kalendermåneder fra ${options.start.slice(0, 7)}). En betaling tæller i måneden for dens forfaldsdato, en uge uden ydelse i måneden hvor ugen begynder.`}</li>
${bc.assumptions.explanations.map(
  (e) => html`<li>${e.da}</li>
`,
)}
<li>Ude af ydelse: fra borgerens første resultat (jobstart med mindst takstkortets timegrænse for delvist resultat, eller uddannelsesstart). Forventet: perioden slutter, når jobbet eller uddannelsen er ophørt; er en milepæl ikke bekræftet inden fristen, ved den sidst bekræftede milepæl (eller straks, hvis ingen er bekræftet); ellers regnes et job frem til horisontens slut og en uddannelse højst ${EXPECTED_EDUCATION_WEEKS} uger (to skoleår, vores antagelse) som en fremskrivning. Bekræftet: kun til den sidst bekræftede milepæl eller den bekræftede slutdato.</li>
<li>${bc.programmeCosts.note} ${`Her: ${formatDkk(bc.programmeCosts.perCitizenOere)} pr. borger og ${formatDkk(bc.programmeCosts.perCompanyOere)} pr. virksomhed.`}</li>
${bc.rateNotes.map(
  (note) => html`<li>${note}</li>
`,
)}<li>Kommunal besparelse er den sparede ydelse fratrukket statens refusion efter refusionstrappen; statens besparelse er refusionen fratrukket den SU, staten betaler under uddannelse. &quot;Finansierer næste hold&quot; betyder, at nettobesparelsen dækker det, et nyt hold med samme antal pladser vil koste med den gennemsnitlige udgift pr. borger (betalinger, og i den fulde visning også programmets omkostninger).</li>
</ul>
<p class="hint">${`${deadweightText}, fastholdelse ${percent(options.annualRetentionBasisPoints)} pr. år. Kan ændres i adressen: ?horizonYears=1–10&deadweight=0–10000&retention=0–10000 (basispoint)&start=ÅÅÅÅ-MM-DD&basis=confirmed|expected&costPerCitizen=…&costPerCompany=… (kr.).`}</p>
${ratesTable(bc.rates)}
${earningsTable(bc.earningsAmounts)}
<h2>Kumuleret betalt og sparet pr. måned</h2>
${
  bc.programme
    ? html`${chartFigure(bc.programme, 720, 320)}
<div class="charts">
${municipalCharts}
</div>`
    : html`<div class="charts">
${municipalCharts}
</div>`
}
${whatIf ? whatIfSection(base, whatIf) : ''}`,
    { wide: true, style: BUSINESS_CASE_STYLE, caller, base },
  );
}

/**
 * The what-if under uncertainty for the report's start and horizon, payments only: the distribution per
 * municipality and the chance of a gain, with the way to the full what-if page (its assumptions, the full view).
 */
function whatIfSection(base: string, report: WhatIfReport): Html {
  const w = report.whatIf;
  return html`<h2 id="what-if">Usikkerhed: hvad nu hvis?</h2>
<p>${`Tallene ovenfor er de faktiske visitationer. Her er det samme spørgsmål under usikkerhed: ${w.draws.toLocaleString('da-DK')} simulerede hold med én borger pr. plads, der starter ${w.start} og regnes over ${w.horizonYears} år, hvor resultater, fastholdelse, dødvægt, satsgrupper, visitation og takstkortets niveau trækkes efter forudsætningerne nedenfor. Sandsynligheden for gevinst er andelen af trækningerne, hvor kommunens nettoresultat er over 0 kr.`}</p>
<p>${netResultText(report)}</p>
${whatIfFigures(report)}
<details id="what-if-assumptions"><summary>Forudsætninger for usikkerheden</summary>
${whatIfAssumptions(report)}
</details>
<p><a class="button" href="${whatIfHref(base, report)}">Forudsætninger og flere valg</a> <a class="button" href="${whatIfHref(base, report, { view: 'full' })}">Usikkerhed i den fulde visning</a></p>`;
}

// ---- CSV ----

const kindLabels: Record<GroupView['kind'], string> = {
  programme: 'Programmet',
  cluster: 'Klynge',
  municipality: 'Kommune',
};

/** One row per group (programme, clusters, municipalities); amounts in kroner with a decimal comma. */
export function businessCaseCsv(report: BusinessCaseReport): string {
  const bc = report.businessCase;
  const header = [
    'Niveau',
    'Nøgle',
    'Navn',
    'Pladser',
    'Borgere',
    'Betalt (kr.)',
    'Heraf beskæftigelsesaktører (kr.)',
    'Heraf social accelerator (kr.)',
    'Programmets omkostninger (kr.)',
    'Bekræftet kommunal besparelse (kr.)',
    'Forventet kommunal besparelse (kr.)',
    'Statslig besparelse (kr.)',
    'Netto, kun resultatbetaling (kr.)',
    'Tilbagebetalingsmåned, kun resultatbetaling',
    'Næste holds pris, kun resultatbetaling (kr.)',
    'Finansierer næste hold, kun resultatbetaling',
    'Netto, fuld (kr.)',
    'Tilbagebetalingsmåned, fuld',
    'Næste holds pris, fuld (kr.)',
    'Finansierer næste hold, fuld',
    'Grundlag',
    // The two sides (issue 7) after the existing columns, so those keep their places.
    ...payees.flatMap((payee) => [
      `${sideLabels[payee]}: borgere med resultat`,
      `${sideLabels[payee]}: betalt for borgerresultater (kr.)`,
      `${sideLabels[payee]}: betalt for virksomhedsresultater (kr.)`,
      `${sideLabels[payee]}: betalt i alt (kr.)`,
      `${sideLabels[payee]}: bekræftet kommunal besparelse (kr.)`,
      `${sideLabels[payee]}: forventet kommunal besparelse (kr.)`,
    ]),
  ];
  const groups = [...(bc.programme ? [bc.programme] : []), ...bc.clusters, ...bc.municipalities];
  const rows: CsvCell[][] = groups.map((g) => [
    kindLabels[g.kind],
    g.key,
    g.name,
    g.places,
    g.citizens,
    kroner(g.paidOere),
    kroner(g.paidToEmploymentActorsOere),
    kroner(g.paidToAcceleratorOere),
    kroner(g.programmeCostOere),
    kroner(g.savings.confirmed.municipalSavingsOere),
    kroner(g.savings.expected.municipalSavingsOere),
    kroner(g.stateSavingsOere),
    ...views.flatMap((view) => {
      const v = g.verdicts[view][bc.basis];
      return [kroner(v.netOere), v.paybackMonth, kroner(v.nextCohortCostOere), fundsText(v)];
    }),
    basisLabels[bc.basis],
    ...payees.flatMap((payee) => {
      const side = g.sides[payee];
      return [
        side.results,
        kroner(side.paidForCitizenResultsOere),
        kroner(side.paidForCompanyResultsOere),
        kroner(side.paidOere),
        kroner(side.savings.confirmed.municipalSavingsOere),
        kroner(side.savings.expected.municipalSavingsOere),
      ];
    }),
  ]);
  // The assumptions after the figures, as on the page, so a file passed on keeps what its figures rest on.
  const assumptions: CsvCell[][] = [
    [],
    ['Forudsætninger'],
    ...bc.assumptions.explanations.map((e) => [e.da]),
    ...bc.rateNotes.map((note) => [note]),
    [bc.programmeCosts.note],
    [],
    ['Ydelse', 'Satsgruppe', 'Fra', 'Pr. måned (kr.)', 'Grundlag'],
    ...bc.rates.map((rate) => {
      const [benefit, group, from, , basis] = rateCells(rate);
      return [benefit, group, from, kroner(rate.monthlyOere), basis];
    }),
    [],
    ['Beløb', 'Fra', 'Beløb (kr.)', 'Grundlag'],
    ...bc.earningsAmounts.map((a) => [
      earningsSeriesLabels[a.series],
      a.effectiveFrom,
      kroner(a.oere),
      amountBasis(a),
    ]),
  ];
  // Every row has the header's width (Excel shows empty cells; the check in danishCsv stays strict).
  const padded = assumptions.map((row) => [...row, ...Array<CsvCell>(header.length - row.length).fill(null)]);
  return danishCsv(header, [...rows, ...padded]);
}

/**
 * A CSV file as a download (also used by the statements). The headers are those of every other response
 * (functions/shared/http.ts); only the content type and the attachment differ.
 */

/** Nothing paid means nothing to fund again: "–", not "nej". */
function fundsText(g: { fundsNextCohort: boolean; nextCohortCostOere: number }): string {
  if (g.nextCohortCostOere === 0) return '–';
  return g.fundsNextCohort ? 'ja' : 'nej';
}
