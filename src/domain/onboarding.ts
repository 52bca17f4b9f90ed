// Onboarding: four steps a new user is walked through. Progress events may arrive in any order (a user can
// follow a creator before picking interests), so the state records which steps are done and the current step
// is the first one that is not.

export const ONBOARDING_STEPS = ['claim_handle', 'pick_interests', 'follow_creator', 'first_engagement'] as const;
export type OnboardingStepName = (typeof ONBOARDING_STEPS)[number];
/** The OnboardingStep search attribute's values: a step, or 'completed' / 'abandoned' once it ends. */
export type OnboardingStage = OnboardingStepName | 'completed' | 'abandoned';

/** Picked interests seed the interest profile; fewer than this is too little to rank a first feed with. */
export const MIN_ONBOARDING_INTERESTS = 3;
export const MAX_ONBOARDING_INTERESTS = 20;

export type OnboardingProgressEvent =
  | { kind: 'handle_claimed'; handle: string }
  | { kind: 'interests_picked'; topics: string[] }
  | { kind: 'creator_followed'; creatorId: string }
  | { kind: 'engaged'; eventId: string };

const STEP_OF: Record<OnboardingProgressEvent['kind'], OnboardingStepName> = {
  handle_claimed: 'claim_handle',
  interests_picked: 'pick_interests',
  creator_followed: 'follow_creator',
  engaged: 'first_engagement',
};

/** The step an event completes, or null for malformed input (a signal handler drops it rather than throwing). */
export function stepCompletedBy(event: unknown): OnboardingStepName | null {
  if (typeof event !== 'object' || event === null) return null;
  const e = event as Record<string, unknown>;
  switch (e.kind) {
    case 'handle_claimed':
      return typeof e.handle === 'string' ? STEP_OF.handle_claimed : null;
    case 'interests_picked':
      return Array.isArray(e.topics) && new Set(e.topics).size >= MIN_ONBOARDING_INTERESTS
        ? STEP_OF.interests_picked
        : null;
    case 'creator_followed':
      return typeof e.creatorId === 'string' ? STEP_OF.creator_followed : null;
    case 'engaged':
      return typeof e.eventId === 'string' ? STEP_OF.engaged : null;
    default:
      return null;
  }
}

/** The first step not yet done, or 'completed'. */
export function currentOnboardingStage(done: ReadonlySet<OnboardingStepName>): OnboardingStepName | 'completed' {
  return ONBOARDING_STEPS.find((step) => !done.has(step)) ?? 'completed';
}

const SEED_EVENT_PREFIX = 'onboarding-interest:';

/**
 * Picked interests reach the interest profile as synthetic engagements with these ids (one per topic, so a repeated
 * pick is a duplicate there). They are the user's stated taste, not the user engaging: isOnboardingSeed tells them
 * apart so they never count as the first engagement.
 */
export function onboardingSeedEventId(topic: string): string {
  return SEED_EVENT_PREFIX + topic;
}

export function isOnboardingSeed(eventId: string): boolean {
  return eventId.startsWith(SEED_EVENT_PREFIX);
}

/** Interest topics as the profile stores them: trimmed, lower-case, deduplicated. */
export function normaliseInterestTopics(topics: readonly string[]): string[] {
  return [...new Set(topics.map((t) => t.trim().toLowerCase()).filter((t) => t.length > 0))];
}
