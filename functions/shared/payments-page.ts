import { type Caller, scopeOf } from '#domain/access';
import { companyResultLabels } from '#domain/company-results';
import { type CsvCell, danishCsv, kroner } from '#domain/csv';
import { danishDay } from '#domain/dates';
import { formatDkk } from '#domain/money';
import type { Payee } from '#domain/rate-card';
import type { CompanyPaymentRecord } from './company-payment-store.ts';
import { page, scrollingTable, statementsForm } from './html.ts';
import { type Html, html, raw } from './html-template.ts';
import { paymentRuleLabels } from './labels.ts';
import type { paymentView } from './referral-view.ts';

/**
 * Finance's payments (GET /payments) as a Danish page with filters and as a file for Danish Excel: the citizens'
 * results' payments and, beside them, the social accelerator's company-side results' (issue 7), each row telling
 * which by `kind`.
 */

export type PaymentView = ReturnType<typeof paymentView>;

/** A citizen's result's payment: the pathway's payment view as it always was, with its kind. */
export type CitizenPaymentRow = PaymentView & { kind: 'citizen' };

/**
 * A company-side result's payment to the social accelerator: instead of a pathway, the company (CVR number and
 * name, business data) and the cohort; for a hire also the hired citizen's pathway reference (never a CPR number).
 */
export function companyPaymentView(p: CompanyPaymentRecord) {
  return {
    kind: 'company' as const,
    paymentId: p.paymentId,
    resultId: p.resultId,
    rule: p.rule,
    amountOere: p.amountOere,
    amount: formatDkk(p.amountOere),
    cappedFromOere: p.cappedFromOere ?? null,
    rateCardVersion: p.rateCardVersion,
    dueDate: p.dueDate,
    resultDate: p.resultDate,
    municipality: p.municipality,
    payee: { kind: p.payee, id: p.payeeId, name: p.payeeName },
    company: { cvr: p.cvr, name: p.companyName },
    cohortId: p.cohortId,
    referralId: p.referralId ?? null,
    createdAt: p.createdAt,
    recordedBy: p.recordedBy,
    notifiedAt: p.notifiedAt ?? null,
  };
}
export type CompanyPaymentView = ReturnType<typeof companyPaymentView>;

export type PaymentRow = CitizenPaymentRow | CompanyPaymentView;

/** The result a row pays for, in Danish. */
export function resultLabel(row: PaymentRow): string {
  return row.kind === 'company' ? companyResultLabels[row.rule] : (paymentRuleLabels[row.rule] ?? row.rule);
}

/** The company a company-side payment is for, as finance reads it. */
export function companyReference(row: CompanyPaymentView): string {
  return `${row.company.name} (CVR ${row.company.cvr}), hold ${row.cohortId}`;
}

const kindLabels: Record<PaymentRow['kind'], string> = {
  citizen: 'Borgerresultat',
  company: 'Virksomhedsresultat',
};

export interface PaymentFilters {
  municipality?: string;
  /** YYYY-MM: payments falling due in that month. */
  month?: string;
  payee?: Payee;
}

export const payeeLabels: Record<Payee, string> = {
  'employment-actor': 'Beskæftigelsesaktør',
  'social-accelerator': 'Social accelerator',
};

function filterQuery(filters: PaymentFilters, extra: Record<string, string> = {}): string {
  const query = new URLSearchParams({
    ...(filters.municipality ? { municipality: filters.municipality } : {}),
    ...(filters.month ? { month: filters.month } : {}),
    ...(filters.payee ? { payee: filters.payee } : {}),
    ...extra,
  });
  return query.toString();
}

export function paymentsPage(
  base: string,
  caller: Caller,
  payments: readonly PaymentRow[],
  filters: PaymentFilters,
  today: string,
): Html {
  const total = payments.reduce((sum, p) => sum + p.amountOere, 0);
  const rows = payments.map(
    (p) =>
      html`<tr data-payment="${p.paymentId}"><td>${danishDay(p.dueDate)}</td><td>${p.payee.name}</td><td>${resultLabel(p)}</td><td class="num">${p.amount}</td><td>${p.rateCardVersion}</td><td data-kind="${p.kind}">${
        p.kind === 'company'
          ? html`<span class="company" data-cvr="${p.company.cvr}">${companyReference(p)}</span>`
          : html`<code>${p.referralId}</code>`
      }</td><td>${p.notifiedAt ? 'ja' : 'nej'}</td></tr>`,
  );
  return page(
    'Betalinger',
    html`<h1>Betalinger</h1>
<form method="get" action="${base}/payments" class="filters">
  ${filters.municipality ? html`<input type="hidden" name="municipality" value="${filters.municipality}">` : ''}
  <div><label for="month">Forfaldsmåned</label><input id="month" name="month" type="month" value="${filters.month ?? ''}"></div>
  <div><label for="payee">Modtager</label><select id="payee" name="payee"><option value="">Alle modtagere</option>${(
    Object.entries(payeeLabels) as [Payee, string][]
  ).map(
    ([value, label]) =>
      html`<option value="${value}"${filters.payee === value ? raw(' selected') : ''}>${label}</option>`,
  )}</select></div>
  <div><button type="submit">Vis</button></div>
</form>
<p id="total">${`${payments.length} betaling(er), i alt ${formatDkk(total)}`} <a class="button" href="${`${base}/payments?${filterQuery(filters, { format: 'csv' })}`}">Hent som CSV (Excel)</a></p>
${
  payments.length > 0
    ? scrollingTable(
        'Betalinger',
        html`<table id="payments"><caption>Nyeste først</caption><tr><th scope="col">Forfaldsdato</th><th scope="col">Modtager</th><th scope="col">Resultat</th><th scope="col" class="num">Beløb</th><th scope="col">Takstkort</th><th scope="col">Reference (forløb eller virksomhed)</th><th scope="col">Meddelt økonomi</th></tr>${rows}</table>`,
      )
    : html`<p id="no-payments">Ingen betalinger matcher.</p>`
}
<p class="hint">Borgerreferencen er forløbets id; CPR-numre vises aldrig. Betalinger for virksomhedsresultater (den sociale accelerators side) vises med virksomhedens navn, CVR-nummer og hold.</p>
${scopeOf(caller.role, 'read-statements') ? statementsForm(base, caller, filters.month ?? today.slice(0, 7)) : ''}`,
    {
      caller,
      base,
      wide: true,
      style: raw(`
  td.num, th.num { text-align: right; } td.num { white-space: nowrap; }
  caption { text-align: left; font-weight: 600; }
  .filters { display: flex; flex-wrap: wrap; gap: 0 1rem; align-items: flex-end; }
  .filters > div { flex: 1 1 12rem; }
  a.button { display: inline-block; margin-left: .5rem; padding: .4rem 1rem; background: #004b87; color: #fff; text-decoration: none; }`),
    },
  );
}

/**
 * One row per payment; amounts in kroner with a decimal comma. The company-side columns come last, so the
 * citizens' columns keep their places; a hire's row has the hired citizen's pathway as its citizen reference.
 */
export function paymentsCsv(payments: readonly PaymentRow[]): string {
  const header = [
    'Forfaldsdato',
    'Kommune',
    'Modtager',
    'Modtagertype',
    'Resultat',
    'Beløb (kr.)',
    'Takstkort',
    'Betalings-id',
    'Borgerreference (forløb)',
    'Meddelt økonomi',
    'Resultattype',
    'Virksomhed',
    'CVR',
    'Hold',
  ];
  const rows: CsvCell[][] = payments.map((p) => [
    p.dueDate,
    p.municipality,
    p.payee.name,
    payeeLabels[p.payee.kind as Payee] ?? p.payee.kind,
    resultLabel(p),
    kroner(p.amountOere),
    p.rateCardVersion,
    p.paymentId,
    p.referralId,
    p.notifiedAt ? 'ja' : 'nej',
    kindLabels[p.kind],
    p.kind === 'company' ? p.company.name : null,
    p.kind === 'company' ? p.company.cvr : null,
    p.kind === 'company' ? p.cohortId : null,
  ]);
  return danishCsv(header, rows);
}
