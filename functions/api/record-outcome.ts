import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { danishDate } from '#domain/dates';
import { applyOutcome, checkOutcomeDate, phaseEndsAt } from '#domain/pathway';
import { clock } from '#shared/clock';
import { HttpError, json, recordedBy, validate } from '#shared/http';
import { idempotencyRequest, idempotencyWrite, replay } from '#shared/idempotency';
import { logger } from '#shared/logger';
import { handlePathwayPost, notFound } from '#shared/pathway-request';
import { loadReferral, type OutcomeRecord, recordOutcome, TransactionRefused } from '#shared/pathway-store';
import { outcomeFields } from '#shared/validation';
import { wrapHttpHandler } from '#shared/wrap-handler';

/** Another writer (the phase timer) may move the pathway between our read and write; then we read again. */
const ATTEMPTS = 3;

/**
 * POST /referrals/{id}/outcomes. The outcome acts at once: a drop-out closes the pathway and frees the place;
 * a job or education start moves it to tracking. Payment follows through the table stream.
 */
export const handler = wrapHttpHandler('record-outcome', (event) =>
  handlePathwayPost(event, 'outcome', (referralId, data) => record(event, referralId, data)),
);

async function record(
  event: APIGatewayProxyEvent,
  referralId: string,
  data: unknown,
): Promise<APIGatewayProxyResult> {
  const fields = validate(outcomeFields, data);
  const idempotency = idempotencyRequest(
    event,
    `POST /referrals/${referralId}/outcomes`,
    JSON.stringify(fields),
  );
  const replayed = await replay(idempotency);
  if (replayed) return replayed;

  const outcomeId = randomUUID();
  for (let attempt = 1; ; attempt++) {
    const referral = await loadReferral(referralId);
    if (!referral) throw notFound();
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
      recordedBy: recordedBy(event),
      phaseAtOutcome: referral.phase,
    };
    const phase = effect.next?.phase ?? referral.phase;
    const response = json(201, { outcomeId, referralId, type: outcome.type, date: outcome.date, phase });
    try {
      await recordOutcome({
        referral,
        outcome,
        next: effect.next,
        phaseEndsAt: effect.next ? phaseEndsAt(effect.next) : null,
        releasesPlace: effect.releasesPlace,
        releasesCitizen: effect.releasesCitizen,
        idempotency: idempotencyWrite(idempotency, {
          statusCode: response.statusCode,
          body: response.body,
          headers: response.headers as Record<string, string>,
        }),
      });
      logger.info('Outcome recorded', { referralId, outcomeId, type: outcome.type, phase });
      return response;
    } catch (error) {
      if (!(error instanceof TransactionRefused)) throw error;
      const first = await replay(idempotency);
      if (first) return first;
      if (attempt >= ATTEMPTS)
        throw new HttpError(409, [{ field: 'id', message: 'Forløbet blev ændret samtidig. Prøv igen.' }]);
    }
  }
}
