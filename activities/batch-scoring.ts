import { ApplicationFailure, Context } from '@temporalio/activity';
import type { BatchScorer, ChunkResult } from '../src/ranking/batch.js';

export interface ScorePageInput {
  /** The run's cursor: the page starts after this user (null for the first page). */
  afterUserId: string | null;
  activeSinceMs: number;
  pageSize: number;
  /** Users between heartbeats: the most work a killed worker can lose and redo. */
  chunkSize: number;
  nowMs: number;
}

/** Totals of one page; also the heartbeat details, so a retry resumes after `lastUserId` with the counts so far. */
export interface PageProgress {
  lastUserId: string | null;
  users: number;
  items: number;
  failures: number;
  fallbackUsers: number;
  modelVersion: string | null;
}

export interface ScorePageResult extends PageProgress {
  /** True when this page was the last (fewer active users than pageSize). */
  done: boolean;
}

/**
 * The batch-scoring activity: one page of active users, scored a chunk at a time, heartbeating the cursor after
 * each chunk. When the worker dies mid-page, the next attempt (on any worker) reads the last heartbeat and goes on
 * after the last scored user instead of starting the page again. Writes are whole-feed replaces, so a chunk
 * scored but not yet heartbeated is merely scored twice, never counted twice in the feed.
 */
export function createBatchScoringActivities(scorer: BatchScorer) {
  return {
    async scoreActiveUserPage(input: ScorePageInput): Promise<ScorePageResult> {
      const context = Context.current();
      const resumed = context.info.heartbeatDetails as PageProgress | undefined;
      const progress: PageProgress = resumed ?? {
        lastUserId: input.afterUserId,
        users: 0,
        items: 0,
        failures: 0,
        fallbackUsers: 0,
        modelVersion: null,
      };
      if (resumed) context.log.info('resuming batch-scoring page', { after: resumed.lastUserId, users: resumed.users });
      const [page] = await Promise.all([
        scorer.activeUsers(input.afterUserId, input.activeSinceMs, input.pageSize),
        scorer.prepare?.(input.nowMs),
      ]);
      const cursor = progress.lastUserId;
      const todo = cursor === null ? page : page.filter((id) => id > cursor);
      for (let i = 0; i < todo.length; i += input.chunkSize) {
        // A failure, not a cancellation: on worker shutdown the retry on another worker is exactly what we want.
        if (context.cancellationSignal.aborted) throw ApplicationFailure.retryable('page interrupted', 'Interrupted');
        const chunk = todo.slice(i, i + input.chunkSize);
        add(progress, await scorer.scoreUsers(chunk, input.nowMs));
        progress.lastUserId = chunk[chunk.length - 1] ?? progress.lastUserId;
        context.heartbeat(progress);
      }
      return {
        ...progress,
        lastUserId: page[page.length - 1] ?? progress.lastUserId,
        done: page.length < input.pageSize,
      };
    },
  };
}

function add(progress: PageProgress, chunk: ChunkResult): void {
  progress.users += chunk.users;
  progress.items += chunk.items;
  progress.failures += chunk.failures;
  progress.fallbackUsers += chunk.fallbackUsers;
  progress.modelVersion = chunk.modelVersion;
}
