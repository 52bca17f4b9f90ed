/**
 * Batch scoring's candidate sources: read once per run, then cut per user in memory. A user's online sources are
 * "the newest N items of any followed creator", "the newest N items on any top topic", trending and fresh
 * (candidates.ts); keeping the newest N items of every creator and of every topic gives exactly the same lists
 * (newestOf), so a run reads the recent catalog once instead of twice per user. The follow/block graph and the
 * items each user engaged with are read once per run as well, up to a memory cap beyond which the run goes back
 * to per-user reads of those two.
 */
import type { Redis } from 'ioredis';
import type { Db } from 'mongodb';
import type { InterestProfile } from '../domain/interest-profile.js';
import { recentContentSummaries, type RecentContent } from '../store/content.js';
import { trendingContentIds } from '../store/content-popularity.js';
import { eventsCollection } from '../store/events.js';
import { everyRelationship } from '../store/relationships.js';
import { assembleCandidates, newestOf, type SourceItem, type UserSignals } from './candidate-sources.js';
import { sourceItems, userSignals, userTopics, type CandidateLimits } from './candidates.js';
import type { Candidate } from './features.js';

export interface CandidatePools {
  byTopic: Map<string, SourceItem[]>;
  byCreator: Map<string, SourceItem[]>;
  trending: SourceItem[];
  fresh: SourceItem[];
  /** Distinct items held. */
  items: number;
}

export async function loadCandidatePools(
  db: Db,
  redis: Redis,
  nowMs: number,
  limits: CandidateLimits,
): Promise<CandidatePools> {
  const trendingIds = new Set(await trendingContentIds(redis, limits.perSource).catch(() => []));
  const byTopic = new Map<string, RecentContent[]>();
  const byCreator = new Map<string, RecentContent[]>();
  const trending: RecentContent[] = [];
  const fresh: RecentContent[] = [];
  const kept = new Map<string, RecentContent>();
  const keep = (list: RecentContent[], doc: RecentContent): void => {
    if (list.length >= limits.perSource) return;
    list.push(doc);
    kept.set(doc._id, doc);
  };
  // Newest first, so each list fills with its newest items and later ones are skipped.
  for await (const doc of recentContentSummaries(db, new Date(nowMs - limits.maxAgeMs))) {
    keep(fresh, doc);
    if (trendingIds.has(doc._id)) keep(trending, doc);
    keep(listOf(byCreator, doc.creatorId), doc);
    for (const topic of new Set(doc.topics)) keep(listOf(byTopic, topic), doc);
  }
  const items = await sourceItems(redis, [...kept.values()]);
  const resolve = (docs: RecentContent[]) => docs.flatMap((doc) => items.get(doc._id) ?? []);
  return {
    byTopic: new Map([...byTopic].map(([topic, docs]) => [topic, resolve(docs)])),
    byCreator: new Map([...byCreator].map(([creator, docs]) => [creator, resolve(docs)])),
    trending: resolve(trending),
    fresh: resolve(fresh),
    items: items.size,
  };
}

/** One user's candidates from the pools: the same sources, in the same order, as gatherCandidates reads. */
export function poolCandidates(
  pools: CandidatePools,
  profile: InterestProfile | null,
  signals: UserSignals,
  limits: CandidateLimits,
): Candidate[] {
  const followed = [...signals.followed].map((creator) => pools.byCreator.get(creator));
  const topics = userTopics(profile, limits).map((topic) => pools.byTopic.get(topic));
  return assembleCandidates(
    [newestOf(followed, limits.perSource), newestOf(topics, limits.perSource), pools.trending, pools.fresh],
    signals,
  );
}

/** Follows, blocks and engaged-with items of every user, or undefined when the run should read them per user. */
export interface RunGraph {
  follows: Map<string, Set<string>>;
  blocks: Map<string, Set<string>>;
  seen: Map<string, Set<string>>;
}

export interface RunGraphCaps {
  edges: number;
  events: number;
}

/** About 100–200 MB of sets at most; a deployment beyond it reads per user (indexed on MongoDB). */
export const DEFAULT_RUN_GRAPH_CAPS: RunGraphCaps = { edges: 1_000_000, events: 1_000_000 };

export async function loadRunGraph(
  db: Db,
  nowMs: number,
  limits: CandidateLimits,
  caps: RunGraphCaps = DEFAULT_RUN_GRAPH_CAPS,
): Promise<RunGraph | undefined> {
  const [edges, seen] = await Promise.all([readEdges(db, caps.edges), readSeen(db, nowMs, limits, caps.events)]);
  return edges && seen ? { ...edges, seen } : undefined;
}

async function readEdges(db: Db, cap: number): Promise<Pick<RunGraph, 'follows' | 'blocks'> | undefined> {
  const follows = new Map<string, Set<string>>();
  const blocks = new Map<string, Set<string>>();
  let edges = 0;
  for await (const edge of everyRelationship(db)) {
    if (++edges > cap) return undefined;
    setOf(edge.kind === 'block' ? blocks : follows, edge.from).add(edge.to);
  }
  return { follows, blocks };
}

/**
 * Only engagement since the oldest candidate can mark a candidate seen: items older than maxAgeMs are never
 * candidates, and nobody engages with an item before it exists.
 */
async function readSeen(db: Db, nowMs: number, limits: CandidateLimits, cap: number) {
  const seen = new Map<string, Set<string>>();
  const events = eventsCollection(db)
    .find({ occurredAt: { $gte: new Date(nowMs - limits.maxAgeMs) } })
    .project<{ userId: string; contentId?: string }>({ _id: 0, userId: 1, contentId: 1 });
  let count = 0;
  for await (const event of events) {
    if (++count > cap) return undefined;
    if (event.contentId) setOf(seen, event.userId).add(event.contentId);
  }
  return seen;
}

/** A user's signals from the run graph. */
export function graphSignals(graph: RunGraph, userId: string, profile: InterestProfile | null): UserSignals {
  return userSignals(
    profile,
    graph.follows.get(userId) ?? EMPTY,
    graph.blocks.get(userId) ?? EMPTY,
    graph.seen.get(userId) ?? EMPTY,
  );
}

const EMPTY: ReadonlySet<string> = new Set();

function listOf<T>(map: Map<string, T[]>, key: string): T[] {
  let list = map.get(key);
  if (!list) map.set(key, (list = []));
  return list;
}

function setOf(map: Map<string, Set<string>>, key: string): Set<string> {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  return set;
}
