/**
 * Group commit for many small operations from concurrent callers (the activities of many workflows in one
 * worker): while one flush is in flight, new items queue up and go out together in the next one, so a busy worker
 * sends a few bulk calls instead of thousands of single ones, and an idle one still goes at once.
 *
 * Flushes run one at a time, in order: an item queued after another never lands before it within one process
 * (writes from different processes are ordered by the guards in their filters, see bulk.ts's replaceGuarded).
 * Each caller's promise settles with its own flush, so a failed flush fails (and lets Temporal retry) exactly the
 * items that were in it.
 */
export interface GroupBatcher<In, Out> {
  submit(item: In): Promise<Out>;
}

export function createGroupBatcher<In, Out>(
  flush: (items: In[]) => Promise<Out[]>,
  maxBatch: number,
): GroupBatcher<In, Out> {
  const queue: { item: In; resolve: (out: Out) => void; reject: (error: unknown) => void }[] = [];
  let draining = false;

  async function drain(): Promise<void> {
    while (queue.length > 0) {
      const batch = queue.splice(0, maxBatch);
      try {
        const results = await flush(batch.map((entry) => entry.item));
        batch.forEach((entry, i) => entry.resolve(results[i] as Out));
      } catch (error) {
        for (const entry of batch) entry.reject(error);
      }
    }
    draining = false;
  }

  return {
    submit(item: In): Promise<Out> {
      return new Promise<Out>((resolve, reject) => {
        queue.push({ item, resolve, reject });
        // Deferred a turn so items submitted in the same tick share the first flush too.
        if (!draining) {
          draining = true;
          setImmediate(() => void drain());
        }
      });
    },
  };
}
