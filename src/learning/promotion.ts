/**
 * The promotion rule: a retrained candidate replaces the serving model only when, on the SAME held-out time split
 * (built in the same run from the same store, so the numbers compare),
 *   1. its NDCG@10 beats the current model's by at least MIN_RELATIVE_GAIN (1 %), so noise does not churn models;
 *   2. its recall@50 is no more than MAX_RECALL_LOSS (2 %) below the current model's;
 *   3. its NDCG@10 beats the rule-based fallback's (a model worse than the rules never serves).
 * Without a current model to compare (none, or one trained on other features) only rule 3 applies.
 */
export const MIN_RELATIVE_GAIN = 0.01;
export const MAX_RECALL_LOSS = 0.02;

export interface RankerMetrics {
  'ndcg@10': number;
  'recall@50': number;
}

export interface HeldoutMetrics {
  model: RankerMetrics;
  fallback: RankerMetrics;
  popularity: RankerMetrics;
  current?: RankerMetrics;
}

export interface PromotionDecision {
  promote: boolean;
  reasons: string[];
}

export function decidePromotion(m: HeldoutMetrics): PromotionDecision {
  const reasons: string[] = [];
  const ndcg = m.model['ndcg@10'];
  if (ndcg <= m.fallback['ndcg@10'])
    reasons.push(`NDCG@10 ${ndcg} does not beat the fallback's ${m.fallback['ndcg@10']}`);
  if (m.current) {
    const needed = m.current['ndcg@10'] * (1 + MIN_RELATIVE_GAIN);
    if (ndcg < needed) reasons.push(`NDCG@10 ${ndcg} is below the current model's ${m.current['ndcg@10']} + 1 %`);
    const floor = m.current['recall@50'] * (1 - MAX_RECALL_LOSS);
    if (m.model['recall@50'] < floor) {
      reasons.push(
        `recall@50 ${m.model['recall@50']} is more than 2 % below the current model's ${m.current['recall@50']}`,
      );
    }
  }
  return reasons.length === 0
    ? {
        promote: true,
        reasons: [
          m.current ? 'beats the current model and the fallback' : 'beats the fallback (no comparable current model)',
        ],
      }
    : { promote: false, reasons };
}
