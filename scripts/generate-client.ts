/**
 * `npm run client:generate` rewrites clients/typescript's generated files from the API's routes;
 * `npm run client:generate -- --check` only says whether they are stale (exit 1), for CI.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { buildApp } from '../src/api/build-app.js';
import { loadConfig } from '../src/config.js';
import { REPO_ROOT } from '../src/dev/tools.js';
import { generatedClientFiles } from './client-files.js';

// Addresses nothing listens on: the document needs only the routes, never whatever services run here.
const nowhere = {
  MONGO_URL: 'mongodb://127.0.0.1:1',
  REDIS_URL: 'redis://127.0.0.1:1',
  TEMPORAL_ADDRESS: '127.0.0.1:1',
};
const app = buildApp(loadConfig({ ...process.env, ...nowhere, NODE_ENV: 'test', DEV_TOKENS: 'false' }), {
  logger: false,
});
await app.ready();

const check = process.argv.includes('--check');
const stale: string[] = [];
for (const [path, content] of Object.entries(await generatedClientFiles(app.swagger()))) {
  let current = '';
  try {
    current = readFileSync(path, 'utf8');
  } catch {
    current = '';
  }
  if (current === content) continue;
  stale.push(relative(REPO_ROOT, path));
  if (!check) writeFileSync(path, content);
}
if (check && stale.length > 0) {
  console.error(`The TypeScript client is stale (${stale.join(', ')}): run npm run client:generate`);
  process.exit(1);
}
console.log(stale.length === 0 ? 'client up to date' : `regenerated ${stale.join(', ')}`);
// Not app.close(): it would wait out the connection attempts to the addresses above.
process.exit(0);
