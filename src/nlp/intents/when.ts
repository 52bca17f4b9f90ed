import { addDays, localAt, zonedToUtc, type LocalDate } from './zoned.js';

/**
 * Resolves spoken date/time phrases ("tomorrow at 8pm", "tonight at 9", "in 2 hours",
 * "friday 18:30", "june 5 at 7pm") in the user's zone to a UTC instant.
 *
 * Choices a listener would make, documented because they are guesses:
 * - a bare hour without am/pm ("at 8") means the evening (20:00): shows and streams are evening
 *   things, and "tomorrow at 8" for a morning show is rarer than for prime time; 12 means noon;
 * - a time with no day is today if still ahead, else tomorrow;
 * - a weekday is its next occurrence, today included while the time is still ahead; "next friday"
 *   never means today;
 * - a day part alone picks a typical hour (morning 09:00, afternoon 15:00, evening 19:00,
 *   tonight 20:00, night 21:00) and says so with precision 'part_of_day';
 * - a day alone resolves to its local midnight with precision 'day'.
 */

export interface WhenSlot {
  iso: string;
  precision: 'minute' | 'part_of_day' | 'day';
}

export interface ClockContext {
  timezone: string;
  nowMs: number;
}

interface Found {
  value: WhenSlot;
  spans: Array<{ start: number; end: number }>;
}

type DayPart = 'morning' | 'afternoon' | 'evening' | 'night' | 'tonight';

const PART_HOURS: Readonly<Record<DayPart, number>> = {
  morning: 9,
  afternoon: 15,
  evening: 19,
  tonight: 20,
  night: 21,
};
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH =
  '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)';
const PART = '(?: (morning|afternoon|evening|night))?';
const UNIT_MS: Readonly<Record<string, number>> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

const RELATIVE =
  /\bin (\d+(?:\.\d+)?|an?|half an?) (min(?:ute)?s?|h(?:ou)?rs?|hours?|days?|weeks?)( and a half)?\b|\b(\d+(?:\.\d+)?|an?) (min(?:ute)?s?|h(?:ou)?rs?|hours?|days?|weeks?) from now\b/;
const DAY_PATTERNS: ReadonlyArray<RegExp> = [
  /\b(?:the )?day after tomorrow\b/,
  new RegExp(`\\b(?:on )?(?:(this|next|coming) )?(${WEEKDAYS.join('|')})(?:'s)?${PART}\\b`),
  new RegExp(`\\b(?:on )?${MONTH} (\\d{1,2})(?:st|nd|rd|th)?\\b`),
  new RegExp(`\\b(?:on )?(?:the )?(\\d{1,2})(?:st|nd|rd|th)? of ${MONTH}\\b`),
  /\b(?:on )?(\d{4})-(\d{2})-(\d{2})\b/,
  new RegExp(`\\b(today|tomorrow|tonight)(?:'s)?${PART}\\b`),
  /\bthis (morning|afternoon|evening)\b/,
];
const TIME_PATTERNS: ReadonlyArray<RegExp> = [
  /\b(?:at |by |around )?(\d{1,2})(?:[: ](\d{2}))? ?(am|pm|a m|p m)\b/,
  /\b(?:at |by |around )?(\d{1,2}):(\d{2})\b/,
  /\b(?:at |by |around )(\d{1,2})(?: (\d{2}))?(?: o'clock)?\b/,
  /\b(\d{1,2}) o'clock\b/,
  /\b(?:at |by |around )?(noon|midday|midnight)\b/,
];
const PART_ALONE = /\bin the (morning|afternoon|evening)\b|\bat night\b/;

interface DayChoice {
  date?: LocalDate;
  weekday?: number;
  next?: boolean;
  part?: DayPart;
}

interface ClockTime {
  hour: number;
  minute: number;
  meridiem?: 'am' | 'pm';
  twentyFourHour: boolean;
}

function monthIndex(name: string): number {
  return MONTHS.indexOf(name.slice(0, 3));
}

function dayFrom(match: RegExpExecArray, index: number, today: LocalDate): DayChoice {
  const g = (i: number): string | undefined => match[i];
  switch (index) {
    case 0:
      return { date: addDays(today, 2) };
    case 1:
      return { weekday: WEEKDAYS.indexOf(g(2) ?? ''), next: g(1) === 'next', part: g(3) as DayPart | undefined };
    case 2:
    case 3: {
      const [monthName, dayText] = index === 2 ? [g(1), g(2)] : [g(2), g(1)];
      const date = { year: today.year, month: monthIndex(monthName ?? '') + 1, day: Number(dayText) };
      const passed = date.month < today.month || (date.month === today.month && date.day < today.day);
      return { date: passed ? { ...date, year: date.year + 1 } : date };
    }
    case 4:
      return { date: { year: Number(g(1)), month: Number(g(2)), day: Number(g(3)) } };
    case 5: {
      const word = g(1);
      const part = (word === 'tonight' ? 'tonight' : g(2)) as DayPart | undefined;
      return { date: addDays(today, word === 'tomorrow' ? 1 : 0), part };
    }
    default:
      return { date: today, part: g(1) as DayPart };
  }
}

function timeFrom(match: RegExpExecArray, index: number): ClockTime {
  const word = match[1] ?? '';
  if (index === 4) return { hour: word === 'midnight' ? 0 : 12, minute: 0, twentyFourHour: true };
  const hour = Number(word);
  const minute = Number(match[2] ?? 0);
  const meridiem = index === 0 ? ((match[3] ?? '').startsWith('a') ? 'am' : 'pm') : undefined;
  const twentyFourHour = index === 1 && (hour === 0 || hour > 12 || word.startsWith('0'));
  return { hour, minute, meridiem, twentyFourHour };
}

function isRealTime(time: ClockTime): boolean {
  const maxHour = time.twentyFourHour ? 23 : 12;
  return time.minute <= 59 && time.hour <= maxHour && (time.twentyFourHour || time.hour >= 1);
}

function isRealDay(day: DayChoice): boolean {
  if (!day.date) return true;
  const { year, month, day: dayOfMonth } = day.date;
  return new Date(Date.UTC(year, month - 1, dayOfMonth)).getUTCDate() === dayOfMonth && month >= 1 && month <= 12;
}

function hour24(time: ClockTime, part: DayPart | undefined): number {
  if (time.twentyFourHour) return time.hour;
  if (time.meridiem) return (time.hour % 12) + (time.meridiem === 'pm' ? 12 : 0);
  if (part === 'morning') return time.hour % 12;
  // "tonight at 12" is the midnight that ends tonight; Date.UTC rolls hour 24 into the next day.
  if (time.hour === 12) return part === 'night' || part === 'tonight' ? 24 : 12;
  return time.hour + 12;
}

function firstMatch(
  text: string,
  patterns: ReadonlyArray<RegExp>,
): { match: RegExpExecArray; index: number } | undefined {
  let best: { match: RegExpExecArray; index: number } | undefined;
  patterns.forEach((pattern, index) => {
    const match = pattern.exec(text);
    if (match && (!best || match[0].length > best.match[0].length)) best = { match, index };
  });
  return best;
}

function spanOf(match: RegExpExecArray): { start: number; end: number } {
  return { start: match.index, end: match.index + match[0].length };
}

function findRelative(text: string, nowMs: number): Found | undefined {
  const match = RELATIVE.exec(text);
  if (!match) return undefined;
  const amountText = match[1] ?? match[4] ?? '';
  const unit = (match[2] ?? match[5] ?? '').startsWith('mi') ? 'm' : (match[2] ?? match[5] ?? 'h').charAt(0);
  const amount = amountText.startsWith('half') ? 0.5 : /^an?$/.test(amountText) ? 1 : Number(amountText);
  const total = (amount + (match[3] ? 0.5 : 0)) * (UNIT_MS[unit] ?? UNIT_MS.h ?? 0);
  return { value: { iso: new Date(nowMs + total).toISOString(), precision: 'minute' }, spans: [spanOf(match)] };
}

/** Finds and resolves the first date/time phrase in cleaned text; undefined when there is none. */
export function findWhen(text: string, ctx: ClockContext): Found | undefined {
  const relative = findRelative(text, ctx.nowMs);
  if (relative) return relative;
  const now = localAt(ctx.nowMs, ctx.timezone);
  const dayFound = firstMatch(text, DAY_PATTERNS);
  const timeFound = firstMatch(text, TIME_PATTERNS);
  const parsedDay = dayFound ? dayFrom(dayFound.match, dayFound.index, now) : undefined;
  const parsedTime = timeFound ? timeFrom(timeFound.match, timeFound.index) : undefined;
  // "at 45" or "february 30" are not times: leave them to the other extractors.
  const dayMatch = parsedDay && isRealDay(parsedDay) ? dayFound : undefined;
  const timeMatch = parsedTime && isRealTime(parsedTime) ? timeFound : undefined;
  const partMatch = PART_ALONE.exec(text);
  if (!dayMatch && !timeMatch) return undefined;
  const day: DayChoice = (dayMatch && parsedDay) || {};
  const part = day.part ?? (partMatch ? ((partMatch[1] ?? 'night') as DayPart) : undefined);
  const spans = [dayMatch, timeMatch].filter((m) => m !== undefined).map((m) => spanOf(m.match));
  if (partMatch && !day.part) spans.push(spanOf(partMatch));

  const time = timeMatch ? parsedTime : undefined;
  const hour = time ? hour24(time, part) : part ? PART_HOURS[part] : 0;
  const minute = time?.minute ?? 0;
  const precision: WhenSlot['precision'] = time ? 'minute' : part ? 'part_of_day' : 'day';
  const instantOn = (date: LocalDate): number => zonedToUtc(date, hour, minute, ctx.timezone);

  let date = day.date ?? now;
  if (day.weekday !== undefined) {
    let ahead = (day.weekday - now.weekday + 7) % 7;
    if (ahead === 0 && (day.next || (precision !== 'day' && instantOn(now) <= ctx.nowMs))) ahead = 7;
    date = addDays(now, ahead);
  } else if (!day.date && instantOn(now) <= ctx.nowMs) {
    date = addDays(now, 1);
  }
  return { value: { iso: new Date(instantOn(date)).toISOString(), precision }, spans };
}
