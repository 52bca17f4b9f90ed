import type { OnboardingStage } from '../src/domain/onboarding.js';
import type { VerificationStatusName } from '../src/domain/verification.js';
import { findIdentity, updateIdentity, type SharedPreferences } from '../src/store/identities.js';
import { writeNotification } from '../src/store/notifications.js';
import type { ActivityDeps } from './deps.js';

export interface NotificationInput {
  /** Deterministic (derived from the workflow and the occasion), so a retried activity writes once. */
  id: string;
  recipient: string;
  kind: string;
  title: string;
  body: string;
  data?: Record<string, unknown>;
  /** A notification setting that silences this one when the recipient turned it off (shared preferences). */
  silencedBy?: keyof SharedPreferences['notifications'];
}

export interface VerificationOutcome {
  userId: string;
  status: VerificationStatusName;
  operatorId?: string;
  atMs: number;
}

/** Activities of the onboarding and verification workflows; every one is idempotent (a plain $set or insert-once). */
export function createIdentityActivities({ db }: ActivityDeps) {
  return {
    /** Returns false when the recipient's settings silence it (nothing is written then). */
    async writeNotification({ silencedBy, ...input }: NotificationInput): Promise<boolean> {
      if (silencedBy) {
        const identity = await findIdentity(db, input.recipient);
        if (identity?.shared.notifications[silencedBy] === false) return false;
      }
      await writeNotification(db, { data: {}, ...input, _id: input.id, createdAt: new Date(), readAt: null });
      return true;
    },

    async recordOnboardingStage(userId: string, stage: OnboardingStage, atMs: number): Promise<void> {
      await updateIdentity(db, userId, { onboarding: { stage, at: new Date(atMs) } });
    },

    /** Approval sets the verified badge; the other outcomes only record the status (a badge is never taken here). */
    async recordVerificationOutcome({ userId, status, operatorId, atMs }: VerificationOutcome): Promise<void> {
      const at = new Date(atMs);
      const badge = status === 'approved' ? { verified: { at, by: operatorId ?? 'unknown' } } : {};
      await updateIdentity(db, userId, { verification: { status, at }, ...badge });
    },
  };
}

export type IdentityActivities = ReturnType<typeof createIdentityActivities>;
