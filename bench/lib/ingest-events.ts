import type { EngagementType } from '../../src/domain/engagement.js';

export interface BenchEvent {
  eventId: string;
  userId: string;
  type: EngagementType;
  contentId: string;
  occurredAt: string;
}

/** A mix close to a feed's: mostly views and watch time, some likes and skips, the rest rare. */
const TYPES: EngagementType[] = [
  ...Array<EngagementType>(10).fill('view'),
  ...Array<EngagementType>(4).fill('watch_time'),
  ...Array<EngagementType>(3).fill('like'),
  ...Array<EngagementType>(3).fill('skip'),
  'comment',
  'share',
];

/**
 * `total` events in batches, users and content drawn with a fixed-seed generator so runs compare. Every user gets
 * about total/users events, spread over the whole stream (as real traffic is), not bunched in one batch.
 */
export function eventStream(opts: {
  userPrefix: string;
  users: number;
  total: number;
  batch: number;
  contentIds: string[];
}): Omit<BenchEvent, 'occurredAt'>[][] {
  let seed = 7;
  const random = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const runId = Date.now().toString(36);
  const batches: Omit<BenchEvent, 'occurredAt'>[][] = [];
  for (let start = 0; start < opts.total; start += opts.batch) {
    const size = Math.min(opts.batch, opts.total - start);
    batches.push(
      Array.from({ length: size }, (_, i) => ({
        eventId: `${opts.userPrefix}-${runId}-${start + i}`,
        userId: `${opts.userPrefix}-${Math.floor(random() * opts.users)}`,
        type: pick(TYPES),
        contentId: pick(opts.contentIds),
      })),
    );
  }
  return batches;
}
