import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../../config.js';
import { connectMongo, ensureIndexes, type MongoStore } from '../../store/mongo.js';
import { watchForWedge, WEDGE_WATCH } from '../../store/mongo-wedge.js';
import { connectInBackground, reconnecting, type Reconnecting } from './reconnecting.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** `const { db } = await fastify.mongo.get()`: throws a 503 problem while MongoDB is unreachable. */
    mongo: Reconnecting<MongoStore>;
  }
}

/**
 * MongoDB for the routes. A MongoClient whose first connect failed stays closed for good, so until one connect
 * succeeds each retry is a fresh client; after that the driver rides out outages itself. Indexes are ensured on
 * every successful connect (idempotent), so a database that comes up after the API still gets them.
 */
async function mongo(fastify: FastifyInstance, { config }: { config: Config }): Promise<void> {
  const watches = new Map<MongoStore, { stop(): void }>();
  const dependency = reconnecting<MongoStore>({
    name: 'MongoDB',
    log: fastify.log.child({ dependency: 'mongo' }),
    async connect() {
      const store = await connectMongo(config);
      try {
        await ensureIndexes(store.db);
      } catch (error) {
        await store.client.close();
        throw error;
      }
      // A client that wedged while the database answers is replaced (src/store/mongo-wedge.ts).
      const onWedged = () => dependency.replace(store);
      watches.set(store, watchForWedge(store.client, config.MONGO_URL, { ...WEDGE_WATCH, onWedged }));
      return store;
    },
    async disconnect(store) {
      watches.get(store)?.stop();
      watches.delete(store);
      await store.client.close();
    },
  });
  fastify.decorate('mongo', dependency);
  fastify.addHook('onReady', async () => connectInBackground(dependency));
  fastify.addHook('onClose', () => dependency.close());
}

export default fp(mongo, { name: 'mongo' });
