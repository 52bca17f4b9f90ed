import { MongoClient } from 'mongodb';

/**
 * Tells a wedged MongoDB client from a database that is down. The Node driver (6.22) can leave its server monitor
 * waiting for ever on a connection that closed under it — seen when FerretDB restarted under load: the client then
 * never reconnects though the database answers everyone else. A client whose pings have failed for `afterMs` while
 * a fresh client's ping succeeds is wedged; when the fresh one fails too, the database is down and the driver will
 * reconnect by itself once it is back.
 */
export type WedgeVerdict = 'ok' | 'failing' | 'down' | 'wedged';

export interface WedgeCheck {
  check(nowMs: number): Promise<WedgeVerdict>;
}

export function wedgeCheck(
  pingOwn: () => Promise<unknown>,
  pingFresh: () => Promise<unknown>,
  afterMs: number,
): WedgeCheck {
  let failingSince: number | undefined;
  return {
    async check(nowMs) {
      if (await succeeds(pingOwn)) {
        failingSince = undefined;
        return 'ok';
      }
      failingSince ??= nowMs;
      if (nowMs - failingSince < afterMs) return 'failing';
      return (await succeeds(pingFresh)) ? 'wedged' : 'down';
    },
  };
}

/** Pings `client` every `everyMs` (bounded by its server selection timeout); calls onWedged once when it is wedged. */
export function watchForWedge(
  client: MongoClient,
  url: string,
  options: { everyMs: number; afterMs: number; onWedged: () => void },
): { stop(): void } {
  const ping = (c: MongoClient) => c.db('admin').command({ ping: 1 });
  const watch = wedgeCheck(
    () => ping(client),
    async () => {
      const fresh = new MongoClient(url, {
        serverSelectionTimeoutMS: PING_TIMEOUT_MS,
        connectTimeoutMS: PING_TIMEOUT_MS,
      });
      try {
        await ping(fresh);
      } finally {
        await fresh.close();
      }
    },
    options.afterMs,
  );
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    void watch
      .check(Date.now())
      .then((verdict) => {
        if (verdict !== 'wedged') return;
        clearInterval(timer);
        options.onWedged();
      })
      .finally(() => (running = false));
  }, options.everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

const PING_TIMEOUT_MS = 3_000;

/** How the processes watch their clients: a ping every 10 s, a fresh client asked after 60 s of failures. */
export const WEDGE_WATCH = { everyMs: 10_000, afterMs: 60_000 } as const;

async function succeeds(fn: () => Promise<unknown>): Promise<boolean> {
  try {
    await fn();
    return true;
  } catch {
    return false;
  }
}
