// Tiers with hysteresis. A creator's score wobbles by a point or two from day to day; without a dead band
// one sitting at 59.8/60.3 would flip platinum↔gold on every delta, churning the CreatorTier search
// attribute, the per-tier leaderboards and any badge shown to users.
//
// Thresholds (score 0–100): bronze 0, silver 20, gold 40, platinum 60, diamond 80. Margin 3:
// - promotion to a tier needs score ≥ threshold + 3 (e.g. gold → platinum at 63);
// - demotion out of a tier happens only when score < threshold − 3 (e.g. platinum → gold below 57);
// - in between, the previous tier is kept. A creator with no previous tier gets the plain band.
// A large move can cross several tiers at once, going as far as these two rules allow.

export const CREATOR_TIERS = ['bronze', 'silver', 'gold', 'platinum', 'diamond'] as const;
export type CreatorTier = (typeof CREATOR_TIERS)[number];

export const TIER_THRESHOLDS: Readonly<Record<CreatorTier, number>> = {
  bronze: 0,
  silver: 20,
  gold: 40,
  platinum: 60,
  diamond: 80,
};

export const TIER_MARGIN = 3;

function threshold(index: number): number {
  const tier = CREATOR_TIERS[index];
  return tier === undefined ? Infinity : TIER_THRESHOLDS[tier];
}

function tierAt(index: number): CreatorTier {
  return CREATOR_TIERS[Math.max(0, Math.min(CREATOR_TIERS.length - 1, index))] ?? 'bronze';
}

/** The tier for `score`, ignoring history (used for a creator's first assignment). */
export function tierBand(score: number): CreatorTier {
  let index = 0;
  while (index + 1 < CREATOR_TIERS.length && score >= threshold(index + 1)) index++;
  return tierAt(index);
}

export function creatorTier(score: number, previousTier?: CreatorTier | null): CreatorTier {
  // A NaN would compare false everywhere and silently freeze the tier; treat it as the lowest score instead.
  const s = Number.isNaN(score) ? 0 : score;
  if (previousTier == null) return tierBand(s);
  let index = CREATOR_TIERS.indexOf(previousTier);
  // Bronze has no floor to fall through, hence index > 0.
  while (index > 0 && s < threshold(index) - TIER_MARGIN) index--;
  while (index + 1 < CREATOR_TIERS.length && s >= threshold(index + 1) + TIER_MARGIN) index++;
  return tierAt(index);
}
