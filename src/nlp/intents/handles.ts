import type { Span } from './text.js';

/**
 * Who a command is about. Speech recognisers rarely produce "@", so besides explicit handles we
 * accept possessives ("alice's channel") and, for intents that target a creator, a bare name
 * right after the verb ("tip bob five bucks").
 */

const HANDLE = /@([a-z0-9_](?:[a-z0-9_.]*[a-z0-9_])?)/g;
const CREATOR_NOUNS = '(?:channel|page|profile|videos?|stream|latest|creator page|content|posts?)';
const POSSESSIVE = new RegExp(`\\b([a-z][a-z0-9_.]*)'s ${CREATOR_NOUNS}\\b`, 'g');
const AFTER_VERB =
  /\b(?:follow|unfollow|block|tip|subscribe to|sub to|unsubscribe from|stop following|check out|visit|open(?: up)?|give|send|donate to|throw|with|to)\s+([a-z][a-z0-9_.]*)\b/g;

// Words that can sit where a name goes but are not names.
const NOT_NAMES = new Set([
  'this', 'that', 'these', 'those', 'her', 'him', 'them', 'it', 'me', 'my', 'the', 'a', 'an', 'some', 'every',
  'everyone', 'everybody', 'whoever', 'creator', 'creators', 'guy', 'user', 'account', 'channel', 'streamer',
  'person', 'all', 'top', 'first', 'best', 'your', 'our', 'their', 'his', 'today', 'tonight', 'tomorrow', 'yesterday',
  'friends', 'friend', 'settings', 'home', 'feed', 'profile', 'station', 'show', 'stream', 'live', 'up', 'out', 'on',
  'off', 'in', 'for', 'of', 'and', 'please', 'now', 'like', 'tip', 'more', 'less', 'each', 'both', 'someone', 'him',
  'notifications', 'studio', 'wallet', 'messages', 'inbox', 'story', 'watch', 'see', 'go', 'be', 'get', 'is',
  'to', 'with', 'from', 'at', 'by', 'as', 'follow', 'unfollow', 'block', 'share', 'send', 'give', 'open', 'subscribe',
  'unsubscribe', 'stop', 'start', 'make', 'love', 'check', 'visit', 'report', 'post', 'donate', 'find', 'search',
]); // prettier-ignore

/** Every explicit @handle, in order, without the "@". */
export function findHandles(text: string): Array<Span<string>> {
  return [...text.matchAll(HANDLE)].map((m) => ({ value: m[1] ?? '', start: m.index, end: m.index + m[0].length }));
}

/** "alice's channel" → alice; spans cover only the name so the noun stays for the classifier. */
export function findPossessiveNames(text: string): Array<Span<string>> {
  return [...text.matchAll(POSSESSIVE)]
    .filter((m) => !NOT_NAMES.has(m[1] ?? ''))
    .map((m) => ({ value: m[1] ?? '', start: m.index, end: m.index + (m[1] ?? '').length + 2 }));
}

/** "tip bob 5 bucks" → bob. Only trustworthy once the intent says a creator is the target. */
export function findNameAfterVerb(text: string): Span<string> | undefined {
  for (const m of text.matchAll(AFTER_VERB)) {
    const name = m[1] ?? '';
    if (NOT_NAMES.has(name) || /^\d/.test(name)) continue;
    const start = m.index + m[0].length - name.length;
    return { value: name, start, end: start + name.length };
  }
  return undefined;
}

/** "this", "her", "whoever made this": the speaker means what is on screen right now. */
export function refersToCurrent(text: string): boolean {
  return /\b(?:this|that|current|her|him|them|it|whoever|whatever|these)\b|\bthe (?:creator|streamer|host)\b/.test(
    text,
  );
}
