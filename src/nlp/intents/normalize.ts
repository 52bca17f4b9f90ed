import { PorterStemmer } from 'natural/lib/natural/stemmers/index.js';
import { locateEntities } from './entities.js';
import { cleanText, replaceSpans } from './text.js';
import { findPreference, findScreen } from './vocab.js';

/**
 * Turns an utterance into the tokens the classifier sees: cleaned, entities replaced by
 * placeholders (@handle, <time>, <duration>, <amount>, <number>) so it learns the shape of a
 * command and not the names in it, fillers dropped, words stemmed, plus adjacent-word pairs
 * because "go live" and "end live" differ only in the pair.
 */

// Speech fillers carry no intent and appear everywhere in casual transcripts.
const FILLERS = new Set([
  'yo',
  'hey',
  'um',
  'umm',
  'uh',
  'uhh',
  'hmm',
  'please',
  'ok',
  'okay',
  'oh',
  'so',
  'just',
  'like',
  // Interjections of praise: "nice, like it", "wow heart this" carry no intent of their own.
  'wow',
  'nice',
  'cool',
  'awesome',
  'great',
  'amazing',
]);
// Only the entity spans matter here, not their resolved values, so any fixed clock will do.
const SPAN_CLOCK = { timezone: 'UTC', nowMs: 0 };

function isPlaceholder(token: string): boolean {
  return token === '@handle' || /^<[a-z]+>$/.test(token);
}

// Porter turns these into "thi", "wa", "doe": closed-class words gain nothing from stemming.
const UNSTEMMED = new Set(['this', 'is', 'was', 'does', 'us', 'as', 'has', 'his', 'its', 'yes', 'one', 'are', 'say', 'says', 'always', 'news']); // prettier-ignore

function stem(token: string): string {
  const word = token.replace(/'s$|'/g, '');
  return isPlaceholder(token) || UNSTEMMED.has(word) ? word : PorterStemmer.stem(word);
}

/** Word tokens (stemmed, placeholders kept) of an utterance. */
export function intentTokens(utterance: string): string[] {
  const text = cleanText(utterance);
  const { placeholders } = locateEntities(text, SPAN_CLOCK);
  return replaceSpans(text, placeholders)
    .split(' ')
    .filter((token, i, all) => !(isPlaceholder(token) && all[i - 1] === token))
    .filter((token, i, all) => token && !(FILLERS.has(token) && !(token === 'like' && isCommandLike(all, i))))
    .map(stem)
    .filter((token) => token.length > 0);
}

// "like" is a filler in "tip @alice like 5 bucks" but the command in "like this".
function isCommandLike(tokens: readonly string[], index: number): boolean {
  const next = tokens[index + 1];
  return next === undefined || !/^(?:<|@)/.test(next);
}

/**
 * Phrases rewritten before tokenising. Speech recognisers split compounds ("un follow"), and a
 * negated "follow" is an unfollow: left alone, "stop following" teaches the classifier that
 * "follow" is evidence for unfollow, and "follow them" becomes a coin toss.
 */
const CANONICAL_PHRASES: ReadonlyArray<readonly [RegExp, string]> = [
  [/\bun (follow|subscribe|block|like|mute|do)\b/g, 'un$1'],
  [/\b(?:stop|quit) following\b|\bno longer follow(?:ing)?\b|\bdo not (?:want to )?follow\b/g, 'unfollow'],
  // "what's new in woodworking" asks for new content on a topic (search), not for the TV guide's "what's on".
  [
    /\b(?:what is|anything|got anything|is there anything) (?:new|fresh|recent|latest) (?:in|on|about|with)\b/g,
    'search new',
  ],
  [/\bauto play/g, 'autoplay'],
  [/\blive stream/g, 'livestream'],
  [/\bsub scribe/g, 'subscribe'],
];

/**
 * Entity classes as extra features: "show the trending page" shares no word with the training
 * navigations, but trending is a screen. Bare "live" is left out, it is the verb of go/end live.
 */
function entityClassFeatures(text: string): string[] {
  const screen = findScreen(text.replace(/\blive\b(?! (?:tab|section|page|tv))/g, ''));
  const classes: string[] = [];
  if (screen && screen !== 'search' && screen !== 'following') classes.push('<screen>');
  if (findPreference(text)) classes.push('<pref>');
  return classes;
}

export interface Featurized {
  /** Stemmed words with placeholders, in order */
  words: string[];
  /** What the classifier sees: the words, adjacent pairs and entity classes */
  features: string[];
}

export function featurize(utterance: string): Featurized {
  const merged = CANONICAL_PHRASES.reduce(
    (text, [pattern, joined]) => text.replace(pattern, joined),
    cleanText(utterance),
  );
  const words = intentTokens(merged);
  const pairs = words.slice(1).map((word, i) => `${words[i]}_${word}`);
  return { words, features: [...words, ...pairs, ...entityClassFeatures(merged)] };
}

export function intentFeatures(utterance: string): string[] {
  return featurize(utterance).features;
}

export { isPlaceholder };
