import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { Caller } from '#domain/access';
import { canPlaceInduction } from '#domain/pathway';
import { accessEntryOf } from '#shared/access-log';
import { authorize } from '#shared/caller';
import { clock } from '#shared/clock';
import { HttpError, json, validate } from '#shared/http';
import { writeOnce } from '#shared/idempotency';
import { logger } from '#shared/logger';
import { accessible, handlePathwayPost } from '#shared/pathway-request';
import { loadReferral, recordPlacement } from '#shared/pathway-store';
import { placementFields } from '#shared/validation';
import { wrapHttpHandler } from '#shared/wrap-handler';

/**
 * POST /referrals/{id}/placement: the employment actor says where the company induction (months 7–12)
 * takes place: its own social-economy company, or an accelerator company with a social-work support person.
 * It may be set or changed until the pathway leaves induction; every change is kept as an event.
 */
export const handler = wrapHttpHandler('record-placement', async (event) => {
  const caller = authorize(event, 'record-placement');
  return handlePathwayPost(event, caller, 'placement', (referralId, data) =>
    place(event, caller, referralId, data),
  );
});

async function place(
  event: APIGatewayProxyEvent,
  caller: Caller,
  referralId: string,
  data: unknown,
): Promise<APIGatewayProxyResult> {
  const placement = validate(placementFields, data);
  return writeOnce({
    event,
    caller,
    referralId,
    route: `POST /referrals/${referralId}/placement`,
    checkAccess: async () => accessible(await loadReferral(referralId), caller, 'record-placement'),
    fingerprint: JSON.stringify(placement),
    attempt: async (remember) => {
      const referral = accessible(await loadReferral(referralId), caller, 'record-placement');
      if (!canPlaceInduction(referral.phase)) {
        throw new HttpError(409, [
          { field: 'id', message: 'Forløbet er gået videre end virksomhedsindslusningen' },
        ]);
      }
      const response = json(201, { referralId, inductionPlacement: placement });
      const at = clock.now().toISOString();
      await recordPlacement({
        referral,
        placement,
        at,
        by: caller.username,
        idempotency: remember(response),
        access: accessEntryOf(referralId, caller, 'record-placement', at),
      });
      logger.info('Induction placement recorded', { referralId, type: placement.type });
      return response;
    },
  });
}
