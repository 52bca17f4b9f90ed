import { Client, Connection } from '@temporalio/client';
import type { Config } from '../config.js';
import { clientInterceptor } from './client-interceptors.js';
import { temporalSecurity, type TemporalConnectionConfig } from './connection-options.js';

export interface TemporalClient {
  connection: Connection;
  client: Client;
}

export type TemporalClientConfig = Pick<Config, 'TEMPORAL_ADDRESS' | 'TEMPORAL_NAMESPACE'> &
  Partial<TemporalConnectionConfig>;

/** The client every process uses: TLS/API key from the config, UI summaries and request ids on every start. */
export async function connectTemporal(config: TemporalClientConfig): Promise<TemporalClient> {
  const connection = await Connection.connect({
    address: config.TEMPORAL_ADDRESS,
    connectTimeout: '3 seconds',
    ...temporalSecurity({ NODE_ENV: 'development', ...config }),
  });
  return {
    connection,
    client: new Client({
      connection,
      namespace: config.TEMPORAL_NAMESPACE,
      interceptors: { workflow: [clientInterceptor] },
    }),
  };
}

/** A cheap round trip to the frontend, used by /ready. */
export async function pingTemporal(temporal: TemporalClient, namespace: string): Promise<void> {
  await temporal.connection.workflowService.describeNamespace({ namespace });
}
