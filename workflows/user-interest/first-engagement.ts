import { getExternalWorkflowHandle, log } from '@temporalio/workflow';
import type { EngagementEvent } from '../../src/domain/interest-profile.js';
import { isOnboardingSeed } from '../../src/domain/onboarding.js';
import { workflowIds } from '../ids.js';
import { onboardingProgressSignal } from '../onboarding/messages.js';

/**
 * Completes the "first engagement" step of the user's onboarding workflow from here, where every engagement is
 * applied durably, instead of from the API: one signal per run lineage, at the first applied event that is not an
 * onboarding seed (picked interests are fed in as synthetic follows). `signalled` is carried across
 * continue-as-new; a fresh run (after idling out) starts without it and may send one more, which onboarding
 * ignores as a step already done.
 */
export function firstEngagementNotifier(userId: string, alreadySignalled = false) {
  let signalled = alreadySignalled;
  return {
    get signalled(): boolean {
      return signalled;
    },
    async afterApplied(applied: readonly EngagementEvent[]): Promise<void> {
      if (signalled) return;
      const first = applied.find((event) => !isOnboardingSeed(event.eventId));
      if (!first) return;
      signalled = true;
      try {
        const onboarding = getExternalWorkflowHandle(workflowIds.onboarding(userId));
        await onboarding.signal(onboardingProgressSignal, { kind: 'engaged', eventId: first.eventId });
      } catch (error) {
        // Users created before onboarding existed have none, and a finished onboarding takes no signals.
        log.info('no onboarding to tell about the first engagement', { userId, error: String(error) });
      }
    },
  };
}
