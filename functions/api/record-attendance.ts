import { z } from 'zod';
import { campDateProblem, recordAttendance } from '#domain/company-journey';
import { authorize } from '#shared/caller';
import { HttpError, json, validate } from '#shared/http';
import {
  answerJourneyPost,
  changeJourney,
  cohortIdField,
  cohortNamed,
  companyFor,
  cvrParameter,
  onExisting,
  yesOrNo,
} from '#shared/journey-request';
import { isoDate } from '#shared/validation';
import { wrapHttpHandler } from '#shared/wrap-handler';

const PRESENT_MESSAGE = 'Fremmøde skal være ja (true) eller nej (false)';
const fields = z.object({
  cohortId: cohortIdField,
  campDate: isoDate('Campens dato'),
  present: yesOrNo(PRESENT_MESSAGE),
});

/**
 * POST /companies/{cvr}/journey/attendance {cohortId, campDate, present}: whether the company took part in one
 * of its cohort's camps (campDate is the camp's first day, inside the accelerator), while it is in the
 * accelerator. Recording the other value corrects it.
 */
export const handler = wrapHttpHandler('record-attendance', async (event) => {
  const caller = authorize(event, 'run-accelerator');
  return answerJourneyPost(event, caller, { form: 'attendance', cvr: cvrParameter(event) }, async (data) => {
    const { cohortId, campDate, present } = validate(fields, data);
    const cohort = cohortNamed(cohortId);
    // A day that is no camp is bad input whoever the company is: said before the company is looked up.
    const problem = campDateProblem(cohort, campDate);
    if (problem) throw new HttpError(400, [{ field: 'campDate', message: problem }]);
    const company = await companyFor(caller, cvrParameter(event));
    return changeJourney({
      caller,
      company,
      cohort,
      decide: onExisting((journey, actor) => recordAttendance(cohort, journey, { campDate, present }, actor)),
      answer: (journey) =>
        json(200, {
          cvr: journey.cvr,
          cohortId: journey.cohortId,
          campDate,
          present: journey.attendance[campDate],
        }),
    });
  });
});
