import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../../src/config.js';

describe('loadConfig', () => {
  it('gives typed defaults for an empty environment', () => {
    const config = loadConfig({});
    assert.equal(config.PORT, 3000);
    assert.equal(config.TEMPORAL_TASK_QUEUE, 'powerstream');
    assert.equal(config.TEMPORAL_RANKING_TASK_QUEUE, 'ranking');
    assert.equal(config.DEV_TOKENS, false);
  });

  it('coerces numbers and booleans from strings', () => {
    const config = loadConfig({ PORT: '8080', DEV_TOKENS: 'true', INTEREST_HALF_LIFE_HOURS: '12.5' });
    assert.equal(config.PORT, 8080);
    assert.equal(config.DEV_TOKENS, true);
    assert.equal(config.INTEREST_HALF_LIFE_HOURS, 12.5);
  });

  it('fails naming the variable when a value is bad', () => {
    assert.throws(() => loadConfig({ PORT: 'abc' }), /PORT/);
    assert.throws(() => loadConfig({ MONGO_URL: 'postgres://x' }), /MONGO_URL/);
    assert.throws(() => loadConfig({ LOG_LEVEL: 'loud' }), /LOG_LEVEL/);
    assert.throws(() => loadConfig({ JWT_SECRET: 'short' }), /JWT_SECRET/);
  });

  it('refuses the public development secret in production', () => {
    assert.throws(() => loadConfig({ NODE_ENV: 'production' }), /JWT_SECRET/);
    assert.equal(
      loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'a-real-secret-of-enough-length' }).NODE_ENV,
      'production',
    );
  });
});
