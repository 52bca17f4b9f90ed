/**
 * Registers a trained candidate and applies the promotion rule (src/learning/promotion.ts):
 *   npx tsx models/promote.ts --candidate DIR [--registry DIR]   # install, decide, point `current` if it wins
 *   npx tsx models/promote.ts --current-path [--registry DIR]    # the model file serving now (to evaluate it)
 * Every decision is recorded in the installed card (`promotion`), in MODEL_CARD.md, and in the `model_registry`
 * collection of MONGO_URL/MONGO_DB. Serving processes follow the `current` pointer without a restart.
 */
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.js';
import { DEFAULT_REGISTRY_DIR, installModel, servingModel, writePointer } from '../src/learning/model-registry.js';
import { decidePromotion, type HeldoutMetrics } from '../src/learning/promotion.js';
import { connectMongo } from '../src/store/mongo.js';

const { values: args } = parseArgs({
  options: {
    candidate: { type: 'string' },
    registry: { type: 'string', default: DEFAULT_REGISTRY_DIR },
    'current-path': { type: 'boolean', default: false },
  },
});

if (args['current-path']) {
  console.log((await servingModel(args.registry, 'current')).modelPath);
} else {
  if (!args.candidate) throw new Error('--candidate DIR is required');
  const card = JSON.parse(await readFile(join(args.candidate, 'model-card.json'), 'utf8')) as {
    modelVersion: string;
    metrics: { heldout: HeldoutMetrics };
  };
  const decision = decidePromotion(card.metrics.heldout);
  const decidedAt = new Date();
  const target = await installModel(args.registry, args.candidate, card.modelVersion);
  const promotion = { ...decision, decidedAt: decidedAt.toISOString(), rule: 'src/learning/promotion.ts' };
  await writeFile(join(target, 'model-card.json'), `${JSON.stringify({ ...card, promotion }, null, 2)}\n`);
  await appendFile(
    join(target, 'MODEL_CARD.md'),
    `\n## Promotion\n\n${decision.promote ? 'Promoted' : 'Refused'} on ${promotion.decidedAt}: ${decision.reasons.join('; ')}.\n`,
  );
  if (decision.promote) {
    await writePointer(args.registry, 'current', { modelVersion: card.modelVersion, promotedAt: promotion.decidedAt });
  }
  const mongo = await connectMongo(loadConfig());
  try {
    await mongo.db.collection<{ _id: string }>('model_registry').updateOne(
      { _id: card.modelVersion },
      { $set: { dir: target, metrics: card.metrics.heldout, status: decision.promote ? 'current' : 'refused', promotion } }, // prettier-ignore
      { upsert: true },
    );
    if (decision.promote) {
      await mongo.db
        .collection<{ _id: string }>('model_registry')
        .updateMany({ _id: { $ne: card.modelVersion }, status: 'current' }, { $set: { status: 'retired' } });
    }
  } finally {
    await mongo.client.close();
  }
  console.log(JSON.stringify({ modelVersion: card.modelVersion, dir: target, ...decision }));
}
