import { describe, expect, it } from 'vitest';
import {
  applyChecklistUpdate,
  checklistProgress,
  emptyChecklist,
  itemStatuses,
  itemStatusLabels,
  type SocialModelChecklist,
  type SocialModelItemUpdate,
  socialModelChecklistSchema,
  socialModelImplemented,
  socialModelItemLabels,
  socialModelItems,
  socialModelItemUpdate,
} from '#domain/social-model';

const AT = '2019-06-01T10:00:00Z';
const BY = 'accelerator@fonden.dk';

/** Every item done with evidence, three buddies: an implemented model. */
function doneChecklist(): SocialModelChecklist {
  return socialModelItems.reduce<SocialModelChecklist>(
    (checklist, item) =>
      applyChecklistUpdate(
        checklist,
        {
          item,
          status: 'done',
          evidence: `Bilag: ${item}`,
          ...(item === 'buddies-trained' ? { buddies: 3 } : {}),
        },
        AT,
        BY,
      ),
    emptyChecklist(),
  );
}

/** The schema's field messages, path → message, for the error table. */
function fieldErrors(input: unknown): Record<string, string> {
  const parsed = socialModelItemUpdate.safeParse(input);
  if (parsed.success) return {};
  return Object.fromEntries(parsed.error.issues.map((issue) => [issue.path.join('.'), issue.message]));
}

describe('the social model checklist', () => {
  it('has the five items in order, each with a Danish label, and a Danish label per status', () => {
    // Assess
    expect(socialModelItems).toEqual([
      'induction-plan',
      'value-creating-tasks',
      'buddies-trained',
      'model-documented',
      'model-known-to-partners',
    ]);
    expect(socialModelItemLabels['induction-plan']).toBe('Indslusningsplan for udsatte borgere');
    expect(socialModelItemLabels['model-known-to-partners']).toMatch(/kendt af alle partnere/);
    expect(itemStatuses.map((s) => itemStatusLabels[s])).toEqual(['Ikke påbegyndt', 'I gang', 'Gennemført']);
  });

  it('starts with every item not started: nothing done, not implemented, and readable by the stored schema', () => {
    // Act
    const checklist = emptyChecklist();

    // Assess
    expect(socialModelItems.map((id) => checklist[id].status)).toEqual(Array(5).fill('not-started'));
    expect(checklistProgress(checklist)).toEqual({ done: 0, total: 5 });
    expect(socialModelImplemented(checklist)).toBe(false);
    expect(socialModelChecklistSchema.parse(checklist)).toEqual(checklist);
  });
});

describe('an item update over the API: a Danish message per field', () => {
  it.each([
    ['in progress, nothing else', { item: 'induction-plan', status: 'in-progress' }, {}],
    ['done with evidence', { item: 'model-documented', status: 'done', evidence: ' Håndbog v1 ' }, {}],
    [
      'buddies from a form field, not yet done',
      { item: 'buddies-trained', status: 'in-progress', buddies: '0' },
      {},
    ],
    [
      'buddies done with one buddy',
      { item: 'buddies-trained', status: 'done', evidence: 'Kursus', buddies: 1 },
      {},
    ],
    [
      'an unknown item',
      { item: 'budget', status: 'done', evidence: 'x' },
      {
        item: 'Punkt skal være et af: induction-plan, value-creating-tasks, buddies-trained, model-documented, model-known-to-partners',
      },
    ],
    [
      'an unknown status',
      { item: 'induction-plan', status: 'finished' },
      {
        status: 'Status skal være not-started (ikke påbegyndt), in-progress (i gang) eller done (gennemført)',
      },
    ],
    [
      'done without evidence',
      { item: 'induction-plan', status: 'done' },
      { evidence: 'Dokumentation skal udfyldes, når punktet er gennemført' },
    ],
    [
      'done with only blanks as evidence',
      { item: 'induction-plan', status: 'done', evidence: '   ' },
      { evidence: 'Dokumentation skal udfyldes, når punktet er gennemført' },
    ],
    [
      'evidence of 2001 characters',
      { item: 'induction-plan', status: 'in-progress', evidence: 'x'.repeat(2001) },
      { evidence: 'Dokumentation skal være tekst på højst 2000 tegn' },
    ],
    [
      'evidence with a CPR number',
      { item: 'induction-plan', status: 'in-progress', evidence: 'Aftale med 010185-1234' },
      { evidence: 'Dokumentation må ikke indeholde et CPR-nummer' },
    ],
    [
      '501 buddies',
      { item: 'buddies-trained', status: 'in-progress', buddies: 501 },
      { buddies: 'Antal buddies skal være et helt tal fra 0 til 500' },
    ],
    [
      'a negative count',
      { item: 'buddies-trained', status: 'in-progress', buddies: -1 },
      { buddies: 'Antal buddies skal være et helt tal fra 0 til 500' },
    ],
    [
      'half a buddy',
      { item: 'buddies-trained', status: 'in-progress', buddies: 2.5 },
      { buddies: 'Antal buddies skal være et helt tal fra 0 til 500' },
    ],
    [
      'a count in words',
      { item: 'buddies-trained', status: 'in-progress', buddies: 'tre' },
      { buddies: 'Antal buddies skal være et helt tal fra 0 til 500' },
    ],
    [
      'a buddy count on another item',
      { item: 'model-documented', status: 'in-progress', buddies: 2 },
      { buddies: 'Antal buddies angives kun for punktet "Medarbejdere uddannet som buddies"' },
    ],
    [
      'buddies done with none trained',
      { item: 'buddies-trained', status: 'done', evidence: 'Kursus', buddies: 0 },
      { buddies: 'Mindst én medarbejder skal være uddannet som buddy, før punktet er gennemført' },
    ],
    [
      'buddies done without a count',
      { item: 'buddies-trained', status: 'done', evidence: 'Kursus' },
      { buddies: 'Mindst én medarbejder skal være uddannet som buddy, før punktet er gennemført' },
    ],
  ])('%s', (_case, input, expected) => {
    // Act
    const errors = fieldErrors(input);

    // Assess
    expect(errors).toEqual(expected);
  });

  it('trims evidence, reads a form’s digits as a number and an empty field as absent', () => {
    // Act
    const done = socialModelItemUpdate.parse({
      item: 'buddies-trained',
      status: 'done',
      evidence: ' Kursusbevis ',
      buddies: '4',
    });
    const blank = socialModelItemUpdate.parse({
      item: 'induction-plan',
      status: 'in-progress',
      evidence: '',
    });

    // Assess
    expect(done).toEqual({ item: 'buddies-trained', status: 'done', evidence: 'Kursusbevis', buddies: 4 });
    expect(blank).toEqual({ item: 'induction-plan', status: 'in-progress' });
  });
});

describe('applying an update', () => {
  it('sets the status, evidence, when and by whom, and leaves the old checklist as it was', () => {
    // Prepare
    const before = emptyChecklist();

    // Act
    const after = applyChecklistUpdate(
      before,
      { item: 'induction-plan', status: 'done', evidence: 'Plan af 1. maj' },
      AT,
      BY,
    );

    // Assess
    expect(after['induction-plan']).toEqual({
      status: 'done',
      evidence: 'Plan af 1. maj',
      updatedAt: AT,
      updatedBy: BY,
    });
    expect(before['induction-plan']).toEqual({ status: 'not-started' });
    expect(after['value-creating-tasks']).toBe(before['value-creating-tasks']);
  });

  it('keeps the evidence and the buddy count an update leaves out', () => {
    // Prepare
    const started = applyChecklistUpdate(
      emptyChecklist(),
      { item: 'buddies-trained', status: 'in-progress', evidence: 'Kursus i marts', buddies: 2 },
      AT,
      BY,
    );

    // Act
    const done = applyChecklistUpdate(
      started,
      { item: 'buddies-trained', status: 'done', evidence: 'Kursusbeviser' },
      '2019-07-01T09:00:00Z',
      'anden@fonden.dk',
    );
    const reopened = applyChecklistUpdate(
      done,
      { item: 'buddies-trained', status: 'in-progress' },
      '2019-08-01T09:00:00Z',
      BY,
    );

    // Assess
    expect(done['buddies-trained']).toEqual({
      status: 'done',
      evidence: 'Kursusbeviser',
      buddies: 2,
      updatedAt: '2019-07-01T09:00:00Z',
      updatedBy: 'anden@fonden.dk',
    });
    expect(reopened['buddies-trained']).toMatchObject({
      status: 'in-progress',
      evidence: 'Kursusbeviser',
      buddies: 2,
    });
    expect(socialModelImplemented(reopened)).toBe(false);
  });

  it.each<[string, SocialModelItemUpdate]>([
    ['done without evidence', { item: 'model-documented', status: 'done' }],
    ['buddies done with none', { item: 'buddies-trained', status: 'done', evidence: 'Kursus', buddies: 0 }],
    ['buddies done without a count', { item: 'buddies-trained', status: 'done', evidence: 'Kursus' }],
    ['a count out of range', { item: 'buddies-trained', status: 'in-progress', buddies: 501 }],
  ])('refuses %s when the schema was skipped', (_case, update) => {
    // Act
    const apply = () => applyChecklistUpdate(emptyChecklist(), update, AT, BY);

    // Assess
    expect(apply).toThrow(RangeError);
  });
});

describe('implemented and progress', () => {
  it.each<[string, (c: SocialModelChecklist) => SocialModelChecklist, boolean, number]>([
    ['every item done with evidence and buddies', (c) => c, true, 5],
    [
      'one item back in progress',
      (c) => applyChecklistUpdate(c, { item: 'model-known-to-partners', status: 'in-progress' }, AT, BY),
      false,
      4,
    ],
    ['one item not started', (c) => ({ ...c, 'value-creating-tasks': { status: 'not-started' } }), false, 4],
    // Stored data the rules would not have let in: read back, it still does not count.
    [
      'done with blank evidence',
      (c) => ({ ...c, 'model-documented': { status: 'done', evidence: ' ' } }),
      false,
      4,
    ],
    [
      'buddies done with none trained',
      (c) => ({ ...c, 'buddies-trained': { status: 'done', evidence: 'Kursus', buddies: 0 } }),
      false,
      4,
    ],
  ])('%s', (_case, change, implemented, done) => {
    // Prepare
    const checklist = change(doneChecklist());

    // Act
    const result = [socialModelImplemented(checklist), checklistProgress(checklist)];

    // Assess
    expect(result).toEqual([implemented, { done, total: 5 }]);
  });
});
