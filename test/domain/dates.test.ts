import { describe, expect, it } from 'vitest';
import {
  addDays,
  addMonths,
  danishDate,
  daysBetween,
  isIsoDate,
  sameDanishTimeDaysLater,
  startOfDanishDay,
} from '#domain/dates';

describe('calendar dates', () => {
  it.each([
    ['2026-01-15', 6, '2026-07-15'],
    ['2026-08-31', 6, '2027-02-28'],
    ['2027-08-31', 6, '2028-02-29'],
    ['2026-12-01', 1, '2027-01-01'],
    ['2026-03-31', 1, '2026-04-30'],
    ['2026-01-31', 12, '2027-01-31'],
  ])('%s plus %i calendar months is %s', (date, months, expected) => {
    expect(addMonths(date, months)).toBe(expected);
  });

  it.each([
    ['2026-12-31', 1, '2027-01-01'],
    ['2028-02-28', 1, '2028-02-29'],
    ['2026-03-01', -1, '2026-02-28'],
  ])('%s plus %i days is %s', (date, days, expected) => {
    expect(addDays(date, days)).toBe(expected);
  });

  it('counts whole days across a daylight-saving change', () => {
    expect(daysBetween('2027-03-27', '2027-03-29')).toBe(2);
    expect(daysBetween('2027-03-29', '2027-03-27')).toBe(-2);
  });

  it.each([
    ['2026-02-29', false],
    ['2028-02-29', true],
    ['2026-13-01', false],
    ['2026-1-01', false],
    ['2026-04-31', false],
  ])('%s is a calendar date: %s', (value, expected) => {
    expect(isIsoDate(value)).toBe(expected);
  });

  it.each([
    ['2027-01-01', '2026-12-31T23:00:00Z'],
    ['2027-07-01', '2027-06-30T22:00:00Z'],
    ['2027-03-28', '2027-03-27T23:00:00Z'], // spring forward happens at 02:00, after midnight
    ['2027-03-29', '2027-03-28T22:00:00Z'],
    ['2027-10-31', '2027-10-30T22:00:00Z'], // fall back happens at 03:00, after midnight
    ['2027-11-01', '2027-10-31T23:00:00Z'],
  ])('midnight in Copenhagen on %s is %s', (date, instant) => {
    expect(startOfDanishDay(date)).toBe(instant);
  });

  it('tells the Danish date of an instant late in the UTC evening', () => {
    expect(danishDate(new Date('2026-06-30T22:30:00Z'))).toBe('2026-07-01');
    expect(danishDate(new Date('2026-12-31T22:59:59Z'))).toBe('2026-12-31');
  });
});

describe('sameDanishTimeDaysLater', () => {
  it.each([
    // 23:30 in Copenhagen in winter (22:30 UTC) to summer: 21:30 UTC is 23:30 CEST, still the 183rd day.
    ['2026-12-02T22:30:00Z', 183, '2027-06-03T21:30:00.000Z'],
    // Back from summer to winter: 23:30 CEST → 23:30 CET, an hour later in UTC.
    ['2027-06-03T21:30:00Z', 183, '2027-12-03T22:30:00.000Z'],
    // 00:30 on a winter day to a summer day: 00:30 CEST.
    ['2026-12-02T23:30:00Z', 183, '2027-06-03T22:30:00.000Z'],
    ['2026-12-02T10:00:00Z', 0, '2026-12-02T10:00:00.000Z'],
  ])('%s + %i days is %s', (from, days, expected) => {
    // Act
    const later = sameDanishTimeDaysLater(new Date(from), days);
    // Assess
    expect(later.toISOString()).toBe(expected);
    expect(danishDate(later)).toBe(addDays(danishDate(new Date(from)), days));
  });

  it('keeps to the target day when it is 23 hours long (spring forward)', () => {
    // 23:30 on Saturday 2027-03-27 (CET, 22:30 UTC); Sunday 2027-03-28 has 23 hours, so 23:30 exists (21:30 UTC).
    const later = sameDanishTimeDaysLater(new Date('2027-03-27T22:30:00Z'), 1);
    expect(danishDate(later)).toBe('2027-03-28');
  });
});
