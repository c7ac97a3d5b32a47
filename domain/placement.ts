import { type CompanyStage, findCohort, stageOn } from './accelerator.ts';
import type { IsoDate } from './dates.ts';
import type { CompanyRecord } from './parties.ts';
import type { InductionPlacement, InductionPlacementType } from './pathway.ts';

/**
 * The citizens' pathway wired to the companies' side (issue 7, item 4): an induction placement names a company
 * of the pathway's partnership, and a hire by an accelerator company is known from the company's record and its
 * journey, not from what the person recording the job ticks.
 */

/** What the rules need of a company's journey: its cohort, the decisions about it and its stored stage. */
export interface JourneyFacts {
  cohortId: string;
  stage: CompanyStage;
  decisions: { selected?: boolean; withdrawnOn?: IsoDate };
}

export type CompanyFacts = Pick<CompanyRecord, 'cvr' | 'name' | 'municipality' | 'ownedByEmploymentActor'>;

/**
 * The stages in which a company takes citizens in as an accelerator company: selected (the accelerator starts
 * in January), in the accelerator, and in the 6 months of follow-up that anchor its social model.
 */
export const activeAcceleratorStages: ReadonlySet<CompanyStage> = new Set([
  'selected',
  'accelerator',
  'follow-up',
]);

/**
 * A journey's stage on `date`: what the calendar and the decisions make it (domain/accelerator.ts `stageOn`),
 * so a job dated before a timer has run, or backdated, is judged on its own day. A journey of a cohort no longer
 * in the calendar keeps its stored stage.
 */
export function journeyStageOn(journey: JourneyFacts, date: IsoDate): CompanyStage {
  const cohort = findCohort(journey.cohortId);
  return cohort ? stageOn(cohort, journey.decisions, date) : journey.stage;
}

/** Whether a company is, on `date`, an active accelerator company of `municipality`'s partnership. */
export function isActiveAcceleratorCompany(
  company: CompanyFacts | undefined,
  journeys: readonly JourneyFacts[],
  municipality: string,
  date: IsoDate,
): boolean {
  if (company?.municipality !== municipality) return false;
  return journeys.some((journey) => activeAcceleratorStages.has(journeyStageOn(journey, date)));
}

/** Why a company with journeys but none active cannot take a citizen in, by the stage that says most. */
const notActiveMessages: Partial<Record<CompanyStage, string>> = {
  invited: 'Virksomheden er endnu ikke udvalgt til acceleratoren',
  'boot-camp': 'Virksomheden er endnu ikke udvalgt til acceleratoren',
  'awaiting-selection': 'Virksomheden er endnu ikke udvalgt til acceleratoren',
  'not-selected': 'Virksomheden blev ikke udvalgt til acceleratoren',
  withdrawn: 'Virksomheden er udtrådt af acceleratoren',
  completed: 'Virksomhedens forløb i acceleratoren er afsluttet',
};

export interface PlacementRequest {
  type: InductionPlacementType;
  companyCvr: string;
  supportPerson?: string;
}

export type PlacementDecision =
  | { ok: true; placement: InductionPlacement }
  | { ok: false; status: 409; field: 'companyCvr'; message: string };

const refused = (message: string): PlacementDecision => ({
  ok: false,
  status: 409,
  field: 'companyCvr',
  message,
});

/**
 * Where a citizen of `municipality`'s pathway may do the company induction on `today`: an accelerator company of
 * that partnership whose journey is selected, in the accelerator or in follow-up; or the employment actor's own
 * company, registered in the same partnership. A company of another partnership answers as an unknown one: a
 * pathway does not learn what other partnerships hold. The placement keeps the company's name as it was, so
 * the pathway reads the same whatever happens to the company's record later.
 */
export function decidePlacement(
  request: PlacementRequest,
  company: CompanyFacts | undefined,
  journeys: readonly JourneyFacts[],
  municipality: string,
  today: IsoDate,
): PlacementDecision {
  if (company?.municipality !== municipality) {
    return refused('Virksomheden med det CVR-nummer er ikke registreret i kommunens partnerskab');
  }
  if (request.type === 'own-company') {
    if (!company.ownedByEmploymentActor) {
      return refused('Virksomheden er ikke registreret som beskæftigelsesaktørens egen virksomhed');
    }
  } else if (!isActiveAcceleratorCompany(company, journeys, municipality, today)) {
    // The latest journey's stage says why (a company in cohort 2 may have left cohort 1).
    const latest = [...journeys].sort((a, b) => a.cohortId.localeCompare(b.cohortId)).at(-1);
    const stage = latest && journeyStageOn(latest, today);
    return refused((stage && notActiveMessages[stage]) ?? 'Virksomheden er ikke inviteret til acceleratoren');
  }
  return {
    ok: true,
    placement: {
      type: request.type,
      companyCvr: company.cvr,
      company: company.name,
      supportPerson: request.supportPerson,
    },
  };
}

export interface PlacementChoices {
  /** Accelerator companies of the partnership in an active stage today, by name. */
  acceleratorCompanies: CompanyFacts[];
  /** The employment actor's own companies in the partnership, by name. */
  ownCompanies: CompanyFacts[];
}

/** The companies the placement form offers: exactly those `decidePlacement` accepts today, per type. */
export function placementChoices(
  companies: readonly CompanyFacts[],
  journeys: readonly (JourneyFacts & { cvr: string })[],
  municipality: string,
  today: IsoDate,
): PlacementChoices {
  const ours = companies
    .filter((c) => c.municipality === municipality)
    .sort((a, b) => a.name.localeCompare(b.name, 'da'));
  return {
    acceleratorCompanies: ours.filter((c) =>
      isActiveAcceleratorCompany(
        c,
        journeys.filter((j) => j.cvr === c.cvr),
        municipality,
        today,
      ),
    ),
    ownCompanies: ours.filter((c) => c.ownedByEmploymentActor),
  };
}

export type EmployerDecision =
  | { ok: true; employer: string; employerCvr?: string; hiredByAcceleratorCompany: boolean }
  | { ok: false; status: 400; field: 'employer'; message: string };

/**
 * The employer of a job start: named, by CVR number, or both. A registered company's name is taken from its
 * record when none is given; an ordinary employer need not be registered, but then its name is needed. Whether
 * the hire is by an accelerator company is derived here, from the record and the journey on the job's date:
 * a company of the pathway's partnership in stage selected, accelerator or follow-up.
 */
export function decideEmployer(
  job: { employer?: string; employerCvr?: string; date: IsoDate },
  company: CompanyFacts | undefined,
  journeys: readonly JourneyFacts[],
  municipality: string,
): EmployerDecision {
  // Another partnership's company is an ordinary employer here, as it is unknown to a placement.
  const ours = company?.municipality === municipality ? company : undefined;
  const employer = job.employer ?? ours?.name;
  if (employer === undefined) {
    return {
      ok: false,
      status: 400,
      field: 'employer',
      message:
        job.employerCvr === undefined
          ? 'Arbejdsgiver eller arbejdsgiverens CVR-nummer skal udfyldes ved jobstart'
          : 'Arbejdsgiver skal udfyldes, når CVR-nummeret ikke er registreret i kommunens partnerskab',
    };
  }
  return {
    ok: true,
    employer,
    employerCvr: job.employerCvr,
    hiredByAcceleratorCompany:
      job.employerCvr !== undefined && isActiveAcceleratorCompany(ours, journeys, municipality, job.date),
  };
}
