import type { OpsCommand } from '../command.js';
import { backfillCommand } from './backfill.js';
import { batchScoringCommand } from './batch-scoring.js';
import { exportEventsCommand } from './export-events.js';
import { modelMetricsCommand } from './model-metrics.js';
import { rebuildCachesCommand } from './rebuild-caches.js';
import { rebuildLeaderboardsCommand } from './rebuild-leaderboards.js';
import { redriveOutboxCommand } from './redrive-outbox.js';
import { showCommand } from './show.js';
import { statusCommand } from './status.js';

/** Every `npm run ops` command, in --help order: one module each, one line here. */
export const OPS_COMMANDS: OpsCommand[] = [
  statusCommand,
  showCommand,
  redriveOutboxCommand,
  rebuildCachesCommand,
  rebuildLeaderboardsCommand,
  backfillCommand,
  batchScoringCommand,
  exportEventsCommand,
  modelMetricsCommand,
];
