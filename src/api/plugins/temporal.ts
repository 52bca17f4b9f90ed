import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../../config.js';
import { connectTemporal, type TemporalClient } from '../../temporal/client.js';
import { connectInBackground, reconnecting, type Reconnecting } from './reconnecting.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** `const { client } = await fastify.temporal.get()`: throws a 503 problem while Temporal is unreachable. */
    temporal: Reconnecting<TemporalClient>;
  }
}

/** The Temporal client for the routes; connected in the background so the API starts while Temporal is down. */
async function temporal(fastify: FastifyInstance, { config }: { config: Config }): Promise<void> {
  const dependency = reconnecting<TemporalClient>({
    name: 'Temporal',
    log: fastify.log.child({ dependency: 'temporal' }),
    connect: () => connectTemporal(config),
    disconnect: (connected) => connected.connection.close(),
  });
  fastify.decorate('temporal', dependency);
  fastify.addHook('onReady', async () => connectInBackground(dependency));
  fastify.addHook('onClose', () => dependency.close());
}

export default fp(temporal, { name: 'temporal' });
