/**
 * Closed vocabularies the app understands: screens it can open, preferences it can set and
 * the periods stats are kept for. Keys are what the client and the preferences API use.
 */

export const SCREENS = [
  'home', 'feed', 'explore', 'search', 'profile', 'settings', 'notifications', 'messages', 'live', 'studio',
  'wallet', 'saved', 'following', 'history', 'schedule',
] as const; // prettier-ignore
export type Screen = (typeof SCREENS)[number];

// Longest phrases first so "creator studio" wins over "studio" and "for you feed" over "feed".
const SCREEN_SYNONYMS: ReadonlyArray<readonly [string, Screen]> = (
  [
    ['home screen', 'home'], ['home page', 'home'], ['main page', 'home'], ['home', 'home'],
    ['for you feed', 'feed'], ['for you page', 'feed'], ['for you', 'feed'], ['feed', 'feed'], ['timeline', 'feed'],
    ['explore', 'explore'], ['discover', 'explore'], ['trending', 'explore'],
    ['search', 'search'],
    ['my profile', 'profile'], ['profile', 'profile'], ['my page', 'profile'], ['my account', 'profile'],
    ['settings', 'settings'], ['preferences', 'settings'],
    ['notifications', 'notifications'], ['notification', 'notifications'], ['alerts', 'notifications'],
    ['notifs', 'notifications'], ['activity', 'notifications'],
    ['direct messages', 'messages'], ['messages', 'messages'], ['inbox', 'messages'], ['dms', 'messages'],
    ['chats', 'messages'],
    ['live tv', 'live'], ['live', 'live'],
    ['creator studio', 'studio'], ['studio', 'studio'], ['dashboard', 'studio'],
    ['wallet', 'wallet'], ['balance', 'wallet'], ['payments', 'wallet'],
    ['saved', 'saved'], ['bookmarks', 'saved'], ['favorites', 'saved'], ['favourites', 'saved'], ['watch later', 'saved'],
    ['following', 'following'],
    ['watch history', 'history'], ['history', 'history'],
    ['tv guide', 'schedule'], ['schedule', 'schedule'], ['guide', 'schedule'],
  ] as Array<[string, Screen]>
).sort((a, b) => b[0].length - a[0].length); // prettier-ignore

// Compiled once: findScreen runs several times for every utterance.
const SCREEN_PATTERNS: ReadonlyArray<readonly [RegExp, Screen]> = SCREEN_SYNONYMS.map(([phrase, screen]) => [
  new RegExp(`\\b${phrase}\\b`),
  screen,
]);

export function findScreen(text: string): Screen | undefined {
  return SCREEN_PATTERNS.find(([pattern]) => pattern.test(text))?.[1];
}

export type PreferenceKey =
  'autoplay' | 'notifications' | 'theme' | 'language' | 'captions' | 'data_saver' | 'video_quality' | 'mature_content';

export interface Preference {
  key: PreferenceKey;
  value: boolean | string;
}

const LANGUAGES: Readonly<Record<string, string>> = {
  english: 'en', spanish: 'es', french: 'fr', german: 'de', portuguese: 'pt', italian: 'it', japanese: 'ja',
  korean: 'ko', hindi: 'hi', arabic: 'ar', chinese: 'zh', dutch: 'nl', turkish: 'tr', polish: 'pl', russian: 'ru',
}; // prettier-ignore

const PREFERENCE_KEYS: ReadonlyArray<readonly [PreferenceKey, RegExp]> = [
  ['autoplay', /\bauto ?-?play(?:ing)?\b/],
  ['data_saver', /\bdata sav(?:er|ing)\b|\blow data\b/],
  ['mature_content', /\b(?:mature|sensitive|nsfw|explicit)(?: content)?\b/],
  ['captions', /\b(?:closed )?captions?\b|\bsubtitles?\b|\bcc\b/],
  ['notifications', /\bnotif(?:ication)?s?\b|\balerts\b/],
  ['language', /\blanguage\b/],
  ['video_quality', /\bquality\b|\bresolution\b/],
  ['theme', /\b(?:dark|light)\b|\btheme\b/],
];

// "mute", "turn off", "hide", "don't" (expanded to "not") switch a preference off.
const OFF = /\b(?:off|disable|disabled|stop|mute|no|never|hide|without|not)\b/;

function qualityOf(text: string): string | undefined {
  if (/\bauto(?:matic)?\b/.test(text)) return 'auto';
  if (/\b(?:high|hd|best|1080p?|4k)\b/.test(text)) return 'high';
  if (/\b(?:medium|720p?)\b/.test(text)) return 'medium';
  if (/\b(?:low|lowest|480p?|360p?)\b/.test(text)) return 'low';
  return undefined;
}

export function findPreference(text: string): Preference | undefined {
  const key = PREFERENCE_KEYS.find(([, pattern]) => pattern.test(text))?.[0];
  switch (key) {
    case undefined:
      return undefined;
    case 'theme': {
      const theme = /\b(dark|light)\b/.exec(text)?.[1];
      if (!theme) return undefined;
      // "turn off dark mode" asks for the other theme, not for a boolean.
      return { key, value: OFF.test(text) ? (theme === 'dark' ? 'light' : 'dark') : theme };
    }
    case 'language': {
      const name = Object.keys(LANGUAGES).find((language) => text.includes(language));
      return name ? { key, value: LANGUAGES[name] ?? name } : undefined;
    }
    case 'video_quality': {
      const quality = qualityOf(text);
      return quality ? { key, value: quality } : undefined;
    }
    default:
      return { key, value: !OFF.test(text) };
  }
}

export type StatsPeriod = 'today' | 'week' | 'month' | 'year' | 'last_stream' | 'all_time';

export function findStatsPeriod(text: string): StatsPeriod | undefined {
  if (/\btoday\b/.test(text)) return 'today';
  if (/\bweek(?:ly|'s)?\b/.test(text)) return 'week';
  if (/\bmonth(?:ly|'s)?\b/.test(text)) return 'month';
  if (/\byear(?:ly|'s)?\b/.test(text)) return 'year';
  if (/\blast (?:stream|show|broadcast|live)\b/.test(text)) return 'last_stream';
  if (/\ball time\b|\bever\b/.test(text)) return 'all_time';
  return undefined;
}
