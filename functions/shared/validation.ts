import { z } from 'zod';
import { type AgeBand, checkRateGroupAge, isRateGroupOf, rateGroupLabels } from '#domain/benefits';
import { checkCpr, containsCprShape, cprBirthDate } from '#domain/cpr';
import { checkCvr } from '#domain/cvr';
import { isIsoDate } from '#domain/dates';
import { staircaseWeekFromWeeksOnBenefit } from '#domain/reimbursement';

/** An empty query value (`?horizonYears=`) or form field means "the default", i.e. not given. */
export const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

/** Field rules shared by the JSON API and the HTML forms, with the messages the users read (Danish). */
export const isoDate = (label: string) =>
  z
    .string({ error: `${label} skal udfyldes som ÅÅÅÅ-MM-DD` })
    .trim()
    .refine(isIsoDate, { error: `${label} skal være en gyldig dato (ÅÅÅÅ-MM-DD)` });

/**
 * Every free-text field refuses a CPR-shaped number (domain/cpr.ts): a CPR number typed into a name or a
 * company would be stored in clear, shown on pages and sent on, where only the encrypted `cpr` field belongs.
 */
export const withoutCpr = (label: string) =>
  [(text: string) => !containsCprShape(text), { error: `${label} må ikke indeholde et CPR-nummer` }] as const;

/** A whole number within bounds, from JSON (number) or a form (digits). */
export const wholeNumber = (message: string, min: number, max: number) =>
  z
    .union(
      [
        z.number(),
        z
          .string()
          .trim()
          .regex(/^-?\d+$/)
          .transform(Number),
      ],
      { error: message },
    )
    .pipe(
      z
        .number({ error: message })
        .int({ error: message })
        .min(min, { error: message })
        .max(max, { error: message }),
    );

const STAIRCASE_MESSAGE = 'Uge på refusionstrappen skal være et helt tal fra 0 (ikke på trappen) og op';

/** An empty form field or a JSON null is an absent value. */
const absent = (v: unknown) => (v === '' || v === null ? undefined : v);

/** "30 år eller derover", "under 30 år": a rate group's age band as the message says it. */
function bandText(band: AgeBand): string {
  if (band.minAge !== undefined && band.maxAge !== undefined) return `${band.minAge}–${band.maxAge} år`;
  if (band.minAge !== undefined) return `${band.minAge} år eller derover`;
  return `under ${(band.maxAge ?? 0) + 1} år`;
}

/**
 * The referral's fields. The staircase week (`staircaseWeek`) replaced "weeks on benefit in the last 52 weeks"
 * (`weeksOnBenefit`, 0–52); a client that still sends the old field is answered as if it had sent
 * staircaseWeek = weeksOnBenefit + 1 (domain/reimbursement.ts), so its savings are what they were. Both may be
 * sent only when they agree. The output has `staircaseWeek` alone.
 */
export const referralFields = z
  .object({
    cpr: z.string({ error: 'CPR-nummer skal udfyldes' }).transform((value, ctx) => {
      const check = checkCpr(value);
      if (check.ok) return check.normalized;
      ctx.issues.push({
        code: 'custom',
        input: '',
        message:
          check.reason === 'format'
            ? 'CPR-nummer skal have formen DDMMÅÅ-XXXX eller 10 cifre'
            : 'CPR-nummeret indeholder ikke en gyldig fødselsdato',
      });
      return z.NEVER;
    }),
    name: z
      .string({ error: 'Navn skal udfyldes' })
      .trim()
      .min(1, { error: 'Navn skal udfyldes' })
      .max(200, { error: 'Navn må højst være 200 tegn' })
      .refine(...withoutCpr('Navn')),
    /**
     * The caller's municipality comes from the identity provider; a request may only repeat it. The handler
     * refuses any other (403) before these rules run, so here it is only a kommunekode, or absent.
     */
    municipality: z.preprocess(
      (v) => (v === '' || v === null ? undefined : v),
      z.string({ error: 'Kommune skal angives som kommunekode' }).trim().optional(),
    ),
    benefit: z.enum(['kontanthjaelp', 'integrationsydelse'], {
      error: 'Ydelse skal være kontanthjælp eller integrationsydelse',
    }),
    /** The benefit's rate group: what a week off benefit saves depends on it (domain/benefits.ts). */
    rateGroup: z
      .string({ error: 'Satsgruppe skal vælges' })
      .trim()
      .min(1, { error: 'Satsgruppe skal vælges' }),
    readiness: z.enum(['jobparat', 'aktivitetsparat'], {
      error: 'Visitationskategori skal være jobparat eller aktivitetsparat',
    }),
    staircaseWeek: z.preprocess(absent, wholeNumber(STAIRCASE_MESSAGE, 0, 100_000).optional()),
    weeksOnBenefit: z.preprocess(
      absent,
      wholeNumber('Uger på ydelse skal være et helt tal fra 0 til 52', 0, 52).optional(),
    ),
    startDate: isoDate('Startdato'),
  })
  .superRefine((value, ctx) => {
    if (value.rateGroup && !isRateGroupOf(value.benefit, value.rateGroup)) {
      ctx.addIssue({
        code: 'custom',
        path: ['rateGroup'],
        message: `Satsgruppen findes ikke for ${value.benefit === 'kontanthjaelp' ? 'kontanthjælp' : 'integrationsydelse'}`,
      });
    } else if (isRateGroupOf(value.benefit, value.rateGroup)) {
      const birthDate = cprBirthDate(value.cpr);
      const check =
        birthDate && checkRateGroupAge(value.benefit, value.rateGroup, birthDate, value.startDate);
      if (check && !check.ok) {
        const label = rateGroupLabels[value.benefit][value.rateGroup] ?? value.rateGroup;
        ctx.addIssue({
          code: 'custom',
          path: ['rateGroup'],
          message: `Satsgruppen passer ikke til borgerens alder: ifølge CPR-nummeret er borgeren ${check.age} år på startdatoen, og satsgruppen "${label}" er for borgere på ${bandText(check.band)}`,
        });
      }
    }
    const { staircaseWeek, weeksOnBenefit } = value;
    if (staircaseWeek === undefined && weeksOnBenefit === undefined) {
      ctx.addIssue({ code: 'custom', path: ['staircaseWeek'], message: STAIRCASE_MESSAGE });
    } else if (
      staircaseWeek !== undefined &&
      weeksOnBenefit !== undefined &&
      staircaseWeek !== staircaseWeekFromWeeksOnBenefit(weeksOnBenefit)
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['staircaseWeek'],
        message:
          'Angiv uge på refusionstrappen (staircaseWeek) og ikke også uger på ydelse (weeksOnBenefit), eller lad dem stemme overens (uge = uger + 1)',
      });
    }
  })
  .transform(({ staircaseWeek, weeksOnBenefit, ...rest }) => ({
    ...rest,
    staircaseWeek: staircaseWeek ?? staircaseWeekFromWeeksOnBenefit(weeksOnBenefit ?? 0),
  }));

export type ReferralFields = z.output<typeof referralFields>;

/**
 * A CVR number as people write it (`1234 5678`, `DK12345678`), as its eight digits, checked by modulus 11
 * (domain/cvr.ts). Kept here rather than taken from partnership-validation.ts, which imports this module.
 */
export const cvrNumber = (label: string) =>
  z.string({ error: `${label} skal udfyldes (8 cifre)` }).transform((value, ctx) => {
    const checked = checkCvr(value);
    if (checked.ok) return checked.normalized;
    ctx.addIssue({
      code: 'custom',
      message:
        checked.reason === 'format'
          ? `${label} skal være 8 cifre og må ikke begynde med 0`
          : `${label} er ikke gyldigt (kontrolcifferet passer ikke, modulus 11)`,
    });
    return z.NEVER;
  });

const optionalText = (label: string, max: number, message: string) =>
  z.preprocess(
    (v) => (v === '' || v === null ? undefined : v),
    z
      .string({ error: message })
      .trim()
      .min(1)
      .max(max, { error: message })
      .refine(...withoutCpr(label))
      .optional(),
  );

export const outcomeFields = z
  .object({
    type: z.enum(['job-start', 'education-start', 'dropout'], {
      error: 'Resultat skal være job-start, education-start eller dropout',
    }),
    date: isoDate('Dato'),
    hoursPerWeek: z.preprocess(
      (v) => (v === '' || v === null ? undefined : v),
      wholeNumber('Timer om ugen skal være et helt tal fra 1 til 80', 1, 80).optional(),
    ),
    employer: optionalText('Arbejdsgiver', 200, 'Arbejdsgiver skal være tekst på højst 200 tegn'),
    /**
     * The employer's CVR number, when it has one: a company of the partnership gives its name, and whether the
     * hire is by an accelerator company is derived from its record (domain/placement.ts `decideEmployer`). The
     * old `hiredByAcceleratorCompany` checkbox is no longer read: sent by an old client, it is ignored (the
     * object drops unknown fields), so that what is paid never rests on a tick.
     */
    employerCvr: optional(cvrNumber('Arbejdsgiverens CVR-nummer')),
  })
  .superRefine((value, ctx) => {
    if (value.type !== 'job-start') return;
    if (value.hoursPerWeek === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['hoursPerWeek'],
        message: 'Timer om ugen skal udfyldes ved jobstart',
      });
    }
    // With a CVR number the name may come from the company's record; whether it does is decided on recording.
    if (value.employer === undefined && value.employerCvr === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['employer'],
        message: 'Arbejdsgiver eller arbejdsgiverens CVR-nummer skal udfyldes ved jobstart',
      });
    }
  });

export type OutcomeFields = z.output<typeof outcomeFields>;

export const placementFields = z
  .object({
    type: z.enum(['own-company', 'accelerator-company'], {
      error: 'Placering skal være own-company (egen virksomhed) eller accelerator-company',
    }),
    /** A company record of the pathway's partnership (domain/placement.ts `decidePlacement`), not free text. */
    companyCvr: z.preprocess(absent, cvrNumber('Virksomhedens CVR-nummer')),
    supportPerson: optionalText('Støtteperson', 200, 'Støtteperson skal være tekst på højst 200 tegn'),
  })
  .superRefine((value, ctx) => {
    if (value.type === 'accelerator-company' && value.supportPerson === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['supportPerson'],
        message: 'Socialfaglig støtteperson skal udfyldes ved placering i en acceleratorvirksomhed',
      });
    }
  });

export const confirmationFields = z
  .object({
    // An id, not free text: a UUID may well hold a CPR-shaped run of digits (`36798712-3456-…`).
    outcomeId: z.preprocess(
      (v) => (v === '' || v === null ? undefined : v),
      z
        .string({ error: 'outcomeId skal være et resultat-id' })
        .trim()
        .regex(/^[0-9A-Za-z-]{1,64}$/, { error: 'outcomeId skal være et resultat-id' })
        .optional(),
    ),
    milestone: wholeNumber('Milepæl skal være 13 eller 26 (uger)', 13, 26).refine(
      (w) => w === 13 || w === 26,
      {
        error: 'Milepæl skal være 13 eller 26 (uger)',
      },
    ),
    employed: z.preprocess(
      (v) => (v === 'true' ? true : v === 'false' ? false : v),
      z.boolean({ error: 'Angiv om borgeren stadig er i job eller uddannelse (true eller false)' }),
    ),
    endedOn: z.preprocess((v) => (v === '' || v === null ? undefined : v), isoDate('Slutdato').optional()),
  })
  .superRefine((value, ctx) => {
    if (value.employed === false && value.endedOn === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['endedOn'],
        message: 'Slutdato skal udfyldes, når jobbet eller uddannelsen er ophørt',
      });
    }
  });
