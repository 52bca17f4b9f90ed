import { activityInfo, heartbeat, log } from '@temporalio/activity';
import type { Show, StationStatus } from '../src/domain/schedule.js';
import { insertNotificationsOnce } from '../src/store/notification-batches.js';
import { relatedUsers } from '../src/store/relationships.js';
import { recordShow, type ShowStats } from '../src/store/shows.js';
import { setStationState } from '../src/store/stations.js';
import { clearShowViewers, openShowViewers, viewerCounts } from '../src/store/viewers.js';
import { liveChannels, publishLive } from '../src/live/publisher.js';
import type { ActivityDeps } from './deps.js';

export interface StationStateUpdate {
  stationId: string;
  status: StationStatus;
  live: Show | null;
  nextShowAtMs: number | null;
}

export interface FollowerNotice {
  stationId: string;
  ownerId: string;
  show: Show;
  batchSize: number;
}

/** Activities of the TV station workflow. Each is idempotent: retries and replays write the same records once. */
export function createTvStationActivities({ db, redis }: ActivityDeps) {
  return {
    async openShowViewers(stationId: string, showId: string): Promise<void> {
      await openShowViewers(redis, stationId, showId);
    },

    /**
     * Moves a finished show to Mongo `shows`; for a show that was live, folds in its Redis viewer counts first and
     * clears them after, so a retry after the clear finds no counts and keeps the stored stats.
     */
    async recordFinishedShow(stationId: string, show: Show, viewerTimeoutMs: number): Promise<ShowStats | null> {
      let stats: ShowStats | null = null;
      if (show.wentLiveAtMs !== undefined) {
        const counts = await viewerCounts(redis, stationId, { nowMs: Date.now(), timeoutMs: viewerTimeoutMs });
        if (counts?.showId === show.showId) {
          stats = { peakViewers: counts.peak, uniqueViewers: counts.unique, viewersAtEnd: counts.current };
        }
      }
      await recordShow(db, stationId, show, stats);
      if (show.wentLiveAtMs !== undefined) await clearShowViewers(redis, stationId, show.showId);
      return stats;
    },

    async publishStationState(update: StationStateUpdate): Promise<void> {
      const { live } = update;
      const state = {
        status: update.status,
        liveShow: live
          ? {
              showId: live.showId,
              title: live.title,
              startedAt: new Date(live.wentLiveAtMs ?? live.startMs),
              endsAt: new Date(live.startMs + live.durationMs),
            }
          : null,
        nextShowAt: update.nextShowAtMs === null ? null : new Date(update.nextShowAtMs),
      };
      await setStationState(db, update.stationId, state);
      await publishLive(redis, liveChannels.station(update.stationId), 'status', state);
    },

    /**
     * One notification per follower of the station's creator, in batches. The _id `${showId}:${userId}` makes a
     * rewrite a no-op, and the heartbeat carries the last follower done so a retry resumes instead of restarting.
     */
    async notifyFollowers({ stationId, ownerId, show, batchSize }: FollowerNotice): Promise<number> {
      const resumeAfter: unknown = activityInfo().heartbeatDetails;
      let after = typeof resumeAfter === 'string' ? resumeAfter : null;
      let written = 0;
      for (;;) {
        const edges = await relatedUsers(db, 'follow', 'to', ownerId, after ?? undefined, batchSize);
        const followers = edges.map((edge) => edge.from);
        if (followers.length === 0) break;
        const createdAt = new Date();
        const notices = followers.map((userId) => ({
          _id: `${show.showId}:${userId}`,
          recipient: userId,
          kind: 'show_live',
          title: `${show.title} is live`,
          body: `A station you follow went live: ${show.title}`,
          data: { stationId, showId: show.showId, creatorId: ownerId },
          createdAt,
          readAt: null,
        }));
        written += await insertNotificationsOnce(db, notices);
        await Promise.all(notices.map((n) => publishLive(redis, liveChannels.user(n.recipient), 'notification', n)));
        after = followers.at(-1) ?? after;
        heartbeat(after);
        if (followers.length < batchSize) break;
      }
      log.info('followers notified', { stationId, showId: show.showId, written });
      return written;
    },
  };
}

export type TvStationActivities = ReturnType<typeof createTvStationActivities>;
