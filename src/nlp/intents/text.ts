/**
 * Text clean-up shared by the classifier and the slot extractors. Speech recognisers hand us
 * lowercase-ish transcripts with spelled-out numbers and odd apostrophes; every extractor works
 * on the same cleaned string so their character spans line up.
 */

const CONTRACTIONS: ReadonlyArray<readonly [RegExp, string]> = [
  [/\bcan't\b/g, 'can not'],
  [/\bwon't\b/g, 'will not'],
  [/\b(\w+)n't\b/g, '$1 not'],
  [/\blet's\b/g, 'let us'],
  [/\b(what|who|that|it|how|where|there|here|he|she)'s\b/g, '$1 is'],
  [/\b(i)'m\b/g, '$1 am'],
  [/\b(\w+)'re\b/g, '$1 are'],
  [/\b(\w+)'ll\b/g, '$1 will'],
  [/\b(\w+)'ve\b/g, '$1 have'],
  [/\b(\w+)'d\b/g, '$1 would'],
];

const UNITS: Readonly<Record<string, number>> = {
  zero: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17,
  eighteen: 18, nineteen: 19,
}; // prettier-ignore

const TENS: Readonly<Record<string, number>> = {
  twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90,
}; // prettier-ignore

const SCALES: Readonly<Record<string, number>> = { hundred: 100, thousand: 1000 };

// "this one", "the last one" are pronouns, not the number 1.
const ONE_AS_PRONOUN = new Set(['this', 'that', 'the', 'which', 'every', 'each', 'no', 'any', 'some', 'last', 'next']);

function isNumberWord(word: string): boolean {
  return word in UNITS || word in TENS || word in SCALES;
}

/** Parses a run of number words ("twenty five", "a hundred", "three point five"); undefined if it is not one. */
export function parseNumberWords(words: readonly string[]): number | undefined {
  if (words.length === 0) return undefined;
  const point = words.indexOf('point');
  if (point > 0) {
    const whole = parseNumberWords(words.slice(0, point));
    const digits = words.slice(point + 1).map((w) => UNITS[w]);
    if (whole === undefined || digits.length === 0 || digits.some((d) => d === undefined || d > 9)) return undefined;
    return Number(`${whole}.${digits.join('')}`);
  }
  let total = 0;
  let current = 0;
  for (const [i, word] of words.entries()) {
    const unit = UNITS[word] ?? (word === 'a' && i === 0 ? 1 : undefined);
    const tens = TENS[word];
    const scale = SCALES[word];
    if (unit !== undefined) current += unit;
    else if (tens !== undefined) current += tens;
    else if (scale !== undefined) {
      current = (current || 1) * scale;
      if (scale >= 1000) [total, current] = [total + current, 0];
    } else return undefined;
  }
  return total + current;
}

// Which number word may continue a run: "twenty five", "two hundred", "three point five".
function canFollow(previous: string, next: string): boolean {
  if (next in SCALES) return previous in UNITS || previous in TENS || previous === 'a';
  if (previous in SCALES) return next in UNITS || next in TENS;
  if (previous in TENS) return (UNITS[next] ?? 0) > 0;
  if (next === 'point') return previous in UNITS || previous in TENS;
  return previous === 'point' && next in UNITS;
}

/**
 * Spelled-out numbers become digits so one set of patterns covers "five bucks" and "5 bucks".
 * A lone "a"/"an" stays a word: only the extractors know when "a dollar" means one.
 */
export function digitiseNumbers(text: string): string {
  const words = text.split(' ');
  const out: string[] = [];
  let i = 0;
  while (i < words.length) {
    const word = words[i] ?? '';
    const previous = out[out.length - 1] ?? '';
    const startsNumber = isNumberWord(word) && !(word === 'one' && ONE_AS_PRONOUN.has(previous));
    const startsScaledA = word === 'a' && SCALES[words[i + 1] ?? ''] !== undefined;
    if (!startsNumber && !startsScaledA) {
      out.push(word);
      i += 1;
      continue;
    }
    let end = i + 1;
    while (end < words.length && canFollow(words[end - 1] ?? '', words[end] ?? '')) end += 1;
    const run = words.slice(i, end);
    if (run[run.length - 1] === 'point') run.pop();
    const value = parseNumberWords(run);
    out.push(value === undefined ? word : String(value));
    i += value === undefined ? 1 : run.length;
  }
  return out.join(' ');
}

/**
 * Lowercases, unifies apostrophes, expands contractions, turns number words into digits and
 * drops punctuation that carries no meaning for commands (keeping @ _ $ € £ : . ' - inside tokens, dots of handles too).
 */
export function cleanText(raw: string): string {
  const known = cleaned.get(raw);
  if (known !== undefined) return known;
  const text = clean(raw);
  // Every extractor cleans the same utterance again; a bounded memo of recent texts keeps that to one pass.
  if (cleaned.size >= CLEANED_MEMO) cleaned.clear();
  cleaned.set(raw, text);
  return text;
}

const CLEANED_MEMO = 2000;
const cleaned = new Map<string, string>();

function clean(raw: string): string {
  let text = raw
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc`´]/g, "'");
  for (const [pattern, replacement] of CONTRACTIONS) text = text.replace(pattern, replacement);
  text = text
    .replace(/[^\p{L}\p{N}@_$€£:.'\-\s]/gu, ' ')
    // A dot between two word characters is part of a handle ("@mia.music", "john.smith"), kept whole so it is
    // never read as the shorter handle before it; other dots and colons (outside "8:30", "2.5") end a sentence.
    .replace(/(?<![\p{L}\p{N}_])\.|\.(?![\p{L}\p{N}_])|(?<!\d):|:(?!\d)/gu, ' ')
    .replace(/(?<![\p{L}\p{N}])['-]|['-](?![\p{L}\p{N}])/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return digitiseNumbers(text);
}

/** A piece of the cleaned text that an extractor recognised. */
export interface Span<T> {
  value: T;
  start: number;
  end: number;
}

/** Replaces spans (non-overlapping) with fixed tokens, right to left so earlier offsets stay valid. */
export function replaceSpans(
  text: string,
  spans: ReadonlyArray<{ start: number; end: number; token: string }>,
): string {
  const ordered = [...spans].sort((a, b) => b.start - a.start);
  let out = text;
  let limit = Number.POSITIVE_INFINITY;
  for (const span of ordered) {
    if (span.end > limit) continue;
    out = `${out.slice(0, span.start)} ${span.token} ${out.slice(span.end)}`;
    limit = span.start;
  }
  return out.replace(/\s+/g, ' ').trim();
}
