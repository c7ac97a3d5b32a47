/**
 * The one source of "now" for handlers. On AWS the offset is always zero. The local runtime moves it forward
 * so that a year of pathway passes in seconds; it is a clock, not a switch in business logic.
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
  /** Local runtime only: how far ahead of real time the clock is, kept across restarts of `npm start`. */
  offsetMs(): number {
    return offsetMs;
  },
  /** Tests only: put the clock back to real time. */
  reset(): void {
    offsetMs = 0;
  },
};
