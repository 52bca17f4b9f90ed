import { DAY_MS, HOUR_MS, decayFactor } from './decay.js';
import {
  CONTENT_TYPES,
  ENGAGEMENT_TYPES,
  engagementWeight,
  isContentType,
  isEngagementType,
  type ContentType,
  type EngagementType,
} from './engagement.js';

/**
 * A user's interest profile: the state of the user-interest workflow, carried across continue-as-new and
 * persisted as the read model, so it stays plain JSON. Every number is decayed to `updatedAtMs`.
 * Topic scores may be negative: hides and reports are remembered as dislikes the ranker can use.
 */
export interface InterestProfile {
  userId: string;
  topics: Record<string, number>;
  contentTypes: Record<ContentType, number>;
  /** Decayed counts, so the engagement style follows what the user does lately, not what they did a year ago. */
  eventCounts: Record<EngagementType, number>;
  /** 24 UTC hour buckets of decayed activity (any event, positive or negative, is activity). */
  hours: number[];
  updatedAtMs: number;
  lastEventAtMs: number | null;
  appliedEvents: number;
  /**
   * Content types the user opted out of in their shared preferences (in CONTENT_TYPES order). Their entry in
   * `contentTypes` stays 0 while opted out, and the feed leaves them out. Absent in profiles persisted before
   * opt-outs existed, which means none.
   */
  contentTypeOptOuts?: ContentType[];
}

/** One event joined with the topics and type of the content it concerns (resolved before it reaches the workflow). */
export interface EngagementEvent {
  eventId: string;
  type: EngagementType;
  occurredAtMs: number;
  topics: readonly string[];
  contentType?: ContentType;
  value?: number;
}

export interface ProfileParams {
  halfLifeMs: number;
  /** How many topics a profile keeps; default DEFAULT_TOP_K. */
  topK?: number;
}

export const DEFAULT_TOP_K = 50;
/** Below this magnitude a topic is forgotten: a single view gets there after about 6.6 half-lives. */
export const MIN_TOPIC_SCORE = 0.01;
/** Cap on topics taken from one event, so a content item with a huge tag list cannot flush a whole profile. */
export const MAX_TOPICS_PER_EVENT = 20;
/** Buckets below this snap to 0 so long-idle profiles do not carry denormal noise through serialisation. */
const NEGLIGIBLE = 1e-6;

export function emptyProfile(userId: string, nowMs: number): InterestProfile {
  return {
    userId,
    topics: {},
    contentTypes: zeros(CONTENT_TYPES),
    eventCounts: zeros(ENGAGEMENT_TYPES),
    hours: new Array<number>(24).fill(0),
    updatedAtMs: nowMs,
    lastEventAtMs: null,
    appliedEvents: 0,
    contentTypeOptOuts: [],
  };
}

/**
 * The profile after one event; the input is not modified. Malformed events (unknown type, non-finite time)
 * return the profile unchanged, so a workflow signal handler never fails on bad input.
 *
 * Out-of-order events: the profile never decays backwards. An event older than `updatedAtMs` is added with its
 * weight already decayed by its lateness, which by linearity of exponential decay gives the same scores as if
 * it had arrived in order (only top-K pruning in between can differ). A newer event first decays the profile
 * forward to its own time.
 */
export function applyEngagement(
  profile: InterestProfile,
  event: EngagementEvent,
  params: ProfileParams,
): InterestProfile {
  if (!isEngagementType(event.type) || !Number.isFinite(event.occurredAtMs)) return profile;
  const at = event.occurredAtMs;
  const base = decayProfile(profile, at, params);
  const lateness = decayFactor(base.updatedAtMs - at, params.halfLifeMs);
  const weight = engagementWeight(event.type, event.value) * lateness;

  const topics = distinctTopics(event.topics);
  const scores = new Map(Object.entries(base.topics));
  for (const topic of topics) scores.set(topic, (scores.get(topic) ?? 0) + weight / topics.length);

  const contentTypes = { ...base.contentTypes };
  // `?? 0` because a profile restored from an older read model may lack a key.
  if (isContentType(event.contentType) && !base.contentTypeOptOuts?.includes(event.contentType)) {
    contentTypes[event.contentType] = (contentTypes[event.contentType] ?? 0) + weight;
  }
  const eventCounts = { ...base.eventCounts };
  eventCounts[event.type] = (eventCounts[event.type] ?? 0) + lateness;
  const hours = [...base.hours];
  const hour = utcHour(at);
  hours[hour] = (hours[hour] ?? 0) + lateness;

  return {
    ...base,
    topics: keepTopK(scores, params.topK ?? DEFAULT_TOP_K),
    contentTypes,
    eventCounts,
    hours,
    lastEventAtMs: base.lastEventAtMs === null ? at : Math.max(base.lastEventAtMs, at),
    appliedEvents: base.appliedEvents + 1,
  };
}

/**
 * Opt-outs as the profile keeps them: known content types only, each once, in CONTENT_TYPES order (so equal sets
 * compare equal and the state stays bounded by the number of types). Anything else is dropped, not thrown: this
 * runs on signal input.
 */
export function normaliseContentTypeOptOuts(value: unknown): ContentType[] {
  if (!Array.isArray(value)) return [];
  return CONTENT_TYPES.filter((type) => value.includes(type));
}

/**
 * The profile under the user's current opt-outs: an opted-out type's preference drops to 0 and stays there while
 * the opt-out lasts (applyEngagement adds nothing to it), so ranking gives it no weight. Opting back in starts the
 * type from 0: its old preference was the user's past taste for something they then turned off. Topics are kept
 * either way: an opt-out is about a format, not about subjects.
 */
export function withContentTypeOptOuts(profile: InterestProfile, optOuts: unknown): InterestProfile {
  const contentTypeOptOuts = normaliseContentTypeOptOuts(optOuts);
  const contentTypes = { ...profile.contentTypes };
  for (const type of contentTypeOptOuts) contentTypes[type] = 0;
  return { ...profile, contentTypes, contentTypeOptOuts };
}

/** Whether the profile already carries exactly these opt-outs (false when it lacks the field, so it gets one). */
export function hasContentTypeOptOuts(profile: InterestProfile, optOuts: unknown): boolean {
  const current = profile.contentTypeOptOuts;
  if (!current) return false;
  const wanted = normaliseContentTypeOptOuts(optOuts);
  return current.length === wanted.length && current.every((type, i) => type === wanted[i]);
}

/** Decays everything to `nowMs` (the periodic tick, so idle profiles fade too). Earlier times change nothing. */
export function decayProfile(profile: InterestProfile, nowMs: number, params: ProfileParams): InterestProfile {
  if (!(nowMs > profile.updatedAtMs)) return profile;
  const factor = decayFactor(nowMs - profile.updatedAtMs, params.halfLifeMs);
  const scores = new Map(Object.entries(profile.topics).map(([topic, score]) => [topic, score * factor]));
  return {
    ...profile,
    topics: keepTopK(scores, params.topK ?? DEFAULT_TOP_K),
    contentTypes: scaled(CONTENT_TYPES, profile.contentTypes, factor),
    eventCounts: scaled(ENGAGEMENT_TYPES, profile.eventCounts, factor),
    hours: Array.from({ length: 24 }, (_, h) => snap((profile.hours[h] ?? 0) * factor)),
    updatedAtMs: nowMs,
  };
}

export interface TopicScore {
  topic: string;
  score: number;
}

/** The n strongest positive interests, strongest first (ties by name, so the order is deterministic). */
export function topTopics(profile: Pick<InterestProfile, 'topics'>, n: number): TopicScore[] {
  return Object.entries(profile.topics)
    .filter(([, score]) => score > 0)
    .sort(([a, x], [b, y]) => y - x || compareText(a, b))
    .slice(0, Math.max(0, n))
    .map(([topic, score]) => ({ topic, score }));
}

/** The n busiest UTC hours (0–23), busiest first; hours with no activity are never listed. */
export function peakHours(profile: Pick<InterestProfile, 'hours'>, n: number): number[] {
  return profile.hours
    .map((activity, hour) => ({ hour, activity }))
    .filter(({ activity }) => activity > 0)
    .sort((a, b) => b.activity - a.activity || a.hour - b.hour)
    .slice(0, Math.max(0, n))
    .map(({ hour }) => hour);
}

export const ENGAGEMENT_STYLES = ['lurker', 'liker', 'commenter', 'sharer', 'tipper'] as const;
export type EngagementStyle = (typeof ENGAGEMENT_STYLES)[number];

/**
 * Share of all (decayed) events at which an action is "typical" for a user. Platform-wide, likes run at several
 * per cent of views and comments, shares and tips are much rarer, so each style is judged against its own bar
 * rather than by raw counts (which likes would always win). Follows count as likes: both are one-tap approval.
 */
export const STYLE_THRESHOLDS: Readonly<Record<Exclude<EngagementStyle, 'lurker'>, number>> = {
  tipper: 0.02,
  sharer: 0.05,
  commenter: 0.05,
  liker: 0.1,
};
/** With less (decayed) activity than this there is no evidence of any style. */
export const MIN_EVENTS_FOR_STYLE = 3;

/**
 * The style whose action rate exceeds its threshold by the largest factor; ties go to the rarer, costlier action
 * (tipper, sharer, commenter, liker). Nobody clearing any bar, or too little activity, is a lurker: watches
 * without interacting.
 */
export function engagementStyle(profile: Pick<InterestProfile, 'eventCounts'>): EngagementStyle {
  const count = (type: EngagementType) => Math.max(0, profile.eventCounts[type] ?? 0);
  const total = ENGAGEMENT_TYPES.reduce((sum, type) => sum + count(type), 0);
  if (total < MIN_EVENTS_FOR_STYLE) return 'lurker';
  const actions: Record<Exclude<EngagementStyle, 'lurker'>, number> = {
    tipper: count('tip'),
    sharer: count('share'),
    commenter: count('comment'),
    liker: count('like') + count('follow'),
  };
  let best: EngagementStyle = 'lurker';
  let bestLift = 1;
  for (const style of ['tipper', 'sharer', 'commenter', 'liker'] as const) {
    const lift = actions[style] / total / STYLE_THRESHOLDS[style];
    if (lift >= bestLift && (best === 'lurker' || lift > bestLift)) {
      best = style;
      bestLift = lift;
    }
  }
  return best;
}

/** How many top topics topicShift compares: the ones that actually shape a feed. */
export const SHIFT_TOP_N = 10;
/** A suggested threshold for asking for a feed refresh; the workflow may take its own from config. */
export const DEFAULT_REFRESH_SHIFT = 0.3;

/**
 * 0 when the top topics are the same in the same proportions, 1 when they are disjoint: 1 − cosine of the top-n
 * positive interests. Uniform decay alone shifts nothing (cosine ignores scale), so idle ticks never trigger a
 * refresh. From no interests to some counts as a full shift: a first profile deserves a fresh feed.
 */
export function topicShift(
  before: Pick<InterestProfile, 'topics'>,
  after: Pick<InterestProfile, 'topics'>,
  n: number = SHIFT_TOP_N,
): number {
  const a = asVector(topTopics(before, n));
  const b = asVector(topTopics(after, n));
  if (a.size === 0 && b.size === 0) return 0;
  if (a.size === 0 || b.size === 0) return 1;
  return clamp(1 - cosine(a, b), 0, 1);
}

/** Cosine similarity of two topic vectors, in −1..1; 0 when either is empty. Used to find similar users. */
export function cosineSimilarity(a: Record<string, number>, b: Record<string, number>): number {
  return cosineAgainst(a)(b);
}

/**
 * cosineSimilarity(a, ·) for many vectors: a's norm is taken once and no vector is copied, which is what scoring a
 * thousand similar-user candidates per request needs. The same sums in the same order, so the same results.
 */
export function cosineAgainst(a: Record<string, number>): (b: Record<string, number>) => number {
  const entries = Object.entries(a);
  const normA = vectorNorm(a);
  return (b) => {
    let dot = 0;
    for (const [topic, x] of entries) dot += x * (Object.hasOwn(b, topic) ? (b[topic] as number) : 0);
    let sumB = 0;
    for (const y of Object.values(b)) sumB += y * y;
    return cosineOf(dot, normA, sumB);
  };
}

/** A topic vector's length, its scores summed in the vector's own order. */
export function vectorNorm(v: Record<string, number>): number {
  let sum = 0;
  for (const x of Object.values(v)) sum += x * x;
  return Math.sqrt(sum);
}

/**
 * The cosine from its parts: the dot product, the first vector's norm and the second's sum of squares; 0 when either
 * is empty. For readers that hold vectors in another form (src/cache/packed-vectors.ts) and must give the same value.
 */
export function cosineOf(dot: number, normA: number, sumSquaresB: number): number {
  const norms = normA * Math.sqrt(sumSquaresB);
  return norms === 0 ? 0 : clamp(dot / norms, -1, 1);
}

function cosine(a: Map<string, number>, b: Map<string, number>): number {
  let dot = 0;
  for (const [topic, x] of a) dot += x * (b.get(topic) ?? 0);
  const norms = norm(a) * norm(b);
  return norms === 0 ? 0 : clamp(dot / norms, -1, 1);
}

function norm(v: Map<string, number>): number {
  let sum = 0;
  for (const x of v.values()) sum += x * x;
  return Math.sqrt(sum);
}

function asVector(scores: TopicScore[]): Map<string, number> {
  return new Map(scores.map(({ topic, score }) => [topic, score]));
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

function distinctTopics(topics: readonly string[] | undefined): string[] {
  if (!Array.isArray(topics)) return [];
  const usable = topics.filter((t): t is string => typeof t === 'string' && t.length > 0);
  return [...new Set(usable)].slice(0, MAX_TOPICS_PER_EVENT);
}

/** Keeps the K topics with the largest magnitude: a strong dislike is as informative as a strong like. */
function keepTopK(scores: Map<string, number>, topK: number): Record<string, number> {
  const kept = [...scores]
    .filter(([, score]) => Math.abs(score) >= MIN_TOPIC_SCORE)
    .sort(([a, x], [b, y]) => Math.abs(y) - Math.abs(x) || compareText(a, b))
    .slice(0, Math.max(0, topK));
  // fromEntries defines own properties, so topics such as "__proto__" or "constructor" are plain keys.
  return Object.fromEntries(kept);
}

export function utcHour(epochMs: number): number {
  return Math.floor((((epochMs % DAY_MS) + DAY_MS) % DAY_MS) / HOUR_MS);
}

/** Code-unit order, not localeCompare: workflow code must not depend on the host's locale. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function zeros<K extends string>(keys: readonly K[]): Record<K, number> {
  return Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
}

function scaled<K extends string>(keys: readonly K[], values: Partial<Record<K, number>>, factor: number) {
  return Object.fromEntries(keys.map((k) => [k, snap((values[k] ?? 0) * factor)])) as Record<K, number>;
}

function snap(value: number): number {
  return Math.abs(value) < NEGLIGIBLE ? 0 : value;
}
