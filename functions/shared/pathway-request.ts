import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { type PathwayForm, referralPage } from './html.ts';
import { basePath, HttpError, html, readBody } from './http.ts';
import { loadPathway } from './pathway-store.ts';
import { referralView } from './referral-view.ts';

const REFERRAL_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const notFound = () => new HttpError(404, [{ field: 'id', message: 'Forløbet findes ikke' }]);

/** The `{id}` path parameter, or a 404 for anything that cannot be a referral id. */
export function referralIdOf(event: APIGatewayProxyEvent): string {
  const id = event.pathParameters?.id ?? '';
  if (!REFERRAL_ID.test(id)) throw notFound();
  return id;
}

/**
 * A POST about one pathway, as JSON (the action's own answer) or from a form on the pathway page: then 303
 * back to the page, or the page again with a message per field.
 */
export async function handlePathwayPost(
  event: APIGatewayProxyEvent,
  form: PathwayForm,
  act: (referralId: string, data: unknown) => Promise<APIGatewayProxyResult>,
): Promise<APIGatewayProxyResult> {
  const referralId = referralIdOf(event);
  const body = readBody(event);
  if (body.kind === 'json') return act(referralId, body.data);
  const base = basePath(event);
  try {
    await act(referralId, body.data);
    return {
      statusCode: 303,
      headers: { Location: `${base}/referrals/${referralId}`, 'Cache-Control': 'no-store' },
      body: '',
    };
  } catch (error) {
    if (!(error instanceof HttpError) || error.statusCode === 404) throw error;
    const pathway = await loadPathway(referralId);
    if (!pathway) throw error;
    return html(error.statusCode, referralPage(base, referralView(pathway), { form, errors: error.errors }));
  }
}
