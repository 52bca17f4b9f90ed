import type { Redis } from 'ioredis';
import { liveKeys, type LiveChannel, type LiveEvent } from './publisher.js';

type Listener = (event: LiveEvent) => void;

/**
 * One Redis subscriber connection per API instance, shared by all its open streams: a channel is subscribed while
 * at least one stream follows it, so Redis sends each event once per instance, not once per client.
 */
export class LiveHub {
  private readonly listeners = new Map<string, Set<Listener>>();

  constructor(
    private readonly redis: Redis,
    private readonly subscriber: Redis,
  ) {
    subscriber.on('message', (pubsub: string, message: string) => {
      const parsed = JSON.parse(message) as { id: string; type: string; data: string };
      const event: LiveEvent = { id: parsed.id, type: parsed.type, data: JSON.parse(parsed.data) as unknown };
      for (const listener of this.listeners.get(pubsub) ?? []) listener(event);
    });
  }

  /** Starts delivering the channel's new events to `listener`; resolves once Redis confirmed the subscription. */
  async follow(channel: LiveChannel, listener: Listener): Promise<() => Promise<void>> {
    const { pubsub } = liveKeys(this.redis, channel);
    let set = this.listeners.get(pubsub);
    if (!set) {
      set = new Set();
      this.listeners.set(pubsub, set);
    }
    set.add(listener);
    if (set.size === 1) await this.subscriber.subscribe(pubsub);
    return async () => {
      set.delete(listener);
      if (set.size === 0 && this.listeners.get(pubsub) === set) {
        this.listeners.delete(pubsub);
        await this.subscriber.unsubscribe(pubsub).catch(() => undefined);
      }
    };
  }

  /**
   * The channel's events after `lastId` still in its stream, oldest first, and whether the stream may no longer
   * hold everything after it (trimmed past it): then the client must refetch the state.
   */
  async since(channel: LiveChannel, lastId: string): Promise<{ events: LiveEvent[]; gap: boolean }> {
    const { stream } = liveKeys(this.redis, channel);
    const [entries, oldest] = await Promise.all([
      this.redis.xrange(stream, `(${lastId}`, '+'),
      this.redis.xrange(stream, '-', '+', 'COUNT', 1),
    ]);
    const events = entries.map(([id, fields]) => {
      const value = (name: string) => fields[fields.indexOf(name) + 1] ?? 'null';
      return { id, type: value('type'), data: JSON.parse(value('data')) as unknown };
    });
    const oldestId = oldest[0]?.[0];
    // The oldest event kept is newer than the client's last: whatever came between may have been trimmed.
    return { events, gap: oldestId !== undefined && compareStreamIds(oldestId, lastId) > 0 };
  }

  async close(): Promise<void> {
    this.listeners.clear();
    this.subscriber.disconnect();
  }
}

/** Redis stream ids `<ms>-<seq>` in order. */
export function compareStreamIds(a: string, b: string): number {
  const [aMs, aSeq] = a.split('-').map(Number) as [number, number];
  const [bMs, bSeq] = b.split('-').map(Number) as [number, number];
  return aMs - bMs || (aSeq ?? 0) - (bSeq ?? 0);
}

export const STREAM_ID = /^\d{1,20}(-\d{1,20})?$/;
