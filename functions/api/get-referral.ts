import { referralPage } from '#shared/html';
import { basePath, HttpError, html, json, wantsHtml } from '#shared/http';
import { loadPathway } from '#shared/pathway-store';
import { referralView } from '#shared/referral-view';
import { wrapHttpHandler } from '#shared/wrap-handler';

const REFERRAL_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** GET /referrals/{id}: the pathway as JSON, or as a page when a browser asks. */
export const handler = wrapHttpHandler('get-referral', async (event) => {
  const referralId = event.pathParameters?.id ?? '';
  const notFound = new HttpError(404, [{ field: 'id', message: 'Forløbet findes ikke' }]);
  if (!REFERRAL_ID.test(referralId)) throw notFound;
  const pathway = await loadPathway(referralId);
  if (!pathway) throw notFound;
  const view = referralView(pathway);
  return wantsHtml(event) ? html(200, referralPage(basePath(event), view)) : json(200, view);
});
