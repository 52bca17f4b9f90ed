/**
 * Replays exported events into the state the platform would have held at each moment: interest profiles
 * (src/domain/interest-profile), creator stats (src/domain/creator-score), follows, per-item counters and what
 * each user has already seen. Training features are then computed from exactly what serving would have known.
 */
import { applyMetricDelta, newCreatorStats, type CreatorStats } from '../src/domain/creator-score.js';
import {
  applyEngagement,
  emptyProfile,
  type InterestProfile,
  type ProfileParams,
} from '../src/domain/interest-profile.js';
import type { Candidate, CreatorInfo, ItemPopularity } from '../src/ranking/features.js';
import type { CatalogItem, PlatformEvent } from './dataset-io.js';
import { creatorMetricDelta } from '../src/domain/creator-events.js';

type Counters = Required<ItemPopularity>;

export class PlatformReplay {
  private readonly profiles = new Map<string, InterestProfile>();
  private readonly follows = new Map<string, Set<string>>();
  private readonly seen = new Map<string, Set<string>>();
  private readonly creators = new Map<string, CreatorStats>();
  private readonly counters = new Map<string, Counters>();
  /** Views and skips per creator, over all their items. */
  private readonly exposures = new Map<string, { views: number; skips: number }>();

  constructor(
    private readonly catalog: ReadonlyMap<string, CatalogItem>,
    private readonly params: ProfileParams,
  ) {}

  apply(event: PlatformEvent): void {
    const item = event.contentId === null ? undefined : this.catalog.get(event.contentId);
    const creatorId = event.creatorId ?? item?.creatorId ?? null;
    const profile = this.profiles.get(event.userId) ?? emptyProfile(event.userId, event.occurredAtMs);
    this.profiles.set(
      event.userId,
      applyEngagement(
        profile,
        {
          eventId: event.eventId,
          type: event.type,
          occurredAtMs: event.occurredAtMs,
          topics: item?.topics ?? [],
          ...(item ? { contentType: item.type } : {}),
          ...(event.value === null ? {} : { value: event.value }),
        },
        this.params,
      ),
    );
    if (item) setOf(this.seen, event.userId).add(item.contentId);
    if (event.type === 'follow' && creatorId !== null) setOf(this.follows, event.userId).add(creatorId);
    const delta = creatorMetricDelta(event.type, event.value ?? undefined);
    if (delta && creatorId !== null) {
      const stats = this.creators.get(creatorId) ?? newCreatorStats(event.occurredAtMs);
      this.creators.set(creatorId, applyMetricDelta(stats, delta, event.occurredAtMs));
    }
    if (item) this.count(item.contentId, event.type);
    if (item && (event.type === 'view' || event.type === 'skip')) {
      const e = this.exposures.get(item.creatorId) ?? { views: 0, skips: 0 };
      if (event.type === 'view') e.views++;
      else e.skips++;
      this.exposures.set(item.creatorId, e);
    }
  }

  profile(userId: string): InterestProfile | null {
    return this.profiles.get(userId) ?? null;
  }

  hasSeen(userId: string, contentId: string): boolean {
    return this.seen.get(userId)?.has(contentId) ?? false;
  }

  creatorInfo(creatorId: string): CreatorInfo {
    const stats = this.creators.get(creatorId);
    // A creator with no metrics yet gets what a brand-new creator's workflow would report.
    const exposures = this.exposures.get(creatorId);
    return { ...(stats ? { score: stats.score, tier: stats.tier } : NEW_CREATOR), ...exposures };
  }

  /** The candidate as serving would build it for `userId` now; counters are copied so later events don't leak in. */
  candidate(userId: string, item: CatalogItem): Candidate {
    const c = this.counters.get(item.contentId);
    return {
      item: { ...item, popularity: c ? { ...c } : { views: 0, likes: 0, shares: 0, comments: 0, tips: 0, skips: 0 } },
      creator: this.creatorInfo(item.creatorId),
      followsCreator: this.follows.get(userId)?.has(item.creatorId) ?? false,
    };
  }

  private count(contentId: string, type: PlatformEvent['type']): void {
    const c = this.counters.get(contentId) ?? { views: 0, likes: 0, shares: 0, comments: 0, tips: 0, skips: 0 };
    if (type === 'view') c.views++;
    else if (type === 'like') c.likes++;
    else if (type === 'share') c.shares++;
    else if (type === 'comment') c.comments++;
    else if (type === 'tip') c.tips++;
    else if (type === 'skip') c.skips++;
    this.counters.set(contentId, c);
  }
}

const fresh = newCreatorStats(0);
const NEW_CREATOR: CreatorInfo = { score: fresh.score, tier: fresh.tier };

function setOf(map: Map<string, Set<string>>, key: string): Set<string> {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  return set;
}
