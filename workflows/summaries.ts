/**
 * What the Temporal UI shows for a run without opening its payloads: a one-line static summary (the workflow list
 * and the run's header) and static details (markdown: what the run owns, which queries and search attributes to
 * use). Every client start goes through clientInterceptor (src/temporal/client-interceptors.ts), which fills these
 * in from the workflow type and id, so a new start call needs no change; a new workflow type gets an entry here.
 * Sandbox-safe: the worker's workflow interceptor (src/worker/workflow-interceptors.ts) uses activitySummary.
 */
interface WorkflowDescription {
  /** The entity the id names, e.g. "user u1"; the id's part after the first ':' (or the whole id). */
  summary(entity: string): string;
  details: string;
}

const DESCRIPTIONS: Record<string, WorkflowDescription> = {
  userInterestWorkflow: {
    summary: (userId) => `Interest profile of user ${userId}`,
    details:
      "Folds the user's engagement events (signal `engagements`, from the event relay) into a decaying topic profile, " +
      'persists it to `interest_profiles` and asks the ranking queue for a feed refresh when the top topics shift.\n\n' +
      'Query `getProfile`. Search attributes: `TopTopic`, `LastEventAt`.',
  },
  creatorStatsWorkflow: {
    summary: (creatorId) => `Stats and tier of creator ${creatorId}`,
    details:
      "Aggregates the creator's content metrics (signal `creatorMetrics`, from the event relay) into a score and a tier, " +
      'and publishes them to `creator_stats` and the Redis leaderboards.\n\n' +
      'Query `getStats`. Search attributes: `CreatorTier`, `CreatorScore`.',
  },
  tvStationWorkflow: {
    summary: (stationId) => `Schedule and live state of TV station ${stationId}`,
    details:
      "Owns the station's show schedule (updates `scheduleShow`, `cancelShow`, `reschedule`, `goLive`, `endLive`), " +
      'notifies followers when a show starts and records finished shows.\n\n' +
      'Queries `getSchedule`, `getLiveState`. Search attributes: `StationStatus`, `NextShowAt`.',
  },
  onboardingWorkflow: {
    summary: (userId) => `Onboarding of user ${userId}`,
    details:
      'Tracks the onboarding steps (signal `onboardingProgress`) and sends reminders for a stalled step.\n\n' +
      'Query `getOnboardingProgress`. Search attribute: `OnboardingStep`.',
  },
  verificationWorkflow: {
    summary: (userId) => `Identity verification of user ${userId}`,
    details:
      "Waits for a reviewer's decision (signal `decide`), escalates and finally expires an undecided request.\n\n" +
      'Query `getVerification`. Search attribute: `VerificationStatus`.',
  },
  brainCommandWorkflow: {
    summary: (commandId) => `Brain Mode command ${commandId}`,
    details:
      "Runs a voice/text command's planned steps, waiting for confirmation (update `confirm`) where a step needs it, " +
      'and compensates completed steps on undo.\n\nQuery `getStatus`. Search attributes: `BrainIntent`, `CommandStatus`.',
  },
  batchScoringWorkflow: {
    summary: (id) => `Batch feed scoring (${id})`,
    details:
      'Scores the feeds of recently active users page by page on the `ranking` task queue and records the run in ' +
      '`scoring_runs`.\n\nQuery `getScoringProgress`. Started by the batch-scoring schedule or `npm run ops -- batch-scoring trigger`.',
  },
};

/** Every workflow type the platform starts (the ops CLI's status counts them). */
export const DESCRIBED_WORKFLOW_TYPES = Object.keys(DESCRIPTIONS);

export interface StaticMetadata {
  staticSummary: string;
  staticDetails: string;
}

/** The UI metadata for a start of `workflowType` with `workflowId`; undefined for a type not described above. */
export function workflowStaticMetadata(workflowType: string, workflowId: string): StaticMetadata | undefined {
  const description = DESCRIPTIONS[workflowType];
  if (!description) return undefined;
  const separator = workflowId.indexOf(':');
  const entity = separator === -1 ? workflowId : workflowId.slice(separator + 1);
  return { staticSummary: description.summary(entity), staticDetails: description.details };
}

/**
 * A one-line summary for an activity in a run's timeline, from its name: `publishCreatorStats` → "publish creator
 * stats". Workflows may pass their own `summary` in the activity options; this only fills in a missing one.
 */
export function activitySummary(activityType: string): string {
  return activityType.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
}
