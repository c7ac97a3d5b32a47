/**
 * Execution names are derived from ids, never from personal data, so a retried start can never make a
 * second timer or a second payment run (Step Functions answers ExecutionAlreadyExists).
 */
export const executionNames = {
  phaseTimer: (referralId: string, phaseSeq: number) => `${referralId}-${phaseSeq}`,
  /** A result: an outcome id, or `<outcomeId>-w<weeks>` for a confirmed milestone. */
  payment: (resultId: string) => `payment-${resultId}`,
  sustainment: (outcomeId: string) => `sustain-${outcomeId}`,
  /** One leg of a company's journey in a cohort (CVR numbers are company ids, not personal data). */
  companyStageTimer: (cvr: string, cohortId: string, legSeq: number) =>
    `company-${cvr}-${cohortId}-${legSeq}`,
  /** A company-side result's payment run: `social-model`, or the hire's outcome id (at most 80 characters). */
  companyPayment: (cvr: string, cohortId: string, resultId: string) => `cpay-${cvr}-${cohortId}-${resultId}`,
  /**
   * The reconciler's restart of a run that was stopped, failed or timed out: Step Functions never gives a name
   * to a second execution, so the n-th restart is `<name>-r<n>` (still from ids, still one per attempt).
   */
  restart: (name: string, attempt: number) => (attempt === 0 ? name : `${name}-r${attempt}`),
};

export function executionArn(stateMachineArn: string, name: string): string {
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
}
