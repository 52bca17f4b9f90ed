/**
 * The floor lane's workflow (bench/ingest.ts): the least a user's workflow can do when MongoDB is the source of
 * truth and Redis holds the hot profile. It counts the events it is signalled and writes the user's profile in a
 * local activity (floor-activities.ts); no timer, no search attribute, no feed refresh.
 * - `expected` > 0 (cold start): once it has them all, one activity restores and writes the profile; it completes.
 * - `expected` 0 (steady state): it keeps running and writes the profile after every wake that brought events. A
 *   bench run is short, so it never continues-as-new.
 */
import { condition, proxyLocalActivities, setHandler } from '@temporalio/workflow';
import type { FloorActivities } from './floor-activities.js';
import { countEventsSignal } from './count-workflow.js';

const { writeFloorProfile, saveFloorProfile } = proxyLocalActivities<FloorActivities>({
  startToCloseTimeout: '1 minute',
});

export async function benchFloorWorkflow(userId: string, expected: number): Promise<number> {
  let counted = 0;
  setHandler(countEventsSignal, ({ events }) => {
    counted += events.length;
  });
  if (expected > 0) {
    await condition(() => counted >= expected);
    await writeFloorProfile(userId, counted);
    return counted;
  }
  for (let written = 0; ;) {
    await condition(() => counted > written);
    written = counted;
    await saveFloorProfile(userId, written);
  }
}
