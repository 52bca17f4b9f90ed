/**
 * Trains the Brain Mode intent classifier from src/nlp/intents/utterances.json and writes
 * src/nlp/intents/model.json (commit it). Output is deterministic: an unchanged utterance set
 * gives a byte-identical file. Run after editing the utterances: `npx tsx scripts/train-intents.ts`.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { buildModelFile, MODEL_URL } from '../src/nlp/intents/model.js';

const path = fileURLToPath(MODEL_URL);
const model = buildModelFile();
// Formatted like the rest of the repo so `prettier --check .` stays green.
const text = await format(JSON.stringify(model), { ...(await resolveConfig(path)), parser: 'json' });
writeFileSync(path, text);
console.log(
  `intent model: ${model.trainedExamples} utterances, ${Object.keys(model.classifier.classTotals).length} intents, ` +
    `${Object.keys(model.classifier.vocabulary).length} features, utterance set ${model.utteranceSetVersion} → ${path}`,
);
