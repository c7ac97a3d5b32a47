import { listAccess } from '#shared/access-log';
import { authorize } from '#shared/caller';
import { accessLogPage } from '#shared/html';
import { basePath, htmlResponse, json, wantsHtml } from '#shared/http';
import { accessible, referralIdOf } from '#shared/pathway-request';
import { loadReferral } from '#shared/pathway-store';
import { wrapHttpHandler } from '#shared/wrap-handler';

/**
 * GET /referrals/{id}/access-log (programme role): who read or changed the pathway, when and how, newest first;
 * JSON, or a table for browsers. Reading the log is not itself logged: it shows who acted, not the citizen.
 */
export const handler = wrapHttpHandler('get-access-log', async (event) => {
  const caller = authorize(event, 'read-access-log');
  const referralId = referralIdOf(event);
  accessible(await loadReferral(referralId), caller, 'read-access-log');
  const entries = await listAccess(referralId);
  return wantsHtml(event)
    ? htmlResponse(200, accessLogPage(basePath(event), caller, referralId, entries))
    : json(200, entries);
});
