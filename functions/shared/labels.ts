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

/** An education's milestones have a job's statuses (`job-ended`: it was dropped), said of enrolment. */
const educationMilestoneStatusLabels: Record<string, string> = {
  confirmed: 'Bekræftet i uddannelse',
  'job-ended': 'Uddannelse afbrudt',
};

/** What a milestone follows, by the followed outcome's type. */
export const milestoneFollowsLabels: Record<string, string> = {
  'job-start': 'Job',
  'education-start': 'Uddannelse',
};

export function milestoneStatusLabel(status: string, follows: string): string {
  const own = follows === 'education-start' ? educationMilestoneStatusLabels[status] : undefined;
  return own ?? milestoneStatusLabels[status] ?? status;
}

/** The confirmation form's question and answers at a milestone, fitted to what it follows. */
export const milestoneQuestions: Record<
  'job-start' | 'education-start',
  { question: string; yes: string; no: string; ended: string }
> = {
  'job-start': {
    question: 'Er borgeren stadig i job?',
    yes: 'Ja, stadig i job',
    no: 'Nej, jobbet er ophørt',
    ended: 'hvis jobbet er ophørt',
  },
  'education-start': {
    question: 'Er borgeren stadig i uddannelse?',
    yes: 'Ja, stadig i uddannelse',
    no: 'Nej, uddannelsen er afbrudt',
    ended: 'hvis uddannelsen er afbrudt',
  },
};
