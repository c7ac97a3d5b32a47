import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { z } from 'zod';
import { type Cohort, findCohort } from '#domain/accelerator';
import { type Caller, mayAccess, mayAccessCompany, visibleMunicipalities } from '#domain/access';
import type { Actor, JourneyDecision, JourneyState } from '#domain/company-journey';
import { checkCvr } from '#domain/cvr';
import { danishDate } from '#domain/dates';
import type { CompanyRecord } from '#domain/parties';
import { clock } from './clock.ts';
import {
  type CohortFormErrors,
  type CohortView,
  cohortMunicipalities,
  cohortPage,
  cohortView,
} from './cohort-page.ts';
import { basePath, HttpError, htmlResponse, readBody, redirect } from './http.ts';
import {
  JourneyChanged,
  loadJourney,
  loadMunicipalityCompanies,
  loadMunicipalityJourneys,
  writeJourney,
} from './journey-store.ts';
import { logger } from './logger.ts';
import { loadCompany } from './partnership-store.ts';

/**
 * What the journey's POSTs share: the cohort and the company as the caller may see them (another municipality's
 * company answers as one nobody registered), and one write loop: read the journey, decide (domain/company-
 * journey.ts), write state and events in one transaction, and read and decide again when another writer came
 * between. A repeat of a request finds its decision made and answers as the first time did.
 */

export const cohortIdField = z
  .string({ error: 'Hold skal angives (fx cluster-1-2019)' })
  .trim()
  .min(1, { error: 'Hold skal angives (fx cluster-1-2019)' });

/** Yes or no: a JSON boolean, or "true"/"false" from a form. */
export const yesOrNo = (message: string) =>
  z.preprocess((v) => (v === 'true' ? true : v === 'false' ? false : v), z.boolean({ error: message }));

/** The cohort by id, or a 404 on `field`. */
export function cohortNamed(id: string, field = 'cohortId'): Cohort {
  const cohort = findCohort(id);
  if (!cohort) throw new HttpError(404, [{ field, message: 'Holdet findes ikke' }]);
  return cohort;
}

const companyNotFound = () => new HttpError(404, [{ field: 'cvr', message: 'Virksomheden findes ikke' }]);

/** A registered company the caller may act on with `run-accelerator`; unknown and another's alike are 404. */
export async function companyFor(caller: Caller, cvrInput: string): Promise<CompanyRecord> {
  const cvr = checkCvr(cvrInput);
  if (!cvr.ok) throw companyNotFound();
  const company = await loadCompany(cvr.normalized);
  if (!company || !mayAccessCompany(caller, 'run-accelerator', company.municipality, company.cvr)) {
    throw companyNotFound();
  }
  return company;
}

export function actorNow(caller: Caller): Actor {
  const now = clock.now();
  return { today: danishDate(now), at: now.toISOString(), by: caller.username };
}

const ATTEMPTS = 3;

/** A decision about a journey that must exist: a company not invited to the cohort is a 404 on cohortId. */
export const onExisting =
  (decide: (journey: JourneyState, actor: Actor) => JourneyDecision) =>
  (journey: JourneyState | undefined, actor: Actor): JourneyDecision =>
    journey
      ? decide(journey, actor)
      : {
          kind: 'refused',
          status: 404,
          field: 'cohortId',
          message: 'Virksomheden er ikke inviteret til dette hold',
        };

/** Reads the journey (undefined when there is none yet), lets `decide` say what to do, and writes it. */
export async function changeJourney(options: {
  caller: Caller;
  company: CompanyRecord;
  cohort: Cohort;
  decide: (journey: JourneyState | undefined, actor: Actor) => JourneyDecision;
  answer: (journey: JourneyState) => APIGatewayProxyResult;
}): Promise<APIGatewayProxyResult> {
  const { company, cohort } = options;
  for (let attempt = 1; ; attempt++) {
    const journey = await loadJourney(company.municipality, company.cvr, cohort.id);
    const decision = options.decide(journey, actorNow(options.caller));
    if (decision.kind === 'refused') {
      throw new HttpError(decision.status, [{ field: decision.field, message: decision.message }]);
    }
    if (decision.kind === 'unchanged') return options.answer(decision.state);
    try {
      await writeJourney(journey?.eventSeq, decision.state, decision.events);
      logger.info('Company journey changed', {
        cohortId: cohort.id,
        stage: decision.state.stage,
        events: decision.events.map((e) => e.kind),
      });
      return options.answer(decision.state);
    } catch (error) {
      if (!(error instanceof JourneyChanged)) throw error;
      if (attempt >= ATTEMPTS) {
        throw new HttpError(409, [
          { field: 'cohortId', message: 'Forløbet blev ændret samtidig. Prøv igen.' },
        ]);
      }
    }
  }
}

/** The cvr path parameter of /companies/{cvr}/journey/…. */
export function cvrParameter(event: APIGatewayProxyEvent): string {
  return event.pathParameters?.cvr ?? '';
}

/**
 * The cohort page's data as `caller` may see it: the journeys and companies of the cluster's municipalities the
 * caller may read (two queries each), and for the accelerator staff the companies they may invite.
 */
export async function loadCohortView(caller: Caller, cohort: Cohort): Promise<CohortView> {
  const shown = cohortMunicipalities(cohort, visibleMunicipalities(caller, 'read-cohort'));
  const loaded = await Promise.all(
    shown.map(async (code) => ({
      journeys: await loadMunicipalityJourneys(code),
      companies: await loadMunicipalityCompanies(code),
    })),
  );
  const invitingFor =
    caller.municipality && mayAccess(caller, 'run-accelerator', caller.municipality)
      ? caller.municipality
      : undefined;
  return cohortView(
    cohort,
    shown,
    loaded.flatMap((l) => l.journeys),
    loaded.flatMap((l) => l.companies),
    invitingFor,
  );
}

/** A form's fields as the user typed them, to show the form again after an error (strings only). */
function typedValues(data: unknown): Record<string, string> {
  if (typeof data !== 'object' || data === null) return {};
  return Object.fromEntries(
    Object.entries(data).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );
}

/**
 * A POST from the cohort page or an API client. JSON gets the action's own answer; a form gets 303 back to the
 * cohort page, or the page again with a message per field and the values kept (a 404 stays an error answer).
 */
export async function answerJourneyPost(
  event: APIGatewayProxyEvent,
  caller: Caller,
  form: Pick<CohortFormErrors, 'form' | 'cvr'>,
  act: (data: unknown) => Promise<APIGatewayProxyResult>,
): Promise<APIGatewayProxyResult> {
  const body = readBody(event);
  if (body.kind === 'json') return act(body.data);
  const values = typedValues(body.data);
  const cohort = findCohort(event.pathParameters?.cohortId ?? values.cohortId ?? '');
  const base = basePath(event);
  try {
    await act(body.data);
    return redirect(cohort ? `${base}/cohorts/${cohort.id}` : `${base}/partnership`);
  } catch (error) {
    if (!(error instanceof HttpError) || error.statusCode === 404 || !cohort) throw error;
    const view = await loadCohortView(caller, cohort);
    return htmlResponse(
      error.statusCode,
      cohortPage(base, caller, view, { ...form, errors: error.errors, values }),
    );
  }
}
