/**
 * Brain Mode commands as the workflow sees them: a plan of steps, what each step did, how to take it back, and the
 * status operators filter on. Pure data and rules; the API builds the plan, activities act on it.
 */

/** The CommandStatus search attribute's values (docs/workflows.md). */
export const COMMAND_STATUSES = [
  'planned',
  'awaiting_confirmation',
  'running',
  'completed',
  'compensated',
  'failed',
  'expired',
] as const;
export type CommandStatusName = (typeof COMMAND_STATUSES)[number];

export const TARGET_SETS = ['top_creators', 'followed_creators'] as const;
export type TargetSetName = (typeof TARGET_SETS)[number];

/** Slots as the planner hands them over (structurally the NLU's slots; the workflow cannot import src/nlp). */
export interface StepParams {
  creator?: string;
  /** The creator on screen by user id (the client's context), for "follow her", "tip this creator". */
  creatorId?: string;
  /** The item on screen (the client's context), for "like this", "share this", "follow whoever made this". */
  contentId?: string;
  creators?: string[];
  recipient?: string;
  topic?: string;
  title?: string;
  station?: string;
  amount?: { value: number; minor: number; currency?: string };
  count?: number;
  /**
   * With `topic`, the looked-up set the step acts on: the top creators of the topic by creator score, or the creators
   * of the topic the caller follows. Resolved before the step runs and confirmed by the user as a list.
   */
  targetSet?: TargetSetName;
  when?: { iso: string; precision: string };
  durationMinutes?: number;
  preference?: { key: string; value: boolean | string };
}

export interface PlannedStep {
  index: number;
  /** An action intent of the catalog (follow_creator, tip_creator, …) or `undo`. */
  action: string;
  params: StepParams;
  needsConfirmation: boolean;
  /** "… and tip each 2 dollars": the step acts on the users the step before acted on. */
  targetsPrevious: boolean;
}

/** How a completed step is taken back; each is idempotent, like the step itself. */
export type Compensation =
  | { kind: 'unfollow'; targets: string[] }
  | { kind: 'refollow'; targets: string[] }
  | { kind: 'unblock'; targets: string[]; refollow: string[] }
  | { kind: 'refund_tips'; tipIds: string[] }
  | { kind: 'restore_preference'; app: string; key: string; previous: boolean | string | null }
  | { kind: 'cancel_show'; stationId: string; ownerId: string; showId: string }
  | { kind: 'end_live'; stationId: string; ownerId: string; showId: string };

export interface StepOutcome {
  summary: string;
  /** User ids the step acted on, for a following step that targets them. */
  targets: string[];
  /** Null when there is nothing to take back (ending a show, cancelling one). */
  compensation: Compensation | null;
}

/** Why a step did not run or failed: `status` is the HTTP status the same request would have got through REST. */
export interface StepError {
  code: string;
  status: number;
  message: string;
}

export type StepState =
  | 'pending'
  | 'awaiting_confirmation'
  | 'running'
  | 'completed'
  | 'failed'
  | 'declined'
  | 'expired'
  | 'compensated'
  | 'compensation_failed';

export interface StepRecord {
  index: number;
  action: string;
  state: StepState;
  summary: string | null;
  targets: string[];
  error: StepError | null;
  compensation: Compensation | null;
}

export type HistoryKind =
  | 'planned'
  | 'awaiting_confirmation'
  | 'confirmed'
  | 'declined'
  | 'expired'
  | 'step_completed'
  | 'step_failed'
  | 'compensated'
  | 'compensation_failed'
  | 'completed'
  | 'undone';

export interface HistoryEntry {
  atMs: number;
  kind: HistoryKind;
  stepIndex: number | null;
  detail: string;
}

export interface CommandView {
  commandId: string;
  userId: string;
  text: string;
  intent: string;
  status: CommandStatusName;
  steps: StepRecord[];
  history: HistoryEntry[];
  /** Step waiting for the user's yes, and until when; for a step over a looked-up set, the users it will act on. */
  awaiting: { stepIndex: number; deadlineMs: number; targets?: string[] } | null;
  /** Set on the command an undo took back. */
  undoneBy: string | null;
  createdAtMs: number;
  updatedAtMs: number;
}

export function pendingStepRecord(step: PlannedStep): StepRecord {
  return {
    index: step.index,
    action: step.action,
    state: 'pending',
    summary: null,
    targets: [],
    error: null,
    compensation: null,
  };
}

/** Steps with something to take back, newest first: the saga's compensation order. */
export function compensationsToRun(steps: readonly StepRecord[]): StepRecord[] {
  return steps.filter((step) => step.state === 'completed' && step.compensation !== null).reverse();
}

/**
 * The status a command ends with when it stops early. Declining is the user changing their mind, so it reads as a
 * rollback ('compensated'), not a failure; a failure that needed no compensation stays 'failed' for operators.
 */
export function statusWhenStopped(
  reason: 'failed' | 'declined' | 'expired',
  compensated: number,
  compensationFailed: boolean,
): CommandStatusName {
  if (compensationFailed) return 'failed';
  if (reason === 'expired') return 'expired';
  if (reason === 'declined') return 'compensated';
  return compensated > 0 ? 'compensated' : 'failed';
}

/** The undo of a command: its compensations, taken back newest first. */
export interface UndoTarget {
  commandId: string;
  compensations: Compensation[];
}

/** A step over a looked-up set: its users are resolved, and shown as a list, before it asks and runs. */
export function actsOnTargetSet(step: PlannedStep): boolean {
  const p = step.params;
  return (
    p.targetSet !== undefined && !step.targetsPrevious && !p.creator && !p.creators && !p.creatorId && !p.contentId
  );
}

/** Deterministic ids from the command and step, so a retried step finds what its first attempt made. */
export const stepRecordId = (commandId: string, stepIndex: number, target?: string): string =>
  target === undefined ? `${commandId}:${stepIndex}` : `${commandId}:${stepIndex}:${target}`;
