import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { Caller } from '#domain/access';
import { danishDate } from '#domain/dates';
import {
  applyOutcome,
  checkJobStart,
  checkOutcomeDate,
  isFollowedJob,
  isFollowedResult,
  phaseEndsAt,
} from '#domain/pathway';
import { decideEmployer } from '#domain/placement';
import { accessEntryOf } from '#shared/access-log';
import { authorize } from '#shared/caller';
import { clock } from '#shared/clock';
import { HttpError, json, validate } from '#shared/http';
import { writeOnce } from '#shared/idempotency';
import { logger } from '#shared/logger';
import { accessible, handlePathwayPost } from '#shared/pathway-request';
import {
  loadPathway,
  loadReferral,
  type OutcomeRecord,
  type Pathway,
  recordOutcome,
} from '#shared/pathway-store';
import { companyWithJourneys } from '#shared/placement-store';
import { type OutcomeFields, outcomeFields } from '#shared/validation';
import { wrapHttpHandler } from '#shared/wrap-handler';

/**
 * POST /referrals/{id}/outcomes. The outcome acts at once: a drop-out closes the pathway and frees the place;
 * a job or education start moves it to tracking. Payment follows through the table stream. A job start while
 * a job is being followed is refused (domain/pathway.ts `checkJobStart`), in the transaction itself.
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
    checkAccess: async () => accessible(await loadReferral(referralId), caller, 'record-outcome'),
    fingerprint: JSON.stringify(fields),
    attempt: async (remember) => {
      // A drop-out needs the pathway's followed results, to stop their sustainment runs; else only its state.
      const pathway =
        fields.type === 'dropout'
          ? accessible(await loadPathway(referralId), caller, 'record-outcome')
          : undefined;
      const referral =
        pathway?.referral ?? accessible(await loadReferral(referralId), caller, 'record-outcome');
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
      if (checkJobStart(referral.runningJob, fields) === 'job-running') {
        throw new HttpError(409, [
          {
            field: 'type',
            message: `Borgeren er allerede i et job, som følges op (jobstart ${referral.runningJob?.date}). Et nyt job kan registreres, når en milepæl har meldt det første job ophørt.`,
          },
        ]);
      }
      const employer = await employerOf(fields, referral.municipality);
      const effect = applyOutcome(referral, fields);
      const outcome: OutcomeRecord = {
        referralId,
        outcomeId,
        type: fields.type,
        date: fields.date,
        hoursPerWeek: fields.hoursPerWeek,
        ...employer,
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
        startsRunningJob: isFollowedJob(outcome),
        stopsSustainment: pathway && followedResults(pathway),
        idempotency: remember(response),
        access: accessEntryOf(referralId, caller, 'record-outcome', outcome.recordedAt),
      });
      logger.info('Outcome recorded', { referralId, outcomeId, type: outcome.type, phase });
      return response;
    },
  });
}

/**
 * The employer of a job start, and whether it is an accelerator company of the pathway's partnership on the
 * job's date (domain/placement.ts `decideEmployer`): stored on the outcome, where calculate-payment reads it.
 * Another outcome keeps only a name given with it, as before.
 */
async function employerOf(
  fields: OutcomeFields,
  municipality: string,
): Promise<{ employer?: string; employerCvr?: string; hiredByAcceleratorCompany?: boolean }> {
  if (fields.type !== 'job-start') return { employer: fields.employer };
  const { company, journeys } = fields.employerCvr
    ? await companyWithJourneys(fields.employerCvr)
    : { company: undefined, journeys: [] };
  const decision = decideEmployer(fields, company, journeys, municipality);
  if (!decision.ok)
    throw new HttpError(decision.status, [{ field: decision.field, message: decision.message }]);
  return {
    employer: decision.employer,
    employerCvr: decision.employerCvr,
    hiredByAcceleratorCompany: decision.hiredByAcceleratorCompany,
  };
}

/**
 * Every result of the pathway (job or education) that has (or had) a sustainment run: stopping a finished run
 * changes nothing, so all are named, not only the running ones. The state's running job is added: the pathway
 * is read in one query whose state item comes last, so a job start committed while the query ran is on the
 * state, not yet in the outcomes read (and any outcome committed after it, an education start too, moves the
 * event count on, which refuses this write).
 */
function followedResults(pathway: Pathway): string[] {
  const results = pathway.outcomes.filter(isFollowedResult).map((o) => o.outcomeId);
  const running = pathway.referral.runningJob?.outcomeId;
  return [...new Set(running ? [...results, running] : results)];
}
