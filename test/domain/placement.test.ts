import { describe, expect, it } from 'vitest';
import type { CompanyStage } from '#domain/accelerator';
import {
  type CompanyFacts,
  decideEmployer,
  decidePlacement,
  isActiveAcceleratorCompany,
  type JourneyFacts,
  journeyStageOn,
  placementChoices,
} from '#domain/placement';

/** Cohort 1: boot camp 15–16 November 2018, selection by 15 December, accelerator 2019, follow-up to July 2020. */
const cohortId = 'cluster-1-2019';
const company = (overrides: Partial<CompanyFacts> = {}): CompanyFacts => ({
  cvr: '12345674',
  name: 'Grøn Café ApS',
  municipality: '621',
  ownedByEmploymentActor: false,
  ...overrides,
});
const selected: JourneyFacts = { cohortId, stage: 'selected', decisions: { selected: true } };
const notSelected: JourneyFacts = { cohortId, stage: 'not-selected', decisions: { selected: false } };
const awaiting: JourneyFacts = { cohortId, stage: 'invited', decisions: {} };
const withdrawnInMarch: JourneyFacts = {
  cohortId,
  stage: 'withdrawn',
  decisions: { selected: true, withdrawnOn: '2019-03-15' },
};

describe("a company journey's stage on a day", () => {
  it.each([
    [selected, '2018-12-01', 'selected'],
    [selected, '2019-06-01', 'accelerator'],
    [selected, '2020-03-01', 'follow-up'],
    [selected, '2020-07-01', 'completed'],
    [withdrawnInMarch, '2019-03-14', 'accelerator'],
    [withdrawnInMarch, '2019-03-15', 'withdrawn'],
    [awaiting, '2019-01-02', 'not-selected'],
    // A cohort no longer in the calendar keeps its stored stage.
    [{ cohortId: 'cluster-9-2030', stage: 'accelerator', decisions: {} }, '2019-06-01', 'accelerator'],
  ] satisfies [JourneyFacts, string, CompanyStage][])('%j on %s is %s', (journey, date, stage) => {
    // Act
    const actual = journeyStageOn(journey, date);

    // Assess
    expect(actual).toBe(stage);
  });
});

describe('an induction placement', () => {
  const today = '2019-06-01';
  it.each([
    ['an accelerator company in the accelerator', 'accelerator-company', company(), [selected], null],
    ['the actor\u2019s own company', 'own-company', company({ ownedByEmploymentActor: true }), [], null],
    [
      'an unknown company',
      'accelerator-company',
      undefined,
      [],
      'Virksomheden med det CVR-nummer er ikke registreret i kommunens partnerskab',
    ],
    [
      "another municipality's selected company, as an unknown one",
      'accelerator-company',
      company({ municipality: '851' }),
      [selected],
      'Virksomheden med det CVR-nummer er ikke registreret i kommunens partnerskab',
    ],
    [
      "another municipality's own company, as an unknown one",
      'own-company',
      company({ municipality: '851', ownedByEmploymentActor: true }),
      [],
      'Virksomheden med det CVR-nummer er ikke registreret i kommunens partnerskab',
    ],
    [
      'a company never invited',
      'accelerator-company',
      company(),
      [],
      'Virksomheden er ikke inviteret til acceleratoren',
    ],
    [
      'a company not selected',
      'accelerator-company',
      company(),
      [notSelected],
      'Virksomheden blev ikke udvalgt til acceleratoren',
    ],
    [
      'a company that withdrew',
      'accelerator-company',
      company(),
      [withdrawnInMarch],
      'Virksomheden er udtrådt af acceleratoren',
    ],
    [
      'an ordinary partnership company as the actor\u2019s own',
      'own-company',
      company(),
      [selected],
      'Virksomheden er ikke registreret som beskæftigelsesaktørens egen virksomhed',
    ],
  ] as const)('of %s: refusal %j', (_what, type, found, journeys, message) => {
    // Act
    const decision = decidePlacement(
      { type, companyCvr: '12345674', supportPerson: 'Mette Lund' },
      found,
      journeys,
      '621',
      today,
    );

    // Assess
    if (message === null) {
      expect(decision).toEqual({
        ok: true,
        placement: { type, companyCvr: '12345674', company: found?.name, supportPerson: 'Mette Lund' },
      });
    } else {
      expect(decision).toEqual({ ok: false, status: 409, field: 'companyCvr', message });
    }
  });

  it.each([
    ['2018-11-10', false, 'Virksomheden er endnu ikke udvalgt til acceleratoren'],
    ['2018-12-01', true, undefined],
    ['2020-03-01', true, undefined],
    ['2020-07-01', false, 'Virksomhedens forløb i acceleratoren er afsluttet'],
  ])('in a selected company on %s: accepted %s', (day, ok, message) => {
    // Act
    const decision = decidePlacement(
      { type: 'accelerator-company', companyCvr: '12345674', supportPerson: 'Mette Lund' },
      company(),
      [selected],
      '621',
      day,
    );

    // Assess
    expect(decision.ok).toBe(ok);
    if (!decision.ok) expect(decision.message).toBe(message);
  });

  it('accepts a company active in a later cohort after it left an earlier one', () => {
    // Prepare: withdrew from cohort 1 in March 2019, selected for cohort 2 (accelerator 2020).
    const secondCohort: JourneyFacts = {
      cohortId: 'cluster-2-2020',
      stage: 'accelerator',
      decisions: { selected: true },
    };

    // Act
    const decision = decidePlacement(
      { type: 'accelerator-company', companyCvr: '12345674', supportPerson: 'Mette Lund' },
      company(),
      [withdrawnInMarch, secondCohort],
      '621',
      '2020-02-01',
    );

    // Assess
    expect(decision.ok).toBe(true);
  });
});

describe('the employer of a job start', () => {
  it.each([
    [
      'an accelerator company by CVR, its name from the record',
      { employerCvr: '12345674', date: '2019-06-01' },
      company(),
      [selected],
      { ok: true, employer: 'Grøn Café ApS', employerCvr: '12345674', hiredByAcceleratorCompany: true },
    ],
    [
      'an accelerator company in follow-up, the given name kept',
      { employer: 'Grøn Café', employerCvr: '12345674', date: '2020-03-01' },
      company(),
      [selected],
      { ok: true, employer: 'Grøn Café', employerCvr: '12345674', hiredByAcceleratorCompany: true },
    ],
    [
      'an accelerator company before it was selected',
      { employerCvr: '12345674', date: '2018-11-10' },
      company(),
      [selected],
      { ok: true, employer: 'Grøn Café ApS', employerCvr: '12345674', hiredByAcceleratorCompany: false },
    ],
    [
      'a company after it withdrew',
      { employerCvr: '12345674', date: '2019-04-01' },
      company(),
      [withdrawnInMarch],
      { ok: true, employer: 'Grøn Café ApS', employerCvr: '12345674', hiredByAcceleratorCompany: false },
    ],
    [
      'a company not selected',
      { employerCvr: '12345674', date: '2019-06-01' },
      company(),
      [notSelected],
      { ok: true, employer: 'Grøn Café ApS', employerCvr: '12345674', hiredByAcceleratorCompany: false },
    ],
    [
      'an unregistered employer with a name',
      { employer: 'Kolding Tømrer ApS', employerCvr: '87654303', date: '2019-06-01' },
      undefined,
      [],
      { ok: true, employer: 'Kolding Tømrer ApS', employerCvr: '87654303', hiredByAcceleratorCompany: false },
    ],
    [
      'an employer by name only',
      { employer: 'Kolding Tømrer ApS', date: '2019-06-01' },
      undefined,
      [],
      { ok: true, employer: 'Kolding Tømrer ApS', employerCvr: undefined, hiredByAcceleratorCompany: false },
    ],
    [
      "another municipality's accelerator company, as an ordinary employer",
      { employer: 'Aalborg Café', employerCvr: '12345674', date: '2019-06-01' },
      company({ municipality: '851' }),
      [selected],
      { ok: true, employer: 'Aalborg Café', employerCvr: '12345674', hiredByAcceleratorCompany: false },
    ],
    [
      'an unregistered CVR without a name',
      { employerCvr: '87654303', date: '2019-06-01' },
      undefined,
      [],
      {
        ok: false,
        status: 400,
        field: 'employer',
        message: 'Arbejdsgiver skal udfyldes, når CVR-nummeret ikke er registreret i kommunens partnerskab',
      },
    ],
    [
      "another municipality's company without a name",
      { employerCvr: '12345674', date: '2019-06-01' },
      company({ municipality: '851' }),
      [selected],
      {
        ok: false,
        status: 400,
        field: 'employer',
        message: 'Arbejdsgiver skal udfyldes, når CVR-nummeret ikke er registreret i kommunens partnerskab',
      },
    ],
  ] as const)('%s', (_what, job, found, journeys, expected) => {
    // Act
    const decision = decideEmployer(job, found, journeys, '621');

    // Assess
    expect(decision).toEqual(expected);
  });
});

describe("the placement form's companies", () => {
  it('offers exactly the companies a placement accepts today, by name', () => {
    // Prepare
    const companies = [
      company({ cvr: '12345674', name: 'Øens Bageri' }),
      company({ cvr: '87654303', name: 'Anker Café' }),
      company({ cvr: '29000018', name: 'Aktørens Genbrug', ownedByEmploymentActor: true }),
      company({ cvr: '11111111', name: 'Ikke Udvalgt ApS' }),
      company({ cvr: '22222222', name: 'Aalborg Café', municipality: '851' }),
    ];
    const journeys = [
      { ...selected, cvr: '12345674' },
      { ...selected, cvr: '87654303' },
      { ...notSelected, cvr: '11111111' },
      { ...selected, cvr: '22222222' },
    ];

    // Act
    const choices = placementChoices(companies, journeys, '621', '2019-06-01');

    // Assess
    expect(choices.acceleratorCompanies.map((c) => c.name)).toEqual(['Anker Café', 'Øens Bageri']);
    expect(choices.ownCompanies.map((c) => c.name)).toEqual(['Aktørens Genbrug']);
    for (const c of choices.acceleratorCompanies) {
      expect(
        isActiveAcceleratorCompany(
          c,
          journeys.filter((j) => j.cvr === c.cvr),
          '621',
          '2019-06-01',
        ),
      ).toBe(true);
    }
  });
});
