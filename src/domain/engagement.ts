/** What a client can report a user did. The API validates against this list; the profile rules weight it. */
export const ENGAGEMENT_TYPES = [
  'view',
  'like',
  'share',
  'comment',
  'tip',
  'follow',
  'skip',
  'hide',
  'report',
  'watch_time',
] as const;
export type EngagementType = (typeof ENGAGEMENT_TYPES)[number];

export const CONTENT_TYPES = ['video', 'live', 'short', 'image', 'text'] as const;
export type ContentType = (typeof CONTENT_TYPES)[number];

export function isEngagementType(value: unknown): value is EngagementType {
  return typeof value === 'string' && (ENGAGEMENT_TYPES as readonly string[]).includes(value);
}

export function isContentType(value: unknown): value is ContentType {
  return typeof value === 'string' && (CONTENT_TYPES as readonly string[]).includes(value);
}

/**
 * Interest added to the content's topics per event. Ordered by how much effort and intent the action shows:
 * a view is passive, a follow is a standing commitment. Negative signals are explicit dislikes and weigh more
 * the stronger the gesture (scrolling past < hiding < reporting), so one report outweighs a few views.
 * `tip` and `watch_time` are placeholders here: their weight comes from `value`, see engagementWeight.
 */
export const ENGAGEMENT_WEIGHTS: Readonly<Record<EngagementType, number>> = {
  view: 1,
  like: 3,
  comment: 4,
  share: 5,
  follow: 6,
  tip: 4,
  watch_time: 0,
  skip: -1,
  hide: -4,
  report: -8,
};

/** Seconds of watching that count as much as one view; each doubling of watch time beyond adds about one view. */
export const WATCH_TIME_UNIT_SECONDS = 15;
/** A single watch_time event never counts for more than a like: a stream left running in a background tab is not love. */
export const WATCH_TIME_MAX_WEIGHT = 3;
/** A tip is worth at least TIP_BASE; its amount adds TIP_PER_DECADE per factor of ten, up to TIP_MAX_WEIGHT. */
export const TIP_BASE_WEIGHT = ENGAGEMENT_WEIGHTS.tip;
export const TIP_PER_DECADE = 2;
export const TIP_MAX_WEIGHT = 10;

/**
 * Weight of one event. `value` means seconds watched for watch_time and the amount (platform currency units)
 * for tip; it is ignored for the other types.
 *
 * Both scaled types are log-scaled and capped because their values are heavy-tailed: without that a single
 * whale tip or a 6-hour live session would swamp hundreds of likes and pin one topic at the top for weeks.
 * The cap also bounds the damage of a bogus or hostile value. Missing, negative or non-finite values count as 0.
 */
export function engagementWeight(type: EngagementType, value?: number): number {
  const amount = value !== undefined && Number.isFinite(value) && value > 0 ? value : 0;
  switch (type) {
    case 'watch_time':
      return Math.min(WATCH_TIME_MAX_WEIGHT, Math.log2(1 + amount / WATCH_TIME_UNIT_SECONDS));
    case 'tip':
      return Math.min(TIP_MAX_WEIGHT, TIP_BASE_WEIGHT + TIP_PER_DECADE * Math.log10(1 + amount));
    default:
      return ENGAGEMENT_WEIGHTS[type];
  }
}
