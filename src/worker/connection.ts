import { NativeConnection } from '@temporalio/worker';
import type { TemporalClientConfig } from '../temporal/client.js';
import { temporalSecurity } from '../temporal/connection-options.js';

/** The worker's connection to the same frontend as the client's, with the same TLS / API-key settings. */
export function connectWorkerTemporal(config: TemporalClientConfig): Promise<NativeConnection> {
  return NativeConnection.connect({
    address: config.TEMPORAL_ADDRESS,
    ...temporalSecurity({ NODE_ENV: 'development', ...config }),
  });
}
