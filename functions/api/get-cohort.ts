import { visibleMunicipalities } from '#domain/access';
import { authorize } from '#shared/caller';
import { cohortMunicipalities, cohortPage, cohortView } from '#shared/cohort-page';
import { basePath, htmlResponse, json, wantsHtml } from '#shared/http';
import { cohortNamed } from '#shared/journey-request';
import { loadMunicipalityCompanies, loadMunicipalityJourneys } from '#shared/journey-store';
import { wrapHttpHandler } from '#shared/wrap-handler';

/**
 * GET /cohorts/{cohortId}: the cohort's boot camp and camp calendar (with attendance counts), and its companies by
 * stage, from the municipalities of its cluster the caller may see (the programme role sees all), as JSON or the
 * Danish page. Two queries per municipality: its journeys and its companies (for their names).
 */
export const handler = wrapHttpHandler('get-cohort', async (event) => {
  const caller = authorize(event, 'read-cohort');
  const cohort = cohortNamed(event.pathParameters?.cohortId ?? '');
  const shown = cohortMunicipalities(cohort, visibleMunicipalities(caller, 'read-cohort'));
  const loaded = await Promise.all(
    shown.map(async (code) => ({
      journeys: await loadMunicipalityJourneys(code),
      companies: await loadMunicipalityCompanies(code),
    })),
  );
  const view = cohortView(
    cohort,
    shown,
    loaded.flatMap((l) => l.journeys),
    loaded.flatMap((l) => l.companies),
  );
  return wantsHtml(event) ? htmlResponse(200, cohortPage(basePath(event), caller, view)) : json(200, view);
});
