import { companyResultLabels } from '#domain/company-results';
import { danishDay } from '#domain/dates';
import { formatDkk } from '#domain/money';
import { findMunicipality } from '#domain/programme';
import type { CompanyPaymentRecord } from './company-payment-store.ts';
import { paymentRuleLabels } from './labels.ts';
import type { PaymentRecord } from './pathway-store.ts';

/** SNS e-mail subjects must be printable ASCII under 100 characters; Danish letters are spelled out. */
export function asciiSubject(text: string): string {
  return text
    .replaceAll('æ', 'ae')
    .replaceAll('ø', 'oe')
    .replaceAll('å', 'aa')
    .replaceAll('Æ', 'Ae')
    .replaceAll('Ø', 'Oe')
    .replaceAll('Å', 'Aa')
    .replace(/\s/g, ' ')
    .replace(/[^\x20-\x7e]/g, '')
    .slice(0, 99);
}

/** The finance notification for one payment: ids and amounts, the citizen only by pathway reference. */
export function financeMessage(payment: PaymentRecord): { subject: string; message: string } {
  const municipality = findMunicipality(payment.municipality);
  const amount = formatDkk(payment.amountOere);
  const lines = [
    'Ny resultatbaseret betaling (Social inklusion gennem Vækstpartnerskaber)',
    '',
    `Betalings-id: ${payment.paymentId}`,
    `Kommune: ${municipality?.name ?? payment.municipality} (${payment.municipality})`,
    `Modtager: ${payment.payeeName}`,
    `Resultat: ${paymentRuleLabels[payment.rule] ?? payment.rule}`,
    `Borgerreference (forløb): ${payment.referralId}`,
    `Beløb: ${amount}`,
    `Takstkort: ${payment.rateCardVersion}`,
    `Forfaldsdato: ${danishDay(payment.dueDate)}`,
  ];
  return {
    subject: asciiSubject(`Betaling ${amount} til ${payment.payeeName}`),
    message: lines.join('\n'),
  };
}

/**
 * The finance notification for a company-side payment to the social accelerator (issue 7): the company by CVR
 * number and name (business data), its cohort and the result; no person is named. For a hire the hired citizen
 * appears only as the pathway reference, as in the citizens' notifications.
 */
export function companyFinanceMessage(payment: CompanyPaymentRecord): { subject: string; message: string } {
  const municipality = findMunicipality(payment.municipality);
  const amount = formatDkk(payment.amountOere);
  const lines = [
    'Ny resultatbaseret betaling for et virksomhedsresultat (Social inklusion gennem Vækstpartnerskaber)',
    '',
    `Betalings-id: ${payment.paymentId}`,
    `Kommune: ${municipality?.name ?? payment.municipality} (${payment.municipality})`,
    `Modtager: ${payment.payeeName}`,
    `Resultat: ${companyResultLabels[payment.rule]}`,
    `Virksomhed: ${payment.companyName} (CVR ${payment.cvr})`,
    `Hold: ${payment.cohortId}`,
    ...(payment.referralId ? [`Borgerreference (forløb): ${payment.referralId}`] : []),
    `Beløb: ${amount}`,
    ...(payment.cappedFromOere !== undefined
      ? [`Nedsat fra ${formatDkk(payment.cappedFromOere)} (loftet pr. virksomhed)`]
      : []),
    `Takstkort: ${payment.rateCardVersion}`,
    `Resultatdato: ${danishDay(payment.resultDate)}`,
    `Forfaldsdato: ${danishDay(payment.dueDate)}`,
  ];
  return {
    subject: asciiSubject(
      `Betaling ${amount} for virksomhedsresultat, CVR ${payment.cvr}, til ${payment.payeeName}`,
    ),
    message: lines.join('\n'),
  };
}
