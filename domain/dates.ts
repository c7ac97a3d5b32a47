/**
 * Calendar dates are ISO strings (YYYY-MM-DD) in Danish local time; instants are UTC ISO timestamps.
 * Phase boundaries fall at midnight in Copenhagen, whatever the daylight-saving offset is that day.
 */
export type IsoDate = string;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isIsoDate(value: string): boolean {
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

function parts(date: IsoDate): [number, number, number] {
  if (!isIsoDate(date)) throw new RangeError(`Not a calendar date: ${date}`);
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return [y, m, d];
}

function format(y: number, m: number, d: number): IsoDate {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** Adds calendar months; a day that does not exist in the target month falls on its last day (31 Aug + 6 → 28/29 Feb). */
export function addMonths(date: IsoDate, months: number): IsoDate {
  const [y, m, d] = parts(date);
  const index = y * 12 + (m - 1) + months;
  const ty = Math.floor(index / 12);
  const tm = (index % 12) + 1;
  const lastDay = new Date(Date.UTC(ty, tm, 0)).getUTCDate();
  return format(ty, tm, Math.min(d, lastDay));
}

export function addDays(date: IsoDate, days: number): IsoDate {
  const [y, m, d] = parts(date);
  const t = new Date(Date.UTC(y, m - 1, d + days));
  return format(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}

/** Whole days from `a` to `b` (negative when b is earlier). */
export function daysBetween(a: IsoDate, b: IsoDate): number {
  const [ay, am, ad] = parts(a);
  const [by, bm, bd] = parts(b);
  return Math.round((Date.UTC(by, bm - 1, bd) - Date.UTC(ay, am - 1, ad)) / 86_400_000);
}

// The formatters are made on first use, not at import: each costs milliseconds to build (time zone data), and
// a Lambda cold start should not pay for them before it needs a date (docs/BENCHMARKS.md, B1).
let copenhagenDate: Intl.DateTimeFormat | undefined;
let copenhagenOffset: Intl.DateTimeFormat | undefined;

/** The calendar date in Denmark at a given instant. */
export function danishDate(instant: Date): IsoDate {
  copenhagenDate ??= new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/Copenhagen',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  });
  return copenhagenDate.format(instant);
}

function offsetMinutesAt(instant: Date): number {
  copenhagenOffset ??= new Intl.DateTimeFormat('en-US', {
    timeZone: 'Europe/Copenhagen',
    timeZoneName: 'longOffset',
  });
  const label = copenhagenOffset.formatToParts(instant).find((p) => p.type === 'timeZoneName')?.value ?? '';
  const offset = /GMT([+-])(\d{2}):(\d{2})/.exec(label);
  return offset ? (offset[1] === '-' ? -1 : 1) * (Number(offset[2]) * 60 + Number(offset[3])) : 0;
}

/** The UTC instant of midnight in Copenhagen at the start of `date`, as an RFC 3339 timestamp without fractions. */
export function startOfDanishDay(date: IsoDate): string {
  const [y, m, d] = parts(date);
  const utcMidnight = Date.UTC(y, m - 1, d);
  // Denmark is UTC+1 or UTC+2; midnight is the candidate whose own offset agrees with itself. (The switches
  // happen at 02:00/03:00 local, so midnight itself is never ambiguous.)
  for (const minutes of [60, 120]) {
    const candidate = new Date(utcMidnight - minutes * 60_000);
    if (offsetMinutesAt(candidate) === minutes) return candidate.toISOString().replace('.000Z', 'Z');
  }
  throw new RangeError(`No Copenhagen midnight found for ${date}`);
}

/**
 * `days` calendar days after `now` in Copenhagen, at the same wall-clock time (the local clock's "fast-forward N
 * days"). Whole 24-hour steps drift an hour across daylight saving time, so a jump begun within an hour of
 * midnight would land on the wrong Danish day. A 23-hour day (spring forward) cannot hold the last hour of a
 * longer one: the result then stays on the target day's last millisecond.
 */
export function sameDanishTimeDaysLater(now: Date, days: number): Date {
  const today = danishDate(now);
  const intoDay = now.getTime() - Date.parse(startOfDanishDay(today));
  const day = addDays(today, days);
  const lastMoment = Date.parse(startOfDanishDay(addDays(day, 1))) - 1;
  return new Date(Math.min(Date.parse(startOfDanishDay(day)) + intoDay, lastMoment));
}

/** 2027-07-04 → "04-07-2027", the day as the pages and messages write it; no date → "–". */
export function danishDay(iso: IsoDate | null): string {
  return iso ? iso.split('-').reverse().join('-') : '–';
}
