import { authorize } from '#shared/caller';
import { cohortPage } from '#shared/cohort-page';
import { basePath, htmlResponse, json, wantsHtml } from '#shared/http';
import { cohortNamed, loadCohortView } from '#shared/journey-request';
import { wrapHttpHandler } from '#shared/wrap-handler';

/**
 * GET /cohorts/{cohortId}: the cohort's boot camp and camp calendar (with attendance counts), and its companies by
 * stage, from the municipalities of its cluster the caller may see (the programme role sees all), as JSON or the
 * Danish page; the fund's accelerator staff also get the page's forms.
 */
export const handler = wrapHttpHandler('get-cohort', async (event) => {
  const caller = authorize(event, 'read-cohort');
  const cohort = cohortNamed(event.pathParameters?.cohortId ?? '');
  const view = await loadCohortView(caller, cohort);
  return wantsHtml(event) ? htmlResponse(200, cohortPage(basePath(event), caller, view)) : json(200, view);
});
