import { marshall } from '@aws-sdk/util-dynamodb';
import type { CompanyPaymentRecord } from '#shared/company-payment-store';

/**
 * Company-side payments to the social accelerator (issue 7, item 5) as functions/shared/company-payment-store.ts
 * keeps them, for the finance views' tests: by default the social model of a Kolding company in the 2019 cohort.
 */
export function companyPaymentRecord(overrides: Partial<CompanyPaymentRecord> = {}): CompanyPaymentRecord {
  const cvr = overrides.cvr ?? '29000018';
  const rule = overrides.rule ?? 'social-model-implemented';
  const key = `cluster-1-2019:${cvr}:${rule}${overrides.referralId ? `:${overrides.resultId}` : ''}`;
  return {
    paymentId: `${key}:social-accelerator`,
    paymentKey: key,
    resultId: 'social-model',
    cvr,
    companyName: 'Genbrugsværkstedet ApS',
    cohortId: 'cluster-1-2019',
    municipality: '621',
    rule,
    payee: 'social-accelerator',
    payeeId: 'social-accelerator',
    payeeName: 'Den Sociale Kapitalfond Management ApS (socialt acceleratorforløb)',
    amountOere: 1_160_000,
    rateCardVersion: 'company-2019-1',
    dueDate: '2027-12-20',
    resultDate: '2027-11-15',
    createdAt: '2027-11-20T08:00:00.000Z',
    recordedBy: 'accelerator-staff',
    ...overrides,
  };
}

/** The payment as the byType index answers it (`gsi1pk` COMPANY-PAYMENT): the company's fields in one map. */
export function companyPaymentItem(payment: CompanyPaymentRecord) {
  const { cvr, companyName, cohortId, resultDate, ...rest } = payment;
  return marshall(
    {
      pk: `JOURNEY#${cvr}#${cohortId}`,
      sk: `JPAYMENT#${payment.paymentKey}`,
      gsi1pk: 'COMPANY-PAYMENT',
      ...rest,
      company: { cvr, name: companyName, cohortId, resultDate },
    },
    { removeUndefinedValues: true },
  );
}
