import { Refusal } from './refusal.js';

/**
 * The social graph's rules, shared by the REST routes and Brain Mode steps: whom a user may follow, block or tip.
 * The block edges are read by the caller and passed in, so the rules stay pure.
 */
export interface BlockEdges {
  /** The target blocks the actor: the actor may not reach them. */
  targetBlocksActor: boolean;
  /** The actor blocks the target: they must unblock first. */
  actorBlocksTarget: boolean;
}

export function followRefusal(actorId: string, targetId: string, blocks: BlockEdges): Refusal | null {
  if (actorId === targetId) {
    return new Refusal('bad_request', 'A user cannot follow themselves', [{ path: '/id', message: 'is the follower' }]);
  }
  if (blocks.targetBlocksActor) return new Refusal('forbidden', `User ${targetId} has blocked ${actorId}`);
  if (blocks.actorBlocksTarget) {
    return new Refusal('conflict', `${actorId} blocks ${targetId}; unblock before following`);
  }
  return null;
}

export function blockRefusal(actorId: string, targetId: string): Refusal | null {
  if (actorId !== targetId) return null;
  return new Refusal('bad_request', 'A user cannot block themselves', [{ path: '/id', message: 'is the blocker' }]);
}

/** A tip reaches whom a follow could: not oneself, not someone who blocked the sender. */
export function tipRefusal(fromId: string, toId: string, recipientBlocksSender: boolean): Refusal | null {
  if (fromId === toId) return new Refusal('bad_request', 'A user cannot tip themselves');
  if (recipientBlocksSender) return new Refusal('forbidden', `User ${toId} has blocked ${fromId}`);
  return null;
}
