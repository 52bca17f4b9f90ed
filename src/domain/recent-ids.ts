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
