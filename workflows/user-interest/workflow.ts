import {
  allHandlersFinished,
  condition,
  continueAsNew,
  log,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { InterestPreferenceActivities } from '../../activities/interest-preferences.js';
import type { InterestActivities } from '../../activities/interest.js';
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
import { LastEventAt, TopTopic } from '../search-attributes.js';
import { feedRefresher } from './feed-refresh.js';
import { firstEngagementNotifier } from './first-engagement.js';
import {
  contentTypeOptOutsSignal,
  engagementsSignal,
  getProfileQuery,
  type EngagementBatch,
  type UserInterestInput,
} from './messages.js';

type Activities = InterestActivities & InterestPreferenceActivities;
const activityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
} as const;
const { persistInterestProfile, loadInterestProfile, loadContentTypeOptOuts } =
  proxyActivities<Activities>(activityOptions);
/**
 * Since this patch the workflow costs as few workflow tasks per user as it can, because ingestion throughput is
 * bounded by workflow tasks per user (bench/ingest.ts): the start-up read and the persist are local activities
 * (they run inside the workflow task that asks for them, instead of each costing an activity task and one more
 * workflow task); a profile idle for a debounce interval is persisted at once, in the workflow task that applied
 * the events (leading edge, then at most one write per interval); and search attributes are upserted only when
 * they change (LastEventAt to the minute). Histories before the patch replay through the older path.
 */
const LOCAL_ACTIVITIES_PATCH = 'interest-local-activities';
const local = proxyLocalActivities<Activities>(activityOptions);
const MINUTE_MS = 60_000;

/** Temporal suggests continue-as-new near its limits; this keeps histories far below the 10k-event warning. */
const MAX_HISTORY_EVENTS = 5_000;

export async function userInterestWorkflow(input: UserInterestInput): Promise<void> {
  const { userId, settings } = input;
  const params = { halfLifeMs: settings.halfLifeMs, topK: settings.topK };
  // What the previous run received during its last persist (the relay has closed those outbox entries already).
  const pending: EngagementBatch[] = [...(input.carried?.pendingBatches ?? [])];
  /** The latest opt-outs signalled and not yet applied (the latest wins: each signal carries the whole set). */
  let optOuts: ContentType[] | null = input.carried?.pendingOptOuts ?? null;
  let runEvents = 0;
  let duplicatesDropped = 0;

  setHandler(engagementsSignal, (batch) => {
    // A signal never throws at the sender: malformed content is dropped by applyEngagement.
    if (Array.isArray(batch?.events)) pending.push(batch);
  });
  setHandler(contentTypeOptOutsSignal, (update) => {
    optOuts = normaliseContentTypeOptOuts((update as { contentTypeOptOuts?: unknown } | null)?.contentTypeOptOuts);
  });
  let profile: InterestProfile = input.carried?.profile ?? emptyProfile(userId, Date.now());
  const recent = new RecentIds(input.carried?.recentEventIds);
  const recentParts = new RecentIds(input.carried?.recentPartIds, RECENT_PARTS_LIMIT);
  setHandler(getProfileQuery, () => ({ profile, runEvents, duplicatesDropped }));

  const current = patched(LOCAL_ACTIVITIES_PATCH);
  // Without an open onboarding there is no one to tell about the first engagement (and a signal would only fail).
  let noOnboarding = false;
  if (!input.carried) {
    if (current) {
      const restored = await local.restoreInterestState(userId);
      profile = restored.profile ?? profile;
      // The identity is the record of the opt-outs; a signal that arrived meanwhile is newer and wins.
      optOuts ??= restored.contentTypeOptOuts;
      noOnboarding = !restored.onboardingOpen;
      // What the stored profile already holds: this run's own write, when a first workflow task that persisted was
      // lost and is retried, or a completed run's. Absent in results recorded before the ids were stored.
      for (const id of restored.appliedEventIds ?? [])
        (id.startsWith(PART_ID_PREFIX) ? recentParts : recent).remember(id);
    } else {
      profile = (await loadInterestProfile(userId)) ?? profile;
      if (patched('content-type-opt-outs')) {
        const stored = await loadContentTypeOptOuts(userId);
        optOuts ??= stored;
      }
    }
  }

  const feedRefresh = feedRefresher(settings.feedRefresh, input.carried?.feedRefresh);
  const firstEngagement = firstEngagementNotifier(userId, input.carried?.engagementSignalled ?? noOnboarding);
  let dirtySince: number | null = null;
  let lastEventAt = Date.now();
  let lastPersistAt = Number.NEGATIVE_INFINITY;
  let searchAttributes: { topTopic?: string; lastEventMinute?: number } = {};
  for (;;) {
    const now = Date.now();
    const wakeAt =
      dirtySince !== null
        ? (current ? Math.max(dirtySince, lastPersistAt) : dirtySince) + settings.persistDebounceMs
        : Math.min(now + settings.tickMs, lastEventAt + settings.idleMs);
    const woken = await condition(() => pending.length > 0 || optOuts !== null, Math.max(1, wakeAt - now));

    if (woken) {
      const optedOut = applyOptOuts();
      const events = takePending();
      const applied: EngagementEvent[] = [];
      for (const event of events) {
        if (!recent.remember(event.eventId)) {
          duplicatesDropped++;
          continue;
        }
        profile = applyEngagement(profile, event, params);
        applied.push(event);
        runEvents++;
      }
      if (events.length > 0) lastEventAt = Date.now();
      if (events.length > 0 || optedOut) dirtySince ??= Date.now();
      await firstEngagement.afterApplied(applied);
      if (current && dirtySince !== null && Date.now() - lastPersistAt >= settings.persistDebounceMs) {
        await persistDirty();
      }
    } else if (dirtySince !== null) {
      await persistDirty();
    } else if (Date.now() >= lastEventAt + settings.idleMs) {
      break;
    } else {
      profile = decayProfile(profile, Date.now(), params);
      await persist(profile);
    }

    if (
      runEvents >= settings.eventsPerRun ||
      workflowInfo().continueAsNewSuggested ||
      workflowInfo().historyLength > MAX_HISTORY_EVENTS
    ) {
      await condition(allHandlersFinished);
      // Events still pending (or signalled during this persist) are carried raw: the next run applies, dedupes and
      // persists them like any other, where applying them here would leave them in a profile nobody persists.
      if (applyOptOuts() || dirtySince !== null) await persist(profile);
      await continueAsNew<typeof userInterestWorkflow>({
        ...input,
        carried: {
          profile,
          recentEventIds: recent.toJSON(),
          recentPartIds: recentParts.toJSON(),
          feedRefresh: feedRefresh.baseline(),
          engagementSignalled: firstEngagement.signalled,
          // Signalled during that persist: the next run applies them first.
          pendingBatches: pending.splice(0),
          ...(optOuts !== null ? { pendingOptOuts: optOuts } : {}),
        },
      });
    }
  }
  log.info('user interest idle, completing', { userId, appliedEvents: profile.appliedEvents });

  async function persistDirty(): Promise<void> {
    await persist(profile);
    dirtySince = null;
    feedRefresh.afterPersist(profile);
  }

  async function persist(p: InterestProfile): Promise<void> {
    if (!current) return persistThroughActivityTask(p);
    // The part ids ride with the event ids (their prefix tells them apart on restore).
    await local.persistInterestProfile(p, [...recent.toJSON(), ...recentParts.toJSON()]);
    lastPersistAt = Date.now();
    const topTopic = topTopics(p, 1)[0]?.topic;
    const lastEventMinute = p.lastEventAtMs === null ? undefined : Math.floor(p.lastEventAtMs / MINUTE_MS) * MINUTE_MS;
    const changed = [
      ...(topTopic && topTopic !== searchAttributes.topTopic ? [{ key: TopTopic, value: topTopic }] : []),
      ...(lastEventMinute !== undefined && lastEventMinute !== searchAttributes.lastEventMinute
        ? [{ key: LastEventAt, value: new Date(lastEventMinute) }]
        : []),
    ];
    if (changed.length > 0) upsertSearchAttributes(changed);
    searchAttributes = { topTopic, lastEventMinute };
  }

  /** The signalled events, without those of parts applied before (a relay round delivered again). */
  function takePending(): EngagementEvent[] {
    return pending.splice(0).flatMap((batch) => {
      const { kept, dropped } = withoutDeliveredParts(batch.events, batch.parts, recentParts);
      duplicatesDropped += dropped;
      return kept;
    });
  }

  /** Applies signalled or restored opt-outs; true when that changed the profile (so the read model must follow). */
  function applyOptOuts(): boolean {
    if (optOuts === null) return false;
    const changed = !hasContentTypeOptOuts(profile, optOuts);
    if (changed) profile = withContentTypeOptOuts(profile, optOuts);
    optOuts = null;
    return changed;
  }
}

/** Before LOCAL_ACTIVITIES_PATCH: an activity task, and both search attributes upserted at every persist. */
async function persistThroughActivityTask(profile: InterestProfile): Promise<void> {
  await persistInterestProfile(profile);
  const top = topTopics(profile, 1)[0]?.topic;
  upsertSearchAttributes([
    ...(top ? [{ key: TopTopic, value: top }] : []),
    ...(profile.lastEventAtMs !== null ? [{ key: LastEventAt, value: new Date(profile.lastEventAtMs) }] : []),
  ]);
}
