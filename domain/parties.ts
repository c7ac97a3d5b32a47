import type { IsoDate } from './dates.ts';

/**
 * The partnership's parties as data (issue 7): each municipality's employment actor, the companies with their CVR
 * number, and the partner plan. The seed names no actor and no company: an actor not yet registered is shown as
 * not yet named, never invented.
 */

/** The facilitator of every partnership (the seed's author, the fund behind the accelerator). */
export const FUND_NAME = 'Den Sociale Kapitalfond';

/**
 * A social-economy company registered with Erhvervsstyrelsen (RSV, *registreret socialøkonomisk virksomhed*), one
 * that works as one without the registration (the seed: "registered or not"), or an ordinary company.
 */
export const socialEconomyStatuses = ['registered', 'unregistered', 'none'] as const;
export type SocialEconomyStatus = (typeof socialEconomyStatuses)[number];

export const socialEconomyLabels: Record<SocialEconomyStatus, string> = {
  registered: 'Registreret socialøkonomisk virksomhed (RSV)',
  unregistered: 'Socialøkonomisk, ikke registreret',
  none: 'Ikke socialøkonomisk',
};

/** The EU's SME classes by head count (Commission Recommendation 2003/361/EC): <10, <50, <250, 250 or more. */
export const companySizes = ['micro', 'small', 'medium', 'large'] as const;
export type CompanySize = (typeof companySizes)[number];

export const companySizeLabels: Record<CompanySize, string> = {
  micro: 'Mikro (under 10 ansatte)',
  small: 'Lille (10–49 ansatte)',
  medium: 'Mellemstor (50–249 ansatte)',
  large: 'Stor (250 ansatte eller flere)',
};

export interface Contact {
  name: string;
  email?: string;
  phone?: string;
}

export interface CompanyRecord {
  cvr: string;
  name: string;
  /** The municipality whose partnership the company belongs to (one partnership per company). */
  municipality: string;
  contact: Contact;
  socialEconomy: SocialEconomyStatus;
  size: CompanySize;
  /** The employment actor's own social-economy company, where citizens may do their company induction. */
  ownedByEmploymentActor: boolean;
  registeredAt: string;
  registeredBy: string;
}

/**
 * The municipality's one employment actor: the single point of contact, in its three roles (the seed): the
 * recruitment channel for citizens, the induction actor, and the companies' one contact.
 */
export interface EmploymentActorRecord {
  municipality: string;
  name: string;
  cvr: string;
  /** The single point of contact. */
  contact: Contact;
  /** Increases with every change: a change based on an older version is refused (409). */
  version: number;
  changedAt: string;
  changedBy: string;
}

/** One partner's needs and wishes, as the fund mapped them. */
export interface PartnerNeed {
  partner: string;
  needs: string;
}

/** A role the partners agreed on: who does what. */
export interface AgreedRole {
  partner: string;
  role: string;
}

/** The partner plan: versioned, every version kept with who wrote it and when. */
export interface PartnerPlanVersion {
  municipality: string;
  version: number;
  needs: PartnerNeed[];
  roles: AgreedRole[];
  contacts: (Contact & { partner: string })[];
  reviewDates: IsoDate[];
  /** What changed, in the author's words. */
  note: string;
  changedAt: string;
  changedBy: string;
}

/**
 * A value as JSON with its object keys sorted and undefined members left out: two records compare equal when
 * they say the same, whatever order their keys came back from storage in.
 */
export function canonical(value: unknown): string {
  const sorted = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sorted);
    if (v !== null && typeof v === 'object') {
      return Object.fromEntries(
        Object.entries(v)
          .filter(([, member]) => member !== undefined)
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
          .map(([key, member]) => [key, sorted(member)]),
      );
    }
    return v;
  };
  return JSON.stringify(sorted(value));
}

/** The next review of a plan on `today`: the first review date on or after it, if any. */
export function nextReview(
  plan: Pick<PartnerPlanVersion, 'reviewDates'>,
  today: IsoDate,
): IsoDate | undefined {
  return [...plan.reviewDates].sort().find((date) => date >= today);
}

/**
 * What a new version of the plan changes against the version before it, by section (Danish, for the history).
 * Empty when nothing but the note differs.
 */
export function planChanges(
  before:
    | Omit<PartnerPlanVersion, 'version' | 'changedAt' | 'changedBy' | 'note' | 'municipality'>
    | undefined,
  after: Omit<PartnerPlanVersion, 'version' | 'changedAt' | 'changedBy' | 'note' | 'municipality'>,
): string[] {
  if (!before) return ['Første version'];
  const sections = [
    ['needs', 'Behov og ønsker'],
    ['roles', 'Aftalte roller'],
    ['contacts', 'Kontaktpersoner'],
    ['reviewDates', 'Opfølgningsdatoer'],
  ] as const;
  return sections
    .filter(([key]) => canonical(before[key]) !== canonical(after[key]))
    .map(([, label]) => label);
}
