import { findHandles, findPossessiveNames } from './handles.js';
import { findMoney, type Money } from './money.js';
import type { Span } from './text.js';
import { findWhen, type ClockContext, type WhenSlot } from './when.js';

/**
 * Finds the structured bits of a cleaned utterance in a fixed order (times before durations so
 * "in 2 hours" is not read as a length; durations and times before money and counts so "at 8"
 * is not eight of anything) and masks each one so later extractors cannot claim it again.
 * The classifier replaces the same spans with placeholder tokens, so it learns "tip @handle
 * <amount>" rather than names and numbers.
 */

export interface Placeholder {
  start: number;
  end: number;
  token: '@handle' | '<time>' | '<duration>' | '<amount>' | '<number>';
}

export interface Entities {
  /** The cleaned text with every entity blanked out (same length, so offsets still match). */
  masked: string;
  handles: Array<Span<string>>;
  possessives: Array<Span<string>>;
  when?: WhenSlot;
  durationMinutes?: number;
  money?: Money;
  count?: number;
  placeholders: Placeholder[];
}

const DURATION =
  /\b(?:for )?(?:about |around )?(\d+(?:\.\d+)?|an?|half an?) ?-?(h(?:ou)?rs?|hours?|min(?:ute)?s?)( and a half)?(?: long)?\b/;
const COUNT =
  /\b(?:top|first|best) (\d{1,3})\b|\b(\d{1,3}) (?:[a-z]+ ){0,2}(?:creators|streamers|channels|accounts|videos|clips|results|people|shows|vlogs)\b/;
const NUMBER = /\b\d+(?:\.\d+)?\b/g;

function blank(text: string, start: number, end: number): string {
  return text.slice(0, start) + ' '.repeat(end - start) + text.slice(end);
}

function durationFrom(match: RegExpExecArray): number {
  const amountText = match[1] ?? '';
  const amount = amountText.startsWith('half') ? 0.5 : /^an?$/.test(amountText) ? 1 : Number(amountText);
  const minutes = (match[2] ?? '').startsWith('m') ? amount : amount * 60;
  return Math.round(minutes + (match[3] ? ((match[2] ?? '').startsWith('m') ? 0.5 : 30) : 0));
}

export function locateEntities(text: string, clock: ClockContext): Entities {
  let masked = text;
  const placeholders: Placeholder[] = [];
  const take = (start: number, end: number, token: Placeholder['token']): void => {
    masked = blank(masked, start, end);
    placeholders.push({ start, end, token });
  };

  const handles = findHandles(masked);
  handles.forEach((h) => take(h.start, h.end, '@handle'));
  const possessives = findPossessiveNames(masked);
  possessives.forEach((p) => take(p.start, p.end, '@handle'));

  const when = findWhen(masked, clock);
  when?.spans.forEach((s) => take(s.start, s.end, '<time>'));

  const duration = DURATION.exec(masked);
  const durationMinutes = duration ? durationFrom(duration) : undefined;
  if (duration) take(duration.index, duration.index + duration[0].length, '<duration>');

  const money = findMoney(masked);
  if (money) take(money.start, money.end, '<amount>');

  const count = COUNT.exec(masked);
  const countValue = count ? Number(count[1] ?? count[2]) : undefined;
  if (count) {
    const digits = count[1] ?? count[2] ?? '';
    const start = count.index + count[0].indexOf(digits);
    take(start, start + digits.length, '<number>');
  }
  for (const m of masked.matchAll(NUMBER))
    placeholders.push({ start: m.index, end: m.index + m[0].length, token: '<number>' });

  return {
    masked,
    handles,
    possessives,
    ...(when && { when: when.value }),
    ...(durationMinutes !== undefined && { durationMinutes }),
    ...(money && { money: money.value }),
    ...(countValue !== undefined && { count: countValue }),
    placeholders,
  };
}
