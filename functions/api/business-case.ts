import { z } from 'zod';
import { visibleMunicipalities } from '#domain/access';
import { DEFAULT_HORIZON_YEARS, defaultProgrammeCosts } from '#domain/business-case';
import { findMunicipality } from '#domain/programme';
import { defaultSavingsAssumptions } from '#domain/savings';
import { businessCaseReport, loadProgrammeData } from '#shared/business-case-data';
import { businessCaseCsv, businessCasePage } from '#shared/business-case-page';
import { authorize } from '#shared/caller';
import { clock } from '#shared/clock';
import { basePath, csvAttachment, HttpError, htmlResponse, json, validate, wantsHtml } from '#shared/http';
import { isoDate, wholeNumber } from '#shared/validation';
import { wrapHttpHandler } from '#shared/wrap-handler';

/** An empty query value (`?horizonYears=`) means "the default", as an empty form field would. */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

/** The query, with the messages users read (Danish), one per field. */
export const businessCaseQuery = z.object({
  horizonYears: optional(
    wholeNumber('Horisonten (horizonYears) skal være et helt antal år fra 1 til 10', 1, 10),
  ),
  deadweight: optional(
    wholeNumber('Dødvægt (deadweight) skal angives i basispoint, et helt tal fra 0 til 10000', 0, 10_000),
  ),
  retention: optional(
    wholeNumber('Fastholdelse (retention) skal angives i basispoint, et helt tal fra 0 til 10000', 0, 10_000),
  ),
  // The programme began in 2019; a start far in the future has no months to show and no meaning.
  start: optional(
    isoDate('Startdato (start)').refine((d) => d >= '2019-01-01' && d <= '2100-12-31', {
      error: 'Startdato (start) skal ligge mellem 2019-01-01 og 2100-12-31',
    }),
  ),
  format: optional(z.enum(['json', 'csv', 'html'], { error: 'Format skal være json, csv eller html' })),
  basis: optional(
    z.enum(['confirmed', 'expected'], {
      error: 'Grundlag (basis) skal være confirmed (bekræftet) eller expected (forventet)',
    }),
  ),
  costPerCitizen: optional(
    wholeNumber(
      'Omkostning pr. borger (costPerCitizen) skal være et helt antal kroner fra 0 til 10.000.000',
      0,
      10_000_000,
    ),
  ),
  costPerCompany: optional(
    wholeNumber(
      'Omkostning pr. virksomhed (costPerCompany) skal være et helt antal kroner fra 0 til 10.000.000',
      0,
      10_000_000,
    ),
  ),
  /** One municipality's business case only (kommunekode); finance sees its own whether it asks or not. */
  municipality: optional(z.string({ error: 'Kommune (municipality) skal angives som kommunekode' }).trim()),
});

/**
 * GET /business-case: the municipalities' business case per municipality, per cluster and for the programme
 * (the programme role), or for the caller's own municipality alone (finance), computed from that
 * municipality's data only. JSON by default, the page with charts for browsers, CSV for Danish Excel with
 * `?format=csv`. `?municipality=` narrows it to one; another municipality than the caller's own answers 404.
 */
export const handler = wrapHttpHandler('business-case', async (event) => {
  const caller = authorize(event, 'read-business-case');
  const query = validate(businessCaseQuery, event.queryStringParameters ?? {});
  const visible = visibleMunicipalities(caller, 'read-business-case');
  const wanted = query.municipality;
  const municipalities =
    wanted === undefined ? visible : (visible ?? [wanted]).filter((code) => code === wanted);
  if (municipalities !== undefined && !municipalities.some((code) => findMunicipality(code))) {
    throw new HttpError(404, [
      { field: 'municipality', message: 'Der findes ingen business case, du har adgang til' },
    ]);
  }
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
      programmeCosts: {
        perCitizenOere:
          query.costPerCitizen === undefined
            ? defaultProgrammeCosts.perCitizenOere
            : query.costPerCitizen * 100,
        perCompanyOere:
          query.costPerCompany === undefined
            ? defaultProgrammeCosts.perCompanyOere
            : query.costPerCompany * 100,
      },
    },
    clock.now(),
  );
  const format = query.format ?? (wantsHtml(event) ? 'html' : 'json');
  if (format === 'csv') {
    return csvAttachment('business-case.csv', businessCaseCsv(report));
  }
  return format === 'html'
    ? htmlResponse(200, businessCasePage(basePath(event), caller, report))
    : json(200, report);
});
