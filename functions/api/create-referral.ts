import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { Caller } from '#domain/access';
import type { RateGroup } from '#domain/benefits';
import { containsCprShape } from '#domain/cpr';
import { danishDate } from '#domain/dates';
import { checkStartDate, phaseEndsAt, planPathway, startPathway } from '#domain/pathway';
import { findMunicipality, type Municipality } from '#domain/programme';
import { checkStaircaseWeek, maxStaircaseWeek } from '#domain/reimbursement';
import { accessEntryOf } from '#shared/access-log';
import { authorize } from '#shared/caller';
import { clock } from '#shared/clock';
import { citizenKeyFor, encryptCpr } from '#shared/cpr-protection';
import { type FormValues, referralForm } from '#shared/html';
import { basePath, HttpError, htmlResponse, json, readBody, redirect, validate } from '#shared/http';
import {
  idempotencyRequest,
  idempotencyWrite,
  logReplay,
  replay,
  replayAfterLoss,
} from '#shared/idempotency';
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
 * (201). The place, the citizen's lock, the referral, its first events and the caseworker's access entry are
 * written in one transaction. The municipality is the caseworker's own, from the identity provider: a request
 * may repeat it, never choose another.
 */
export const handler = wrapHttpHandler('create-referral', async (event) => {
  const caller = authorize(event, 'refer');
  const body = readBody(event);
  if (body.kind === 'form') return fromForm(event, caller, body.data as Record<string, string>);
  const { response } = await refer(event, caller, body.data);
  return response;
});

async function fromForm(
  event: APIGatewayProxyEvent,
  caller: Caller,
  data: Record<string, string>,
): Promise<APIGatewayProxyResult> {
  const base = basePath(event);
  try {
    const { referralId } = await refer(event, caller, data);
    return redirect(`${base}/referrals/${referralId}`);
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    // Never the CPR number back, nor a CPR-shaped number typed into another field (refused above).
    const kept = Object.fromEntries(
      Object.entries(data).filter(([field, value]) => field !== 'cpr' && !containsCprShape(String(value))),
    );
    return htmlResponse(error.statusCode, referralForm(base, caller, kept as FormValues, error.errors));
  }
}

const otherMunicipality = () =>
  new HttpError(403, [
    {
      field: 'municipality',
      message: 'Du kan kun visitere borgere i din egen kommune. Udelad kommunen, så bruges din.',
    },
  ]);

/**
 * The caller's municipality, which must be one of the programme's. A municipality in the request that is not
 * the caller's is refused before anything else is looked at.
 */
function municipalityOf(caller: Caller, data: unknown): Municipality {
  const asked =
    typeof data === 'object' && data !== null ? (data as { municipality?: unknown }).municipality : undefined;
  if (asked !== undefined && asked !== null && asked !== '' && String(asked).trim() !== caller.municipality) {
    throw otherMunicipality();
  }
  const municipality = findMunicipality(caller.municipality ?? '');
  if (!municipality) {
    // A user whose kommunekode is not in the programme (an administrator's mistake) can refer nobody.
    throw new HttpError(403, [
      { field: 'municipality', message: 'Din kommune er ikke med i programmet, så du kan ikke visitere' },
    ]);
  }
  return municipality;
}

async function refer(
  event: APIGatewayProxyEvent,
  caller: Caller,
  data: unknown,
): Promise<{ referralId: string; response: APIGatewayProxyResult }> {
  const municipality = municipalityOf(caller, data);
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
  if (checkStaircaseWeek(fields.staircaseWeek, today) !== 'ok') {
    throw new HttpError(400, [
      {
        field: 'staircaseWeek',
        message: `Uge på refusionstrappen kan højst være ${maxStaircaseWeek(today)}: trappen tæller uger fra 1. juli 2014`,
      },
    ]);
  }
  const citizenKey = await citizenKeyFor(fields.cpr);
  const idempotency = idempotencyRequest(
    event,
    caller,
    'POST /referrals',
    fingerprint({ ...fields, municipality: municipality.code }, citizenKey),
  );
  const replayed = await replay(idempotency);
  if (replayed) return answerReplay(replayed, caller);

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
    staircaseWeek: fields.staircaseWeek,
    startDate: fields.startDate,
    referredOn: today,
    referredAt: now.toISOString(),
    referredBy: caller.username,
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
      access: accessEntryOf(referralId, caller, 'refer', referral.referredAt),
    });
  } catch (error) {
    // The same key may have won a concurrent race, and taken the place or the citizen's lock before us: then
    // its answer is ours, whichever condition refused this write.
    const first = await replayAfterLoss(idempotency, error);
    if (first) return answerReplay(first, caller);
    if (!(error instanceof TransactionRefused)) throw error;
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

/** The first answer again, logged as a read of the pathway it names (functions/shared/idempotency.ts). */
async function answerReplay(
  response: APIGatewayProxyResult,
  caller: Caller,
): Promise<{ referralId: string; response: APIGatewayProxyResult }> {
  const referralId = (JSON.parse(response.body) as { referralId: string }).referralId;
  return { referralId, response: await logReplay(response, caller, referralId) };
}
