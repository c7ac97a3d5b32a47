import { describe, expect, it } from 'vitest';
import {
  audienceOf,
  deadlineReminderOn,
  type MilestoneState,
  REMINDER_DAYS_BEFORE_DEADLINE,
  type ReminderKind,
  reminderApplies,
  reminderDueAt,
  reminderMessage,
} from '#domain/reminders';
import { sustainmentMilestones } from '#domain/sustainment';

// A job started 2027-01-04: due 2027-04-05, last day 2027-05-03 (test/domain/sustainment.test.ts).
const thirteen = { dueOn: '2027-04-05', deadlineOn: '2027-05-03' };
const referralId = '0f8fad5b-d9cb-469f-a165-70867728950e';

describe('reminders', () => {
  it('sends the opening and the deadline reminder to the employment actor, the lapse to the caseworker', () => {
    // Assess
    expect(audienceOf).toEqual({
      'milestone-opened': 'employment-actor',
      'deadline-approaching': 'employment-actor',
      'milestone-lapsed': 'caseworker',
    });
  });

  it.each([
    // kind, milestone, due at (UTC; Copenhagen is UTC+2 in summer)
    ['milestone-opened', thirteen, '2027-04-04T22:00:00Z'],
    ['deadline-approaching', thirteen, '2027-04-25T22:00:00Z'],
    ['milestone-lapsed', thirteen, '2027-05-03T22:00:00Z'],
    // Across the switch to winter time (31 October 2027): midnight is then UTC+1.
    ['deadline-approaching', { dueOn: '2027-10-11', deadlineOn: '2027-11-08' }, '2027-10-31T23:00:00Z'],
  ] as const)('%s of %o is due at %s', (kind, milestone, dueAt) => {
    // Act / Assess
    expect(reminderDueAt(kind, milestone)).toBe(dueAt);
  });

  it('reminds of the deadline a week before its last day, never before the milestone opened', () => {
    // Act / Assess
    expect(REMINDER_DAYS_BEFORE_DEADLINE).toBe(7);
    expect(deadlineReminderOn(thirteen)).toBe('2027-04-26');
    expect(deadlineReminderOn({ dueOn: '2027-04-05', deadlineOn: '2027-04-08' })).toBe('2027-04-05');
  });

  it('times the opening with the workflow that opens the milestone, the lapse with the one that closes it', () => {
    // Prepare
    const planned = sustainmentMilestones('2027-01-04');

    for (const milestone of planned) {
      // Act / Assess
      expect(reminderDueAt('milestone-opened', milestone)).toBe(milestone.dueAt);
      expect(reminderDueAt('milestone-lapsed', milestone)).toBe(milestone.deadlineAt);
      expect(reminderDueAt('deadline-approaching', milestone) < milestone.deadlineAt).toBe(true);
      expect(reminderDueAt('deadline-approaching', milestone) > milestone.dueAt).toBe(true);
    }
  });

  it.each([
    // kind, status, today, decision
    ['milestone-opened', 'awaiting-confirmation', '2027-04-05', { send: true }],
    ['milestone-opened', 'confirmed', '2027-04-05', { send: false, reason: 'already-answered' }],
    ['deadline-approaching', 'awaiting-confirmation', '2027-04-26', { send: true }],
    ['deadline-approaching', 'awaiting-confirmation', '2027-05-03', { send: true }],
    [
      'deadline-approaching',
      'awaiting-confirmation',
      '2027-05-04',
      { send: false, reason: 'deadline-passed' },
    ],
    ['deadline-approaching', 'confirmed', '2027-04-26', { send: false, reason: 'already-answered' }],
    ['deadline-approaching', 'job-ended', '2027-04-26', { send: false, reason: 'already-answered' }],
    ['milestone-lapsed', 'unconfirmed', '2027-05-04', { send: true }],
    ['milestone-lapsed', 'confirmed', '2027-05-04', { send: false, reason: 'not-lapsed' }],
    ['milestone-lapsed', 'job-ended', '2027-05-04', { send: false, reason: 'not-lapsed' }],
    ['milestone-lapsed', 'awaiting-confirmation', '2027-05-04', { send: false, reason: 'not-lapsed' }],
  ] as Array<[ReminderKind, MilestoneState, string, object]>)(
    '%s for a milestone %s on %s: %o',
    (kind, status, today, decision) => {
      // Act / Assess
      expect(reminderApplies(kind, { ...thirteen, status }, today)).toEqual(decision);
    },
  );

  it.each([
    ['milestone-opened', 'Fastholdelse 13 uger: klar til bekræftelse - Kolding', 'senest 03-05-2027'],
    ['deadline-approaching', 'Fastholdelse 13 uger: fristen udløber 03-05-2027 - Kolding', 'venter stadig'],
    [
      'milestone-lapsed',
      'Fastholdelse 13 uger: ikke bekræftet inden fristen - Kolding',
      'markeret til opfølgning',
    ],
  ] as const)(
    'writes the %s message in Danish with the pathway, municipality, milestone, deadline and page',
    (kind, subject, says) => {
      // Act
      const { subject: written, message } = reminderMessage({
        kind,
        referralId,
        municipality: '621',
        weeks: 13,
        ...thirteen,
      });

      // Assess
      expect(written).toBe(subject);
      expect(message).toContain(`Borgerreference (forløb): ${referralId}`);
      expect(message).toContain('Kommune: Kolding (621)');
      expect(message).toContain('Milepæl: 13 uger');
      expect(message).toContain('Frist for bekræftelse: 03-05-2027');
      expect(message).toContain(`Forløbets side: /referrals/${referralId}`);
      expect(message).toContain(says);
      expect(subject.length).toBeLessThan(100);
    },
  );
});
