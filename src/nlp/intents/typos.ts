// Deep import for the same reason as natural-adapter.ts: the root module loads storage backends at import time.
import { DamerauLevenshteinDistance } from 'natural/lib/natural/distance/index.js';
import { cleanText } from './text.js';

/**
 * Typo tolerance before classification: a word the utterance set never uses is replaced by the catalog word it is
 * one slip away from ("folow" → follow, "tipp" → tip, "blcok" → block, "cancle" → cancel). Typed and misheard
 * commands keep their verb, so they reach the classifier with the words it learned instead of falling to clarify.
 *
 * Names are open vocabulary and must survive: handles ("@mia") and anything with a digit are never touched, and a
 * short word is only corrected by a doubled, dropped or swapped letter, never by a changed one, so "tip mike 5
 * dollars" stays about mike (one letter from "like") while "tipp" still becomes "tip".
 */

export interface Correction {
  from: string;
  to: string;
}

/** Below this length a word is left alone: "lk", "tp" are too short to say which word was meant. */
const MIN_LENGTH = 3;
/** From this length one changed letter is a typo rather than another word ("stram" → stream). */
const SUBSTITUTION_FROM = 5;
/** From this length two slips are tolerated ("sceduel" → schedule). */
const TWO_SLIPS_FROM = 7;
/** A word must appear this often in the utterance set to be a correction target: one-off topic words are not. */
const MIN_FREQUENCY = 2;

type Vocabulary = ReadonlyMap<string, number>;

export function vocabularyOf(texts: readonly string[]): Vocabulary {
  const counts = new Map<string, number>();
  for (const text of texts) {
    for (const word of cleanText(text).split(' ')) {
      if (isCorrectable(word)) counts.set(word, (counts.get(word) ?? 0) + 1);
    }
  }
  return counts;
}

function isCorrectable(word: string): boolean {
  return word.length >= MIN_LENGTH && /^[a-z]+$/.test(word);
}

/** Same length, one pair of neighbours swapped. */
function isTransposition(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  const diff = [...a].flatMap((ch, i) => (ch === b[i] ? [] : [i]));
  const [i, j] = diff;
  return diff.length === 2 && i !== undefined && j === i + 1 && a[i] === b[j] && a[j] === b[i];
}

/** The edit distance a typo of `word` into `candidate` may have, given which kinds of slip are allowed for it. */
function isSlip(word: string, candidate: string): boolean {
  const lengthGap = Math.abs(word.length - candidate.length);
  const longest = Math.max(word.length, candidate.length);
  if (lengthGap > 2 || candidate[0] !== word[0]) return false;
  const distance = DamerauLevenshteinDistance(word, candidate, { restricted: true });
  if (distance === 1) return lengthGap === 1 || isTransposition(word, candidate) || longest >= SUBSTITUTION_FROM;
  return distance === 2 && Math.min(word.length, candidate.length) >= TWO_SLIPS_FROM - 1 && longest >= TWO_SLIPS_FROM;
}

export class TypoCorrector {
  private readonly targets: ReadonlyArray<readonly [string, number]>;
  private readonly cache = new Map<string, string | null>();

  constructor(private readonly vocabulary: Vocabulary) {
    // Most frequent first, so of two equally close words the commoner command word wins.
    this.targets = [...vocabulary]
      .filter(([, n]) => n >= MIN_FREQUENCY)
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  }

  /** The cleaned utterance with its slips corrected, and what was changed. */
  correct(utterance: string): { text: string; corrections: Correction[] } {
    const corrections: Correction[] = [];
    const words = cleanText(utterance)
      .split(' ')
      .map((word) => {
        const fixed = this.fix(word);
        if (fixed === null) return word;
        corrections.push({ from: word, to: fixed });
        return fixed;
      });
    return { text: words.join(' '), corrections };
  }

  private fix(word: string): string | null {
    if (!isCorrectable(word) || this.vocabulary.has(word)) return null;
    const cached = this.cache.get(word);
    if (cached !== undefined) return cached;
    let best: string | null = null;
    let bestDistance = Number.POSITIVE_INFINITY;
    for (const [candidate] of this.targets) {
      if (!isSlip(word, candidate)) continue;
      const distance = DamerauLevenshteinDistance(word, candidate, { restricted: true });
      if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
    }
    // Unknown words repeat (names, topics); the cache is bounded so a stream of novel words cannot grow it forever.
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(word, best);
    return best;
  }
}

/**
 * The one existing handle a misheard or mistyped handle most likely meant: within one slip (two for handles of 6+
 * characters), and only when no other handle is as close. Never a mere prefix: "mia.music" is six edits from "mia".
 */
export function closestHandle(wanted: string, existing: readonly string[]): string | undefined {
  const allowed = wanted.length >= 6 ? 2 : 1;
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  let tied = false;
  for (const handle of existing) {
    if (Math.abs(handle.length - wanted.length) > allowed) continue;
    const distance = DamerauLevenshteinDistance(wanted, handle, { restricted: true });
    if (distance > allowed || distance === 0) continue;
    if (distance < bestDistance) [best, bestDistance, tied] = [handle, distance, false];
    else if (distance === bestDistance) tied = true;
  }
  return tied ? undefined : best;
}
