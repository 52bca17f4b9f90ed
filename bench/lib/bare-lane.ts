import pMap from 'p-map';
import type { EngagementEvent } from '../../src/domain/interest-profile.js';
import { SIGNAL_CONCURRENCY } from '../../src/ingestion/event-relay.js';

/**
 * The bare lanes of bench/relay.ts and bench/ingest.ts: one signal per user carrying `count` minimal events, sent with
 * the relay's own concurrency, so a lane differs from the relay only in what it signals and how it got the events.
 */
export async function signalPerUser(
  perUser: Iterable<[string, number]>,
  send: (userId: string, events: EngagementEvent[]) => Promise<void>,
): Promise<void> {
  const atMs = Date.now();
  await pMap(perUser, ([userId, count]) => send(userId, bareEvents(userId, count, atMs)), {
    concurrency: SIGNAL_CONCURRENCY,
  });
}

function bareEvents(userId: string, count: number, atMs: number): EngagementEvent[] {
  return Array.from({ length: count }, (_, k) => ({
    eventId: `${userId}-bare-${atMs}-${k}`,
    type: 'view' as const,
    occurredAtMs: atMs,
    topics: [],
  }));
}

/** The task queue of the bare lane's counting workflow (bench/lib/count-workflow.ts), beside the system's own. */
export function bareTaskQueue(taskQueue: string): string {
  return `${taskQueue}-bare`;
}
