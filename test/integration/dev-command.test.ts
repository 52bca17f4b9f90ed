import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { after, describe, it } from 'node:test';
import { freePort } from '../../src/dev/ports.js';
import { REPO_ROOT } from '../../src/dev/tools.js';
import { eventually } from '../helpers/platform.js';

/**
 * `npm run dev`'s entry (src/dev/main.ts) against the services `npm test` started, which it must find and reuse:
 * it brings up the api and the worker, and a client can mint a dev token, post events and read the profile back —
 * the README's tour. Ctrl-C (SIGINT) stops everything it started.
 */
describe('npm run dev (integration)', () => {
  const children: ReturnType<typeof spawn>[] = [];
  after(() => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  });

  it('reuses running services, serves the API with a worker behind it, and stops on SIGINT', async () => {
    const port = await freePort();
    const name = `dev_command_${process.pid}`;
    const dev = spawn(process.execPath, ['--import', 'tsx', 'src/dev/main.ts'], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        PORT: String(port),
        MONGO_DB: name,
        REDIS_KEY_PREFIX: `${name}:`,
        TEMPORAL_TASK_QUEUE: name,
        INTEREST_PERSIST_DEBOUNCE_MS: '50',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(dev);
    let output = '';
    dev.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));

    const base = `http://127.0.0.1:${port}`;
    await eventually(
      () =>
        fetch(`${base}/health`)
          .then((r) => r.status)
          .catch(() => 0),
      (s) => s === 200,
      'the API answering',
    );
    assert.match(output, /all reused/, 'found the running services instead of starting its own');
    assert.match(output, /Temporal UI/);

    const minted = await fetch(`${base}/api/v1/dev/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: 'devuser', roles: ['user'] }),
    });
    assert.equal(minted.status, 200);
    const { token } = (await minted.json()) as { token: string };
    const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };

    const occurredAt = new Date().toISOString();
    const posted = await fetch(`${base}/api/v1/events`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({
        events: [{ eventId: `dev-${process.pid}-1`, userId: 'devuser', type: 'like', occurredAt }],
      }),
    });
    assert.equal(posted.status, 202);
    const profile = await eventually(
      () =>
        fetch(`${base}/api/v1/users/devuser/interests`, { headers: auth }).then(
          (r) => r.json() as Promise<{ appliedEvents?: number; lastEventAt?: string | null }>,
        ),
      (p) => p.appliedEvents === 1,
      'the worker applying the event',
    );
    assert.equal(profile.lastEventAt, occurredAt, 'the profile was built from the event this client posted');

    dev.kill('SIGINT');
    const [code] = await once(dev, 'exit');
    assert.equal(code, 130);
    await assert.rejects(fetch(`${base}/health`), 'the API is gone after Ctrl-C');
  });
});
