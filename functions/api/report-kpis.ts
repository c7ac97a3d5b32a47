import { z } from 'zod';
import { findCohort } from '#domain/accelerator';
import { kpiOpenOn, kpiPointLabels, kpiReportSchema, kpiWindow } from '#domain/company-kpis';
import { addDays, danishDate, danishDay } from '#domain/dates';
import { authorize } from '#shared/caller';
import { clock } from '#shared/clock';
import { loadKpis, saveKpi } from '#shared/company-progress-store';
import { companyOf, handleCompanyPost, rereadOnConflict } from '#shared/company-request';
import { HttpError, json, validate } from '#shared/http';
import { cohortIdField } from '#shared/journey-request';
import { loadJourney } from '#shared/journey-store';
import { logger } from '#shared/logger';
import { wrapHttpHandler } from '#shared/wrap-handler';

/** One schema, so that every field's message comes back at once. */
const fields = z.intersection(z.object({ cohortId: cohortIdField }), kpiReportSchema);

/**
 * POST /companies/{cvr}/kpis: the company's contact (its own company only) or the accelerator staff report the
 * KPIs of one point (at selection, 12 and 18 months) while that point is open. The same figures again answer with
 * the stored report (idempotent); other figures correct it, keeping what they corrected.
 */
export const handler = wrapHttpHandler('report-kpis', async (event) => {
  const caller = authorize(event, 'report-kpis');
  const company = await companyOf(event, caller, 'report-kpis');
  return handleCompanyPost(event, caller, company, 'kpis', async (data) => {
    const { cohortId, ...report } = validate(fields, data);
    const cohort = findCohort(cohortId);
    const journey = cohort ? await loadJourney(company.municipality, company.cvr, cohortId) : undefined;
    if (!cohort || !journey) {
      throw new HttpError(404, [
        { field: 'cohortId', message: 'Virksomheden er ikke inviteret til dette hold' },
      ]);
    }
    if (journey.stage === 'not-selected' || journey.stage === 'withdrawn' || journey.stage === 'invited') {
      throw new HttpError(409, [
        {
          field: 'cohortId',
          message: 'Nøgletal indberettes kun for virksomheder, der er med i acceleratoren',
        },
      ]);
    }
    const today = danishDate(clock.now());
    if (!kpiOpenOn(cohort, report.point, today)) {
      const window = kpiWindow(cohort, report.point);
      throw new HttpError(409, [
        {
          field: 'point',
          message: `${kpiPointLabels[report.point]} kan indberettes fra ${danishDay(window.start)} til ${danishDay(addDays(window.end, -1))}`,
        },
      ]);
    }
    const figures = {
      revenueOere: report.revenueOere,
      fullTimeEmployees: report.fullTimeEmployees,
      vulnerableEmployed: report.vulnerableEmployed,
      vulnerableStillEmployed: report.vulnerableStillEmployed,
    };
    return rereadOnConflict(
      'report-kpis',
      { field: 'point', message: 'Nøgletallene blev ændret samtidig. Prøv igen.' },
      async () => {
        const stored = (await loadKpis(company.municipality, company.cvr, cohortId))[report.point];
        if (
          stored &&
          stored.revenueOere === figures.revenueOere &&
          stored.fullTimeEmployees === figures.fullTimeEmployees &&
          stored.vulnerableEmployed === figures.vulnerableEmployed &&
          stored.vulnerableStillEmployed === figures.vulnerableStillEmployed
        ) {
          return json(200, stored);
        }
        const record = {
          municipality: company.municipality,
          cvr: company.cvr,
          cohortId,
          point: report.point,
          ...figures,
          version: (stored?.version ?? 0) + 1,
          reportedAt: clock.now().toISOString(),
          reportedBy: caller.username,
          corrections: stored
            ? [
                ...stored.corrections,
                {
                  revenueOere: stored.revenueOere,
                  fullTimeEmployees: stored.fullTimeEmployees,
                  vulnerableEmployed: stored.vulnerableEmployed,
                  vulnerableStillEmployed: stored.vulnerableStillEmployed,
                  reportedAt: stored.reportedAt,
                  reportedBy: stored.reportedBy,
                },
              ]
            : [],
        };
        await saveKpi(record);
        logger.info('Company KPIs reported', { cohortId, point: report.point, version: record.version });
        return json(stored ? 200 : 201, record);
      },
    );
  });
});
