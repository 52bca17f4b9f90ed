import type { RecentIds } from '../../src/domain/recent-ids.js';

/**
 * What an entity workflow's signal handlers received and the loop has not applied yet. Handlers only push; the
 * loop takes everything at once, so a message is either applied by this run or still here to be carried into the
 * next one — never in between.
 */
export class Inbox<T> {
  private items: T[];

  constructor(carried: readonly T[] = []) {
    this.items = [...carried];
  }

  push(...items: T[]): void {
    this.items.push(...items);
  }

  get size(): number {
    return this.items.length;
  }

  /** Everything received so far, oldest first; the inbox is empty afterwards. */
  take(): T[] {
    return this.items.splice(0);
  }
}

/** Keeps the items whose id `recent` has not seen (and now remembers); counts the others. */
export function dropRepeated<T>(
  items: readonly T[],
  idOf: (item: T) => string,
  recent: RecentIds,
): { fresh: T[]; dropped: number } {
  const fresh = items.filter((item) => recent.remember(idOf(item)));
  return { fresh, dropped: items.length - fresh.length };
}
