import type { WorkflowClientInterceptor } from '@temporalio/client';
import { defaultPayloadConverter, type Headers } from '@temporalio/common';
import type { CompiledWorkflowOptions } from '@temporalio/client/lib/workflow-options.js';
import { currentRequestId } from './request-context.js';
import { workflowStaticMetadata } from '../../workflows/summaries.js';

/** Header and memo key of the API request id; the worker's workflow interceptor logs it (src/worker/workflow-interceptors.ts). */
export const REQUEST_ID_KEY = 'requestId';

/**
 * Every workflow start, signal-with-start, update-with-start, signal and update sent through connectTemporal's
 * client: fills in the UI summary/details (workflows/summaries.ts) and, inside an API request, carries its id as a
 * header (every call) and a memo (starts), so an operator can go from an API log line to the runs it touched.
 */
export const clientInterceptor: WorkflowClientInterceptor = {
  startWithDetails: (input, next) =>
    next({ ...input, options: describe(input.workflowType, input.options), headers: tagged(input.headers) }),
  signalWithStart: (input, next) =>
    next({ ...input, options: describe(input.workflowType, input.options), headers: tagged(input.headers) }),
  startUpdateWithStart: (input, next) =>
    next({
      ...input,
      workflowStartOptions: describe(input.workflowType, input.workflowStartOptions),
      workflowStartHeaders: tagged(input.workflowStartHeaders),
      updateHeaders: tagged(input.updateHeaders),
    }),
  signal: (input, next) => next({ ...input, headers: tagged(input.headers) }),
  startUpdate: (input, next) => next({ ...input, headers: tagged(input.headers) }),
};

function describe(workflowType: string, options: CompiledWorkflowOptions): CompiledWorkflowOptions {
  const requestId = currentRequestId();
  const metadata = workflowStaticMetadata(workflowType, options.workflowId);
  return {
    ...options,
    ...(metadata && options.staticSummary === undefined ? metadata : {}),
    ...(requestId ? { memo: { ...options.memo, [REQUEST_ID_KEY]: requestId } } : {}),
  };
}

function tagged(headers: Headers): Headers {
  const requestId = currentRequestId();
  return requestId ? { ...headers, [REQUEST_ID_KEY]: defaultPayloadConverter.toPayload(requestId) } : headers;
}
