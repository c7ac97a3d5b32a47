import { z } from 'zod';
import { type Cohort, type CompanyDecisions, findCohort } from '#domain/accelerator';
import { type CompanyResultFacts, priceCompanyResult } from '#domain/company-results';
import { danishDate } from '#domain/dates';
import { socialAccelerator } from '#domain/programme';
import { emptyChecklist, type SocialModelChecklist } from '#domain/social-model';
import { clock } from '#shared/clock';
import {
  type CompanyPaymentRecord,
  type CompanyResultRecord,
  loadCompanyPaid,
  loadCompanyResult,
  putCompanyPayment,
} from '#shared/company-payment-store';
import { loadSocialModel } from '#shared/company-progress-store';
import { loadJourney } from '#shared/journey-store';
import { logger } from '#shared/logger';
import { loadCompany } from '#shared/partnership-store';
import { rereadBackoff, retry } from '#shared/retry';
import { wrapHandler } from '#shared/wrap-handler';

const input = z.looseObject({
  cvr: z.string().regex(/^\d{8}$/),
  cohortId: z.string().min(1),
  resultId: z.string().min(1),
});

export type CompanyCalculation =
  | { due: true; paymentKey: string; paymentId: string }
  | { due: false; reason: string };

/** A refused write means another payment of the company landed meanwhile; a few re-reads settle it. */
class CompanyPaymentRefused extends Error {
  override name = 'CompanyPaymentRefused';
}

/**
 * The CompanyPayment machine's first task: price a company-side result (domain/company-results.ts) with the
 * company rate card in force on its date and write its payment to the social accelerator once, with the company's
 * running total for its cap. A retry, a replayed execution or a second recording finds the payment already there.
 */
export const handler = wrapHandler(
  'calculate-company-payment',
  async (event: unknown): Promise<CompanyCalculation> => {
    const { cvr, cohortId, resultId } = input.parse(event);
    const policy = {
      ...rereadBackoff,
      retryable: (error: unknown) => error instanceof CompanyPaymentRefused,
    };
    return retry(`calculate-company-payment for ${cohortId}/${resultId}`, policy, async () => {
      const result = await loadCompanyResult(cvr, cohortId, resultId);
      if (!result) throw new Error(`Company result ${resultId} of ${cohortId} not found`);
      const cohort = findCohort(cohortId);
      if (!cohort) throw new Error(`Cohort ${cohortId} not found`);
      const [company, journey, model, paid] = await Promise.all([
        loadCompany(cvr),
        loadJourney(result.municipality, cvr, cohortId),
        loadSocialModel(result.municipality, cvr, cohortId),
        loadCompanyPaid(cvr, cohortId),
      ]);
      if (!company || !journey) throw new Error(`Company journey ${cohortId} not found`);

      const earlier = paid.payments.find((p) => p.resultId === resultId);
      if (earlier)
        return { due: true as const, paymentKey: earlier.paymentKey, paymentId: earlier.paymentId };

      const decision = priceCompanyResult(factsOf(result, cohort, journey.decisions, model?.checklist, paid));
      if (!decision.due) {
        logger.info('No company payment for this result', {
          cohortId,
          rule: result.kind,
          reason: decision.reason,
        });
        return { due: false as const, reason: decision.reason };
      }
      const payment: CompanyPaymentRecord = {
        paymentId: `${decision.payment.key}:${decision.payment.payee}`,
        paymentKey: decision.payment.key,
        resultId,
        cvr,
        companyName: company.name,
        cohortId,
        municipality: result.municipality,
        rule: decision.payment.rule,
        payee: 'social-accelerator',
        payeeId: socialAccelerator.id,
        payeeName: socialAccelerator.name,
        amountOere: decision.payment.amountOere,
        cappedFromOere: decision.payment.cappedFromOere,
        rateCardVersion: decision.payment.rateCardVersion,
        dueDate: decision.payment.dueDate,
        resultDate: result.date,
        referralId: result.referralId,
        createdAt: clock.now().toISOString(),
        recordedBy: result.recordedBy,
      };
      if (!(await putCompanyPayment(payment, paid.paidOere)))
        throw new CompanyPaymentRefused(payment.paymentKey);
      logger.info('Company payment recorded', {
        cohortId,
        rule: payment.rule,
        amountOere: payment.amountOere,
      });
      return { due: true as const, paymentKey: payment.paymentKey, paymentId: payment.paymentId };
    });
  },
);

function factsOf(
  result: CompanyResultRecord,
  cohort: Cohort,
  decisions: CompanyDecisions,
  checklist: SocialModelChecklist | undefined,
  paid: { payments: CompanyPaymentRecord[]; paidOere: number },
): CompanyResultFacts {
  const common = {
    cohort,
    cvr: result.cvr,
    decisions,
    date: result.date,
    recordedOn: danishDate(new Date(result.recordedAt)),
    paid: { companyOere: paid.paidOere, keys: new Set(paid.payments.map((p) => p.paymentKey)) },
  };
  if (result.kind === 'social-model-implemented') {
    return { ...common, kind: result.kind, checklist: checklist ?? emptyChecklist() };
  }
  return {
    ...common,
    kind: result.kind,
    hireId: result.resultId,
    jobStartedOn: result.jobStartedOn ?? result.date,
    hoursPerWeek: result.hoursPerWeek ?? 0,
  };
}
