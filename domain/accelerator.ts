import { addDays, addMonths, type IsoDate } from './dates.ts';
import type { Cluster } from './programme.ts';

/**
 * The companies' journey through the social accelerator (issue 7), written once: per cluster a cohort with a
 * recruitment campaign run with the municipalities, a two-day boot camp in November, selection, 12 months of
 * accelerator with joint camps, and 6 months of follow-up to anchor the social model. The seed gives the shape and
 * the years (cluster 1 in 2019, cluster 2 in 2020), not the dates; the dates below are our reading and are data:
 * the boot camp in the November before the cohort's year, so that the companies are selected before the citizens
 * of that year reach their company induction (month 7).
 */

export interface DateRange {
  start: IsoDate;
  /** Exclusive. */
  end: IsoDate;
}

export interface Camp {
  /** The first day (camps are one or two days). */
  date: IsoDate;
  days: 1 | 2;
  /** Danish title, as the calendar shows it. */
  title: string;
}

export interface Cohort {
  id: string;
  cluster: Cluster;
  /** The year the accelerator runs (the seed's "cluster 1 in 2019"). */
  year: number;
  recruitment: DateRange;
  bootCamp: DateRange;
  /** Companies are selected after the boot camp and by this day (inclusive). */
  selectionBy: IsoDate;
  accelerator: DateRange;
  followUp: DateRange;
  camps: Camp[];
}

/** Thursday and Friday of the third full week of November: the boot camp's two days. */
function bootCampOf(year: number): DateRange {
  const first = new Date(Date.UTC(year, 10, 1));
  // Days from 1 November to its first Thursday (getUTCDay: Sunday 0 … Thursday 4).
  const toThursday = (4 - first.getUTCDay() + 7) % 7;
  const start = addDays(`${year}-11-01`, toThursday + 14);
  return { start, end: addDays(start, 2) };
}

/** The cohort of a cluster whose accelerator runs in `year`, with its dates as the reading above gives them. */
export function cohortOf(cluster: Cluster, year: number): Cohort {
  const acceleratorStart = `${year}-01-01`;
  const acceleratorEnd = addMonths(acceleratorStart, 12);
  const titles = [
    'Camp 1: Jeres sociale model – hvem, hvad og hvorfor',
    'Camp 2: Indslusningsplan og værdiskabende opgaver',
    'Camp 3: Buddyteknikker for medarbejdere',
    'Camp 4: Forankring – modellen kendt af alle partnere',
  ];
  return {
    id: `cluster-${cluster}-${year}`,
    cluster,
    year,
    recruitment: { start: `${year - 1}-09-01`, end: `${year - 1}-11-01` },
    bootCamp: bootCampOf(year - 1),
    selectionBy: `${year - 1}-12-15`,
    accelerator: { start: acceleratorStart, end: acceleratorEnd },
    followUp: { start: acceleratorEnd, end: addMonths(acceleratorEnd, 6) },
    // One joint camp a quarter, the first Thursday of February, May, September and November (two days each).
    camps: [2, 5, 9, 11].map((month, i) => {
      const first = new Date(Date.UTC(year, month - 1, 1));
      const toThursday = (4 - first.getUTCDay() + 7) % 7;
      return {
        date: addDays(`${year}-${String(month).padStart(2, '0')}-01`, toThursday),
        days: 2,
        title: titles[i] ?? `Camp ${i + 1}`,
      };
    }),
  };
}

/** The seed's two cohorts: cluster 1 in 2019, cluster 2 in 2020. */
export const cohorts: readonly Cohort[] = [cohortOf(1, 2019), cohortOf(2, 2020)];

export function findCohort(id: string): Cohort | undefined {
  return cohorts.find((c) => c.id === id);
}

export const companyStages = [
  'invited',
  'boot-camp',
  'awaiting-selection',
  'not-selected',
  'selected',
  'accelerator',
  'follow-up',
  'completed',
  'withdrawn',
] as const;
export type CompanyStage = (typeof companyStages)[number];

export const companyStageLabels: Record<CompanyStage, string> = {
  invited: 'Inviteret',
  'boot-camp': 'Bootcamp',
  'awaiting-selection': 'Afventer udvælgelse',
  'not-selected': 'Ikke udvalgt',
  selected: 'Udvalgt – starter i acceleratoren',
  accelerator: 'I acceleratorforløbet',
  'follow-up': 'Opfølgning (forankring)',
  completed: 'Gennemført',
  withdrawn: 'Udtrådt',
};

/** What has been decided about a company in its cohort: whether it was selected, and whether it withdrew. */
export interface CompanyDecisions {
  /** True or false once the selection is made; undefined before. */
  selected?: boolean;
  /** The day it withdrew (from then on it is withdrawn, at any stage). */
  withdrawnOn?: IsoDate;
}

/**
 * Where a company is on `date`: the calendar moves it on (as timers do in the workflow), decisions take it off
 * the path. A company not selected by the selection day is not selected; one selected late (after the
 * accelerator began) is in the accelerator from the day it was selected.
 */
export function stageOn(cohort: Cohort, decisions: CompanyDecisions, date: IsoDate): CompanyStage {
  if (decisions.withdrawnOn !== undefined && date >= decisions.withdrawnOn) return 'withdrawn';
  if (date < cohort.bootCamp.start) return 'invited';
  // A "no" can be said from the boot camp's first day, and ends the journey at once.
  if (decisions.selected === false) return 'not-selected';
  if (date < cohort.bootCamp.end) return 'boot-camp';
  if (date < cohort.accelerator.start) return decisions.selected ? 'selected' : 'awaiting-selection';
  if (decisions.selected !== true) return date > cohort.selectionBy ? 'not-selected' : 'awaiting-selection';
  if (date < cohort.accelerator.end) return 'accelerator';
  if (date < cohort.followUp.end) return 'follow-up';
  return 'completed';
}

/** A camp belongs inside the accelerator's 12 months (the boot camp is not a camp). */
export function isWithinAccelerator(cohort: Cohort, date: IsoDate): boolean {
  return date >= cohort.accelerator.start && date < cohort.accelerator.end;
}

/** The stages a journey ends in: no timer runs after them. */
export const finalCompanyStages: ReadonlySet<CompanyStage> = new Set([
  'not-selected',
  'completed',
  'withdrawn',
]);

export function isFinalStage(stage: CompanyStage): boolean {
  return finalCompanyStages.has(stage);
}

/**
 * The days on which the calendar alone can move a company on, ascending: the boot camp's first day and the day
 * after it, the accelerator's start, each camp inside the accelerator, the accelerator's end and the follow-up's
 * end. The camps change no stage; they are here to cut the 12-month accelerator into legs, because a Standard
 * execution lives at most a year and 2020 has 366 days (with four quarterly camps the longest leg is the
 * follow-up, about 182 days).
 */
export function journeyBoundaries(cohort: Cohort): IsoDate[] {
  const days = [
    cohort.bootCamp.start,
    cohort.bootCamp.end,
    cohort.accelerator.start,
    ...cohort.camps.map((camp) => camp.date).filter((day) => isWithinAccelerator(cohort, day)),
    cohort.accelerator.end,
    cohort.followUp.end,
  ];
  return [...new Set(days)].sort();
}

/** The first boundary after `date` (the end of the leg running on `date`), or undefined after the last. */
export function nextBoundary(cohort: Cohort, date: IsoDate): IsoDate | undefined {
  return journeyBoundaries(cohort).find((day) => day > date);
}

/** The cohort a municipality's companies join: its cluster's (one cohort per cluster). */
export function cohortOfCluster(cluster: Cluster): Cohort | undefined {
  return cohorts.find((c) => c.cluster === cluster);
}
