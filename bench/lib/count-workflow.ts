/**
 * The bare Temporal lane's workflow (bench/ingest.ts): counts the events it is signalled and does nothing else, no
 * activity, no database. It completes once it has counted `expected` events, so completions say when a lane's events
 * are all applied; with `expected` 0 it never completes (a user kept running for the steady-state phase).
 */
import { condition, defineSignal, setHandler } from '@temporalio/workflow';

export const countEventsSignal = defineSignal<[{ events: unknown[] }]>('countEvents');

export async function benchCountWorkflow(expected: number): Promise<number> {
  let counted = 0;
  setHandler(countEventsSignal, ({ events }) => {
    counted += events.length;
  });
  await condition(() => expected > 0 && counted >= expected);
  return counted;
}
