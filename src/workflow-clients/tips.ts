import { tipRefusal, unknownUser } from '../domain/social-graph.js';
import { findIdentity } from '../store/identities.js';
import { chargeTip, type TipDoc } from '../store/tips.js';
import { signalCreatorMetrics } from './signals.js';
import { blockEdges, type GraphDeps } from './social-graph.js';

/**
 * The one trusted path by which tips reach creator stats: POST /creators/:id/tips (the `service` role, e.g. the
 * payments backend, after it took the money) and Brain Mode's tip step both record the tip here. Client `tip` events
 * are interest signals only (domain/creator-events.ts). Amounts are integer minor units (cents): 499 is 4.99.
 */
export const MAX_TIP_MINOR = 1_000_000_00;

export interface TipRequest {
  tipId: string;
  from: string;
  to: string;
  amountMinor: number;
  currency: string;
}

/**
 * A tip is refused unless it is a positive whole amount up to MAX_TIP_MINOR, to an existing account that is not the
 * sender, with no block between the two. The metric part is named after the tip, so a retry counts it once.
 */
export async function recordTip(deps: GraphDeps, tip: TipRequest, now: Date): Promise<TipDoc> {
  const refusal = tipRefusal(tip.from, tip.to, await blockEdges(deps.db, tip.from, tip.to));
  if (refusal) throw refusal;
  if (!(await findIdentity(deps.db, tip.to))) throw unknownUser(tip.to);
  const stored = await chargeTip(deps.db, { _id: tip.tipId, from: tip.from, to: tip.to, amountMinor: tip.amountMinor, currency: tip.currency, createdAt: now }); // prettier-ignore
  await signalCreatorMetrics(deps.temporal, deps.config, stored.to, {
    parts: [{ id: `tip:${stored._id}`, delta: { tips: 1, tipAmount: stored.amountMinor } }],
  });
  return stored;
}
