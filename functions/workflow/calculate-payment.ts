import { z } from 'zod';
import { findCohort } from '#domain/accelerator';
import { hireCohort } from '#domain/company-results';
import { danishDate } from '#domain/dates';
import { findMunicipality, socialAccelerator } from '#domain/programme';
import { calculatePayment, type PaymentRule, type ResultFacts, type ResultKind } from '#domain/rate-card';
import { clock } from '#shared/clock';
import { putCompanyResult } from '#shared/company-payment-store';
import { journeysOfCompany } from '#shared/journey-store';
import { logger } from '#shared/logger';
import { loadEmploymentActor } from '#shared/partnership-store';
import {
  loadCitizenPaid,
  loadMunicipalityPaid,
  loadPathway,
  type Pathway,
  type PaymentRecord,
  putPayments,
  resultIdOf,
} from '#shared/pathway-store';
import { places } from '#shared/programme-scale';
import { rereadBackoff, retry } from '#shared/retry';
import { wrapHandler } from '#shared/wrap-handler';

/** An outcome, or (with `milestoneWeeks`) a confirmed sustainment milestone of a job or education outcome. */
const input = z.looseObject({
  referralId: z.string().min(1),
  outcomeId: z.string().min(1),
  milestoneWeeks: z.number().int().positive().optional(),
});

export type Calculation =
  | { due: true; paymentIds: string[]; paymentKeys: string[] }
  | { due: false; paymentIds: []; paymentKeys: []; reason: string };

/** A refused write means another payment landed meanwhile; a few re-reads settle it. */
class PaymentsRefused extends Error {
  override name = 'PaymentsRefused';
  constructor(resultId: string) {
    super(`Payments for result ${resultId} were refused: another payment landed meanwhile`);
  }
}

/**
 * The payment machine's first task: price a result with the rate card in force on its date and write its
 * payments (employment actor, and the social accelerator for a job with an accelerator company) once. A retry,
 * a replayed execution or a second result of the same kind finds the payments already written.
 */
export const handler = wrapHandler('calculate-payment', async (event: unknown): Promise<Calculation> => {
  const { referralId, outcomeId, milestoneWeeks } = input.parse(event);
  const resultId = milestoneWeeks ? resultIdOf(outcomeId, milestoneWeeks) : outcomeId;
  const policy = { ...rereadBackoff, retryable: (error: unknown) => error instanceof PaymentsRefused };
  return retry(`calculate-payment for result ${resultId}`, policy, async (): Promise<Calculation> => {
    const pathway = await loadPathway(referralId);
    if (!pathway) throw new Error(`Referral ${referralId} not found`);
    // Before the citizen's payments are looked at: a run that paid them and then crashed still records this.
    if (milestoneWeeks === 26) await recordAcceleratorHire(pathway, outcomeId);

    // A retried or replayed run finds its own payments.
    const earlier = pathway.payments.filter((p) => p.resultId === resultId);
    if (earlier.length > 0) return paid(earlier);

    const result = resultOf(pathway, outcomeId, milestoneWeeks);
    if ('notPaid' in result) return { due: false, paymentIds: [], paymentKeys: [], reason: result.notPaid };
    const { facts, recordedAt, recordedBy } = result;
    const { referral } = pathway;
    // The card prices each payment group; a referral made before rate groups were asked for has none, so its
    // results are not priced (not due, logged for the caseworker to follow up) rather than priced as a guess.
    if (!referral.rateGroup) {
      logger.warn('Result not priced: the referral has no rate group', { resultId, referralId });
      return { due: false, paymentIds: [], paymentKeys: [], reason: 'unpriced:no-rate-group' };
    }
    const group = { benefit: referral.benefit, rateGroup: referral.rateGroup, readiness: referral.readiness };
    const municipality = findMunicipality(referral.municipality);
    const [municipalityPaid, citizenPaid, actor] = await Promise.all([
      loadMunicipalityPaid(referral.municipality),
      loadCitizenPaid(referral.citizenKey),
      loadEmploymentActor(referral.municipality),
    ]);
    const byRule = new Map<PaymentRule, number>();
    for (const p of pathway.payments) byRule.set(p.rule, (byRule.get(p.rule) ?? 0) + p.amountOere);
    const decision = calculatePayment({ ...facts, group }, danishDate(new Date(recordedAt)), {
      byRule,
      citizenOere: citizenPaid,
      municipalityOere: municipalityPaid,
      municipalityPlaces: municipality ? places(municipality) : 0,
    });
    if (!decision.due) return { due: false, paymentIds: [], paymentKeys: [], reason: decision.reason };

    const outcome = pathway.outcomes.find((o) => o.outcomeId === outcomeId);
    const createdAt = clock.now().toISOString();
    const payments: PaymentRecord[] = decision.payments.map((due) => {
      const payee =
        due.payee === 'social-accelerator'
          ? socialAccelerator
          : {
              id: referral.employmentActorId,
              // The actor as it named itself in the partnership; until it has, the municipality's label for it.
              name: actor?.name ?? municipality?.employmentActor.name ?? referral.employmentActorId,
            };
      const paymentKey = `${due.rule}#${due.payee}`;
      return {
        paymentId: `${referralId}.${due.rule}.${due.payee}`,
        paymentKey,
        referralId,
        resultId,
        outcomeId,
        outcomeType: outcome?.type ?? 'job-start',
        rule: due.rule,
        payee: due.payee,
        amountOere: due.amountOere,
        cappedFromOere: due.cappedFromOere,
        rateCardVersion: due.rateCardVersion,
        dueDate: due.dueDate,
        municipality: referral.municipality,
        payeeId: payee.id,
        payeeName: payee.name,
        createdAt,
        recordedBy,
      };
    });
    const written = await putPayments({
      referralId,
      municipality: referral.municipality,
      payments,
      expectedPaymentSeq: referral.paymentSeq ?? 0,
      expectedMunicipalityPaid: municipalityPaid,
      citizenKey: referral.citizenKey,
      expectedCitizenPaid: citizenPaid,
    });
    if (!written) throw new PaymentsRefused(resultId);
    logger.info('Payments recorded', { resultId, paymentIds: payments.map((p) => p.paymentId) });
    return paid(payments);
  });
});

/**
 * A job with an accelerator company confirmed at 26 weeks is also the accelerator's company-side result (issue 7):
 * it is recorded once, in the cohort where the company was in the accelerator or its follow-up on the job's first
 * day, and the table stream starts its payment (lib/company-payments.ts). A job with any other employer records
 * nothing; whether the result is paid, and how much, the company payment decides.
 */
async function recordAcceleratorHire(pathway: Pathway, outcomeId: string): Promise<void> {
  const outcome = pathway.outcomes.find((o) => o.outcomeId === outcomeId);
  const milestone = pathway.milestones.find((m) => m.outcomeId === outcomeId && m.weeks === 26);
  if (outcome?.type !== 'job-start' || !outcome.hiredByAcceleratorCompany || !outcome.employerCvr) return;
  if (milestone?.status !== 'confirmed' || !outcome.date) return;
  const journeys = await journeysOfCompany(outcome.employerCvr, pathway.referral.municipality);
  const cohortId = hireCohort(journeys, outcome.date, findCohort);
  if (!cohortId) return;
  const confirmedAt = milestone.confirmedAt ?? milestone.openedAt;
  const recorded = await putCompanyResult({
    kind: 'accelerator-hire-sustained',
    resultId: outcomeId,
    cvr: outcome.employerCvr,
    cohortId,
    municipality: pathway.referral.municipality,
    date: danishDate(new Date(confirmedAt)),
    recordedAt: confirmedAt,
    recordedBy: milestone.confirmedBy ?? 'sustainment-workflow',
    referralId: pathway.referral.referralId,
    jobStartedOn: outcome.date,
    hoursPerWeek: outcome.hoursPerWeek,
  });
  if (recorded) logger.info('Accelerator hire recorded for its company payment', { cohortId, outcomeId });
}

function paid(payments: PaymentRecord[]): Calculation {
  return {
    due: true,
    paymentIds: payments.map((p) => p.paymentId),
    paymentKeys: payments.map((p) => p.paymentKey),
  };
}

/**
 * The facts the rate card prices: the outcome itself, or its job at a confirmed milestone; or why the result is
 * not paid at all.
 */
function resultOf(
  pathway: Pathway,
  outcomeId: string,
  milestoneWeeks: number | undefined,
):
  | { facts: Omit<ResultFacts, 'group'>; recordedAt: string; recordedBy: string | undefined }
  | { notPaid: string } {
  const outcome = pathway.outcomes.find((o) => o.outcomeId === outcomeId);
  if (!outcome) throw new Error(`Outcome ${outcomeId} of referral ${pathway.referral.referralId} not found`);
  const job = {
    hoursPerWeek: outcome.hoursPerWeek,
    hiredByAcceleratorCompany: outcome.hiredByAcceleratorCompany === true,
  };
  if (milestoneWeeks === undefined) {
    // A drop-out is not a result: nothing is paid for it.
    if (outcome.type === 'dropout') return { notPaid: 'no-result' };
    return {
      facts: { kind: outcome.type, date: outcome.date, ...job },
      recordedAt: outcome.recordedAt,
      recordedBy: outcome.recordedBy,
    };
  }
  const milestone = pathway.milestones.find((m) => m.outcomeId === outcomeId && m.weeks === milestoneWeeks);
  if (milestone?.status !== 'confirmed') {
    throw new Error(`Milestone ${milestoneWeeks} of outcome ${outcomeId} is not confirmed`);
  }
  // The rate card pays the education start alone; its milestones confirm enrolment (for the business case). The
  // rule lives here, not in the dispatcher: every confirmed milestone keeps exactly one payment run under one
  // name, for the dispatcher and the reconciler alike, and a run that ends "not due" succeeds, which is all the
  // reconciler asks of a result that pays nothing. A second "which milestones pay" rule in both would be two
  // places to keep in step for exactly-once.
  if (outcome.type === 'education-start') return { notPaid: 'not-paid:education-milestone' };
  const kind: ResultKind = milestoneWeeks === 13 ? 'sustained-13-weeks' : 'sustained-26-weeks';
  return {
    facts: { kind, date: milestone.dueOn, ...job },
    recordedAt: milestone.confirmedAt ?? milestone.openedAt,
    // Who confirmed the milestone: the person whose answer this payment is for.
    recordedBy: milestone.confirmedBy,
  };
}
