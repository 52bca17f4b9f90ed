/**
 * `npm run dev`: the all-in-one local entry point. Starts the local services it does not find
 * (or reuses the running ones), then the api and the worker with those addresses. Ctrl-C stops
 * the api and worker first, then the services started here.
 */
import { spawnAppChild, stopAppChild, type AppChild } from './children.js';
import { ensureServices } from './services.js';

const services = await ensureServices({ mode: 'dev', stopOnSignal: false }).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

const childEnv: NodeJS.ProcessEnv = {
  ...process.env,
  ...services.env,
  // Local users need a token to try the API; the dev token route is off unless asked for.
  DEV_TOKENS: process.env.DEV_TOKENS ?? 'true',
};
const children = [
  spawnAppChild('api', 'src/api/server.ts', childEnv),
  spawnAppChild('worker', 'src/worker/main.ts', childEnv),
].filter((child): child is AppChild => child !== undefined);

const apiUrl = `http://${process.env.HOST || '127.0.0.1'}:${process.env.PORT || 3000}`;
console.log(`[dev] services: ${services.started.length ? `started ${services.started.join(', ')}` : 'all reused'}`);
console.log(`[dev] API          ${apiUrl}  (docs at ${apiUrl}/docs)`);
console.log(`[dev] Temporal UI  ${services.env.TEMPORAL_UI_URL}`);
const store = services.env.MONGO_BACKEND ? `FerretDB on ${services.env.MONGO_BACKEND}` : 'reused';
console.log(`[dev] MongoDB      ${services.env.MONGO_URL}  (${store})`);
console.log('[dev] Ctrl-C stops everything started here');

let shuttingDown = false;
/** Repeated signals are ignored: the terminal signals the whole group and npm/tsx relay it again. */
async function shutDown(exitCode: number): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  console.log('[dev] stopping api and worker, then services');
  await Promise.all(children.map((child) => stopAppChild(child)));
  await services.stop();
  process.exit(exitCode);
}

process.on('SIGINT', () => void shutDown(130));
process.on('SIGTERM', () => void shutDown(143));
process.on('SIGHUP', () => void shutDown(129));
if (children.length === 0) {
  console.log('[dev] nothing to run yet; keeping the services up until Ctrl-C');
  setInterval(() => {}, 1 << 30);
}
