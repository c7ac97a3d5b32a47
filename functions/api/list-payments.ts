import { z } from 'zod';
import { visibleMunicipalities } from '#domain/access';
import { danishDate } from '#domain/dates';
import { authorize } from '#shared/caller';
import { clock } from '#shared/clock';
import { listCompanyPayments } from '#shared/company-payment-store';
import { basePath, csvAttachment, htmlResponse, json, validate, wantsHtml } from '#shared/http';
import { listPayments } from '#shared/pathway-store';
import { companyPaymentView, type PaymentRow, paymentsCsv, paymentsPage } from '#shared/payments-page';
import { paymentView } from '#shared/referral-view';
import { optional } from '#shared/validation';
import { wrapHttpHandler } from '#shared/wrap-handler';

export const paymentsQuery = z.object({
  municipality: optional(z.string({ error: 'Kommune (municipality) skal angives som kommunekode' }).trim()),
  month: optional(
    z
      .string()
      .trim()
      .regex(/^\d{4}-(0[1-9]|1[0-2])$/, { error: 'Måned (month) skal angives som ÅÅÅÅ-MM' }),
  ),
  payee: optional(
    z.enum(['employment-actor', 'social-accelerator'], {
      error: 'Modtager (payee) skal være employment-actor eller social-accelerator',
    }),
  ),
  format: optional(z.enum(['json', 'csv', 'html'], { error: 'Format skal være json, csv eller html' })),
});

/**
 * GET /payments[?municipality=<kommunekode>][&month=YYYY-MM][&payee=…]: the payments of the municipalities the
 * caller may see (finance: its own; the programme: all), newest first, optionally only those falling due in a month
 * or to one kind of payee. Asking for another municipality gives an empty list, never its payments. JSON by
 * default, finance's Danish page for browsers, a file for Danish Excel with `format=csv`.
 *
 * The list holds both sides of the double-sided model (issue 7): each row's `kind` says which. `citizen`: a
 * citizen's result, the pathway's payment view as before (its fields unchanged); `company`: a company-side
 * result paid to the social accelerator, with the company (`company.cvr`, `company.name`) and `cohortId` in
 * place of the outcome, and for a hire the hired citizen's `referralId` (null for the social model).
 */
export const handler = wrapHttpHandler('list-payments', async (event) => {
  const caller = authorize(event, 'read-payments');
  const query = validate(paymentsQuery, event.queryStringParameters ?? {});
  const visible = visibleMunicipalities(caller, 'read-payments');
  const wanted = query.municipality;
  const municipalities =
    wanted === undefined ? visible : (visible ?? [wanted]).filter((code) => code === wanted);
  const [citizens, companies] = await Promise.all([
    listPayments(municipalities),
    listCompanyPayments(municipalities),
  ]);
  const matches = (p: { dueDate: string; payee: string }) =>
    (query.month === undefined || p.dueDate.startsWith(`${query.month}-`)) &&
    (query.payee === undefined || p.payee === query.payee);
  const views: PaymentRow[] = [
    ...citizens.filter(matches).map((p) => ({ kind: 'citizen' as const, ...paymentView(p) })),
    ...companies.filter(matches).map(companyPaymentView),
  ];
  views.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.paymentId.localeCompare(b.paymentId));
  const format = query.format ?? (wantsHtml(event) ? 'html' : 'json');
  if (format === 'csv') return csvAttachment('betalinger.csv', paymentsCsv(views));
  if (format === 'html')
    return htmlResponse(200, paymentsPage(basePath(event), caller, views, query, danishDate(clock.now())));
  return json(200, views);
});
