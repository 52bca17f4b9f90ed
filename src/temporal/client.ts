import { Client, Connection } from '@temporalio/client';
import type { Config } from '../config.js';

export interface TemporalClient {
  connection: Connection;
  client: Client;
}

export async function connectTemporal(
  config: Pick<Config, 'TEMPORAL_ADDRESS' | 'TEMPORAL_NAMESPACE'>,
): Promise<TemporalClient> {
  const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS, connectTimeout: '3 seconds' });
  return { connection, client: new Client({ connection, namespace: config.TEMPORAL_NAMESPACE }) };
}

/** A cheap round trip to the frontend, used by /ready. */
export async function pingTemporal(temporal: TemporalClient, namespace: string): Promise<void> {
  await temporal.connection.workflowService.describeNamespace({ namespace });
}
