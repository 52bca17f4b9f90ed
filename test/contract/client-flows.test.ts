/**
 * The main client flows through the generated TypeScript client (clients/typescript) against the API on real
 * services: what compiles here is what an app team's code compiles against.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createPowerstreamClient, type PowerstreamClient } from '../../clients/typescript/src/index.js';
import { freePort } from '../../src/dev/ports.js';
import { build, testConfig } from '../helpers/build-app.js';
import { startPlatform, type Platform } from '../helpers/platform.js';
import { uniqueId } from '../helpers/workflow-env.js';
import { workflowIds } from '../../workflows/ids.js';

const config = testConfig(import.meta.filename, { TEMPORAL_TASK_QUEUE: `client-flows-${process.pid}` });

describe('the typed client on the main flows', () => {
  const app = build({ after }, config);
  let alice: PowerstreamClient;
  let carol: PowerstreamClient;
  const carolId = uniqueId('carol');
  const stations: string[] = [];

  let platform: Platform | undefined;
  // At the suite's level: an after() called inside before() would run as soon as that hook ends.
  after(async () => {
    if (!platform) return;
    // A station workflow idles for days: end the ones this file started.
    for (const id of stations) {
      await platform.temporal.client.workflow
        .getHandle(workflowIds.tvStation(id))
        .terminate('test finished')
        .catch(() => undefined);
    }
    await platform.close();
  });

  before(async () => {
    platform = await startPlatform(config);
    const port = await freePort();
    await app.listen({ host: '127.0.0.1', port });
    const baseUrl = `http://127.0.0.1:${port}`;
    alice = createPowerstreamClient({ baseUrl, token: app.jwt.sign({ sub: 'alice', roles: ['user'] }) });
    carol = createPowerstreamClient({ baseUrl, token: () => app.jwt.sign({ sub: carolId, roles: ['creator'] }) });
    // Follows reach existing accounts only: carol claims a handle first.
    const identity = await carol.POST('/api/v1/identities', {
      body: { handle: carolId.replace(/[^a-z0-9_]/gi, '_').toLowerCase(), displayName: 'Carol' },
    });
    assert.equal(identity.response.status, 201, JSON.stringify(identity.error));
  });

  it('sends events and reads the batch result', async () => {
    const { data, error, response } = await alice.POST('/api/v1/events', {
      body: {
        events: [
          { eventId: 'ev-c-1', userId: 'alice', type: 'like', contentId: 'c1', occurredAt: new Date().toISOString() },
          {
            eventId: 'ev-c-2',
            userId: 'alice',
            type: 'watch_time',
            contentId: 'c1',
            value: 42,
            occurredAt: new Date().toISOString(),
          },
        ],
      },
    });
    assert.equal(error, undefined);
    assert.equal(response.status, 202);
    assert.deepEqual(
      data?.accepted.map((a) => a.eventId),
      ['ev-c-1', 'ev-c-2'],
    );
  });

  it('reads the feed', async () => {
    const { data, response } = await alice.GET('/api/v1/feed', { params: { query: { limit: 5 } } });
    assert.equal(response.status, 200);
    assert.ok(Array.isArray(data?.items));
  });

  it('follows a creator and lists the follow', async () => {
    const follow = await alice.POST('/api/v1/users/{id}/follow', { params: { path: { id: carolId } } });
    assert.ok(follow.response.status === 201 || follow.response.status === 200, `follow ${follow.response.status}`);
    const { data } = await alice.GET('/api/v1/users/{id}/following', { params: { path: { id: 'alice' } } });
    assert.ok(
      data?.items.some((user) => user.userId === carolId),
      JSON.stringify(data),
    );
  });

  it('creates a station, goes live and reads it back; problems come back typed', async () => {
    const created = await carol.POST('/api/v1/stations', { body: { name: 'Carol TV' } });
    assert.equal(created.response.status, 201, JSON.stringify(created.error));
    const stationId = created.data!.id;
    stations.push(stationId);
    const live = await carol.POST('/api/v1/stations/{stationId}/live', {
      params: { path: { stationId } },
      body: { title: 'Hello', durationMinutes: 30 },
    });
    assert.equal(live.response.status, 201, JSON.stringify(live.error));
    const { data: station } = await alice.GET('/api/v1/stations/{stationId}', { params: { path: { stationId } } });
    assert.equal(station?.status, 'live');
    assert.equal(station?.liveShow?.title, 'Hello');

    const missing = await alice.GET('/api/v1/stations/{stationId}', { params: { path: { stationId: 'no-such' } } });
    assert.equal(missing.response.status, 404);
    assert.equal(missing.error?.type, 'https://powerstream.dev/problems/not-found');
  });
});
