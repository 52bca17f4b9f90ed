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
import type { createActivities } from '../../activities/index.js';
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
import { RecentIds } from '../../src/domain/recent-ids.js';
import { LastEventAt, TopTopic } from '../../src/temporal/search-attributes.js';
import { feedRefresher } from './feed-refresh.js';
import { firstEngagementNotifier } from './first-engagement.js';
import { contentTypeOptOutsSignal, engagementsSignal, getProfileQuery, type UserInterestInput } from './messages.js';

type Activities = ReturnType<typeof createActivities>;
const activityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
} as const;
const { persistInterestProfile, loadInterestProfile, loadContentTypeOptOuts } =
  proxyActivities<Activities>(activityOptions);
/**
 * The start-up read and the persist are short Mongo calls: as local activities they run inside the workflow task
 * that asked for them, instead of each costing an activity task and another workflow task (DESIGN.md: ingestion
 * throughput is bounded by workflow tasks per user). Histories before the patch used the activity tasks above.
 */
const LOCAL_ACTIVITIES_PATCH = 'interest-local-activities';
const local = proxyLocalActivities<Activities>(activityOptions);

/** Temporal suggests continue-as-new near its limits; this keeps histories far below the 10k-event warning. */
const MAX_HISTORY_EVENTS = 5_000;

export async function userInterestWorkflow(input: UserInterestInput): Promise<void> {
  const { userId, settings } = input;
  const params = { halfLifeMs: settings.halfLifeMs, topK: settings.topK };
  const pending: EngagementEvent[] = [];
  /** The latest opt-outs signalled and not yet applied (the latest wins: each signal carries the whole set). */
  let optOuts: ContentType[] | null = null;
  let runEvents = 0;
  let duplicatesDropped = 0;

  setHandler(engagementsSignal, (batch) => {
    // A signal never throws at the sender: malformed content is dropped by applyEngagement.
    if (Array.isArray(batch?.events)) pending.push(...batch.events);
  });
  setHandler(contentTypeOptOutsSignal, (update) => {
    optOuts = normaliseContentTypeOptOuts((update as { contentTypeOptOuts?: unknown } | null)?.contentTypeOptOuts);
  });
  let profile: InterestProfile = input.carried?.profile ?? emptyProfile(userId, Date.now());
  const recent = new RecentIds(input.carried?.recentEventIds);
  setHandler(getProfileQuery, () => ({ profile, runEvents, duplicatesDropped }));

  // Without an open onboarding there is no one to tell about the first engagement (and a signal would only fail).
  let noOnboarding = false;
  if (!input.carried) {
    if (patched(LOCAL_ACTIVITIES_PATCH)) {
      const restored = await local.restoreInterestState(userId);
      profile = restored.profile ?? profile;
      // The identity is the record of the opt-outs; a signal that arrived meanwhile is newer and wins.
      optOuts ??= restored.contentTypeOptOuts;
      noOnboarding = !restored.onboardingOpen;
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
  for (;;) {
    const now = Date.now();
    const wakeAt =
      dirtySince !== null
        ? dirtySince + settings.persistDebounceMs
        : Math.min(now + settings.tickMs, lastEventAt + settings.idleMs);
    const woken = await condition(() => pending.length > 0 || optOuts !== null, Math.max(1, wakeAt - now));

    if (woken) {
      const optedOut = applyOptOuts();
      const events = pending.splice(0);
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
    } else if (dirtySince !== null) {
      await persist(profile);
      dirtySince = null;
      feedRefresh.afterPersist(profile);
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
      profile = applyPending(profile);
      if (applyOptOuts() || dirtySince !== null) await persist(profile);
      await continueAsNew<typeof userInterestWorkflow>({
        ...input,
        carried: {
          profile,
          recentEventIds: recent.toJSON(),
          feedRefresh: feedRefresh.baseline(),
          engagementSignalled: firstEngagement.signalled,
        },
      });
    }
  }
  log.info('user interest idle, completing', { userId, appliedEvents: profile.appliedEvents });

  function applyPending(p: InterestProfile): InterestProfile {
    for (const event of pending.splice(0)) if (recent.remember(event.eventId)) p = applyEngagement(p, event, params);
    return p;
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

async function persist(profile: InterestProfile): Promise<void> {
  if (patched(LOCAL_ACTIVITIES_PATCH)) await local.persistInterestProfile(profile);
  else await persistInterestProfile(profile);
  const top = topTopics(profile, 1)[0]?.topic;
  upsertSearchAttributes([
    ...(top ? [{ key: TopTopic, value: top }] : []),
    ...(profile.lastEventAtMs !== null ? [{ key: LastEventAt, value: new Date(profile.lastEventAtMs) }] : []),
  ]);
}
