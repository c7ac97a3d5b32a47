import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { RateGroup } from '#domain/benefits';
import { danishDate } from '#domain/dates';
import { checkStartDate, phaseEndsAt, planPathway, startPathway } from '#domain/pathway';
import { findMunicipality } from '#domain/programme';
import { clock } from '#shared/clock';
import { citizenKeyFor, encryptCpr } from '#shared/cpr-protection';
import { type FormValues, referralForm } from '#shared/html';
import { basePath, HttpError, html, json, readBody, recordedBy, validate } from '#shared/http';
import { idempotencyRequest, idempotencyWrite, replay } from '#shared/idempotency';
import { logger } from '#shared/logger';
import {
  CREATE_REFERRAL,
  createReferral,
  type ReferralRecord,
  TransactionRefused,
} from '#shared/pathway-store';
import { places } from '#shared/programme-scale';
import { referralView } from '#shared/referral-view';
import { type ReferralFields, referralFields } from '#shared/validation';
import { wrapHttpHandler } from '#shared/wrap-handler';

/**
 * POST /referrals, from the HTML form (303 to the new pathway, or the form again with messages) or as JSON
 * (201). The place, the citizen's lock, the referral and its first events are written in one transaction.
 */
export const handler = wrapHttpHandler('create-referral', async (event) => {
  const body = readBody(event);
  if (body.kind === 'form') return fromForm(event, body.data as Record<string, string>);
  const { response } = await refer(event, body.data);
  return response;
});

async function fromForm(
  event: APIGatewayProxyEvent,
  data: Record<string, string>,
): Promise<APIGatewayProxyResult> {
  const base = basePath(event);
  try {
    const { referralId } = await refer(event, data);
    return {
      statusCode: 303,
      headers: { Location: `${base}/referrals/${referralId}`, 'Cache-Control': 'no-store' },
      body: '',
    };
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    const { cpr: _cpr, ...kept } = data;
    return html(error.statusCode, referralForm(base, kept as FormValues, error.errors));
  }
}

async function refer(
  event: APIGatewayProxyEvent,
  data: unknown,
): Promise<{ referralId: string; response: APIGatewayProxyResult }> {
  const fields = validate(referralFields, data);
  const now = clock.now();
  const today = danishDate(now);
  const startProblem = checkStartDate(fields.startDate, today);
  if (startProblem) {
    throw new HttpError(400, [
      {
        field: 'startDate',
        message:
          startProblem === 'too-early'
            ? 'Startdato må højst ligge 31 dage tilbage'
            : 'Startdato må højst ligge 92 dage frem',
      },
    ]);
  }
  // Validated above, so the municipality is known.
  const municipality = findMunicipality(fields.municipality) as NonNullable<
    ReturnType<typeof findMunicipality>
  >;

  const citizenKey = await citizenKeyFor(fields.cpr);
  const idempotency = idempotencyRequest(event, 'POST /referrals', fingerprint(fields, citizenKey));
  const replayed = await replay(idempotency);
  if (replayed) return { referralId: referralIdFrom(replayed), response: replayed };

  const referralId = randomUUID();
  const plan = planPathway(fields.startDate);
  const position = startPathway(plan, today);
  const referral: ReferralRecord = {
    referralId,
    municipality: municipality.code,
    employmentActorId: municipality.employmentActor.id,
    name: fields.name,
    benefit: fields.benefit,
    rateGroup: fields.rateGroup as RateGroup,
    readiness: fields.readiness,
    weeksOnBenefit: fields.weeksOnBenefit,
    startDate: fields.startDate,
    referredOn: today,
    referredAt: now.toISOString(),
    referredBy: recordedBy(event),
    plan,
    ...position,
    eventSeq: 2,
    citizenKey,
  };
  const view = referralView({
    referral,
    events: [
      {
        kind: 'phase-started',
        referralId,
        seq: 2,
        at: referral.referredAt,
        by: referral.referredBy,
        trigger: 'referral',
        phase: position.phase,
        phaseSeq: position.phaseSeq,
        startedOn: position.phaseStartedOn,
        endsOn: position.phaseEndsOn,
      },
    ],
    outcomes: [],
    payments: [],
    milestones: [],
    failures: [],
  });
  const response = json(201, view, { Location: `${basePath(event)}/referrals/${referralId}` });

  try {
    await createReferral({
      referral,
      cprCiphertext: await encryptCpr(fields.cpr, referralId),
      places: places(municipality),
      phaseEndsAt: phaseEndsAt(position),
      idempotency: idempotencyWrite(idempotency, {
        statusCode: response.statusCode,
        body: response.body,
        headers: response.headers as Record<string, string>,
      }),
    });
  } catch (error) {
    if (!(error instanceof TransactionRefused)) throw error;
    if (error.failedAt(CREATE_REFERRAL.idempotency)) {
      // The same key won a concurrent race: answer as it did.
      const first = await replay(idempotency);
      if (first) return { referralId: referralIdFrom(first), response: first };
    }
    if (error.failedAt(CREATE_REFERRAL.citizen)) {
      throw new HttpError(409, [{ field: 'cpr', message: 'Borgeren er allerede i et aktivt forløb' }]);
    }
    if (error.failedAt(CREATE_REFERRAL.capacity)) {
      throw new HttpError(409, [
        {
          field: 'municipality',
          message: `${municipality.name} Kommune har ingen ledige pladser (${places(municipality)} i alt)`,
        },
      ]);
    }
    throw error;
  }
  logger.info('Referral created', { referralId, municipality: municipality.code, phase: position.phase });
  return { referralId, response };
}

function fingerprint(fields: ReferralFields, citizenKey: string): string {
  const { cpr: _cpr, ...rest } = fields;
  return JSON.stringify({ ...rest, citizenKey });
}

function referralIdFrom(response: APIGatewayProxyResult): string {
  return (JSON.parse(response.body) as { referralId: string }).referralId;
}
