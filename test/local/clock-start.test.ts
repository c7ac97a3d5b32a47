import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { danishDate } from '#domain/dates';
import { clock } from '#shared/clock';
import { openDataFolder } from '../../local/data-folder.ts';
import { danishStartOf, StartDateRefused, startLocalClock } from '../../local/runtime.ts';

/**
 * `npm start -- --fresh --date 2019-01-07`: the local clock begins at a past date, only on an empty system, and
 * a restart resumes it there. Without starting the system: the clock and the data folder are all it touches.
 */
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'vaekst-clock-'));
  clock.reset();
});

afterEach(() => {
  clock.reset();
  rmSync(dir, { recursive: true, force: true });
});

const DAY_MS = 86_400_000;

describe('danishStartOf', () => {
  it('is 09:00 in Copenhagen, in winter, in summer and on both daylight saving days', () => {
    // Act + Assess
    expect(danishStartOf('2019-01-07').toISOString()).toBe('2019-01-07T08:00:00.000Z');
    expect(danishStartOf('2019-07-01').toISOString()).toBe('2019-07-01T07:00:00.000Z');
    expect(danishStartOf('2019-03-31').toISOString()).toBe('2019-03-31T07:00:00.000Z');
    expect(danishStartOf('2019-10-27').toISOString()).toBe('2019-10-27T08:00:00.000Z');
    expect(() => danishStartOf('2019-02-29')).toThrow('Not a calendar date');
  });
});

describe('startLocalClock', () => {
  it('begins an empty system at a past date, and a restart of the folder resumes it there', () => {
    // Prepare
    const first = openDataFolder(dir);

    // Act
    startLocalClock(first, '2019-01-07');
    const begun = clock.now().getTime();
    first.close();
    clock.reset();
    const second = openDataFolder(dir);
    startLocalClock(second);

    // Assess: 09:00 Copenhagen on the date, about seven years behind real time, and the same clock after the
    // restart (real time has moved on a little, so has it).
    expect(begun - Date.parse('2019-01-07T08:00:00.000Z')).toBeLessThan(5_000);
    expect(begun).toBeGreaterThanOrEqual(Date.parse('2019-01-07T08:00:00.000Z'));
    expect(clock.offsetMs()).toBeLessThan(-7 * 365 * DAY_MS + 30 * DAY_MS);
    expect(second.empty).toBe(false);
    expect(clock.now().getTime()).toBeGreaterThanOrEqual(begun);
    expect(clock.now().getTime() - begun).toBeLessThan(5_000);
    expect(danishDate(clock.now())).toBe('2019-01-07');
    second.close();
  });

  it('keeps the negative offset the folder saved, and never resumes behind the local time it saved', () => {
    // Prepare: a clock saved in 2019, then found with the wall clock a day behind its save.
    const first = openDataFolder(dir);
    first.clock.save(Date.parse('2019-01-07T08:00:00.000Z') - Date.now());
    first.close();
    const saved = JSON.parse(readFileSync(path.join(dir, 'clock.json'), 'utf8')) as {
      offsetMs: number;
      localNow: number;
    };
    writeFileSync(
      path.join(dir, 'clock.json'),
      JSON.stringify({ offsetMs: saved.offsetMs - DAY_MS, localNow: saved.localNow }),
    );

    // Act
    const second = openDataFolder(dir);

    // Assess
    expect(second.clock.offsetMs()).toBeLessThan(0);
    expect(Date.now() + second.clock.offsetMs()).toBeGreaterThanOrEqual(saved.localNow);
    second.close();
  });

  it('refuses a date before the clock of the data a folder holds, and leaves the folder as it was', () => {
    // Prepare: a run at real time left data and its clock.
    const first = openDataFolder(dir);
    startLocalClock(first);
    first.close();
    const savedClock = readFileSync(path.join(dir, 'clock.json'), 'utf8');
    clock.reset();
    const second = openDataFolder(dir);

    // Act
    let refused: unknown;
    try {
      startLocalClock(second, '2019-01-07');
    } catch (error) {
      refused = error;
    }

    // Assess
    expect(refused).toBeInstanceOf(StartDateRefused);
    expect(refused).toMatchObject({ startDate: '2019-01-07', savedDate: danishDate(new Date()) });
    expect(readFileSync(path.join(dir, 'clock.json'), 'utf8')).toBe(savedClock);
    second.close();
  });

  it('refuses a past date on a folder that holds data but never saved a clock (it ran at real time)', () => {
    // Prepare: an earlier run's database file, no clock.json.
    mkdirSync(path.join(dir, 'dynamodb'), { recursive: true });
    writeFileSync(path.join(dir, 'dynamodb', 'shared-local-instance.db'), 'data');
    const data = openDataFolder(dir);

    // Act + Assess
    expect(data.empty).toBe(false);
    expect(() => startLocalClock(data, '2019-01-07')).toThrow(StartDateRefused);
    expect(existsSync(path.join(dir, 'clock.json'))).toBe(false);
    data.close();
  });

  it('moves a saved clock on to a later date, and begins anew on a folder emptied with fresh', () => {
    // Prepare: a folder begun on 2019-01-07.
    const first = openDataFolder(dir);
    startLocalClock(first, '2019-01-07');
    first.close();
    clock.reset();

    // Act
    const second = openDataFolder(dir);
    startLocalClock(second, '2019-10-07');
    const movedOn = danishDate(clock.now());
    second.close();
    clock.reset();
    const third = openDataFolder(dir, { fresh: true });
    startLocalClock(third, '2019-01-07');

    // Assess
    expect(movedOn).toBe('2019-10-07');
    expect(third.empty).toBe(true);
    expect(danishDate(clock.now())).toBe('2019-01-07');
    third.close();
  });

  it('begins an in-memory system at the date, and leaves the clock alone without one', () => {
    // Prepare
    clock.advance(DAY_MS);

    // Act
    startLocalClock(undefined);
    const untouched = clock.offsetMs();
    startLocalClock(undefined, '2019-01-07');

    // Assess
    expect(untouched).toBe(DAY_MS);
    expect(danishDate(clock.now())).toBe('2019-01-07');
  });
});
