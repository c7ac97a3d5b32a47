import { z } from 'zod';
import { type CompanyNotDueReason, priceCompanyResult } from '#domain/company-results';
import { addDays, danishDate, danishDay } from '#domain/dates';
import { emptyChecklist } from '#domain/social-model';
import { authorize } from '#shared/caller';
import { clock } from '#shared/clock';
import { putCompanyResult } from '#shared/company-payment-store';
import { loadSocialModel, saveSocialModel } from '#shared/company-progress-store';
import { companyOf, handleCompanyPost, rereadOnConflict } from '#shared/company-request';
import { HttpError, json, validate } from '#shared/http';
import { cohortIdField, cohortNamed } from '#shared/journey-request';
import { loadJourney } from '#shared/journey-store';
import { logger } from '#shared/logger';
import { wrapHttpHandler } from '#shared/wrap-handler';

const fields = z.object({ cohortId: cohortIdField });

/** SOCIAL_MODEL is the company-side result's id: one per company and cohort. */
const SOCIAL_MODEL = 'social-model';

/**
 * POST /companies/{cvr}/social-model/verification: the fund's accelerator staff verify, from the accelerator's
 * 12 months on and within the follow-up, that the company's social model is implemented (every checklist item done
 * with evidence, buddies trained). That is the accelerator's company-side result: it is recorded once, and the
 * table stream starts its payment (lib/company-payments.ts). A repeat answers with the verification made.
 */
export const handler = wrapHttpHandler('verify-social-model', async (event) => {
  const caller = authorize(event, 'run-accelerator');
  const company = await companyOf(event, caller, 'run-accelerator');
  return handleCompanyPost(event, caller, company, 'social-model', async (data) => {
    const { cohortId } = validate(fields, data);
    const cohort = cohortNamed(cohortId);
    const journey = await loadJourney(company.municipality, company.cvr, cohortId);
    if (!journey) {
      throw new HttpError(404, [
        { field: 'cohortId', message: 'Virksomheden er ikke inviteret til dette hold' },
      ]);
    }
    return rereadOnConflict(
      'verify-social-model',
      { field: 'cohortId', message: 'Modellen blev ændret samtidig. Prøv igen.' },
      async () => {
        const model = await loadSocialModel(company.municipality, company.cvr, cohortId);
        if (model?.verifiedOn) return json(200, model);
        const now = clock.now();
        const today = danishDate(now);
        const decision = priceCompanyResult({
          kind: 'social-model-implemented',
          cohort,
          cvr: company.cvr,
          decisions: journey.decisions,
          date: today,
          recordedOn: today,
          checklist: model?.checklist ?? emptyChecklist(),
          paid: { companyOere: 0, keys: new Set() },
        });
        if (!decision.due) {
          throw new HttpError(409, [
            {
              field: 'cohortId',
              message: refusal(decision.reason, cohort.accelerator.end, cohort.followUp.end),
            },
          ]);
        }
        // The result first: a crash before the mark below leaves a recorded result (paid once) and a repeat that
        // finds it recorded and only marks the model.
        await putCompanyResult({
          kind: 'social-model-implemented',
          resultId: SOCIAL_MODEL,
          cvr: company.cvr,
          cohortId,
          municipality: company.municipality,
          date: today,
          recordedAt: now.toISOString(),
          recordedBy: caller.username,
        });
        if (!model) throw new Error('An implemented social model has a stored checklist');
        const verified = {
          ...model,
          version: model.version + 1,
          verifiedOn: today,
          verifiedAt: now.toISOString(),
          verifiedBy: caller.username,
        };
        await saveSocialModel(verified);
        logger.info('Social model verified', { cohortId });
        return json(201, verified);
      },
    );
  });
});

function refusal(reason: CompanyNotDueReason, acceleratorEnd: string, followUpEnd: string): string {
  switch (reason) {
    case 'not-selected':
      return 'Virksomheden er ikke udvalgt til acceleratoren';
    case 'withdrawn':
      return 'Virksomheden er udtrådt af acceleratoren';
    case 'before-month-12':
      return `Den sociale model verificeres efter acceleratorens 12 måneder, fra ${danishDay(acceleratorEnd)}`;
    case 'after-follow-up':
      return `Opfølgningen sluttede ${danishDay(addDays(followUpEnd, -1))}: modellen kan ikke længere verificeres`;
    case 'social-model-not-implemented':
      return 'Den sociale model er ikke gennemført: alle punkter skal være gennemført med dokumentation, og mindst én medarbejder uddannet som buddy';
    default:
      return 'Den sociale model kan ikke verificeres';
  }
}
