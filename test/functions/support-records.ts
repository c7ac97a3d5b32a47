import { marshall } from '@aws-sdk/util-dynamodb';
import { planPathway } from '#domain/pathway';
import {
  keys,
  type MilestoneRecord,
  type OutcomeRecord,
  type PaymentRecord,
  type ReferralRecord,
} from '#shared/pathway-store';
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

/** A 13-week milestone of the outcome, open for confirmation in April 2027 unless told otherwise. */
export function milestoneRecord(
  outcomeId: string,
  overrides: Partial<MilestoneRecord> = {},
): MilestoneRecord {
  return {
    referralId,
    outcomeId,
    weeks: 13,
    dueOn: '2027-04-05',
    deadlineOn: '2027-05-03',
    status: 'awaiting-confirmation',
    openedAt: '2027-04-04T22:00:00.000Z',
    ...overrides,
  };
}

export function milestoneItem(milestone: MilestoneRecord) {
  return marshall(
    {
      ...keys.milestone(milestone.referralId, milestone.outcomeId, milestone.weeks),
      kind: 'milestone',
      ...milestone,
    },
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
