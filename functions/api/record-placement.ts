import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { canPlaceInduction } from '#domain/pathway';
import { clock } from '#shared/clock';
import { HttpError, json, recordedBy, validate } from '#shared/http';
import { idempotencyRequest, idempotencyWrite, replay } from '#shared/idempotency';
import { logger } from '#shared/logger';
import { handlePathwayPost, notFound } from '#shared/pathway-request';
import { loadReferral, recordPlacement, TransactionRefused } from '#shared/pathway-store';
import { placementFields } from '#shared/validation';
import { wrapHttpHandler } from '#shared/wrap-handler';

const ATTEMPTS = 3;

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
  const idempotency = idempotencyRequest(
    event,
    `POST /referrals/${referralId}/placement`,
    JSON.stringify(placement),
  );
  const replayed = await replay(idempotency);
  if (replayed) return replayed;

  for (let attempt = 1; ; attempt++) {
    const referral = await loadReferral(referralId);
    if (!referral) throw notFound();
    if (!canPlaceInduction(referral.phase)) {
      throw new HttpError(409, [
        { field: 'id', message: 'Forløbet er gået videre end virksomhedsindslusningen' },
      ]);
    }
    const response = json(201, { referralId, inductionPlacement: placement });
    try {
      await recordPlacement({
        referral,
        placement,
        at: clock.now().toISOString(),
        by: recordedBy(event),
        idempotency: idempotencyWrite(idempotency, {
          statusCode: response.statusCode,
          body: response.body,
          headers: response.headers as Record<string, string>,
        }),
      });
      logger.info('Induction placement recorded', { referralId, type: placement.type });
      return response;
    } catch (error) {
      if (!(error instanceof TransactionRefused)) throw error;
      const first = await replay(idempotency);
      if (first) return first;
      if (attempt >= ATTEMPTS) {
        throw new HttpError(409, [{ field: 'id', message: 'Forløbet blev ændret samtidig. Prøv igen.' }]);
      }
    }
  }
}
