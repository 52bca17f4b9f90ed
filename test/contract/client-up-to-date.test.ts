import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { after, describe, it } from 'node:test';
import { REPO_ROOT } from '../../src/dev/tools.js';
import { generatedClientFiles } from '../../scripts/client-files.js';
import { build, testConfig } from '../helpers/build-app.js';

describe('clients/typescript', () => {
  const app = build({ after }, testConfig(import.meta.filename, { DEV_TOKENS: 'false' }));

  it('is generated from the current OpenAPI document (else: npm run client:generate)', async () => {
    await app.ready();
    for (const [path, expected] of Object.entries(await generatedClientFiles(app.swagger()))) {
      const name = relative(REPO_ROOT, path);
      assert.ok(readFileSync(path, 'utf8') === expected, `${name} is stale: run npm run client:generate`);
    }
  });
});
