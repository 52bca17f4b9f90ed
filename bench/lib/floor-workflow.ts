/**
 * The floor lane's workflow (bench/ingest.ts): the least a user's workflow can do when MongoDB is the source of
 * truth. It counts the events it is signalled and, once it has them all, restores and writes the user's profile in
 * one local activity (floor-activities.ts); no timer, no search attribute, no feed refresh.
 */
import { condition, proxyLocalActivities, setHandler } from '@temporalio/workflow';
import type { FloorActivities } from './floor-activities.js';
import { countEventsSignal } from './count-workflow.js';

const { writeFloorProfile } = proxyLocalActivities<FloorActivities>({ startToCloseTimeout: '1 minute' });

export async function benchFloorWorkflow(userId: string, expected: number): Promise<number> {
  let counted = 0;
  setHandler(countEventsSignal, ({ events }) => {
    counted += events.length;
  });
  await condition(() => counted >= expected);
  await writeFloorProfile(userId, counted);
  return counted;
}
