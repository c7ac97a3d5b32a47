import { describe, expect, it } from 'vitest';
import { checkConfirmationDay, sustainmentMilestones } from '#domain/sustainment';

describe('sustainment milestones', () => {
  it('falls due 13 and 26 weeks after the job start, each confirmable for four weeks', () => {
    // Act
    const milestones = sustainmentMilestones('2027-01-04');
    // Assess
    expect(milestones).toEqual([
      {
        weeks: 13,
        dueOn: '2027-04-05',
        deadlineOn: '2027-05-03',
        dueAt: '2027-04-04T22:00:00Z',
        deadlineAt: '2027-05-03T22:00:00Z',
      },
      {
        weeks: 26,
        dueOn: '2027-07-05',
        deadlineOn: '2027-08-02',
        dueAt: '2027-07-04T22:00:00Z',
        deadlineAt: '2027-08-02T22:00:00Z',
      },
    ]);
  });

  it.each([
    ['2027-04-04', 'not-yet-due'],
    ['2027-04-05', null],
    ['2027-05-03', null],
    ['2027-05-04', 'deadline-passed'],
  ])('a confirmation on %s is %s', (today, problem) => {
    expect(checkConfirmationDay({ dueOn: '2027-04-05', deadlineOn: '2027-05-03' }, today)).toBe(problem);
  });
});
