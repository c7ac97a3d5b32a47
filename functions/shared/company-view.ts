import { type Camp, type CompanyStage, companyStageLabels, findCohort } from '#domain/accelerator';
import type { JourneyEvent } from '#domain/company-journey';
import { type KpiChanges, type KpiPoint, kpiChanges, kpiPoints, kpiWindow } from '#domain/company-kpis';
import type { IsoDate } from '#domain/dates';
import type { CompanyRecord } from '#domain/parties';
import {
  checklistProgress,
  emptyChecklist,
  type SocialModelChecklist,
  socialModelImplemented,
} from '#domain/social-model';
import {
  type KpiRecord,
  loadCitizensAtCompany,
  loadKpis,
  loadSocialModel,
} from './company-progress-store.ts';
import { journeysOfCompany, loadJourneyEvents } from './journey-store.ts';

/** One cohort of a company's journey, with what was built and measured in it. */
export interface CompanyJourneyView {
  cohortId: string;
  stage: CompanyStage;
  stageLabel: string;
  legEndsOn: IsoDate | null;
  invitedOn: IsoDate;
  selected: boolean | null;
  withdrawnOn: IsoDate | null;
  /** The journey's events, oldest first: the timeline. */
  timeline: JourneyEvent[];
  camps: (Camp & { present: boolean | null })[];
  socialModel: {
    checklist: SocialModelChecklist;
    version: number;
    done: number;
    total: number;
    implemented: boolean;
    verifiedOn: string | null;
  };
  kpis: {
    point: KpiPoint;
    opens: IsoDate;
    closes: IsoDate;
    reported: KpiRecord | null;
    /** Against the baseline, once both are reported. */
    changes: KpiChanges | null;
  }[];
}

/** On one day a citizen is placed before being hired. */
const linkOrder = { placement: 0, hire: 1 } as const;

export interface CompanyView {
  company: CompanyRecord;
  journeys: CompanyJourneyView[];
  citizens: {
    /** Citizens in company induction here (placements not moved elsewhere). */
    placed: number;
    hired: number;
    /** Of those hired, while the company was an accelerator company. */
    hiredAsAcceleratorCompany: number;
    /** Links to the pathways, for roles that may read them; none for the company's own contact. */
    pathways: { referralId: string; link: 'placement' | 'hire'; on: string }[];
  };
}

/** The company page's data: the company and, per cohort it was invited to, its journey, social model and KPIs. */
export async function loadCompanyView(
  company: CompanyRecord,
  options: { withPathways: boolean },
): Promise<CompanyView> {
  const [journeys, links] = await Promise.all([
    journeysOfCompany(company.cvr, company.municipality),
    loadCitizensAtCompany(company.municipality, company.cvr),
  ]);
  const views = await Promise.all(
    journeys.map(async (journey): Promise<CompanyJourneyView | undefined> => {
      const cohort = findCohort(journey.cohortId);
      if (!cohort) return undefined;
      const [timeline, model, kpis] = await Promise.all([
        loadJourneyEvents(company.cvr, journey.cohortId),
        loadSocialModel(company.municipality, company.cvr, journey.cohortId),
        loadKpis(company.municipality, company.cvr, journey.cohortId),
      ]);
      const checklist = model?.checklist ?? emptyChecklist();
      const progress = checklistProgress(checklist);
      const baseline = kpis.baseline;
      return {
        cohortId: journey.cohortId,
        stage: journey.stage,
        stageLabel: companyStageLabels[journey.stage],
        legEndsOn: journey.legEndsOn,
        invitedOn: journey.invitedOn,
        selected: journey.decisions.selected ?? null,
        withdrawnOn: journey.decisions.withdrawnOn ?? null,
        timeline,
        camps: cohort.camps.map((camp) => ({ ...camp, present: journey.attendance[camp.date] ?? null })),
        socialModel: {
          checklist,
          version: model?.version ?? 0,
          done: progress.done,
          total: progress.total,
          implemented: socialModelImplemented(checklist),
          verifiedOn: model?.verifiedOn ?? null,
        },
        kpis: kpiPoints.map((point) => {
          const window = kpiWindow(cohort, point);
          const reported = kpis[point] ?? null;
          return {
            point,
            opens: window.start,
            closes: window.end,
            reported,
            changes: baseline && reported && point !== 'baseline' ? kpiChanges(baseline, reported) : null,
          };
        }),
      };
    }),
  );
  const current = links.filter((l) => l.movedAt === undefined);
  const hires = current.filter((l) => l.link === 'hire');
  return {
    company,
    journeys: views.filter((v): v is CompanyJourneyView => v !== undefined),
    citizens: {
      placed: current.filter((l) => l.link === 'placement').length,
      hired: hires.length,
      hiredAsAcceleratorCompany: hires.filter((l) => l.hiredByAcceleratorCompany).length,
      pathways: options.withPathways
        ? current
            .map(({ referralId, link, on }) => ({ referralId, link, on }))
            .sort((a, b) => a.on.localeCompare(b.on) || linkOrder[a.link] - linkOrder[b.link])
        : [],
    },
  };
}
