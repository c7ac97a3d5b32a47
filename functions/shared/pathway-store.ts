import {
  type AttributeValue,
  ConditionalCheckFailedException,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  TransactionCanceledException,
  type TransactWriteItem,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { Benefit, RateGroup } from '#domain/benefits';
import type { IsoDate } from '#domain/dates';
import type { Readiness } from '#domain/deadweight';
import {
  type ClosedReason,
  type InductionPlacement,
  milestoneEndsJob,
  type OutcomeType,
  type PathwayPosition,
  type Phase,
  type PhasePlan,
  type RunningJob,
} from '#domain/pathway';
import type { Payee, PaymentRule } from '#domain/rate-card';
import { staircaseWeekFromWeeksOnBenefit } from '#domain/reimbursement';
import { type AccessEntry, accessPut } from './access-log.ts';
import { dynamodb, requiredEnv } from './aws.ts';

/**
 * All reads and writes of the programme table. Keys and item shapes are described in docs/ARCHITECTURE.md.
 * Every write that changes a pathway is one transaction, conditional on the pathway's `eventSeq`, so two
 * writers can never interleave and nothing is ever half-written.
 */
const tableName = requiredEnv('TABLE_NAME');

export const keys = {
  referral: (referralId: string) => ({ pk: `REFERRAL#${referralId}`, sk: 'STATE' }),
  event: (referralId: string, seq: number) => ({
    pk: `REFERRAL#${referralId}`,
    sk: `EVENT#${String(seq).padStart(6, '0')}`,
  }),
  outcome: (referralId: string, outcomeId: string) => ({
    pk: `REFERRAL#${referralId}`,
    sk: `OUTCOME#${outcomeId}`,
  }),
  /** One payment per rule and payee on a pathway: the key itself makes a second one impossible. */
  payment: (referralId: string, paymentKey: string) => ({
    pk: `REFERRAL#${referralId}`,
    sk: `PAYMENT#${paymentKey}`,
  }),
  milestone: (referralId: string, outcomeId: string, weeks: number) => ({
    pk: `REFERRAL#${referralId}`,
    sk: `MILESTONE#${outcomeId}#${String(weeks).padStart(2, '0')}`,
  }),
  municipalityPayments: (municipality: string) => ({ pk: `MUNICIPALITY#${municipality}`, sk: 'PAYMENTS' }),
  /** All a citizen has earned the payees, on any pathway: the per-citizen cap holds across re-referrals. */
  citizenPayments: (citizenKey: string) => ({ pk: `CITIZEN#${citizenKey}`, sk: 'PAYMENTS' }),
  failure: (referralId: string, at: string, executionName: string) => ({
    pk: `REFERRAL#${referralId}`,
    sk: `FAILURE#${at}#${executionName}`,
  }),
  capacity: (municipality: string) => ({ pk: `MUNICIPALITY#${municipality}`, sk: 'CAPACITY' }),
  citizen: (citizenKey: string) => ({ pk: `CITIZEN#${citizenKey}`, sk: 'ACTIVE' }),
  idempotency: (hash: string) => ({ pk: `IDEMPOTENCY#${hash}`, sk: 'RESPONSE' }),
  /**
   * A citizen placed in or hired by a company of the partnership (issue 7), in the partnership's partition so that
   * the company page counts them with one query: ids and dates only, never a name.
   */
  citizenAtCompany: (municipality: string, cvr: string, referralId: string, link: string) => ({
    pk: `PARTNERSHIP#${municipality}`,
    sk: `CITIZENAT#${cvr}#${referralId}#${link}`,
  }),
};

export type { Benefit, RateGroup, Readiness };

/** A referral's staircase week, from the field it was recorded with (domain/reimbursement.ts maps the old one). */
export function staircaseWeekOf(referral: Pick<ReferralRecord, 'staircaseWeek' | 'weeksOnBenefit'>): number {
  if (referral.staircaseWeek !== undefined) return referral.staircaseWeek;
  return staircaseWeekFromWeeksOnBenefit(referral.weeksOnBenefit ?? 0);
}

export interface ReferralRecord {
  referralId: string;
  municipality: string;
  employmentActorId: string;
  name: string;
  benefit: Benefit;
  /** Absent on referrals made before rate groups were asked for. */
  rateGroup?: RateGroup;
  readiness: Readiness;
  /**
   * The citizen's week on the refusionstrappe when referred (0 = not on it; domain/reimbursement.ts). Absent on
   * referrals made before it was asked for: those have `weeksOnBenefit`, which is staircase week − 1.
   */
  staircaseWeek?: number;
  /** Weeks on benefit in the last 52 weeks (0–52), recorded by referrals made before `staircaseWeek`. */
  weeksOnBenefit?: number;
  startDate: IsoDate;
  referredOn: IsoDate;
  referredAt: string;
  referredBy: string;
  plan: PhasePlan;
  phase: Phase;
  phaseSeq: number;
  phaseStartedOn: IsoDate;
  phaseEndsOn: IsoDate | null;
  closedReason?: ClosedReason;
  eventSeq: number;
  /** How many payments the pathway has; absent until the first. */
  paymentSeq?: number;
  /** Where the company induction takes place, once the employment actor has said. */
  inductionPlacement?: InductionPlacement;
  citizenKey: string;
  /**
   * The job being followed to its milestones (domain/pathway.ts `isFollowUpRunning`). On the state, so that the
   * transaction recording a job start can refuse a second one by condition, however many race.
   */
  runningJob?: RunningJob;
}

export type PhaseTrigger = 'referral' | 'timer' | 'outcome';

export type PathwayEvent =
  | { kind: 'referral-received'; referralId: string; seq: number; at: string; by: string }
  | {
      kind: 'phase-started';
      referralId: string;
      seq: number;
      at: string;
      by: string;
      /** What moved the pathway: only an outcome leaves a running timer behind to stop. */
      trigger: PhaseTrigger;
      phase: Phase;
      phaseSeq: number;
      startedOn: IsoDate;
      endsOn: IsoDate | null;
      /** When the phase timer fires (RFC 3339), absent for a closed pathway. */
      phaseEndsAt?: string;
      closedReason?: ClosedReason;
    }
  | {
      kind: 'outcome-recorded';
      referralId: string;
      seq: number;
      at: string;
      by: string;
      outcomeId: string;
      type: OutcomeType;
      /** Job facts the stream consumer needs to start the sustainment workflow (absent on older events). */
      date?: IsoDate;
      hoursPerWeek?: number;
      /** On a drop-out: the followed results whose sustainment runs the stream consumer stops with the pathway. */
      stopsSustainment?: string[];
    }
  | {
      kind: 'induction-placed';
      referralId: string;
      seq: number;
      at: string;
      by: string;
      placement: InductionPlacement;
    }
  | {
      kind: 'milestone-opened' | 'milestone-confirmed' | 'milestone-job-ended' | 'milestone-unconfirmed';
      referralId: string;
      seq: number;
      at: string;
      by: string;
      outcomeId: string;
      weeks: number;
      /** The result a confirmation is paid as: `<outcomeId>-w<weeks>`. */
      resultId: string;
    };

export interface OutcomeRecord {
  referralId: string;
  outcomeId: string;
  type: OutcomeType;
  date: IsoDate;
  hoursPerWeek?: number;
  employer?: string;
  /** The employer's CVR number, when the job start gave one (absent on outcomes recorded before). */
  employerCvr?: string;
  /**
   * A job with one of the accelerator companies: the company side of the model is paid too. Derived when the
   * outcome is recorded, from the employer's company record and journey (domain/placement.ts `decideEmployer`);
   * outcomes recorded before kept what the person ticked.
   */
  hiredByAcceleratorCompany?: boolean;
  /** Set when a confirmation says the job has ended; later milestones are not opened. */
  endedOn?: IsoDate;
  recordedAt: string;
  recordedBy: string;
  phaseAtOutcome: Phase;
}

export type MilestoneStatus = 'awaiting-confirmation' | 'confirmed' | 'job-ended' | 'unconfirmed';

/** A sustainment milestone of a job: opened by the sustainment workflow when due, confirmed by a person. */
export interface MilestoneRecord {
  referralId: string;
  outcomeId: string;
  weeks: number;
  dueOn: IsoDate;
  deadlineOn: IsoDate;
  status: MilestoneStatus;
  openedAt: string;
  confirmedAt?: string;
  confirmedBy?: string;
  endedOn?: IsoDate;
}

export interface PaymentRecord {
  paymentId: string;
  /** `<rule>#<payee>`: the payment's key on its pathway. */
  paymentKey: string;
  referralId: string;
  /** The result paid for: the outcome id, or `<outcomeId>-w<weeks>` for a sustainment milestone. */
  resultId: string;
  outcomeId: string;
  outcomeType: OutcomeType;
  rule: PaymentRule;
  payee: Payee;
  amountOere: number;
  /** The rate card's amount when a cap made this payment smaller. */
  cappedFromOere?: number;
  rateCardVersion: string;
  dueDate: IsoDate;
  municipality: string;
  payeeId: string;
  payeeName: string;
  createdAt: string;
  /** Who recorded the result the payment is for (absent on payments written before sign-in). */
  recordedBy?: string;
  notifiedAt?: string;
  notificationMessageId?: string;
}

export interface FailureRecord {
  referralId: string;
  at: string;
  executionName: string;
  error: string;
  message: string;
}

export interface Pathway {
  referral: ReferralRecord;
  events: PathwayEvent[];
  outcomes: OutcomeRecord[];
  payments: PaymentRecord[];
  milestones: MilestoneRecord[];
  failures: FailureRecord[];
}

const toItem = (value: object): Record<string, AttributeValue> =>
  marshall(value, { removeUndefinedValues: true });

function put(
  key: { pk: string; sk: string },
  value: object,
  condition = 'attribute_not_exists(pk)',
): TransactWriteItem {
  return {
    Put: { TableName: tableName, Item: toItem({ ...key, ...value }), ConditionExpression: condition },
  };
}

function referralFromItem(item: Record<string, AttributeValue>): ReferralRecord {
  const { pk: _pk, sk: _sk, cprCiphertext: _cpr, kind: _kind, ...rest } = unmarshall(item);
  return rest as ReferralRecord;
}

export async function loadReferral(referralId: string): Promise<ReferralRecord | undefined> {
  const { Item } = await dynamodb.send(
    new GetItemCommand({
      TableName: tableName,
      Key: toItem(keys.referral(referralId)),
      ConsistentRead: true,
    }),
  );
  return Item ? referralFromItem(Item) : undefined;
}

/**
 * Sort keys above this one: the access log (`ACCESS#…`, functions/shared/access-log.ts) sorts below it and
 * grows with every read, so the pathway's query leaves it out rather than paging through it. Every other item
 * of a pathway (EVENT#, FAILURE#, MILESTONE#, OUTCOME#, PAYMENT#, STATE) sorts above.
 */
const AFTER_ACCESS_LOG = 'ACCESS$';

/** The whole pathway in one query: state, events, outcomes, payments and failures share a partition. */
export async function loadPathway(referralId: string): Promise<Pathway | undefined> {
  const items: Record<string, AttributeValue>[] = [];
  let startKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await dynamodb.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND sk > :afterAccess',
        ExpressionAttributeValues: {
          ':pk': { S: `REFERRAL#${referralId}` },
          ':afterAccess': { S: AFTER_ACCESS_LOG },
        },
        ConsistentRead: true,
        ExclusiveStartKey: startKey,
      }),
    );
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);

  const state = items.find((i) => i.sk?.S === 'STATE');
  if (!state) return undefined;
  const strip = (item: Record<string, AttributeValue>) => {
    const { pk: _pk, sk: _sk, gsi1pk: _g1, gsi1sk: _g2, ...rest } = unmarshall(item);
    return rest;
  };
  const withPrefix = (prefix: string) => items.filter((i) => i.sk?.S?.startsWith(prefix)).map(strip);
  return {
    referral: referralFromItem(state),
    events: withPrefix('EVENT#') as PathwayEvent[],
    outcomes: withPrefix('OUTCOME#') as OutcomeRecord[],
    payments: withPrefix('PAYMENT#') as PaymentRecord[],
    milestones: withPrefix('MILESTONE#') as MilestoneRecord[],
    failures: withPrefix('FAILURE#') as FailureRecord[],
  };
}

/** Why a pathway transaction was refused, by the item whose condition failed. */
export class TransactionRefused extends Error {
  constructor(public readonly reasons: ReadonlyArray<string | undefined>) {
    super(`Transaction refused: ${reasons.map((r) => r ?? 'None').join(', ')}`);
    this.name = 'TransactionRefused';
  }
  failedAt(index: number): boolean {
    return this.reasons[index] === 'ConditionalCheckFailed';
  }
}

/** Concurrent transactions on one item (the capacity counter, a pathway's state) cancel each other on AWS. */
const CONFLICT_ATTEMPTS = 5;
const CONFLICT_BACKOFF_MS = 25;

/**
 * Runs one transaction. A condition that fails is the caller's business (TransactionRefused, with the reason
 * per item). A conflict with another transaction is not an answer yet: it is retried with jittered backoff,
 * and only a conflict that persists is refused, as `TransactionContended`.
 */
async function transact(items: TransactWriteItem[]): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await dynamodb.send(new TransactWriteItemsCommand({ TransactItems: items }));
      return;
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons = (error.CancellationReasons ?? []).map((r) => r.Code);
      if (reasons.includes('ConditionalCheckFailed')) throw new TransactionRefused(reasons);
      if (!reasons.includes('TransactionConflict')) throw error;
      if (attempt >= CONFLICT_ATTEMPTS) throw new TransactionContended();
      await new Promise((resolve) => setTimeout(resolve, Math.random() * CONFLICT_BACKOFF_MS * 2 ** attempt));
    }
  }
}

/** Other writers kept winning: the caller answers "try again" (409), never a 500. */
export class TransactionContended extends Error {
  constructor() {
    super('The transaction kept conflicting with concurrent writes');
    this.name = 'TransactionContended';
  }
}

function phaseStartedEvent(
  referralId: string,
  seq: number,
  at: string,
  by: string,
  trigger: PhaseTrigger,
  position: PathwayPosition,
  phaseEndsAt: string | null,
): PathwayEvent {
  return {
    kind: 'phase-started',
    referralId,
    seq,
    at,
    by,
    trigger,
    phase: position.phase,
    phaseSeq: position.phaseSeq,
    startedOn: position.phaseStartedOn,
    endsOn: position.phaseEndsOn,
    phaseEndsAt: phaseEndsAt ?? undefined,
    closedReason: position.closedReason,
  };
}

/**
 * More for an update of a pathway's state, beyond its position and event count: an expression to add to its
 * SET, attributes to REMOVE, a further condition, and the values these name.
 */
interface StateChange {
  set?: string;
  remove?: string;
  condition?: string;
  values?: Record<string, unknown>;
}

const withChange = (expression: string, change: StateChange) =>
  `${expression}${change.set ? `, ${change.set}` : ''}${change.remove ? ` REMOVE ${change.remove}` : ''}`;
const conditionWith = (condition: string, change: StateChange) =>
  change.condition ? `${condition} AND ${change.condition}` : condition;

function positionUpdate(
  referralId: string,
  position: PathwayPosition,
  expectedEventSeq: number,
  newEventSeq: number,
  change: StateChange = {},
): TransactWriteItem {
  return {
    Update: {
      TableName: tableName,
      Key: toItem(keys.referral(referralId)),
      UpdateExpression: withChange(
        'SET phase = :phase, phaseSeq = :phaseSeq, phaseStartedOn = :startedOn, phaseEndsOn = :endsOn, eventSeq = :newSeq' +
          (position.closedReason ? ', closedReason = :reason' : ''),
        change,
      ),
      ConditionExpression: conditionWith('eventSeq = :expected AND phase <> :closed', change),
      ExpressionAttributeValues: toItem({
        ':phase': position.phase,
        ':phaseSeq': position.phaseSeq,
        ':startedOn': position.phaseStartedOn,
        ':endsOn': position.phaseEndsOn,
        ':newSeq': newEventSeq,
        ':expected': expectedEventSeq,
        ':closed': 'closed',
        ...(position.closedReason ? { ':reason': position.closedReason } : {}),
        ...change.values,
      }),
    },
  };
}

function releaseCitizen(citizenKey: string, referralId: string): TransactWriteItem {
  return {
    Delete: {
      TableName: tableName,
      Key: toItem(keys.citizen(citizenKey)),
      ConditionExpression: 'referralId = :id',
      ExpressionAttributeValues: toItem({ ':id': referralId }),
    },
  };
}

export interface StoredResponse {
  statusCode: number;
  body: string;
  headers: Record<string, string>;
}

export interface IdempotencyWrite {
  hash: string;
  fingerprint: string;
  response: StoredResponse;
  /** Epoch seconds, as DynamoDB TTL wants them. */
  expiresAt: number;
  now: number;
}

/** An expired record may be overwritten: TTL deletion lags by up to two days and must not block a reuse. */
function idempotencyPut(write: IdempotencyWrite): TransactWriteItem {
  return {
    Put: {
      TableName: tableName,
      Item: toItem({
        ...keys.idempotency(write.hash),
        fingerprint: write.fingerprint,
        response: write.response,
        expiresAt: write.expiresAt,
      }),
      ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
      ExpressionAttributeValues: toItem({ ':now': write.now }),
    },
  };
}

/** The stored answer for a key, unless it has expired (epoch seconds `now`). */
export async function findStoredResponse(
  hash: string,
  now: number,
): Promise<{ fingerprint: string; response: StoredResponse } | undefined> {
  const { Item } = await dynamodb.send(
    new GetItemCommand({ TableName: tableName, Key: toItem(keys.idempotency(hash)), ConsistentRead: true }),
  );
  if (!Item) return undefined;
  const { fingerprint, response, expiresAt } = unmarshall(Item) as {
    fingerprint: string;
    response: StoredResponse;
    expiresAt: number;
  };
  if (expiresAt < now) return undefined;
  return { fingerprint, response };
}

export interface NewReferral {
  referral: ReferralRecord;
  cprCiphertext: Uint8Array;
  places: number;
  phaseEndsAt: string | null;
  idempotency?: IdempotencyWrite;
  /** The caseworker's access entry, stored with the referral. */
  access: AccessEntry;
}

/** Index of each conditional item in the create transaction, to tell the user which rule refused it. */
export const CREATE_REFERRAL = { capacity: 0, citizen: 1, idempotency: 5 } as const;

/**
 * One transaction: take a place (only while one is free), lock the citizen (one active pathway), write the
 * referral with its first two events, and remember the response for the idempotency key.
 */
export async function createReferral(input: NewReferral): Promise<void> {
  const { referral } = input;
  const items: TransactWriteItem[] = [
    {
      Update: {
        TableName: tableName,
        Key: toItem(keys.capacity(referral.municipality)),
        UpdateExpression: 'SET placesTaken = if_not_exists(placesTaken, :zero) + :one',
        ConditionExpression: 'attribute_not_exists(placesTaken) OR placesTaken < :places',
        ExpressionAttributeValues: toItem({ ':zero': 0, ':one': 1, ':places': input.places }),
      },
    },
    put(keys.citizen(referral.citizenKey), { referralId: referral.referralId, since: referral.referredAt }),
    put(keys.referral(referral.referralId), {
      kind: 'referral',
      // Listed by the byType index for the business case and statements.
      gsi1pk: 'REFERRAL',
      gsi1sk: `${referral.referredAt}#${referral.referralId}`,
      ...referral,
      cprCiphertext: input.cprCiphertext,
    }),
    put(keys.event(referral.referralId, 1), {
      kind: 'referral-received',
      referralId: referral.referralId,
      seq: 1,
      at: referral.referredAt,
      by: referral.referredBy,
    } satisfies PathwayEvent),
    put(
      keys.event(referral.referralId, 2),
      phaseStartedEvent(
        referral.referralId,
        2,
        referral.referredAt,
        referral.referredBy,
        'referral',
        referral,
        input.phaseEndsAt,
      ),
    ),
  ];
  if (input.idempotency) items.push(idempotencyPut(input.idempotency));
  // Last, so that the indices above (CREATE_REFERRAL) stay what they are.
  items.push(accessPut(input.access));
  await transact(items);
}

export interface OutcomeWrite {
  referral: ReferralRecord;
  outcome: OutcomeRecord;
  /** The new position when the outcome moves the pathway. */
  next: PathwayPosition | null;
  phaseEndsAt: string | null;
  releasesPlace: boolean;
  releasesCitizen: boolean;
  /** Whether the outcome starts a job that is followed to its milestones (domain/pathway.ts `isFollowedJob`). */
  startsRunningJob: boolean;
  /** On a drop-out: the followed jobs whose sustainment runs stop with the pathway (through its event). */
  stopsSustainment?: string[];
  idempotency?: IdempotencyWrite;
  access: AccessEntry;
}

/**
 * What an outcome does to the running job on the pathway's state. A job start is written only while no job
 * runs, by condition (domain/pathway.ts `checkJobStart`): the handler's check decides on the state it read,
 * which a concurrent job start may have changed since; the condition is checked at the write and cannot be
 * beaten. A followed job becomes the running job; a drop-out ends its follow-up with the pathway.
 */
function runningJobChange(write: OutcomeWrite): StateChange {
  const { outcome } = write;
  if (outcome.type === 'dropout') return { remove: 'runningJob' };
  if (outcome.type !== 'job-start') return {};
  const condition = 'attribute_not_exists(runningJob)';
  if (!write.startsRunningJob) return { condition };
  const job: RunningJob = { outcomeId: outcome.outcomeId, date: outcome.date };
  return { set: 'runningJob = :runningJob', condition, values: { ':runningJob': job } };
}

/** The outcome, its event and its effect on the pathway (phase, place, citizen lock) in one transaction. */
export async function recordOutcome(write: OutcomeWrite): Promise<void> {
  const { referral, outcome, next } = write;
  const id = referral.referralId;
  const outcomeSeq = referral.eventSeq + 1;
  const lastSeq = next ? outcomeSeq + 1 : outcomeSeq;
  const change = runningJobChange(write);
  const items: TransactWriteItem[] = [
    next
      ? positionUpdate(id, next, referral.eventSeq, lastSeq, change)
      : {
          Update: {
            TableName: tableName,
            Key: toItem(keys.referral(id)),
            UpdateExpression: withChange('SET eventSeq = :newSeq', change),
            ConditionExpression: conditionWith('eventSeq = :expected AND phase <> :closed', change),
            ExpressionAttributeValues: toItem({
              ':newSeq': lastSeq,
              ':expected': referral.eventSeq,
              ':closed': 'closed',
              ...change.values,
            }),
          },
        },
    put(keys.outcome(id, outcome.outcomeId), { kind: 'outcome', ...outcome }),
    put(keys.event(id, outcomeSeq), {
      kind: 'outcome-recorded',
      referralId: id,
      seq: outcomeSeq,
      at: outcome.recordedAt,
      by: outcome.recordedBy,
      outcomeId: outcome.outcomeId,
      type: outcome.type,
      date: outcome.date,
      hoursPerWeek: outcome.hoursPerWeek,
      stopsSustainment: write.stopsSustainment,
    } satisfies PathwayEvent),
  ];
  if (next) {
    items.push(
      put(
        keys.event(id, lastSeq),
        phaseStartedEvent(
          id,
          lastSeq,
          outcome.recordedAt,
          outcome.recordedBy,
          'outcome',
          next,
          write.phaseEndsAt,
        ),
      ),
    );
  }
  if (write.releasesPlace) {
    items.push({
      Update: {
        TableName: tableName,
        Key: toItem(keys.capacity(referral.municipality)),
        UpdateExpression: 'SET placesTaken = placesTaken - :one',
        ConditionExpression: 'placesTaken > :zero',
        ExpressionAttributeValues: toItem({ ':one': 1, ':zero': 0 }),
      },
    });
  }
  if (write.releasesCitizen) items.push(releaseCitizen(referral.citizenKey, id));
  if (outcome.type === 'job-start' && outcome.employerCvr) {
    items.push(
      put(
        keys.citizenAtCompany(referral.municipality, outcome.employerCvr, id, `hire#${outcome.outcomeId}`),
        {
          kind: 'citizen-at-company',
          link: 'hire',
          referralId: id,
          cvr: outcome.employerCvr,
          outcomeId: outcome.outcomeId,
          on: outcome.date,
          hoursPerWeek: outcome.hoursPerWeek,
          hiredByAcceleratorCompany: outcome.hiredByAcceleratorCompany === true,
        },
      ),
    );
  }
  if (write.idempotency) items.push(idempotencyPut(write.idempotency));
  items.push(accessPut(write.access));
  await transact(items);
}

/**
 * The timer's move to the next phase, conditional on nothing having happened since it read the pathway.
 * A completed pathway releases the citizen but keeps the municipality's place.
 */
export async function advancePhase(
  referral: ReferralRecord,
  next: PathwayPosition,
  phaseEndsAt: string | null,
  at: string,
): Promise<void> {
  const id = referral.referralId;
  const seq = referral.eventSeq + 1;
  const items: TransactWriteItem[] = [
    positionUpdate(id, next, referral.eventSeq, seq),
    put(keys.event(id, seq), phaseStartedEvent(id, seq, at, 'phase-timer', 'timer', next, phaseEndsAt)),
  ];
  if (next.phase === 'closed') items.push(releaseCitizen(referral.citizenKey, id));
  await transact(items);
}

export interface PlacementWrite {
  referral: ReferralRecord;
  placement: InductionPlacement;
  at: string;
  by: string;
  idempotency?: IdempotencyWrite;
  access: AccessEntry;
}

/** The induction placement on the pathway and as an event, while the pathway has not left induction. */
export async function recordPlacement(write: PlacementWrite): Promise<void> {
  const id = write.referral.referralId;
  const seq = write.referral.eventSeq + 1;
  const items: TransactWriteItem[] = [
    {
      Update: {
        TableName: tableName,
        Key: toItem(keys.referral(id)),
        UpdateExpression: 'SET inductionPlacement = :placement, eventSeq = :newSeq',
        ConditionExpression: 'eventSeq = :expected AND phase IN (:referred, :training, :induction)',
        ExpressionAttributeValues: toItem({
          ':placement': write.placement,
          ':newSeq': seq,
          ':expected': write.referral.eventSeq,
          ':referred': 'referred',
          ':training': 'training',
          ':induction': 'induction',
        }),
      },
    },
    put(keys.event(id, seq), {
      kind: 'induction-placed',
      referralId: id,
      seq,
      at: write.at,
      by: write.by,
      placement: write.placement,
    } satisfies PathwayEvent),
  ];
  const municipality = write.referral.municipality;
  const before = write.referral.inductionPlacement?.companyCvr;
  if (write.placement.companyCvr) {
    items.push(
      put(keys.citizenAtCompany(municipality, write.placement.companyCvr, id, 'placement'), {
        kind: 'citizen-at-company',
        link: 'placement',
        referralId: id,
        cvr: write.placement.companyCvr,
        placementType: write.placement.type,
        on: write.at.slice(0, 10),
      }),
    );
  }
  // A placement moved to another company leaves the first one's count (kept, marked, for the history).
  if (before && before !== write.placement.companyCvr) {
    items.push({
      Update: {
        TableName: tableName,
        Key: toItem(keys.citizenAtCompany(municipality, before, id, 'placement')),
        UpdateExpression: 'SET movedAt = :at',
        ExpressionAttributeValues: toItem({ ':at': write.at }),
      },
    });
  }
  if (write.idempotency) items.push(idempotencyPut(write.idempotency));
  items.push(accessPut(write.access));
  await transact(items);
}

/**
 * Moves the pathway's event count on by one, whatever its phase: milestones outlive the pathway. With a
 * milestone's new state: a milestone that ends its job's follow-up (domain/pathway.ts `milestoneEndsJob`)
 * ends the running job, so that a new job start can be recorded.
 */
function nextEvent(
  referral: ReferralRecord,
  milestone?: Pick<MilestoneRecord, 'outcomeId' | 'weeks' | 'status' | 'endedOn'>,
): { seq: number; item: TransactWriteItem } {
  const seq = referral.eventSeq + 1;
  const endsJob =
    milestone !== undefined &&
    referral.runningJob?.outcomeId === milestone.outcomeId &&
    milestoneEndsJob(milestone);
  return {
    seq,
    item: {
      Update: {
        TableName: tableName,
        Key: toItem(keys.referral(referral.referralId)),
        UpdateExpression: `SET eventSeq = :newSeq${endsJob ? ' REMOVE runningJob' : ''}`,
        ConditionExpression: 'eventSeq = :expected',
        ExpressionAttributeValues: toItem({ ':newSeq': seq, ':expected': referral.eventSeq }),
      },
    },
  };
}

export const resultIdOf = (outcomeId: string, weeks: number) => `${outcomeId}-w${weeks}`;

type MilestoneEventKind =
  | 'milestone-opened'
  | 'milestone-confirmed'
  | 'milestone-job-ended'
  | 'milestone-unconfirmed';

function milestoneEvent(
  kind: MilestoneEventKind,
  milestone: MilestoneRecord,
  seq: number,
  at: string,
  by: string,
) {
  return put(keys.event(milestone.referralId, seq), {
    kind,
    referralId: milestone.referralId,
    seq,
    at,
    by,
    outcomeId: milestone.outcomeId,
    weeks: milestone.weeks,
    resultId: resultIdOf(milestone.outcomeId, milestone.weeks),
  } satisfies PathwayEvent);
}

export async function loadMilestone(
  referralId: string,
  outcomeId: string,
  weeks: number,
): Promise<MilestoneRecord | undefined> {
  const { Item } = await dynamodb.send(
    new GetItemCommand({
      TableName: tableName,
      Key: toItem(keys.milestone(referralId, outcomeId, weeks)),
      ConsistentRead: true,
    }),
  );
  if (!Item) return undefined;
  const { pk: _pk, sk: _sk, kind: _kind, ...rest } = unmarshall(Item);
  return rest as MilestoneRecord;
}

/** The sustainment workflow opens a milestone when it falls due; its key refuses a second opening. */
export async function openMilestone(referral: ReferralRecord, milestone: MilestoneRecord): Promise<void> {
  const { seq, item } = nextEvent(referral);
  await transact([
    put(keys.milestone(milestone.referralId, milestone.outcomeId, milestone.weeks), {
      kind: 'milestone',
      ...milestone,
    }),
    item,
    milestoneEvent('milestone-opened', milestone, seq, milestone.openedAt, 'sustainment-workflow'),
  ]);
}

export interface ConfirmationWrite {
  referral: ReferralRecord;
  milestone: MilestoneRecord;
  employed: boolean;
  /** When the job ended, for an answer that it has. */
  endedOn?: IsoDate;
  at: string;
  by: string;
  idempotency?: IdempotencyWrite;
  access: AccessEntry;
}

/**
 * A person's answer at a milestone, once, while it awaits confirmation. "Still employed" is a result and is
 * paid (through its event on the stream); "the job has ended" stops the later milestones.
 */
export async function confirmMilestone(write: ConfirmationWrite): Promise<void> {
  const { milestone } = write;
  const status: MilestoneStatus = write.employed ? 'confirmed' : 'job-ended';
  // The job's end, when the answer gives one (or the due date, for an ended job without a date).
  const endedOn = write.endedOn ?? (write.employed ? undefined : milestone.dueOn);
  const { seq, item } = nextEvent(write.referral, { ...milestone, status, endedOn });
  const items: TransactWriteItem[] = [
    {
      Update: {
        TableName: tableName,
        Key: toItem(keys.milestone(milestone.referralId, milestone.outcomeId, milestone.weeks)),
        UpdateExpression: `SET #status = :status, confirmedAt = :at, confirmedBy = :by${endedOn ? ', endedOn = :endedOn' : ''}`,
        ConditionExpression: '#status = :awaiting',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: toItem({
          ':status': status,
          ':at': write.at,
          ':by': write.by,
          ':awaiting': 'awaiting-confirmation',
          ...(endedOn ? { ':endedOn': endedOn } : {}),
        }),
      },
    },
    item,
    milestoneEvent(
      write.employed ? 'milestone-confirmed' : 'milestone-job-ended',
      milestone,
      seq,
      write.at,
      write.by,
    ),
  ];
  if (endedOn) {
    items.push({
      Update: {
        TableName: tableName,
        Key: toItem(keys.outcome(milestone.referralId, milestone.outcomeId)),
        UpdateExpression: 'SET endedOn = :endedOn',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: toItem({ ':endedOn': endedOn }),
      },
    });
  }
  if (write.idempotency) items.push(idempotencyPut(write.idempotency));
  items.push(accessPut(write.access));
  await transact(items);
}

/** At the deadline an unanswered milestone pays nothing and is flagged for follow-up. */
export async function markMilestoneUnconfirmed(
  referral: ReferralRecord,
  milestone: MilestoneRecord,
  at: string,
): Promise<void> {
  const { seq, item } = nextEvent(referral, { ...milestone, status: 'unconfirmed' });
  await transact([
    {
      Update: {
        TableName: tableName,
        Key: toItem(keys.milestone(milestone.referralId, milestone.outcomeId, milestone.weeks)),
        UpdateExpression: 'SET #status = :status',
        ConditionExpression: '#status = :awaiting',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: toItem({ ':status': 'unconfirmed', ':awaiting': 'awaiting-confirmation' }),
      },
    },
    item,
    milestoneEvent('milestone-unconfirmed', milestone, seq, at, 'sustainment-workflow'),
  ]);
}

export async function loadPayment(
  referralId: string,
  paymentKey: string,
): Promise<PaymentRecord | undefined> {
  const { Item } = await dynamodb.send(
    new GetItemCommand({
      TableName: tableName,
      Key: toItem(keys.payment(referralId, paymentKey)),
      ConsistentRead: true,
    }),
  );
  if (!Item) return undefined;
  const { pk: _pk, sk: _sk, gsi1pk: _g1, gsi1sk: _g2, kind: _kind, ...rest } = unmarshall(Item);
  return rest as PaymentRecord;
}

/** A running payment total (a municipality's or a citizen's), for its cap. */
async function loadPaidTotal(key: { pk: string; sk: string }): Promise<number> {
  const { Item } = await dynamodb.send(
    new GetItemCommand({ TableName: tableName, Key: toItem(key), ConsistentRead: true }),
  );
  return Item ? Number(unmarshall(Item).paidOere ?? 0) : 0;
}

export const loadMunicipalityPaid = (municipality: string) =>
  loadPaidTotal(keys.municipalityPayments(municipality));
export const loadCitizenPaid = (citizenKey: string) => loadPaidTotal(keys.citizenPayments(citizenKey));

export interface PaymentsWrite {
  referralId: string;
  municipality: string;
  citizenKey: string;
  payments: PaymentRecord[];
  /** The pathway's payment count and the municipality's and citizen's totals that the decision was made from. */
  expectedPaymentSeq: number;
  expectedMunicipalityPaid: number;
  expectedCitizenPaid: number;
}

/**
 * Writes a result's payments (one per payee) together with a bump of the pathway's `paymentSeq` and the
 * municipality's running total, each conditional on the value the caller decided from. Two payment runs can
 * then never both pay on the same picture of what was paid (a partial and a full job result at once, or two
 * pathways against the municipality's cap): the second is refused, reads again and decides again. Each
 * payment's own key (pathway + rule + payee) keeps it to one. Returns whether it was written.
 */
export async function putPayments(write: PaymentsWrite): Promise<boolean> {
  const total = write.payments.reduce((sum, p) => sum + p.amountOere, 0);
  const counter = (expected: number, path: string) =>
    expected === 0 ? `attribute_not_exists(${path}) OR ${path} = :expected` : `${path} = :expected`;
  const runningTotal = (key: { pk: string; sk: string }, expected: number): TransactWriteItem => ({
    Update: {
      TableName: tableName,
      Key: toItem(key),
      UpdateExpression: 'SET paidOere = :next',
      ConditionExpression: counter(expected, 'paidOere'),
      ExpressionAttributeValues: toItem({ ':next': expected + total, ':expected': expected }),
    },
  });
  try {
    await transact([
      ...write.payments.map((payment) =>
        put(keys.payment(payment.referralId, payment.paymentKey), {
          kind: 'payment',
          gsi1pk: 'PAYMENT',
          gsi1sk: `${payment.createdAt}#${payment.paymentId}`,
          ...payment,
        }),
      ),
      {
        Update: {
          TableName: tableName,
          Key: toItem(keys.referral(write.referralId)),
          UpdateExpression: 'SET paymentSeq = :next',
          ConditionExpression: counter(write.expectedPaymentSeq, 'paymentSeq'),
          ExpressionAttributeValues: toItem({
            ':next': write.expectedPaymentSeq + 1,
            ':expected': write.expectedPaymentSeq,
          }),
        },
      },
      runningTotal(keys.municipalityPayments(write.municipality), write.expectedMunicipalityPaid),
      runningTotal(keys.citizenPayments(write.citizenKey), write.expectedCitizenPaid),
    ]);
    return true;
  } catch (error) {
    if (error instanceof TransactionRefused) return false;
    throw error;
  }
}

export async function markPaymentNotified(
  referralId: string,
  paymentKey: string,
  at: string,
  messageId: string,
): Promise<void> {
  await markNotified(keys.payment(referralId, paymentKey), at, messageId);
}

/** Marks a payment item (a citizen's or a company's) as notified, once: a second mark changes nothing. */
export async function markNotified(
  key: { pk: string; sk: string },
  at: string,
  messageId: string,
): Promise<void> {
  try {
    await dynamodb.send(
      new UpdateItemCommand({
        TableName: tableName,
        Key: toItem(key),
        UpdateExpression: 'SET notifiedAt = :at, notificationMessageId = :messageId',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(notifiedAt)',
        ExpressionAttributeValues: toItem({ ':at': at, ':messageId': messageId }),
      }),
    );
  } catch (error) {
    // Already marked by an earlier attempt: the notification went out once.
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
}

/** Every item of one kind through the byType index, all pages, optionally only some attributes. */
export async function queryByType(
  type: 'PAYMENT' | 'REFERRAL' | 'COMPANY-PAYMENT',
  attributes?: readonly string[],
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, AttributeValue> | undefined;
  // Names stand in for the attributes, so that none can clash with a DynamoDB reserved word.
  const names = attributes?.map((_, index) => `#a${index}`);
  do {
    const page = await dynamodb.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: 'byType',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: type } },
        ProjectionExpression: names?.join(', '),
        ExpressionAttributeNames: attributes
          ? Object.fromEntries(attributes.map((attribute, index) => [`#a${index}`, attribute]))
          : undefined,
        ExclusiveStartKey: startKey,
      }),
    );
    items.push(...(page.Items ?? []).map((item) => unmarshall(item)));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

/**
 * Every payment, or (with `municipalities`) only those of the municipalities a caller may see: a list never
 * carries another municipality's payments out of this function.
 */
export async function listPayments(municipalities?: readonly string[]): Promise<PaymentRecord[]> {
  const items = await queryByType('PAYMENT');
  return items
    .map(
      ({ pk: _pk, sk: _sk, gsi1pk: _g1, gsi1sk: _g2, kind: _kind, ...rest }) =>
        rest as unknown as PaymentRecord,
    )
    .filter((payment) => municipalities === undefined || municipalities.includes(payment.municipality));
}

export async function recordFailure(failure: FailureRecord): Promise<void> {
  await dynamodb.send(
    new PutItemCommand({
      TableName: tableName,
      Item: toItem({
        ...keys.failure(failure.referralId, failure.at, failure.executionName),
        kind: 'failure',
        ...failure,
      }),
    }),
  );
}
