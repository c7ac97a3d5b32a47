import { z } from 'zod';
import { companySizes, socialEconomyStatuses } from '#domain/parties';
import { cvrNumber, isoDate, optional, wholeNumber, withoutCpr } from './validation.ts';

/**
 * The partnership's fields (issue 7), shared by the JSON API and the Danish forms: one message per field, in
 * Danish. Every free text refuses a CPR-shaped number, as the pathway's fields do.
 */

const text = (label: string, max: number) =>
  z
    .string({ error: `${label} skal udfyldes` })
    .trim()
    .min(1, { error: `${label} skal udfyldes` })
    .max(max, { error: `${label} må højst være ${max} tegn` })
    .refine(...withoutCpr(label));

const optionalText = (label: string, max: number) => optional(text(label, max));

/** A CVR number as people write it (`1234 5678`, `DK12345678`), stored as its eight digits. */
export const cvrField = (label = 'CVR-nummer') => cvrNumber(label);

const email = (label: string) =>
  optional(
    z
      .string({ error: `${label} skal være en e-mailadresse` })
      .trim()
      .max(200, { error: `${label} må højst være 200 tegn` })
      .regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, { error: `${label} skal være en e-mailadresse` }),
  );

const phone = (label: string) =>
  optional(
    z
      .string({ error: `${label} skal være et telefonnummer` })
      .trim()
      .regex(/^\+?[\d ]{8,16}$/, { error: `${label} skal være et telefonnummer (8 cifre, evt. med +45)` }),
  );

/** A checkbox (`on`) or a JSON boolean; absent is false. */
const flag = (label: string) =>
  z.preprocess(
    (v) =>
      v === undefined || v === '' ? false : v === 'on' || v === 'true' ? true : v === 'false' ? false : v,
    z.boolean({ error: `${label} skal være sand eller falsk` }),
  );

export const companyFields = z.object({
  cvr: cvrField(),
  name: text('Virksomhedens navn', 200),
  contactName: text('Kontaktperson', 200),
  contactEmail: email('Kontaktpersonens e-mail'),
  contactPhone: phone('Kontaktpersonens telefon'),
  socialEconomy: z.enum(socialEconomyStatuses, {
    error: 'Angiv om virksomheden er socialøkonomisk: registered, unregistered eller none',
  }),
  size: z.enum(companySizes, { error: 'Størrelse skal være micro, small, medium eller large' }),
  ownedByEmploymentActor: flag('Beskæftigelsesaktørens egen virksomhed'),
});
export type CompanyFields = z.output<typeof companyFields>;

/** The version the user's edit is based on: 0 when there was none. */
const basedOnVersion = wholeNumber(
  'basedOnVersion skal være versionen, ændringen bygger på (0 for den første)',
  0,
  1e6,
);

export const employmentActorFields = z.object({
  name: text('Beskæftigelsesaktørens navn', 200),
  cvr: cvrField('Beskæftigelsesaktørens CVR-nummer'),
  contactName: text('Kontaktperson', 200),
  contactEmail: email('Kontaktpersonens e-mail'),
  contactPhone: phone('Kontaktpersonens telefon'),
  basedOnVersion,
});
export type EmploymentActorFields = z.output<typeof employmentActorFields>;

/** The four parties the plan's form asks about (a JSON client may name others). */
export const planPartners = {
  municipality: 'Kommunen (jobcentret)',
  'employment-actor': 'Beskæftigelsesaktøren',
  companies: 'Virksomhederne',
  fund: 'Fonden',
} as const;
type PlanPartner = keyof typeof planPartners;

const partner = text('Partner', 100);

const planShape = z.object({
  basedOnVersion,
  needs: z
    .array(z.object({ partner, needs: text('Behov og ønsker', 4000) }), {
      error: 'Behov skal være en liste af { partner, needs }',
    })
    .max(20, { error: 'Højst 20 partneres behov' }),
  roles: z
    .array(z.object({ partner, role: text('Rolle', 4000) }), {
      error: 'Roller skal være en liste af { partner, role }',
    })
    .max(20, { error: 'Højst 20 roller' }),
  contacts: z
    .array(
      z.object({
        partner,
        name: text('Kontaktperson', 200),
        email: email('E-mail'),
        phone: phone('Telefon'),
      }),
      { error: 'Kontakter skal være en liste af { partner, name, email, phone }' },
    )
    .max(40, { error: 'Højst 40 kontakter' }),
  reviewDates: z
    .array(isoDate('Opfølgningsdato'), { error: 'Opfølgningsdatoer skal være en liste af datoer' })
    .max(24, { error: 'Højst 24 opfølgningsdatoer' }),
  note: optionalText('Bemærkning', 1000),
});

/**
 * The form sends one field per partner and section (`needs.fund`, `contactName.municipality`, …) and the review
 * dates as one text; JSON sends the lists. Both are validated by the same schema.
 */
function fromForm(data: unknown): unknown {
  if (typeof data !== 'object' || data === null || Array.isArray((data as { needs?: unknown }).needs))
    return data;
  const form = data as Record<string, unknown>;
  const value = (name: string) => {
    const v = form[name];
    return typeof v === 'string' && v.trim() !== '' ? v : undefined;
  };
  const partners = Object.entries(planPartners) as [PlanPartner, string][];
  return {
    basedOnVersion: form.basedOnVersion,
    needs: partners.flatMap(([key, label]) => {
      const needs = value(`needs.${key}`);
      return needs ? [{ partner: label, needs }] : [];
    }),
    roles: partners.flatMap(([key, label]) => {
      const role = value(`role.${key}`);
      return role ? [{ partner: label, role }] : [];
    }),
    contacts: partners.flatMap(([key, label]) => {
      const name = value(`contactName.${key}`);
      return name
        ? [{ partner: label, name, email: value(`contactEmail.${key}`), phone: value(`contactPhone.${key}`) }]
        : [];
    }),
    reviewDates: String(form.reviewDates ?? '')
      .split(/[\s,;]+/)
      .filter((d) => d !== ''),
    note: form.note,
  };
}

export const partnerPlanFields = z.preprocess(fromForm, planShape);
export type PartnerPlanFields = z.output<typeof partnerPlanFields>;
