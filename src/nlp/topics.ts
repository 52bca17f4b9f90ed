import { createRequire } from 'node:module';

// natural's package index loads its storage back-ends, which call dotenv.config() on import: that would read a
// stray .env into process.env and print dotenv banners in the api. Loading just the three parts we use avoids it.
// Their types are declared here because natural's typings pull in a .ts file that fails our tsc settings.
const requireNatural = createRequire(import.meta.url);
const PorterStemmer = requireNatural('natural/lib/natural/stemmers/porter_stemmer.js') as {
  stem(word: string): string;
};
const { WordTokenizer } = requireNatural('natural/lib/natural/tokenizers/regexp_tokenizer.js') as {
  WordTokenizer: new () => { tokenize(text: string): string[] };
};
const { words: englishStopwords } = requireNatural('natural/lib/natural/util/stopwords.js') as { words: string[] };

/** Document frequencies of stems over the content catalog (kept in Mongo by the caller). */
export interface CatalogStats {
  docCount: number;
  docFreq: Readonly<Record<string, number>>;
}

export interface TopicDocument {
  title?: string;
  description?: string;
  tags?: readonly string[];
}

export interface ScoredTopic {
  topic: string;
  score: number;
  source: 'tag' | 'text';
}

export const EMPTY_CATALOG: CatalogStats = { docCount: 0, docFreq: {} };
export const DEFAULT_TOPIC_LIMIT = 10;
/** Tags are kept even beyond the limit, but not without bound. */
export const MAX_TAGS = 20;
const MAX_TOPIC_LENGTH = 64;
/** Text topics score in (0, 1]; tags start here, so any tag outranks any word of the text. */
const TAG_SCORE = 2;
/** Titles are chosen with care and short: a title word counts like this many description words. */
const TITLE_WEIGHT = 2;
const MIN_TOKEN_LENGTH = 3;

// natural's list is classic function words; these carry no topic on a video platform either. Inflections are
// covered because stems are checked too (see STOP_STEMS).
const PLATFORM_STOPWORDS = [
  'just', 'will', 'really', 'thing', 'lot', 'gonna', 'wanna', 'want', 'know', 'let', 'lets', 'made', 'every', 'even',
  'ever', 'yet', 'one', 'two', 'new', 'best', 'good', 'great', 'today', 'video', 'watch', 'subscribe', 'channel',
  'please', 'check', 'link', 'bio', 'part', 'episode', 'yes', 'use', 'try', 'need', 'look', 'stay',
]; // prettier-ignore
const STOPWORDS = new Set([...englishStopwords, ...PLATFORM_STOPWORDS]);
// "using" is not on any list but its stem is the stem of "use": checking stems catches every inflection.
const STOP_STEMS = new Set([...STOPWORDS].map((w) => PorterStemmer.stem(w)));
const tokenizer = new WordTokenizer();

/**
 * The one normal form for tags and topics, used everywhere a topic is compared or stored: lowercase ASCII slug
 * ("#Street Food" → "street-food", "Crème Brûlée" → "creme-brulee"). Returns null when nothing usable remains.
 */
export function normalizeTopic(raw: string): string | null {
  const slug = foldDiacritics(raw)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, MAX_TOPIC_LENGTH)
    .replace(/^-+|-+$/g, '');
  return slug.length > 0 ? slug : null;
}

/** Normalised, de-duplicated tags in their original order. */
export function normalizeTopics(raw: readonly string[]): string[] {
  const slugs = raw.map(normalizeTopic).filter((t): t is string => t !== null);
  return [...new Set(slugs)];
}

/** Distinct stems of the title and description, sorted: what the caller adds to the catalog's docFreq. */
export function documentStems(doc: TopicDocument): string[] {
  return [...countTerms(doc).keys()].sort();
}

/**
 * Topics of a content item: all its tags (weighted highest), then the text's terms ranked by TF-IDF against the
 * catalog, until `limit` topics. Text terms are stemmed so "cook", "cooking" and "cooked" are one topic, labelled
 * by their most frequent spelling; a term whose stem matches a one-word tag adds to that tag instead.
 * Pure: extract with the stats as they were before this item, then add documentStems(doc) to them.
 */
export function extractTopics(doc: TopicDocument, catalog: CatalogStats, limit = DEFAULT_TOPIC_LIMIT): ScoredTopic[] {
  const tags = normalizeTopics(doc.tags ?? []).slice(0, MAX_TAGS);
  const tagByStem = new Map(tags.filter((t) => !t.includes('-')).map((t) => [PorterStemmer.stem(t), t]));
  const tagScores = new Map(tags.map((t) => [t, TAG_SCORE]));
  const textTopics: ScoredTopic[] = [];

  for (const { label, stem, score } of rankTerms(doc, catalog)) {
    const tag = tagByStem.get(stem) ?? (tagScores.has(label) ? label : undefined);
    if (tag !== undefined) tagScores.set(tag, (tagScores.get(tag) ?? TAG_SCORE) + score);
    else textTopics.push({ topic: label, score, source: 'text' });
  }

  const tagTopics = [...tagScores].map(([topic, score]): ScoredTopic => ({ topic, score, source: 'tag' }));
  const ranked = (list: ScoredTopic[]) => list.sort((a, b) => b.score - a.score || (a.topic < b.topic ? -1 : 1));
  return [...ranked(tagTopics), ...ranked(textTopics).slice(0, Math.max(0, limit - tagTopics.length))];
}

interface TermCount {
  weight: number;
  spellings: Map<string, number>;
}

function rankTerms(doc: TopicDocument, catalog: CatalogStats) {
  const terms = countTerms(doc);
  const total = [...terms.values()].reduce((sum, t) => sum + t.weight, 0);
  const scored = [...terms].map(([stem, term]) => ({
    stem,
    label: mostFrequentSpelling(term.spellings),
    score: (term.weight / total) * inverseDocumentFrequency(stem, catalog),
  }));
  // Relative to the document's best term, so scores compare across documents of any length.
  const top = Math.max(0, ...scored.map((t) => t.score));
  return scored.map((t) => ({ ...t, score: top > 0 ? t.score / top : 0 }));
}

/** Smoothed IDF (ln((1+N)/(1+df)) + 1): always positive, and an empty catalog degrades gracefully to plain TF. */
function inverseDocumentFrequency(stem: string, catalog: CatalogStats): number {
  const docCount = Number.isFinite(catalog.docCount) ? Math.max(0, catalog.docCount) : 0;
  const raw = Object.hasOwn(catalog.docFreq, stem) ? (catalog.docFreq[stem] ?? 0) : 0;
  // A racing writer can leave df above N for a moment; clamp rather than produce a negative weight.
  const docFreq = Number.isFinite(raw) ? Math.min(Math.max(0, raw), docCount) : 0;
  return Math.log((1 + docCount) / (1 + docFreq)) + 1;
}

function countTerms(doc: TopicDocument): Map<string, TermCount> {
  const terms = new Map<string, TermCount>();
  const add = (text: string | undefined, weight: number) => {
    for (const word of words(text ?? '')) {
      const stem = PorterStemmer.stem(word);
      if (STOP_STEMS.has(stem)) continue;
      const term = terms.get(stem) ?? { weight: 0, spellings: new Map<string, number>() };
      term.weight += weight;
      term.spellings.set(word, (term.spellings.get(word) ?? 0) + 1);
      terms.set(stem, term);
    }
  };
  add(doc.title, TITLE_WEIGHT);
  add(doc.description, 1);
  return terms;
}

/** Lowercase content words: no stop words, no numbers ("2024", "10k"), nothing shorter than three letters. */
function words(text: string): string[] {
  const prepared = foldDiacritics(text)
    .toLowerCase()
    .replace(/[’‘`]/g, "'")
    .replace(/\b[a-z]+'(?:t|re|ve|ll|d|m)\b/g, ' ') // contractions are function words: don't, we're, I'll
    .replace(/'s\b/g, '') // possessive: chef's → chef
    .replace(/[_']/g, ' ');
  return tokenizer
    .tokenize(prepared)
    .filter((w) => w.length >= MIN_TOKEN_LENGTH && /^[a-z][a-z0-9]*$/.test(w) && !STOPWORDS.has(w));
}

/** Most frequent spelling; ties go to the shorter, then alphabetically first one, so labels are stable. */
function mostFrequentSpelling(spellings: Map<string, number>): string {
  let best = '';
  let bestCount = 0;
  for (const [word, count] of spellings) {
    const better =
      count > bestCount ||
      (count === bestCount && (word.length < best.length || (word.length === best.length && word < best)));
    if (better) [best, bestCount] = [word, count];
  }
  return best;
}

function foldDiacritics(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}+/gu, '');
}
