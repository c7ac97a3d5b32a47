/**
 * The one source of "now" for handlers. On AWS the offset is always zero. The local runtime moves it forward
 * so that a year of pathway passes in seconds, and may begin it at a past date (a 2019 cohort); it is a clock,
 * not a switch in business logic.
 */
let offsetMs = 0;

export const clock = {
  now(): Date {
    return new Date(Date.now() + offsetMs);
  },
  /** Local runtime and tests only: move "now" forward by `ms` milliseconds. */
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('The clock only moves forward');
    offsetMs += ms;
  },
  /**
   * Local runtime only, before the system holds anything: "now" is `instant` and runs on from there at real
   * speed. The offset may be negative (a clock begun in 2019). Setting a clock back under stored data would
   * date new records before old ones, so the runtime calls this only on an empty system, or to resume the clock
   * its data folder saved.
   */
  startAt(instant: Date): void {
    const ms = instant.getTime();
    if (!Number.isFinite(ms)) throw new RangeError('The clock cannot start at an invalid date');
    offsetMs = ms - Date.now();
  },
  /** Local runtime only: how far ahead of real time the clock is (behind, when negative), kept across restarts. */
  offsetMs(): number {
    return offsetMs;
  },
  /** Tests only: put the clock back to real time. */
  reset(): void {
    offsetMs = 0;
  },
};
