import type { GroupKind, Payee } from './business-case.ts';
import { addMonths, type IsoDate, isIsoDate } from './dates.ts';
import { assertOere, type Oere } from './money.ts';
import type { OutcomeType, Phase } from './pathway.ts';
import { type Cluster, findMunicipality, type Municipality, municipalities } from './programme.ts';

/**
 * The programme dashboard (issue 8, item 4): places used and free, pathways by phase, outcomes and payments per
 * month, per municipality, per cluster and for the programme. Pure counting and summing, no I/O.
 *
 * - A place is used by every pathway that is not closed, the one waiting for its start date included: the
 *   referral took the place when it was made.
 * - Free places are never negative: a programme whose places were lowered below what is in use shows 0 free and
 *   its real use, rather than a negative number nobody can act on.
 * - Months are 'YYYY-MM'. An outcome counts in the month of its date, a payment in the month of its due date, a
 *   referral in the month it was made. Every group shares one month axis without gaps, from the first month with
 *   any of these to the last, so the groups' series line up and a cluster's month is the sum of its
 *   municipalities' months.
 * - Clusters and the programme are sums of their municipalities, as in the business case (domain/business-case.ts).
 */

/** The phases in the order a pathway goes through them. */
export const dashboardPhases = [
  'referred',
  'training',
  'induction',
  'tracking',
  'closed',
] as const satisfies readonly Phase[];

export const dashboardOutcomeTypes = [
  'job-start',
  'education-start',
  'dropout',
] as const satisfies readonly OutcomeType[];

/** What the dashboard reads of a pathway: no name, no CPR, nothing else. */
export interface DashboardPathway {
  referralId: string;
  /** Kommunekode. */
  municipality: string;
  phase: Phase;
  referredOn: IsoDate;
  outcomes: ReadonlyArray<{ type: OutcomeType; date: IsoDate }>;
}

export interface DashboardPayment {
  /** Kommunekode of the paying municipality. */
  municipality: string;
  amountOere: Oere;
  dueDate: IsoDate;
  payee: Payee;
}

export interface DashboardMonth {
  /** YYYY-MM. */
  month: string;
  referrals: number;
  outcomes: Record<OutcomeType, number>;
  paidOere: Oere;
  paidToEmploymentActorsOere: Oere;
  paidToAcceleratorOere: Oere;
}

export interface DashboardGroup {
  kind: GroupKind;
  /** "programme", "cluster-1", "cluster-2", or the kommunekode. */
  key: string;
  name: string;
  places: number;
  /** Pathways not closed. */
  placesUsed: number;
  /** Places less those used, never below 0. */
  placesFree: number;
  pathways: number;
  byPhase: Record<Phase, number>;
  outcomes: Record<OutcomeType, number>;
  paidOere: Oere;
  paidToEmploymentActorsOere: Oere;
  paidToAcceleratorOere: Oere;
  /** One entry per month of the dashboard's axis. */
  months: DashboardMonth[];
}

export interface Dashboard {
  /** The shared month axis, ascending, without gaps; empty when nothing has happened yet. */
  months: string[];
  programme: DashboardGroup;
  clusters: DashboardGroup[];
  municipalities: DashboardGroup[];
}

export interface DashboardOptions {
  /** A municipality's places in this programme (a programme at scale has more than the seed). */
  placesOf?: (municipality: Municipality) => number;
}

const monthOf = (date: IsoDate, what: string): string => {
  if (!isIsoDate(date)) throw new RangeError(`${what} is not a calendar date: ${date}`);
  return date.slice(0, 7);
};

/** Every month from `first` to `last`, both included. */
function monthAxis(first: string | undefined, last: string | undefined): string[] {
  if (first === undefined || last === undefined) return [];
  const axis: string[] = [];
  for (let month = first; month <= last; month = addMonths(`${month}-01`, 1).slice(0, 7)) axis.push(month);
  return axis;
}

const zeroOutcomes = (): Record<OutcomeType, number> => ({
  'job-start': 0,
  'education-start': 0,
  dropout: 0,
});
const zeroPhases = (): Record<Phase, number> => ({
  referred: 0,
  training: 0,
  induction: 0,
  tracking: 0,
  closed: 0,
});

function emptyMonth(month: string): DashboardMonth {
  return {
    month,
    referrals: 0,
    outcomes: zeroOutcomes(),
    paidOere: 0,
    paidToEmploymentActorsOere: 0,
    paidToAcceleratorOere: 0,
  };
}

function emptyGroup(municipality: Municipality, places: number, axis: readonly string[]): DashboardGroup {
  if (!Number.isSafeInteger(places) || places < 0)
    throw new RangeError(`${municipality.name} has ${places} places; places are a whole number ≥ 0`);
  return {
    kind: 'municipality',
    key: municipality.code,
    name: municipality.name,
    places,
    placesUsed: 0,
    placesFree: places,
    pathways: 0,
    byPhase: zeroPhases(),
    outcomes: zeroOutcomes(),
    paidOere: 0,
    paidToEmploymentActorsOere: 0,
    paidToAcceleratorOere: 0,
    months: axis.map(emptyMonth),
  };
}

/** Sums municipalities into a cluster or the programme, figure by figure and month by month. */
function sumGroups(
  kind: GroupKind,
  key: string,
  name: string,
  parts: readonly DashboardGroup[],
): DashboardGroup {
  const first = parts[0];
  if (!first) throw new RangeError(`${name} has no municipalities`);
  const total = (pick: (g: DashboardGroup) => number): number => parts.reduce((sum, g) => sum + pick(g), 0);
  const byKey = <K extends string>(keys: readonly K[], pick: (g: DashboardGroup) => Record<K, number>) =>
    Object.fromEntries(keys.map((k) => [k, total((g) => pick(g)[k])])) as Record<K, number>;
  return {
    kind,
    key,
    name,
    places: total((g) => g.places),
    placesUsed: total((g) => g.placesUsed),
    // The sum of the parts' free places: one municipality's spare place is not another's overbooking.
    placesFree: total((g) => g.placesFree),
    pathways: total((g) => g.pathways),
    byPhase: byKey(dashboardPhases, (g) => g.byPhase),
    outcomes: byKey(dashboardOutcomeTypes, (g) => g.outcomes),
    paidOere: total((g) => g.paidOere),
    paidToEmploymentActorsOere: total((g) => g.paidToEmploymentActorsOere),
    paidToAcceleratorOere: total((g) => g.paidToAcceleratorOere),
    months: first.months.map((m, i) => {
      const at = (g: DashboardGroup) => g.months[i] ?? emptyMonth(m.month);
      return {
        month: m.month,
        referrals: total((g) => at(g).referrals),
        outcomes: byKey(dashboardOutcomeTypes, (g) => at(g).outcomes),
        paidOere: total((g) => at(g).paidOere),
        paidToEmploymentActorsOere: total((g) => at(g).paidToEmploymentActorsOere),
        paidToAcceleratorOere: total((g) => at(g).paidToAcceleratorOere),
      };
    }),
  };
}

// The names the business case and the what-if give the clusters and the programme (domain/business-case.ts).
const clusterName = (cluster: Cluster) =>
  `Klynge ${cluster} (${municipalities.find((m) => m.cluster === cluster)?.clusterYear ?? ''})`;
const PROGRAMME_NAME = 'Social inklusion gennem Vækstpartnerskaber';

/**
 * The dashboard of every municipality of the programme (those without pathways too), its two clusters and the
 * programme. A pathway or payment of a municipality outside the programme, a date that is no calendar date or an
 * amount that is not whole øre is an error, not something to leave out quietly.
 */
export function dashboard(
  pathways: readonly DashboardPathway[],
  payments: readonly DashboardPayment[],
  options: DashboardOptions = {},
): Dashboard {
  const dated = [
    ...pathways.flatMap((p) => [
      monthOf(p.referredOn, `Referral ${p.referralId}'s date`),
      ...p.outcomes.map((o) => monthOf(o.date, `An outcome of referral ${p.referralId}`)),
    ]),
    ...payments.map((p) => monthOf(p.dueDate, 'A payment due')),
  ].sort();
  const axis = monthAxis(dated[0], dated.at(-1));
  const index = new Map(axis.map((month, i) => [month, i]));
  const placesOf = options.placesOf ?? ((m: Municipality) => m.places);
  const groups = new Map(municipalities.map((m) => [m.code, emptyGroup(m, placesOf(m), axis)]));
  const groupOf = (code: string, what: string): DashboardGroup => {
    const group = groups.get(code);
    if (!group) throw new RangeError(`${what} names municipality ${code}, which is not in the programme`);
    return group;
  };
  const monthIn = (group: DashboardGroup, date: IsoDate): DashboardMonth => {
    const month = group.months[index.get(date.slice(0, 7)) ?? -1];
    if (!month) throw new RangeError(`${date} lies outside the dashboard's months`);
    return month;
  };

  const seen = new Set<string>();
  for (const pathway of pathways) {
    if (seen.has(pathway.referralId)) throw new RangeError(`Referral ${pathway.referralId} is listed twice`);
    seen.add(pathway.referralId);
    const group = groupOf(pathway.municipality, `Referral ${pathway.referralId}`);
    group.pathways += 1;
    group.byPhase[pathway.phase] += 1;
    monthIn(group, pathway.referredOn).referrals += 1;
    for (const outcome of pathway.outcomes) {
      group.outcomes[outcome.type] += 1;
      monthIn(group, outcome.date).outcomes[outcome.type] += 1;
    }
  }
  for (const payment of payments) {
    const amount = assertOere(payment.amountOere);
    const group = groupOf(payment.municipality, 'A payment');
    const month = monthIn(group, payment.dueDate);
    group.paidOere += amount;
    month.paidOere += amount;
    if (payment.payee === 'employment-actor') {
      group.paidToEmploymentActorsOere += amount;
      month.paidToEmploymentActorsOere += amount;
    } else {
      group.paidToAcceleratorOere += amount;
      month.paidToAcceleratorOere += amount;
    }
  }
  const perMunicipality = [...groups.values()].map((g) => {
    const placesUsed = g.pathways - g.byPhase.closed;
    return { ...g, placesUsed, placesFree: Math.max(0, g.places - placesUsed) };
  });
  const clusters = ([1, 2] as const).map((cluster) =>
    sumGroups(
      'cluster',
      `cluster-${cluster}`,
      clusterName(cluster),
      perMunicipality.filter((g) => findMunicipality(g.key)?.cluster === cluster),
    ),
  );
  return {
    months: axis,
    programme: sumGroups('programme', 'programme', PROGRAMME_NAME, clusters),
    clusters,
    municipalities: perMunicipality,
  };
}

/** A dashboard as a caller may see it: clusters and programme only when every municipality is shown. */
export interface DashboardView {
  months: string[];
  /** Null when scoped to some municipalities: its sums would hold other municipalities' figures. */
  programme: DashboardGroup | null;
  clusters: DashboardGroup[];
  municipalities: DashboardGroup[];
}

/**
 * The dashboard scoped to `shown` (domain/access.ts `visibleMunicipalities`; absent: all). A scoped view has
 * those municipalities only, as the business case's (functions/shared/business-case-data.ts).
 */
export function scopeDashboard(board: Dashboard, shown: readonly string[] | undefined): DashboardView {
  if (shown === undefined) return board;
  return {
    months: board.months,
    programme: null,
    clusters: [],
    municipalities: board.municipalities.filter((m) => shown.includes(m.key)),
  };
}
