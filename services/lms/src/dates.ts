/**
 * Calendar dates in the installation's time zone (upstream's `sunbird_time_zone`): what "today" is,
 * where a batch day starts and ends as an instant, and Sunbird's timestamp text. Pure: the current
 * time and the zone are arguments.
 */

/** `yyyy-MM-dd`. */
export type CalendarDate = string;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

// Building an Intl.DateTimeFormat costs far more than formatting with one: one per zone, reused.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  const known = formatters.get(timeZone);
  if (known) return known;
  const made = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  formatters.set(timeZone, made);
  return made;
}

/** True when the runtime knows the IANA zone (e.g. `Asia/Kolkata`, `UTC`). */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** Wall-clock fields of an instant in a zone. */
function wallClock(instant: Date, timeZone: string): { y: number; m: number; d: number; h: number; min: number; s: number } {
  const parts = Object.fromEntries(formatter(timeZone).formatToParts(instant).map((p) => [p.type, p.value]));
  return { y: Number(parts.year), m: Number(parts.month), d: Number(parts.day), h: Number(parts.hour), min: Number(parts.minute), s: Number(parts.second) };
}

/** Minutes the zone is ahead of UTC at `instant` (e.g. 330 for Asia/Kolkata). */
export function offsetMinutes(instant: Date, timeZone: string): number {
  const w = wallClock(instant, timeZone);
  const asUtc = Date.UTC(w.y, w.m - 1, w.d, w.h, w.min, w.s);
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
}

/** The calendar date of `instant` in the zone. */
export function dateIn(instant: Date, timeZone: string): CalendarDate {
  const w = wallClock(instant, timeZone);
  return `${String(w.y).padStart(4, '0')}-${String(w.m).padStart(2, '0')}-${String(w.d).padStart(2, '0')}`;
}

/** The instant a wall-clock time of `date` happens in the zone (the zone's offset at that moment). */
function zonedInstant(date: CalendarDate, timeZone: string, h: number, min: number, s: number, ms: number): Date {
  const m = DATE.exec(date);
  if (!m) throw new Error(`not a yyyy-MM-dd date: ${date}`);
  const guess = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), h, min, s, ms);
  // Two passes settle the offset also on days when it changes (daylight saving).
  let offset = offsetMinutes(new Date(guess), timeZone);
  offset = offsetMinutes(new Date(guess - offset * 60_000), timeZone);
  return new Date(guess - offset * 60_000);
}

/** 00:00:00.000 of `date` in the zone (a batch's start). */
export function startOfDay(date: CalendarDate, timeZone: string): Date {
  return zonedInstant(date, timeZone, 0, 0, 0, 0);
}

/** 23:59:59.999 of `date` in the zone (a batch's end and enrolment end, as upstream stores them). */
export function endOfDay(date: CalendarDate, timeZone: string): Date {
  return zonedInstant(date, timeZone, 23, 59, 59, 999);
}

/** Sunbird's timestamp text in the zone: `2023-09-08 15:51:33:731+0530`. */
export function sunbirdTimestampIn(instant: Date, timeZone: string): string {
  const offset = offsetMinutes(instant, timeZone);
  const local = new Date(instant.getTime() + offset * 60_000);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return (
    `${pad(local.getUTCFullYear(), 4)}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())} ` +
    `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}:${pad(local.getUTCMilliseconds(), 3)}` +
    `${sign}${pad(Math.floor(abs / 60))}${pad(abs % 60)}`
  );
}
