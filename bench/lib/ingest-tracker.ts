import type { Db } from 'mongodb';
import { interestProfilesCollection } from '../../src/store/interest-profiles.js';

/**
 * Event → profile lag, as the bench defines it: an event is the k-th of its user in post order; it counts as applied
 * when the persisted read model (interest_profiles) first shows appliedEvents ≥ k, at that document's `savedAt`
 * (written by the persist activity). Lag = savedAt − the start of the POST that carried the event (≈ its receivedAt;
 * occurredAt is set to the same instant). Polling only decides which save we see: missing an intermediate save
 * overstates a lag by at most one persist debounce, never understates it.
 */
const LOOK_BACK_MS = 5_000;

export class AppliedTracker {
  private readonly postedAt = new Map<string, number[]>();
  private readonly reached = new Map<string, number>();
  private readonly lags: number[] = [];
  private since = new Date(0);
  lastSavedAtMs = 0;

  constructor(private readonly db: Db) {}

  posted(userId: string, atMs: number): void {
    const list = this.postedAt.get(userId);
    if (list) list.push(atMs);
    else this.postedAt.set(userId, [atMs]);
  }

  /** After a stall, read everything once more in case a save landed further back than the look-back. */
  rescan(): void {
    this.since = new Date(0);
  }

  get applied(): number {
    return this.lags.length;
  }

  /** Reads the profiles saved since the last poll (users outside this tracker are ignored). */
  async poll(): Promise<void> {
    const docs = await interestProfilesCollection(this.db)
      .find({ savedAt: { $gte: this.since } }, { projection: { appliedEvents: 1, savedAt: 1 } })
      .toArray();
    for (const doc of docs) {
      const times = this.postedAt.get(doc._id);
      if (!times) continue;
      const savedAtMs = doc.savedAt.getTime();
      const from = this.reached.get(doc._id) ?? 0;
      const to = Math.min(doc.appliedEvents, times.length);
      for (let k = from; k < to; k++) this.lags.push(savedAtMs - (times[k] ?? savedAtMs));
      if (to > from) {
        this.reached.set(doc._id, to);
        this.lastSavedAtMs = Math.max(this.lastSavedAtMs, savedAtMs);
      }
      // savedAt is stamped before the write lands, so a slow write can appear behind a newer one: look back.
      if (savedAtMs - LOOK_BACK_MS > this.since.getTime()) this.since = new Date(savedAtMs - LOOK_BACK_MS);
    }
  }

  percentile(p: number): number {
    const sorted = [...this.lags].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
  }
}
