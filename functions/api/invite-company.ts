import { z } from 'zod';
import { invite, type JourneyState } from '#domain/company-journey';
import { findMunicipality } from '#domain/programme';
import { authorize } from '#shared/caller';
import { HttpError, json, validate } from '#shared/http';
import { answerJourneyPost, changeJourney, cohortNamed, companyFor } from '#shared/journey-request';
import { cvrField } from '#shared/partnership-validation';
import { wrapHttpHandler } from '#shared/wrap-handler';

const fields = z.object({ cvr: cvrField() });

/** The answer to an invitation, from what the invitation stored: a repeat gets it again, word for word. */
export const invitationAnswer = (journey: JourneyState) =>
  json(201, {
    cvr: journey.cvr,
    cohortId: journey.cohortId,
    municipality: journey.municipality,
    invitedOn: journey.invitedOn,
  });

/**
 * POST /cohorts/{cohortId}/companies {cvr}: the fund's accelerator staff invite a company registered in their
 * municipality's partnership into the cohort of the municipality's cluster, until the boot camp begins. The
 * journey starts as `invited`, its first leg running to the boot camp (the stream starts its timer).
 */
export const handler = wrapHttpHandler('invite-company', async (event) => {
  const caller = authorize(event, 'run-accelerator');
  return answerJourneyPost(event, caller, { form: 'invite' }, async (data) => {
    const { cvr } = validate(fields, data);
    const cohort = cohortNamed(event.pathParameters?.cohortId ?? '');
    const company = await companyFor(caller, cvr);
    if (findMunicipality(company.municipality)?.cluster !== cohort.cluster) {
      throw new HttpError(409, [
        { field: 'cohortId', message: 'Holdet hører til en anden klynge end virksomhedens kommune' },
      ]);
    }
    return changeJourney({
      caller,
      company,
      cohort,
      decide: (journey, actor) => invite(cohort, journey, company, actor),
      answer: invitationAnswer,
    });
  });
});
