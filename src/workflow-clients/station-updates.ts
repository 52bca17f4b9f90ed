import {
  WithStartWorkflowOperation,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type Client,
} from '@temporalio/client';
import { ApplicationFailure, type QueryDefinition, type UpdateDefinition } from '@temporalio/common';
import type { Config } from '../config.js';
import type { RejectionCode } from '../domain/schedule.js';
import type { tvStationWorkflow } from '../../workflows/tv-station/workflow.js';
import {
  getLiveStateQuery,
  getScheduleQuery,
  type LiveState,
  type ScheduleView,
} from '../../workflows/tv-station/messages.js';
import { temporalSignals } from './metrics.js';
import { tvStationSettings } from './settings.js';
import { workflowIds } from '../../workflows/ids.js';

const REJECTION_CODES: ReadonlySet<string> = new Set<RejectionCode>([
  'overlap',
  'duplicate_id',
  'already_live',
  'not_live',
  'not_scheduled',
  'not_found',
  'in_past',
  'duration_too_short',
  'duration_too_long',
  'too_far_ahead',
  'invalid_time',
  'incomplete',
  'schedule_full',
]);

/** The station workflow refused a change (overlap, past start, ...): the message says why, for the client. */
export class StationRejection extends Error {
  constructor(
    readonly code: RejectionCode,
    message: string,
  ) {
    super(message);
    this.name = 'StationRejection';
  }
}

export interface StationRef {
  stationId: string;
  ownerId: string;
}

/**
 * Sends an update to a station's workflow, starting the workflow if it is not running (update-with-start), and
 * returns the update's result. A refusal by the workflow's validator throws StationRejection.
 */
export async function updateStation<Ret, Arg>(
  client: Client,
  config: Config,
  station: StationRef,
  update: UpdateDefinition<Ret, [Arg]>,
  arg: Arg,
): Promise<Ret> {
  const startWorkflowOperation = new WithStartWorkflowOperation<typeof tvStationWorkflow>('tvStationWorkflow', {
    workflowId: workflowIds.tvStation(station.stationId),
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    args: [{ stationId: station.stationId, ownerId: station.ownerId, settings: tvStationSettings(config) }],
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
  try {
    const result = await client.workflow.executeUpdateWithStart(update, { args: [arg], startWorkflowOperation });
    temporalSignals.inc({ workflow: 'tv-station', outcome: 'ok' });
    return result;
  } catch (error) {
    const rejection = rejectionOf(error);
    temporalSignals.inc({ workflow: 'tv-station', outcome: rejection ? 'rejected' : 'error' });
    throw rejection ?? error;
  }
}

function rejectionOf(error: unknown): StationRejection | null {
  if (!(error instanceof WorkflowUpdateFailedError)) return null;
  const cause = error.cause;
  if (!(cause instanceof ApplicationFailure) || !cause.type || !REJECTION_CODES.has(cause.type)) return null;
  return new StationRejection(cause.type as RejectionCode, cause.message);
}

/** The station's schedule from its workflow; null when the station has no workflow (nothing was ever scheduled). */
export async function stationSchedule(client: Client, stationId: string): Promise<ScheduleView | null> {
  return queryStation(client, stationId, getScheduleQuery);
}

export async function stationLiveState(client: Client, stationId: string): Promise<LiveState | null> {
  return queryStation(client, stationId, getLiveStateQuery);
}

async function queryStation<T>(client: Client, stationId: string, query: QueryDefinition<T>): Promise<T | null> {
  try {
    return await client.workflow.getHandle(workflowIds.tvStation(stationId)).query(query);
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return null;
    throw error;
  }
}
