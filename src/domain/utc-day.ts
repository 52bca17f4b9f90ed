// Calendar days are UTC 'YYYY-MM-DD' strings everywhere (snapshots, history, Mongo keys): they sort and
// compare as strings, serialise as-is into workflow state, and never depend on a server's time zone.

export const DAY_MS = 86_400_000;

const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** The UTC calendar day containing `ms`, e.g. 1_700_000_000_000 → '2023-11-14'. */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The first instant of the next UTC day: when the daily snapshot timer must fire. */
export function nextUtcMidnight(ms: number): number {
  return (Math.floor(ms / DAY_MS) + 1) * DAY_MS;
}

/** Epoch ms of 00:00 UTC on `day`; throws on a malformed day because that is a programming error. */
export function dayStartMs(day: string): number {
  const ms = Date.parse(`${day}T00:00:00.000Z`);
  if (!DAY_PATTERN.test(day) || Number.isNaN(ms)) throw new RangeError(`not a UTC day: ${day}`);
  return ms;
}

/** `day` shifted by `days` (may be negative). */
export function addDays(day: string, days: number): string {
  return utcDay(dayStartMs(day) + days * DAY_MS);
}
