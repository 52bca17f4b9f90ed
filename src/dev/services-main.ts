/**
 * `npm run services`: starts the local services that are not already running (Temporal dev
 * server with its web UI, FerretDB on PostgreSQL as MongoDB, Redis) and keeps them up until Ctrl-C.
 */
import { ensureServices } from './services.js';

const startedAt = Date.now();
console.log('Starting local services (reusing any already running)...');

try {
  const services = await ensureServices({ mode: 'dev' });
  const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
  const origin = (name: string): string => (services.started.includes(name) ? 'started' : 'reused');
  console.log(`Ready in ${seconds}s:`);
  console.log(`  Temporal     ${services.env.TEMPORAL_ADDRESS}  (${origin('temporal')})`);
  console.log(`  Temporal UI  ${services.env.TEMPORAL_UI_URL}`);
  const store = services.env.MONGO_BACKEND ? `FerretDB on ${services.env.MONGO_BACKEND}` : 'MongoDB wire protocol';
  console.log(`  MongoDB      ${services.env.MONGO_URL}  (${origin('mongodb')}: ${store})`);
  console.log(`  Redis        ${services.env.REDIS_URL}  (${origin('redis')})`);
  if (services.started.length === 0) {
    console.log('Everything was already running; nothing to keep alive.');
  } else {
    console.log('Press Ctrl-C to stop the services started here.');
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => console.log('Stopping...'));
    // ensureServices stops them on SIGINT/SIGTERM; until then this timer keeps the process alive.
    setInterval(() => {}, 1 << 30);
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
