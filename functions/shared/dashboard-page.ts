import type { Caller } from '#domain/access';
import { PUBLISHED_PLACES } from '#domain/business-case';
import { type CsvCell, danishCsv, kroner } from '#domain/csv';
import {
  type DashboardGroup,
  type DashboardView,
  dashboardOutcomeTypes,
  dashboardPhases,
} from '#domain/dashboard';
import { formatDkk, formatWholeKroner } from '#domain/money';
import type { Phase } from '#domain/pathway';
import { danishMonth, niceStep } from './chart-scale.ts';
import { page, scrollingTable } from './html.ts';
import { type Html, html, raw } from './html-template.ts';
import { outcomeLabels } from './labels.ts';

/**
 * The programme dashboard as people read it (GET /dashboard): a Danish HTML page with server-rendered SVG charts
 * (the pages' Content-Security-Policy forbids scripts), every figure of a chart also in a table, and a CSV for
 * Danish Excel.
 */

export interface DashboardReport {
  /** When the figures were read (ISO instant). */
  asOf: string;
  options: {
    /** `?municipality=` as asked, so the page's links keep it; null when not asked. */
    municipality: string | null;
  };
  dashboard: DashboardView;
}

/** Short phase names for table headings and legends; the long ones (labels.ts `phaseLabels`) are sentences. */
export const phaseHeadings: Record<Phase, string> = {
  referred: 'Venter på start',
  training: 'Træning',
  induction: 'Indslusning',
  tracking: 'Opfølgning',
  closed: 'Afsluttet',
};

const PHASE_COLOURS: Record<Phase, string> = {
  referred: '#8c8c8c',
  training: '#004b87',
  induction: '#2e7d32',
  tracking: '#b26a00',
  closed: '#5d4037',
};
const USED_COLOUR = '#004b87';
const FREE_COLOUR = '#b9d3ea';
const PAID_COLOUR = '#b00020';

// Made on first use, not at import (a formatter costs milliseconds of the cold start; JSON never needs it).
let counts: Intl.NumberFormat | undefined;
/** 1234 → "1.234" (da-DK). */
export function danishCount(value: number): string {
  counts ??= new Intl.NumberFormat('da-DK', { maximumFractionDigits: 0 });
  return counts.format(value);
}

let stamp: Intl.DateTimeFormat | undefined;
/** "3. december 2026 kl. 08.06" in Copenhagen time. */
export function danishDateTime(instant: string): string {
  stamp ??= new Intl.DateTimeFormat('da-DK', {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: 'Europe/Copenhagen',
  });
  return stamp.format(new Date(instant));
}

const round = (value: number) => Math.round(value * 10) / 10;

/** The groups the page shows as rows: programme, clusters, municipalities (a scoped view: its municipalities). */
function allGroups(view: DashboardView): DashboardGroup[] {
  return [...(view.programme ? [view.programme] : []), ...view.clusters, ...view.municipalities];
}

/** The groups whose months the page charts and tabulates: the programme, or each shown municipality. */
function headlineGroups(view: DashboardView): DashboardGroup[] {
  return view.programme ? [view.programme] : view.municipalities;
}

// ---- Charts ----

/** The accessible frame every chart shares: an image with a title and a description of its figures. */
function chartFrame(
  id: string,
  title: string,
  description: string,
  width: number,
  height: number,
  body: Html,
) {
  const titleId = `chart-${id}-title`;
  const descId = `chart-${id}-desc`;
  return html`<svg class="chart" data-chart="${id}" role="img" aria-labelledby="${titleId} ${descId}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" font-family="system-ui, sans-serif" font-size="11" fill="#1b1b1b">
<title id="${titleId}">${title}</title>
<desc id="${descId}">${description}</desc>
${body}
</svg>`;
}

const BAR = { left: 130, right: 120, top: 10, row: 24, legend: 30 };

/** A legend line of coloured squares, laid out left to right. */
function legend(y: number, items: ReadonlyArray<readonly [colour: string, label: string]>): Html {
  let x = 8;
  return html`${items.map(([colour, label]) => {
    const item = html`<rect x="${x}" y="${y - 9}" width="10" height="10" fill="${colour}"/><text x="${x + 14}" y="${y}">${label}</text>`;
    x += 24 + label.length * 6;
    return item;
  })}`;
}

interface Segment {
  series: string;
  value: number;
  colour: string;
}

interface StackedBars {
  id: string;
  title: string;
  /** The figures in words, for screen readers (the tables have them too). */
  description: string;
  groups: readonly DashboardGroup[];
  segments: (group: DashboardGroup) => Segment[];
  /** The text after a group's bar. */
  endLabel: (group: DashboardGroup) => string;
  legend: ReadonlyArray<readonly [colour: string, label: string]>;
  width: number;
}

/** One horizontal bar per group, its segments stacked left to right, every bar on one scale (the longest). */
function stackedBars(o: StackedBars): Html {
  const plotWidth = o.width - BAR.left - BAR.right;
  const height = BAR.top + o.groups.length * BAR.row + BAR.legend;
  const total = (g: DashboardGroup) => o.segments(g).reduce((sum, part) => sum + part.value, 0);
  const most = Math.max(1, ...o.groups.map(total));
  const w = (n: number) => round((n / most) * plotWidth);
  const rows = o.groups.map((g, i) => {
    const y = BAR.top + i * BAR.row;
    let x = BAR.left;
    const parts = o.segments(g).map((part) => {
      const rect = html`<rect data-series="${part.series}" x="${round(x)}" y="${y + 4}" width="${w(part.value)}" height="14" fill="${part.colour}"/>`;
      x += w(part.value);
      return rect;
    });
    return html`<g data-group="${g.key}"><text x="${BAR.left - 8}" y="${y + 15}" text-anchor="end">${g.name}</text>${parts}<text x="${round(x + 6)}" y="${y + 15}">${o.endLabel(g)}</text></g>`;
  });
  return chartFrame(
    o.id,
    o.title,
    `${o.description}. Tallene står også i tabellen.`,
    o.width,
    height,
    html`${rows}${legend(height - 10, o.legend)}`,
  );
}

/** Places used and free per group as horizontal bars (an overbooked group's bar is as long as its use). */
export function placesChart(groups: readonly DashboardGroup[], width = 720): Html {
  return stackedBars({
    id: 'places',
    title: 'Pladser optaget og ledige pr. kommune',
    description: groups
      .map(
        (g) =>
          `${g.name}: ${danishCount(g.placesUsed)} optaget, ${danishCount(g.placesFree)} ${g.placesFree === 1 ? 'ledig' : 'ledige'} af ${danishCount(g.places)}`,
      )
      .join('; '),
    groups,
    segments: (g) => [
      { series: 'used', value: g.placesUsed, colour: USED_COLOUR },
      { series: 'free', value: g.placesFree, colour: FREE_COLOUR },
    ],
    endLabel: (g) => `${danishCount(g.placesUsed)} af ${danishCount(g.places)} optaget`,
    legend: [
      [USED_COLOUR, 'Optaget'],
      [FREE_COLOUR, 'Ledig'],
    ],
    width,
  });
}

/** Pathways per group stacked by phase, in the order a pathway goes through them. */
export function phaseChart(groups: readonly DashboardGroup[], width = 720): Html {
  return stackedBars({
    id: 'phases',
    title: 'Forløb pr. fase pr. kommune',
    description: groups
      .map(
        (g) =>
          `${g.name}: ${dashboardPhases.map((p) => `${phaseHeadings[p].toLowerCase()} ${danishCount(g.byPhase[p])}`).join(', ')}`,
      )
      .join('; '),
    groups,
    segments: (g) =>
      dashboardPhases.map((phase) => ({
        series: phase,
        value: g.byPhase[phase],
        colour: PHASE_COLOURS[phase],
      })),
    endLabel: (g) => `${danishCount(g.pathways)} forløb`,
    legend: dashboardPhases.map((p) => [PHASE_COLOURS[p], phaseHeadings[p]] as const),
    width,
  });
}

const COLUMN = { left: 100, right: 16, top: 14, bottom: 48 };

/** Months between x-axis labels: a label needs about 64 px. */
function monthStep(months: number, plotWidth: number): number {
  const room = Math.max(1, Math.floor(plotWidth / 64));
  return [1, 2, 3, 6, 12, 24].find((step) => Math.ceil(months / step) <= room) ?? 24;
}

/** What a group paid per month (by due date) as vertical bars, the y-axis in whole kroner. */
export function paymentsChart(group: DashboardGroup, width = 720, height = 260): Html {
  const plotWidth = width - COLUMN.left - COLUMN.right;
  const plotHeight = height - COLUMN.top - COLUMN.bottom;
  const bottom = COLUMN.top + plotHeight;
  const maxOere = Math.max(0, ...group.months.map((m) => m.paidOere));
  const step = niceStep(Math.ceil(maxOere / 100));
  const topKroner = maxOere > 0 ? Math.ceil(maxOere / 100 / step) * step : 4 * step;
  const y = (oere: number) => round(bottom - (oere / 100 / topKroner) * plotHeight);
  const slot = plotWidth / Math.max(1, group.months.length);
  const ticks: Html[] = [];
  for (let value = 0; value <= topKroner + step / 2; value += step) {
    const ty = y(value * 100);
    ticks.push(
      html`<line x1="${COLUMN.left}" x2="${COLUMN.left + plotWidth}" y1="${ty}" y2="${ty}" stroke="#ddd"/><text x="${COLUMN.left - 6}" y="${ty + 4}" text-anchor="end">${formatWholeKroner(value)}</text>`,
    );
  }
  const every = monthStep(group.months.length, plotWidth);
  const bars = group.months.map((m, i) => {
    const x = round(COLUMN.left + i * slot + slot * 0.15);
    const label =
      i % every === 0
        ? html`<text x="${round(COLUMN.left + i * slot + slot / 2)}" y="${bottom + 16}" text-anchor="middle">${danishMonth(m.month)}</text>`
        : '';
    return html`<rect data-month="${m.month}" x="${x}" y="${y(m.paidOere)}" width="${round(slot * 0.7)}" height="${round(bottom - y(m.paidOere))}" fill="${PAID_COLOUR}"/>${label}`;
  });
  const paidMonths = group.months.filter((m) => m.paidOere > 0);
  const description =
    paidMonths.length > 0
      ? `${paidMonths.map((m) => `${danishMonth(m.month)}: ${formatDkk(m.paidOere)}`).join('; ')}. I alt ${formatDkk(group.paidOere)}. Tallene står også i tabellen.`
      : 'Der er endnu ikke betalt for resultater.';
  const middle = round(COLUMN.top + plotHeight / 2);
  return chartFrame(
    `payments-${group.key}`,
    `${group.name}: betalt for resultater pr. måned (forfaldsdato)`,
    description,
    width,
    height,
    html`${ticks}
<line x1="${COLUMN.left}" x2="${COLUMN.left}" y1="${COLUMN.top}" y2="${bottom}" stroke="#555"/>
<line x1="${COLUMN.left}" x2="${COLUMN.left + plotWidth}" y1="${bottom}" y2="${bottom}" stroke="#555"/>
${bars}
<text x="12" y="${middle}" text-anchor="middle" transform="rotate(-90 12 ${middle})">Betalt (kr.)</text>
<text x="${round(COLUMN.left + plotWidth / 2)}" y="${bottom + 36}" text-anchor="middle">Måned</text>`,
  );
}

// ---- Tables ----

const num = (value: number) => html`<td class="num">${danishCount(value)}</td>`;

/** Places and pathways by phase per group: the programme and clusters first, then the municipalities. */
function summaryTable(groups: readonly DashboardGroup[]): Html {
  const head = ['Pladser', 'Optaget', 'Ledige', ...dashboardPhases.map((p) => phaseHeadings[p])];
  const rows = groups.map(
    (g) =>
      html`<tr data-group="${g.key}" class="${g.kind}"><th scope="row">${g.name}</th>${num(g.places)}${num(g.placesUsed)}${num(g.placesFree)}${dashboardPhases.map((p) => num(g.byPhase[p]))}</tr>`,
  );
  return scrollingTable(
    'Pladser og forløb pr. fase',
    html`<table id="summary"><caption>Pladser og forløb pr. fase</caption><tr><th scope="col">Kommune</th>${head.map(
      (h) => html`<th scope="col" class="num">${h}</th>`,
    )}</tr>${rows}</table>`,
  );
}

/** A group's months: referrals, outcomes by type and what was paid, with the totals last. */
function monthTable(group: DashboardGroup): Html {
  const head = [
    'Visitationer',
    ...dashboardOutcomeTypes.map((t) => shortOutcome[t]),
    'Betalt',
    'Heraf beskæftigelsesaktører',
    'Heraf social accelerator',
  ];
  const rows = group.months.map(
    (m) =>
      html`<tr data-month="${m.month}"><th scope="row">${danishMonth(m.month)}</th>${num(m.referrals)}${dashboardOutcomeTypes.map((t) => num(m.outcomes[t]))}<td class="num">${formatDkk(m.paidOere)}</td><td class="num">${formatDkk(m.paidToEmploymentActorsOere)}</td><td class="num">${formatDkk(m.paidToAcceleratorOere)}</td></tr>`,
  );
  const total = html`<tr class="total"><th scope="row">I alt</th>${num(group.pathways)}${dashboardOutcomeTypes.map((t) => num(group.outcomes[t]))}<td class="num">${formatDkk(group.paidOere)}</td><td class="num">${formatDkk(group.paidToEmploymentActorsOere)}</td><td class="num">${formatDkk(group.paidToAcceleratorOere)}</td></tr>`;
  const caption = `${group.name}: visitationer, resultater og betalinger pr. måned`;
  return scrollingTable(
    caption,
    html`<table id="months-${group.key}"><caption>${caption}</caption><tr><th scope="col">Måned</th>${head.map(
      (h) => html`<th scope="col" class="num">${h}</th>`,
    )}</tr>${rows}${total}</table>`,
  );
}

/** Outcome types as column headings; labels.ts has the long forms. */
const shortOutcome: Record<(typeof dashboardOutcomeTypes)[number], string> = {
  'job-start': 'Jobstart',
  'education-start': 'Uddannelsesstart',
  dropout: 'Frafald',
};

// ---- Page ----

const DASHBOARD_STYLE = raw(`
  table { margin-top: 1rem; border-collapse: collapse; }
  caption { text-align: left; font-weight: 600; }
  th, td { padding: .2rem .5rem; }
  td.num, th.num { text-align: right; } td.num { white-space: nowrap; }
  tr.programme th, tr.programme td, tr.cluster th, tr.cluster td, tr.total th, tr.total td { font-weight: 600; }
  figure { margin: 1rem 0; } figcaption { font-weight: 600; }
  svg.chart { max-width: 100%; height: auto; }
  a.button { display: inline-block; margin-top: .5rem; padding: .6rem 1.2rem; background: #004b87; color: #fff; text-decoration: none; }`);

/** The same dashboard as CSV, keeping `?municipality=` so the file holds what the page shows. */
export function dashboardCsvHref(base: string, report: DashboardReport): string {
  const query = new URLSearchParams({
    ...(report.options.municipality ? { municipality: report.options.municipality } : {}),
    format: 'csv',
  });
  return `${base}/dashboard?${query.toString()}`;
}

function placesText(view: DashboardView): string {
  if (view.programme) {
    const { places } = view.programme;
    const seed =
      places === PUBLISHED_PLACES
        ? `seedets ${PUBLISHED_PLACES} pladser`
        : `${danishCount(places)} pladser (seedets ${PUBLISHED_PLACES} pladser ganget op)`;
    return `Programmet har ${seed} i ${view.municipalities.length} kommuner og ${view.clusters.length} klynger.`;
  }
  return view.municipalities
    .map((m) => `${m.name} Kommune har ${danishCount(m.places)} ${m.places === 1 ? 'plads' : 'pladser'}.`)
    .join(' ');
}

/**
 * The dashboard page: places and phases per municipality with cluster and programme rows, the charts, and the
 * months of the programme (or of each shown municipality), each chart's figures also in a table.
 */
export function dashboardPage(base: string, caller: Caller, report: DashboardReport): Html {
  const view = report.dashboard;
  const groups = allGroups(view);
  const months = headlineGroups(view).map(
    (g) => html`<figure><figcaption>${g.name}</figcaption>${paymentsChart(g)}</figure>
${monthTable(g)}`,
  );
  return page(
    'Programoverblik',
    html`<h1>Programoverblik</h1>
<p>${placesText(view)} ${`En plads er optaget af hvert forløb, der ikke er afsluttet, også et, der venter på sin startdato. Opgjort ${danishDateTime(report.asOf)}.`}</p>
<p><a class="button" href="${dashboardCsvHref(base, report)}">Hent som CSV (Excel)</a></p>
<h2>Pladser og forløb</h2>
${summaryTable(groups)}
<figure><figcaption>Pladser pr. kommune</figcaption>${placesChart(view.municipalities)}</figure>
<figure><figcaption>Forløb pr. fase pr. kommune</figcaption>${phaseChart(view.municipalities)}</figure>
<h2>Resultater og betalinger pr. måned</h2>
<p>${`Et resultat tæller i måneden for dets dato, en betaling i måneden for dens forfaldsdato, en visitation i måneden den blev lavet. Resultattyper: ${dashboardOutcomeTypes.map((t) => outcomeLabels[t]).join(', ')}.`}</p>
${view.months.length === 0 ? html`<p id="no-months">Der er endnu ingen visitationer, resultater eller betalinger.</p>` : months}`,
    { caller, base, wide: true, style: DASHBOARD_STYLE },
  );
}

// ---- CSV ----

const kindLabels: Record<DashboardGroup['kind'], string> = {
  programme: 'Programmet',
  cluster: 'Klynge',
  municipality: 'Kommune',
};

/**
 * Danish Excel: one row per group (places, phases, outcomes, paid), then, after an empty row, one row per group and
 * month. Months as YYYY-MM, amounts in kroner with a decimal comma.
 */
export function dashboardCsv(report: DashboardReport): string {
  const view = report.dashboard;
  const groups = allGroups(view);
  const header = [
    'Niveau',
    'Nøgle',
    'Navn',
    'Pladser',
    'Optaget',
    'Ledige',
    ...dashboardPhases.map((p) => phaseHeadings[p]),
    ...dashboardOutcomeTypes.map((t) => shortOutcome[t]),
    'Betalt (kr.)',
    'Heraf beskæftigelsesaktører (kr.)',
    'Heraf social accelerator (kr.)',
  ];
  const rows: CsvCell[][] = groups.map((g) => [
    kindLabels[g.kind],
    g.key,
    g.name,
    g.places,
    g.placesUsed,
    g.placesFree,
    ...dashboardPhases.map((p) => g.byPhase[p]),
    ...dashboardOutcomeTypes.map((t) => g.outcomes[t]),
    kroner(g.paidOere),
    kroner(g.paidToEmploymentActorsOere),
    kroner(g.paidToAcceleratorOere),
  ]);
  const monthly: CsvCell[][] = [
    [],
    [
      'Måned',
      'Niveau',
      'Nøgle',
      'Navn',
      'Visitationer',
      ...dashboardOutcomeTypes.map((t) => shortOutcome[t]),
      'Betalt (kr.)',
      'Heraf beskæftigelsesaktører (kr.)',
      'Heraf social accelerator (kr.)',
    ],
    ...groups.flatMap((g) =>
      g.months.map((m) => [
        m.month,
        kindLabels[g.kind],
        g.key,
        g.name,
        m.referrals,
        ...dashboardOutcomeTypes.map((t) => m.outcomes[t]),
        kroner(m.paidOere),
        kroner(m.paidToEmploymentActorsOere),
        kroner(m.paidToAcceleratorOere),
      ]),
    ),
  ];
  // Every row has the header's width (Excel shows empty cells; the check in danishCsv stays strict).
  const padded = monthly.map((row) => [...row, ...Array<CsvCell>(header.length - row.length).fill(null)]);
  return danishCsv(header, [...rows, ...padded]);
}
