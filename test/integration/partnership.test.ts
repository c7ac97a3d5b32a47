import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Action, type Role, roles, scopeOf } from '#domain/access';
import type { LocalRuntime } from '../../local/runtime.ts';
import { type Api, startSystem } from './local-system.ts';

/**
 * The partnerships (issue 7) over HTTP on the embedded default: the employment actor names itself, the fund's
 * accelerator staff register companies and write the partner plan, each change versioned; bad input answers 400
 * with a message per field and writes nothing; another municipality's company answers as an unknown one.
 */
let runtime: LocalRuntime;
let api: Api;

const kolding = { accelerator: { role: 'accelerator', municipality: '621' } } as const;
const actor621 = { role: 'employment-actor', municipality: '621' } as const;
const accelerator621 = kolding.accelerator;
const accelerator851 = { role: 'accelerator', municipality: '851' } as const;
const caseworker851 = { role: 'caseworker', municipality: '851' } as const;
const company621 = { role: 'company', municipality: '621', company: '12345674' } as const;

const genbrug = {
  cvr: '1234 5674',
  name: 'Genbrugsværkstedet ApS',
  contactName: 'Mette Holm',
  contactEmail: 'mette@genbrug.example',
  socialEconomy: 'registered',
  size: 'small',
};
const cafe = {
  cvr: '87654303',
  name: 'Café Fællesskab',
  contactName: 'Ali Khan',
  socialEconomy: 'unregistered',
  size: 'micro',
};

beforeAll(async () => {
  ({ runtime, api } = await startSystem());
});

afterAll(async () => {
  await runtime?.stop();
});

describe('the employment actor', () => {
  it('is shown as not yet named until it names itself', async () => {
    // Act
    const before = await api.as(accelerator621).request('GET', '/partnership');
    const page = await api
      .as(accelerator621)
      .request('GET', '/partnership', undefined, { Accept: 'text/html' });

    // Assess
    expect(before.status).toBe(200);
    expect(before.json.employmentActor).toBeNull();
    expect(before.json.facilitator).toBe('Den Sociale Kapitalfond');
    expect(page.text).toContain('Ikke navngivet endnu');
  });

  it('refuses a CVR number that fails modulus 11, with a message per field, and stores nothing', async () => {
    // Act
    const refused = await api.as(actor621).request('POST', '/partnership/employment-actor', {
      name: 'Kolding Jobværksted',
      cvr: '12345678',
      contactName: '',
      basedOnVersion: 0,
    });
    const after = await api.as(actor621).request('GET', '/partnership');

    // Assess
    expect(refused.status).toBe(400);
    expect(refused.json.errors).toEqual([
      {
        field: 'cvr',
        message:
          'Beskæftigelsesaktørens CVR-nummer er ikke gyldigt (kontrolcifferet passer ikke, modulus 11)',
      },
      { field: 'contactName', message: 'Kontaktperson skal udfyldes' },
    ]);
    expect(after.json.employmentActor).toBeNull();
  });

  it('keeps each version with who and when, answers a repeat with the stored record, and refuses a stale edit', async () => {
    // Prepare
    const first = {
      name: 'Kolding Jobværksted',
      cvr: '29876541',
      contactName: 'Jonas Berg',
      basedOnVersion: 0,
    };

    // Act
    const created = await api.as(actor621).request('POST', '/partnership/employment-actor', first);
    const repeated = await api.as(actor621).request('POST', '/partnership/employment-actor', first);
    const changed = await api.as(actor621).request('POST', '/partnership/employment-actor', {
      ...first,
      contactPhone: '+45 75 50 00 00',
      basedOnVersion: 1,
    });
    const stale = await api.as(actor621).request('POST', '/partnership/employment-actor', {
      ...first,
      contactName: 'Sofie Dam',
      basedOnVersion: 1,
    });

    // Assess
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ version: 1, changedBy: 'test-employment-actor-621' });
    expect(repeated.status).toBe(200);
    expect(repeated.json.version).toBe(1);
    expect(changed.status).toBe(200);
    expect(changed.json.version).toBe(2);
    expect(stale.status).toBe(409);
    expect(stale.json.errors).toEqual([
      { field: 'basedOnVersion', message: expect.stringContaining('version 2') },
    ]);
  });

  it('may not be edited by the accelerator staff (403) nor seen named by another municipality', async () => {
    // Act
    const denied = await api.as(accelerator621).request('POST', '/partnership/employment-actor', {});
    const aalborg = await api.as(accelerator851).request('GET', '/partnership');

    // Assess
    expect(denied.status).toBe(403);
    expect(aalborg.json.employmentActor).toBeNull();
  });
});

describe('companies', () => {
  it('registers a company once: a repeat is answered with it, other details or another partnership are 409', async () => {
    // Act
    const created = await api.as(accelerator621).request('POST', '/companies', genbrug);
    const repeated = await api.as(accelerator621).request('POST', '/companies', genbrug);
    const otherDetails = await api
      .as(accelerator621)
      .request('POST', '/companies', { ...genbrug, size: 'medium' });
    const elsewhere = await api.as(accelerator851).request('POST', '/companies', genbrug);

    // Assess
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({
      cvr: '12345674',
      municipality: '621',
      registeredBy: 'test-accelerator-621',
    });
    expect(repeated.status).toBe(200);
    expect(otherDetails.status).toBe(409);
    expect(elsewhere.status).toBe(409);
    expect(elsewhere.json.errors).toEqual([
      { field: 'cvr', message: 'Virksomheden er allerede med i en anden kommunes partnerskab' },
    ]);
  });

  it('answers bad fields 400, one message each, and registers nothing', async () => {
    // Act
    const refused = await api.as(accelerator621).request('POST', '/companies', {
      cvr: '0123456',
      name: 'Kunde 010185-1234',
      contactName: 'X',
      contactEmail: 'not-an-address',
      socialEconomy: 'maybe',
      size: 'huge',
    });
    const partnership = await api.as(accelerator621).request('GET', '/partnership');

    // Assess
    expect(refused.status).toBe(400);
    expect(refused.json).toEqual({
      errors: ['cvr', 'name', 'contactEmail', 'socialEconomy', 'size'].map((field) => ({
        field,
        message: expect.any(String),
      })),
    });
    expect(JSON.stringify(refused.json)).not.toContain('010185');
    expect(partnership.json.companies).toEqual([expect.objectContaining({ cvr: '12345674' })]);
  });

  it('shows a company to its partnership and to its own contact only; another answers as an unknown CVR', async () => {
    // Prepare
    await api.as(accelerator621).request('POST', '/companies', cafe);

    // Act
    const own = await api.as(company621).request('GET', '/companies/12345674');
    const otherCompany = await api.as(company621).request('GET', '/companies/87654303');
    const unknown = await api.as(company621).request('GET', '/companies/29876568');
    const otherMunicipality = await api.as(caseworker851).request('GET', '/companies/12345674');
    const unknownThere = await api.as(caseworker851).request('GET', '/companies/29876568');
    const page = await api
      .as(company621)
      .request('GET', '/companies/12345674', undefined, { Accept: 'text/html' });

    // Assess
    expect(own.status).toBe(200);
    expect(own.json.company).toMatchObject({ name: 'Genbrugsværkstedet ApS', socialEconomy: 'registered' });
    expect(otherCompany.status).toBe(404);
    expect(otherCompany.text).toBe(unknown.text);
    expect(otherMunicipality.status).toBe(404);
    expect(otherMunicipality.text).toBe(unknownThere.text);
    expect(page.text).toContain('Registreret socialøkonomisk virksomhed');
  });

  it('lets a form register a company: 303 back to the page, or the page again with the message', async () => {
    // Prepare
    const headers = {
      'Content-Type': 'application/x-www-form-urlencoded',
      Origin: api.url,
      Accept: 'text/html',
    };
    const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

    // Act
    const refused = await api
      .as(accelerator621)
      .request('POST', '/companies', form({ ...cafe, cvr: '87654300', name: 'Café To' }), headers);
    const created = await api
      .as(accelerator621)
      .request('POST', '/companies', form({ ...cafe, cvr: '87654311', name: 'Café To' }), headers);

    // Assess
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('CVR-nummer er ikke gyldigt');
    expect(refused.text).toContain('value="Café To"');
    expect(created.status).toBe(303);
    expect(created.headers.get('location')).toBe('/partnership');
  });
});

describe('the partner plan', () => {
  const plan = {
    basedOnVersion: 0,
    needs: [
      { partner: 'Kommunen (jobcentret)', needs: 'Flere borgere i ordinære job' },
      { partner: 'Virksomhederne', needs: 'Hjælp til indslusningsplan' },
    ],
    roles: [{ partner: 'Beskæftigelsesaktøren', role: 'Ét kontaktpunkt for virksomhederne' }],
    contacts: [{ partner: 'Kommunen (jobcentret)', name: 'Lise Juhl', email: 'lise@kolding.example' }],
    reviewDates: ['2027-03-01', '2027-09-01'],
    note: 'Første udkast',
  };

  it('keeps every version with who and when; a repeat makes no second version; a stale edit is 409', async () => {
    // Act
    const first = await api.as(accelerator621).request('POST', '/partnership/plan', plan);
    const repeated = await api.as(accelerator621).request('POST', '/partnership/plan', plan);
    const second = await api.as(accelerator621).request('POST', '/partnership/plan', {
      ...plan,
      basedOnVersion: 1,
      reviewDates: ['2027-04-01'],
      note: 'Opfølgning flyttet',
    });
    const stale = await api
      .as(accelerator621)
      .request('POST', '/partnership/plan', { ...plan, basedOnVersion: 1, note: 'Gammel' });
    const partnership = await api.as(company621).request('GET', '/partnership');

    // Assess
    expect(first.status).toBe(201);
    expect(repeated.status).toBe(200);
    expect(repeated.json.version).toBe(1);
    expect(second.json.version).toBe(2);
    expect(stale.status).toBe(409);
    expect(partnership.json.partnerPlan).toMatchObject({ current: { reviewDates: ['2027-04-01'] } });
    expect(partnership.json.partnerPlan).toHaveProperty('history', [
      expect.objectContaining({
        version: 2,
        changedBy: 'test-accelerator-621',
        changes: ['Opfølgningsdatoer'],
      }),
      expect.objectContaining({ version: 1, changes: ['Første version'] }),
    ]);
  });

  it('refuses a bad review date with the field named, and the employment actor may not write it', async () => {
    // Act
    const badDate = await api
      .as(accelerator621)
      .request('POST', '/partnership/plan', { ...plan, basedOnVersion: 2, reviewDates: ['2027-02-30'] });
    const actor = await api.as(actor621).request('POST', '/partnership/plan', plan);

    // Assess
    expect(badDate.status).toBe(400);
    expect(badDate.json.errors).toEqual([
      { field: 'reviewDates.0', message: 'Opfølgningsdato skal være en gyldig dato (ÅÅÅÅ-MM-DD)' },
    ]);
    expect(actor.status).toBe(403);
  });
});

describe('the programme role', () => {
  it('chooses among the municipalities and reads any partnership', async () => {
    // Act
    const list = await api.as({ role: 'programme' }).request('GET', '/partnership');
    const koldingPartnership = await api
      .as({ role: 'programme' })
      .request('GET', '/partnership?municipality=621');
    const unknown = await api.as({ role: 'programme' }).request('GET', '/partnership?municipality=999');

    // Assess
    expect(list.json.municipalities).toHaveLength(12);
    expect(koldingPartnership.json.employmentActor).toMatchObject({ name: 'Kolding Jobværksted' });
    expect(unknown.status).toBe(404);
  });
});

describe("the role matrix over HTTP, for the companies' routes", () => {
  const routes: { method: string; path: string; action: Action; body?: unknown }[] = [
    { method: 'GET', path: '/partnership', action: 'read-partnership' },
    { method: 'POST', path: '/partnership/employment-actor', action: 'edit-partnership-contacts', body: {} },
    { method: 'POST', path: '/partnership/plan', action: 'edit-partner-plan', body: {} },
    { method: 'POST', path: '/companies', action: 'register-company', body: {} },
    { method: 'GET', path: '/companies/12345674', action: 'read-company' },
    { method: 'GET', path: '/cohorts/cluster-1-2019', action: 'read-cohort' },
    { method: 'POST', path: '/cohorts/cluster-1-2019/companies', action: 'run-accelerator', body: {} },
    { method: 'POST', path: '/companies/12345674/journey/selection', action: 'run-accelerator', body: {} },
    { method: 'POST', path: '/companies/12345674/social-model', action: 'run-accelerator', body: {} },
    {
      method: 'POST',
      path: '/companies/12345674/social-model/verification',
      action: 'run-accelerator',
      body: {},
    },
    { method: 'POST', path: '/companies/12345674/kpis', action: 'report-kpis', body: {} },
    { method: 'GET', path: '/accelerator/tasks', action: 'read-company-tasks' },
  ];
  const identity = (role: Role) =>
    role === 'programme'
      ? { role }
      : role === 'company'
        ? { role, municipality: '621', company: '12345674' }
        : { role, municipality: '621' };
  const cells = routes.flatMap((route) =>
    roles.map((role) => [`${route.method} ${route.path}`, role, route] as const),
  );

  it.each(cells)('%s as %s: 403 exactly when the matrix says no', async (_name, role, route) => {
    // Act
    const answer = await api.as(identity(role)).request(route.method, route.path, route.body);

    // Assess: allowed callers get the route's own answer (200, or a 4xx about the empty body or the data).
    if (scopeOf(role, route.action) === undefined) {
      expect(answer.status).toBe(403);
    } else {
      expect([200, 400, 404, 409]).toContain(answer.status);
    }
  });

  it('answers 401 to every one of them without a session', async () => {
    for (const route of routes) {
      const answer = await api.as('anonymous').request(route.method, route.path, route.body);
      expect(answer.status, `${route.method} ${route.path}`).toBe(401);
    }
  });
});
