import { z } from 'zod';
import { dashboard, scopeDashboard } from '#domain/dashboard';
import { loadProgrammeData, type ProgrammeData } from '#shared/business-case-data';
import { shownMunicipalities } from '#shared/business-case-query';
import { authorize } from '#shared/caller';
import { clock } from '#shared/clock';
import { type DashboardReport, dashboardCsv, dashboardPage } from '#shared/dashboard-page';
import { basePath, csvAttachment, htmlResponse, json, validate, wantsHtml } from '#shared/http';
import { places } from '#shared/programme-scale';
import { optional } from '#shared/validation';
import { wrapHttpHandler } from '#shared/wrap-handler';

/** The query, with the messages users read (Danish), one per field. */
export const dashboardQuery = z.object({
  format: optional(
    z.enum(['json', 'csv', 'html'], { error: 'Format (format) skal være json, csv eller html' }),
  ),
  /** One municipality only; every other role sees its own whether it asks or not. */
  municipality: optional(
    z
      .string({ error: 'Kommune (municipality) skal angives som kommunekode med tre cifre, fx 621' })
      .trim()
      .regex(/^\d{3}$/, {
        error: 'Kommune (municipality) skal angives som kommunekode med tre cifre, fx 621',
      }),
  ),
});

/**
 * The dashboard from the programme's data: every pathway's municipality, phase, referral date and outcomes (no
 * name, no CPR) and every payment, the company-side ones to the social accelerator included, scoped to `shown` (absent: all, with clusters and programme).
 */
export function dashboardReport(
  data: ProgrammeData,
  shown: readonly string[] | undefined,
  municipality: string | undefined,
  now: Date,
): DashboardReport {
  const board = dashboard(
    data.pathways.map(({ referral, outcomes }) => ({
      referralId: referral.referralId,
      municipality: referral.municipality,
      phase: referral.phase,
      referredOn: referral.referredOn,
      outcomes: outcomes.map((o) => ({ type: o.type, date: o.date })),
    })),
    // Both sides' payments: the citizens' results' and the social accelerator's company-side results' (issue 7).
    [...data.payments, ...(data.companyPayments ?? [])].map((p) => ({
      municipality: p.municipality,
      amountOere: p.amountOere,
      dueDate: p.dueDate,
      payee: p.payee,
    })),
    { placesOf: places },
  );
  return {
    asOf: now.toISOString(),
    options: { municipality: municipality ?? null },
    dashboard: scopeDashboard(board, shown),
  };
}

/**
 * GET /dashboard: places used and free, pathways by phase, outcomes and payments per month, per municipality,
 * per cluster and for the programme (the programme role), or for the caller's own municipality alone (every other
 * role), computed from that municipality's data only. JSON by default, the page with charts for browsers, CSV
 * for Danish Excel with `?format=csv`. `?municipality=` narrows it to one; one the caller may not see answers 404.
 */
export const handler = wrapHttpHandler('dashboard', async (event) => {
  const caller = authorize(event, 'read-dashboard');
  const query = validate(dashboardQuery, event.queryStringParameters ?? {});
  const shown = shownMunicipalities(
    caller,
    query.municipality,
    'read-dashboard',
    'Der findes ingen kommune med den kode, du har adgang til',
  );
  const report = dashboardReport(await loadProgrammeData(shown), shown, query.municipality, clock.now());
  const format = query.format ?? (wantsHtml(event) ? 'html' : 'json');
  if (format === 'csv') return csvAttachment('dashboard.csv', dashboardCsv(report));
  if (format === 'json') return json(200, report);
  return htmlResponse(200, dashboardPage(basePath(event), caller, report));
});
