/**
 * Open-vocabulary slots: topics, show titles and station names are whatever the user says, so
 * they are read from the words around known anchors ("search for …", "my … show", "the … station")
 * in the masked text, where handles, times, amounts and counts are already blanked out.
 */

const FILLER =
  /^(?:(?:yo|hey|um|uh|so|ok|okay|please|can you|could you|would you|will you|i want to|i wanna|let me|just)\s+)*/;
const SEARCH_TRIGGER =
  /^(?:search(?: up| the app)?(?: for)?|find(?: me)?|look(?:ing)? (?:up|for)|show me|i want to see|see|anything(?: good)? (?:about|on)|(?:what is|anything|got anything|is there anything) (?:new|fresh|recent|latest) (?:in|on|about|with))\s+/;
const LEADING_WORDS = /^(?:some|the|a|an|any|top|best|good|latest|new|more)\s+/;
const CONTAINER_PREFIX = /^(?:videos?|clips?|vids|stuff|content|streams?|posts?)\s+(?:about|on|of|for|with)\s+/;
const CREATORS_PREFIX =
  /^(?:creators?|people|streamers?|channels?)\s+(?:who (?:do|make|stream|post)|doing|making|about|for)\s+/;
const TRAILING_WORDS = /\s+(?:videos?|clips?|vids|stuff|content|streams?|posts?|please|for me|on here|now)$/;
const SHOW_TOPIC = /\b(?:my|a|an|the|new)\s+([a-z][a-z' ]*?)\s+(?:show|stream|broadcast|podcast|session|livestream)\b/;
const TITLE = /\b(?:called|named|titled) ([a-z0-9' ]+?)(?=\s+(?:for|on|at|in|from)\b|\s*$)/;
const TOPIC_CREATORS = /\b(?:top |best )?([a-z][a-z ]*?) (?:creators|streamers|channels|accounts)\b/;
const NOT_TOPIC = new Set(['live', 'new', 'next', 'upcoming', 'scheduled', 'own', 'first', 'last', 'this', 'that', 'usual', 'regular', 'the', 'my', 'top', 'best', 'follow', 'some', 'unfollow', 'tip', 'all', 'every', 'each', 'of', 'send', 'give']); // prettier-ignore
const STATION_STOP = new Set(['the', 'a', 'my', 'this', 'that', 'current', 'to', 'into', 'in', 'on', 'open', 'up', 'watch', 'switch', 'over', 'go', 'tune', 'play', 'put', 'flip', 'for', 'at', 'now', 'please', 'what', 'is', 'of', 'show', 'me', 'let', 'can', 'you', 'take', 'bring']); // prettier-ignore

function squash(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function stripRepeatedly(text: string, patterns: readonly RegExp[]): string {
  let out = text;
  let previous = '';
  while (out !== previous) {
    previous = out;
    for (const pattern of patterns) out = out.replace(pattern, '');
  }
  return out.trim();
}

/** "search for cooking videos" → cooking; "find creators who do woodworking" → woodworking. */
export function searchTopic(masked: string): string | undefined {
  const body = squash(masked).replace(FILLER, '');
  if (!SEARCH_TRIGGER.test(body)) return undefined;
  const topic = stripRepeatedly(body.replace(SEARCH_TRIGGER, ''), [
    LEADING_WORDS,
    CONTAINER_PREFIX,
    CREATORS_PREFIX,
    TRAILING_WORDS,
  ]);
  return topic || undefined;
}

// A topic never spans these: "book my station for a show" has no topic.
const TOPIC_BREAKS = new Set(['for', 'to', 'on', 'at', 'of', 'in', 'with', 'from', 'station', 'schedule']);

function phraseTopic(masked: string, pattern: RegExp): string | undefined {
  const phrase = (pattern.exec(squash(masked))?.[1] ?? '').split(' ');
  const lastBreak = phrase.findLastIndex((w) => TOPIC_BREAKS.has(w));
  const words = phrase.slice(lastBreak + 1).filter((w) => w && !NOT_TOPIC.has(w));
  while (words[0] === 'a' || words[0] === 'an') words.shift();
  return words.length > 0 ? words.join(' ') : undefined;
}

/** "my cooking show", "the q and a session" → cooking, q and a. */
export function topicOfShow(masked: string): string | undefined {
  return phraseTopic(masked, SHOW_TOPIC);
}

/** "the top 3 gaming creators" → gaming. */
export function topicOfCreators(masked: string): string | undefined {
  return phraseTopic(masked, TOPIC_CREATORS);
}

/** "a show called late night chat for thursday" → late night chat. */
export function showTitle(masked: string): string | undefined {
  return TITLE.exec(squash(masked))?.[1];
}

/** "the jazz station", "station lofi beats", "tune in to retro tv", "station @cooking_tv". */
export function stationName(masked: string, handles: readonly string[]): string | undefined {
  const words = squash(masked).split(' ');
  const at = words.indexOf('station');
  const collect = (from: number, step: 1 | -1): string[] => {
    const out: string[] = [];
    for (let i = from; i >= 0 && i < words.length && !STATION_STOP.has(words[i] ?? 'the'); i += step)
      out.push(words[i] ?? '');
    return step === 1 ? out : out.reverse();
  };
  if (at >= 0) {
    const before = collect(at - 1, -1);
    const after = collect(words[at + 1] === 'to' ? at + 2 : at + 1, 1);
    const name = before.length > 0 ? before : after;
    if (name.length > 0) return name.join(' ');
  }
  if (handles[0]) return handles[0];
  const tuned = /\btune (?:in ?to|into|in|to) (?:the )?([a-z0-9 ]+)$/.exec(squash(masked))?.[1];
  return tuned || undefined;
}
