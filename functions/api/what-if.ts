import { z } from 'zod';
import { DEFAULT_HORIZON_YEARS } from '#domain/business-case';
import { danishDate } from '#domain/dates';
import { MAX_DRAWS } from '#domain/what-if';
import { programmeCostsOf, sharedCaseFields, shownMunicipalities } from '#shared/business-case-query';
import { authorize } from '#shared/caller';
import { clock } from '#shared/clock';
import { basePath, htmlResponse, json, validate, wantsHtml } from '#shared/http';
import { optional, wholeNumber } from '#shared/validation';
import { whatIfPage } from '#shared/what-if-page';
import { whatIfReport } from '#shared/what-if-report';
import { wrapHttpHandler } from '#shared/wrap-handler';

/** The query, with the messages users read (Danish), one per field. */
export const whatIfQuery = z
  .object({
    draws: optional(
      wholeNumber(`Antal trækninger (draws) skal være et helt tal fra 1 til ${MAX_DRAWS}`, 1, MAX_DRAWS),
    ),
    seed: optional(wholeNumber('Frø (seed) skal være et helt tal fra 0 til 4294967295', 0, 0xffff_ffff)),
    ...sharedCaseFields,
    view: optional(
      z.enum(['pbr', 'full'], {
        error: 'Visning (view) skal være pbr (kun resultatbetaling) eller full (fuld)',
      }),
    ),
    format: optional(z.enum(['json', 'html'], { error: 'Format skal være json eller html' })),
  })
  .superRefine((query, context) => {
    if (query.view === 'pbr' && (query.costPerCitizen !== undefined || query.costPerCompany !== undefined)) {
      context.addIssue({
        code: 'custom',
        path: ['view'],
        message: 'Programmets omkostninger indgår kun i den fulde visning (view=full)',
      });
    }
  });

/**
 * GET /business-case/what-if: the business case under uncertainty (domain/what-if.ts), per municipality, per
 * cluster and for the programme (the programme role), or the caller's own municipality alone (finance): the
 * chance that the municipality gains, and P10/P50/P90 of its net result. JSON by default, the Danish page with
 * its chart for browsers. Reads no data: a cohort of the programme's places is simulated from the assumptions.
 * `view=full` (or a cost given) sets the programme's own costs against the savings too, by default the
 * published ones the business case uses.
 */
export const handler = wrapHttpHandler('what-if', async (event) => {
  const caller = authorize(event, 'read-business-case');
  const query = validate(whatIfQuery, event.queryStringParameters ?? {});
  const shown = shownMunicipalities(caller, query.municipality);
  const now = clock.now();
  const full =
    query.view === 'full' || query.costPerCitizen !== undefined || query.costPerCompany !== undefined;
  const report = whatIfReport(
    {
      start: query.start ?? `${danishDate(now).slice(0, 7)}-01`,
      horizonYears: query.horizonYears ?? DEFAULT_HORIZON_YEARS,
      draws: query.draws,
      seed: query.seed,
      ...(full ? { programmeCosts: programmeCostsOf(query) } : {}),
    },
    shown,
    now,
  );
  const format = query.format ?? (wantsHtml(event) ? 'html' : 'json');
  return format === 'html'
    ? htmlResponse(200, whatIfPage(basePath(event), caller, report))
    : json(200, report);
});
