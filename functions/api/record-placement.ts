import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { canPlaceInduction } from '#domain/pathway';
import { clock } from '#shared/clock';
import { HttpError, json, recordedBy, validate } from '#shared/http';
import { writeOnce } from '#shared/idempotency';
import { logger } from '#shared/logger';
import { handlePathwayPost, notFound } from '#shared/pathway-request';
import { loadReferral, recordPlacement } from '#shared/pathway-store';
import { placementFields } from '#shared/validation';
import { wrapHttpHandler } from '#shared/wrap-handler';

/**
 * POST /referrals/{id}/placement: the employment actor says where the company induction (months 7–12)
 * takes place: its own social-economy company, or an accelerator company with a social-work support person.
 * It may be set or changed until the pathway leaves induction; every change is kept as an event.
 */
export const handler = wrapHttpHandler('record-placement', (event) =>
  handlePathwayPost(event, 'placement', (referralId, data) => place(event, referralId, data)),
);

async function place(
  event: APIGatewayProxyEvent,
  referralId: string,
  data: unknown,
): Promise<APIGatewayProxyResult> {
  const placement = validate(placementFields, data);
  return writeOnce({
    event,
    route: `POST /referrals/${referralId}/placement`,
    fingerprint: JSON.stringify(placement),
    attempt: async (remember) => {
      const referral = await loadReferral(referralId);
      if (!referral) throw notFound();
      if (!canPlaceInduction(referral.phase)) {
        throw new HttpError(409, [
          { field: 'id', message: 'Forløbet er gået videre end virksomhedsindslusningen' },
        ]);
      }
      const response = json(201, { referralId, inductionPlacement: placement });
      await recordPlacement({
        referral,
        placement,
        at: clock.now().toISOString(),
        by: recordedBy(event),
        idempotency: remember(response),
      });
      logger.info('Induction placement recorded', { referralId, type: placement.type });
      return response;
    },
  });
}
