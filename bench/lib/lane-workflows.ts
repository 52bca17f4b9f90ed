/** The workflows of the bench's reference lanes, run by ingest-bare-worker.ts. */
export { benchCountWorkflow } from './count-workflow.js';
export { benchFloorWorkflow } from './floor-workflow.js';
