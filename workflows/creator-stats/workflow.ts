import {
  allHandlersFinished,
  condition,
  continueAsNew,
  log,
  patched,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { CreatorActivities } from '../../activities/creator.js';
import {
  applyMetricDelta,
  dailySnapshot,
  newCreatorStats,
  nextUtcMidnight,
  rollDay,
  utcDay,
  type CreatorStats,
} from '../../src/domain/creator-score.js';
import { RecentIds } from '../../src/domain/recent-ids.js';
import { CreatorScore, CreatorTier, LastEventAt } from '../search-attributes.js';
import { creatorMetricsSignal, getStatsQuery, type CreatorStatsInput, type MetricPart } from './messages.js';

type Activities = CreatorActivities;
const { publishCreatorStats, loadCreatorStats, writeCreatorSnapshot } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

/**
 * Since this patch a completing run publishes the part ids it applied, so its successor drops a part the relay
 * delivers again after the run ended.
 */
const COMPLETION_PART_IDS_PATCH = 'creator-completion-part-ids';

/**
 * Since this patch a run that published its completion and meanwhile received parts does not complete: it applies
 * them and goes on (before, such parts were dropped with the run).
 */
const LATE_PARTS_PATCH = 'creator-late-parts-at-completion';

/** Temporal suggests continue-as-new near its limits; this keeps histories far below the 10k-event warning. */
const MAX_HISTORY_EVENTS = 5_000;

/**
 * One creator's running totals, today's counters, score and tier. Deltas apply at once; the read model and the
 * leaderboards follow, debounced. At each 00:00 UTC the finished day is snapshotted (once: unique index) and the
 * day's counters reset. Idle for settings.idleMs → persist and complete; the next delta restores from the read model.
 */
export async function creatorStatsWorkflow(input: CreatorStatsInput): Promise<void> {
  const { creatorId, settings } = input;
  // Parts the previous run received during its last publish (the relay has closed their outbox entries already).
  const pending: MetricPart[] = [...(input.carried?.pendingParts ?? [])];
  let runParts = 0;
  let duplicatesDropped = 0;

  setHandler(creatorMetricsSignal, (batch) => {
    // A signal never throws at the sender: parts without an id are dropped, bad numbers count as zero.
    if (!Array.isArray(batch?.parts)) return;
    for (const part of batch.parts) if (typeof part?.id === 'string' && part.delta) pending.push(part);
  });
  let stats: CreatorStats = input.carried?.stats ?? newCreatorStats(Date.now());
  let revision = input.carried?.revision ?? 0;
  const recent = new RecentIds(input.carried?.recentPartIds);
  setHandler(getStatsQuery, () => ({
    creatorId,
    stats,
    revision,
    runParts,
    duplicatesDropped,
    pendingParts: pending.length,
  }));

  if (!input.carried) {
    const stored = await loadCreatorStats(creatorId);
    if (stored) ({ stats, revision } = stored);
    for (const partId of stored?.completedRunPartIds ?? []) recent.remember(partId);
  }
  let published = { tier: '', score: -1, lastEventAtMs: -1 };
  // When the oldest unpublished change happened; a brand-new creator is published at once so it appears on the boards.
  let dirtySince: number | null = revision === 0 ? Date.now() : null;
  let lastActivityAt = Date.now();

  for (;;) {
    const now = Date.now();
    const wakeAt = Math.min(
      nextUtcMidnight(now),
      dirtySince !== null ? dirtySince + settings.persistDebounceMs : lastActivityAt + settings.idleMs,
    );
    const woken = await condition(() => pending.length > 0, Math.max(1, wakeAt - now));

    // Midnight first, so a delta arriving just after 00:00 never lands in the day being snapshotted.
    await closeFinishedDays();
    if (woken) {
      applyPending();
      lastActivityAt = Date.now();
    }
    // Checked after every wake, not only on timeouts: a steady stream of deltas must not postpone publishing forever.
    if (dirtySince !== null && Date.now() >= dirtySince + settings.persistDebounceMs) {
      await publish();
    } else if (!woken && dirtySince === null && Date.now() >= lastActivityAt + settings.idleMs) {
      if (patched(COMPLETION_PART_IDS_PATCH)) {
        await publishCreatorStats({ creatorId, stats, revision, completedRunPartIds: recent.toJSON() });
      }
      // Parts signalled while that publish was in flight would end with the run: apply them and carry on instead.
      if (pending.length > 0 && patched(LATE_PARTS_PATCH)) continue;
      break;
    }

    if (
      runParts >= settings.partsPerRun ||
      workflowInfo().continueAsNewSuggested ||
      workflowInfo().historyLength > MAX_HISTORY_EVENTS
    ) {
      await condition(allHandlersFinished);
      applyPending();
      if (dirtySince !== null) await publish();
      // Parts signalled during that publish go with the carried state; the next run applies them first.
      await continueAsNew<typeof creatorStatsWorkflow>({
        ...input,
        carried: { stats, revision, recentPartIds: recent.toJSON(), pendingParts: pending.splice(0) },
      });
    }
  }
  log.info('creator stats idle, completing', { creatorId, score: stats.score, tier: stats.tier });

  function applyPending(): void {
    for (const part of pending.splice(0)) {
      if (!recent.remember(part.id)) {
        duplicatesDropped++;
        continue;
      }
      stats = applyMetricDelta(stats, part.delta, Date.now());
      revision++;
      runParts++;
      dirtySince ??= Date.now();
    }
  }

  /** Snapshots the day(s) that ended and starts today; after a restore this covers the stored day too. */
  async function closeFinishedDays(): Promise<void> {
    const today = utcDay(Date.now());
    if (stats.today.day >= today) return;
    await writeCreatorSnapshot({ creatorId, snapshot: dailySnapshot(stats, stats.today.day) });
    stats = rollDay(stats, today);
    revision++;
    await publish();
  }

  async function publish(): Promise<void> {
    await publishCreatorStats({ creatorId, stats, revision });
    dirtySince = null;
    const changed = stats.tier !== published.tier || stats.score !== published.score;
    if (changed || (stats.lastEventAtMs ?? -1) !== published.lastEventAtMs) {
      upsertSearchAttributes([
        { key: CreatorTier, value: stats.tier },
        { key: CreatorScore, value: stats.score },
        ...(stats.lastEventAtMs !== null ? [{ key: LastEventAt, value: new Date(stats.lastEventAtMs) }] : []),
      ]);
      published = { tier: stats.tier, score: stats.score, lastEventAtMs: stats.lastEventAtMs ?? -1 };
    }
  }
}
