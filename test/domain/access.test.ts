import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  type Action,
  actions,
  type Caller,
  mayAccess,
  mayAccessCompany,
  permissions,
  type Role,
  roleFromGroups,
  roles,
  scopeOf,
  visibleMunicipalities,
} from '#domain/access';

/**
 * The matrix as the issue states it, written out here independently of `permissions`, so that a change to
 * either one is seen: refer (caseworker), read pathways (caseworker, actor; programme all), record outcomes
 * (caseworker, actor), placements and confirmations (actor), payments, statements and business case (finance;
 * programme all), the access log (programme); the pathway list and the worklist (caseworker, actor; the list for
 * the programme too), the dashboard (every role, its own municipality; programme all).
 */
const expected: Record<Role, Record<Action, 'own' | 'all' | '-'>> = {
  caseworker: {
    refer: 'own',
    'read-pathway': 'own',
    'record-outcome': 'own',
    'record-placement': '-',
    'record-confirmation': '-',
    'read-payments': '-',
    'read-statements': '-',
    'read-business-case': '-',
    'read-access-log': '-',
    'list-pathways': 'own',
    'read-worklist': 'own',
    'read-dashboard': 'own',
    'read-partnership': 'own',
    'edit-partnership-contacts': '-',
    'edit-partner-plan': '-',
    'register-company': '-',
    'read-company': 'own',
    'run-accelerator': '-',
    'report-kpis': '-',
    'read-cohort': 'own',
    'read-company-tasks': '-',
  },
  'employment-actor': {
    refer: '-',
    'read-pathway': 'own',
    'record-outcome': 'own',
    'record-placement': 'own',
    'record-confirmation': 'own',
    'read-payments': '-',
    'read-statements': '-',
    'read-business-case': '-',
    'read-access-log': '-',
    'list-pathways': 'own',
    'read-worklist': 'own',
    'read-dashboard': 'own',
    'read-partnership': 'own',
    'edit-partnership-contacts': 'own',
    'edit-partner-plan': '-',
    'register-company': 'own',
    'read-company': 'own',
    'run-accelerator': '-',
    'report-kpis': '-',
    'read-cohort': 'own',
    'read-company-tasks': '-',
  },
  finance: {
    refer: '-',
    'read-pathway': '-',
    'record-outcome': '-',
    'record-placement': '-',
    'record-confirmation': '-',
    'read-payments': 'own',
    'read-statements': 'own',
    'read-business-case': 'own',
    'read-access-log': '-',
    'list-pathways': '-',
    'read-worklist': '-',
    'read-dashboard': 'own',
    'read-partnership': 'own',
    'edit-partnership-contacts': '-',
    'edit-partner-plan': '-',
    'register-company': '-',
    'read-company': 'own',
    'run-accelerator': '-',
    'report-kpis': '-',
    'read-cohort': 'own',
    'read-company-tasks': '-',
  },
  programme: {
    refer: '-',
    'read-pathway': 'all',
    'record-outcome': '-',
    'record-placement': '-',
    'record-confirmation': '-',
    'read-payments': 'all',
    'read-statements': 'all',
    'read-business-case': 'all',
    'read-access-log': 'all',
    'list-pathways': 'all',
    'read-worklist': '-',
    'read-dashboard': 'all',
    'read-partnership': 'all',
    'edit-partnership-contacts': '-',
    'edit-partner-plan': '-',
    'register-company': '-',
    'read-company': 'all',
    'run-accelerator': '-',
    'report-kpis': '-',
    'read-cohort': 'all',
    'read-company-tasks': '-',
  },
  accelerator: {
    refer: '-',
    'read-pathway': '-',
    'record-outcome': '-',
    'record-placement': '-',
    'record-confirmation': '-',
    'read-payments': '-',
    'read-statements': '-',
    'read-business-case': '-',
    'read-access-log': '-',
    'list-pathways': '-',
    'read-worklist': '-',
    'read-dashboard': 'own',
    'read-partnership': 'own',
    'edit-partnership-contacts': '-',
    'edit-partner-plan': 'own',
    'register-company': 'own',
    'read-company': 'own',
    'run-accelerator': 'own',
    'report-kpis': 'own',
    'read-cohort': 'own',
    'read-company-tasks': 'own',
  },
  company: {
    refer: '-',
    'read-pathway': '-',
    'record-outcome': '-',
    'record-placement': '-',
    'record-confirmation': '-',
    'read-payments': '-',
    'read-statements': '-',
    'read-business-case': '-',
    'read-access-log': '-',
    'list-pathways': '-',
    'read-worklist': '-',
    'read-dashboard': '-',
    'read-partnership': 'own',
    'edit-partnership-contacts': '-',
    'edit-partner-plan': '-',
    'register-company': '-',
    'read-company': 'own',
    'run-accelerator': '-',
    'report-kpis': 'own',
    'read-cohort': '-',
    'read-company-tasks': 'own',
  },
};

const cells = roles.flatMap((role) =>
  actions.map((action) => [role, action, expected[role][action]] as const),
);

describe('the role matrix', () => {
  it.each(cells)('%s may %s: %s', (role, action, scope) => {
    expect(scopeOf(role, action) ?? '-').toBe(scope);
  });

  it('lets the programme role change nothing', () => {
    const writes = Object.keys(permissions.programme).filter((a) => a === 'refer' || a.startsWith('record-'));
    expect(writes).toEqual([]);
  });
});

describe('the README’s role matrix', () => {
  it('is the matrix in the code, row for row', () => {
    // Prepare: the table under "Sign-in, roles and municipalities": | `action` | route | four roles |.
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const rows = readme
      .split('\n')
      .map((line) => /^\| `([a-z-]+)` \| `[^`]+` \|(.*)\|$/.exec(line))
      .filter((match): match is RegExpExecArray => match !== null);

    // Act
    const documented = Object.fromEntries(
      rows.map((match) => [
        match[1],
        (match[2] ?? '').split('|').map((cell) => cell.trim().replace('–', '-')),
      ]),
    );

    // Assess
    expect(Object.keys(documented).sort()).toEqual([...actions].sort());
    for (const action of actions) {
      expect(documented[action], action).toEqual(roles.map((role) => scopeOf(role, action) ?? '-'));
    }
  });
});

describe('municipality scope', () => {
  const koldingCaseworker: Caller = { username: 'k', role: 'caseworker', municipality: '621' };
  const programme: Caller = { username: 'p', role: 'programme' };
  const homeless: Caller = { username: 'x', role: 'caseworker' };
  const koldingCompany: Caller = { username: 'c', role: 'company', municipality: '621', company: '12345674' };

  it.each([
    [koldingCaseworker, 'read-pathway', '621', true],
    [koldingCaseworker, 'read-pathway', '851', false],
    [koldingCaseworker, 'record-placement', '621', false],
    [programme, 'read-pathway', '851', true],
    [programme, 'record-outcome', '851', false],
    [homeless, 'read-pathway', '621', false],
    [koldingCompany, 'read-company', '621', true],
    [koldingCompany, 'read-company', '851', false],
  ] as const)('%o %s in %s: %s', (caller, action, municipality, allowed) => {
    expect(mayAccess(caller, action, municipality)).toBe(allowed);
  });

  it('lists one municipality for own scopes, all for programme, none without the right', () => {
    expect(
      visibleMunicipalities({ username: 'f', role: 'finance', municipality: '621' }, 'read-payments'),
    ).toEqual(['621']);
    expect(visibleMunicipalities(programme, 'read-payments')).toBeUndefined();
    expect(visibleMunicipalities(koldingCaseworker, 'read-payments')).toEqual([]);
    expect(visibleMunicipalities(homeless, 'read-pathway')).toEqual([]);
  });
});

describe('a company contact and the companies', () => {
  const contact: Caller = { username: 'c', role: 'company', municipality: '621', company: '12345674' };
  const accelerator: Caller = { username: 'a', role: 'accelerator', municipality: '621' };

  it.each([
    [contact, '621', '12345674', true],
    [contact, '621', '87654303', false],
    [contact, '851', '12345674', false],
    [accelerator, '621', '87654303', true],
    [accelerator, '851', '87654303', false],
  ] as const)('%o reads company %s/%s: %s', (caller, municipality, cvr, allowed) => {
    expect(mayAccessCompany(caller, 'read-company', municipality, cvr)).toBe(allowed);
  });
});

describe('roles from the identity provider’s groups', () => {
  it.each([
    [['caseworker'], 'caseworker'],
    [['finance', 'some-other-group'], 'finance'],
    [[], undefined],
    [['caseworker', 'programme'], undefined],
    [['Caseworker'], undefined],
  ] as const)('%o → %s', (groups, role) => {
    expect(roleFromGroups(groups)).toBe(role);
  });
});
