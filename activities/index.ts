import { createBrainActivities } from './brain/index.js';
import { createCreatorActivities } from './creator.js';
import type { ActivityDeps } from './deps.js';
import { createIdentityActivities } from './identity.js';
import { createInterestActivities } from './interest.js';
import { createLearningActivities } from './learning.js';
import { createTvStationActivities } from './tv-station.js';

/**
 * Every activity, built from the stores the worker wires in. Workflows take their activity types from the modules
 * below, not from here: this one reaches every service the activities call.
 */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createInterestActivities(deps),
    ...createTvStationActivities(deps),
    ...createIdentityActivities(deps),
    ...createCreatorActivities(deps),
    ...createBrainActivities(deps),
    ...createLearningActivities(deps),
  };
}

export type { ActivityDeps } from './deps.js';
