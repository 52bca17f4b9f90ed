import type { FastifyBaseLogger } from 'fastify';
import { serviceUnavailable } from '../problems.js';

/**
 * A client whose first connect may fail (the API starts while a dependency is down, so /ready can say so).
 * Once connected, the drivers reconnect by themselves; until then `get()` tries again, at most once per `retryMs`
 * and never twice at the same time, and throws a 503 problem while the dependency stays unreachable.
 */
export interface Reconnecting<T> {
  get(): Promise<T>;
  /** The client if connected, without trying to connect. */
  current(): T | undefined;
  /** Drops `stale` if it is still the client in use (it is disconnected); the next get() connects a fresh one. */
  replace(stale: T): void;
  close(): Promise<void>;
}

export interface ReconnectingOptions<T> {
  /** Shown to clients in the 503 detail, e.g. "MongoDB". */
  name: string;
  connect: () => Promise<T>;
  disconnect: (client: T) => Promise<void>;
  log: FastifyBaseLogger;
  retryMs?: number;
}

export function reconnecting<T>({
  name,
  connect,
  disconnect,
  log,
  retryMs = 1_000,
}: ReconnectingOptions<T>): Reconnecting<T> {
  let client: T | undefined;
  let attempt: Promise<T> | undefined;
  let lastFailureAt = -Infinity;
  let closed = false;

  function start(): Promise<T> {
    attempt ??= connect()
      .then(async (connected) => {
        if (closed) {
          await disconnect(connected);
          throw new Error(`${name} client closed while connecting`);
        }
        log.info(`${name} connected`);
        client = connected;
        return connected;
      })
      .catch((error: unknown) => {
        lastFailureAt = Date.now();
        if (!closed) log.warn({ err: error }, `${name}: connect failed; will retry on demand`);
        throw error;
      })
      .finally(() => {
        attempt = undefined;
      });
    return attempt;
  }

  return {
    async get() {
      if (client) return client;
      if (closed) throw serviceUnavailable(`${name} is unavailable: the server is shutting down`);
      if (!attempt && Date.now() - lastFailureAt < retryMs) throw serviceUnavailable(`${name} is unavailable`);
      try {
        return await start();
      } catch {
        throw serviceUnavailable(`${name} is unavailable`);
      }
    },
    current: () => client,
    replace(stale) {
      if (client !== stale) return;
      client = undefined;
      log.warn(`${name}: replacing a client that stopped reaching the server`);
      disconnect(stale).catch((error: unknown) => log.warn({ err: error }, `${name}: closing the old client failed`));
    },
    async close() {
      closed = true;
      // A connect still in flight is awaited so its sockets do not outlive the app (its then() disconnects it).
      await attempt?.catch(() => undefined);
      if (client) await disconnect(client);
      client = undefined;
    },
  };
}

/** Starts the first connect at start-up without holding start-up back; failures are logged by `reconnecting`. */
export function connectInBackground<T>(dependency: Reconnecting<T>): void {
  dependency.get().catch(() => undefined);
}
