import { z } from 'zod';
import { type CompanyStage, findCohort } from '#domain/accelerator';
import { canonical } from '#domain/parties';
import { applyChecklistUpdate, emptyChecklist, socialModelItemUpdate } from '#domain/social-model';
import { authorize } from '#shared/caller';
import { clock } from '#shared/clock';
import { loadSocialModel, saveSocialModel } from '#shared/company-progress-store';
import { companyOf, handleCompanyPost, rereadOnConflict } from '#shared/company-request';
import { HttpError, json, validate } from '#shared/http';
import { cohortIdField } from '#shared/journey-request';
import { loadJourney } from '#shared/journey-store';
import { logger } from '#shared/logger';
import { wrapHttpHandler } from '#shared/wrap-handler';

/** The stages in which the accelerator builds the social model with a company. */
const building: ReadonlySet<CompanyStage> = new Set(['selected', 'accelerator', 'follow-up']);

/** One schema, so that every field's message comes back at once. */
const fields = z.intersection(z.object({ cohortId: cohortIdField }), socialModelItemUpdate);

/**
 * POST /companies/{cvr}/social-model: the fund's accelerator staff set one item of the company's social model
 * (status, evidence, buddies trained) in a cohort the company is selected for. The same update again changes
 * nothing and answers with the checklist (idempotent); concurrent updates are each applied to the latest version.
 */
export const handler = wrapHttpHandler('update-social-model', async (event) => {
  const caller = authorize(event, 'run-accelerator');
  const company = await companyOf(event, caller, 'run-accelerator');
  return handleCompanyPost(event, caller, company, 'social-model', async (data) => {
    const { cohortId, ...update } = validate(fields, data);
    const journey = findCohort(cohortId)
      ? await loadJourney(company.municipality, company.cvr, cohortId)
      : undefined;
    if (!journey) {
      throw new HttpError(404, [
        { field: 'cohortId', message: 'Virksomheden er ikke inviteret til dette hold' },
      ]);
    }
    if (!building.has(journey.stage)) {
      throw new HttpError(409, [
        { field: 'cohortId', message: 'Den sociale model opbygges kun med udvalgte virksomheder i forløbet' },
      ]);
    }
    return rereadOnConflict(
      'update-social-model',
      { field: 'item', message: 'Modellen blev ændret samtidig. Prøv igen.' },
      async () => {
        const stored = await loadSocialModel(company.municipality, company.cvr, cohortId);
        const before = stored?.checklist ?? emptyChecklist();
        const at = clock.now().toISOString();
        const after = applyChecklistUpdate(before, update, at, caller.username);
        const strip = (c: typeof before) =>
          canonical(Object.values(c).map(({ updatedAt: _at, updatedBy: _by, ...rest }) => rest));
        if (stored && strip(after) === strip(before)) return json(200, stored);
        const record = {
          municipality: company.municipality,
          cvr: company.cvr,
          cohortId,
          checklist: after,
          version: (stored?.version ?? 0) + 1,
          verifiedOn: stored?.verifiedOn,
          verifiedAt: stored?.verifiedAt,
          verifiedBy: stored?.verifiedBy,
        };
        await saveSocialModel(record);
        logger.info('Social model item updated', { cohortId, item: update.item, status: update.status });
        return json(200, record);
      },
    );
  });
});
