/** Money is integer øre everywhere; this is the only place that turns it into text. */
export type Oere = number;

export function assertOere(amount: number): Oere {
  if (!Number.isSafeInteger(amount)) throw new RangeError(`Money must be whole øre, got ${amount}`);
  return amount;
}

const dkk = new Intl.NumberFormat('da-DK', { style: 'currency', currency: 'DKK', minimumFractionDigits: 2 });

/** 2_500_000 → "25.000,00 kr." (da-DK). */
export function formatDkk(amount: Oere): string {
  assertOere(amount);
  return dkk.format(amount / 100);
}
