// The workflow bundle's entry: every workflow the worker runs is exported here.
export { userInterestWorkflow } from './user-interest/workflow.js';
export { tvStationWorkflow } from './tv-station/workflow.js';
export { onboardingWorkflow } from './onboarding/workflow.js';
export { verificationWorkflow } from './verification/workflow.js';
export { creatorStatsWorkflow } from './creator-stats/workflow.js';
export { brainCommandWorkflow } from './brain-command/workflow.js';
export { batchScoringWorkflow } from './batch-scoring/workflow.js';
export { learningLoopWorkflow } from './learning-loop/workflow.js';
