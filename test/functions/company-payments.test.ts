import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  GetItemCommand,
  type GetItemCommandInput,
  PutItemCommand,
  QueryCommand,
  type QueryCommandInput,
  TransactionCanceledException,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  emptyChecklist,
  type SocialModelChecklist,
  socialModelChecklistSchema,
  socialModelItems,
} from '#domain/social-model';
import { companyResultItem } from '#shared/company-payment-store';

const PAYMENT_ARN = vi.hoisted(() => {
  // The dispatcher's own variable, set before its module reads it at import.
  const arn = 'arn:aws:states:eu-north-1:000000000000:stateMachine:CompanyPayment';
  process.env.COMPANY_PAYMENT_STATE_MACHINE_ARN = arn;
  process.env.COMPANY_STAGE_TIMER_STATE_MACHINE_ARN =
    'arn:aws:states:eu-north-1:000000000000:stateMachine:CompanyStageTimer';
  return arn;
});

import { handler as dispatch } from '../../functions/events/dispatch-company-events.ts';
import { handler as calculate } from '../../functions/workflow/calculate-company-payment.ts';
import { lambdaContext } from './support.ts';

/**
 * The accelerator's side of the payment, handler by handler: a company-side result becomes one payment run
 * (dispatch-company-events), and the run writes its payment once (calculate-company-payment), however often it is
 * retried, within the company's cap.
 */
const dynamo = mockClient(DynamoDBClient);
const sfn = mockClient(SFNClient);
const CVR = '12345674';
const COHORT = 'cluster-1-2019';

const implemented: SocialModelChecklist = socialModelChecklistSchema.parse(
  Object.fromEntries(
    socialModelItems.map((item) => [
      item,
      {
        status: 'done',
        evidence: 'Beskrevet',
        ...(item === 'buddies-trained' ? { buddies: 2 } : {}),
      },
    ]),
  ),
);

interface Table {
  result: Record<string, unknown> | undefined;
  checklist: SocialModelChecklist;
  paidOere: number;
  payments: Record<string, unknown>[];
  selected: boolean;
}
let table: Table;

function getItem(input: GetItemCommandInput) {
  const { pk, sk } = unmarshall(input.Key ?? {});
  if (sk === 'JRESULT#social-model' && table.result) return { Item: marshall({ pk, sk, ...table.result }) };
  if (pk === `COMPANY#${CVR}`) {
    return {
      Item: marshall({
        pk,
        sk,
        cvr: CVR,
        name: 'Genbrugsværkstedet ApS',
        municipality: '621',
        contact: { name: 'Mette' },
        socialEconomy: 'registered',
        size: 'small',
        ownedByEmploymentActor: false,
        registeredAt: '2018-09-03T08:00:00.000Z',
        registeredBy: 'kolding-accelerator',
      }),
    };
  }
  if (sk === `JOURNEY#${CVR}#${COHORT}`) {
    return {
      Item: marshall({
        pk,
        sk,
        cvr: CVR,
        cohortId: COHORT,
        municipality: '621',
        stage: 'follow-up',
        legSeq: 8,
        legEndsOn: '2020-07-01',
        decisions: { selected: table.selected, selectedOn: '2018-11-16' },
        attendance: { '2019-02-07': true },
        eventSeq: 9,
        invitedOn: '2018-09-03',
        invitedAt: '2018-09-03T08:00:00.000Z',
        invitedBy: 'kolding-accelerator',
      }),
    };
  }
  if (sk === `SOCIALMODEL#${CVR}#${COHORT}`) {
    return {
      Item: marshall({
        pk,
        sk,
        municipality: '621',
        cvr: CVR,
        cohortId: COHORT,
        checklist: table.checklist,
        version: 5,
      }),
    };
  }
  if (sk === 'JPAID') return { Item: marshall({ pk, sk, paidOere: table.paidOere }) };
  return {};
}

function query(input: QueryCommandInput) {
  const prefix = input.ExpressionAttributeValues?.[':prefix']?.S;
  if (prefix === 'JPAYMENT#')
    return { Items: table.payments.map((p) => marshall(p, { removeUndefinedValues: true })) };
  return { Items: [] };
}

beforeEach(() => {
  dynamo.reset();
  sfn.reset();
  table = {
    result: {
      kind: 'social-model-implemented',
      resultId: 'social-model',
      cvr: CVR,
      cohortId: COHORT,
      municipality: '621',
      date: '2020-01-06',
      recordedAt: '2020-01-06T09:00:00.000Z',
      recordedBy: 'kolding-accelerator',
    },
    checklist: implemented,
    paidOere: 0,
    payments: [],
    selected: true,
  };
  dynamo.on(GetItemCommand).callsFake(getItem);
  dynamo.on(QueryCommand).callsFake(query);
  dynamo.on(TransactWriteItemsCommand).callsFake((input) => {
    const put = input.TransactItems?.[0]?.Put;
    table.payments.push(unmarshall(put?.Item ?? {}));
    return {};
  });
  sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn', startDate: new Date() });
});

const run = () => calculate({ cvr: CVR, cohortId: COHORT, resultId: 'social-model' }, lambdaContext);

describe('calculate-company-payment', () => {
  it('pays the verified social model to the social accelerator by the 2019 company card, with the cap in the same transaction', async () => {
    // Act
    const calculation = await run();

    // Assess
    expect(calculation).toMatchObject({ due: true, paymentKey: `${COHORT}:${CVR}:social-model-implemented` });
    const [write] = dynamo.commandCalls(TransactWriteItemsCommand);
    const items = write?.args[0].input.TransactItems ?? [];
    expect(items).toHaveLength(2);
    expect(unmarshall(items[0]?.Put?.Item ?? {})).toMatchObject({
      gsi1pk: 'COMPANY-PAYMENT',
      payee: 'social-accelerator',
      rule: 'social-model-implemented',
      amountOere: 1_160_000,
      rateCardVersion: 'company-2019-1',
      dueDate: '2020-02-05',
      company: { cvr: CVR, name: 'Genbrugsværkstedet ApS', cohortId: COHORT, resultDate: '2020-01-06' },
    });
    expect(items[0]?.Put?.ConditionExpression).toBe('attribute_not_exists(pk)');
    expect(items[1]?.Update?.ConditionExpression).toContain('attribute_not_exists(paidOere)');
  });

  it('writes nothing the second time: a retried or replayed run finds its payment', async () => {
    // Prepare
    await run();

    // Act
    const again = await run();

    // Assess
    expect(again).toMatchObject({ due: true });
    expect(dynamo.commandCalls(TransactWriteItemsCommand)).toHaveLength(1);
  });

  it('reads again when another payment of the company landed first, and pays within the cap', async () => {
    // Prepare: the first write is refused (the total moved); meanwhile the company was paid 1,000 kr. less than its cap.
    let refused = false;
    dynamo.on(TransactWriteItemsCommand).callsFake((input) => {
      if (!refused) {
        refused = true;
        table.paidOere = 1_480_000 - 100_000;
        throw new TransactionCanceledException({
          message: 'refused',
          $metadata: {},
          CancellationReasons: [],
        });
      }
      table.payments.push(unmarshall(input.TransactItems?.[0]?.Put?.Item ?? {}));
      return {};
    });

    // Act
    const calculation = await run();

    // Assess
    expect(calculation).toMatchObject({ due: true });
    expect(table.payments[0]).toMatchObject({ amountOere: 100_000, cappedFromOere: 1_160_000 });
  });

  it.each([
    ['not implemented', () => (table.checklist = emptyChecklist()), 'social-model-not-implemented'],
    ['not selected', () => (table.selected = false), 'not-selected'],
  ])('pays nothing when the model is %s', async (_case, prepare, reason) => {
    // Prepare
    prepare();

    // Act
    const calculation = await run();

    // Assess
    expect(calculation).toEqual({ due: false, reason });
    expect(dynamo.commandCalls(TransactWriteItemsCommand)).toHaveLength(0);
  });
});

describe('dispatch-company-events: company results', () => {
  const streamEvent = (...images: Record<string, unknown>[]): DynamoDBStreamEvent => ({
    Records: images.map((image, i) => ({
      eventName: 'INSERT',
      dynamodb: {
        SequenceNumber: String(100 + i),
        NewImage: marshall(image, { removeUndefinedValues: true }) as never,
      },
    })),
  });

  it('starts one payment run per result, named from its ids; a redelivered record starts nothing new', async () => {
    // Prepare
    const record = { pk: `JOURNEY#${CVR}#${COHORT}`, sk: 'JRESULT#social-model', ...table.result };
    sfn
      .on(StartExecutionCommand)
      .resolvesOnce({ executionArn: 'arn', startDate: new Date() })
      .rejects(new ExecutionAlreadyExists({ message: 'exists', $metadata: {} }));

    // Act
    const first = await dispatch(streamEvent(record), lambdaContext);
    const again = await dispatch(streamEvent(record), lambdaContext);

    // Assess
    expect(first).toEqual({ batchItemFailures: [] });
    expect(again).toEqual({ batchItemFailures: [] });
    const calls = sfn.commandCalls(StartExecutionCommand).map((c) => c.args[0].input);
    expect(calls.map((c) => c.name)).toEqual([
      `cpay-${CVR}-${COHORT}-social-model`,
      `cpay-${CVR}-${COHORT}-social-model`,
    ]);
    expect(calls[0]?.stateMachineArn).toBe(PAYMENT_ARN);
    expect(JSON.parse(calls[0]?.input ?? '{}')).toEqual({
      cvr: CVR,
      cohortId: COHORT,
      resultId: 'social-model',
    });
  });

  it('reports a failed start for redelivery, from that record on', async () => {
    // Prepare
    sfn.on(StartExecutionCommand).rejects(new Error('throttled'));

    // Act
    const answer = await dispatch(
      streamEvent({ pk: `JOURNEY#${CVR}#${COHORT}`, sk: 'JRESULT#social-model', ...table.result }),
      lambdaContext,
    );

    // Assess
    expect(answer).toEqual({ batchItemFailures: [{ itemIdentifier: '100' }] });
  });
});

// A put of an existing result is refused by its condition: the store answers false, nothing else.
describe('putCompanyResult', () => {
  it('records a result once', async () => {
    // Prepare
    const { putCompanyResult } = await import('#shared/company-payment-store');
    dynamo
      .on(PutItemCommand)
      .resolvesOnce({})
      .rejects(new ConditionalCheckFailedException({ message: 'exists', $metadata: {} }));
    const result = companyResultItem.parse(table.result);

    // Act / Assess
    expect(await putCompanyResult(result)).toBe(true);
    expect(await putCompanyResult(result)).toBe(false);
  });
});
