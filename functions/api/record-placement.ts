import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { Caller } from '#domain/access';
import { danishDate } from '#domain/dates';
import { canPlaceInduction } from '#domain/pathway';
import { decidePlacement } from '#domain/placement';
import { accessEntryOf } from '#shared/access-log';
import { authorize } from '#shared/caller';
import { clock } from '#shared/clock';
import { HttpError, json, validate } from '#shared/http';
import { writeOnce } from '#shared/idempotency';
import { logger } from '#shared/logger';
import { accessible, handlePathwayPost } from '#shared/pathway-request';
import { loadReferral, recordPlacement } from '#shared/pathway-store';
import { companyWithJourneys } from '#shared/placement-store';
import { placementFields } from '#shared/validation';
import { wrapHttpHandler } from '#shared/wrap-handler';

/**
 * POST /referrals/{id}/placement: the employment actor says where the company induction (months 7–12)
 * takes place: its own social-economy company, or an accelerator company with a social-work support person,
 * named by CVR number: a company record of the pathway's partnership (domain/placement.ts `decidePlacement`;
 * 409 on companyCvr otherwise). It may be set or changed until the pathway leaves induction; every change is
 * kept as an event, with the company's CVR number and its name as it was.
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
  const request = validate(placementFields, data);
  return writeOnce({
    event,
    caller,
    referralId,
    route: `POST /referrals/${referralId}/placement`,
    checkAccess: async () => accessible(await loadReferral(referralId), caller, 'record-placement'),
    fingerprint: JSON.stringify(request),
    attempt: async (remember) => {
      const referral = accessible(await loadReferral(referralId), caller, 'record-placement');
      if (!canPlaceInduction(referral.phase)) {
        throw new HttpError(409, [
          { field: 'id', message: 'Forløbet er gået videre end virksomhedsindslusningen' },
        ]);
      }
      const now = clock.now();
      const { company, journeys } = await companyWithJourneys(request.companyCvr);
      const decision = decidePlacement(request, company, journeys, referral.municipality, danishDate(now));
      if (!decision.ok)
        throw new HttpError(decision.status, [{ field: decision.field, message: decision.message }]);
      const { placement } = decision;
      const response = json(201, { referralId, inductionPlacement: placement });
      const at = now.toISOString();
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
