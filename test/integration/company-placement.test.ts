import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { daysBetween } from '#domain/dates';
import { sustainmentMilestones } from '#domain/sustainment';
import type { LocalRuntime } from '../../local/runtime.ts';
import { acceleratorSplit, priceOf } from '../prices.ts';
import { type Api, cpr, startSystem } from './local-system.ts';

/**
 * The citizens' pathway wired to the companies' side (issue 7, item 4) on the embedded default: a Kolding citizen
 * referred at the 2019 cohort's boot camp reaches the company induction in May 2019, while the selected company
 * is in the accelerator; the placement names it by CVR number, a company not selected is refused, and a job start
 * with its CVR number pays the social accelerator its share (derived from the company's journey, not ticked),
 * at the start and at 13 weeks. An Aalborg job with an unregistered CVR number pays the employment actor alone.
 */
let runtime: LocalRuntime;
let api: Api;
let kolding: { accelerator: Api; actor: Api; caseworker: Api; finance: Api };

const COHORT = 'cluster-1-2019';
/** Kolding companies: one selected for the 2019 cohort, one not, and the employment actor's own. */
const SELECTED = '12345674';
const NOT_SELECTED = '29000018';
const OWN = '29000026';
/** A CVR number (modulus 11) no company is registered under. */
const UNREGISTERED = '87654303';

interface PathwayJson {
  phase: string;
  inductionPlacement: unknown;
  outcomes: Array<{
    employer: string | null;
    employerCvr: string | null;
    hiredByAcceleratorCompany: boolean;
  }>;
  payments: Array<{ rule: string; payee: { kind: string }; amountOere: number }>;
}

let koldingPathway = '';
let aalborgPathway = '';

beforeAll(async () => {
  ({ runtime, api } = await startSystem('WARN', { startDate: '2018-09-03' }));
  kolding = {
    accelerator: api.as({ role: 'accelerator', municipality: '621' }),
    actor: api.as({ role: 'employment-actor', municipality: '621' }),
    caseworker: api.as({ role: 'caseworker', municipality: '621' }),
    finance: api.as({ role: 'finance', municipality: '621' }),
  };
  const company = { contactName: 'Kontaktperson', socialEconomy: 'registered', size: 'small' };
  for (const [who, body] of [
    [kolding.accelerator, { ...company, cvr: SELECTED, name: 'Grøn Café ApS' }],
    [kolding.accelerator, { ...company, cvr: NOT_SELECTED, name: 'Kolding Genbrug ApS' }],
    [kolding.actor, { ...company, cvr: OWN, name: 'Aktørens Værksted', ownedByEmploymentActor: true }],
  ] as const) {
    const registered = await who.request('POST', '/companies', body);
    expect(registered.status, registered.text).toBe(201);
  }
  for (const cvr of [SELECTED, NOT_SELECTED]) {
    const invited = await kolding.accelerator.request('POST', `/cohorts/${COHORT}/companies`, { cvr });
    expect(invited.status, invited.text).toBe(201);
  }
  // The boot camp (15–16 November 2018): one company selected, the other not.
  await advanceTo('2018-11-15');
  for (const [cvr, selected] of [
    [SELECTED, true],
    [NOT_SELECTED, false],
  ] as const) {
    const decided = await kolding.accelerator.request('POST', `/companies/${cvr}/journey/selection`, {
      cohortId: COHORT,
      selected,
    });
    expect(decided.status, decided.text).toBe(200);
  }
  // Referred now, the citizens reach the company induction six months on, in May 2019.
  for (const [municipality, n] of [
    ['621', 1],
    ['851', 2],
  ] as const) {
    const created = await api.refer({ cpr: cpr(n), municipality, startDate: '2018-11-15' });
    expect(created.status, created.text).toBe(201);
    if (municipality === '621') koldingPathway = String(created.json.referralId);
    else aalborgPathway = String(created.json.referralId);
  }
  await advanceTo('2019-05-15');
}, 180_000);

afterAll(async () => {
  await runtime?.stop();
});

async function advanceTo(date: string): Promise<void> {
  await api.advance(daysBetween(await api.today(), date));
  expect(await api.today()).toBe(date);
}

const pathwayOf = async (id: string) =>
  (await api.request('GET', `/referrals/${id}`)).json as unknown as PathwayJson;

const paid = (pathway: PathwayJson) =>
  pathway.payments.map((p) => [p.rule, p.payee.kind, p.amountOere]).sort();

describe('an induction placement in an accelerator company', () => {
  it("offers the partnership's selected company and the actor's own on the pathway page, not the one not selected", async () => {
    // Act
    const page = await kolding.actor.request('GET', `/referrals/${koldingPathway}`, undefined, {
      Accept: 'text/html',
    });

    // Assess
    expect(page.status).toBe(200);
    expect(page.text).toContain(`<option value="${SELECTED}">Grøn Café ApS (CVR ${SELECTED})</option>`);
    expect(page.text).toContain(`<option value="${OWN}">Aktørens Værksted (CVR ${OWN})</option>`);
    expect(page.text).not.toContain(`value="${NOT_SELECTED}"`);
    expect(page.text).toContain('Arbejdsgiverens CVR-nummer');
    expect(page.text).not.toContain('hiredByAcceleratorCompany');
  });

  it('places the citizen in the selected company in the accelerator, and refuses the one not selected', async () => {
    // Act
    const refused = await kolding.actor.request('POST', `/referrals/${koldingPathway}/placement`, {
      type: 'accelerator-company',
      companyCvr: NOT_SELECTED,
      supportPerson: 'Mette Lund',
    });
    const otherPartnership = await api
      .as({ role: 'employment-actor', municipality: '851' })
      .request('POST', `/referrals/${aalborgPathway}/placement`, {
        type: 'accelerator-company',
        companyCvr: SELECTED,
        supportPerson: 'Mette Lund',
      });
    const placed = await kolding.actor.request('POST', `/referrals/${koldingPathway}/placement`, {
      type: 'accelerator-company',
      companyCvr: SELECTED,
      supportPerson: 'Mette Lund',
    });

    // Assess
    expect(refused.status).toBe(409);
    expect(refused.json.errors).toEqual([
      { field: 'companyCvr', message: 'Virksomheden blev ikke udvalgt til acceleratoren' },
    ]);
    expect(otherPartnership.status).toBe(409);
    expect(otherPartnership.json.errors).toEqual([
      {
        field: 'companyCvr',
        message: 'Virksomheden med det CVR-nummer er ikke registreret i kommunens partnerskab',
      },
    ]);
    expect(placed.status, placed.text).toBe(201);
    const pathway = await pathwayOf(koldingPathway);
    expect(pathway.phase).toBe('induction');
    expect(pathway.inductionPlacement).toEqual({
      type: 'accelerator-company',
      companyCvr: SELECTED,
      company: 'Grøn Café ApS',
      supportPerson: 'Mette Lund',
    });
  });
});

describe('a job start named by the employer’s CVR number', () => {
  it('pays the social accelerator its share of a hire by the accelerator company, at the start and at 13 weeks', async () => {
    // Prepare
    const jobDate = await api.today();

    // Act: no name and no tick: the company's record gives both.
    const job = await kolding.caseworker.request('POST', `/referrals/${koldingPathway}/outcomes`, {
      type: 'job-start',
      date: jobDate,
      hoursPerWeek: 37,
      employerCvr: SELECTED,
    });
    await runtime.settle();
    const atStart = await pathwayOf(koldingPathway);
    await api.advance(13 * 7);
    const confirmed = await kolding.actor.request('POST', `/referrals/${koldingPathway}/confirmations`, {
      milestone: 13,
      employed: true,
    });
    await runtime.settle();
    const at13Weeks = await pathwayOf(koldingPathway);
    const financeList = (await kolding.finance.request('GET', '/payments')).json as unknown as Array<{
      referralId: string;
      payee: { kind: string };
    }>;
    const page = await kolding.caseworker.request('GET', `/referrals/${koldingPathway}`, undefined, {
      Accept: 'text/html',
    });

    // Assess
    expect(job.status, job.text).toBe(201);
    expect(atStart.outcomes).toMatchObject([
      { employer: 'Grøn Café ApS', employerCvr: SELECTED, hiredByAcceleratorCompany: true },
    ]);
    const [actorShare, acceleratorShare] = acceleratorSplit('job-start', jobDate);
    expect(paid(atStart)).toEqual(
      [
        ['job-start', 'employment-actor', actorShare],
        ['job-start', 'social-accelerator', acceleratorShare],
      ].sort(),
    );
    expect(confirmed.status, confirmed.text).toBe(201);
    const due13 = sustainmentMilestones(jobDate).find((m) => m.weeks === 13)?.dueOn ?? '';
    const [actor13, accelerator13] = acceleratorSplit('sustained-13-weeks', due13);
    expect(paid(at13Weeks)).toEqual(
      [
        ['job-start', 'employment-actor', actorShare],
        ['job-start', 'social-accelerator', acceleratorShare],
        ['sustained-13-weeks', 'employment-actor', actor13],
        ['sustained-13-weeks', 'social-accelerator', accelerator13],
      ].sort(),
    );
    expect(
      financeList
        .filter((p) => p.referralId === koldingPathway)
        .map((p) => p.payee.kind)
        .sort(),
    ).toEqual(['employment-actor', 'employment-actor', 'social-accelerator', 'social-accelerator']);
    expect(page.text).toContain(`Grøn Café ApS (CVR ${SELECTED})`);
    expect(page.text).toContain('data-accelerator-hire="true"');
  });

  it('pays only the employment actor for a job with an unregistered CVR number, whose name must then be given', async () => {
    // Prepare
    const aalborg = api.as({ role: 'caseworker', municipality: '851' });
    const jobDate = await api.today();
    const job = { type: 'job-start', date: jobDate, hoursPerWeek: 37, employerCvr: UNREGISTERED };

    // Act: an old client's tick is ignored.
    const nameless = await aalborg.request('POST', `/referrals/${aalborgPathway}/outcomes`, job);
    const named = await aalborg.request('POST', `/referrals/${aalborgPathway}/outcomes`, {
      ...job,
      employer: 'Limfjordens Tømrer ApS',
      hiredByAcceleratorCompany: true,
    });
    await runtime.settle();
    const pathway = await pathwayOf(aalborgPathway);

    // Assess
    expect(nameless.status).toBe(400);
    expect(nameless.json.errors).toEqual([
      {
        field: 'employer',
        message: 'Arbejdsgiver skal udfyldes, når CVR-nummeret ikke er registreret i kommunens partnerskab',
      },
    ]);
    expect(named.status, named.text).toBe(201);
    expect(pathway.outcomes).toMatchObject([
      { employer: 'Limfjordens Tømrer ApS', employerCvr: UNREGISTERED, hiredByAcceleratorCompany: false },
    ]);
    expect(paid(pathway)).toEqual([['job-start', 'employment-actor', priceOf('job-start', jobDate)]]);
  });
});
