/**
 * Execution names are derived from ids, never from personal data, so a retried start can never make a
 * second timer or a second payment run (Step Functions answers ExecutionAlreadyExists).
 */
export const executionNames = {
  phaseTimer: (referralId: string, phaseSeq: number) => `${referralId}-${phaseSeq}`,
  payment: (outcomeId: string) => `payment-${outcomeId}`,
};

export function executionArn(stateMachineArn: string, name: string): string {
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
}
