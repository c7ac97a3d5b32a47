import { scopeOf } from '#domain/access';
import { authorize } from '#shared/caller';
import { companyPage } from '#shared/company-page';
import { companyOf } from '#shared/company-request';
import { loadCompanyView } from '#shared/company-view';
import { basePath, htmlResponse, json, wantsHtml } from '#shared/http';
import { wrapHttpHandler } from '#shared/wrap-handler';

/**
 * GET /companies/{cvr}: a company of a partnership the caller may see, as JSON or the company page: its journey
 * timeline per cohort, camps and attendance, the social model's checklist and the KPIs. A company's contact sees
 * its own company only; every other answers as a CVR number nobody registered.
 */
export const handler = wrapHttpHandler('get-company', async (event) => {
  const caller = authorize(event, 'read-company');
  const company = await companyOf(event, caller, 'read-company');
  // A company's contact sees how many citizens it has taken in, not who (no citizen data for that role).
  const view = await loadCompanyView(company, {
    withPathways: scopeOf(caller.role, 'read-pathway') !== undefined,
  });
  return wantsHtml(event) ? htmlResponse(200, companyPage(basePath(event), caller, view)) : json(200, view);
});
