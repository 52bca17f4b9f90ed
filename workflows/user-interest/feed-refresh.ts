import { log, proxyActivities } from '@temporalio/workflow';
import type { RankingActivities } from '../../activities/ranking.js';
import { SHIFT_TOP_N, topicShift, topTopics, type InterestProfile } from '../../src/domain/interest-profile.js';
import type { FeedRefreshBaseline, FeedRefreshSettings } from './messages.js';

/**
 * Asks the ranking queue to recompute a user's feed when their top topics moved materially since the last ask,
 * at most once per `minIntervalMs` (workflow time). The last refresh's top topics and time (the baseline, at most
 * SHIFT_TOP_N topics) are the state kept here; `baseline()` hands them to the next run at continue-as-new, so the
 * first persist after it neither refreshes needlessly nor measures a shift against nothing. A fresh start has no
 * baseline: its first persisted profile counts as a shift, and the refresh activity's own per-user guard keeps
 * that within the interval.
 *
 * The activity is not awaited: a slow or absent ranking worker must never hold up the interest profile.
 */
export function feedRefresher(settings: FeedRefreshSettings | undefined, carried?: FeedRefreshBaseline) {
  let lastTopics: Record<string, number> = carried?.topics ?? {};
  // JSON has no -Infinity, so "never" travels as null.
  let lastAtMs = carried?.atMs ?? Number.NEGATIVE_INFINITY;
  const baseline = (): FeedRefreshBaseline => ({
    topics: lastTopics,
    atMs: Number.isFinite(lastAtMs) ? lastAtMs : null,
  });
  if (!settings) return { afterPersist: (_profile: InterestProfile): void => undefined, baseline };
  const { requestFeedRefresh } = proxyActivities<RankingActivities>({
    taskQueue: settings.taskQueue,
    scheduleToCloseTimeout: '10 minutes',
    retry: { maximumAttempts: 3 },
  });
  return {
    afterPersist(profile: InterestProfile): void {
      const now = Date.now();
      if (now - lastAtMs < settings.minIntervalMs) return;
      if (topicShift({ topics: lastTopics }, profile) < settings.minShift) return;
      lastAtMs = now;
      lastTopics = Object.fromEntries(topTopics(profile, SHIFT_TOP_N).map((t) => [t.topic, t.score]));
      void requestFeedRefresh(profile.userId).catch((error: unknown) =>
        log.warn('feed refresh failed', { userId: profile.userId, error: String(error) }),
      );
    },
    baseline,
  };
}
