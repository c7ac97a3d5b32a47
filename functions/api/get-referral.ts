import { scopeOf } from '#domain/access';
import { danishDate } from '#domain/dates';
import { canPlaceInduction } from '#domain/pathway';
import { recordRead } from '#shared/access-log';
import { authorize } from '#shared/caller';
import { clock } from '#shared/clock';
import { referralPage } from '#shared/html';
import { basePath, htmlResponse, json, wantsHtml } from '#shared/http';
import { accessible, referralIdOf } from '#shared/pathway-request';
import { loadPathway } from '#shared/pathway-store';
import { loadPlacementChoices } from '#shared/placement-store';
import { referralView } from '#shared/referral-view';
import { wrapHttpHandler } from '#shared/wrap-handler';

/**
 * GET /referrals/{id}: the pathway as JSON, or as a page when a browser asks. Another municipality's pathway
 * answers as an unknown id does. Every answer is logged first (the access log): no entry, no data. The page's
 * placement form offers the partnership's companies: they are read only when the form is shown (the employment
 * actor's page, while the pathway may still be placed).
 */
export const handler = wrapHttpHandler('get-referral', async (event) => {
  const caller = authorize(event, 'read-pathway');
  const referralId = referralIdOf(event);
  const pathway = accessible(await loadPathway(referralId), caller, 'read-pathway');
  const now = clock.now();
  await recordRead(referralId, caller, now.toISOString());
  const view = referralView(pathway);
  if (!wantsHtml(event)) return json(200, view);
  const { municipality } = pathway.referral;
  const choices =
    scopeOf(caller.role, 'record-placement') !== undefined && canPlaceInduction(pathway.referral.phase)
      ? await loadPlacementChoices(municipality, danishDate(now))
      : undefined;
  return htmlResponse(200, referralPage(basePath(event), caller, view, undefined, choices));
});
