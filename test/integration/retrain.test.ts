import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { decidePromotion, type HeldoutMetrics } from '../../src/learning/promotion.js';
import { readPointer } from '../../src/learning/model-registry.js';
import { contentCollection } from '../../src/store/content.js';
import { eventsCollection } from '../../src/store/events.js';
import { connectMongo, type MongoStore } from '../../src/store/mongo.js';
import { REPO_ROOT } from '../../src/dev/tools.js';
import { simulate } from '../../models/simulate.js';
import { testConfig } from '../helpers/build-app.js';

/**
 * Retraining from the platform's own store: `models/train.sh --from-store` exports a seeded MongoDB, builds the
 * dataset with the serving feature code, trains, evaluates the candidate against the serving model and both
 * baselines on its held-out split, writes the card with its charts into a registry, and promotes by the rule;
 * `models/promote.ts` refuses a candidate that does not beat the current model.
 */
const run = promisify(execFile);
const config = testConfig(import.meta.filename);
const env = { ...process.env, MONGO_URL: config.MONGO_URL, MONGO_DB: config.MONGO_DB };

interface Card {
  modelVersion: string;
  metrics: { heldout: HeldoutMetrics };
  charts: Record<string, string>;
  promotion: { promote: boolean; reasons: string[] };
}

describe('retraining from the store (integration)', () => {
  let mongo: MongoStore;
  let registry: string;

  before(async () => {
    mongo = await connectMongo(config);
    const { world, events } = simulate({ seed: 11, users: 250, creators: 30, items: 200, days: 14, startMs: Date.parse('2025-03-03T00:00:00Z') }); // prettier-ignore
    await contentCollection(mongo.db).insertMany(
      world.items.map((item) => ({
        _id: item.id,
        creatorId: world.creators[item.creator]?.id ?? 'unknown',
        title: item.id,
        description: '',
        tags: item.topics,
        type: item.type,
        topics: item.topics,
        createdAt: new Date(item.createdAtMs),
      })),
    );
    await eventsCollection(mongo.db).insertMany(
      events.map((e) => ({
        _id: e.eventId,
        userId: e.userId,
        type: e.type as never,
        ...(e.contentId ? { contentId: e.contentId } : {}),
        creatorId: e.creatorId,
        ...(e.value !== null ? { value: e.value } : {}),
        occurredAt: new Date(e.occurredAt),
        receivedAt: new Date(e.occurredAt),
        batchId: 'seed',
      })),
    );
    registry = await mkdtemp(join(tmpdir(), 'retrain-registry-'));
  });
  after(async () => {
    await mongo?.db.dropDatabase();
    await mongo?.client.close();
  });

  it('exports, trains, evaluates against the serving model and baselines, and promotes by the rule', async () => {
    const { stdout } = await run('bash', ['models/train.sh', '--from-store', '--registry', registry], {
      cwd: REPO_ROOT,
      env,
      maxBuffer: 64 * 1024 * 1024,
    });
    const outcome = JSON.parse(stdout.trim().split('\n').at(-1) as string) as {
      modelVersion: string;
      promote: boolean;
    };
    const dir = join(registry, outcome.modelVersion);
    const card = JSON.parse(await readFile(join(dir, 'model-card.json'), 'utf8')) as Card;
    const { heldout } = card.metrics;
    assert.ok(heldout.current && heldout.fallback && heldout.popularity, 'compared with the serving model and both baselines'); // prettier-ignore
    assert.equal(outcome.promote, decidePromotion(heldout).promote, 'decided by the documented rule');
    const diversity = heldout.model as unknown as Record<string, number>;
    assert.ok(diversity['creators@10']! >= 1 && diversity['topics@10']! >= 1, 'diversity of the top 10 beside NDCG');
    assert.equal(card.promotion.promote, outcome.promote);
    assert.deepEqual((await readdir(join(dir, 'charts'))).sort(), [
      'calibration.png',
      'feature_gain.png',
      'ndcg_at_k.png',
      'score_distributions.png',
    ]);
    const markdown = await readFile(join(dir, 'MODEL_CARD.md'), 'utf8');
    for (const chart of Object.values(card.charts)) assert.ok(markdown.includes(`](${chart})`), `card embeds ${chart}`);
    assert.match(markdown, /current model \(before this run\)/);
    const pointer = await readPointer(registry, 'current', Date.now() + 60_000);
    assert.equal(pointer?.modelVersion ?? null, outcome.promote ? card.modelVersion : null);
    const record = await mongo.db.collection<{ _id: string; status: string }>('model_registry').findOne({ _id: card.modelVersion }); // prettier-ignore
    assert.equal(record?.status, outcome.promote ? 'current' : 'refused');

    // The same model offered again, measured against itself: no gain, so the rule refuses it and nothing moves.
    const again = await mkdtemp(join(tmpdir(), 'candidate-'));
    await cp(dir, again, { recursive: true });
    const same = { ...card, modelVersion: `${card.modelVersion}-again`, metrics: { ...card.metrics, heldout: { ...heldout, current: heldout.model } } }; // prettier-ignore
    await writeFile(join(again, 'model-card.json'), JSON.stringify(same));
    const refused = await run('npx', ['tsx', 'models/promote.ts', '--candidate', again, '--registry', registry], { cwd: REPO_ROOT, env }); // prettier-ignore
    const decision = JSON.parse(refused.stdout.trim().split('\n').at(-1) as string) as { promote: boolean; reasons: string[] }; // prettier-ignore
    assert.equal(decision.promote, false);
    assert.match(decision.reasons.join(' '), /below the current model's/);
    assert.equal((await readPointer(registry, 'current', Date.now() + 120_000))?.modelVersion ?? null, pointer?.modelVersion ?? null); // prettier-ignore
  });
});
