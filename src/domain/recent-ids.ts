/**
 * A bounded memory of the last applied ids, oldest first, so a redelivered message is applied once.
 * Redelivery (a relay that died between signalling and closing its outbox entry) happens within seconds,
 * so the last few thousand ids are plenty; the bound keeps workflow state and continue-as-new input small.
 */
export const RECENT_IDS_LIMIT = 4_000;

export class RecentIds {
  private readonly order: string[];
  private readonly seen: Set<string>;

  constructor(
    initial: readonly string[] = [],
    private readonly limit = RECENT_IDS_LIMIT,
  ) {
    this.order = initial.slice(-limit);
    this.seen = new Set(this.order);
  }

  /** Records the id and says whether it is new. */
  remember(id: string): boolean {
    if (this.seen.has(id)) return false;
    this.seen.add(id);
    this.order.push(id);
    if (this.order.length > this.limit) this.seen.delete(this.order.shift() as string);
    return true;
  }

  toJSON(): string[] {
    return [...this.order];
  }
}

/**
 * One user's events of one outbox batch (or a ≤ 500-event slice of it), delivered together in one signal: the relay
 * names it `part/{batchId}:{slice}` (the prefix cannot occur in an eventId, which has no `/`). A re-delivered entry
 * repeats whole parts, so remembering parts, a few per outbox entry, keeps dedup exact however many events a delivery
 * carries for one user, where the bounded set of event ids alone could be outrun.
 */
export interface DeliveryPart {
  id: string;
  /** How many of the signal's events, in order after the previous part's, belong to this part. */
  count: number;
}

export const PART_ID_PREFIX = 'part/';

/** How many part ids a workflow remembers: ten relays' worth of pending entries (200 each) for one user, about 90 kB. */
export const RECENT_PARTS_LIMIT = 2_000;

/** The events of parts not delivered before (now remembered); events past the last part are kept as they are. */
export function withoutDeliveredParts<T>(
  events: readonly T[],
  parts: readonly DeliveryPart[] | undefined,
  delivered: RecentIds,
): { kept: T[]; dropped: number } {
  if (!parts || parts.length === 0) return { kept: [...events], dropped: 0 };
  const kept: T[] = [];
  let at = 0;
  for (const part of parts) {
    const count = Number.isInteger(part?.count) && part.count > 0 ? part.count : 0;
    const slice = events.slice(at, at + count);
    at += count;
    if (typeof part?.id !== 'string' || delivered.remember(part.id)) kept.push(...slice);
  }
  kept.push(...events.slice(at));
  return { kept, dropped: events.length - kept.length };
}
