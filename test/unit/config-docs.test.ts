import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { configurationDoc, CONFIGURATION_DOC } from '../../scripts/config-docs.js';
import { ConfigSchema } from '../../src/config.js';

describe('docs/configuration.md', () => {
  it('is what npm run docs:config generates from src/config.ts (run it after changing the schema)', async () => {
    assert.equal(readFileSync(CONFIGURATION_DOC, 'utf8'), await configurationDoc());
  });

  it('has a row for every variable of the schema', async () => {
    const doc = await configurationDoc();
    for (const name of Object.keys(ConfigSchema.properties)) assert.match(doc, new RegExp(`^\\| \`${name}\` `, 'm'));
  });
});
