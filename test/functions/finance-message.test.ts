import { describe, expect, it } from 'vitest';
import type { CompanyPaymentRecord } from '#shared/company-payment-store';
import { companyFinanceMessage } from '#shared/finance-message';
import { companyPaymentRecord } from './support-company-payments.ts';

/** The finance notification for the social accelerator's company-side payments (issue 7, item 5). */

const socialModel = companyPaymentRecord();

const hire: CompanyPaymentRecord = {
  ...socialModel,
  paymentId: 'cluster-1-2019:29000018:accelerator-hire-sustained:o-9:social-accelerator',
  paymentKey: 'cluster-1-2019:29000018:accelerator-hire-sustained:o-9',
  resultId: 'o-9',
  rule: 'accelerator-hire-sustained',
  referralId: 'r-9',
  amountOere: 40_000,
  cappedFromOere: 80_000,
};

describe('companyFinanceMessage', () => {
  it('says in Danish what was paid to whom for which company, cohort and result', () => {
    // Act
    const { subject, message } = companyFinanceMessage(socialModel);

    // Assess
    expect(message.split('\n')).toEqual([
      'Ny resultatbaseret betaling for et virksomhedsresultat (Social inklusion gennem Vækstpartnerskaber)',
      '',
      'Betalings-id: cluster-1-2019:29000018:social-model-implemented:social-accelerator',
      'Kommune: Kolding (621)',
      'Modtager: Den Sociale Kapitalfond Management ApS (socialt acceleratorforløb)',
      'Resultat: Social model implementeret (verificeret efter 12 måneder)',
      'Virksomhed: Genbrugsværkstedet ApS (CVR 29000018)',
      'Hold: cluster-1-2019',
      'Beløb: 11.600,00\u00a0kr.',
      'Takstkort: company-2019-1',
      'Resultatdato: 15-11-2027',
      'Forfaldsdato: 20-12-2027',
    ]);
    expect(subject).toMatch(
      /^Betaling 11\.600,00 kr\. for virksomhedsresultat, CVR 29000018, til Den Sociale/,
    );
  });

  it('names a hired citizen by pathway reference only, and says when the cap cut the amount', () => {
    // Act
    const { message } = companyFinanceMessage(hire);

    // Assess
    expect(message).toContain('Resultat: Udsat borger ansat i acceleratorvirksomhed og fastholdt i 26 uger');
    expect(message).toContain('Borgerreference (forløb): r-9');
    expect(message).toContain('Beløb: 400,00\u00a0kr.');
    expect(message).toContain('Nedsat fra 800,00\u00a0kr. (loftet pr. virksomhed)');
    expect(message).not.toMatch(/\d{6}-?\d{4}/);
  });

  it.each([socialModel, hire])('keeps the subject printable ASCII under 100 characters', (payment) => {
    // Act
    const { subject } = companyFinanceMessage(payment);

    // Assess
    expect(subject.length).toBeLessThan(100);
    expect(subject).toMatch(/^[\x20-\x7e]+$/);
    expect(subject).toContain('CVR 29000018');
  });
});
