import { describe, expect, it } from 'vitest';
import { tasksOf } from '#domain/worklist';
import type { Pathway, PaymentRecord } from '#shared/pathway-store';
import { worklistInputOf } from '../../functions/events/project-views.ts';
import { referralRecord } from './support-records.ts';

/** A pathway whose payment run failed at 10:00 and was restarted by the reconciler. */
function pathwayWith(payment: Partial<PaymentRecord> | undefined): Pathway {
  const referral = referralRecord();
  return {
    referral,
    events: [
      {
        kind: 'referral-received',
        referralId: referral.referralId,
        seq: 1,
        at: '2027-01-04T09:00:00.000Z',
        by: 'x',
      },
    ],
    outcomes: [],
    payments: payment ? [payment as PaymentRecord] : [],
    milestones: [],
    failures: [
      {
        referralId: referral.referralId,
        at: '2027-01-05T10:00:00.000Z',
        executionName: 'payment-o1',
        error: 'X',
        message: 'y',
      },
    ],
  };
}

describe('a failed workflow step on the worklist', () => {
  it.each([
    ['no progress since: still to look at', undefined, ['workflow-failed']],
    [
      'the payment written before the failure, never notified: still open',
      { createdAt: '2027-01-05T09:59:00.000Z' },
      ['workflow-failed'],
    ],
    [
      'the restarted run notified finance after it: resolved',
      { createdAt: '2027-01-05T09:59:00.000Z', notifiedAt: '2027-01-06T03:00:05.000Z' },
      [],
    ],
    ['the restarted run wrote the payment after it: resolved', { createdAt: '2027-01-06T03:00:04.000Z' }, []],
  ])('%s', (_, payment, kinds) => {
    // Act
    const tasks = tasksOf(worklistInputOf(pathwayWith(payment))).filter((t) => t.kind === 'workflow-failed');

    // Assess
    expect(tasks.map((t) => t.kind)).toEqual(kinds);
  });
});
