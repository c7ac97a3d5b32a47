import type { Caller } from '#domain/access';
import { addMonths } from '#domain/dates';
import { formatDkk, formatWholeKroner } from '#domain/money';
import type { Distribution } from '#domain/what-if';
import { danishMonth, niceStep } from './chart-scale.ts';
import { page, scrollingTable } from './html.ts';
import { type Html, html, raw } from './html-template.ts';
import type { WhatIfReport } from './what-if-report.ts';

/**
 * The what-if page: the distribution of each municipality's net result over the draws, as a server-rendered SVG
 * (P10–P90 as a bar, the median as a mark, the extremes as whiskers, zero as a line) with the same figures in a
 * table, so a screen reader and a printout have every number the chart shows.
 */

const share = (p: number) => `${String(Math.round(p * 1000) / 10).replace('.', ',')} %`;
const round = (value: number) => Math.round(value * 10) / 10;

// The right margin holds half of the last tick label ("800.000 kr.").
const MARGIN = { left: 130, right: 44, top: 12, bottom: 44 };
const ROW = 26;
const RANGE_COLOUR = '#004b87';
const WHISKER_COLOUR = '#777';
const ZERO_COLOUR = '#b00020';

/** One row per group: whiskers min–max, a bar P10–P90, the median as a tick; one shared axis in kroner. */
export function rangeChart(id: string, title: string, groups: readonly Distribution[], width = 720): Html {
  const plotWidth = width - MARGIN.left - MARGIN.right;
  const height = MARGIN.top + groups.length * ROW + MARGIN.bottom;
  const lowest = Math.min(0, ...groups.map((g) => g.minOere)) / 100;
  const highest = Math.max(0, ...groups.map((g) => g.maxOere)) / 100;
  const step = niceStep(Math.max(highest - lowest, 1));
  const from = Math.floor(lowest / step) * step;
  const to = Math.max(Math.ceil(highest / step) * step, from + step);
  const x = (oere: number) => round(MARGIN.left + ((oere / 100 - from) / (to - from)) * plotWidth);
  const bottom = MARGIN.top + groups.length * ROW;
  const ticks: Html[] = [];
  for (let value = from; value <= to + step / 2; value += step) {
    const tx = x(value * 100);
    ticks.push(
      html`<line x1="${tx}" x2="${tx}" y1="${MARGIN.top}" y2="${bottom}" stroke="#e3e3e3"/><text x="${tx}" y="${bottom + 14}" text-anchor="middle">${formatWholeKroner(value)}</text>`,
    );
  }
  const rows = groups.map((g, i) => {
    const mid = round(MARGIN.top + i * ROW + ROW / 2);
    return html`<g data-group="${g.key}"><text x="${MARGIN.left - 8}" y="${mid + 4}" text-anchor="end">${g.name}</text>
<line x1="${x(g.minOere)}" x2="${x(g.maxOere)}" y1="${mid}" y2="${mid}" stroke="${WHISKER_COLOUR}"/>
<rect x="${x(g.p10Oere)}" y="${mid - 7}" width="${Math.max(round(x(g.p90Oere) - x(g.p10Oere)), 1)}" height="14" fill="${RANGE_COLOUR}" fill-opacity="0.35" stroke="${RANGE_COLOUR}"/>
<line x1="${x(g.p50Oere)}" x2="${x(g.p50Oere)}" y1="${mid - 9}" y2="${mid + 9}" stroke="${RANGE_COLOUR}" stroke-width="3"/></g>`;
  });
  const zero = x(0);
  const titleId = `chart-${id}-title`;
  const descId = `chart-${id}-desc`;
  const description = `Nettoresultat pr. kommune over alle trækninger: bjælken går fra P10 til P90, stregen er medianen (P50), den tynde linje går fra mindste til største værdi, og den røde lodrette linje er 0 kr. Tallene står i tabellen under figuren.`;
  return html`<svg class="chart" data-chart="${id}" role="img" aria-labelledby="${titleId} ${descId}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" font-family="system-ui, sans-serif" font-size="11" fill="#1b1b1b">
<title id="${titleId}">${title}</title>
<desc id="${descId}">${description}</desc>
${ticks}
<line x1="${zero}" x2="${zero}" y1="${MARGIN.top}" y2="${bottom}" stroke="${ZERO_COLOUR}" stroke-dasharray="4 3"/>
${rows}
<text x="${round(MARGIN.left + plotWidth / 2)}" y="${bottom + 32}" text-anchor="middle">Nettoresultat for kommunen (kr.)</text>
</svg>`;
}

/** Rules for a page showing the what-if: numeric columns, the chart, the scrolling tables. */
export const WHAT_IF_STYLE = raw(`
  table { margin-top: 1rem; }
  caption { text-align: left; font-weight: 600; }
  td.num, th.num { text-align: right; } td.num { white-space: nowrap; } td.negative { color: #b00020; }
  figure { margin: 1rem 0; } figcaption { font-weight: 600; }
  svg.chart { max-width: 100%; height: auto; }`);

function distributionTable(caption: string, groups: readonly Distribution[]): Html {
  const head = ['Navn', 'Borgere', 'Sandsynlighed for gevinst', 'P10', 'P50 (median)', 'P90', 'Middel'];
  const rows = groups.map(
    (g) =>
      html`<tr data-group="${g.key}"><td>${g.name}</td><td class="num">${g.citizens}</td><td class="num">${share(g.probabilityOfGain)}</td>${[
        g.p10Oere,
        g.p50Oere,
        g.p90Oere,
        g.meanOere,
      ].map((v) => html`<td class="num${v < 0 ? ' negative' : ''}">${formatDkk(v)}</td>`)}</tr>`,
  );
  return scrollingTable(
    `Usikkerhed: ${caption}`,
    html`<table><caption>${caption}</caption><tr>${head.map(
      (h, i) => html`<th scope="col"${i > 0 ? raw(' class="num"') : ''}>${h}</th>`,
    )}</tr>${rows}</table>`,
  );
}

/** What the net result is made of in this report: payments only, or payments and the programme's costs. */
export function netResultText(report: WhatIfReport): string {
  const costs = report.whatIf.programmeCosts;
  return costs
    ? `Fuld visning: kommunens besparelse efter dødvægt fratrukket betalingerne og programmets egne omkostninger (${formatDkk(costs.perCitizenOere)} pr. borger og ${formatDkk(costs.perCompanyOere)} pr. virksomhed, én virksomhed pr. plads).`
    : 'Kun resultatbetaling: kommunens besparelse efter dødvægt fratrukket betalingerne for resultater (programmets egne omkostninger indgår ikke).';
}

/** The chart of each municipality's distribution and the same figures as tables (programme, clusters, municipalities). */
export function whatIfFigures(report: WhatIfReport): Html {
  const w = report.whatIf;
  return html`<figure><figcaption>Fordeling af nettoresultatet pr. kommune</figcaption>${rangeChart(
    'municipalities',
    'Nettoresultat pr. kommune: P10–P90, median og yderpunkter',
    w.municipalities,
  )}</figure>
${w.programme && distributionTable('Programmet', [w.programme])}
${w.clusters.length > 0 && distributionTable('Klynger', w.clusters)}
${distributionTable('Kommuner', w.municipalities)}`;
}

/** Every assumption the draws rest on, and what the seed and P10 mean. */
export function whatIfAssumptions(report: WhatIfReport): Html {
  const w = report.whatIf;
  return html`<ul>
${w.explanations.map(
  (e) => html`<li>${e}</li>
`,
)}<li>${`Frø (seed) ${w.seed}: samme frø og samme forudsætninger giver samme tal. P10 betyder, at 10 % af trækningerne gav et lavere nettoresultat.`}</li>
</ul>`;
}

/** The what-if page's address for the same start and horizon, with changes (the view, the costs). */
export function whatIfHref(base: string, report: WhatIfReport, changes: Record<string, string> = {}): string {
  const w = report.whatIf;
  const query = new URLSearchParams({
    start: w.start,
    horizonYears: String(w.horizonYears),
    draws: String(w.draws),
    seed: String(w.seed),
    ...changes,
  });
  return `${base}/business-case/what-if?${query.toString()}`;
}

export function whatIfPage(base: string, caller: Caller, report: WhatIfReport): Html {
  const w = report.whatIf;
  const lastMonth = danishMonth(addMonths(w.horizonEnd, -1).slice(0, 7));
  const otherView = w.programmeCosts
    ? html`<a href="${whatIfHref(base, report, { view: 'pbr' })}">Vis kun resultatbetaling</a>`
    : html`<a href="${whatIfHref(base, report, { view: 'full' })}">Vis med programmets egne omkostninger (fuld visning)</a>`;
  return page(
    'Hvad nu hvis? Usikkerhed i business casen',
    html`<h1>Hvad nu hvis? Usikkerhed i business casen</h1>
<p>${`${w.draws.toLocaleString('da-DK')} simulerede forløb af et hold med én borger pr. plads, der starter ${w.start}, regnet over ${w.horizonYears} år til og med ${lastMonth}. Hver trækning trækker resultater, fastholdelse, dødvægt, satsgrupper, visitation og takstkortets niveau efter forudsætningerne nedenfor og prissætter hver borger som business casen.`}</p>
<p id="net-result">${netResultText(report)} ${otherView}.</p>
<p><a href="${base}/business-case">Tilbage til business casen</a></p>
${whatIfFigures(report)}
<h2>Forudsætninger (vores antagelser)</h2>
${whatIfAssumptions(report)}
<p class="hint">Kan ændres i adressen: ?draws=1–20000&amp;seed=0–4294967295&amp;horizonYears=1–10&amp;start=ÅÅÅÅ-MM-DD&amp;view=pbr|full&amp;costPerCitizen=kr.&amp;costPerCompany=kr.&amp;format=json</p>`,
    { wide: true, style: WHAT_IF_STYLE, caller, base },
  );
}
