import type { Redis } from 'ioredis';
import { redisKeys } from '../../src/store/redis-keys.js';

/**
 * Event → profile lag, as the bench defines it: an event is the k-th of its user in post order; it counts as applied
 * when the user's persisted profile first shows appliedEvents ≥ k. Lag = the time that was observed − the start of
 * the POST that carried the event (≈ its receivedAt; occurredAt is set to the same instant).
 *
 * Observed in the Redis hot cache, which the persist writes right after the Mongo read model in the same flush: so
 * a profile seen there is in `interest_profiles` too. Polling Mongo instead would cost the system under test a
 * scan of every profile per poll (FerretDB 1.x has no index lookups), which is how this bench used to steal a third
 * of the database's time. Only users not yet complete are read, with MGET, every POLL_MS: a lag is overstated by at
 * most one poll interval plus the poll's own time, never understated.
 */
const MGET_CHUNK = 1_000;
const APPLIED = /"appliedEvents":(\d+)/;

export class AppliedTracker {
  private readonly postedAt = new Map<string, number[]>();
  private readonly reached = new Map<string, number>();
  private readonly lags: number[] = [];
  lastSeenAtMs = 0;

  constructor(private readonly redis: Redis) {}

  /** A user whose profile already holds `applied` events before this tracker's (a warmed-up user). */
  alreadyApplied(userId: string, applied: number): void {
    this.postedAt.set(userId, Array<number>(applied).fill(0));
    this.reached.set(userId, applied);
  }

  posted(userId: string, atMs: number): void {
    const list = this.postedAt.get(userId);
    if (list) list.push(atMs);
    else this.postedAt.set(userId, [atMs]);
  }

  get applied(): number {
    return this.lags.length;
  }

  /** Reads the cached profiles of the users whose events are not all applied yet. */
  async poll(): Promise<void> {
    const pending = [...this.postedAt].filter(([user, times]) => (this.reached.get(user) ?? 0) < times.length);
    for (let i = 0; i < pending.length; i += MGET_CHUNK) {
      const chunk = pending.slice(i, i + MGET_CHUNK);
      const cached = await this.redis.mget(chunk.map(([user]) => redisKeys.hot.profile(user)));
      const seenAtMs = Date.now();
      chunk.forEach(([user, times], j) => {
        const applied = Number(APPLIED.exec(cached[j] ?? '')?.[1] ?? 0);
        const from = this.reached.get(user) ?? 0;
        const to = Math.min(applied, times.length);
        if (to <= from) return;
        for (let k = from; k < to; k++) this.lags.push(seenAtMs - (times[k] ?? seenAtMs));
        this.reached.set(user, to);
        this.lastSeenAtMs = seenAtMs;
      });
    }
  }

  percentile(p: number): number {
    const sorted = [...this.lags].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
  }
}
