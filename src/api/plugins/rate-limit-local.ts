import type { RateLimit, RateLimitUse } from '../../store/rate-limits.js';

/** Spends units in the shared (Redis) counter: consumeRateLimit, or a fake in the unit tests. */
export type SharedSpend = (key: string, limit: RateLimit, cost: number) => Promise<RateLimitUse>;

interface Window {
  limit: RateLimit;
  /** The shared count at the last answer from Redis. */
  known: number;
  /** Spent here since, not yet in Redis. */
  pending: number;
  resetAtMs: number;
}

export interface LocalBudgetOptions {
  /** How often pending spends reach Redis; the most another process's view of a caller can lag. */
  syncMs: number;
  spend: SharedSpend;
  now?: () => number;
  /** Callers tracked at once; beyond it new callers go to Redis on every request. */
  maxKeys?: number;
}

/**
 * A per-process front of the shared limiter, so a caller well within budget costs no Redis round trip per request.
 * While a caller's known count plus what this process spent since is at most half the limit, a request is
 * counted here and the sum reaches Redis within `syncMs` (one INCRBY per caller per sync). From half the limit
 * on, and for the first request of a window, every request spends in Redis and waits for the shared count, so
 * the limit itself is decided exactly by Redis unless several processes each spend their half of one caller's
 * budget within one sync interval. Spends still pending when their window ends are dropped rather than charged to
 * the next window. Losing Redis lets requests through, as the limiter's skipOnError does.
 */
export class LocalBudget {
  private readonly windows = new Map<string, Window>();
  private timer: NodeJS.Timeout | undefined;
  private readonly now: () => number;
  private readonly maxKeys: number;

  constructor(private readonly options: LocalBudgetOptions) {
    this.now = options.now ?? Date.now;
    this.maxKeys = options.maxKeys ?? 50_000;
  }

  async consume(key: string, limit: RateLimit): Promise<{ current: number; ttlMs: number }> {
    const now = this.now();
    const window = this.windows.get(key);
    const live = window !== undefined && now < window.resetAtMs && window.limit.max === limit.max;
    if (live && 2 * (window.known + window.pending + 1) <= limit.max) {
      window.pending++;
      this.scheduleSync();
      return { current: window.known + window.pending, ttlMs: window.resetAtMs - now };
    }
    const cost = 1 + (live ? window.pending : 0);
    if (live) window.pending = 0;
    else if (window) this.windows.delete(key);
    const use = await this.options.spend(key, limit, cost);
    this.remember(key, limit, use);
    return { current: use.current, ttlMs: use.ttlMs };
  }

  /** Sends every pending spend to Redis now; the timer calls it, and close() for the last ones. */
  async sync(): Promise<void> {
    this.timer = undefined;
    const now = this.now();
    const spends: Array<Promise<void>> = [];
    for (const [key, window] of this.windows) {
      if (now >= window.resetAtMs) {
        this.windows.delete(key);
        continue;
      }
      if (window.pending === 0) continue;
      const cost = window.pending;
      window.pending = 0;
      spends.push(
        this.options.spend(key, window.limit, cost).then(
          (use) => this.remember(key, window.limit, use),
          () => undefined, // Redis down: those requests went through uncounted, as skipOnError lets them
        ),
      );
    }
    await Promise.all(spends);
  }

  async close(): Promise<void> {
    clearTimeout(this.timer);
    await this.sync();
  }

  private remember(key: string, limit: RateLimit, use: RateLimitUse): void {
    const window = this.windows.get(key);
    const resetAtMs = this.now() + use.ttlMs;
    // Redis's count is the truth (a smaller one means its window restarted); spends made meanwhile stay pending.
    if (window && window.limit.max === limit.max) Object.assign(window, { known: use.current, resetAtMs });
    else if (window || this.windows.size < this.maxKeys) {
      this.windows.set(key, { limit, known: use.current, pending: 0, resetAtMs });
    }
  }

  private scheduleSync(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => void this.sync(), this.options.syncMs);
    this.timer.unref();
  }
}
