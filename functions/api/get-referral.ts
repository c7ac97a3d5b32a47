import { recordRead } from '#shared/access-log';
import { authorize } from '#shared/caller';
import { clock } from '#shared/clock';
import { referralPage } from '#shared/html';
import { basePath, htmlResponse, json, wantsHtml } from '#shared/http';
import { accessible, referralIdOf } from '#shared/pathway-request';
import { loadPathway } from '#shared/pathway-store';
import { referralView } from '#shared/referral-view';
import { wrapHttpHandler } from '#shared/wrap-handler';

/**
 * GET /referrals/{id}: the pathway as JSON, or as a page when a browser asks. Another municipality's pathway
 * answers as an unknown id does. Every answer is logged first (the access log): no entry, no data.
 */
export const handler = wrapHttpHandler('get-referral', async (event) => {
  const caller = authorize(event, 'read-pathway');
  const referralId = referralIdOf(event);
  const pathway = accessible(await loadPathway(referralId), caller, 'read-pathway');
  await recordRead(referralId, caller, clock.now().toISOString());
  const view = referralView(pathway);
  return wantsHtml(event) ? htmlResponse(200, referralPage(basePath(event), caller, view)) : json(200, view);
});
