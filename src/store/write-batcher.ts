/**
 * Group commit for many small writes from concurrent callers (activities of different workflows in one worker):
 * while one flush is in flight, new writes queue up and go out together in the next one, so a busy worker sends
 * a few large bulk writes instead of thousands of single ones, and an idle one still writes at once.
 *
 * Flushes run one at a time, in order: a write queued after another can never land before it, which is what
 * lets callers replace documents without a version guard in the filter. Each caller's promise settles with its
 * own flush, so a failed flush fails (and lets Temporal retry) exactly the writes that were in it.
 */
export interface WriteBatcher<T> {
  write(item: T): Promise<void>;
}

export function createWriteBatcher<T>(flush: (items: T[]) => Promise<void>, maxBatch: number): WriteBatcher<T> {
  const queue: { item: T; resolve: () => void; reject: (error: unknown) => void }[] = [];
  let draining = false;

  async function drain(): Promise<void> {
    draining = true;
    while (queue.length > 0) {
      const batch = queue.splice(0, maxBatch);
      try {
        await flush(batch.map((entry) => entry.item));
        for (const entry of batch) entry.resolve();
      } catch (error) {
        for (const entry of batch) entry.reject(error);
      }
    }
    draining = false;
  }

  return {
    write(item: T): Promise<void> {
      return new Promise<void>((resolve, reject) => {
        queue.push({ item, resolve, reject });
        // Deferred a turn so writes issued in the same tick share the first flush too.
        if (!draining) {
          draining = true;
          setImmediate(() => void drain());
        }
      });
    },
  };
}
