import { z } from 'zod';
import { type Action, type Caller, visibleMunicipalities } from '#domain/access';
import { defaultProgrammeCosts, type ProgrammeCosts } from '#domain/business-case';
import { findMunicipality } from '#domain/programme';
import { HttpError } from './http.ts';
import { isoDate, optional, wholeNumber } from './validation.ts';

/**
 * The query fields GET /business-case and GET /business-case/what-if share, with the messages users read
 * (Danish), and the one rule for which municipalities a caller's report shows.
 */

const kroner = (field: string, label: string) =>
  optional(wholeNumber(`${label} (${field}) skal være hele kroner fra 0 til 10000000`, 0, 10_000_000));

export const sharedCaseFields = {
  horizonYears: optional(
    wholeNumber('Horisonten (horizonYears) skal være et helt antal år fra 1 til 10', 1, 10),
  ),
  // The programme began in 2019; a start far in the future has no months to show and no meaning.
  start: optional(
    isoDate('Startdato (start)').refine((d) => d >= '2019-01-01' && d <= '2100-12-31', {
      error: 'Startdato (start) skal ligge mellem 2019-01-01 og 2100-12-31',
    }),
  ),
  /** The full view's programme costs, in whole kroner. */
  costPerCitizen: kroner('costPerCitizen', 'Omkostning pr. borger'),
  costPerCompany: kroner('costPerCompany', 'Omkostning pr. virksomhed'),
  /** One municipality only (kommunekode); finance sees its own whether it asks or not. */
  municipality: optional(z.string({ error: 'Kommune (municipality) skal angives som kommunekode' }).trim()),
};

/**
 * The municipalities a report shows: those the caller may see for `action` (absent: all), narrowed to
 * `?municipality=`. One the caller may not see answers 404 with `notFound`, as one that does not exist. The
 * business case and the what-if use the defaults; the dashboard passes its own action and message.
 */
export function shownMunicipalities(
  caller: Caller,
  wanted: string | undefined,
  action: Action = 'read-business-case',
  notFound = 'Der findes ingen business case, du har adgang til',
): readonly string[] | undefined {
  const visible = visibleMunicipalities(caller, action);
  const shown = wanted === undefined ? visible : (visible ?? [wanted]).filter((code) => code === wanted);
  if (shown !== undefined && !shown.some((code) => findMunicipality(code))) {
    throw new HttpError(404, [{ field: 'municipality', message: notFound }]);
  }
  return shown;
}

/** The full view's programme costs from the query: each one given in whole kroner, or the published default. */
export function programmeCostsOf(query: {
  costPerCitizen?: number;
  costPerCompany?: number;
}): ProgrammeCosts {
  return {
    perCitizenOere:
      query.costPerCitizen === undefined ? defaultProgrammeCosts.perCitizenOere : query.costPerCitizen * 100,
    perCompanyOere:
      query.costPerCompany === undefined ? defaultProgrammeCosts.perCompanyOere : query.costPerCompany * 100,
  };
}
