import {
  condition,
  continueAsNew,
  log,
  proxyLocalActivities,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { InterestActivities } from '../../activities/interest.js';
import { ENTITY_ACTIVITY_OPTIONS } from '../entity/activity-options.js';
import { Inbox } from '../entity/inbox.js';
import { beforeContinueAsNew, runIsFull } from '../entity/run-end.js';
import { WriteDebounce } from '../entity/write-debounce.js';
import { feedRefresher } from './feed-refresh.js';
import { firstEngagementNotifier } from './first-engagement.js';
import { InterestState } from './interest-state.js';
import {
  contentTypeOptOutsSignal,
  engagementsSignal,
  getProfileQuery,
  type EngagementBatch,
  type UserInterestInput,
} from './messages.js';

// Local activities run inside the workflow task that asks for them: ingestion is bounded by workflow tasks per user.
const local = proxyLocalActivities<InterestActivities>(ENTITY_ACTIVITY_OPTIONS);

/**
 * One user's interest profile: engagements apply at once, the read model follows (leading edge, then at most one
 * write per debounce interval), an idle profile decays every tick, and after settings.idleMs without events the run
 * completes; the next event restores it from the read model.
 */
export async function userInterestWorkflow(input: UserInterestInput): Promise<void> {
  const { userId, settings } = input;
  const inbox = new Inbox<EngagementBatch>(input.carried?.pendingBatches);
  const state = new InterestState(userId, settings, Date.now(), input.carried);
  setHandler(engagementsSignal, (batch) => {
    // A signal never throws at the sender: malformed content is dropped by applyEngagement.
    if (Array.isArray(batch?.events)) inbox.push(batch);
  });
  setHandler(contentTypeOptOutsSignal, (update) => state.signalOptOuts(update));
  setHandler(getProfileQuery, () => state.view());

  // Without an open onboarding there is no one to tell about the first engagement (and a signal would only fail).
  let noOnboarding = false;
  if (!input.carried) {
    const restored = await local.restoreInterestState(userId);
    state.restore(restored);
    noOnboarding = !restored.onboardingOpen;
  }
  const feedRefresh = feedRefresher(settings.feedRefresh, input.carried?.feedRefresh);
  const firstEngagement = firstEngagementNotifier(userId, input.carried?.engagementSignalled ?? noOnboarding);
  const debounce = new WriteDebounce(settings.persistDebounceMs, true);
  let lastEventAt = Date.now();

  for (;;) {
    const now = Date.now();
    const wakeAt = debounce.dueAt() ?? Math.min(now + settings.tickMs, lastEventAt + settings.idleMs);
    const woken = await condition(() => inbox.size > 0 || state.optOutsPending, Math.max(1, wakeAt - now));

    if (woken) {
      const optedOut = state.applyOptOuts();
      const applied = state.apply(inbox.take());
      if (applied.length > 0) lastEventAt = Date.now();
      if (applied.length > 0 || optedOut) debounce.changed(Date.now());
      await firstEngagement.afterApplied(applied);
      if (debounce.isDue(Date.now())) await persistChanges();
    } else if (debounce.dirty) {
      await persistChanges();
    } else if (Date.now() >= lastEventAt + settings.idleMs) {
      break; // everything is persisted and no await stands between the last wake and here: nothing can be lost
    } else {
      state.decay(Date.now());
      await persist();
    }

    if (runIsFull({ handled: state.runEvents, limit: settings.eventsPerRun })) {
      await beforeContinueAsNew(async () => {
        if (state.applyOptOuts() || debounce.dirty) await persist();
      });
      // Events still in the inbox are carried raw: the next run applies, dedupes and persists them like any other.
      const handOver = { feedRefresh: feedRefresh.baseline(), engagementSignalled: firstEngagement.signalled };
      await continueAsNew<typeof userInterestWorkflow>({ ...input, carried: state.carry(inbox.take(), handOver) });
    }
  }
  log.info('user interest idle, completing', { userId, appliedEvents: state.profile.appliedEvents });

  async function persistChanges(): Promise<void> {
    await persist();
    feedRefresh.afterPersist(state.profile);
  }

  async function persist(): Promise<void> {
    await local.persistInterestProfile(state.profile, state.appliedIds());
    debounce.written(Date.now());
    const changes = state.searchAttributeChanges();
    if (changes.length > 0) upsertSearchAttributes(changes);
  }
}
