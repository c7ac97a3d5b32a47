import { z } from 'zod';
import { DEFAULT_HORIZON_YEARS } from '#domain/business-case';
import { defaultSavingsAssumptions } from '#domain/savings';
import { businessCaseReport, loadProgrammeData } from '#shared/business-case-data';
import { businessCaseCsv, businessCasePage } from '#shared/business-case-page';
import { programmeCostsOf, sharedCaseFields, shownMunicipalities } from '#shared/business-case-query';
import { authorize } from '#shared/caller';
import { clock } from '#shared/clock';
import { basePath, csvAttachment, htmlResponse, json, validate, wantsHtml } from '#shared/http';
import { optional, wholeNumber } from '#shared/validation';
import { whatIfReport } from '#shared/what-if-report';
import { wrapHttpHandler } from '#shared/wrap-handler';

/** The query, with the messages users read (Danish), one per field, in the order the messages are listed. */
export const businessCaseQuery = z.object({
  horizonYears: sharedCaseFields.horizonYears,
  deadweight: optional(
    wholeNumber('Dødvægt (deadweight) skal angives i basispoint, et helt tal fra 0 til 10000', 0, 10_000),
  ),
  retention: optional(
    wholeNumber('Fastholdelse (retention) skal angives i basispoint, et helt tal fra 0 til 10000', 0, 10_000),
  ),
  start: sharedCaseFields.start,
  format: optional(z.enum(['json', 'csv', 'html'], { error: 'Format skal være json, csv eller html' })),
  basis: optional(
    z.enum(['confirmed', 'expected'], {
      error: 'Grundlag (basis) skal være confirmed (bekræftet) eller expected (forventet)',
    }),
  ),
  costPerCitizen: sharedCaseFields.costPerCitizen,
  costPerCompany: sharedCaseFields.costPerCompany,
  municipality: sharedCaseFields.municipality,
});

/**
 * GET /business-case: the municipalities' business case per municipality, per cluster and for the programme
 * (the programme role), or for the caller's own municipality alone (finance), computed from that
 * municipality's data only. JSON by default, the page with charts for browsers, CSV for Danish Excel with
 * `?format=csv`. `?municipality=` narrows it to one; another municipality than the caller's own answers 404.
 * The page also shows the what-if distribution (functions/shared/what-if-report.ts) for the same start and horizon.
 */
export const handler = wrapHttpHandler('business-case', async (event) => {
  const caller = authorize(event, 'read-business-case');
  const query = validate(businessCaseQuery, event.queryStringParameters ?? {});
  const municipalities = shownMunicipalities(caller, query.municipality);
  const now = clock.now();
  const report = businessCaseReport(
    await loadProgrammeData(municipalities),
    {
      municipalities,
      start: query.start,
      horizonYears: query.horizonYears ?? DEFAULT_HORIZON_YEARS,
      // No deadweight given: each citizen's by readiness (domain/deadweight.ts); given: one figure for all.
      assumptions: {
        deadweightBasisPoints: query.deadweight,
        annualRetentionBasisPoints: query.retention ?? defaultSavingsAssumptions.annualRetentionBasisPoints,
      },
      basis: query.basis,
      programmeCosts: programmeCostsOf(query),
    },
    now,
  );
  const format = query.format ?? (wantsHtml(event) ? 'html' : 'json');
  if (format === 'csv') {
    return csvAttachment('business-case.csv', businessCaseCsv(report));
  }
  if (format === 'json') return json(200, report);
  // The page shows the same question under uncertainty for the same start and horizon: the what-if's defaults
  // (draws, seed), payments only, so its figures equal GET /business-case/what-if's for that address.
  const whatIf = whatIfReport(
    { start: report.options.start, horizonYears: report.options.horizonYears },
    municipalities,
    now,
  );
  return htmlResponse(200, businessCasePage(basePath(event), caller, report, whatIf));
});
