/**
 * Who may do what: the programme's role matrix, written once. The README's table, the handlers' checks and the
 * integration test's expectations are all read from `permissions` below.
 *
 * Every role but the programme managers belongs to one municipality (its kommunekode, held by the identity
 * provider). A permission's scope says whether the role acts on its own municipality's data only (`own`) or on
 * every municipality's (`all`). Data of another municipality is treated as data that does not exist (404).
 */
export const roles = [
  'caseworker',
  'employment-actor',
  'finance',
  'programme',
  'accelerator',
  'company',
] as const;
export type Role = (typeof roles)[number];

/** Danish names for pages and messages. */
export const roleLabels: Record<Role, string> = {
  caseworker: 'Sagsbehandler',
  'employment-actor': 'Beskæftigelsesaktør',
  finance: 'Økonomi',
  programme: 'Programledelse',
  accelerator: 'Acceleratorkonsulent',
  company: 'Virksomhed',
};

/** The identity provider's group for each role (Cognito user pool groups). */
export const roleGroups: Record<Role, string> = {
  caseworker: 'caseworker',
  'employment-actor': 'employment-actor',
  finance: 'finance',
  programme: 'programme',
  accelerator: 'accelerator',
  company: 'company',
};

export const actions = [
  'refer',
  'read-pathway',
  'record-outcome',
  'record-placement',
  'record-confirmation',
  'read-payments',
  'read-statements',
  'read-business-case',
  'read-access-log',
  'list-pathways',
  'read-worklist',
  'read-dashboard',
  'read-partnership',
  'edit-partnership-contacts',
  'edit-partner-plan',
  'register-company',
  'read-company',
  'run-accelerator',
  'report-kpis',
  'read-cohort',
  'read-company-tasks',
] as const;
export type Action = (typeof actions)[number];

export type Scope = 'own' | 'all';

/** The matrix. A missing entry means the role may not take the action (403). */
export const permissions: Record<Role, Partial<Record<Action, Scope>>> = {
  caseworker: {
    refer: 'own',
    'read-pathway': 'own',
    'record-outcome': 'own',
    'list-pathways': 'own',
    'read-worklist': 'own',
    'read-dashboard': 'own',
    'read-partnership': 'own',
    'read-company': 'own',
    'read-cohort': 'own',
  },
  'employment-actor': {
    'read-pathway': 'own',
    'record-outcome': 'own',
    'record-placement': 'own',
    'record-confirmation': 'own',
    'list-pathways': 'own',
    'read-worklist': 'own',
    'read-dashboard': 'own',
    'read-partnership': 'own',
    'edit-partnership-contacts': 'own',
    'register-company': 'own',
    'read-company': 'own',
    'read-cohort': 'own',
  },
  finance: {
    'read-payments': 'own',
    'read-statements': 'own',
    'read-business-case': 'own',
    'read-dashboard': 'own',
    'read-partnership': 'own',
    'read-company': 'own',
    'read-cohort': 'own',
  },
  programme: {
    'read-pathway': 'all',
    'read-payments': 'all',
    'read-statements': 'all',
    'read-business-case': 'all',
    'read-access-log': 'all',
    'list-pathways': 'all',
    'read-dashboard': 'all',
    'read-partnership': 'all',
    'read-company': 'all',
    'read-cohort': 'all',
  },
  /**
   * The fund's accelerator staff (Den Sociale Kapitalfond) for one municipality's partnership: they run the
   * cohorts, camps and the social model, and write the partner plan (the fund maps the partners' needs into it).
   */
  accelerator: {
    'read-dashboard': 'own',
    'read-partnership': 'own',
    'edit-partner-plan': 'own',
    'register-company': 'own',
    'read-company': 'own',
    'run-accelerator': 'own',
    'report-kpis': 'own',
    'read-cohort': 'own',
    'read-company-tasks': 'own',
  },
  /**
   * A company's contact person: reads its partnership and its own company page (not other companies': see
   * `mayAccessCompany`) and reports its own KPIs. No citizen data.
   */
  company: {
    'read-partnership': 'own',
    'read-company': 'own',
    'report-kpis': 'own',
    'read-company-tasks': 'own',
  },
};

/** Roles that act for one municipality; the programme role reads across all of them. */
export function needsMunicipality(role: Role): boolean {
  return role !== 'programme';
}

/** The signed-in user, as the authorizer established it from a verified token. */
export interface Caller {
  /** The identity provider's username: what `recordedBy` and the access log name. */
  username: string;
  role: Role;
  /** Kommunekode; undefined for the programme role. */
  municipality?: string;
  /** The company role's own company (CVR number), from the identity provider like the municipality. */
  company?: string;
}

export function scopeOf(role: Role, action: Action): Scope | undefined {
  return permissions[role][action];
}

/**
 * Whether the caller may act on data of `municipality`. Own-scope roles see only their own municipality; a
 * caller without a municipality (misconfigured user) sees nothing with an own scope.
 */
export function mayAccess(caller: Caller, action: Action, municipality: string): boolean {
  const scope = scopeOf(caller.role, action);
  if (scope === 'all') return true;
  if (scope === 'own') return caller.municipality !== undefined && caller.municipality === municipality;
  return false;
}

/**
 * Whether the caller may act on the company `cvr` of `municipality`: as `mayAccess`, and a company's contact only
 * on its own company (another company answers as one that does not exist).
 */
export function mayAccessCompany(caller: Caller, action: Action, municipality: string, cvr: string): boolean {
  if (!mayAccess(caller, action, municipality)) return false;
  return caller.role !== 'company' || caller.company === cvr;
}

/**
 * The municipalities a list may show: every one (undefined) for an `all` scope, the caller's own for `own`,
 * none when the role may not take the action at all.
 */
export function visibleMunicipalities(caller: Caller, action: Action): readonly string[] | undefined {
  const scope = scopeOf(caller.role, action);
  if (scope === 'all') return undefined;
  if (scope === 'own' && caller.municipality) return [caller.municipality];
  return [];
}

/** Roles named in a comma-separated list (configuration such as `REQUIRE_MFA_ROLES`); unknown names are ignored. */
export function rolesIn(list: string | undefined): ReadonlySet<Role> {
  return new Set(
    (list ?? '')
      .split(',')
      .map((name) => name.trim())
      .filter((name): name is Role => (roles as readonly string[]).includes(name)),
  );
}

/**
 * The role a user holds, from the identity provider's groups: exactly one role group. None or several (an
 * administrator's mistake) grant nothing, rather than guessing which was meant.
 */
export function roleFromGroups(groups: readonly string[]): Role | undefined {
  const held = roles.filter((role) => groups.includes(roleGroups[role]));
  return held.length === 1 ? held[0] : undefined;
}
