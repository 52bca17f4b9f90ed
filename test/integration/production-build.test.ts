import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { REPO_ROOT } from '../../src/dev/tools.js';
import { testConfig } from '../helpers/build-app.js';
import { envOf, freeLoopbackPort, startProcess, waitForOk, type StartedProcess } from '../helpers/processes.js';

/**
 * `npm run build` and the production entry points: dist/ compiled, the workflow bundle prebuilt, and the API and the
 * worker started with plain `node` (no tsx loader, NODE_ENV=production) against the test services until both are
 * ready. Slow (a full tsc + webpack), hence one file of its own.
 */
const config = testConfig(import.meta.filename, {
  TEMPORAL_TASK_QUEUE: `prod-build-${process.pid}`,
  TEMPORAL_RANKING_TASK_QUEUE: `prod-build-ranking-${process.pid}`,
  BATCH_SCORING_SCHEDULE_ID: `prod-build-${process.pid}`,
});

describe('production build (dist/ run with plain node)', () => {
  const processes: StartedProcess[] = [];

  before(() => {
    const build = spawnSync('npm', ['run', 'build'], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 15 * 60_000 });
    assert.equal(build.status, 0, `npm run build failed:\n${build.stdout}\n${build.stderr}`);
  });
  after(async () => {
    const codes = await Promise.all(processes.map((p) => p.stop()));
    assert.deepEqual(codes, [0, 0], processes.map((p) => p.stderr()).join('\n'));
  });

  it('emits the entry points and the prebuilt workflow bundle', () => {
    for (const file of ['src/api/server.js', 'src/worker/main.js', 'src/ops/cli.js', 'workflow-bundle.js']) {
      assert.ok(existsSync(join(REPO_ROOT, 'dist', file)), `dist/${file}`);
    }
  });

  it('starts the API and the worker from dist/ with node alone; both report ready', async () => {
    const [apiPort, workerPort] = [await freeLoopbackPort(), await freeLoopbackPort()];
    const env = envOf(config, {
      NODE_ENV: 'production',
      JWT_SECRET: 'production-test-secret-0123456789',
      DEV_TOKENS: 'false',
      HOST: '127.0.0.1',
      PORT: String(apiPort),
      WORKER_PORT: String(workerPort),
      LOG_LEVEL: 'info',
    });
    delete env.NODE_OPTIONS; // nothing may preload a TypeScript loader
    const api = startProcess(['dist/src/api/server.js'], env);
    const worker = startProcess(['dist/src/worker/main.js'], env);
    processes.push(api, worker);

    const apiReady = await waitForOk(`http://127.0.0.1:${apiPort}/ready`, api);
    assert.equal(((await apiReady.json()) as { status: string }).status, 'ready');
    const workerReady = await waitForOk(`http://127.0.0.1:${workerPort}/ready`, worker);
    assert.equal(((await workerReady.json()) as { status: string }).status, 'ready');
    // The prebuilt bundle was loaded: the SDK logs "Workflow bundle created" only when it bundles at start.
    assert.equal(
      worker.lines.filter((l) => /bundle created/i.test(String(l.msg))).length,
      0,
      'the worker bundled workflows at start',
    );
  });
});
