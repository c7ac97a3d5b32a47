import { marshall } from '@aws-sdk/util-dynamodb';
import { planPathway } from '#domain/pathway';
import type { OutcomeRecord, PaymentRecord, ReferralRecord } from '#shared/pathway-store';
import { referralId } from './support.ts';

export function referralRecord(overrides: Partial<ReferralRecord> = {}): ReferralRecord {
  return {
    referralId,
    municipality: '621',
    employmentActorId: 'employment-actor-621',
    name: 'Anna Hansen',
    benefit: 'kontanthjaelp',
    readiness: 'aktivitetsparat',
    weeksOnBenefit: 30,
    startDate: '2026-09-01',
    referredOn: '2026-09-01',
    referredAt: '2026-09-01T08:00:00.000Z',
    referredBy: 'kolding-sagsbehandler',
    plan: planPathway('2026-09-01'),
    phase: 'training',
    phaseSeq: 1,
    phaseStartedOn: '2026-09-01',
    phaseEndsOn: '2027-03-01',
    eventSeq: 2,
    citizenKey: 'citizen-key',
    ...overrides,
  };
}

export function stateItem(record: ReferralRecord) {
  return marshall(
    { pk: `REFERRAL#${record.referralId}`, sk: 'STATE', kind: 'referral', ...record },
    { removeUndefinedValues: true },
  );
}

export function outcomeItem(outcome: OutcomeRecord) {
  return marshall(
    { pk: `REFERRAL#${outcome.referralId}`, sk: `OUTCOME#${outcome.outcomeId}`, kind: 'outcome', ...outcome },
    { removeUndefinedValues: true },
  );
}

export function paymentItem(payment: PaymentRecord) {
  return marshall(
    {
      pk: `REFERRAL#${payment.referralId}`,
      sk: `PAYMENT#${payment.paymentKey}`,
      kind: 'payment',
      ...payment,
    },
    { removeUndefinedValues: true },
  );
}
