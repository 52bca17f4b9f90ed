/**
 * An impression: one feed page as the user was shown it. The feedback join turns impressions plus later
 * engagements into labelled training rows, so an item shown and ignored can be told from one never shown.
 */
import type { FeedEntry } from '../store/feeds.js';
import { bucketOf } from '../learning/buckets.js';

export type FeedSource = 'online' | 'precomputed';
/** Which side of the model traffic split served the page (see src/learning/traffic-split.ts). */
export type ModelArm = 'current' | 'candidate';

export interface ShownItem {
  contentId: string;
  creatorId: string;
  /** 0-based rank in the whole feed (page offset included): position bias depends on it, not on the page. */
  position: number;
}

export interface Impression {
  requestId: string;
  userId: string;
  atMs: number;
  ranker: 'onnx' | 'fallback';
  modelVersion: string;
  source: FeedSource;
  arm: ModelArm;
  items: ShownItem[];
}

export interface ServedPage {
  requestId: string;
  userId: string;
  atMs: number;
  offset: number;
  items: readonly FeedEntry[];
  ranker: Impression['ranker'];
  modelVersion: string;
  source: FeedSource;
  arm: ModelArm;
}

export function toImpression(page: ServedPage): Impression {
  return {
    requestId: page.requestId,
    userId: page.userId,
    atMs: page.atMs,
    ranker: page.ranker,
    modelVersion: page.modelVersion,
    source: page.source,
    arm: page.arm,
    items: page.items.map((item, i) => ({
      contentId: item.contentId,
      creatorId: item.creatorId,
      position: page.offset + i,
    })),
  };
}

/**
 * Whether a user's pages are logged at this rate. Per user, not per request: a sampled user's sessions stay whole,
 * which the join needs (an engagement is matched to the page that showed the item).
 */
export function isSampled(userId: string, rate: number): boolean {
  if (rate >= 1) return true;
  if (rate <= 0) return false;
  return bucketOf(`impressions:${userId}`) < rate;
}
