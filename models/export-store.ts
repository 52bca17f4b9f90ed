/**
 * Exports what a retrain needs from the platform's MongoDB (MONGO_URL, MONGO_DB): `events`, `content` and
 * `impressions` as JSON lines in the format models/build-dataset.ts reads (the same as mongoexport's relaxed JSON).
 * Streams each collection, so an export holds one document in memory at a time.
 * Run: npx tsx models/export-store.ts --out DIR   (models/train.sh --from-store calls it)
 */
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import type { Collection, Document } from 'mongodb';
import { loadConfig } from '../src/config.js';
import { contentCollection } from '../src/store/content.js';
import { eventsCollection } from '../src/store/events.js';
import { connectMongo } from '../src/store/mongo.js';
import { impressionsCollection } from '../src/impressions/store.js';

const { values: args } = parseArgs({ options: { out: { type: 'string', default: '.tools/models-work/store' } } });
const out = args.out;
await mkdir(out, { recursive: true });
const mongo = await connectMongo(loadConfig());
try {
  const counts = {
    events: await exportCollection(eventsCollection(mongo.db), 'events.jsonl', {
      _id: 1,
      userId: 1,
      type: 1,
      contentId: 1,
      creatorId: 1,
      value: 1,
      occurredAt: 1, // prettier-ignore
    }),
    content: await exportCollection(contentCollection(mongo.db), 'content.jsonl', {
      _id: 1,
      creatorId: 1,
      type: 1,
      topics: 1,
      createdAt: 1, // prettier-ignore
    }),
    impressions: await exportCollection(impressionsCollection(mongo.db), 'impressions.jsonl', {
      userId: 1,
      at: 1,
      items: 1,
      modelVersion: 1, // prettier-ignore
    }),
  };
  console.log(`exported ${JSON.stringify(counts)} from ${mongo.db.databaseName} -> ${out}`);
} finally {
  await mongo.client.close();
}

async function exportCollection<T extends Document>(collection: Collection<T>, file: string, projection: Document) {
  const stream = createWriteStream(join(out, file));
  let count = 0;
  for await (const doc of collection.find({}, { projection })) {
    if (!stream.write(`${JSON.stringify(doc)}\n`)) await once(stream, 'drain');
    count++;
  }
  stream.end();
  await once(stream, 'finish');
  return count;
}
