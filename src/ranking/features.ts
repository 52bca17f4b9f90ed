/**
 * The feature vector of a (user, item) pair. The feed route, the batch-scoring activities and the training
 * pipeline (models/build-dataset.ts) all call writeFeatures, so a model never sees features computed one way
 * offline and another way online. Changing a feature's meaning or order means bumping FEATURE_VERSION and
 * retraining: the ONNX ranker refuses a model whose card names another version.
 *
 * Every feature is defined for a user with no profile (a cold start) and for an item nobody has seen yet.
 */
import { CREATOR_TIERS, type CreatorTier } from '../domain/creator-tier.js';
import { HOUR_MS } from '../domain/decay.js';
import { CONTENT_TYPES, ENGAGEMENT_WEIGHTS, type ContentType } from '../domain/engagement.js';
import { engagementStyle, utcHour, type EngagementStyle, type InterestProfile } from '../domain/interest-profile.js';

export const FEATURE_VERSION = 2;

export const FEATURE_NAMES = [
  'interest_match', // cosine of profile topics and item topics, −1..1 (dislikes count)
  'content_type_pref', // share of the user's content-type interest that goes to this item's type
  'creator_score', // creator score / 100
  'creator_tier', // tier ordinal, bronze 0 … diamond 4
  'follows_creator', // 0 or 1
  'item_age_log_hours', // ln(1 + age in hours)
  'popularity_decayed', // ln(1 + engagement-weighted counts × age decay)
  'engagement_rate', // (likes + comments + shares) per view, with a prior
  'engagement_style_fit', // log2 lift of the item's rate of the user's typical action (0 for lurkers)
  'hour_fit', // the user's activity at the item's publication hour, relative to their busiest hour
  'creator_shown_above', // items of this creator already shown above in the list, capped
  'profile_depth', // ln(1 + events behind the profile): lets the model lean on popularity for new users
  // Version 2:
  'watch_rate', // views per exposure (views + skips), with a prior: how often people who were shown it watched
  'exposure_log', // ln(1 + views + skips): how widely it has been shown
  'is_live', // 0 or 1: a live recording goes stale faster than other content
  'interest_share', // mean over item topics of the user's interest relative to their favourite topic, −1..1
  'hour_window_share', // share of the user's activity within ±2 h of the item's publication hour
  'content_type_affinity', // the user's signed interest in the item's type over their strongest type, −1..1
  'creator_watch_rate', // views per exposure over the creator's items, with a prior
] as const;
export type FeatureName = (typeof FEATURE_NAMES)[number];
export const FEATURE_COUNT = FEATURE_NAMES.length;
export const FEATURE_INDEX = Object.fromEntries(FEATURE_NAMES.map((name, i) => [name, i])) as Readonly<
  Record<FeatureName, number>
>;

/** Counts as of scoring time. Only views, likes and shares are required; the catalog may lack the rest. */
export interface ItemPopularity {
  views: number;
  likes: number;
  shares: number;
  comments?: number;
  tips?: number;
  /** Explicit skips: with views, how often the item was shown (watch_rate, exposure_log). */
  skips?: number;
}

export interface RankItem {
  contentId: string;
  creatorId: string;
  type: ContentType;
  /** Distinct topics as stored on the content item. */
  topics: readonly string[];
  createdAtMs: number;
  popularity: ItemPopularity;
}

export interface CreatorInfo {
  score: number;
  tier: CreatorTier;
  /** Views and skips over the creator's items (creator_watch_rate); absent reads as none yet. */
  views?: number;
  skips?: number;
}

export interface Candidate {
  item: RankItem;
  creator: CreatorInfo;
  followsCreator: boolean;
}

/** Engagement-weighted counts lose half their weight every two days: a feed wants what is hot now. */
export const POPULARITY_HALF_LIFE_HOURS = 48;
/** Rates start from PRIOR_VIEWS views at the platform rate, so 2 views with 2 likes is not a 100 % hit. */
export const PRIOR_VIEWS = 50;
export const BASE_ENGAGEMENT_RATE = 0.05;
/** Platform-typical rate of each style's action per view; the fit is the item's lift over it. */
export const STYLE_BASE_RATES: Readonly<Record<Exclude<EngagementStyle, 'lurker'>, number>> = {
  liker: 0.05,
  commenter: 0.01,
  sharer: 0.01,
  tipper: 0.002,
};
/** Watch rates start from PRIOR_EXPOSURES exposures at BASE_WATCH_RATE. */
export const PRIOR_EXPOSURES = 20;
export const BASE_WATCH_RATE = 0.3;
/** hour_window_share: hours either side of the publication hour that count as the same time of day. */
export const HOUR_WINDOW = 2;
/** Beyond a few items of one creator the diversity rules take over; larger counts teach the model nothing. */
export const MAX_SHOWN_ABOVE = 5;

/** The user's side of the features, derived once per request instead of once per candidate. */
export interface UserFeatures {
  topics: ReadonlyMap<string, number>;
  topicNorm: number;
  typeShare: Readonly<Record<ContentType, number>>;
  style: EngagementStyle;
  /** 24 UTC hours, activity relative to the busiest hour (all 0 without activity). */
  hourFit: Float64Array;
  /** 24 UTC hours, the share of all activity within ±HOUR_WINDOW hours (all 0 without activity). */
  hourWindowShare: Float64Array;
  /** Signed content-type interest over the strongest type's magnitude, −1..1 (0 without evidence). */
  typeAffinity: Readonly<Record<ContentType, number>>;
  /** The largest positive topic interest (0 without one): interest_share's scale. */
  topTopic: number;
  depth: number;
}

export function userFeatures(profile: InterestProfile | null): UserFeatures {
  const entries = profile ? Object.entries(profile.topics).filter(([, s]) => Number.isFinite(s)) : [];
  const topicNorm = Math.sqrt(entries.reduce((sum, [, s]) => sum + s * s, 0));
  const positive = CONTENT_TYPES.map((t) => Math.max(0, profile?.contentTypes[t] ?? 0));
  const typeTotal = positive.reduce((a, b) => a + b, 0);
  // No evidence reads as indifference, i.e. a uniform share, not as a dislike of every type.
  const typeShare = Object.fromEntries(
    CONTENT_TYPES.map((t, i) => [t, typeTotal > 0 ? (positive[i] ?? 0) / typeTotal : 1 / CONTENT_TYPES.length]),
  ) as Record<ContentType, number>;
  const strongest = Math.max(0, ...CONTENT_TYPES.map((t) => Math.abs(finite(profile?.contentTypes[t]))));
  const typeAffinity = Object.fromEntries(
    CONTENT_TYPES.map((t) => [t, strongest > 0 ? finite(profile?.contentTypes[t]) / strongest : 0]),
  ) as Record<ContentType, number>;
  const hours = profile?.hours ?? [];
  const busiest = Math.max(0, ...hours.filter(Number.isFinite));
  const hourFit = Float64Array.from({ length: 24 }, (_, h) => (busiest > 0 ? Math.max(0, hours[h] ?? 0) / busiest : 0));
  const activity = Array.from({ length: 24 }, (_, h) => nonNegative(hours[h]));
  const total = activity.reduce((a, b) => a + b, 0);
  const hourWindowShare = Float64Array.from({ length: 24 }, (_, h) => {
    if (total === 0) return 0;
    let sum = 0;
    for (let d = -HOUR_WINDOW; d <= HOUR_WINDOW; d++) sum += activity[(h + d + 24) % 24] as number;
    return sum / total;
  });
  return {
    topics: new Map(entries),
    topicNorm,
    typeShare,
    style: profile ? engagementStyle(profile) : 'lurker',
    hourFit,
    hourWindowShare,
    typeAffinity,
    topTopic: Math.max(0, ...entries.map(([, score]) => score)),
    depth: Math.log1p(Math.max(0, profile?.appliedEvents ?? 0)),
  };
}

/**
 * Writes the features of one candidate into `out` at row `row`. Allocation-free: batch scoring calls it a
 * million times a second. `shownAbove` is how many items of this creator the list already shows above it.
 */
export function writeFeatures(
  out: Float32Array,
  row: number,
  user: UserFeatures,
  candidate: Candidate,
  nowMs: number,
  shownAbove: number,
): void {
  const { item, creator } = candidate;
  const o = row * FEATURE_COUNT;
  const pop = item.popularity;
  const views = nonNegative(pop.views);
  const likes = nonNegative(pop.likes);
  const shares = nonNegative(pop.shares);
  const comments = nonNegative(pop.comments);
  const ageHours = Math.max(0, nowMs - item.createdAtMs) / HOUR_MS;
  const weighted =
    views * ENGAGEMENT_WEIGHTS.view +
    likes * ENGAGEMENT_WEIGHTS.like +
    comments * ENGAGEMENT_WEIGHTS.comment +
    shares * ENGAGEMENT_WEIGHTS.share;

  out[o] = interestMatch(user, item.topics);
  out[o + 1] = user.typeShare[item.type] ?? 0;
  out[o + 2] = Math.min(1, Math.max(0, creator.score / 100)) || 0;
  out[o + 3] = Math.max(0, CREATOR_TIERS.indexOf(creator.tier));
  out[o + 4] = candidate.followsCreator ? 1 : 0;
  out[o + 5] = Math.log1p(ageHours);
  out[o + 6] = Math.log1p(weighted * Math.pow(2, -ageHours / POPULARITY_HALF_LIFE_HOURS));
  out[o + 7] = (likes + comments + shares + BASE_ENGAGEMENT_RATE * PRIOR_VIEWS) / (views + PRIOR_VIEWS);
  out[o + 8] = styleFit(user.style, pop, views);
  out[o + 9] = Number.isFinite(item.createdAtMs) ? (user.hourFit[utcHour(item.createdAtMs)] ?? 0) : 0;
  out[o + 10] = Math.min(MAX_SHOWN_ABOVE, Math.max(0, shownAbove));
  out[o + 11] = user.depth;
  const skips = nonNegative(pop.skips);
  out[o + 12] = (views + BASE_WATCH_RATE * PRIOR_EXPOSURES) / (views + skips + PRIOR_EXPOSURES);
  out[o + 13] = Math.log1p(views + skips);
  out[o + 14] = item.type === 'live' ? 1 : 0;
  out[o + 15] = interestShare(user, item.topics);
  out[o + 16] = Number.isFinite(item.createdAtMs) ? (user.hourWindowShare[utcHour(item.createdAtMs)] ?? 0) : 0;
  out[o + 17] = user.typeAffinity[item.type] ?? 0;
  const creatorViews = nonNegative(creator.views);
  out[o + 18] =
    (creatorViews + BASE_WATCH_RATE * PRIOR_EXPOSURES) / (creatorViews + nonNegative(creator.skips) + PRIOR_EXPOSURES);
}

/** The vector of one pair, e.g. to explain a single ranking decision. */
export function featureVector(
  profile: InterestProfile | null,
  candidate: Candidate,
  nowMs: number,
  shownAbove = 0,
): Float32Array {
  const out = new Float32Array(FEATURE_COUNT);
  writeFeatures(out, 0, userFeatures(profile), candidate, nowMs, shownAbove);
  return out;
}

/**
 * Rows for all candidates of one user, in candidate order, into `out` when it is large enough (reuse one
 * buffer per worker) or a new array. `shownAbove` maps creatorId → items already shown, e.g. on earlier pages.
 */
export function buildFeatureMatrix(
  user: UserFeatures,
  candidates: readonly Candidate[],
  nowMs: number,
  shownAbove?: ReadonlyMap<string, number>,
  out?: Float32Array,
): Float32Array {
  const size = candidates.length * FEATURE_COUNT;
  const matrix = out && out.length >= size ? out : new Float32Array(size);
  for (let row = 0; row < candidates.length; row++) {
    const candidate = candidates[row] as Candidate;
    writeFeatures(matrix, row, user, candidate, nowMs, shownAbove?.get(candidate.item.creatorId) ?? 0);
  }
  return matrix;
}

function interestMatch(user: UserFeatures, topics: readonly string[]): number {
  if (user.topicNorm === 0) return 0;
  let dot = 0;
  let distinct = 0;
  for (let i = 0; i < topics.length; i++) {
    const topic = topics[i] as string;
    // indexOf instead of a Set: topic lists are short, and this path must not allocate.
    if (topics.indexOf(topic) !== i) continue;
    distinct++;
    dot += user.topics.get(topic) ?? 0;
  }
  return distinct === 0 ? 0 : Math.max(-1, Math.min(1, dot / (user.topicNorm * Math.sqrt(distinct))));
}

/** The mean over distinct item topics of the user's interest in it relative to their favourite topic. */
function interestShare(user: UserFeatures, topics: readonly string[]): number {
  if (user.topTopic === 0) return 0;
  let sum = 0;
  let distinct = 0;
  for (let i = 0; i < topics.length; i++) {
    const topic = topics[i] as string;
    if (topics.indexOf(topic) !== i) continue;
    distinct++;
    sum += Math.max(-1, Math.min(1, (user.topics.get(topic) ?? 0) / user.topTopic));
  }
  return distinct === 0 ? 0 : sum / distinct;
}

function styleFit(style: EngagementStyle, pop: ItemPopularity, views: number): number {
  if (style === 'lurker') return 0;
  const base = STYLE_BASE_RATES[style];
  const count =
    style === 'liker'
      ? nonNegative(pop.likes)
      : style === 'commenter'
        ? nonNegative(pop.comments)
        : style === 'sharer'
          ? nonNegative(pop.shares)
          : nonNegative(pop.tips);
  return Math.log2((count + base * PRIOR_VIEWS) / (views + PRIOR_VIEWS) / base);
}

function finite(value: number | undefined): number {
  return value !== undefined && Number.isFinite(value) ? value : 0;
}

function nonNegative(value: number | undefined): number {
  return value !== undefined && value > 0 && Number.isFinite(value) ? value : 0;
}
