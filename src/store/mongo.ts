import { MongoClient, type Db } from 'mongodb';
import type { Config } from '../config.js';
import { ensureContentIndexes } from './content.js';
import { ensureContentPopularityIndexes } from './content-popularity.js';
import { ensureEventIndexes } from './events.js';
import { ensureOutboxIndexes } from './event-outbox.js';
import { ensureInterestProfileIndexes } from './interest-profiles.js';
import { ensureShowIndexes } from './shows.js';
import { ensureStationIndexes } from './stations.js';
import { ensureHandleIndexes } from './handles.js';
import { ensureIdentityIndexes } from './identities.js';
import { ensureIdempotencyIndexes } from './idempotency.js';
import { ensureNotificationIndexes } from './notifications.js';
import { ensureCreatorSnapshotIndexes } from './creator-snapshots.js';
import { ensureCreatorStatsIndexes } from './creator-stats.js';
import { ensureRelationshipIndexes } from './relationships.js';
import { ensureBrainCommandIndexes } from './brain-commands.js';
import { ensureTipIndexes } from './tips.js';

export interface MongoStore {
  client: MongoClient;
  db: Db;
}

export async function connectMongo(
  config: Pick<Config, 'MONGO_URL' | 'MONGO_DB' | 'MONGO_MAX_POOL_SIZE'>,
): Promise<MongoStore> {
  // Short server selection so /ready and start-up report a missing database quickly instead of hanging 30 s.
  // A bounded pool: the embedded FerretDB deadlocks when more updates run at once than it has PostgreSQL connections.
  const client = new MongoClient(config.MONGO_URL, {
    serverSelectionTimeoutMS: 3_000,
    connectTimeoutMS: 3_000,
    maxPoolSize: config.MONGO_MAX_POOL_SIZE,
  });
  await client.connect();
  return { client, db: client.db(config.MONGO_DB) };
}

/** Every collection's indexes; idempotent (createIndex on an existing index is a no-op). */
export async function ensureIndexes(db: Db): Promise<void> {
  await ensureEventIndexes(db);
  await ensureContentIndexes(db);
  await ensureContentPopularityIndexes(db);
  await ensureOutboxIndexes(db);
  await ensureInterestProfileIndexes(db);
  await ensureStationIndexes(db);
  await ensureShowIndexes(db);
  await ensureHandleIndexes(db);
  await ensureIdentityIndexes(db);
  await ensureIdempotencyIndexes(db);
  await ensureNotificationIndexes(db);
  await ensureCreatorStatsIndexes(db);
  await ensureCreatorSnapshotIndexes(db);
  await ensureRelationshipIndexes(db);
  await ensureBrainCommandIndexes(db);
  await ensureTipIndexes(db);
}

export async function pingMongo(db: Db): Promise<void> {
  await db.command({ ping: 1 });
}

/**
 * Which server answers (one round trip, so also a ping): "FerretDB v1.24.2" (FerretDB adds `ferretdbVersion` to
 * buildInfo) or "MongoDB 7.0.14". `backend` (MONGO_BACKEND) names what FerretDB stores into; the wire protocol
 * does not say.
 */
export async function describeMongoServer(db: Db, backend?: string): Promise<string> {
  const info = await db.command({ buildInfo: 1 });
  if (typeof info.ferretdbVersion === 'string') {
    return backend ? `FerretDB ${info.ferretdbVersion} on ${backend}` : `FerretDB ${info.ferretdbVersion}`;
  }
  return `MongoDB ${String(info.version)}`;
}
