/**
 * Workflow interceptors, bundled with the workflows (workers.ts WORKFLOW_INTERCEPTOR_MODULES): they run inside the
 * workflow sandbox, so only deterministic code and no Node APIs. Neither changes a workflow's commands' identity:
 * the activity summary is user metadata, and logging is a sink call that the SDK skips during replay.
 */
import {
  defaultPayloadConverter,
  log,
  type Headers,
  type WorkflowInterceptorsFactory,
  type WorkflowInboundCallsInterceptor,
  type WorkflowOutboundCallsInterceptor,
} from '@temporalio/workflow';
import { activitySummary } from '../../workflows/summaries.js';

/** Same key as src/temporal/client-interceptors.ts REQUEST_ID_KEY (that module is not sandbox-safe to import). */
const REQUEST_ID_KEY = 'requestId';

function requestIdOf(headers: Headers): string | undefined {
  const payload = headers[REQUEST_ID_KEY];
  if (!payload) return undefined;
  const value: unknown = defaultPayloadConverter.fromPayload(payload);
  return typeof value === 'string' ? value : undefined;
}

/** Logs the API request id a start, signal or update carries, so the request's log line leads to this run. */
const requestIdLogger: WorkflowInboundCallsInterceptor = {
  async execute(input, next) {
    const requestId = requestIdOf(input.headers);
    if (requestId) log.info('workflow started by API request', { requestId });
    return next(input);
  },
  async handleSignal(input, next) {
    const requestId = requestIdOf(input.headers);
    if (requestId) log.info('signal from API request', { requestId, signal: input.signalName });
    return next(input);
  },
  async handleUpdate(input, next) {
    const requestId = requestIdOf(input.headers);
    if (requestId) log.info('update from API request', { requestId, update: input.name });
    return next(input);
  },
};

/** A summary on every activity in the UI timeline, unless the workflow gave one. */
const activitySummaries: WorkflowOutboundCallsInterceptor = {
  scheduleActivity: (input, next) =>
    next({
      ...input,
      options: { ...input.options, summary: input.options.summary ?? activitySummary(input.activityType) },
    }),
  scheduleLocalActivity: (input, next) =>
    next({
      ...input,
      options: { ...input.options, summary: input.options.summary ?? activitySummary(input.activityType) },
    }),
};

export const interceptors: WorkflowInterceptorsFactory = () => ({
  inbound: [requestIdLogger],
  outbound: [activitySummaries],
});
