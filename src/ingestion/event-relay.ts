import type { Client } from '@temporalio/client';
import type { Db } from 'mongodb';
import type { Logger } from 'pino';
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
  renewOutboxLeases,
  type OutboxEntry,
} from '../store/event-outbox.js';
import { eventIdOf, eventsOfBatches, type EventDoc } from '../store/events.js';
import { PART_ID_PREFIX } from '../domain/recent-ids.js';
import { creatorMetricBatches } from './creator-relay.js';
import { relayLeasesExpired, relayLeasesLost } from './relay-metrics.js';
import { signalCreatorMetrics, signalUserEngagements } from '../workflow-clients/signals.js';

/**
 * Drains the event outbox into the workflows. Events are grouped per user across all the batches of one round,
 * so a busy user gets one signal a round however many requests carried their events: one workflow keeps up with
 * only a few signals a second, whatever their size. An entry is closed only after every signal of its events succeeded; if the relay dies
 * in between, the next round signals again and the workflow drops the eventIds it already applied.
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

export async function relayOnce(deps: RelayDeps): Promise<number> {
  const entries = await leaseRound(deps);
  if (entries.length === 0) return 0;
  const batchIds = entries.map((e) => e._id);
  const renewal = keepLeased(deps, batchIds);
  let relayed: number;
  try {
    relayed = await signalEntries(deps, entries);
  } finally {
    await renewal.stop();
  }
  await closeOutboxEntries(deps.db, batchIds);
  return relayed;
}

/** Signals the entries' events; returns how many events they carried. */
async function signalEntries(deps: RelayDeps, entries: OutboxEntry[]): Promise<number> {
  const { db, config } = deps;
  const events = await eventsOfEntries(db, entries);
  const contents = await contentSummaries(db, [...new Set(events.flatMap((e) => (e.contentId ? [e.contentId] : [])))]);

  const signals = [...groupByUser(events)].flatMap(([userId, docs]) =>
    packParts(deliveryParts(docs)).map((pack) => ({
      userId,
      batch: {
        events: pack.flatMap((p) => p.docs.map((d) => toEngagement(d, contents))),
        parts: pack.map((p) => ({ id: p.id, count: p.docs.length })),
      },
    })),
  );
  await pMap(signals, (s) => signalUserEngagements(deps.temporal, config, s.userId, s.batch.events, s.batch.parts), {
    concurrency: SIGNAL_CONCURRENCY,
  });
  // Creator metrics: one signal per creator per round (see creator-relay.ts for how redelivery is dropped).
  await pMap(
    await creatorMetricBatches(db, events, contents),
    ([creatorId, batch]) => signalCreatorMetrics(deps.temporal, config, creatorId, batch),
    { concurrency: SIGNAL_CONCURRENCY },
  );
  return events.length;
}

/** Attempts at leasing a round before giving up until the next interval: another relay took the candidates. */
const LEASE_ATTEMPTS = 3;

/**
 * The entries of this round, leased (leaseOutboxEntries) so two relays never signal the same entry. A relay that lost
 * the race for the oldest entries reads again past the leased ones, which is how a second relay adds capacity.
 */
async function leaseRound(deps: RelayDeps): Promise<OutboxEntry[]> {
  const { db, config } = deps;
  for (let attempt = 0; attempt < LEASE_ATTEMPTS; attempt++) {
    const now = new Date();
    const staleBefore = new Date(now.getTime() - config.OUTBOX_STALE_MS);
    const candidates = await relayableOutboxEntries(db, staleBefore, config.RELAY_ENTRIES_PER_ROUND, now);
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
 * Renews the round's leases every third of RELAY_LEASE_MS until stopped: a round is paced by Temporal's signal rate
 * and can take minutes with many active users, far longer than one lease. A lease that expired anyway (the process
 * stalled) and was taken by another relay is reported; the workflows' dedup drops the repeated signals.
 */
function keepLeased(deps: RelayDeps, batchIds: string[]): { stop(): Promise<void> } {
  const { db, config, logger } = deps;
  let renewing: Promise<void> = Promise.resolve();
  let lost = 0;
  const renew = async () => {
    const held = await renewOutboxLeases(db, batchIds, ownerOf(deps), new Date(), config.RELAY_LEASE_MS);
    // Counted once each: a lease lost stays lost for the renewals that follow.
    if (batchIds.length - held > lost) {
      relayLeasesLost.inc(batchIds.length - held - lost);
      lost = batchIds.length - held;
      logger.warn({ lost, round: batchIds.length }, 'relay lost outbox leases mid-round');
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

/** The entries' payloads; a scan of `events` by batchId only for entries without one (a request that died midway). */
async function eventsOfEntries(db: Db, entries: OutboxEntry[]): Promise<EventDoc[]> {
  const payloads = await outboxPayloads(
    db,
    entries.map((e) => e._id),
  );
  const withoutPayload = entries.filter((e) => !payloads.has(e._id)).map((e) => e._id);
  const read = withoutPayload.length > 0 ? await eventsOfBatches(db, withoutPayload) : [];
  return [...[...payloads.values()].flat(), ...read];
}

/** Runs rounds until stopped; an empty round waits RELAY_INTERVAL_MS, a failed one backs off. */
export function startEventRelay(deps: RelayDeps): { stop(): Promise<void> } {
  const controller = new AbortController();
  const loop = (async () => {
    while (!controller.signal.aborted) {
      let pause = 0;
      try {
        if ((await relayOnce(deps)) === 0) pause = deps.config.RELAY_INTERVAL_MS;
      } catch (error) {
        deps.logger.warn({ err: error }, 'event relay round failed; retrying');
        pause = 2_000;
      }
      if (pause > 0) await sleep(pause, undefined, { signal: controller.signal }).catch(() => undefined);
    }
  })();
  return {
    async stop() {
      controller.abort();
      await loop;
    },
  };
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
 * One user's events as parts named after their outbox batch (≤ MAX_EVENTS_PER_SIGNAL each): a round delivered again
 * after a crash repeats exactly these parts, whatever other batches it holds, so the workflow drops them whole.
 */
function deliveryParts(docs: EventDoc[]): { id: string; docs: EventDoc[] }[] {
  const byBatch = new Map<string, EventDoc[]>();
  for (const d of docs) byBatch.set(d.batchId, [...(byBatch.get(d.batchId) ?? []), d]);
  return [...byBatch].flatMap(([batchId, list]) =>
    chunk(
      list.sort((a, b) => (a._id < b._id ? -1 : a._id > b._id ? 1 : 0)),
      MAX_EVENTS_PER_SIGNAL,
    ).map((slice, i) => ({ id: `${PART_ID_PREFIX}${batchId}:${i}`, docs: slice })),
  );
}

/** Whole parts into signals of at most MAX_EVENTS_PER_SIGNAL events. */
function packParts<T extends { docs: unknown[] }>(parts: T[]): T[][] {
  const packs: T[][] = [];
  let size = Infinity;
  for (const part of parts) {
    if (size + part.docs.length > MAX_EVENTS_PER_SIGNAL) {
      packs.push([]);
      size = 0;
    }
    packs.at(-1)!.push(part);
    size += part.docs.length;
  }
  return packs;
}

function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
