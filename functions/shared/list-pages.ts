import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { z } from 'zod';
import type { Caller } from '#domain/access';
import { danishDay, type IsoDate } from '#domain/dates';
import { type Phase, phases } from '#domain/pathway';
import type { TaskKind } from '#domain/worklist';
import { page } from './html.ts';
import { type Html, html, raw } from './html-template.ts';
import { HttpError } from './http.ts';
import { phaseLabels } from './labels.ts';

/**
 * The lists people work from: a municipality's pathways (GET /referrals) and what needs doing today (GET /tasks),
 * as JSON and as Danish pages, and the opaque page cursor of the pathway list.
 */

// ---- The page cursor ----

/** The index position a page ends at, as the client gets it back: base64url of its keys, nothing else. */
const cursorSchema = z.object({
  pk: z.object({ S: z.string().regex(/^SUMMARY#[0-9a-f-]{36}$/) }),
  sk: z.object({ S: z.literal('SUMMARY') }),
  gsi2pk: z.object({ S: z.string().regex(/^PATHWAYS#\d{3}$/) }),
  gsi2sk: z.object({ S: z.string().regex(/^\d{4}-\d{2}-\d{2}#[0-9a-f-]{36}$/) }),
});

export function encodeCursor(key: Record<string, AttributeValue>): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** A cursor of this municipality's list, or a 400: one made up, or taken from another municipality's list. */
export function decodeCursor(
  cursor: string,
  municipality: string | undefined,
): Record<string, AttributeValue> {
  const invalid = () => new HttpError(400, [{ field: 'cursor', message: 'Siden (cursor) er ugyldig' }]);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const key = cursorSchema.safeParse(parsed);
  if (!key.success || key.data.gsi2pk.S !== `PATHWAYS#${municipality}`) throw invalid();
  return key.data;
}

// ---- The pathway list ----

export interface PathwayListItem {
  referralId: string;
  name: string;
  phase: Phase;
  phaseEndsOn: IsoDate | null;
  nextDeadline: IsoDate | null;
  closedReason: 'completed' | 'dropout' | null;
  /** Open tasks, whatever the day (the worklist shows those due). */
  tasks: number;
}

export interface PathwayListReport {
  today: IsoDate;
  /** The municipality listed; null when the programme has not picked one (counts only). */
  municipality: string | null;
  filters: { phase: Phase | null; q: string | null; limit: number };
  counts: { municipality: string; name: string; phases: Record<string, number> }[];
  items: PathwayListItem[];
  nextCursor: string | null;
}

const LIST_STYLE = raw(`
  td.num, th.num { text-align: right; }
  .filters { display: flex; flex-wrap: wrap; gap: 0 1rem; align-items: flex-end; }
  .filters > div { flex: 1 1 12rem; } .filters button { margin-top: 1rem; }
  nav.pages { margin-top: 1rem; }`);

function countsTable(base: string, report: PathwayListReport): Html {
  const linked = report.municipality === null;
  return html`<table id="phase-counts"><caption>Forløb pr. fase</caption><tr><th scope="col">Kommune</th>${phases.map(
    (p) => html`<th scope="col" class="num">${phaseLabels[p]}</th>`,
  )}<th scope="col" class="num">I alt</th></tr>${report.counts.map((row) => {
    const total = phases.reduce((sum, p) => sum + (row.phases[p] ?? 0), 0);
    return html`<tr data-municipality="${row.municipality}"><td>${
      linked ? html`<a href="${base}/referrals?municipality=${row.municipality}">${row.name}</a>` : row.name
    }</td>${phases.map((p) => html`<td class="num">${row.phases[p] ?? 0}</td>`)}<td class="num">${total}</td></tr>`;
  })}</table>`;
}

export function pathwayListPage(base: string, caller: Caller, report: PathwayListReport): Html {
  const { filters } = report;
  const municipalityField = report.municipality
    ? html`<input type="hidden" name="municipality" value="${report.municipality}">`
    : '';
  const rows = report.items.map(
    (item) =>
      html`<tr data-referral="${item.referralId}"><td><a href="${base}/referrals/${item.referralId}">${item.name}</a></td><td>${phaseLabels[item.phase] ?? item.phase}</td><td>${danishDay(item.nextDeadline)}</td><td>${danishDay(item.phaseEndsOn)}</td><td class="num">${item.tasks}</td></tr>`,
  );
  const next = report.nextCursor
    ? html`<nav class="pages" aria-label="Sider"><a id="next-page" href="${`${base}/referrals?${new URLSearchParams(
        {
          ...(report.municipality ? { municipality: report.municipality } : {}),
          ...(filters.phase ? { phase: filters.phase } : {}),
          ...(filters.q ? { q: filters.q } : {}),
          limit: String(filters.limit),
          cursor: report.nextCursor,
        },
      ).toString()}`}">Næste side</a></nav>`
    : '';
  const list = report.municipality
    ? html`<h2>Borgerforløb</h2>
<form method="get" action="${base}/referrals" class="filters" role="search">
  ${municipalityField}
  <div><label for="q">Søg på navn</label><input id="q" name="q" value="${filters.q ?? ''}" autocomplete="off"></div>
  <div><label for="phase">Fase</label><select id="phase" name="phase"><option value="">Alle faser</option>${phases.map(
    (p) =>
      html`<option value="${p}"${filters.phase === p ? raw(' selected') : ''}>${phaseLabels[p]}</option>`,
  )}</select></div>
  <div><button type="submit">Vis</button></div>
</form>
${
  report.items.length > 0
    ? html`<table id="pathways"><caption>Sorteret efter næste frist</caption><tr><th scope="col">Navn</th><th scope="col">Fase</th><th scope="col">Næste frist</th><th scope="col">Fasen slutter</th><th scope="col" class="num">Åbne opgaver</th></tr>${rows}</table>`
    : html`<p id="no-pathways">Ingen forløb matcher.</p>`
}
${next}`
    : html`<p>Vælg en kommune for at se dens borgerforløb.</p>`;
  return page(
    'Borgerforløb',
    html`<h1>Borgerforløb</h1>
${countsTable(base, report)}
${list}`,
    { caller, base, wide: true, style: LIST_STYLE },
  );
}

// ---- The worklist ----

export interface WorklistItem {
  referralId: string;
  name: string;
  kind: TaskKind;
  due: IsoDate;
  /** Past its due date today. */
  overdue: boolean;
  /** What to do, in Danish. */
  text: string;
  /** Where it is done: the form on the pathway page. */
  href: string;
}

export interface WorklistReport {
  today: IsoDate;
  municipality: string;
  tasks: WorklistItem[];
}

export function worklistPage(base: string, caller: Caller, report: WorklistReport): Html {
  const rows = report.tasks.map(
    (t) =>
      html`<tr data-referral="${t.referralId}" data-task="${t.kind}"><td>${danishDay(t.due)}${
        t.overdue ? html` <strong class="overdue">overskredet</strong>` : ''
      }</td><td><a href="${t.href}">${t.name}</a></td><td>${t.text}</td></tr>`,
  );
  return page(
    'Opgaver',
    html`<h1>Opgaver</h1>
<p>${`Det, der skal gøres i dag (${danishDay(report.today)}) og er overskredet, ældste frist først. En opgave forsvinder, når den er løst på forløbets side.`}</p>
${
  report.tasks.length > 0
    ? html`<table id="tasks"><caption>Opgaver efter frist</caption><tr><th scope="col">Frist</th><th scope="col">Borger</th><th scope="col">Opgave</th></tr>${rows}</table>`
    : html`<p id="no-tasks">Ingen opgaver i dag.</p>`
}
<p><a href="${base}/referrals">Alle borgerforløb</a></p>`,
    { caller, base, style: raw('.overdue { color: #b00020; }') },
  );
}

/** What a task asks, in Danish, and the form on the pathway page that resolves it. */
export function describeTask(
  task: { kind: TaskKind; weeks?: number; phase?: Phase },
  referralId: string,
  base: string,
): { text: string; href: string } {
  const pathway = `${base}/referrals/${referralId}`;
  switch (task.kind) {
    case 'confirm-milestone':
      return {
        text: `Bekræft ${task.weeks}-ugers milepælen: er borgeren stadig i job eller uddannelse?`,
        href: `${pathway}#confirm-milestone`,
      };
    case 'place-induction':
      return {
        text: 'Registrér, hvor virksomhedsindslusningen foregår',
        href: `${pathway}#placement-form`,
      };
    case 'phase-ending':
      return {
        text: `Fasen "${phaseLabels[task.phase ?? ''] ?? task.phase}" slutter snart`,
        href: pathway,
      };
    case 'workflow-failed':
      return { text: 'Et automatisk trin fejlede: se forløbet, eller kontakt driften', href: pathway };
  }
}
