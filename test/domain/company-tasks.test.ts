import { describe, expect, it } from 'vitest';
import { type CompanyFacts, companyTasksOn } from '#domain/company-tasks';
import {
  emptyChecklist,
  type SocialModelChecklist,
  socialModelChecklistSchema,
  socialModelItems,
} from '#domain/social-model';

/** The cluster-1 2019 cohort: boot camp 15–16 Nov 2018, selection by 15 Dec, accelerator 2019, follow-up to 1 Jul 2020. */
const company = (overrides: Partial<CompanyFacts> = {}): CompanyFacts => ({
  cvr: '12345674',
  cohortId: 'cluster-1-2019',
  stage: 'invited',
  decisions: {},
  attendance: {},
  checklist: undefined,
  verified: false,
  reportedKpis: [],
  ...overrides,
});

const implemented: SocialModelChecklist = socialModelChecklistSchema.parse(
  Object.fromEntries(
    socialModelItems.map((item) => [
      item,
      { status: 'done', evidence: 'Beskrevet', ...(item === 'buddies-trained' ? { buddies: 1 } : {}) },
    ]),
  ),
);

const kinds = (today: string, facts: CompanyFacts) =>
  companyTasksOn(today, [facts]).map(
    (t) => `${t.kind}${t.campDate ? `:${t.campDate}` : ''}${t.point ? `:${t.point}` : ''}@${t.due}`,
  );

describe('the accelerator staff’s tasks', () => {
  it.each([
    ['before the boot camp: nothing yet', '2018-11-14', company(), []],
    [
      'from the boot camp, the selection, due on the selection day',
      '2018-11-15',
      company(),
      ['select@2018-12-15'],
    ],
    [
      'once selected, the baseline KPIs',
      '2018-11-20',
      company({ decisions: { selected: true } }),
      ['report-kpis:baseline@2019-03-15'],
    ],
    ['not selected: nothing', '2018-11-20', company({ decisions: { selected: false } }), []],
    ['no selection made by the accelerator’s start: nothing (not selected)', '2019-01-02', company(), []],
    [
      'the first camp’s attendance from its day, while the baseline is still open',
      '2019-02-07',
      company({ decisions: { selected: true } }),
      ['record-attendance:2019-02-07@2019-02-07', 'report-kpis:baseline@2019-03-15'],
    ],
    [
      'a recorded camp and reported baseline leave nothing',
      '2019-03-01',
      company({
        decisions: { selected: true },
        attendance: { '2019-02-07': true },
        reportedKpis: ['baseline'],
      }),
      [],
    ],
    [
      'withdrawn: nothing, even with a camp unrecorded',
      '2019-03-01',
      company({ decisions: { selected: true, withdrawnOn: '2019-02-20' } }),
      [],
    ],
  ] as const)('%s', (_case, today, facts, expected) => {
    expect(kinds(today, facts)).toEqual(expected);
  });

  it('asks for the verification of an implemented model in the follow-up, and the 12-month KPIs', () => {
    // Prepare
    const facts = company({
      decisions: { selected: true },
      attendance: { '2019-02-07': true, '2019-05-02': true, '2019-09-05': true, '2019-11-07': true },
      reportedKpis: ['baseline'],
      checklist: implemented,
    });

    // Act / Assess
    expect(kinds('2020-01-10', facts)).toEqual([
      'report-kpis:month-12@2020-03-31',
      'verify-social-model@2020-06-30',
    ]);
    expect(kinds('2020-01-10', { ...facts, verified: true, reportedKpis: ['baseline', 'month-12'] })).toEqual(
      [],
    );
    expect(kinds('2020-01-10', { ...facts, checklist: emptyChecklist() })).toEqual([
      'report-kpis:month-12@2020-03-31',
    ]);
  });
});
