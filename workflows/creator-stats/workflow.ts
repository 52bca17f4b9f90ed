import {
  condition,
  continueAsNew,
  log,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { CreatorActivities } from '../../activities/creator.js';
import { nextUtcMidnight } from '../../src/domain/creator-score.js';
import { ENTITY_ACTIVITY_OPTIONS } from '../entity/activity-options.js';
import { Inbox } from '../entity/inbox.js';
import { beforeContinueAsNew, quietAfterLastWrite, runIsFull } from '../entity/run-end.js';
import { WriteDebounce } from '../entity/write-debounce.js';
import { CreatorStatsState } from './creator-stats-state.js';
import { creatorMetricsSignal, getStatsQuery, type CreatorStatsInput, type MetricPart } from './messages.js';

const { publishCreatorStats, loadCreatorStats, writeCreatorSnapshot } =
  proxyActivities<CreatorActivities>(ENTITY_ACTIVITY_OPTIONS);

/**
 * One creator's running totals, today's counters, score and tier. Deltas apply at once; the read model and the
 * leaderboards follow, debounced. At each 00:00 UTC the finished day is snapshotted (once: unique index) and the
 * day's counters reset. Idle for settings.idleMs → publish and complete; the next delta restores from the read model.
 */
export async function creatorStatsWorkflow(input: CreatorStatsInput): Promise<void> {
  const { creatorId, settings } = input;
  const inbox = new Inbox<MetricPart>(input.carried?.pendingParts);
  const state = new CreatorStatsState(creatorId, Date.now(), input.carried);
  setHandler(creatorMetricsSignal, (batch) => {
    // A signal never throws at the sender: parts without an id are dropped, bad numbers count as zero.
    if (!Array.isArray(batch?.parts)) return;
    inbox.push(...batch.parts.filter((part) => typeof part?.id === 'string' && part.delta));
  });
  setHandler(getStatsQuery, () => state.view(inbox.size));

  if (!input.carried) state.restore(await loadCreatorStats(creatorId));
  const debounce = new WriteDebounce(settings.persistDebounceMs);
  // A brand-new creator is published without waiting for a second change, so it appears on the boards.
  if (state.revision === 0) debounce.changed(Date.now());
  let lastActivityAt = Date.now();

  for (;;) {
    const wakeAt = Math.min(nextUtcMidnight(Date.now()), debounce.dueAt() ?? lastActivityAt + settings.idleMs);
    const woken = await condition(() => inbox.size > 0, Math.max(1, wakeAt - Date.now()));
    // Midnight first, so a delta arriving just after 00:00 never lands in the day being snapshotted.
    await closeFinishedDay();
    if (woken) {
      applyInbox();
      lastActivityAt = Date.now();
    }
    // Checked after every wake, not only on timeouts: a steady stream of deltas must not postpone publishing forever.
    if (debounce.isDue(Date.now())) {
      await publish();
    } else if (!woken && !debounce.dirty && Date.now() >= lastActivityAt + settings.idleMs) {
      if (await quietAfterLastWrite(inbox, () => publishCreatorStats(state.completed()))) break;
      continue;
    }
    if (runIsFull({ handled: state.runParts, limit: settings.partsPerRun })) {
      await beforeContinueAsNew(async () => {
        applyInbox();
        if (debounce.dirty) await publish();
      });
      await continueAsNew<typeof creatorStatsWorkflow>({ ...input, carried: state.carry(inbox.take()) });
    }
  }
  log.info('creator stats idle, completing', { creatorId, score: state.stats.score, tier: state.stats.tier });

  function applyInbox(): void {
    if (state.apply(inbox.take(), Date.now())) debounce.changed(Date.now());
  }

  async function closeFinishedDay(): Promise<void> {
    const snapshot = state.closeFinishedDay(Date.now());
    if (!snapshot) return;
    await writeCreatorSnapshot({ creatorId, snapshot });
    await publish();
  }

  async function publish(): Promise<void> {
    await publishCreatorStats(state.published());
    debounce.written(Date.now());
    const changes = state.searchAttributeChanges();
    if (changes.length > 0) upsertSearchAttributes(changes);
  }
}
