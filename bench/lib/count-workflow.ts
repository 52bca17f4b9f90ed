/**
 * The bare Temporal lane's workflow (bench/ingest.ts): counts the events it is signalled and does nothing else, no
 * activity, no database. It completes once it has counted `expected` events, so completions say when a lane's events
 * are all applied; with `expected` 0 it never completes (a user kept running for the steady-state phase), and tells
 * its worker what it counted through a sink instead, so the bench can tell when every signal has been applied.
 */
import { condition, defineSignal, proxySinks, setHandler, type Sinks } from '@temporalio/workflow';

export const countEventsSignal = defineSignal<[{ events: unknown[] }]>('countEvents');

export interface LaneSinks extends Sinks {
  lane: { counted(events: number): void };
}

const { lane } = proxySinks<LaneSinks>();

export async function benchCountWorkflow(expected: number): Promise<number> {
  let counted = 0;
  setHandler(countEventsSignal, ({ events }) => {
    counted += events.length;
    if (expected === 0) lane.counted(events.length);
  });
  await condition(() => expected > 0 && counted >= expected);
  return counted;
}
