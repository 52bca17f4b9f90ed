import assert from 'node:assert/strict';
import { basename } from 'node:path';
import { loadConfig, type Config } from '../../src/config.js';
import { buildApp, type ApiInstance } from '../../src/api/build-app.js';
import type { Role } from '../../src/api/principal.js';

/** node:test's TestContext and SuiteContext both have `after`; the app is closed when that test or suite ends. */
interface HasAfter {
  after(fn: () => Promise<void>): void;
}

/**
 * Config for one test file against the services `npm test` started: the file gets its own MongoDB database and
 * Redis key prefix (from its name and the pid), so files and reruns never see each other's data or rate limits.
 */
export function testConfig(testFile: string, env: Record<string, string> = {}): Config {
  for (const name of ['TEMPORAL_ADDRESS', 'MONGO_URL', 'REDIS_URL'] as const) {
    assert.ok(process.env[name], `${name} is not set: run the API tests through \`npm test -- test/api\``);
  }
  const name = basename(testFile)
    .replace(/\.test\.ts$/, '')
    .replace(/[^A-Za-z0-9]/g, '_');
  return loadConfig({
    ...process.env,
    NODE_ENV: 'test',
    MONGO_DB: `api_${name}_${process.pid}`.slice(0, 60),
    REDIS_KEY_PREFIX: `test:${name}:${process.pid}:`,
    DEV_TOKENS: 'true',
    ...env,
  });
}

/** The app for `inject()`, closed after the test or suite that built it. */
export function build(t: HasAfter, config: Config): ApiInstance {
  const app = buildApp(config);
  t.after(() => app.close());
  return app;
}

/** A bearer header for `userId` signed with the app's secret; `exp` in seconds since the epoch for expired ones. */
export async function bearer(
  app: ApiInstance,
  userId: string,
  roles: Role[] = ['user'],
  exp?: number,
): Promise<string> {
  await app.ready();
  const claims = exp === undefined ? { sub: userId, roles } : { sub: userId, roles, exp };
  return `Bearer ${app.jwt.sign(claims, exp === undefined ? { expiresIn: '10m' } : {})}`;
}
