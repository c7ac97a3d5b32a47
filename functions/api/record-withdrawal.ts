import { z } from 'zod';
import { withdraw } from '#domain/company-journey';
import { authorize } from '#shared/caller';
import { json, validate } from '#shared/http';
import {
  answerJourneyPost,
  changeJourney,
  cohortIdField,
  cohortNamed,
  companyFor,
  cvrParameter,
  onExisting,
} from '#shared/journey-request';
import { isoDate, withoutCpr } from '#shared/validation';
import { wrapHttpHandler } from '#shared/wrap-handler';

const fields = z.object({
  cohortId: cohortIdField,
  date: isoDate('Dato for udtræden'),
  reason: z
    .string({ error: 'Årsag skal udfyldes' })
    .trim()
    .min(1, { error: 'Årsag skal udfyldes' })
    .max(500, { error: 'Årsag må højst være 500 tegn' })
    .refine(...withoutCpr('Årsag')),
});

/**
 * POST /companies/{cvr}/journey/withdrawal {cohortId, date, reason}: a company leaves its cohort, at any stage
 * before its journey has ended. The journey ends as withdrawn and its running timer is stopped.
 */
export const handler = wrapHttpHandler('record-withdrawal', async (event) => {
  const caller = authorize(event, 'run-accelerator');
  return answerJourneyPost(event, caller, { form: 'withdrawal', cvr: cvrParameter(event) }, async (data) => {
    const { cohortId, date, reason } = validate(fields, data);
    const cohort = cohortNamed(cohortId);
    const company = await companyFor(caller, cvrParameter(event));
    return changeJourney({
      caller,
      company,
      cohort,
      decide: onExisting((journey, actor) => withdraw(cohort, journey, { on: date, reason }, actor)),
      answer: (journey) =>
        json(200, {
          cvr: journey.cvr,
          cohortId: journey.cohortId,
          stage: journey.stage,
          withdrawnOn: journey.decisions.withdrawnOn,
          reason: journey.decisions.withdrawalReason,
        }),
    });
  });
});
