import { log } from '@temporalio/activity';
import type { CreatorSnapshot, CreatorStats } from '../src/domain/creator-score.js';
import { creatorBoardValues } from '../src/domain/leaderboards.js';
import { insertCreatorSnapshot } from '../src/store/creator-snapshots.js';
import { loadCreatorStats, saveCreatorStatsMany, type CreatorStatsDoc } from '../src/store/creator-stats.js';
import { createGroupBatcher } from '../src/store/group-batcher.js';
import { isListedCreator, publishCreatorBoards } from '../src/store/leaderboards.js';
import type { ActivityDeps } from './deps.js';

export interface PublishedCreatorStats {
  creatorId: string;
  stats: CreatorStats;
  revision: number;
  /** Passed by a completing run, for its successor (see CreatorStatsDoc). */
  completedRunPartIds?: string[];
}

export interface RestoredCreatorStats {
  stats: CreatorStats;
  revision: number;
  /** Absent in results recorded before the workflow's 'creator-completion-part-ids' patch. */
  completedRunPartIds?: string[];
}

/** Creator stats per bulk call: the creators of one worker publish together (see group-batcher.ts). */
const STATS_PER_FLUSH = 500;

export function createCreatorActivities({ db, redis }: ActivityDeps) {
  const statsWriter = createGroupBatcher<CreatorStatsDoc, boolean>(
    (docs) => saveCreatorStatsMany(db, docs),
    STATS_PER_FLUSH,
  );
  return {
    /** Idempotent: a revision-guarded replace of the read model, then the leaderboards (absolute values). */
    async publishCreatorStats({
      creatorId,
      stats,
      revision,
      completedRunPartIds,
    }: PublishedCreatorStats): Promise<void> {
      const fresh = await statsWriter.submit({
        _id: creatorId,
        stats,
        revision,
        updatedAt: new Date(),
        ...(completedRunPartIds ? { completedRunPartIds } : {}),
      });
      if (!fresh) return; // a newer revision is stored and has published its own boards
      if (!(await isListedCreator(db, creatorId))) return; // boards list creators only (store/leaderboards.ts)
      // Redis is derived data: losing it must not fail (and endlessly retry) the activity; a rebuild restores it.
      await publishCreatorBoards(redis, creatorId, creatorBoardValues(stats)).catch((error: Error) =>
        log.warn('leaderboard write failed', { creatorId, error: error.message }),
      );
    },

    async loadCreatorStats(creatorId: string): Promise<RestoredCreatorStats | null> {
      const doc = await loadCreatorStats(db, creatorId);
      return doc
        ? { stats: doc.stats, revision: doc.revision, completedRunPartIds: doc.completedRunPartIds ?? [] }
        : null;
    },

    /** Writes the day's snapshot once (unique creatorId+day); says whether this call wrote it. */
    async writeCreatorSnapshot({
      creatorId,
      snapshot,
    }: {
      creatorId: string;
      snapshot: CreatorSnapshot;
    }): Promise<boolean> {
      return insertCreatorSnapshot(db, creatorId, snapshot, new Date());
    },
  };
}

export type CreatorActivities = ReturnType<typeof createCreatorActivities>;
