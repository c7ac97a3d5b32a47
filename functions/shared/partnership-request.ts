import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { type Action, type Caller, mayAccess, scopeOf } from '#domain/access';
import { danishDate } from '#domain/dates';
import { findMunicipality, type Municipality } from '#domain/programme';
import { clock } from './clock.ts';
import { basePath, HttpError, htmlResponse, readBody, redirect, typedValues } from './http.ts';
import { journeyStagesByCompany } from './journey-store.ts';
import { type PartnershipFormErrors, partnershipPage } from './partnership-page.ts';
import { loadPartnership } from './partnership-store.ts';
import { type PartnershipView, partnershipView } from './partnership-view.ts';

/** An edit based on an older version than the stored one: 409 on `basedOnVersion`, naming the version now. */
export const staleVersion = (what: string, version: number) =>
  new HttpError(409, [
    { field: 'basedOnVersion', message: `${what} (nu version ${version}). Hent siden igen.` },
  ]);

/** One answer for an unknown municipality and for one the caller may not see. */
export const partnershipNotFound = () =>
  new HttpError(404, [{ field: 'municipality', message: 'Partnerskabet findes ikke' }]);

/**
 * The municipality whose partnership the request is about: the caller's own, or for a role that sees every
 * municipality the one named by `?municipality=` (undefined when none is named: the caller chooses).
 */
export function partnershipMunicipality(
  caller: Caller,
  action: Action,
  requested: string | undefined,
): Municipality | undefined {
  const code =
    requested?.trim() || (scopeOf(caller.role, action) === 'all' ? undefined : caller.municipality);
  if (code === undefined) return undefined;
  const municipality = findMunicipality(code);
  if (!municipality || !mayAccess(caller, action, municipality.code)) throw partnershipNotFound();
  return municipality;
}

/** The partnership's records and where each of its companies is in the accelerator, on today's date. */
export async function loadPartnershipView(municipality: Municipality): Promise<PartnershipView> {
  const [records, stages] = await Promise.all([
    loadPartnership(municipality.code),
    journeyStagesByCompany(municipality.code),
  ]);
  return partnershipView(municipality, records, stages, danishDate(clock.now()));
}

/**
 * A POST from the partnership page or an API client. JSON gets the action's own answer; a form gets 303 back
 * to the page, or the page again with a message per field and the values kept.
 */
export async function handlePartnershipPost(
  event: APIGatewayProxyEvent,
  caller: Caller,
  form: PartnershipFormErrors['form'],
  act: (data: unknown) => Promise<APIGatewayProxyResult>,
): Promise<APIGatewayProxyResult> {
  const body = readBody(event);
  if (body.kind === 'json') return act(body.data);
  const base = basePath(event);
  try {
    await act(body.data);
    return redirect(`${base}/partnership`);
  } catch (error) {
    if (!(error instanceof HttpError) || error.statusCode === 404 || !caller.municipality) throw error;
    const municipality = findMunicipality(caller.municipality);
    if (!municipality) throw error;
    const view = await loadPartnershipView(municipality);
    return htmlResponse(
      error.statusCode,
      partnershipPage(base, caller, view, { form, errors: error.errors, values: typedValues(body.data) }),
    );
  }
}
