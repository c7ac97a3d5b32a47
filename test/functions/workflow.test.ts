import {
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { rateCardOn } from '#domain/rate-card';
import type { MilestoneRecord, PaymentRecord, ReferralRecord } from '#shared/pathway-store';
import { rereadBackoff } from '#shared/retry';
import { handler as advancePhase } from '../../functions/workflow/advance-phase.ts';
import { handler as calculatePayment } from '../../functions/workflow/calculate-payment.ts';
import { handler as closeMilestone } from '../../functions/workflow/close-milestone.ts';
import { handler as notifyFinance } from '../../functions/workflow/notify-finance.ts';
import { handler as openMilestone } from '../../functions/workflow/open-milestone.ts';
import { handler as recordFailure } from '../../functions/workflow/record-failure.ts';
import { acceleratorSplit, priceOf, testGroup } from '../prices.ts';
import { lambdaContext, referralId } from './support.ts';
import {
  milestoneItem,
  milestoneRecord,
  outcomeItem,
  paymentItem,
  referralRecord,
  stateItem,
} from './support-records.ts';

const dynamo = mockClient(DynamoDBClient);
const sns = mockClient(SNSClient);

beforeEach(() => {
  dynamo.reset();
  sns.reset();
});

describe('advance-phase (phase timer task)', () => {
  it('moves training to induction on the planned dates', async () => {
    // Prepare
    dynamo.on(GetItemCommand).resolves({ Item: stateItem(referralRecord()) });
    dynamo.on(TransactWriteItemsCommand).resolves({});
    // Act
    const result = await advancePhase(
      { referralId, phaseSeq: 1, phase: 'training', phaseEndsAt: '2027-02-28T23:00:00Z' },
      lambdaContext,
    );
    // Assess
    expect(result).toEqual({ moved: true, phase: 'induction', phaseSeq: 2 });
    const items = dynamo.commandCalls(TransactWriteItemsCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(unmarshall(items[1]?.Put?.Item ?? {})).toMatchObject({
      kind: 'phase-started',
      trigger: 'timer',
      phase: 'induction',
      startedOn: '2027-03-01',
      endsOn: '2027-09-01',
      phaseEndsAt: '2027-08-31T22:00:00Z',
    });
  });

  it('does nothing when an outcome already moved the pathway (a stale or retried timer)', async () => {
    dynamo
      .on(GetItemCommand)
      .resolves({ Item: stateItem(referralRecord({ phase: 'tracking', phaseSeq: 2 })) });
    const result = await advancePhase({ referralId, phaseSeq: 1 }, lambdaContext);
    expect(result).toEqual({ moved: false, reason: 'superseded' });
    expect(dynamo.commandCalls(TransactWriteItemsCommand)).toHaveLength(0);
  });

  it('closes a completed pathway, releasing the citizen but not the place', async () => {
    dynamo.on(GetItemCommand).resolves({
      Item: stateItem(referralRecord({ phase: 'tracking', phaseSeq: 3, phaseEndsOn: '2028-03-01' })),
    });
    dynamo.on(TransactWriteItemsCommand).resolves({});
    await advancePhase({ referralId, phaseSeq: 3 }, lambdaContext);
    const items = dynamo.commandCalls(TransactWriteItemsCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(items.map((i) => Object.keys(i)[0])).toEqual(['Update', 'Put', 'Delete']);
    expect(items[2]?.Delete?.Key?.pk).toEqual({ S: 'CITIZEN#citizen-key' });
  });

  it('refuses a payload without the ids it needs', async () => {
    await expect(advancePhase({ phase: 'training' }, lambdaContext)).rejects.toThrow();
  });
});

const outcomeId = '0b7f9a52-2f1c-4e0a-8d55-7a1c9e3b2d10';
const jobStart = {
  referralId,
  outcomeId,
  type: 'job-start' as const,
  date: '2026-11-02',
  hoursPerWeek: 37,
  employer: 'Kolding Bageri ApS',
  recordedAt: '2026-11-02T09:00:00.000Z',
  recordedBy: 'kolding-aktoer',
  phaseAtOutcome: 'training' as const,
};

describe('calculate-payment', () => {
  const refused = (reasons: string[]) =>
    new TransactionCanceledException({
      message: 'cancelled',
      $metadata: {},
      CancellationReasons: reasons.map((Code) => ({ Code })),
    });
  const writes = () =>
    dynamo.commandCalls(TransactWriteItemsCommand).map((c) => c.args[0].input.TransactItems ?? []);
  /** A referral with a rate group: the card prices its payment group (test/prices.ts). */
  const pricedReferral = (overrides: Partial<ReferralRecord> = {}) =>
    referralRecord({ rateGroup: testGroup.rateGroup, ...overrides });
  const fullJobStart = priceOf('job-start', jobStart.date);
  const municipalityPaid = (paidOere: number) => ({
    Item: marshall({ pk: 'MUNICIPALITY#621', sk: 'PAYMENTS', paidOere }),
  });

  beforeEach(() => {
    dynamo.on(GetItemCommand).resolves({});
  });

  it("writes the job-start payment once, with the pathway's and the municipality's totals as conditions", async () => {
    // Prepare
    dynamo.on(QueryCommand).resolves({ Items: [stateItem(pricedReferral()), outcomeItem(jobStart)] });
    // The totals answer 10,000 kr. paid; the partnership has named its employment actor.
    dynamo.on(GetItemCommand).callsFake((input) =>
      input.Key?.sk?.S === 'ACTOR'
        ? {
            Item: marshall({
              pk: 'PARTNERSHIP#621',
              sk: 'ACTOR',
              municipality: '621',
              name: 'Kolding Jobværksted',
              cvr: '29876541',
              contact: { name: 'Jonas Berg' },
              version: 1,
              changedAt: '2026-10-01T08:00:00.000Z',
              changedBy: 'kolding-aktoer',
            }),
          }
        : municipalityPaid(1_000_000),
    );
    dynamo.on(TransactWriteItemsCommand).resolves({});
    // Act
    const result = await calculatePayment({ referralId, outcomeId }, lambdaContext);
    // Assess
    expect(result).toEqual({
      due: true,
      paymentIds: [`${referralId}.job-start.employment-actor`],
      paymentKeys: ['job-start#employment-actor'],
    });
    const [put, count, municipality] = writes()[0] ?? [];
    expect(put?.Put?.ConditionExpression).toBe('attribute_not_exists(pk)');
    expect(unmarshall(put?.Put?.Item ?? {})).toMatchObject({
      sk: 'PAYMENT#job-start#employment-actor',
      resultId: outcomeId,
      amountOere: fullJobStart,
      rateCardVersion: rateCardOn(jobStart.date).version,
      dueDate: '2026-12-02',
      payeeId: 'employment-actor-621',
      // The actor as it named itself in the partnership.
      payeeName: 'Kolding Jobværksted',
      // Who recorded the job start the payment is for.
      recordedBy: 'kolding-aktoer',
    });
    expect(count?.Update?.ConditionExpression).toBe(
      'attribute_not_exists(paymentSeq) OR paymentSeq = :expected',
    );
    expect(unmarshall(count?.Update?.ExpressionAttributeValues ?? {})).toEqual({
      ':next': 1,
      ':expected': 0,
    });
    expect(unmarshall(municipality?.Update?.ExpressionAttributeValues ?? {})).toEqual({
      ':next': 1_000_000 + fullJobStart,
      ':expected': 1_000_000,
    });
    // The citizen's own total across pathways moves too (here from the same stubbed read).
    const citizen = writes()[0]?.[3];
    expect(citizen?.Update?.Key?.pk).toEqual({ S: 'CITIZEN#citizen-key' });
    expect(citizen?.Update?.Key?.sk).toEqual({ S: 'PAYMENTS' });
  });

  it('pays the social accelerator its share when the employer is an accelerator company', async () => {
    dynamo.on(QueryCommand).resolves({
      Items: [stateItem(pricedReferral()), outcomeItem({ ...jobStart, hiredByAcceleratorCompany: true })],
    });
    dynamo.on(TransactWriteItemsCommand).resolves({});
    const result = await calculatePayment({ referralId, outcomeId }, lambdaContext);
    expect(result).toMatchObject({
      paymentKeys: ['job-start#employment-actor', 'job-start#social-accelerator'],
    });
    const items = (writes()[0] ?? []).filter((i) => i.Put).map((i) => unmarshall(i.Put?.Item ?? {}));
    const [actor, accelerator] = acceleratorSplit('job-start', jobStart.date);
    expect(items.map((p) => [p.payeeId, p.amountOere])).toEqual([
      ['employment-actor-621', actor],
      ['social-accelerator', accelerator],
    ]);
  });

  it('returns the payments already written when the step is retried or the run replayed', async () => {
    // Prepare: the first attempt wrote, then timed out before answering.
    dynamo.on(QueryCommand).resolves({
      Items: [stateItem(pricedReferral({ paymentSeq: 1 })), outcomeItem(jobStart), paymentItem(payment())],
    });
    // Act
    const result = await calculatePayment({ referralId, outcomeId }, lambdaContext);
    // Assess
    expect(result).toMatchObject({ due: true, paymentKeys: ['job-start#employment-actor'] });
    expect(writes()).toHaveLength(0);
  });

  it('decides again when a concurrent payment of the same pathway lands first (full job after a partial one)', async () => {
    // Prepare: our read saw nothing paid; meanwhile a partial job result was paid.
    const partial = payment({
      rule: 'job-start-partial',
      paymentKey: 'job-start-partial#employment-actor',
      resultId: 'partial-outcome',
      outcomeId: 'partial-outcome',
      amountOere: priceOf('job-start-partial', jobStart.date),
    });
    dynamo
      .on(QueryCommand)
      .resolvesOnce({ Items: [stateItem(pricedReferral()), outcomeItem(jobStart)] })
      .resolves({
        Items: [stateItem(pricedReferral({ paymentSeq: 1 })), outcomeItem(jobStart), paymentItem(partial)],
      });
    dynamo
      .on(TransactWriteItemsCommand)
      .rejectsOnce(refused(['None', 'ConditionalCheckFailed', 'None']))
      .resolves({});
    // Act
    const result = await calculatePayment({ referralId, outcomeId }, lambdaContext);
    // Assess: the full result pays only the difference, on top of the partial one.
    expect(result).toMatchObject({ paymentKeys: ['job-start#employment-actor'] });
    const second = writes()[1] ?? [];
    expect(unmarshall(second[0]?.Put?.Item ?? {}).amountOere).toBe(
      fullJobStart - priceOf('job-start-partial', jobStart.date),
    );
    expect(unmarshall(second[1]?.Update?.ExpressionAttributeValues ?? {})).toEqual({
      ':next': 2,
      ':expected': 1,
    });
  });

  it('retries a transaction that conflicts with another writer, and writes once', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [stateItem(pricedReferral()), outcomeItem(jobStart)] });
    dynamo
      .on(TransactWriteItemsCommand)
      .rejectsOnce(refused(['TransactionConflict', 'None', 'None']))
      .resolves({});
    const result = await calculatePayment({ referralId, outcomeId }, lambdaContext);
    expect(result).toMatchObject({ due: true });
    expect(writes()).toHaveLength(2);
  });

  it("pays a confirmed 13-week milestone as its own result, by the job's hours", async () => {
    // Prepare: a 12-hour job (partial) confirmed at 13 weeks.
    const milestone = marshall({
      pk: `REFERRAL#${referralId}`,
      sk: `MILESTONE#${outcomeId}#13`,
      referralId,
      outcomeId,
      weeks: 13,
      dueOn: '2027-02-01',
      deadlineOn: '2027-03-01',
      status: 'confirmed',
      openedAt: '2027-01-31T23:00:00.000Z',
      confirmedAt: '2027-02-03T09:00:00.000Z',
      confirmedBy: 'aalborg-aktoer-vikar',
    });
    dynamo.on(QueryCommand).resolves({
      Items: [
        stateItem(pricedReferral({ paymentSeq: 1 })),
        outcomeItem({ ...jobStart, hoursPerWeek: 12 }),
        milestone,
      ],
    });
    dynamo.on(TransactWriteItemsCommand).resolves({});
    // Act
    const result = await calculatePayment({ referralId, outcomeId, milestoneWeeks: 13 }, lambdaContext);
    // Assess
    expect(result).toMatchObject({ paymentKeys: ['sustained-13-weeks-partial#employment-actor'] });
    const put = unmarshall(writes()[0]?.[0]?.Put?.Item ?? {});
    expect(put).toMatchObject({
      resultId: `${outcomeId}-w13`,
      amountOere: priceOf('sustained-13-weeks-partial', '2027-02-01'),
      dueDate: '2027-03-05',
    });
    // Who confirmed the milestone, not who recorded the job start.
    expect(put.recordedBy).toBe('aalborg-aktoer-vikar');
  });

  it('pays a replayed milestone nothing more: its result already has its payments', async () => {
    // Prepare: the 13-week milestone was paid; its payment run is started again (a replay).
    const paidMilestone = payment({
      rule: 'sustained-13-weeks',
      paymentKey: 'sustained-13-weeks#employment-actor',
      resultId: `${outcomeId}-w13`,
      amountOere: 1_000_000,
    });
    dynamo.on(QueryCommand).resolves({
      Items: [
        stateItem(pricedReferral({ paymentSeq: 2 })),
        outcomeItem(jobStart),
        paymentItem(payment()),
        paymentItem(paidMilestone),
      ],
    });
    // Act
    const result = await calculatePayment({ referralId, outcomeId, milestoneWeeks: 13 }, lambdaContext);
    // Assess
    expect(result).toMatchObject({ due: true, paymentKeys: ['sustained-13-weeks#employment-actor'] });
    expect(writes()).toHaveLength(0);
  });

  it('refuses to pay a milestone that is not confirmed', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [stateItem(pricedReferral()), outcomeItem(jobStart)] });
    await expect(
      calculatePayment({ referralId, outcomeId, milestoneWeeks: 13 }, lambdaContext),
    ).rejects.toThrow(/not confirmed/);
  });

  it('pays nothing for a second job start on the same pathway', async () => {
    dynamo.on(QueryCommand).resolves({
      Items: [
        stateItem(pricedReferral({ paymentSeq: 1 })),
        outcomeItem(jobStart),
        paymentItem(payment({ resultId: 'an-earlier-outcome', outcomeId: 'an-earlier-outcome' })),
      ],
    });
    const result = await calculatePayment({ referralId, outcomeId }, lambdaContext);
    expect(result).toEqual({ due: false, paymentIds: [], paymentKeys: [], reason: 'already-paid:job-start' });
    expect(writes()).toHaveLength(0);
  });

  it('pays nothing for a confirmed education milestone: the rate card pays the education start alone', async () => {
    // Prepare: an education start, paid, confirmed still enrolled at 13 weeks.
    const education = { ...jobStart, type: 'education-start' as const, hoursPerWeek: undefined };
    dynamo.on(QueryCommand).resolves({
      Items: [
        stateItem(pricedReferral({ paymentSeq: 1 })),
        outcomeItem(education),
        paymentItem(payment({ rule: 'education-start', outcomeType: 'education-start' })),
        milestoneItem(
          milestoneRecord(outcomeId, { status: 'confirmed', confirmedAt: '2027-04-06T09:00:00.000Z' }),
        ),
      ],
    });
    // Act
    const result = await calculatePayment({ referralId, outcomeId, milestoneWeeks: 13 }, lambdaContext);
    // Assess
    expect(result).toEqual({
      due: false,
      paymentIds: [],
      paymentKeys: [],
      reason: 'not-paid:education-milestone',
    });
    expect(writes()).toHaveLength(0);
  });

  it('does not price a result of a referral made before rate groups were asked for', async () => {
    // Prepare: a legacy referral without a rate group
    dynamo.on(QueryCommand).resolves({ Items: [stateItem(referralRecord()), outcomeItem(jobStart)] });
    // Act
    const result = await calculatePayment({ referralId, outcomeId }, lambdaContext);
    // Assess
    expect(result).toEqual({ due: false, paymentIds: [], paymentKeys: [], reason: 'unpriced:no-rate-group' });
    expect(writes()).toHaveLength(0);
  });

  it("prices by the referral's payment group: a job-ready citizen under 30 at home is another price", async () => {
    // Prepare
    const young = {
      benefit: 'kontanthjaelp',
      rateGroup: 'under-30-living-with-parents',
      readiness: 'jobparat',
    } as const;
    dynamo.on(QueryCommand).resolves({
      Items: [stateItem(referralRecord({ ...young })), outcomeItem(jobStart)],
    });
    dynamo.on(TransactWriteItemsCommand).resolves({});
    // Act
    await calculatePayment({ referralId, outcomeId }, lambdaContext);
    // Assess
    const amount = unmarshall(writes()[0]?.[0]?.Put?.Item ?? {}).amountOere;
    expect(amount).toBe(priceOf('job-start', jobStart.date, young));
    expect(amount).not.toBe(fullJobStart);
  });

  it('pays nothing for a drop-out', async () => {
    dynamo
      .on(QueryCommand)
      .resolves({ Items: [stateItem(pricedReferral()), outcomeItem({ ...jobStart, type: 'dropout' })] });
    expect(await calculatePayment({ referralId, outcomeId }, lambdaContext)).toMatchObject({
      due: false,
      reason: 'no-result',
    });
  });
});

function payment(overrides: Partial<PaymentRecord> = {}): PaymentRecord {
  return {
    paymentId: `${referralId}.job-start.employment-actor`,
    paymentKey: 'job-start#employment-actor',
    referralId,
    resultId: outcomeId,
    outcomeId,
    outcomeType: 'job-start',
    rule: 'job-start',
    payee: 'employment-actor',
    amountOere: 1_500_000,
    rateCardVersion: '2019-1',
    dueDate: '2026-12-02',
    municipality: '621',
    payeeId: 'employment-actor-621',
    payeeName: 'Beskæftigelsesaktør, Kolding Kommune',
    createdAt: '2026-11-02T09:00:01.000Z',
    ...overrides,
  };
}

describe('notify-finance', () => {
  const event = { referralId, calculation: { due: true, paymentKeys: ['job-start#employment-actor'] } };

  it('publishes one notification per payment with ids, payee and the amount in DKK, then marks it notified', async () => {
    // Prepare
    dynamo.on(GetItemCommand).resolves({ Item: paymentItem(payment()) });
    dynamo.on(UpdateItemCommand).resolves({});
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    // Act
    await notifyFinance(event, lambdaContext);
    // Assess
    expect(sns.commandCalls(PublishCommand)).toHaveLength(1);
    const published = sns.commandCalls(PublishCommand)[0]?.args[0].input;
    expect(published?.TopicArn).toBe(process.env.FINANCE_TOPIC_ARN);
    expect(published?.Message).toContain(`Betalings-id: ${referralId}.job-start.employment-actor`);
    expect(published?.Message).toContain('Kommune: Kolding (621)');
    expect(published?.Message).toContain('Modtager: Beskæftigelsesaktør, Kolding Kommune');
    expect(published?.Message?.replace(/\s/g, ' ')).toContain('Beløb: 15.000,00 kr.');
    expect(published?.Message).toContain('Takstkort: 2019-1');
    expect(published?.Message).toContain('Forfaldsdato: 02-12-2026');
    expect(published?.Subject).toMatch(/^[\x20-\x7e]+$/);
    const mark = dynamo.commandCalls(UpdateItemCommand)[0]?.args[0].input;
    expect(mark?.ConditionExpression).toBe('attribute_exists(pk) AND attribute_not_exists(notifiedAt)');
  });

  it('publishes nothing for a payment already notified (a retried or replayed step)', async () => {
    dynamo
      .on(GetItemCommand)
      .resolves({ Item: paymentItem(payment({ notifiedAt: '2026-11-02T09:00:02.000Z' })) });
    const result = await notifyFinance(event, lambdaContext);
    expect(result).toEqual({ notified: [] });
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
  });
});

describe('a condition that fails for good ends the step with RetriesExhausted, which the workflow records', () => {
  const refusedForGood = () =>
    new TransactionCanceledException({
      message: 'cancelled',
      $metadata: {},
      CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }, { Code: 'None' }],
    });
  const attempts = () => dynamo.commandCalls(TransactWriteItemsCommand).length;
  const awaiting: MilestoneRecord = {
    referralId,
    outcomeId,
    weeks: 13,
    dueOn: '2027-02-01',
    deadlineOn: '2027-03-01',
    status: 'awaiting-confirmation',
    openedAt: '2027-01-31T23:00:00.000Z',
  };

  beforeEach(() => {
    // Every write is refused, however often the task reads again.
    dynamo.on(TransactWriteItemsCommand).rejects(refusedForGood());
  });

  it.each([
    {
      task: 'advance-phase',
      prepare: () => dynamo.on(GetItemCommand).resolves({ Item: stateItem(referralRecord()) }),
      run: () => advancePhase({ referralId, phaseSeq: 1 }, lambdaContext),
      operation: `advance-phase of referral ${referralId} (phase 1)`,
    },
    {
      task: 'open-milestone',
      prepare: () => {
        dynamo.on(GetItemCommand).resolves({});
        dynamo.on(QueryCommand).resolves({ Items: [stateItem(referralRecord()), outcomeItem(jobStart)] });
      },
      run: () => openMilestone({ referralId, outcomeId, weeks: 13 }, lambdaContext),
      operation: `open-milestone 13 weeks of outcome ${outcomeId} (referral ${referralId})`,
    },
    {
      task: 'close-milestone',
      prepare: () =>
        dynamo.on(GetItemCommand).callsFake((input: { Key?: { sk?: { S?: string } } }) =>
          input.Key?.sk?.S === 'STATE'
            ? { Item: stateItem(referralRecord()) }
            : {
                Item: marshall({
                  pk: `REFERRAL#${referralId}`,
                  sk: `MILESTONE#${outcomeId}#13`,
                  kind: 'milestone',
                  ...awaiting,
                }),
              },
        ),
      run: () => closeMilestone({ referralId, outcomeId, weeks: 13 }, lambdaContext),
      operation: `close-milestone 13 weeks of outcome ${outcomeId} (referral ${referralId})`,
    },
    {
      task: 'calculate-payment',
      prepare: () => {
        dynamo.on(GetItemCommand).resolves({});
        dynamo.on(QueryCommand).resolves({
          Items: [stateItem(referralRecord({ rateGroup: testGroup.rateGroup })), outcomeItem(jobStart)],
        });
      },
      run: () => calculatePayment({ referralId, outcomeId }, lambdaContext),
      operation: `calculate-payment for result ${outcomeId}`,
    },
  ])('$task gives up after the bounded attempts, naming itself', async ({ prepare, run, operation }) => {
    // Prepare
    prepare();
    // Act
    const error = await run().then(
      () => undefined,
      (e: unknown) => e,
    );
    // Assess
    expect(error).toMatchObject({ name: 'RetriesExhausted', attempts: rereadBackoff.attempts });
    expect((error as Error).message).toMatch(
      new RegExp(`^${operation.replace(/[()]/g, '\\$&')}: gave up after`),
    );
    expect(attempts()).toBe(rereadBackoff.attempts);
  });

  it("records the task's error on the pathway as the catch path receives it", async () => {
    // Prepare: the error as Lambda reports it and Step Functions passes it to "Record the failure".
    dynamo.on(GetItemCommand).resolves({ Item: stateItem(referralRecord()) });
    const thrown = (await advancePhase({ referralId, phaseSeq: 1 }, lambdaContext).catch(
      (e: unknown) => e,
    )) as Error;
    dynamo.on(PutItemCommand).resolves({});
    // Act
    await recordFailure(
      {
        referralId,
        phaseSeq: 1,
        error: {
          Error: thrown.name,
          Cause: JSON.stringify({ errorType: thrown.name, errorMessage: thrown.message, trace: [] }),
        },
      },
      lambdaContext,
    );
    // Assess
    const stored = unmarshall(dynamo.commandCalls(PutItemCommand)[0]?.args[0].input.Item ?? {});
    expect(stored).toMatchObject({ kind: 'failure', error: 'RetriesExhausted' });
    expect(stored.message).toContain(
      `advance-phase of referral ${referralId} (phase 1): gave up after 5 attempts`,
    );
  });
});
