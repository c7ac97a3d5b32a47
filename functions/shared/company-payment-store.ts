import {
  ConditionalCheckFailedException,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { z } from 'zod';
import { companyResultKinds } from '#domain/company-results';
import { dynamodb, requiredEnv } from './aws.ts';
import { markNotified, queryByType } from './pathway-store.ts';

/**
 * The accelerator's side of Payment by Results (issue 7): a company-side result, once recorded, is an item that the
 * table stream turns into a CompanyPayment execution (the outbox, as for pathway events); its payment is written
 * once under a key derived from the result (domain/company-results.ts `companyPaymentKey`), together with the
 * company's running total for its cap, and listed for finance through the byType index (`COMPANY-PAYMENT`).
 * Results, payments and the total live in the journey's partition (`JOURNEY#<cvr>#<cohortId>`).
 */
const tableName = requiredEnv('TABLE_NAME');

const partition = (cvr: string, cohortId: string) => `JOURNEY#${cvr}#${cohortId}`;

export const companyPaymentKeys = {
  /** `resultId`: `social-model`, or the hire's outcome id. */
  result: (cvr: string, cohortId: string, resultId: string) => ({
    pk: partition(cvr, cohortId),
    sk: `JRESULT#${resultId}`,
  }),
  payment: (cvr: string, cohortId: string, paymentKey: string) => ({
    pk: partition(cvr, cohortId),
    sk: `JPAYMENT#${paymentKey}`,
  }),
  paid: (cvr: string, cohortId: string) => ({ pk: partition(cvr, cohortId), sk: 'JPAID' }),
};

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/** A company-side result as recorded: what the payment is decided from. */
export const companyResultItem = z.object({
  kind: z.enum(companyResultKinds),
  resultId: z.string().min(1),
  cvr: z.string().regex(/^\d{8}$/),
  cohortId: z.string().min(1),
  municipality: z.string().min(1),
  /** The day the result was verified (the social model's verification; the hire's 26th week). */
  date: day,
  recordedAt: z.string(),
  recordedBy: z.string(),
  /** For a hire: the pathway and its job start. */
  referralId: z.string().optional(),
  jobStartedOn: day.optional(),
  hoursPerWeek: z.number().optional(),
});
export type CompanyResultRecord = z.output<typeof companyResultItem>;

export const companyPaymentItem = z.object({
  paymentId: z.string(),
  paymentKey: z.string(),
  resultId: z.string(),
  cvr: z.string(),
  companyName: z.string(),
  cohortId: z.string(),
  municipality: z.string(),
  rule: z.enum(companyResultKinds),
  payee: z.literal('social-accelerator'),
  payeeId: z.string(),
  payeeName: z.string(),
  amountOere: z.number().int().nonnegative(),
  cappedFromOere: z.number().int().optional(),
  rateCardVersion: z.string(),
  dueDate: day,
  /** The result's date. */
  resultDate: day,
  referralId: z.string().optional(),
  createdAt: z.string(),
  recordedBy: z.string(),
  notifiedAt: z.string().optional(),
  notificationMessageId: z.string().optional(),
});
export type CompanyPaymentRecord = z.output<typeof companyPaymentItem>;

/**
 * As stored: what a citizen's payment lacks goes in one `company` map, so that the byType index (which projects at
 * most 20 attributes, lib/programme-data.ts) carries a company payment whole.
 */
function toStored({ cvr, companyName, cohortId, resultDate, ...rest }: CompanyPaymentRecord) {
  return { ...rest, company: { cvr, name: companyName, cohortId, resultDate } };
}

const storedCompany = z.object({
  cvr: z.string(),
  name: z.string(),
  cohortId: z.string(),
  resultDate: z.string(),
});

function fromStored(item: Record<string, unknown>): CompanyPaymentRecord {
  const { company, ...rest } = strip(item);
  const { cvr, name, cohortId, resultDate } = storedCompany.parse(company);
  return companyPaymentItem.parse({ ...rest, cvr, companyName: name, cohortId, resultDate });
}

const strip = (item: Record<string, unknown>) => {
  const { pk: _pk, sk: _sk, gsi1pk: _g1, gsi1sk: _g2, itemKind: _kind, ...rest } = item;
  return rest;
};

/**
 * Records a company-side result once: a second recording of the same result (a retried request, a redelivered
 * milestone) writes nothing and answers `false`.
 */
export async function putCompanyResult(result: CompanyResultRecord): Promise<boolean> {
  try {
    await dynamodb.send(
      new PutItemCommand({
        TableName: tableName,
        Item: marshall(
          {
            ...companyPaymentKeys.result(result.cvr, result.cohortId, result.resultId),
            itemKind: 'company-result',
            ...result,
          },
          { removeUndefinedValues: true },
        ),
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

export async function loadCompanyResult(
  cvr: string,
  cohortId: string,
  resultId: string,
): Promise<CompanyResultRecord | undefined> {
  const { Item } = await dynamodb.send(
    new GetItemCommand({
      TableName: tableName,
      Key: marshall(companyPaymentKeys.result(cvr, cohortId, resultId)),
      ConsistentRead: true,
    }),
  );
  return Item ? companyResultItem.parse(strip(unmarshall(Item))) : undefined;
}

/** The company's payments in the cohort and their running total (the cap's basis). */
export async function loadCompanyPaid(
  cvr: string,
  cohortId: string,
): Promise<{ payments: CompanyPaymentRecord[]; paidOere: number }> {
  const [{ Item }, payments] = await Promise.all([
    dynamodb.send(
      new GetItemCommand({
        TableName: tableName,
        Key: marshall(companyPaymentKeys.paid(cvr, cohortId)),
        ConsistentRead: true,
      }),
    ),
    loadCompanyPayments(cvr, cohortId),
  ]);
  return { payments, paidOere: Item ? Number(unmarshall(Item).paidOere ?? 0) : 0 };
}

export async function loadCompanyPayments(cvr: string, cohortId: string): Promise<CompanyPaymentRecord[]> {
  const { Items } = await dynamodb.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: marshall({ ':pk': partition(cvr, cohortId), ':prefix': 'JPAYMENT#' }),
      ConsistentRead: true,
    }),
  );
  return (Items ?? []).map((item) => fromStored(unmarshall(item)));
}

export async function loadCompanyPayment(
  cvr: string,
  cohortId: string,
  paymentKey: string,
): Promise<CompanyPaymentRecord | undefined> {
  const { Item } = await dynamodb.send(
    new GetItemCommand({
      TableName: tableName,
      Key: marshall(companyPaymentKeys.payment(cvr, cohortId, paymentKey)),
      ConsistentRead: true,
    }),
  );
  return Item ? fromStored(unmarshall(Item)) : undefined;
}

/**
 * Writes a payment together with the company's running total, each conditional: the payment's key is new, and
 * the total is the one the decision was made from. A concurrent payment for the same company (two hires at once)
 * makes one of them read again and decide again; a retried run finds its payment already there. Returns
 * whether it was written.
 */
export async function putCompanyPayment(
  payment: CompanyPaymentRecord,
  expectedPaidOere: number,
): Promise<boolean> {
  const paid = companyPaymentKeys.paid(payment.cvr, payment.cohortId);
  try {
    await dynamodb.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          {
            Put: {
              TableName: tableName,
              Item: marshall(
                {
                  ...companyPaymentKeys.payment(payment.cvr, payment.cohortId, payment.paymentKey),
                  itemKind: 'company-payment',
                  gsi1pk: 'COMPANY-PAYMENT',
                  gsi1sk: `${payment.createdAt}#${payment.paymentId}`,
                  ...toStored(payment),
                },
                { removeUndefinedValues: true },
              ),
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Update: {
              TableName: tableName,
              Key: marshall(paid),
              UpdateExpression: 'SET paidOere = :next',
              ConditionExpression:
                expectedPaidOere === 0
                  ? 'attribute_not_exists(paidOere) OR paidOere = :expected'
                  : 'paidOere = :expected',
              ExpressionAttributeValues: marshall({
                ':next': expectedPaidOere + payment.amountOere,
                ':expected': expectedPaidOere,
              }),
            },
          },
        ],
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof TransactionCanceledException) return false;
    throw error;
  }
}

export async function markCompanyPaymentNotified(
  payment: Pick<CompanyPaymentRecord, 'cvr' | 'cohortId' | 'paymentKey'>,
  at: string,
  messageId: string,
): Promise<void> {
  await markNotified(
    companyPaymentKeys.payment(payment.cvr, payment.cohortId, payment.paymentKey),
    at,
    messageId,
  );
}

/**
 * Every company-side payment through the byType index, or only those of the municipalities a caller may see: a
 * list never carries another municipality's payments out of this function.
 */
export async function listCompanyPayments(
  municipalities?: readonly string[],
): Promise<CompanyPaymentRecord[]> {
  const payments = (await queryByType('COMPANY-PAYMENT')).map(fromStored);
  return payments.filter((p) => municipalities === undefined || municipalities.includes(p.municipality));
}
