import { DynamoDBClient, GetItemCommand, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import { EncryptCommand, GenerateMacCommand, KMSClient } from '@aws-sdk/client-kms';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Caller } from '#domain/access';
import { containsCprShape } from '#domain/cpr';
import { HttpError, validate } from '#shared/http';
import { confirmationFields, outcomeFields, placementFields, referralFields } from '#shared/validation';
import { handler as createReferral } from '../../functions/api/create-referral.ts';
import { handler as recordOutcome } from '../../functions/api/record-outcome.ts';
import { handler as recordPlacement } from '../../functions/api/record-placement.ts';
import { apiEvent, callers, lambdaContext, referralId, validReferralBody } from './support.ts';
import { referralRecord, stateItem } from './support-records.ts';

describe('containsCprShape', () => {
  it.each([
    ['010185-1234', 'with a hyphen'],
    ['0101851234', 'ten digits'],
    ['Anna Hansen 010185-1234', 'after a name'],
    ['010185-1234 Anna Hansen', 'before a name'],
    ['Anna (0101851234)', 'in brackets'],
    ['cpr:0101851234', 'after a colon'],
    ['cpr0101851234', 'right after letters'],
    ['Jens_0101851234', 'after an underscore'],
    ['320185-1234', 'with an impossible date: a mistyped CPR number is still one'],
    ['Grøn Café ApS\n010185-1234', 'on a second line'],
  ])('finds %j (%s)', (text) => {
    // Act
    const found = containsCprShape(text);

    // Assess
    expect(found).toBe(true);
  });

  it.each([
    ['Anna Hansen', 'a name'],
    ['Grøn Café ApS', 'a company'],
    ['CVR 12345678', 'a CVR number (8 digits)'],
    ['tlf. 12 34 56 78', 'a phone number'],
    ['01018-1234', 'five digits before the hyphen'],
    ['010185-123', 'three digits after the hyphen'],
    ['010185 1234', 'a space instead of the hyphen'],
    ['01018512345', 'eleven digits'],
    ['123456789012', 'twelve digits'],
    ['0101851-234', 'the hyphen elsewhere'],
    ['', 'nothing'],
  ])('lets %j pass (%s)', (text) => {
    // Act
    const found = containsCprShape(text);

    // Assess
    expect(found).toBe(false);
  });
});

const validReferral = validReferralBody;
const validJobStart = {
  type: 'job-start',
  date: '2026-12-01',
  hoursPerWeek: 37,
  employer: 'Grøn Café ApS',
};
// The company is a CVR number (a company record), no longer free text: the support person is the free text.
const validPlacement = { type: 'accelerator-company', companyCvr: '12345674', supportPerson: 'Mette Lund' };
const validConfirmation = { outcomeId: 'outcome-1', milestone: 13, employed: true };

/** Every free-text field of every POST body, with a body that is valid but for it and the field's message. */
const freeTextFields = [
  {
    schema: referralFields,
    body: validReferral,
    field: 'name',
    message: 'Navn må ikke indeholde et CPR-nummer',
  },
  {
    schema: outcomeFields,
    body: validJobStart,
    field: 'employer',
    message: 'Arbejdsgiver må ikke indeholde et CPR-nummer',
  },
  {
    schema: placementFields,
    body: validPlacement,
    field: 'supportPerson',
    message: 'Støtteperson må ikke indeholde et CPR-nummer',
  },
] as const;

const cprTexts = ['010185-1234', '0101851234', 'Anna Hansen 010185-1234', ' 0101851234 '];

const cases = freeTextFields.flatMap((entry) => cprTexts.map((text) => ({ ...entry, text })));

/** The field messages a validation failure carries, or [] when the body passed. */
function fieldErrors(run: () => unknown): { field: string; message: string }[] {
  try {
    run();
    return [];
  } catch (error) {
    if (error instanceof HttpError && error.statusCode === 400) return error.errors;
    throw error;
  }
}

describe('the free-text fields of the POST bodies', () => {
  it.each(freeTextFields)('accept the valid body around $field', ({ schema, body }) => {
    // Act
    const errors = fieldErrors(() => validate(schema, body));

    // Assess: the control, so the refusals below are the CPR number's and nothing else's.
    expect(errors).toEqual([]);
  });

  it.each(cases)(
    'refuse $field = $text with its own Danish message',
    ({ schema, body, field, text, message }) => {
      // Prepare
      const hostile = { ...body, [field]: text };

      // Act
      const errors = fieldErrors(() => validate(schema, hostile));

      // Assess
      expect(errors).toEqual([{ field, message }]);
    },
  );

  it('leave the cpr field itself to its own rule', () => {
    // Prepare
    const withHyphen = { ...validReferral, cpr: '010185-1234' };
    const digits = { ...validReferral, cpr: '0101851234' };

    // Act
    const parsed = [withHyphen, digits].map((body) => validate(referralFields, body).cpr);

    // Assess
    expect(parsed).toEqual(['0101851234', '0101851234']);
  });
});

const dynamo = mockClient(DynamoDBClient);
const kms = mockClient(KMSClient);

type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

/** Each POST endpoint with a free-text field, its caller and the body that is valid but for the field. */
const endpoints: {
  field: string;
  handler: Handler;
  resource: string;
  caller: Caller;
  body: Record<string, unknown>;
  message: string;
}[] = [
  {
    field: 'name',
    handler: createReferral as Handler,
    resource: '/referrals',
    caller: callers.koldingCaseworker,
    body: validReferral,
    message: 'Navn må ikke indeholde et CPR-nummer',
  },
  {
    field: 'employer',
    handler: recordOutcome as Handler,
    resource: '/referrals/{id}/outcomes',
    caller: callers.koldingCaseworker,
    body: validJobStart,
    message: 'Arbejdsgiver må ikke indeholde et CPR-nummer',
  },
  {
    field: 'supportPerson',
    handler: recordPlacement as Handler,
    resource: '/referrals/{id}/placement',
    caller: callers.koldingActor,
    body: validPlacement,
    message: 'Støtteperson må ikke indeholde et CPR-nummer',
  },
];

/** Every call that would change the table. */
const writes = () =>
  dynamo
    .calls()
    .map((call) => call.args[0]?.constructor.name)
    .filter((name) => !['GetItemCommand', 'QueryCommand', 'BatchGetItemCommand'].includes(String(name)));

describe('POST with a CPR number in a free-text field', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-11-26T10:00:00Z'));
    dynamo.reset();
    kms.reset();
    dynamo.on(GetItemCommand).resolves({ Item: stateItem(referralRecord()) });
    dynamo.on(TransactWriteItemsCommand).resolves({});
    kms.on(GenerateMacCommand).resolves({ Mac: new Uint8Array([1, 2, 3, 4]) });
    kms.on(EncryptCommand).resolves({ CiphertextBlob: new Uint8Array([9, 9, 9]) });
  });

  afterEach(() => vi.useRealTimers());

  it.each(endpoints)(
    'answers 400 on $field with its message, echoes nothing and writes nothing',
    async (endpoint) => {
      // Prepare
      const path = endpoint.resource.replace('{id}', referralId);
      const event = apiEvent({
        method: 'POST',
        path,
        resource: endpoint.resource,
        pathParameters: path === endpoint.resource ? undefined : { id: referralId },
        body: JSON.stringify({ ...endpoint.body, [endpoint.field]: 'Anna 010185-4321' }),
        headers: { 'Content-Type': 'application/json' },
        caller: endpoint.caller,
      });

      // Act
      const response = await endpoint.handler(event, lambdaContext);

      // Assess
      expect(response.statusCode).toBe(400);
      expect(JSON.parse(response.body).errors).toContainEqual({
        field: endpoint.field,
        message: endpoint.message,
      });
      expect(response.body).not.toContain('4321');
      expect(writes()).toEqual([]);
    },
  );
});

describe('ids are not free text', () => {
  it('accepts an outcome id whose digits happen to look like a CPR number (a UUID may)', () => {
    // Prepare: eight digits, a hyphen, four digits: `98712345-6789` holds 712345-6789.
    const outcomeId = '98712345-6789-4abc-8def-0123456789ab';

    // Act
    const fields = validate(confirmationFields, { ...validConfirmation, outcomeId });

    // Assess
    expect(containsCprShape(outcomeId)).toBe(true);
    expect(fields.outcomeId).toBe(outcomeId);
  });

  it('still refuses an outcome id that is not an id', () => {
    expect(() => validate(confirmationFields, { ...validConfirmation, outcomeId: 'Anna <b>' })).toThrow(
      HttpError,
    );
  });
});
