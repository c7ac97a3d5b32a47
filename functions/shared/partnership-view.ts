import { cohorts } from '#domain/accelerator';
import type { IsoDate } from '#domain/dates';
import {
  type CompanyRecord,
  type EmploymentActorRecord,
  FUND_NAME,
  nextReview,
  type PartnerPlanVersion,
  planChanges,
} from '#domain/parties';
import type { Municipality } from '#domain/programme';
import type { PartnershipRecords } from './partnership-store.ts';

/** A company's place in a cohort, as the partnership page lists it. */
export interface CompanyStageView {
  cohortId: string;
  stage: string;
}

export interface PartnershipView {
  municipality: { code: string; name: string; cluster: number; places: number };
  facilitator: string;
  /** Null while the municipality has not named its employment actor: shown as such, never invented. */
  employmentActor: EmploymentActorRecord | null;
  companies: (CompanyRecord & { journeys: CompanyStageView[] })[];
  /** The cohort of the municipality's cluster (domain/accelerator.ts). */
  cohort: { id: string; year: number; bootCampStart: IsoDate; selectionBy: IsoDate } | null;
  partnerPlan: {
    current: PartnerPlanVersion | null;
    nextReview: IsoDate | null;
    /** Newest first: who changed what, and when. */
    history: { version: number; changedAt: string; changedBy: string; note: string; changes: string[] }[];
  };
}

/** The partnership of `municipality` from its records, on `today` (for the plan's next review). */
export function partnershipView(
  municipality: Municipality,
  records: PartnershipRecords,
  journeys: ReadonlyMap<string, CompanyStageView[]>,
  today: IsoDate,
): PartnershipView {
  const versions = records.planVersions;
  const current = versions.at(-1) ?? null;
  const cohort = cohorts.find((c) => c.cluster === municipality.cluster);
  return {
    municipality: {
      code: municipality.code,
      name: municipality.name,
      cluster: municipality.cluster,
      places: municipality.places,
    },
    facilitator: FUND_NAME,
    employmentActor: records.actor ?? null,
    companies: records.companies.map((company) => ({
      ...company,
      journeys: journeys.get(company.cvr) ?? [],
    })),
    cohort: cohort
      ? {
          id: cohort.id,
          year: cohort.year,
          bootCampStart: cohort.bootCamp.start,
          selectionBy: cohort.selectionBy,
        }
      : null,
    partnerPlan: {
      current,
      nextReview: current ? (nextReview(current, today) ?? null) : null,
      history: versions
        .map((plan, i) => ({
          version: plan.version,
          changedAt: plan.changedAt,
          changedBy: plan.changedBy,
          note: plan.note,
          changes: planChanges(versions[i - 1], plan),
        }))
        .reverse(),
    },
  };
}
