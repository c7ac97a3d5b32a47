import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { type Action, type Caller, mayAccess } from '#domain/access';
import { danishDate } from '#domain/dates';
import { canPlaceInduction } from '#domain/pathway';
import { recordRead } from './access-log.ts';
import { clock } from './clock.ts';
import { type PathwayForm, page, referralPage } from './html.ts';
import { type Html, html } from './html-template.ts';
import { basePath, type FieldError, HttpError, htmlResponse, readBody, redirect } from './http.ts';
import { loadPathway, type Pathway, type ReferralRecord } from './pathway-store.ts';
import { loadPlacementChoices } from './placement-store.ts';
import { isReferralId } from './referral-id.ts';
import { referralView } from './referral-view.ts';

/** One answer for an unknown id and for another municipality's pathway, so its existence is not revealed. */
export const notFound = () => new HttpError(404, [{ field: 'id', message: 'Forløbet findes ikke' }]);

/** The `{id}` path parameter, or a 404 for anything that cannot be a referral id. */
export function referralIdOf(event: APIGatewayProxyEvent): string {
  const id = event.pathParameters?.id ?? '';
  if (!isReferralId(id)) throw notFound();
  return id;
}

/**
 * The referral when it exists and belongs to a municipality the caller may take `action` on; otherwise the very
 * 404 an unknown id gets.
 */
export function accessible<T extends ReferralRecord | Pathway>(
  found: T | undefined,
  caller: Caller,
  action: Action,
): T {
  if (!found) throw notFound();
  const municipality = 'referral' in found ? found.referral.municipality : found.municipality;
  if (!mayAccess(caller, action, municipality)) throw notFound();
  return found;
}

/**
 * A POST about one pathway, as JSON (the action's own answer) or from a form on the pathway page: then 303
 * back to the page, or the page again with a message per field. The page shown again is a read of the pathway
 * like any other: only of a pathway the caller may read, and logged before it is answered.
 */
export async function handlePathwayPost(
  event: APIGatewayProxyEvent,
  caller: Caller,
  form: PathwayForm,
  act: (referralId: string, data: unknown) => Promise<APIGatewayProxyResult>,
): Promise<APIGatewayProxyResult> {
  const referralId = referralIdOf(event);
  const body = readBody(event);
  if (body.kind === 'json') return act(referralId, body.data);
  const base = basePath(event);
  try {
    await act(referralId, body.data);
    return redirect(`${base}/referrals/${referralId}`);
  } catch (error) {
    if (!(error instanceof HttpError) || error.statusCode === 404) throw error;
    const pathway = await loadPathway(referralId);
    // An unknown or another municipality's pathway: the error as it is, exactly as for an unknown id.
    if (!pathway || !mayAccess(caller, 'read-pathway', pathway.referral.municipality)) throw error;
    await recordRead(referralId, caller, clock.now().toISOString());
    const view = referralView(pathway);
    // The placement form offers the partnership's companies, as the page did before the refused post.
    const choices =
      form === 'placement' && canPlaceInduction(pathway.referral.phase)
        ? await loadPlacementChoices(pathway.referral.municipality, danishDate(clock.now()))
        : undefined;
    const withErrors = referralPage(base, caller, view, { form, errors: error.errors }, choices);
    // The form may no longer be on the page (the pathway closed, no milestone open, induction over): its
    // messages would then be nowhere, so they get a page of their own with the way back to the pathway.
    const shown = withErrors.toString() !== referralPage(base, caller, view, undefined, choices).toString();
    return htmlResponse(
      error.statusCode,
      shown ? withErrors : refusalPage(base, caller, referralId, error.errors),
    );
  }
}

function refusalPage(base: string, caller: Caller, referralId: string, errors: FieldError[]): Html {
  return page(
    'Ændringen er ikke gemt',
    html`<h1>Ændringen er ikke gemt</h1>
<div class="summary" role="alert"><ul>${errors.map((e) => html`<li>${e.message}</li>`)}</ul></div>
<p><a href="${base}/referrals/${referralId}">Tilbage til forløbet</a></p>`,
    { caller, base },
  );
}
