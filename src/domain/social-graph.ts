import { Refusal } from './refusal.js';

/**
 * The social graph's rules, shared by the REST routes and Brain Mode steps: whom a user may follow, block or tip.
 * The block edges are read by the caller and passed in, so the rules stay pure.
 *
 * A block between two users, whichever way, refuses a follow or a tip with the same 403 and the same words, so the
 * answer never says who blocked whom (docs/events.md): the blocked user cannot tell the block from the blocker's side.
 */
export const CANNOT_FOLLOW = 'You cannot follow this user';
export const CANNOT_TIP = 'You cannot tip this user';

export interface BlockEdges {
  /** The target blocks the actor: the actor may not reach them. */
  targetBlocksActor: boolean;
  /** The actor blocks the target: they must unblock first. */
  actorBlocksTarget: boolean;
}

export function followRefusal(actorId: string, targetId: string, blocks: BlockEdges): Refusal | null {
  if (actorId === targetId) {
    return new Refusal('unprocessable', 'A user cannot follow themselves', [
      { path: '/id', message: 'is the follower' },
    ]);
  }
  if (blocks.targetBlocksActor || blocks.actorBlocksTarget) return new Refusal('forbidden', CANNOT_FOLLOW);
  return null;
}

export function blockRefusal(actorId: string, targetId: string): Refusal | null {
  if (actorId !== targetId) return null;
  return new Refusal('unprocessable', 'A user cannot block themselves', [{ path: '/id', message: 'is the blocker' }]);
}

/** A tip reaches whom a follow could: not oneself, nobody with a block between the two. */
export function tipRefusal(fromId: string, toId: string, blocks: BlockEdges): Refusal | null {
  if (fromId === toId) return new Refusal('unprocessable', 'A user cannot tip themselves');
  if (blocks.targetBlocksActor || blocks.actorBlocksTarget) return new Refusal('forbidden', CANNOT_TIP);
  return null;
}

/** Follows and tips go to existing accounts only, so no made-up id collects followers or lands on a leaderboard. */
export function unknownUser(userId: string): Refusal {
  return new Refusal('not_found', `No user ${userId}`);
}
