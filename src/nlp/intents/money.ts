import type { Span } from './text.js';

/**
 * Amounts as people say them to a phone: "5 bucks", "$2", "two dollars", "3.50 eur", "fifty cents",
 * "a couple bucks", "five quid", "£3". Works on cleaned text (number words already digits).
 */

export interface Money {
  /** Decimal amount in major units, e.g. 3.5 */
  value: number;
  /** The same amount in minor units (cents, pence), what a payment step should carry. */
  minor: number;
  /** ISO 4217 code; absent when the speaker gave only a number ("tip her 5"), so the wallet's currency applies. */
  currency?: string;
}

const SYMBOLS: Readonly<Record<string, string>> = { $: 'USD', '€': 'EUR', '£': 'GBP' };
const WORDS: ReadonlyArray<readonly [RegExp, string]> = [
  [/^(?:dollars?|bucks?|usd|us dollars?)$/, 'USD'],
  [/^(?:euros?|eur)$/, 'EUR'],
  [/^(?:pounds?|quid|gbp)$/, 'GBP'],
  [/^(?:cad|canadian dollars?)$/, 'CAD'],
  [/^(?:aud|australian dollars?)$/, 'AUD'],
];
const MINOR_OF: Readonly<Record<string, string>> = { cents: 'USD', cent: 'USD', pence: 'GBP', p: 'GBP' };

const NUMBER = '(\\d+(?:\\.\\d{1,2})?|an?|a couple(?: of)?|a few)';
const CURRENCY_WORD =
  '(canadian dollars?|australian dollars?|us dollars?|dollars?|bucks?|usd|euros?|eur|pounds?|quid|gbp|cad|aud)';
const PATTERNS: ReadonlyArray<RegExp> = [
  // "5 dollars and 50 cents"
  new RegExp(`\\b${NUMBER} ${CURRENCY_WORD}(?: and)? (\\d{1,2}) (?:cents?|pence|p)\\b`),
  // "$2", "€ 3.50"
  /([$€£]) ?(\d+(?:\.\d{1,2})?)\b/,
  // "5 bucks", "3.50 eur", "a 10 dollar tip", "a couple bucks"
  new RegExp(`\\b${NUMBER} ?${CURRENCY_WORD}\\b`),
  // "50 cents", "80p"
  /\b(\d{1,3}) ?(cents?|pence|p)\b(?! ?m\b)/,
];

function quantity(text: string): number {
  if (/^an?$/.test(text)) return 1;
  if (text.startsWith('a couple')) return 2;
  if (text === 'a few') return 3;
  return Number(text);
}

function currencyOf(word: string): string | undefined {
  return WORDS.find(([pattern]) => pattern.test(word))?.[1];
}

function money(value: number, currency: string | undefined): Money {
  const rounded = Math.round(value * 100) / 100;
  return currency
    ? { value: rounded, minor: Math.round(rounded * 100), currency }
    : { value: rounded, minor: Math.round(rounded * 100) };
}

function fromMatch(match: RegExpExecArray, index: number): Money | undefined {
  const [, a = '', b = '', c = ''] = match;
  switch (index) {
    case 0:
      return money(quantity(a) + Number(c) / 100, currencyOf(b));
    case 1:
      return money(Number(b), SYMBOLS[a]);
    case 2:
      return money(quantity(a), currencyOf(b));
    default:
      return money(Number(a) / 100, MINOR_OF[b]);
  }
}

/** The first spoken amount of money, with its position in the cleaned text. */
export function findMoney(text: string): Span<Money> | undefined {
  for (const [index, pattern] of PATTERNS.entries()) {
    const match = pattern.exec(text);
    if (!match) continue;
    const value = fromMatch(match, index);
    if (value && value.value > 0) return { value, start: match.index, end: match.index + match[0].length };
  }
  return undefined;
}

/**
 * A bare number after the recipient ("tip @alice 5", "tip her 5"): only meaningful for a tip,
 * so the caller decides when to look for it.
 */
export function findBareAmount(text: string): Span<Money> | undefined {
  const match =
    /\b(\d+(?:\.\d{1,2})?)\b(?! ?(?:am|pm|a m|p m|minutes?|mins?|hours?|hrs?|creators?|streamers?|people)\b)/.exec(
      text,
    );
  if (!match) return undefined;
  return { value: money(Number(match[1]), undefined), start: match.index, end: match.index + match[0].length };
}
