/** The Danish words users read for the system's codes, in one place for pages and notifications. */
export const phaseLabels: Record<string, string> = {
  referred: 'Visiteret – venter på start',
  training: 'Arbejdsmarkedstræning',
  induction: 'Virksomhedsindslusning',
  tracking: 'Opfølgning i job eller uddannelse',
  closed: 'Afsluttet',
};

export const outcomeLabels: Record<string, string> = {
  'job-start': 'Jobstart (ordinær ustøttet beskæftigelse)',
  'education-start': 'Uddannelsesstart',
  dropout: 'Frafald',
};

/** What a payment was for, by its rate-card rule (a job below the hours threshold is a partial result). */
export const paymentRuleLabels: Record<string, string> = {
  'job-start': 'Jobstart (ordinær ustøttet beskæftigelse)',
  'job-start-partial': 'Jobstart under timegrænsen (delvist resultat)',
  'sustained-13-weeks': 'Fastholdt i job 13 uger',
  'sustained-13-weeks-partial': 'Fastholdt i job 13 uger, under timegrænsen (delvist resultat)',
  'sustained-26-weeks': 'Fastholdt i job 26 uger',
  'sustained-26-weeks-partial': 'Fastholdt i job 26 uger, under timegrænsen (delvist resultat)',
  'education-start': 'Uddannelsesstart',
};

export const milestoneStatusLabels: Record<string, string> = {
  'awaiting-confirmation': 'Afventer bekræftelse',
  confirmed: 'Bekræftet i job',
  'job-ended': 'Jobbet er ophørt',
  unconfirmed: 'Ikke bekræftet inden fristen – følg op',
};
