import { type CompanyDecisions, type CompanyStage, findCohort, stageOn } from './accelerator.ts';
import { type KpiPoint, kpiPoints, kpiWindow } from './company-kpis.ts';
import { addDays, type IsoDate } from './dates.ts';
import { type SocialModelChecklist, socialModelImplemented } from './social-model.ts';

/**
 * What the fund's accelerator staff (and a company's contact, for its KPIs) have to do today (issue 7): the
 * companies' side of the worklist, from the journeys as stored. Each task is due on a day and shown from the day it
 * can be done; it is gone once its record is stored (the selection, the attendance, the KPI report, the
 * verification).
 */
export type CompanyTaskKind = 'select' | 'record-attendance' | 'report-kpis' | 'verify-social-model';

export interface CompanyTask {
  kind: CompanyTaskKind;
  cvr: string;
  cohortId: string;
  /** The last day to do it (the selection's deadline, the camp's day, the KPI window's last day, …). */
  due: IsoDate;
  campDate?: IsoDate;
  point?: KpiPoint;
}

export interface CompanyFacts {
  cvr: string;
  cohortId: string;
  stage: CompanyStage;
  decisions: CompanyDecisions;
  attendance: Readonly<Record<IsoDate, boolean>>;
  checklist: SocialModelChecklist | undefined;
  verified: boolean;
  reportedKpis: readonly KpiPoint[];
}

/** Stages in which nothing more is asked of the company. */
const ended: ReadonlySet<CompanyStage> = new Set(['not-selected', 'withdrawn', 'completed']);

export function companyTasksOn(today: IsoDate, companies: readonly CompanyFacts[]): CompanyTask[] {
  const tasks: CompanyTask[] = [];
  for (const company of companies) {
    const cohort = findCohort(company.cohortId);
    if (!cohort) continue;
    const stage = stageOn(cohort, company.decisions, today);
    if (ended.has(stage)) continue;
    const base = { cvr: company.cvr, cohortId: company.cohortId };
    if (
      company.decisions.selected === undefined &&
      today >= cohort.bootCamp.start &&
      today < cohort.accelerator.start
    ) {
      tasks.push({ ...base, kind: 'select', due: cohort.selectionBy });
    }
    if (stage === 'accelerator') {
      for (const camp of cohort.camps) {
        if (camp.date <= today && company.attendance[camp.date] === undefined) {
          tasks.push({ ...base, kind: 'record-attendance', due: camp.date, campDate: camp.date });
        }
      }
    }
    if (company.decisions.selected === true) {
      for (const point of kpiPoints) {
        const window = kpiWindow(cohort, point);
        if (today >= window.start && today < window.end && !company.reportedKpis.includes(point)) {
          tasks.push({ ...base, kind: 'report-kpis', due: addDays(window.end, -1), point });
        }
      }
    }
    if (
      stage === 'follow-up' &&
      !company.verified &&
      company.checklist !== undefined &&
      socialModelImplemented(company.checklist)
    ) {
      tasks.push({ ...base, kind: 'verify-social-model', due: addDays(cohort.followUp.end, -1) });
    }
  }
  return tasks.sort((a, b) => a.due.localeCompare(b.due) || a.cvr.localeCompare(b.cvr));
}
