import type { Client } from '@temporalio/client';
import type { Redis } from 'ioredis';
import type { Db } from 'mongodb';
import type { Config } from '../config.js';
import { blockRefusal, followRefusal, unknownUser, type BlockEdges } from '../domain/social-graph.js';
import { findIdentity } from '../store/identities.js';
import { cacheEdge } from '../cache/user-signals.js';
import { dropFeed } from '../store/feeds.js';
import { addRelationship, findRelationship, removeRelationship, type RelationshipDoc } from '../store/relationships.js';
import { signalCreatorMetrics } from './signals.js';

/**
 * Follow and block as the REST routes and Brain Mode steps both perform them, and how follower counts reach the
 * followee's creator workflow. Each change is sent as a metric part named after the edge and its creation time, so a
 * retried request re-sends the same id and the workflow counts it once; a later unfollow + refollow is a new edge
 * with a new time, so it counts again. Refusals are domain Refusals (src/domain/social-graph.ts).
 */
export interface GraphDeps {
  db: Db;
  /** The hot follow/block sets the feed reads (src/cache), updated after each change of the store. */
  redis: Redis;
  temporal: Client;
  config: Config;
}

/**
 * An existing follow is re-signalled when it is this young: the request that created it may have failed after the
 * insert but before its signal, and the client's retry must still deliver the count. Older ones are not re-sent, so
 * a repeat long after cannot slip past the workflow's bounded memory of applied ids.
 */
const RESIGNAL_WINDOW_MS = 15 * 60_000;

const partId = (what: 'follow' | 'unfollow', edge: RelationshipDoc) =>
  `${what}:${edge._id}:${edge.createdAt.getTime()}`;

/** The block edges between two users, for the rules. */
export async function blockEdges(db: Db, actorId: string, targetId: string): Promise<BlockEdges> {
  const [targetBlocks, actorBlocks] = await Promise.all([
    findRelationship(db, 'block', targetId, actorId),
    findRelationship(db, 'block', actorId, targetId),
  ]);
  return { targetBlocksActor: targetBlocks !== null, actorBlocksTarget: actorBlocks !== null };
}

export async function follow(deps: GraphDeps, actorId: string, targetId: string, now: Date) {
  const refusal = followRefusal(actorId, targetId, await blockEdges(deps.db, actorId, targetId));
  if (refusal) throw refusal;
  if (!(await findIdentity(deps.db, targetId))) throw unknownUser(targetId);
  const { edge, created } = await addRelationship(deps.db, 'follow', actorId, targetId, now);
  await cacheEdge(deps.redis, 'follow', actorId, targetId, true);
  if (created || now.getTime() - edge.createdAt.getTime() < RESIGNAL_WINDOW_MS) {
    await signalCreatorMetrics(deps.temporal, deps.config, targetId, {
      parts: [{ id: partId('follow', edge), delta: { followersGained: 1 } }],
    });
  }
  return { edge, created };
}

/** Signals first, then deletes: a retry after a failure in between finds the edge and re-sends the same id. */
export async function unfollow(deps: GraphDeps, actorId: string, targetId: string): Promise<void> {
  const edge = await findRelationship(deps.db, 'follow', actorId, targetId);
  if (!edge) return;
  await signalCreatorMetrics(deps.temporal, deps.config, targetId, {
    parts: [{ id: partId('unfollow', edge), delta: { followersLost: 1 } }],
  });
  await removeRelationship(deps.db, 'follow', actorId, targetId);
  await cacheEdge(deps.redis, 'follow', actorId, targetId, false);
}

/**
 * Blocking ends follows both ways (each counted as a lost follower). The block is stored first, so a follow racing
 * it is refused, and a retry after a failure part-way finds the block and finishes the unfollows.
 */
export async function block(deps: GraphDeps, actorId: string, targetId: string, now: Date) {
  const refusal = blockRefusal(actorId, targetId);
  if (refusal) throw refusal;
  const stored = await addRelationship(deps.db, 'block', actorId, targetId, now);
  await cacheEdge(deps.redis, 'block', actorId, targetId, true);
  // The stored feed was ranked with the creator in it; serving filters it anyway, a re-rank fills the gap.
  await dropFeed(deps.redis, actorId);
  await unfollow(deps, actorId, targetId);
  await unfollow(deps, targetId, actorId);
  return stored;
}

export async function unblock(deps: GraphDeps, actorId: string, targetId: string): Promise<void> {
  await removeRelationship(deps.db, 'block', actorId, targetId);
  await cacheEdge(deps.redis, 'block', actorId, targetId, false);
}
