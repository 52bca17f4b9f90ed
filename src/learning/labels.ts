/**
 * Labels for a shown item from what the user did with it afterwards, graded as models/build-dataset.ts grades a
 * session (so rows joined from impressions and rows replayed from events train the same way): 3 share, tip or
 * follow; 2 like or comment; 1 view or watch time; 0 nothing or an explicit skip, hide or report.
 */
import type { EngagementType } from '../domain/engagement.js';

export type FeedbackLabel = 'engaged' | 'skipped';

export const GAIN_OF: Readonly<Record<EngagementType, number>> = {
  skip: 0,
  hide: 0,
  report: 0,
  view: 1,
  watch_time: 1,
  like: 2,
  comment: 2,
  share: 3,
  tip: 3,
  follow: 3,
};
const NEGATIVE: ReadonlySet<EngagementType> = new Set(['skip', 'hide', 'report']);

export interface ItemOutcome {
  label: FeedbackLabel;
  gain: number;
  /** An explicit negative (skip, hide, report) as opposed to no reaction at all. */
  rejected: boolean;
  liked: boolean;
  shared: boolean;
}

/** A negative gesture wins over a view that came with it: a user who hides an item did not like it. */
export function outcomeOf(actions: readonly EngagementType[]): ItemOutcome {
  const rejected = actions.some((a) => NEGATIVE.has(a));
  const gain = rejected ? 0 : Math.max(0, ...actions.map((a) => GAIN_OF[a]));
  return {
    label: gain > 0 ? 'engaged' : 'skipped',
    gain,
    rejected,
    liked: !rejected && actions.includes('like'),
    shared: !rejected && actions.includes('share'),
  };
}

/**
 * Position bias: users examine lower positions less, so a skipped item at rank 30 says less than one at rank 0.
 * The join stores the examination propensity of each row's position under the position-based model,
 * P(examined | position p) = (1 / (p + 1))^eta with eta = 1 (rank 0 is always examined), and its inverse as the
 * row's training weight, clipped at MAX_IPW so a few deep clicks do not dominate. Trainers may instead use
 * `position` as a training-only feature and set it to 0 at serving; both stay possible from the stored row.
 */
export const PROPENSITY_ETA = 1;
export const MAX_IPW = 20;

export function examinationPropensity(position: number): number {
  return (1 / (position + 1)) ** PROPENSITY_ETA;
}

export function inversePropensityWeight(position: number): number {
  return Math.min(MAX_IPW, 1 / examinationPropensity(position));
}
