import {
  allHandlersFinished,
  condition,
  continueAsNew,
  log,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { createActivities } from '../../activities/index.js';
import {
  applyEngagement,
  decayProfile,
  emptyProfile,
  topTopics,
  type EngagementEvent,
  type InterestProfile,
} from '../../src/domain/interest-profile.js';
import { RecentIds } from '../../src/domain/recent-ids.js';
import { LastEventAt, TopTopic } from '../../src/temporal/search-attributes.js';
import { feedRefresher } from './feed-refresh.js';
import { engagementsSignal, getProfileQuery, type UserInterestInput } from './messages.js';

type Activities = ReturnType<typeof createActivities>;
const { persistInterestProfile, loadInterestProfile } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

/** Temporal suggests continue-as-new near its limits; this keeps histories far below the 10k-event warning. */
const MAX_HISTORY_EVENTS = 5_000;

export async function userInterestWorkflow(input: UserInterestInput): Promise<void> {
  const { userId, settings } = input;
  const params = { halfLifeMs: settings.halfLifeMs, topK: settings.topK };
  const pending: EngagementEvent[] = [];
  let runEvents = 0;
  let duplicatesDropped = 0;

  setHandler(engagementsSignal, (batch) => {
    // A signal never throws at the sender: malformed content is dropped by applyEngagement.
    if (Array.isArray(batch?.events)) pending.push(...batch.events);
  });
  let profile: InterestProfile = input.carried?.profile ?? emptyProfile(userId, Date.now());
  const recent = new RecentIds(input.carried?.recentEventIds);
  setHandler(getProfileQuery, () => ({ profile, runEvents, duplicatesDropped }));

  if (!input.carried) profile = (await loadInterestProfile(userId)) ?? profile;

  const feedRefresh = feedRefresher(settings.feedRefresh);
  let dirtySince: number | null = null;
  let lastEventAt = Date.now();
  for (;;) {
    const now = Date.now();
    const wakeAt =
      dirtySince !== null
        ? dirtySince + settings.persistDebounceMs
        : Math.min(now + settings.tickMs, lastEventAt + settings.idleMs);
    const woken = await condition(() => pending.length > 0, Math.max(1, wakeAt - now));

    if (woken) {
      for (const event of pending.splice(0)) {
        if (!recent.remember(event.eventId)) {
          duplicatesDropped++;
          continue;
        }
        profile = applyEngagement(profile, event, params);
        runEvents++;
      }
      lastEventAt = Date.now();
      dirtySince ??= lastEventAt;
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
      if (dirtySince !== null) await persist(profile);
      await continueAsNew<typeof userInterestWorkflow>({
        ...input,
        carried: { profile, recentEventIds: recent.toJSON() },
      });
    }
  }
  log.info('user interest idle, completing', { userId, appliedEvents: profile.appliedEvents });

  function applyPending(p: InterestProfile): InterestProfile {
    for (const event of pending.splice(0)) if (recent.remember(event.eventId)) p = applyEngagement(p, event, params);
    return p;
  }
}

async function persist(profile: InterestProfile): Promise<void> {
  await persistInterestProfile(profile);
  const top = topTopics(profile, 1)[0]?.topic;
  upsertSearchAttributes([
    ...(top ? [{ key: TopTopic, value: top }] : []),
    ...(profile.lastEventAtMs !== null ? [{ key: LastEventAt, value: new Date(profile.lastEventAtMs) }] : []),
  ]);
}
