import { z } from 'zod';
import { decideSelection } from '#domain/company-journey';
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
  yesOrNo,
} from '#shared/journey-request';
import { wrapHttpHandler } from '#shared/wrap-handler';

const SELECTED_MESSAGE = 'Udvælgelse skal være ja (true) eller nej (false)';
const fields = z.object({
  cohortId: cohortIdField,
  selected: yesOrNo(SELECTED_MESSAGE),
});

/**
 * POST /companies/{cvr}/journey/selection {cohortId, selected}: the selection after the boot camp, from its
 * first day until the accelerator starts. "No" ends the journey (not selected) and stops its timer.
 */
export const handler = wrapHttpHandler('record-selection', async (event) => {
  const caller = authorize(event, 'run-accelerator');
  return answerJourneyPost(event, caller, { form: 'selection', cvr: cvrParameter(event) }, async (data) => {
    const { cohortId, selected } = validate(fields, data);
    const cohort = cohortNamed(cohortId);
    const company = await companyFor(caller, cvrParameter(event));
    return changeJourney({
      caller,
      company,
      cohort,
      decide: onExisting((journey, actor) => decideSelection(cohort, journey, selected, actor)),
      answer: (journey) =>
        json(200, {
          cvr: journey.cvr,
          cohortId: journey.cohortId,
          selected: journey.decisions.selected,
          decidedOn: journey.decisions.selectedOn,
        }),
    });
  });
});
