import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The API request being served, for code far below the route: the Temporal client interceptors read it to carry
 * the request id into the workflows a request starts or signals. Outside a request (the relay, the CLI) it is empty.
 */
export interface RequestContext {
  requestId: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

export function runInRequestContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}
