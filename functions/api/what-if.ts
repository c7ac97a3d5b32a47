import { z } from 'zod';
import { DEFAULT_HORIZON_YEARS } from '#domain/business-case';
import { danishDate } from '#domain/dates';
import { MAX_DRAWS, simulateWhatIf } from '#domain/what-if';
import { optional, sharedCaseFields, shownMunicipalities } from '#shared/business-case-query';
import { authorize } from '#shared/caller';
import { clock } from '#shared/clock';
import { basePath, htmlResponse, json, validate, wantsHtml } from '#shared/http';
import { places } from '#shared/programme-scale';
import { wholeNumber } from '#shared/validation';
import { type WhatIfReport, whatIfPage } from '#shared/what-if-page';
import { wrapHttpHandler } from '#shared/wrap-handler';

export const DEFAULT_DRAWS = 10_000;
export const DEFAULT_SEED = 1;

/** The query, with the messages users read (Danish), one per field. */
export const whatIfQuery = z.object({
  draws: optional(
    wholeNumber(`Antal trækninger (draws) skal være et helt tal fra 1 til ${MAX_DRAWS}`, 1, MAX_DRAWS),
  ),
  seed: optional(wholeNumber('Frø (seed) skal være et helt tal fra 0 til 4294967295', 0, 0xffff_ffff)),
  ...sharedCaseFields,
  format: optional(z.enum(['json', 'html'], { error: 'Format skal være json eller html' })),
});

/**
 * GET /business-case/what-if: the business case under uncertainty (domain/what-if.ts), per municipality, per
 * cluster and for the programme (the programme role), or the caller's own municipality alone (finance): the
 * chance that the municipality gains, and P10/P50/P90 of its net result. JSON by default, the Danish page with
 * its chart for browsers. Reads no data: a cohort of the programme's places is simulated from the assumptions.
 */
export const handler = wrapHttpHandler('what-if', async (event) => {
  const caller = authorize(event, 'read-business-case');
  const query = validate(whatIfQuery, event.queryStringParameters ?? {});
  const shown = shownMunicipalities(caller, query.municipality);
  const now = clock.now();
  const costs =
    query.costPerCitizen === undefined && query.costPerCompany === undefined
      ? undefined
      : {
          perCitizenOere: (query.costPerCitizen ?? 0) * 100,
          perCompanyOere: (query.costPerCompany ?? 0) * 100,
        };
  // The whole programme is drawn whatever is shown, so a municipality's figures are the same in every view.
  const whatIf = simulateWhatIf({
    start: query.start ?? `${danishDate(now).slice(0, 7)}-01`,
    horizonYears: query.horizonYears ?? DEFAULT_HORIZON_YEARS,
    draws: query.draws ?? DEFAULT_DRAWS,
    seed: query.seed ?? DEFAULT_SEED,
    placesOf: places,
    ...(costs ? { programmeCosts: costs } : {}),
  });
  const report: WhatIfReport = {
    asOf: now.toISOString(),
    whatIf:
      shown === undefined
        ? whatIf
        : {
            ...whatIf,
            programme: null,
            clusters: [],
            municipalities: whatIf.municipalities.filter((m) => shown.includes(m.key)),
          },
  };
  const format = query.format ?? (wantsHtml(event) ? 'html' : 'json');
  return format === 'html'
    ? htmlResponse(200, whatIfPage(basePath(event), caller, report))
    : json(200, report);
});
