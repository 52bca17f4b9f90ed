/**
 * Wall-clock arithmetic in an IANA time zone using only Intl (no tz database dependency).
 * "Tomorrow at 8pm" is a local calendar date and a local clock time; the offset that turns it
 * into UTC depends on that date, not on today's, which is why DST needs care here.
 */

export interface LocalDate {
  year: number;
  month: number; // 1-12
  day: number;
}

export interface LocalDateTime extends LocalDate {
  hour: number;
  minute: number;
  /** 0 = Sunday … 6 = Saturday */
  weekday: number;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    // Throws RangeError for an unknown zone: callers validate user input before it gets here.
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      weekday: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

// One recognition asks for the same instant's fields many times (every extractor, every chain piece), and
// formatToParts is the slow part of understanding a command: the last answer is kept.
let lastFields: { ms: number; timeZone: string; fields: Readonly<Record<string, string>> } | undefined;

function fieldsAt(ms: number, timeZone: string): Readonly<Record<string, string>> {
  if (lastFields?.ms === ms && lastFields.timeZone === timeZone) return lastFields.fields;
  const fields: Record<string, string> = {};
  for (const part of formatterFor(timeZone).formatToParts(ms)) fields[part.type] = part.value;
  lastFields = { ms, timeZone, fields };
  return fields;
}

/** The local calendar date and clock time at an instant. */
export function localAt(ms: number, timeZone: string): LocalDateTime {
  const f = fieldsAt(ms, timeZone);
  return {
    year: Number(f.year),
    month: Number(f.month),
    day: Number(f.day),
    hour: Number(f.hour),
    minute: Number(f.minute),
    weekday: WEEKDAYS.indexOf(f.weekday ?? ''),
  };
}

/** Offset of the zone from UTC at an instant, in ms (New York in winter: -5 h). */
export function offsetAt(ms: number, timeZone: string): number {
  const f = fieldsAt(ms, timeZone);
  const wall = Date.UTC(
    Number(f.year),
    Number(f.month) - 1,
    Number(f.day),
    Number(f.hour),
    Number(f.minute),
    Number(f.second),
  );
  return wall - Math.floor(ms / 1000) * 1000;
}

/** Calendar arithmetic on a local date, independent of any zone. */
export function addDays(date: LocalDate, days: number): LocalDate & { weekday: number } {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), weekday: d.getUTCDay() };
}

/**
 * The UTC instant of a local wall-clock time. When clocks jump forward the missing time is moved
 * forward by the gap (02:30 → 03:30), and when they fall back the earlier of the two instants
 * wins: the same choices as Temporal's "compatible" disambiguation.
 */
export function zonedToUtc(date: LocalDate, hour: number, minute: number, timeZone: string): number {
  const wall = Date.UTC(date.year, date.month - 1, date.day, hour, minute);
  const candidates = [offsetAt(wall, timeZone), offsetAt(wall - DAY_MS, timeZone), offsetAt(wall + DAY_MS, timeZone)]
    .map((offset) => wall - offset)
    .filter((utc) => utc + offsetAt(utc, timeZone) === wall);
  if (candidates.length > 0) return Math.min(...candidates);
  return wall - offsetAt(wall - DAY_MS, timeZone);
}
