import { z } from 'zod';
import { visibleMunicipalities } from '#domain/access';
import { DEFAULT_HORIZON_YEARS } from '#domain/business-case';
import { danishDate } from '#domain/dates';
import { findMunicipality } from '#domain/programme';
import { MAX_DRAWS, simulateWhatIf } from '#domain/what-if';
import { authorize } from '#shared/caller';
import { clock } from '#shared/clock';
import { basePath, HttpError, htmlResponse, json, validate, wantsHtml } from '#shared/http';
import { places } from '#shared/programme-scale';
import { isoDate, wholeNumber } from '#shared/validation';
import { type WhatIfReport, whatIfPage } from '#shared/what-if-page';
import { wrapHttpHandler } from '#shared/wrap-handler';

/** An empty query value means "the default", as an empty form field would. */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

export const DEFAULT_DRAWS = 10_000;
export const DEFAULT_SEED = 1;

/** The query, with the messages users read (Danish), one per field. */
export const whatIfQuery = z.object({
  draws: optional(
    wholeNumber(`Antal trækninger (draws) skal være et helt tal fra 1 til ${MAX_DRAWS}`, 1, MAX_DRAWS),
  ),
  seed: optional(wholeNumber('Frø (seed) skal være et helt tal fra 0 til 4294967295', 0, 0xffff_ffff)),
  horizonYears: optional(
    wholeNumber('Horisonten (horizonYears) skal være et helt antal år fra 1 til 10', 1, 10),
  ),
  start: optional(
    isoDate('Startdato (start)').refine((d) => d >= '2019-01-01' && d <= '2100-12-31', {
      error: 'Startdato (start) skal ligge mellem 2019-01-01 og 2100-12-31',
    }),
  ),
  costPerCitizen: optional(
    wholeNumber(
      'Omkostning pr. borger (costPerCitizen) skal være hele kroner fra 0 til 10000000',
      0,
      10_000_000,
    ),
  ),
  costPerCompany: optional(
    wholeNumber(
      'Omkostning pr. virksomhed (costPerCompany) skal være hele kroner fra 0 til 10000000',
      0,
      10_000_000,
    ),
  ),
  format: optional(z.enum(['json', 'html'], { error: 'Format skal være json eller html' })),
  /** One municipality only (kommunekode); finance sees its own whether it asks or not. */
  municipality: optional(z.string({ error: 'Kommune (municipality) skal angives som kommunekode' }).trim()),
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
  const visible = visibleMunicipalities(caller, 'read-business-case');
  const wanted = query.municipality;
  const shown = wanted === undefined ? visible : (visible ?? [wanted]).filter((code) => code === wanted);
  if (shown !== undefined && !shown.some((code) => findMunicipality(code))) {
    throw new HttpError(404, [
      { field: 'municipality', message: 'Der findes ingen business case, du har adgang til' },
    ]);
  }
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
