import type { Client } from '@temporalio/client';
import type { Db } from 'mongodb';
import type { Logger } from 'pino';
import { EventEmitter, once, setMaxListeners } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Config } from '../config.js';
import type { EngagementEvent } from '../domain/interest-profile.js';
import { contentSummaries, type ContentSummary } from '../store/content.js';
import { randomUUID } from 'node:crypto';
import pMap from 'p-map';
import {
  closeOutboxEntries,
  leaseOutboxEntries,
  outboxPayloads,
  relayableOutboxEntries,
  releaseOutboxLeases,
  renewOutboxLeases,
  type OutboxEntry,
} from '../store/event-outbox.js';
import { eventIdOf, eventsOfBatches, type EventDoc } from '../store/events.js';
import { PART_ID_PREFIX } from '../domain/recent-ids.js';
import type { MetricPart } from '../../workflows/creator-stats/messages.js';
import { creatorMetricBatches } from './creator-relay.js';
import { PendingDeliveries, type Delivery } from './pending-deliveries.js';
import { relayLeasesExpired, relayLeasesLost } from './relay-metrics.js';
import { signalCreatorMetrics, signalUserEngagements } from '../workflow-clients/signals.js';

/**
 * Drains the event outbox into the workflows. The worker's relay keeps leasing entries while it sends: each leased
 * entry's events are split per user (and summed per credited creator) into parts that wait in PendingDeliveries, and
 * a user whose earlier parts still wait gets the new ones in the same signal. So a busy user gets one signal per
 * turn however many requests carried their events (one workflow keeps up with only a few signals a second, whatever
 * their size), and a quiet outbox is relayed as soon as an entry is ready instead of after the round before it.
 * An entry is closed only after every signal of its events succeeded; if the relay dies in between, its leases
 * expire, another relay signals the entry again and the workflows drop the parts they already applied.
 */
export interface RelayDeps {
  db: Db;
  temporal: Client;
  config: Config;
  logger: Logger;
  /** Names this relay's leases; one per process unless given. */
  owner?: string;
}

const PROCESS_RELAY_OWNER = randomUUID();

/** Events per signal: keeps each signal far below Temporal's 2 MB payload limit. */
const MAX_EVENTS_PER_SIGNAL = 500;
export const SIGNAL_CONCURRENCY = 16;
/** Pause after a failed step (a signal, a lease read, a close) before trying it again. */
const RETRY_PAUSE_MS = 2_000;

/** A user's events of one outbox entry (≤ MAX_EVENTS_PER_SIGNAL), or a creator's summed delta of one entry. */
type RelayPart = { userId: string; part: DeliveryPart } | { creatorId: string; part: MetricPart };
interface DeliveryPart {
  id: string;
  events: EngagementEvent[];
}
type Pending = PendingDeliveries<RelayPart>;

/** One round (the ops CLI and the tests): lease up to RELAY_ENTRIES_PER_ROUND entries, signal them all, close them. */
export async function relayOnce(deps: RelayDeps): Promise<number> {
  const pending: Pending = new PendingDeliveries();
  const leased = await leaseInto(deps, pending, deps.config.RELAY_ENTRIES_PER_ROUND);
  if (leased.entries === 0) return 0;
  const renewal = keepLeased(deps, () => pending.pendingEntries());
  try {
    await pMap(
      drained(pending),
      async (delivery) => {
        await deliver(deps, delivery);
        pending.delivered(delivery);
      },
      { concurrency: SIGNAL_CONCURRENCY },
    );
  } finally {
    await renewal.stop();
  }
  await closeOutboxEntries(deps.db, pending.takeComplete());
  return leased.events;
}

/** Every delivery of `pending`, each target once (a round adds nothing while it sends). */
function* drained(pending: Pending): Generator<Delivery<RelayPart>> {
  for (let delivery; (delivery = pending.next());) yield delivery;
}

/**
 * The worker's relay until stopped: one loop leases entries whenever fewer than RELAY_ENTRIES_PER_ROUND are pending
 * (pausing RELAY_INTERVAL_MS when the outbox has none) and closes the complete ones; SIGNAL_CONCURRENCY senders
 * deliver the oldest-waiting targets. A failed signal waits and is tried again; its entries stay leased meanwhile.
 * Stopping lets the signals in flight finish, closes what they completed and gives up the leases of the rest, so a
 * restarted or other worker takes them at once.
 */
export function startEventRelay(deps: RelayDeps): { stop(): Promise<void> } {
  const { config, logger } = deps;
  const pending: Pending = new PendingDeliveries();
  const controller = new AbortController();
  const { signal } = controller;
  // The senders and the lease loop all wait on the stop signal and the work bell at once.
  setMaxListeners(SIGNAL_CONCURRENCY + 4, signal);
  const work = new EventEmitter();
  work.setMaxListeners(SIGNAL_CONCURRENCY + 4);
  const pause = (ms: number) => sleep(ms, undefined, { signal }).catch(() => undefined);
  // Delivered entries not yet closed (a close that failed is tried again). Their leases are no longer renewed: a
  // relay that takes one over meanwhile only sends parts the workflows drop.
  let closable: string[] = [];
  const renewal = keepLeased(deps, () => pending.pendingEntries());
  const closeComplete = async () => {
    closable.push(...pending.takeComplete());
    if (closable.length === 0) return;
    await closeOutboxEntries(deps.db, closable);
    closable = [];
  };

  const leaseLoop = async () => {
    while (!signal.aborted) {
      let leased = 0;
      try {
        const room = config.RELAY_ENTRIES_PER_ROUND - pending.pendingEntries().length;
        if (room > 0) leased = (await leaseInto(deps, pending, room)).entries;
        if (leased > 0) work.emit('parts');
        await closeComplete();
      } catch (error) {
        logger.warn({ err: error }, 'event relay could not lease or close outbox entries; retrying');
        await pause(RETRY_PAUSE_MS);
        continue;
      }
      if (leased === 0) await pause(config.RELAY_INTERVAL_MS);
    }
  };

  const sender = async () => {
    while (!signal.aborted) {
      const delivery = pending.next();
      if (!delivery) {
        await once(work, 'parts', { signal }).catch(() => undefined);
        continue;
      }
      try {
        await deliver(deps, delivery);
        pending.delivered(delivery);
      } catch (error) {
        pending.failed(delivery);
        logger.warn({ err: error, target: delivery.target }, 'event relay signal failed; retrying');
        await pause(RETRY_PAUSE_MS);
      }
    }
  };

  const loops = Promise.all([leaseLoop(), ...Array.from({ length: SIGNAL_CONCURRENCY }, sender)]);
  return {
    async stop() {
      controller.abort();
      await loops;
      await renewal.stop();
      await closeComplete().catch((error: unknown) =>
        logger.warn({ err: error, entries: closable.length }, 'event relay could not close delivered entries'),
      );
      await giveUpLeases(deps, pending.pendingEntries());
    },
  };
}

/**
 * Leases up to `limit` relayable entries (leaseOutboxEntries: two relays never signal the same entry) and adds their
 * parts to `pending`. A relay that lost the race for the oldest entries reads again past the leased ones, which is
 * how a second relay adds capacity. If reading the leased entries fails, their leases are given up at once: nothing
 * of them is pending here, so holding them would only stall them until the lease expires.
 */
async function leaseInto(
  deps: RelayDeps,
  pending: Pending,
  limit: number,
): Promise<{ entries: number; events: number }> {
  const entries = await leaseEntries(deps, limit);
  if (entries.length === 0) return { entries: 0, events: 0 };
  try {
    return await addParts(deps, pending, entries);
  } catch (error) {
    await giveUpLeases(
      deps,
      entries.map((e) => e._id),
    );
    throw error;
  }
}

/** Releases this relay's leases on entries it will not send, so another relay takes them at once; else they expire. */
async function giveUpLeases(deps: RelayDeps, batchIds: string[]): Promise<void> {
  await releaseOutboxLeases(deps.db, batchIds, ownerOf(deps)).catch((error: unknown) =>
    deps.logger.warn({ err: error }, 'event relay could not give up its leases; they expire'),
  );
}

/** Reads the leased entries' events and adds their parts to `pending`, all entries or (on a failed read) none. */
async function addParts(
  deps: RelayDeps,
  pending: Pending,
  entries: OutboxEntry[],
): Promise<{ entries: number; events: number }> {
  const { db } = deps;
  const perEntry = await eventsOfEntries(db, entries);
  const events = [...perEntry.values()].flat();
  const contents = await contentSummaries(db, [...new Set(events.flatMap((e) => (e.contentId ? [e.contentId] : [])))]);
  // Creator metrics: likes and shares claim their once-per-item marks here (see creator-relay.ts).
  const creatorBatches = await creatorMetricBatches(db, [...perEntry.values()], contents);
  [...perEntry].forEach(([batchId, entryEvents], i) => {
    const users = [...groupByUser(entryEvents)].flatMap(([userId, docs]) =>
      deliveryParts(docs, contents).map((part) => ({ target: `user:${userId}`, value: { userId, part } })),
    );
    const creators = [...(creatorBatches[i] ?? [])].flatMap(([creatorId, batch]) =>
      batch.parts.map((part) => ({ target: `creator:${creatorId}`, value: { creatorId, part } })),
    );
    pending.add(batchId, [...users, ...creators]);
  });
  return { entries: entries.length, events: events.length };
}

/** Sends one target's waiting parts: a user's in signals of whole parts, ≤ MAX_EVENTS_PER_SIGNAL events each. */
async function deliver(deps: RelayDeps, delivery: Delivery<RelayPart>): Promise<void> {
  const { temporal, config } = deps;
  const values = delivery.parts.map((p) => p.value);
  const users = values.flatMap((v) => ('userId' in v ? [v] : []));
  const creators = values.flatMap((v) => ('creatorId' in v ? [v] : []));
  for (const pack of packParts(users.map((u) => u.part))) {
    const events = pack.flatMap((p) => p.events);
    const parts = pack.map((p) => ({ id: p.id, count: p.events.length }));
    await signalUserEngagements(temporal, config, users[0]!.userId, events, parts);
  }
  if (creators.length > 0) {
    await signalCreatorMetrics(temporal, config, creators[0]!.creatorId, { parts: creators.map((c) => c.part) });
  }
}

/** Attempts at leasing before giving up until the next pause: other relays took the candidates. */
const LEASE_ATTEMPTS = 3;

async function leaseEntries(deps: RelayDeps, limit: number): Promise<OutboxEntry[]> {
  const { db, config } = deps;
  for (let attempt = 0; attempt < LEASE_ATTEMPTS; attempt++) {
    const now = new Date();
    const staleBefore = new Date(now.getTime() - config.OUTBOX_STALE_MS);
    const candidates = await relayableOutboxEntries(db, staleBefore, limit, now);
    if (candidates.length === 0) return [];
    const ids = candidates.map((e) => e._id);
    const { leased, expired } = await leaseOutboxEntries(db, ids, ownerOf(deps), now, config.RELAY_LEASE_MS);
    relayLeasesExpired.inc(expired);
    const held = new Set(leased);
    if (held.size > 0) return candidates.filter((e) => held.has(e._id));
  }
  return [];
}

function ownerOf(deps: RelayDeps): string {
  return deps.owner ?? PROCESS_RELAY_OWNER;
}

/**
 * Renews the leases of the entries still pending every third of RELAY_LEASE_MS until stopped: delivering them is
 * paced by Temporal's signal rate and can take minutes with many active users, far longer than one lease. A lease
 * that expired anyway (the process stalled) and was taken by another relay is reported; the workflows' dedup drops
 * the repeated signals.
 */
function keepLeased(deps: RelayDeps, heldEntries: () => string[]): { stop(): Promise<void> } {
  const { db, config, logger } = deps;
  let renewing: Promise<void> = Promise.resolve();
  const lost = new Set<string>();
  const renew = async () => {
    const batchIds = heldEntries().filter((id) => !lost.has(id));
    const held = new Set(await renewOutboxLeases(db, batchIds, ownerOf(deps), new Date(), config.RELAY_LEASE_MS));
    // An entry delivered and closed meanwhile gave up its lease itself: only those still held count as lost.
    const stillHeld = new Set(heldEntries());
    const newlyLost = batchIds.filter((id) => !held.has(id) && stillHeld.has(id));
    for (const id of lost) if (!stillHeld.has(id)) lost.delete(id);
    if (newlyLost.length > 0) {
      // Counted once each: a lease lost stays lost for the renewals that follow.
      newlyLost.forEach((id) => lost.add(id));
      relayLeasesLost.inc(newlyLost.length);
      logger.warn({ lost: newlyLost.length, pending: batchIds.length }, 'relay lost outbox leases while delivering');
    }
  };
  const timer = setInterval(() => {
    renewing = renewing
      .then(renew)
      .catch((error: unknown) => logger.warn({ err: error }, 'relay lease renewal failed'));
  }, config.RELAY_LEASE_MS / 3);
  return {
    async stop() {
      clearInterval(timer);
      await renewing;
    },
  };
}

/**
 * Each entry's events, in the entries' order: its payload, or a scan of `events` by batchId only for entries without
 * one (a request that died midway).
 */
async function eventsOfEntries(db: Db, entries: OutboxEntry[]): Promise<Map<string, EventDoc[]>> {
  const payloads = await outboxPayloads(
    db,
    entries.map((e) => e._id),
  );
  const withoutPayload = entries.filter((e) => !payloads.has(e._id)).map((e) => e._id);
  const scanned = withoutPayload.length > 0 ? await eventsOfBatches(db, withoutPayload) : [];
  return new Map(entries.map((e) => [e._id, payloads.get(e._id) ?? scanned.filter((doc) => doc.batchId === e._id)]));
}

export function toEngagement(doc: EventDoc, contents: Map<string, ContentSummary>): EngagementEvent {
  const content = doc.contentId ? contents.get(doc.contentId) : undefined;
  return {
    eventId: eventIdOf(doc),
    type: doc.type,
    occurredAtMs: doc.occurredAt.getTime(),
    topics: content?.topics ?? [],
    ...(content ? { contentType: content.type } : {}),
    ...(doc.value !== undefined ? { value: doc.value } : {}),
  };
}

function groupByUser(events: EventDoc[]): Map<string, EventDoc[]> {
  const groups = new Map<string, EventDoc[]>();
  for (const e of events) {
    const list = groups.get(e.userId);
    if (list) list.push(e);
    else groups.set(e.userId, [e]);
  }
  // Oldest first within a user, so the profile sees events in the order they happened.
  for (const list of groups.values()) list.sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
  return groups;
}

/**
 * One user's events of one entry as parts named after their outbox batch (≤ MAX_EVENTS_PER_SIGNAL each): a batch
 * delivered again after a crash repeats exactly these parts, whatever other batches travel with it, so the workflow
 * drops them whole.
 */
function deliveryParts(docs: EventDoc[], contents: Map<string, ContentSummary>): DeliveryPart[] {
  const byBatch = new Map<string, EventDoc[]>();
  for (const d of docs) byBatch.set(d.batchId, [...(byBatch.get(d.batchId) ?? []), d]);
  return [...byBatch].flatMap(([batchId, list]) =>
    chunk(
      list.sort((a, b) => (a._id < b._id ? -1 : a._id > b._id ? 1 : 0)),
      MAX_EVENTS_PER_SIGNAL,
    ).map((slice, i) => ({
      id: `${PART_ID_PREFIX}${batchId}:${i}`,
      events: slice.map((d) => toEngagement(d, contents)),
    })),
  );
}

/** Whole parts into signals of at most MAX_EVENTS_PER_SIGNAL events. */
function packParts(parts: DeliveryPart[]): DeliveryPart[][] {
  const packs: DeliveryPart[][] = [];
  let size = Infinity;
  for (const part of parts) {
    if (size + part.events.length > MAX_EVENTS_PER_SIGNAL) {
      packs.push([]);
      size = 0;
    }
    packs.at(-1)!.push(part);
    size += part.events.length;
  }
  return packs;
}

function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
