/**
 * The batch side of ranking: which users a run scores, and scoring a chunk of them into precomputed feeds with
 * the same pipeline the feed route uses. Candidate sources are read once per run (candidate-pools.ts) and each
 * user's candidates cut from them in memory; the page query already returns the users' profiles. A chunk's users
 * are scored in one model call.
 */
import type { Redis } from 'ioredis';
import type { Db, FindCursor } from 'mongodb';
import type { InterestProfile } from '../domain/interest-profile.js';
import { writeFeeds } from '../store/feeds.js';
import { interestProfilesCollection, type InterestProfileDoc } from '../store/interest-profiles.js';
import { relatedUsers } from '../store/relationships.js';
import {
  graphSignals,
  loadCandidatePools,
  loadRunGraph,
  poolCandidates,
  type CandidatePools,
  type RunGraph,
  type RunGraphCaps,
} from './candidate-pools.js';
import { DEFAULT_CANDIDATE_LIMITS, seenContentIds, userSignals } from './candidates.js';
import { readProfile } from '../cache/profiles.js';
import { toStoredFeed } from './feed.js';
import { FEATURE_COUNT } from './features.js';
import { rankMany, resolveRanker, type RankedFeed, type RankInput } from './rank.js';

export interface ChunkResult {
  users: number;
  items: number;
  failures: number;
  fallbackUsers: number;
  modelVersion: string;
}

/** What the batch-scoring activity needs; the time-skipping tests swap in an in-memory one. */
export interface BatchScorer {
  /** Users with an event since `activeSinceMs`, in id order after `afterUserId`. */
  activeUsers(afterUserId: string | null, activeSinceMs: number, limit: number): Promise<string[]>;
  /** Ranks and stores each user's feed; a user that fails is counted, not retried here. */
  scoreUsers(userIds: readonly string[], nowMs: number): Promise<ChunkResult>;
  /** Reads what a run's chunks share, alongside the page query, so the two reads overlap. */
  prepare?(nowMs: number): Promise<void>;
}

export interface BatchScorerDeps {
  db: Db;
  redis: Redis;
  modelPath?: string;
  feedTtlSeconds: number;
  onFallback?: (userId: string, reason: string) => void;
  /** Tests lower them to exercise the per-user reads. */
  graphCaps?: RunGraphCaps;
}

/** A run's sources, built by the first chunk of the run on this worker and shared by its later chunks. */
interface RunSources {
  pools: CandidatePools;
  graph: RunGraph | undefined;
}

/** Two runs at once (a scheduled and an operator's) each keep theirs; idle sources are released. */
const MAX_RUNS = 2;
const RUN_IDLE_MS = 5 * 60_000;
const MAX_PAGE_PROFILES = 20_000;
const MAX_EDGES = 1_000;

export function createBatchScorer(deps: BatchScorerDeps): BatchScorer {
  const limits = DEFAULT_CANDIDATE_LIMITS;
  // A chunk's feature matrix, kept for the next chunk; a concurrent chunk (another run) takes its own meanwhile.
  let spare: Float32Array | undefined;
  // Profiles of the pages listed lately, so scoring a chunk reads none; taken out as they are used.
  const pageProfiles = new Map<string, InterestProfile>();
  const runs = new Map<number, { sources: Promise<RunSources>; idle: NodeJS.Timeout }>();
  const listings = new ActiveUserListings(deps.db);

  function runSources(nowMs: number): Promise<RunSources> {
    const known = runs.get(nowMs);
    if (known) clearTimeout(known.idle);
    const sources = known?.sources ?? loadRunSources(nowMs);
    runs.set(nowMs, { sources, idle: setTimeout(() => runs.delete(nowMs), RUN_IDLE_MS).unref() });
    for (const [older, run] of [...runs].slice(0, Math.max(0, runs.size - MAX_RUNS))) {
      clearTimeout(run.idle);
      runs.delete(older);
    }
    return sources;
  }

  function loadRunSources(nowMs: number): Promise<RunSources> {
    const sources = Promise.all([
      loadCandidatePools(deps.db, deps.redis, nowMs, limits),
      loadRunGraph(deps.db, nowMs, limits, deps.graphCaps),
    ]).then(([pools, graph]) => ({ pools, graph }));
    // A failed read is not kept: the activity's next attempt reads again.
    sources.catch(() => runs.delete(nowMs));
    return sources;
  }

  async function signalsOf(userId: string, profile: InterestProfile | null, graph: RunGraph | undefined) {
    if (graph) return graphSignals(graph, userId, profile);
    const [follows, blocks, seen] = await Promise.all([
      relatedUsers(deps.db, 'follow', 'from', userId, undefined, MAX_EDGES),
      relatedUsers(deps.db, 'block', 'from', userId, undefined, MAX_EDGES),
      seenContentIds(deps.db, userId, limits.seenEvents),
    ]);
    const edges = (list: Array<{ to: string }>) => new Set(list.map((edge) => edge.to));
    return userSignals(profile, edges(follows), edges(blocks), seen);
  }

  return {
    async activeUsers(afterUserId, activeSinceMs, limit) {
      const docs = await listings.next(afterUserId, activeSinceMs, limit);
      if (pageProfiles.size + docs.length > MAX_PAGE_PROFILES) pageProfiles.clear();
      // The stored document is a profile with a few more fields, which ranking ignores.
      for (const doc of docs) pageProfiles.set(doc._id, doc);
      return docs.map((d) => d._id);
    },

    prepare(nowMs) {
      return runSources(nowMs).then(() => undefined);
    },

    async scoreUsers(userIds, nowMs) {
      const [choice, { pools, graph }] = await Promise.all([resolveRanker(deps.modelPath), runSources(nowMs)]);
      const result: ChunkResult = {
        users: 0,
        items: 0,
        failures: 0,
        fallbackUsers: 0,
        modelVersion: choice.ranker.version,
      };
      const prepared = await Promise.all(
        userIds.map(async (userId) => {
          try {
            const profile = pageProfiles.get(userId) ?? (await readProfile(deps, userId));
            pageProfiles.delete(userId);
            const signals = await signalsOf(userId, profile, graph);
            const candidates = poolCandidates(pools, profile, signals, limits);
            const rules = { blockedCreators: signals.blockedCreators, seenContent: signals.seenContent };
            return { userId, input: { profile, candidates, rules, nowMs } satisfies RankInput };
          } catch {
            result.failures++;
            return undefined;
          }
        }),
      );
      const users = prepared.filter((p) => p !== undefined);
      const rows = users.reduce((sum, { input }) => sum + input.candidates.length, 0);
      const matrix = spare && spare.length >= rows * FEATURE_COUNT ? spare : new Float32Array(rows * FEATURE_COUNT);
      spare = undefined;
      // The whole chunk in one model call: per-call overhead, not rows, dominated per-user inference.
      const ranked = await rankMany(
        users.map((u) => u.input),
        choice,
        matrix,
      ).finally(() => (spare = matrix));
      const feeds = users.map(({ userId, input }, i) => {
        const feed = ranked[i] as RankedFeed;
        result.users++;
        result.items += input.candidates.length;
        result.modelVersion = feed.rankerVersion;
        if (feed.fallbackReason) {
          result.fallbackUsers++;
          deps.onFallback?.(userId, feed.fallbackReason);
        }
        return { userId, feed: toStoredFeed(feed, nowMs) };
      });
      await writeFeeds(deps.redis, feeds, deps.feedTtlSeconds);
      return result;
    },
  };
}

/**
 * The pages of a run's active users, read through one open cursor per run: the next page of a run continues the
 * cursor where the previous page ended, so a run reads the profiles once in all (on FerretDB 1.x every query is a
 * collection scan, and a query per page made a run quadratic in its users). A page that does not continue the
 * cursor (a retried or resumed page, another worker's page) starts a new cursor after its `afterUserId`, so the
 * answer is always that of the page query; the cursor only saves the re-reading.
 */
class ActiveUserListings {
  private readonly open = new Map<number, { cursor: FindCursor<InterestProfileDoc>; lastId: string | null; idle?: NodeJS.Timeout }>(); // prettier-ignore

  constructor(private readonly db: Db) {}

  async next(afterUserId: string | null, activeSinceMs: number, limit: number): Promise<InterestProfileDoc[]> {
    let listing = this.open.get(activeSinceMs);
    if (listing?.lastId !== afterUserId) {
      if (listing) await this.close(activeSinceMs);
      const cursor = interestProfilesCollection(this.db)
        .find({
          lastEventAtMs: { $gte: activeSinceMs },
          ...(afterUserId !== null ? { _id: { $gt: afterUserId } } : {}),
        })
        .project<InterestProfileDoc>({ appliedEventIds: 0 })
        .sort({ _id: 1 });
      listing = { cursor, lastId: afterUserId };
      this.open.set(activeSinceMs, listing);
    }
    clearTimeout(listing.idle);
    const docs: InterestProfileDoc[] = [];
    try {
      while (docs.length < limit) {
        const doc = await listing.cursor.next();
        if (!doc) break;
        docs.push(doc);
      }
    } catch (error) {
      await this.close(activeSinceMs);
      throw error;
    }
    listing.lastId = docs[docs.length - 1]?._id ?? listing.lastId;
    if (docs.length < limit) await this.close(activeSinceMs);
    else listing.idle = setTimeout(() => void this.close(activeSinceMs), RUN_IDLE_MS).unref();
    return docs;
  }

  private async close(activeSinceMs: number): Promise<void> {
    const listing = this.open.get(activeSinceMs);
    this.open.delete(activeSinceMs);
    clearTimeout(listing?.idle);
    await listing?.cursor.close().catch(() => undefined);
  }
}
