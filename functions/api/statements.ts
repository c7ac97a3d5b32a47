import { z } from 'zod';
import { mayAccess } from '#domain/access';
import { type CompanyResultKind, companyResultLabels } from '#domain/company-results';
import { type CsvCell, danishCsv, kroner } from '#domain/csv';
import { formatDkk, type Oere } from '#domain/money';
import { findMunicipality, type Municipality, socialAccelerator } from '#domain/programme';
import type { Payee } from '#domain/rate-card';
import { authorize } from '#shared/caller';
import { clock } from '#shared/clock';
import { type CompanyPaymentRecord, listCompanyPayments } from '#shared/company-payment-store';
import { csvAttachment, HttpError, json, validate } from '#shared/http';
import { paymentRuleLabels } from '#shared/labels';
import { listPayments, type PaymentRecord } from '#shared/pathway-store';
import { wrapHttpHandler } from '#shared/wrap-handler';

/**
 * GET /statements?municipality=<kommunekode>&month=YYYY-MM[&payee=<payeeId>][&format=csv]: the monthly
 * statement finance pays from (finance: its own municipality, which is also the default; the programme: any). Per payee (the municipality's employment actor and the social accelerator),
 * every payment whose due date falls in the month, each traceable to its result, its pathway (the citizen
 * reference, never the CPR number) and the rate card version that priced it. The social accelerator's lines also
 * hold its company-side results (issue 7), each with the company (CVR number and name) and cohort as its reference.
 */
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

export const statementQuery = z.object({
  /** Absent: the caller's own municipality (the programme role has none and must say which). */
  municipality: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z
      .string({ error: 'Kommune (municipality) skal angives som kommunekode' })
      .trim()
      .refine((code) => findMunicipality(code) !== undefined, {
        error: 'Ukendt kommune: angiv kommunekoden for en af programmets kommuner',
      })
      .optional(),
  ),
  month: z
    .string({ error: 'Måned (month) skal angives som ÅÅÅÅ-MM' })
    .trim()
    .regex(MONTH, { error: 'Måned (month) skal angives som ÅÅÅÅ-MM' }),
  payee: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.string({ error: 'Betalingsmodtager (payee) skal være et id' }).trim().optional(),
  ),
  format: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.enum(['json', 'csv'], { error: 'Format skal være json eller csv' }).optional(),
  ),
});

export interface StatementPayee {
  kind: Payee;
  id: string;
  name: string;
}

/** A line for a citizen's result. */
export interface StatementLine {
  kind: 'citizen';
  paymentId: string;
  dueDate: string;
  rule: string;
  /** What the payment was for, in Danish (functions/shared/labels.ts). */
  result: string;
  /** The citizen reference: the pathway's id. */
  referralId: string;
  rateCardVersion: string;
  amountOere: Oere;
  amount: string;
  /** The rate card's amount when a cap made the payment smaller. */
  cappedFromOere: Oere | null;
}

/** A line for a company-side result paid to the social accelerator: the company is its reference. */
export interface CompanyStatementLine {
  kind: 'company';
  paymentId: string;
  dueDate: string;
  rule: CompanyResultKind;
  /** What the payment was for, in Danish (domain/company-results.ts). */
  result: string;
  company: { cvr: string; name: string };
  cohortId: string;
  /** For a hire: the hired citizen's pathway; null for the social model. */
  referralId: string | null;
  rateCardVersion: string;
  amountOere: Oere;
  amount: string;
  cappedFromOere: Oere | null;
}

export type AnyStatementLine = StatementLine | CompanyStatementLine;

export interface PayeeStatement {
  payee: StatementPayee;
  lines: AnyStatementLine[];
  totalOere: Oere;
  total: string;
}

export interface Statement {
  municipality: { code: string; name: string };
  month: string;
  asOf: string;
  payees: PayeeStatement[];
  totalOere: Oere;
  total: string;
}

/** Who a municipality pays: its own employment actor and, for jobs with accelerator companies, the accelerator. */
export function payeesOf(municipality: Municipality): StatementPayee[] {
  return [
    { kind: 'employment-actor', ...municipality.employmentActor },
    { kind: 'social-accelerator', ...socialAccelerator },
  ];
}

function line(payment: PaymentRecord): StatementLine {
  return {
    kind: 'citizen',
    paymentId: payment.paymentId,
    dueDate: payment.dueDate,
    rule: payment.rule,
    result: paymentRuleLabels[payment.rule] ?? payment.rule,
    referralId: payment.referralId,
    rateCardVersion: payment.rateCardVersion,
    amountOere: payment.amountOere,
    amount: formatDkk(payment.amountOere),
    cappedFromOere: payment.cappedFromOere ?? null,
  };
}

function companyLine(payment: CompanyPaymentRecord): CompanyStatementLine {
  return {
    kind: 'company',
    paymentId: payment.paymentId,
    dueDate: payment.dueDate,
    rule: payment.rule,
    result: companyResultLabels[payment.rule],
    company: { cvr: payment.cvr, name: payment.companyName },
    cohortId: payment.cohortId,
    referralId: payment.referralId ?? null,
    rateCardVersion: payment.rateCardVersion,
    amountOere: payment.amountOere,
    amount: formatDkk(payment.amountOere),
    cappedFromOere: payment.cappedFromOere ?? null,
  };
}

const sum = (amounts: readonly Oere[]) => amounts.reduce((total, a) => total + a, 0);

/** Both sides' payments, the citizens' results' and the companies' (issue 7). */
export interface StatementPayments {
  payments: readonly PaymentRecord[];
  companyPayments?: readonly CompanyPaymentRecord[];
}

/**
 * The statement of one municipality and month, from all payments. Every payee of the municipality is listed,
 * with no lines when nothing falls due to it that month; a payee the programme does not know but a payment
 * names is listed too, so no payment is ever left off. `payeeId` narrows it to one payee. A payee's lines, the
 * citizens' and the companies' together, are in order of due date and payment id.
 */
export function monthlyStatement(
  { payments, companyPayments = [] }: StatementPayments,
  municipality: Municipality,
  month: string,
  asOf: string,
  payeeId?: string,
): Statement {
  const inMonth = (p: { municipality: string; dueDate: string }) =>
    p.municipality === municipality.code && p.dueDate.startsWith(`${month}-`);
  const due = [
    ...payments
      .filter(inMonth)
      .map((p) => ({ payeeId: p.payeeId, payee: p.payee, payeeName: p.payeeName, line: line(p) })),
    ...companyPayments
      .filter(inMonth)
      .map((p) => ({ payeeId: p.payeeId, payee: p.payee, payeeName: p.payeeName, line: companyLine(p) })),
  ].sort(
    (a, b) =>
      a.line.dueDate.localeCompare(b.line.dueDate) || a.line.paymentId.localeCompare(b.line.paymentId),
  );
  const payees = payeesOf(municipality);
  for (const payment of due) {
    if (!payees.some((p) => p.id === payment.payeeId)) {
      payees.push({ kind: payment.payee, id: payment.payeeId, name: payment.payeeName });
    }
  }
  const statements = payees
    .filter((payee) => payeeId === undefined || payee.id === payeeId)
    .map((payee) => {
      const lines = due.filter((p) => p.payeeId === payee.id).map((p) => p.line);
      const totalOere = sum(lines.map((l) => l.amountOere));
      return { payee, lines, totalOere, total: formatDkk(totalOere) };
    });
  const totalOere = sum(statements.map((s) => s.totalOere));
  return {
    municipality: { code: municipality.code, name: municipality.name },
    month,
    asOf,
    payees: statements,
    totalOere,
    total: formatDkk(totalOere),
  };
}

/**
 * The statement as Danish Excel opens it: one row per payment, then a total row per payee. A company-side line has
 * the company and cohort in the last columns (the citizens' columns keep their places) and, for a hire, the hired
 * citizen's pathway as its citizen reference.
 */
export function statementCsv(statement: Statement): string {
  const header = [
    'Kommune',
    'Måned',
    'Betalingsmodtager',
    'Modtager-id',
    'Betalings-id',
    'Forfaldsdato',
    'Resultat',
    'Borgerreference (forløb)',
    'Takstkort',
    'Beløb (kr.)',
    'Virksomhed',
    'CVR',
    'Hold',
  ];
  const place = [`${statement.municipality.name} (${statement.municipality.code})`, statement.month];
  const rows: CsvCell[][] = statement.payees.flatMap(({ payee, lines, totalOere }) => [
    ...lines.map((l) => [
      ...place,
      payee.name,
      payee.id,
      l.paymentId,
      l.dueDate,
      l.result,
      l.referralId,
      l.rateCardVersion,
      kroner(l.amountOere),
      l.kind === 'company' ? l.company.name : null,
      l.kind === 'company' ? l.company.cvr : null,
      l.kind === 'company' ? l.cohortId : null,
    ]),
    [...place, payee.name, payee.id, null, null, 'I alt', null, null, kroner(totalOere), null, null, null],
  ]);
  return danishCsv(header, rows);
}

/** Another municipality's statement: no statement, and no word of whose it would have been. */
const noStatement = () =>
  new HttpError(404, [{ field: 'municipality', message: 'Der findes ingen opgørelse, du har adgang til' }]);

export const handler = wrapHttpHandler('statements', async (event) => {
  const caller = authorize(event, 'read-statements');
  const query = validate(statementQuery, event.queryStringParameters ?? {});
  const code = query.municipality ?? caller.municipality;
  if (code === undefined) {
    throw new HttpError(400, [
      { field: 'municipality', message: 'Kommune (municipality) skal angives som kommunekode' },
    ]);
  }
  if (!mayAccess(caller, 'read-statements', code)) throw noStatement();
  // Validated above (or the caller's own): the code is one of the programme's.
  const municipality = findMunicipality(code);
  if (!municipality) throw noStatement();
  if (query.payee !== undefined && !payeesOf(municipality).some((p) => p.id === query.payee)) {
    throw new HttpError(400, [
      {
        field: 'payee',
        message: `Ukendt betalingsmodtager for ${municipality.name}: brug ${payeesOf(municipality)
          .map((p) => p.id)
          .join(' eller ')}`,
      },
    ]);
  }
  const [payments, companyPayments] = await Promise.all([
    listPayments([municipality.code]),
    listCompanyPayments([municipality.code]),
  ]);
  const statement = monthlyStatement(
    { payments, companyPayments },
    municipality,
    query.month,
    clock.now().toISOString(),
    query.payee,
  );
  if (query.format === 'csv') {
    return csvAttachment(`statement-${municipality.code}-${query.month}.csv`, statementCsv(statement));
  }
  return json(200, statement);
});
