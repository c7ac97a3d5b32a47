import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { Caller } from '#domain/access';
import { danishDate } from '#domain/dates';
import { applyOutcome, checkOutcomeDate, phaseEndsAt } from '#domain/pathway';
import { accessEntryOf } from '#shared/access-log';
import { authorize } from '#shared/caller';
import { clock } from '#shared/clock';
import { HttpError, json, validate } from '#shared/http';
import { writeOnce } from '#shared/idempotency';
import { logger } from '#shared/logger';
import { accessible, handlePathwayPost } from '#shared/pathway-request';
import { loadReferral, type OutcomeRecord, recordOutcome } from '#shared/pathway-store';
import { outcomeFields } from '#shared/validation';
import { wrapHttpHandler } from '#shared/wrap-handler';

/**
 * POST /referrals/{id}/outcomes. The outcome acts at once: a drop-out closes the pathway and frees the place;
 * a job or education start moves it to tracking. Payment follows through the table stream.
 */
export const handler = wrapHttpHandler('record-outcome', async (event) => {
  const caller = authorize(event, 'record-outcome');
  return handlePathwayPost(event, caller, 'outcome', (referralId, data) =>
    record(event, caller, referralId, data),
  );
});

async function record(
  event: APIGatewayProxyEvent,
  caller: Caller,
  referralId: string,
  data: unknown,
): Promise<APIGatewayProxyResult> {
  const fields = validate(outcomeFields, data);
  const outcomeId = randomUUID();
  return writeOnce({
    event,
    caller,
    referralId,
    route: `POST /referrals/${referralId}/outcomes`,
    fingerprint: JSON.stringify(fields),
    attempt: async (remember) => {
      const referral = accessible(await loadReferral(referralId), caller, 'record-outcome');
      if (referral.phase === 'closed')
        throw new HttpError(409, [{ field: 'id', message: 'Forløbet er afsluttet' }]);
      const now = clock.now();
      const dateProblem = checkOutcomeDate(fields.date, referral.referredOn, danishDate(now));
      if (dateProblem) {
        throw new HttpError(400, [
          {
            field: 'date',
            message:
              dateProblem.rule === 'in-future'
                ? 'Datoen må ikke ligge i fremtiden'
                : 'Datoen må ikke ligge før visitationen',
          },
        ]);
      }
      const effect = applyOutcome(referral, fields);
      const outcome: OutcomeRecord = {
        referralId,
        outcomeId,
        type: fields.type,
        date: fields.date,
        hoursPerWeek: fields.hoursPerWeek,
        employer: fields.employer,
        hiredByAcceleratorCompany: fields.type === 'job-start' ? fields.hiredByAcceleratorCompany : undefined,
        recordedAt: now.toISOString(),
        recordedBy: caller.username,
        phaseAtOutcome: referral.phase,
      };
      const phase = effect.next?.phase ?? referral.phase;
      const response = json(201, { outcomeId, referralId, type: outcome.type, date: outcome.date, phase });
      await recordOutcome({
        referral,
        outcome,
        next: effect.next,
        phaseEndsAt: effect.next ? phaseEndsAt(effect.next) : null,
        releasesPlace: effect.releasesPlace,
        releasesCitizen: effect.releasesCitizen,
        idempotency: remember(response),
        access: accessEntryOf(referralId, caller, 'record-outcome', outcome.recordedAt),
      });
      logger.info('Outcome recorded', { referralId, outcomeId, type: outcome.type, phase });
      return response;
    },
  });
}
