import { condition, log, proxyActivities } from '@temporalio/workflow';
import type { TvStationActivities } from '../../activities/tv-station.js';
import { liveShow, nextShowToStart, stationStatus, type Show, type StationStatus } from '../../src/domain/schedule.js';
import type { TvStationSettings } from './messages.js';

type Activities = TvStationActivities;
const { openShowViewers, recordFinishedShow, publishStationState } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});
// A large creator's fan-out takes a while; the heartbeat lets a retry resume where the last attempt stopped.
const { notifyFollowers } = proxyActivities<Activities>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

export type Effect =
  | { kind: 'open'; show: Show }
  | { kind: 'notify'; show: Show }
  | { kind: 'finish'; show: Show }
  | { kind: 'publish'; status: StationStatus; live: Show | null; nextShowAtMs: number | null };

export interface StationContext {
  stationId: string;
  ownerId: string;
  settings: TvStationSettings;
}

/**
 * What a schedule change does outside the workflow, run strictly in order by one drainer: the previous show's
 * counts are folded and cleared before the next show's counts open, and station state is published in sequence.
 * Update handlers wait for the effects they caused (`settled`), so a reply means the change is visible. Follower
 * notifications are the exception: a large fan-out takes minutes, so it runs beside the queue and nothing waits
 * for it except continue-as-new and completion (`fanOutsDone`).
 */
export class EffectQueue {
  private readonly queue: Effect[] = [];
  private readonly fanOuts = new Set<Promise<void>>();
  private enqueued = 0;
  private done = 0;

  get pending(): number {
    return this.queue.length;
  }

  push(...effects: Effect[]): void {
    this.queue.push(...effects);
    this.enqueued += effects.length;
  }

  /** Resolves once everything enqueued so far has run (fan-outs once started). */
  settled(): Promise<void> {
    const target = this.enqueued;
    return condition(() => this.done >= target);
  }

  async drain(station: StationContext): Promise<void> {
    for (let effect = this.queue[0]; effect; effect = this.queue[0]) {
      if (effect.kind === 'notify') {
        const { showId } = effect.show;
        const fanOut: Promise<void> = run(effect, station)
          // Retries are unlimited, so this is a cancellation: missing notifications must not fail the station.
          .catch((error: unknown) => log.warn('follower fan-out stopped', { showId, error: String(error) }))
          .finally(() => this.fanOuts.delete(fanOut));
        this.fanOuts.add(fanOut);
      } else {
        await run(effect, station);
      }
      this.queue.shift();
      this.done += 1;
    }
  }

  async fanOutsDone(): Promise<void> {
    await Promise.all([...this.fanOuts]);
  }
}

async function run(effect: Effect, { stationId, ownerId, settings }: StationContext): Promise<void> {
  switch (effect.kind) {
    case 'open':
      return openShowViewers(stationId, effect.show.showId);
    case 'notify':
      await notifyFollowers({ stationId, ownerId, show: effect.show, batchSize: settings.notifyBatchSize });
      return;
    case 'finish':
      await recordFinishedShow(stationId, effect.show, settings.viewerTimeoutMs);
      return;
    case 'publish':
      return publishStationState({
        stationId,
        status: effect.status,
        live: effect.live,
        nextShowAtMs: effect.nextShowAtMs,
      });
  }
}

/** The effects of going from one schedule to the next: finishes first, then opens, then one publish. */
export function effectsOf(before: readonly Show[], after: readonly Show[], nowMs: number): Effect[] {
  const previous = new Map(before.map((s) => [s.showId, s]));
  const finished: Effect[] = [];
  const opened: Effect[] = [];
  const notices: Effect[] = [];
  for (const show of after) {
    const was = previous.get(show.showId);
    if (was?.status === show.status) continue;
    if (show.status === 'ended' || show.status === 'cancelled') finished.push({ kind: 'finish', show });
    if (show.status === 'live') {
      opened.push({ kind: 'open', show });
      notices.push({ kind: 'notify', show });
    }
  }
  const changed = finished.length > 0 || opened.length > 0 || publishKey(before, nowMs) !== publishKey(after, nowMs);
  if (!changed) return [];
  return [...finished, ...opened, publishOf(after, nowMs), ...notices];
}

function publishOf(schedule: readonly Show[], nowMs: number): Effect {
  return {
    kind: 'publish',
    status: stationStatus(schedule),
    live: liveShow(schedule) ?? null,
    nextShowAtMs: nextShowToStart(schedule, nowMs)?.startMs ?? null,
  };
}

function publishKey(schedule: readonly Show[], nowMs: number): string {
  const p = publishOf(schedule, nowMs);
  return p.kind === 'publish'
    ? `${p.status}|${p.live?.showId}|${p.live?.startMs}|${p.live?.durationMs}|${p.nextShowAtMs}`
    : '';
}
