/** One outbox entry's share of a target's next signal: a user's events of that entry, or a creator's summed delta. */
export interface PendingPart<T> {
  batchId: string;
  value: T;
}

/** What one signal (or a few, when large) to one target carries: every part the target had waiting, oldest first. */
export interface Delivery<T> {
  target: string;
  parts: PendingPart<T>[];
}

/**
 * What a relay has leased and not yet delivered: per target (a workflow), the parts waiting for its next signal, and
 * per outbox entry how many of its parts are still undelivered.
 *
 * Parts of a target that arrive while its earlier ones still wait join the same signal, so a relay that keeps
 * leasing while it sends gives a busy user one signal per turn, not one per entry. A target is handed out once at a
 * time, so its signals go out in the order their parts were added. Targets take turns oldest-waiting first. An entry
 * is complete, and may be closed, once each of its parts was delivered.
 */
export class PendingDeliveries<T> {
  private readonly waiting = new Map<string, PendingPart<T>[]>();
  private readonly inFlight = new Set<string>();
  private readonly undelivered = new Map<string, number>();
  private complete: string[] = [];

  /**
   * An entry's parts per target; an entry without parts is complete at once. An entry already pending is left as it
   * is: its relay leased it again after its own lease lapsed (a stalled process), and its parts are queued already.
   */
  add(batchId: string, parts: readonly { target: string; value: T }[]): void {
    if (this.undelivered.has(batchId)) return;
    if (parts.length === 0) {
      this.complete.push(batchId);
      return;
    }
    this.undelivered.set(batchId, parts.length);
    for (const { target, value } of parts) this.queue(target, [{ batchId, value }]);
  }

  /** The oldest-waiting target that has no delivery in flight, with all its waiting parts; it is then in flight. */
  next(): Delivery<T> | undefined {
    for (const [target, parts] of this.waiting) {
      if (this.inFlight.has(target)) continue;
      this.waiting.delete(target);
      this.inFlight.add(target);
      return { target, parts };
    }
    return undefined;
  }

  delivered(delivery: Delivery<T>): void {
    this.inFlight.delete(delivery.target);
    for (const { batchId } of delivery.parts) {
      const left = (this.undelivered.get(batchId) ?? 0) - 1;
      if (left > 0) {
        this.undelivered.set(batchId, left);
      } else {
        this.undelivered.delete(batchId);
        this.complete.push(batchId);
      }
    }
  }

  /** A delivery that failed: its parts wait again, ahead of any that arrived for the target meanwhile. */
  failed(delivery: Delivery<T>): void {
    this.inFlight.delete(delivery.target);
    this.queue(delivery.target, delivery.parts, true);
  }

  /** Entries whose parts were all delivered since the last call. */
  takeComplete(): string[] {
    const complete = this.complete;
    this.complete = [];
    return complete;
  }

  /** Entries with parts still undelivered. */
  pendingEntries(): string[] {
    return [...this.undelivered.keys()];
  }

  private queue(target: string, parts: PendingPart<T>[], first = false): void {
    const waiting = this.waiting.get(target) ?? [];
    this.waiting.set(target, first ? [...parts, ...waiting] : [...waiting, ...parts]);
  }
}
