import { referralPage } from '#shared/html';
import { basePath, html, json, wantsHtml } from '#shared/http';
import { notFound, referralIdOf } from '#shared/pathway-request';
import { loadPathway } from '#shared/pathway-store';
import { referralView } from '#shared/referral-view';
import { wrapHttpHandler } from '#shared/wrap-handler';

/** GET /referrals/{id}: the pathway as JSON, or as a page when a browser asks. */
export const handler = wrapHttpHandler('get-referral', async (event) => {
  const pathway = await loadPathway(referralIdOf(event));
  if (!pathway) throw notFound();
  const view = referralView(pathway);
  return wantsHtml(event) ? html(200, referralPage(basePath(event), view)) : json(200, view);
});
