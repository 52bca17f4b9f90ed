import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { Worker } from '@temporalio/worker';
import { HISTORIES_DIR, readHistory } from '../helpers/histories.js';
import { bundleWorkflows } from '../helpers/workflow-env.js';

/**
 * Replays every recorded history (test/workflows/histories/*.binpb) against the current workflow code: a change
 * that would break running workflows (non-determinism) fails here, not in production.
 */
const files = readdirSync(HISTORIES_DIR)
  .filter((f) => f.endsWith('.binpb'))
  .sort();

describe('replay of recorded workflow histories', () => {
  it('has recorded histories to replay', () => {
    assert.ok(files.length > 0, `no histories in ${HISTORIES_DIR}`);
  });

  for (const file of files) {
    it(`replays ${file}`, async () => {
      const bundle = await bundleOnce();
      await Worker.runReplayHistory({ workflowBundle: bundle }, readHistory(file), file);
    });
  }
});

let bundle: ReturnType<typeof bundleWorkflows> | undefined;
function bundleOnce(): ReturnType<typeof bundleWorkflows> {
  bundle ??= bundleWorkflows();
  return bundle;
}
