/**
 * The second half of `npm run build` (after `tsc -p tsconfig.build.json` compiled to dist/): copies the files the
 * compiled code reads at run time next to it, and bundles the workflows once into dist/workflow-bundle.js, which the
 * production worker loads instead of bundling TypeScript at every start (src/worker/workers.ts).
 */
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { REPO_ROOT } from '../src/dev/tools.js';
import { bundlePowerstreamWorkflows } from '../src/worker/workers.js';

const DIST = join(REPO_ROOT, 'dist');

/** Read through `new URL(..., import.meta.url)`, so they must sit at the same relative place under dist/. */
const RUNTIME_FILES = [
  'package.json', // the API's version (openapi.ts), and "type": "module" for dist/**/*.js
  'models/ranker.onnx',
  'models/model-card.json',
  'src/nlp/intents/model.json',
];

for (const file of RUNTIME_FILES) {
  mkdirSync(dirname(join(DIST, file)), { recursive: true });
  cpSync(join(REPO_ROOT, file), join(DIST, file));
}

const bundle = await bundlePowerstreamWorkflows();
writeFileSync(join(DIST, 'workflow-bundle.js'), bundle.code);
console.log(
  `dist/ ready: ${RUNTIME_FILES.length} runtime files, workflow bundle ${(bundle.code.length / 1024).toFixed(0)} KiB`,
);
