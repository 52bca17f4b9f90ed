import type { SearchAttributeUpdatePair } from '@temporalio/common';
import type { RestoredInterestState } from '../../activities/interest.js';
import type { ContentType } from '../../src/domain/engagement.js';
import {
  applyEngagement,
  decayProfile,
  emptyProfile,
  hasContentTypeOptOuts,
  normaliseContentTypeOptOuts,
  topTopics,
  withContentTypeOptOuts,
  type EngagementEvent,
  type InterestProfile,
} from '../../src/domain/interest-profile.js';
import { PART_ID_PREFIX, RECENT_PARTS_LIMIT, RecentIds, withoutDeliveredParts } from '../../src/domain/recent-ids.js';
import { dropRepeated } from '../entity/inbox.js';
import { LastEventAt, TopTopic } from '../search-attributes.js';
import type { EngagementBatch, ProfileView, UserInterestInput, UserInterestSettings } from './messages.js';

type Carried = NonNullable<UserInterestInput['carried']>;
const MINUTE_MS = 60_000;

/** One user's interest profile and the rules that change it; the workflow decides when, this class decides how. */
export class InterestState {
  profile: InterestProfile;
  runEvents = 0;
  duplicatesDropped = 0;
  /** The latest opt-outs signalled and not applied yet (the latest wins: each signal carries the whole set). */
  private optOuts: ContentType[] | null;
  private readonly recent: RecentIds;
  private readonly recentParts: RecentIds;
  private readonly params: { halfLifeMs: number; topK: number };
  private shown: { topTopic?: string; lastEventMinute?: number } = {};

  constructor(userId: string, settings: UserInterestSettings, nowMs: number, carried?: Carried) {
    this.params = { halfLifeMs: settings.halfLifeMs, topK: settings.topK };
    this.profile = carried?.profile ?? emptyProfile(userId, nowMs);
    this.optOuts = carried?.pendingOptOuts ?? null;
    this.recent = new RecentIds(carried?.recentEventIds);
    this.recentParts = new RecentIds(carried?.recentPartIds, RECENT_PARTS_LIMIT);
  }

  /** A fresh run starts from the read model and the identity's opt-outs; a signal that arrived meanwhile wins. */
  restore(restored: RestoredInterestState): void {
    this.profile = restored.profile ?? this.profile;
    this.optOuts ??= restored.contentTypeOptOuts;
    // What the stored profile already holds: a completed run's, or this run's own write when a first workflow task
    // that persisted was lost and is retried.
    for (const id of restored.appliedEventIds)
      (id.startsWith(PART_ID_PREFIX) ? this.recentParts : this.recent).remember(id);
  }

  signalOptOuts(update: unknown): void {
    this.optOuts = normaliseContentTypeOptOuts((update as { contentTypeOptOuts?: unknown } | null)?.contentTypeOptOuts);
  }

  get optOutsPending(): boolean {
    return this.optOuts !== null;
  }

  /** Applies signalled or restored opt-outs; true when that changed the profile (so the read model must follow). */
  applyOptOuts(): boolean {
    if (this.optOuts === null) return false;
    const changed = !hasContentTypeOptOuts(this.profile, this.optOuts);
    if (changed) this.profile = withContentTypeOptOuts(this.profile, this.optOuts);
    this.optOuts = null;
    return changed;
  }

  /** Applies the events not applied before: parts a relay round delivered again, then repeated event ids, drop. */
  apply(batches: readonly EngagementBatch[]): EngagementEvent[] {
    const events = batches.flatMap((batch) => {
      const { kept, dropped } = withoutDeliveredParts(batch.events, batch.parts, this.recentParts);
      this.duplicatesDropped += dropped;
      return kept;
    });
    const { fresh, dropped } = dropRepeated(events, (event) => event.eventId, this.recent);
    this.duplicatesDropped += dropped;
    for (const event of fresh) this.profile = applyEngagement(this.profile, event, this.params);
    this.runEvents += fresh.length;
    return fresh;
  }

  decay(nowMs: number): void {
    this.profile = decayProfile(this.profile, nowMs, this.params);
  }

  /** Stored with the profile so a fresh run drops what it already holds; part ids ride along, told apart by prefix. */
  appliedIds(): string[] {
    return [...this.recent.toJSON(), ...this.recentParts.toJSON()];
  }

  /** Search attributes whose value changed since the last call (LastEventAt to the minute: each upsert costs). */
  searchAttributeChanges(): SearchAttributeUpdatePair[] {
    const topTopic = topTopics(this.profile, 1)[0]?.topic;
    const at = this.profile.lastEventAtMs;
    const lastEventMinute = at === null ? undefined : Math.floor(at / MINUTE_MS) * MINUTE_MS;
    const changes: SearchAttributeUpdatePair[] = [
      ...(topTopic && topTopic !== this.shown.topTopic ? [{ key: TopTopic, value: topTopic }] : []),
      ...(lastEventMinute !== undefined && lastEventMinute !== this.shown.lastEventMinute
        ? [{ key: LastEventAt, value: new Date(lastEventMinute) }]
        : []),
    ];
    this.shown = { topTopic, lastEventMinute };
    return changes;
  }

  carry(pendingBatches: EngagementBatch[], handOver: Pick<Carried, 'feedRefresh' | 'engagementSignalled'>): Carried {
    return {
      profile: this.profile,
      recentEventIds: this.recent.toJSON(),
      recentPartIds: this.recentParts.toJSON(),
      ...handOver,
      pendingBatches,
      ...(this.optOuts !== null ? { pendingOptOuts: this.optOuts } : {}),
    };
  }

  view(): ProfileView {
    return { profile: this.profile, runEvents: this.runEvents, duplicatesDropped: this.duplicatesDropped };
  }
}
