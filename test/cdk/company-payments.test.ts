import aslValidator from 'asl-validator';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  definitionOf,
  entries,
  entryOfFunction,
  functionId,
  functionIdOfArn,
  logicalIdOf,
  roleOf,
  type StateMachineDefinition,
  type Synthesized,
  statementsOfRole,
  synthesize,
} from './support.ts';

/** The accelerator's side of the payment (lib/company-payments.ts) in the synthesized stack. */
describe('CompanyPayments', () => {
  let synthesized: Synthesized;
  let payment: StateMachineDefinition;
  let paymentId: string;

  beforeAll(() => {
    // Prepare
    synthesized = synthesize();
    paymentId = logicalIdOf(synthesized.stack.companyPayments.payment);
    payment = definitionOf(synthesized.json, paymentId);
  });

  it('calculates, notifies finance only when a payment is due, and fails visibly on an error', () => {
    // Act
    const calculate = payment.States['Calculate the company payment'];
    const due = payment.States['Is a payment due?'];
    const notify = payment.States['Notify finance'];
    const entryOf = (state: Record<string, unknown> | undefined) =>
      entryOfFunction(synthesized.json, functionIdOfArn(state?.Resource) ?? '');

    // Assess
    expect(payment.StartAt).toBe('Calculate the company payment');
    expect(entryOf(calculate)).toBe(entries.calculateCompanyPayment);
    expect(calculate).toMatchObject({
      ResultPath: '$.calculation',
      Next: 'Is a payment due?',
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Company payment failed' }],
    });
    expect(JSON.stringify(calculate?.Retry)).toContain('RetriesExhausted');
    expect(JSON.stringify(due)).toContain('$.calculation.due');
    expect(due).toMatchObject({ Type: 'Choice', Default: 'No payment for this result' });
    expect(entryOf(notify)).toBe(entries.notifyCompanyPayment);
    expect(payment.States['Company payment failed']).toMatchObject({ Type: 'Fail' });
    const { isValid, errors } = aslValidator(payment);
    expect(errors).toEqual([]);
    expect(isValid).toBe(true);
  });

  it('lets only the notify task publish to the finance topic among the company functions', () => {
    // Prepare
    const topic = logicalIdOf(synthesized.stack.finance.topic);
    const publishers = [
      entries.calculateCompanyPayment,
      entries.notifyCompanyPayment,
      entries.verifySocialModel,
    ].filter((entry) =>
      statementsOfRole(synthesized.json, roleOf(synthesized.json, functionId(synthesized.json, entry))).some(
        (s) => s.actions.includes('sns:Publish') && JSON.stringify(s.resources).includes(topic),
      ),
    );

    // Assess
    expect(publishers).toEqual([entries.notifyCompanyPayment]);
  });
});
