/**
 * `npx tsx src/dev/register-search-attributes-main.ts`: registers the custom search attributes the workflows set
 * (workflows/search-attributes.ts) on TEMPORAL_ADDRESS / TEMPORAL_NAMESPACE, then exits. For a Temporal server
 * the launcher did not start, e.g. the one-shot `search-attributes` service of docker-compose.yml. Idempotent;
 * waits up to SEARCH_ATTRIBUTES_WAIT_SECONDS (default 180) for the server and its namespace to answer.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { loadConfig } from '../config.js';
import { parseHostPort } from './addresses.js';
import { registerSearchAttributes } from './register-search-attributes.js';
import { pingTemporal, withTemporalConnection } from './temporal.js';

const config = loadConfig();
const address = config.TEMPORAL_ADDRESS;
const namespace = config.TEMPORAL_NAMESPACE;
const deadline = Date.now() + Number(process.env.SEARCH_ATTRIBUTES_WAIT_SECONDS || 180) * 1000;

// A server that has just started accepts connections before its namespace exists; keep asking until it does.
for (;;) {
  try {
    await pingTemporal(parseHostPort(address, 7233), namespace);
    break;
  } catch (error) {
    if (Date.now() > deadline) {
      console.error(`Temporal at ${address} (namespace ${namespace}) did not answer: ${messageOf(error)}`);
      process.exit(1);
    }
    await sleep(2000);
  }
}

try {
  const added = await withTemporalConnection(address, (connection) => registerSearchAttributes(connection, namespace));
  console.log(
    added.length > 0
      ? `Registered search attributes on ${namespace}: ${added.join(', ')}`
      : `Every search attribute is already registered on ${namespace}`,
  );
} catch (error) {
  console.error(`Registering search attributes on ${address}: ${messageOf(error)}`);
  process.exit(1);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
