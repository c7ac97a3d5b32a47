import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { Caller } from '#domain/access';
import { danishDate } from '#domain/dates';
import { checkConfirmationDay } from '#domain/sustainment';
import { accessEntryOf } from '#shared/access-log';
import { authorize } from '#shared/caller';
import { clock } from '#shared/clock';
import { HttpError, json, validate } from '#shared/http';
import { writeOnce } from '#shared/idempotency';
import { logger } from '#shared/logger';
import { accessible, handlePathwayPost } from '#shared/pathway-request';
import { confirmMilestone, loadPathway, loadReferral, type Pathway } from '#shared/pathway-store';
import { confirmationFields } from '#shared/validation';
import { wrapHttpHandler } from '#shared/wrap-handler';

/**
 * POST /referrals/{id}/confirmations: at a sustainment milestone (13 or 26 weeks after a job or education
 * start) the employment actor or caseworker confirms that the job goes on, which is paid, or that it has ended,
 * which stops the later milestones. For an education `employed: true` means still enrolled (not paid), an end
 * date that the education was dropped. Accepted from the milestone's due date until its deadline, once.
 */
export const handler = wrapHttpHandler('record-confirmation', async (event) => {
  const caller = authorize(event, 'record-confirmation');
  return handlePathwayPost(event, caller, 'confirmation', (referralId, data) =>
    confirm(event, caller, referralId, data),
  );
});

async function confirm(
  event: APIGatewayProxyEvent,
  caller: Caller,
  referralId: string,
  data: unknown,
): Promise<APIGatewayProxyResult> {
  const fields = validate(confirmationFields, data);
  return writeOnce({
    event,
    caller,
    referralId,
    route: `POST /referrals/${referralId}/confirmations`,
    checkAccess: async () => accessible(await loadReferral(referralId), caller, 'record-confirmation'),
    fingerprint: JSON.stringify(fields),
    attempt: async (remember) => {
      const pathway = accessible(await loadPathway(referralId), caller, 'record-confirmation');
      if (pathway.referral.closedReason === 'dropout') {
        throw new HttpError(409, [
          { field: 'id', message: 'Borgeren er faldet fra forløbet; milepæle følges ikke op' },
        ]);
      }
      const milestone = findMilestone(pathway, fields.milestone, fields.outcomeId);
      const today = danishDate(clock.now());
      const problem = checkConfirmationDay(milestone, today);
      if (problem === 'not-yet-due') {
        throw new HttpError(409, [
          { field: 'milestone', message: `Milepælen falder først ${milestone.dueOn}` },
        ]);
      }
      if (problem === 'deadline-passed' || milestone.status === 'unconfirmed') {
        throw new HttpError(409, [
          { field: 'milestone', message: 'Fristen for at bekræfte milepælen er overskredet' },
        ]);
      }
      if (milestone.status !== 'awaiting-confirmation') {
        throw new HttpError(409, [{ field: 'milestone', message: 'Milepælen er allerede besvaret' }]);
      }
      const followed = pathway.outcomes.find((o) => o.outcomeId === milestone.outcomeId);
      if (fields.endedOn && (fields.endedOn > today || fields.endedOn < (followed?.date ?? '0000-01-01'))) {
        const start = followed?.type === 'education-start' ? 'uddannelsesstart' : 'jobstart';
        throw new HttpError(400, [
          { field: 'endedOn', message: `Slutdatoen skal ligge mellem ${start} og i dag` },
        ]);
      }
      // A job (or education) that ended on or after the milestone's due date lasted the milestone: it is
      // confirmed (a job's is paid), and stops later ones.
      const employedAtMilestone =
        fields.employed || (fields.endedOn !== undefined && fields.endedOn >= milestone.dueOn);
      const status = employedAtMilestone ? 'confirmed' : 'job-ended';
      const response = json(201, {
        referralId,
        outcomeId: milestone.outcomeId,
        milestone: milestone.weeks,
        status,
      });
      const at = clock.now().toISOString();
      await confirmMilestone({
        referral: pathway.referral,
        milestone,
        employed: employedAtMilestone,
        endedOn: fields.endedOn,
        at,
        by: caller.username,
        idempotency: remember(response),
        access: accessEntryOf(referralId, caller, 'record-confirmation', at),
      });
      logger.info('Milestone answered', {
        referralId,
        outcomeId: milestone.outcomeId,
        weeks: milestone.weeks,
        status,
      });
      return response;
    },
  });
}

/** The milestone asked about: of the given result, or of the latest result whose milestone has been opened. */
function findMilestone(pathway: Pathway, weeks: number, outcomeId: string | undefined) {
  const candidates = pathway.milestones
    .filter((m) => m.weeks === weeks && (outcomeId === undefined || m.outcomeId === outcomeId))
    .sort((a, b) => b.dueOn.localeCompare(a.dueOn));
  const awaiting = candidates.filter((m) => m.status === 'awaiting-confirmation');
  // A job and an education followed side by side can both await their milestone: the answer must say which.
  if (awaiting.length > 1) {
    throw new HttpError(400, [
      {
        field: 'outcomeId',
        message: `Flere ${weeks}-ugers milepæle afventer bekræftelse: angiv hvilket resultat (outcomeId) svaret gælder`,
      },
    ]);
  }
  const milestone = awaiting[0] ?? candidates[0];
  if (!milestone) {
    throw new HttpError(409, [
      {
        field: 'milestone',
        message: `Der er ingen ${weeks}-ugers milepæl at bekræfte endnu (den åbner ${weeks} uger efter jobstart eller uddannelsesstart)`,
      },
    ]);
  }
  return milestone;
}
