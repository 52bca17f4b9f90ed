import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildApp, type ApiInstance } from '../../src/api/build-app.js';
import { BRAIN_PREFERENCES_APP } from '../../activities/brain/social-steps.js';
import { findAppPreferences } from '../../src/store/preferences.js';
import { contentCollection } from '../../src/store/content.js';
import { outboxCollection } from '../../src/store/event-outbox.js';
import { eventKey, eventsCollection } from '../../src/store/events.js';
import { findBrainCommand } from '../../src/store/brain-commands.js';
import { findRelationship } from '../../src/store/relationships.js';
import { findTip, tipsCollection } from '../../src/store/tips.js';
import type { Role } from '../../src/api/principal.js';
import { assertProblem } from '../api/support/problem.js';
import { createIdentity } from '../../src/api/routes/identities/handle-claims.js';
import { bearer, testConfig } from '../helpers/build-app.js';
import { completedActivityAttempts, eventually, startPlatform, type Platform } from '../helpers/platform.js';
import { brainEventId } from '../../activities/brain/engagement-steps.js';
import { workflowIds } from '../../workflows/ids.js';
import { getStatsQuery } from '../../workflows/creator-stats/messages.js';

/**
 * Brain Mode through REST on the real services: text → plan → BrainCommandWorkflow → step activities that call the
 * same social and station rules as the REST routes, as the caller.
 */
const config = testConfig(import.meta.filename, {
  TEMPORAL_TASK_QUEUE: `brain-${process.pid}`,
  BRAIN_CONFIRMATION_SECONDS: '60',
});

interface CommandBody {
  id: string;
  status: string;
  steps: Array<{ action: string; state: string; error: { code: string; status: number } | null }>;
  history: Array<{ kind: string }>;
}

describe('Brain Mode through REST (integration)', () => {
  let app: ApiInstance;
  let platform: Platform;
  const pid = process.pid;
  const me = `brain-user-${pid}`;
  const alice = `brain-alice-${pid}`;
  const otherCreator = `brain-creator-${pid}`;
  let auth: string;

  before(async () => {
    app = buildApp(config);
    // Every step and compensation runs twice: its first attempt does the work and is then lost, as when the worker
    // dies before reporting, so each test below also shows the step is safe to retry.
    platform = await startPlatform(config, { failFirstAttemptOf: ['runBrainStep', 'compensateBrainStep'] });
    auth = await bearer(app, me);
    const aliceAuth = await bearer(app, alice);
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/identities',
      headers: { authorization: aliceAuth },
      payload: { handle: 'alice', displayName: 'Alice' },
    });
    assert.equal(created.statusCode, 201, created.body);
  });
  after(async () => {
    await app?.close();
    await platform?.close();
  });

  const post = (url: string, payload: object, headers: Record<string, string> = {}) =>
    app.inject({ method: 'POST', url, headers: { authorization: auth, ...headers }, payload });

  async function settled(statusUrl: string, done: (c: CommandBody) => boolean): Promise<CommandBody> {
    const read = async () =>
      (await app.inject({ method: 'GET', url: statusUrl, headers: { authorization: auth } })).json();
    return eventually<CommandBody>(read, done, `command ${statusUrl} to settle`);
  }
  const finished = (c: CommandBody) => ['completed', 'failed', 'compensated', 'expired'].includes(c.status);

  it('"follow @alice" makes the follow visible in the social graph', async () => {
    const res = await post('/api/v1/brain/commands', { text: 'follow @alice', timezone: 'Europe/Berlin' });
    assert.equal(res.statusCode, 202, res.body);
    const accepted = res.json();
    assert.equal(accepted.intent, 'follow_creator');
    assert.equal(accepted.steps[0].params.creator, 'alice');

    const command = await settled(accepted.statusUrl, finished);
    assert.equal(command.status, 'completed', JSON.stringify(command));
    const followers = await app.inject({
      method: 'GET',
      url: `/api/v1/users/${alice}/followers`,
      headers: { authorization: auth },
    });
    assert.deepEqual(
      followers.json().items.map((i: { userId: string }) => i.userId),
      [me],
    );
    const following = await app.inject({
      method: 'GET',
      url: `/api/v1/users/${me}/following`,
      headers: { authorization: auth },
    });
    assert.ok(following.json().items.some((i: { userId: string }) => i.userId === alice));
  });

  it('a command cannot do what REST refuses: following someone who blocked the caller fails with 403', async () => {
    const blocked = `brain-blocked-${pid}`;
    const aliceAuth = await bearer(app, alice);
    const block = await app.inject({
      method: 'POST',
      url: `/api/v1/users/${blocked}/block`,
      headers: { authorization: aliceAuth },
    });
    assert.equal(block.statusCode, 201, block.body);
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/brain/commands',
      headers: { authorization: await bearer(app, blocked) },
      payload: { text: 'follow @alice', timezone: 'UTC' },
    });
    assert.equal(res.statusCode, 202, res.body);
    const read = async () =>
      (
        await app.inject({
          method: 'GET',
          url: res.json().statusUrl,
          headers: { authorization: await bearer(app, blocked) },
        })
      ).json();
    const command = await eventually<CommandBody>(read, finished, 'the follow to be refused');
    assert.equal(command.status, 'failed');
    assert.deepEqual([command.steps[0]?.error?.code, command.steps[0]?.error?.status], ['forbidden', 403]);
  });

  it("a command aimed at another user's station is refused with 403 in the command status", async () => {
    const creatorAuth = await bearer(app, otherCreator, ['creator']);
    const station = await app.inject({
      method: 'POST',
      url: '/api/v1/stations',
      headers: { authorization: creatorAuth },
      payload: { name: 'OtherTV' },
    });
    assert.equal(station.statusCode, 201, station.body);
    const stationId: string = station.json().id;

    const res = await post('/api/brain/actions', {
      action: 'go_live',
      params: { station: stationId, title: 'Hijack' },
    });
    assert.equal(res.statusCode, 202, res.body);
    const command = await settled(res.json().statusUrl, finished);
    assert.equal(command.status, 'failed');
    assert.equal(command.steps[0]?.error?.status, 403);
    assert.equal(command.steps[0]?.error?.code, 'forbidden');

    // The same refusal for a spoken command naming the station (the recogniser lowercases its name).
    const spoken = await post('/api/v1/brain/commands', { text: 'go live on the othertv station', timezone: 'UTC' });
    assert.equal(spoken.statusCode, 202, spoken.body);
    assert.equal(spoken.json().steps[0].params.station, 'othertv');
    const refused = await settled(spoken.json().statusUrl, finished);
    assert.equal(refused.status, 'failed');
    assert.deepEqual(refused.steps[0]?.error && [refused.steps[0].error.code, refused.steps[0].error.status], [
      'forbidden',
      403,
    ]);

    const after = await app.inject({
      method: 'GET',
      url: `/api/v1/stations/${stationId}`,
      headers: { authorization: auth },
    });
    assert.equal(after.json().status, 'offline', 'the station did not go live');
  });

  it('a chain whose second step is refused takes back the first: the show it scheduled is cancelled', async () => {
    const host = `brain-host-${pid}`;
    const hostAuth = await bearer(app, host, ['creator']);
    const otherAuth = await bearer(app, otherCreator, ['creator']);
    const create = (authorization: string, name: string) =>
      app.inject({ method: 'POST', url: '/api/v1/stations', headers: { authorization }, payload: { name } });
    const mine = await create(hostAuth, 'MyTV');
    assert.equal(mine.statusCode, 201, mine.body);
    assert.equal((await create(otherAuth, 'ThirdTV')).statusCode, 201);

    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/brain/commands',
      headers: { authorization: hostAuth },
      payload: {
        text: 'schedule a show on the mytv station tomorrow at 8pm and then go live on the thirdtv station',
        timezone: 'UTC',
      },
    });
    assert.equal(res.statusCode, 202, res.body);
    assert.deepEqual(
      res.json().steps.map((s: { action: string }) => s.action),
      ['schedule_show', 'go_live'],
    );
    const read = async () =>
      (await app.inject({ method: 'GET', url: res.json().statusUrl, headers: { authorization: hostAuth } })).json();
    const command = await eventually<CommandBody>(read, finished, 'the chain to settle');
    assert.equal(command.status, 'compensated', JSON.stringify(command));
    assert.deepEqual(
      command.steps.map((s) => [s.state, s.error?.status ?? null]),
      [
        ['compensated', null],
        ['failed', 403],
      ],
    );
    const schedule = await app.inject({
      method: 'GET',
      url: `/api/v1/stations/${mine.json().id}/schedule`,
      headers: { authorization: hostAuth },
    });
    assert.deepEqual(
      schedule.json().shows.map((s: { status: string }) => s.status),
      ['cancelled'],
    );
  });

  it('a tip waits for confirmation, charges once on confirm, and undo refunds it', async () => {
    const res = await post(
      '/api/v1/brain/actions',
      { action: 'tip_creator', params: { creator: '@alice', amount: { value: 2, minor: 200, currency: 'USD' } } },
      { 'idempotency-key': `tip-${pid}` },
    );
    assert.equal(res.statusCode, 202, res.body);
    const { commandId, statusUrl } = res.json();
    const again = await post(
      '/api/v1/brain/actions',
      { action: 'tip_creator', params: { creator: '@alice', amount: { value: 2, minor: 200, currency: 'USD' } } },
      { 'idempotency-key': `tip-${pid}` },
    );
    assert.equal(again.json().commandId, commandId, 'the same Idempotency-Key names the same command');

    await settled(statusUrl, (c) => c.status === 'awaiting_confirmation');
    const confirmed = await post(`${statusUrl}/confirm`, {});
    assert.equal(confirmed.statusCode, 200, confirmed.body);
    const done = await settled(statusUrl, finished);
    assert.equal(done.status, 'completed', JSON.stringify(done));
    const tipId = `${commandId}:0:${alice}`;
    assert.equal((await findTip(platform.mongo.db, tipId))?.status, 'charged');
    assert.equal((await post(`${statusUrl}/confirm`, {})).statusCode, 409, 'nothing left to confirm');

    const undo = await post('/api/v1/brain/commands', { text: 'undo that', timezone: 'UTC' });
    assert.equal(undo.statusCode, 202, undo.body);
    const undone = await settled(undo.json().statusUrl, finished);
    assert.equal(undone.status, 'completed', JSON.stringify(undone));
    assert.equal((await findTip(platform.mongo.db, tipId))?.status, 'refunded');
    const original = await settled(statusUrl, (c) => c.status === 'compensated');
    assert.ok(original.history.some((h) => h.kind === 'undone'));
  });

  it('"follow the top 2 gaming creators and tip each 2 dollars" follows them and, once confirmed, tips each', async () => {
    const fan = `brain-fan-${pid}`;
    const fanAuth = await bearer(app, fan);
    const gamers = [`brain-gamer-a-${pid}`, `brain-gamer-b-${pid}`, `brain-gamer-c-${pid}`];
    // a has three gaming videos, b two, c one: the top two are a and b.
    const items = [0, 0, 0, 1, 1, 2].map((g, i) => ({
      _id: `brain-game-${pid}-${i}`,
      creatorId: gamers[g] ?? '',
      title: `Speedrun ${i}`,
      description: 'gaming',
      tags: ['gaming'],
      type: 'video' as const,
      topics: ['gaming'],
      createdAt: new Date(),
    }));
    await contentCollection(platform.mongo.db).insertMany(items);
    // Follows and tips reach existing accounts only.
    for (const g of gamers) await createIdentity(platform.mongo.db, g, g.replaceAll('-', '_'), {}, new Date());

    const res = await app.inject({
      method: 'POST',
      url: '/api/brain/commands',
      headers: { authorization: fanAuth },
      payload: { text: 'follow the top 2 gaming creators and tip each 2 dollars', timezone: 'UTC' },
    });
    assert.equal(res.statusCode, 202, res.body);
    const { statusUrl, commandId } = res.json();
    const read = async () =>
      (await app.inject({ method: 'GET', url: statusUrl, headers: { authorization: fanAuth } })).json();
    // Two questions: the looked-up list of creators to follow, then the tip.
    for (const [stepIndex, what] of [
      [0, 'the list to be shown'],
      [1, 'the tip to ask'],
    ] as const) {
      const asking = (c: CommandBody & { awaitingConfirmation?: { stepIndex: number } | null }) =>
        c.status === 'awaiting_confirmation' && c.awaitingConfirmation?.stepIndex === stepIndex;
      await eventually<CommandBody>(read, asking, what);
      const yes = await app.inject({
        method: 'POST',
        url: `${statusUrl}/confirm`,
        headers: { authorization: fanAuth },
      });
      assert.equal(yes.statusCode, 200, yes.body);
    }
    const done = await eventually<CommandBody>(read, finished, 'the chain to finish');
    assert.equal(done.status, 'completed', JSON.stringify(done));

    const following = await app.inject({
      method: 'GET',
      url: `/api/v1/users/${fan}/following`,
      headers: { authorization: fanAuth },
    });
    assert.deepEqual(
      following.json().items.map((i: { userId: string }) => i.userId),
      gamers.slice(0, 2),
    );
    const tips = await tipsCollection(platform.mongo.db).find({ from: fan }).sort({ to: 1 }).toArray();
    assert.deepEqual(
      tips.map((t) => [t._id, t.to, t.amountMinor, t.status]),
      gamers.slice(0, 2).map((g) => [`${commandId}:1:${g}`, g, 200, 'charged']),
    );
  });

  it('a step Temporal retries after its first attempt ran keeps its compensation, and undo takes it back once', async () => {
    const retrier = `brain-retrier-${pid}`;
    const u = await caller(retrier);
    const statusUrl = await u.act('follow_creator', { creator: '@alice' });
    const done = await u.until(statusUrl, finished, 'the follow to finish');
    assert.equal(done.status, 'completed', JSON.stringify(done));
    const attempts = await completedActivityAttempts(platform.temporal, workflowIds.brainCommand(done.id));
    assert.deepEqual(
      attempts.filter((a) => a.activityType === 'runBrainStep'),
      [{ activityType: 'runBrainStep', attempt: 2 }],
      'the step ran twice',
    );
    // The second attempt found the follow its first attempt made, and still reports it as this step's to take back.
    const stored = await findBrainCommand(platform.mongo.db, done.id);
    assert.deepEqual(stored?.steps[0]?.compensation, { kind: 'unfollow', targets: [alice] });

    const undone = await u.undo();
    assert.equal(undone.status, 'completed', JSON.stringify(undone));
    assert.ok(
      (await completedActivityAttempts(platform.temporal, workflowIds.brainCommand(undone.id))).some(
        (a) => a.activityType === 'compensateBrainStep' && a.attempt === 2,
      ),
      'the compensation was retried too',
    );
    assert.equal(await findRelationship(platform.mongo.db, 'follow', retrier, alice), null, 'unfollowed');
  });

  it('"like this" with the item on screen records one like event, delivered once, however often it is retried', async () => {
    const viewer = `brain-liker-${pid}`;
    const viewerAuth = await bearer(app, viewer);
    const clip = `brain-clip-${pid}`;
    await contentCollection(platform.mongo.db).insertOne({
      _id: clip,
      creatorId: otherCreator,
      title: 'A clip',
      description: 'music',
      tags: ['music'],
      type: 'short',
      topics: ['music'],
      createdAt: new Date(),
    });
    const like = () =>
      app.inject({
        method: 'POST',
        url: '/api/brain/commands',
        headers: { authorization: viewerAuth, 'idempotency-key': `like-${pid}` },
        payload: { text: 'like this', timezone: 'UTC', context: { contentId: clip, screen: 'player' } },
      });
    const res = await like();
    assert.equal(res.statusCode, 202, res.body);
    assert.deepEqual(res.json().steps[0].params, { contentId: clip });
    const resent = await like();
    assert.equal(resent.json().commandId, res.json().commandId, 'a resent command is the same command');
    const read = async () =>
      (await app.inject({ method: 'GET', url: res.json().statusUrl, headers: { authorization: viewerAuth } })).json();
    const done = await eventually<CommandBody>(read, finished, 'the like to finish');
    assert.equal(done.status, 'completed', JSON.stringify(done));

    // Its first attempt stored the event and was lost; the retry wrote the same eventId again.
    assert.ok(
      (await completedActivityAttempts(platform.temporal, workflowIds.brainCommand(res.json().commandId))).some(
        (a) => a.activityType === 'runBrainStep' && a.attempt === 2,
      ),
    );
    const likes = await eventsCollection(platform.mongo.db).find({ userId: viewer }).toArray();
    assert.deepEqual(
      likes.map((e) => [e.eventId, e.type, e.contentId, e.creatorId]),
      [[brainEventId(res.json().commandId, 0), 'like', clip, otherCreator]],
    );
    // The relay closes an outbox entry only once its signals went out, the retry's entry included (it holds no new
    // event); queries see every signal delivered before them, so the creator's workflow has counted the like once.
    const counted = async () => {
      const pending = await outboxCollection(platform.mongo.db).countDocuments();
      const handle = platform.temporal.client.workflow.getHandle(workflowIds.creatorStats(otherCreator));
      const view = await handle.query(getStatsQuery).catch(() => null);
      return { pending, likes: view?.stats.totals.likes ?? null, unapplied: view?.pendingParts ?? null };
    };
    // A fresh creator run holds the part while it restores the read model, so "counted" means nothing is left unapplied.
    const settledCount = await eventually(
      counted,
      (c) => c.pending === 0 && c.unapplied === 0,
      'the like to be relayed and applied',
    );
    assert.deepEqual(settledCount, { pending: 0, likes: 1, unapplied: 0 });
  });

  it('"follow her" with the creator on screen follows that creator', async () => {
    const fan = `brain-screen-fan-${pid}`;
    const fanAuth = await bearer(app, fan);
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/brain/commands',
      headers: { authorization: fanAuth },
      payload: { text: 'follow her', timezone: 'UTC', context: { creatorId: alice, screen: 'creator' } },
    });
    assert.equal(res.statusCode, 202, res.body);
    const read = async () =>
      (await app.inject({ method: 'GET', url: res.json().statusUrl, headers: { authorization: fanAuth } })).json();
    const done = await eventually<CommandBody>(read, finished, 'the follow to finish');
    assert.equal(done.status, 'completed', JSON.stringify(done));
    assert.ok(await findRelationship(platform.mongo.db, 'follow', fan, alice), 'the follow is in the social graph');

    const unsure = await app.inject({
      method: 'POST',
      url: '/api/v1/brain/commands',
      headers: { authorization: fanAuth },
      payload: { text: 'follow her', timezone: 'UTC' },
    });
    assert.deepEqual(
      [unsure.statusCode, unsure.json().kind, unsure.json().missingSlots],
      [200, 'clarify', ['creator']],
    );
  });

  /** A fresh caller's helpers: REST as them, a command through /actions, waiting for it to stop, and undo. */
  async function caller(userId: string, roles: Role[] = ['user']) {
    const authorization = await bearer(app, userId, roles);
    const rest = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) =>
      app.inject({ method, url, headers: { authorization }, ...(payload ? { payload } : {}) });
    const read = async (statusUrl: string) => (await rest('GET', statusUrl)).json<CommandBody>();
    const until = (statusUrl: string, done: (c: CommandBody) => boolean, what: string) =>
      eventually(() => read(statusUrl), done, what);
    async function act(action: string, params: object): Promise<string> {
      const res = await rest('POST', '/api/v1/brain/actions', { action, params });
      assert.equal(res.statusCode, 202, res.body);
      return res.json<{ statusUrl: string }>().statusUrl;
    }
    async function undo(): Promise<CommandBody> {
      const res = await rest('POST', '/api/v1/brain/commands', { text: 'undo that', timezone: 'UTC' });
      assert.equal(res.statusCode, 202, res.body);
      return until(res.json<{ statusUrl: string }>().statusUrl, finished, 'the undo to finish');
    }
    return { rest, read, until, act, undo };
  }
  const followingOf = async (u: Awaited<ReturnType<typeof caller>>, userId: string) =>
    (await u.rest('GET', `/api/v1/users/${userId}/following`))
      .json<{ items: { userId: string }[] }>()
      .items.map((i) => i.userId);

  it('declining a step through REST runs nothing: the block is not made and the command reads as compensated', async () => {
    const decider = `brain-decider-${pid}`;
    const u = await caller(decider);
    const statusUrl = await u.act('block_creator', { creator: '@alice' });
    await u.until(statusUrl, (c) => c.status === 'awaiting_confirmation', 'the block to ask');
    const declined = await u.rest('POST', `${statusUrl}/reject`);
    assert.equal(declined.statusCode, 200, declined.body);
    const done = await u.until(statusUrl, finished, 'the declined command to stop');
    assert.deepEqual(
      [done.status, done.steps.map((s) => s.state)],
      ['compensated', ['declined']],
      JSON.stringify(done),
    );
    assert.ok(done.history.some((h) => h.kind === 'declined'));
    assert.equal(await findRelationship(platform.mongo.db, 'block', decider, alice), null, 'no block was made');
    assertProblem(await u.rest('POST', `${statusUrl}/confirm`), 409, 'conflict');
  });

  it('unfollow takes the follow away; undo refollows', async () => {
    const fan = `brain-unfollower-${pid}`;
    const u = await caller(fan);
    assert.equal((await u.rest('POST', `/api/v1/users/${alice}/follow`)).statusCode, 201);
    const statusUrl = await u.act('unfollow_creator', { creator: '@alice' });
    const done = await u.until(statusUrl, finished, 'the unfollow to finish');
    assert.equal(done.status, 'completed', JSON.stringify(done));
    assert.deepEqual(await followingOf(u, fan), []);

    assert.equal((await u.undo()).status, 'completed');
    assert.deepEqual(await followingOf(u, fan), [alice], 'refollowed');
    assert.equal((await u.read(statusUrl)).status, 'compensated');
  });

  it('block (after a yes) removes the follow and blocks; undo unblocks and refollows', async () => {
    const fan = `brain-blocker-${pid}`;
    const u = await caller(fan);
    assert.equal((await u.rest('POST', `/api/v1/users/${alice}/follow`)).statusCode, 201);
    const statusUrl = await u.act('block_creator', { creator: '@alice' });
    await u.until(statusUrl, (c) => c.status === 'awaiting_confirmation', 'the block to ask');
    assert.equal((await u.rest('POST', `${statusUrl}/confirm`)).statusCode, 200);
    const done = await u.until(statusUrl, finished, 'the block to finish');
    assert.equal(done.status, 'completed', JSON.stringify(done));
    assert.ok(await findRelationship(platform.mongo.db, 'block', fan, alice), 'blocked');
    assert.deepEqual(await followingOf(u, fan), [], 'a block ends the follow');

    assert.equal((await u.undo()).status, 'completed');
    assert.equal(await findRelationship(platform.mongo.db, 'block', fan, alice), null, 'unblocked');
    assert.deepEqual(await followingOf(u, fan), [alice], 'the follow the block removed is back');
  });

  it('share records one share event of the item for the caller', async () => {
    const sharer = `brain-sharer-${pid}`;
    const u = await caller(sharer);
    const clip = `brain-share-clip-${pid}`;
    await contentCollection(platform.mongo.db).insertOne({
      _id: clip,
      creatorId: otherCreator,
      title: 'Shared clip',
      description: 'travel',
      tags: ['travel'],
      type: 'short',
      topics: ['travel'],
      createdAt: new Date(),
    });
    const res = await u.rest('POST', '/api/v1/brain/actions', { action: 'share_item', params: { contentId: clip } });
    assert.equal(res.statusCode, 202, res.body);
    const done = await u.until(res.json().statusUrl, finished, 'the share to finish');
    assert.equal(done.status, 'completed', JSON.stringify(done));
    const events = await eventsCollection(platform.mongo.db).find({ userId: sharer }).toArray();
    assert.deepEqual(
      events.map((e) => [e._id, e.type, e.contentId, e.creatorId]),
      [[eventKey(sharer, brainEventId(res.json().commandId, 0)), 'share', clip, otherCreator]],
    );
  });

  it('set_preference changes the stored preference; undo restores the previous value', async () => {
    const owner = `brain-prefs-${pid}`;
    const u = await caller(owner);
    const created = await u.rest('POST', '/api/v1/identities', { handle: `prefs_${pid}`, displayName: 'Prefs' });
    assert.equal(created.statusCode, 201, created.body);
    const prefsUrl = `/api/v1/identities/${owner}/preferences/${BRAIN_PREFERENCES_APP}`;
    assert.equal((await u.rest('PUT', prefsUrl, { autoplay: true, theme: 'dark' })).statusCode, 200);
    const statusUrl = await u.act('set_preference', { preference: { key: 'autoplay', value: false } });
    const done = await u.until(statusUrl, finished, 'the preference to be set');
    assert.equal(done.status, 'completed', JSON.stringify(done));
    const prefs = async () => (await u.rest('GET', prefsUrl)).json<{ preferences: object }>().preferences;
    assert.deepEqual(await prefs(), { autoplay: false, theme: 'dark' });

    assert.equal((await u.undo()).status, 'completed');
    assert.deepEqual(await prefs(), { autoplay: true, theme: 'dark' }, 'the previous value is back');
  });

  it('cancel_show (after a yes) cancels the next scheduled show; end_live (after a yes) ends the broadcast', async () => {
    const host = `brain-station-host-${pid}`;
    const u = await caller(host, ['creator']);
    const station = await u.rest('POST', '/api/v1/stations', { name: `Host ${pid}` });
    assert.equal(station.statusCode, 201, station.body);
    const stationId: string = station.json().id;
    const startAt = new Date(Date.now() + 3 * 3_600_000).toISOString();
    const show = await u.rest('POST', `/api/v1/stations/${stationId}/shows`, {
      title: 'Cooking hour',
      startAt,
      durationMinutes: 30,
    });
    assert.equal(show.statusCode, 201, show.body);

    // Both are destructive, so both wait for a yes.
    const cancel = await u.act('cancel_show', { station: stationId });
    await u.until(cancel, (c) => c.status === 'awaiting_confirmation', 'cancel_show to ask');
    assert.equal(
      (await u.rest('GET', `/api/v1/stations/${stationId}/schedule`)).json().shows[0]?.status,
      'scheduled',
      'still scheduled before the yes',
    );
    assert.equal((await u.rest('POST', `${cancel}/confirm`)).statusCode, 200);
    const cancelled = await u.until(cancel, finished, 'the cancel to finish');
    assert.equal(cancelled.status, 'completed', JSON.stringify(cancelled));
    const schedule = (await u.rest('GET', `/api/v1/stations/${stationId}/schedule`)).json();
    assert.deepEqual(
      schedule.shows.map((s: { showId: string; status: string }) => [s.showId, s.status]),
      [[show.json().showId, 'cancelled']],
    );

    const live = await u.rest('POST', `/api/v1/stations/${stationId}/live`, { title: 'Live now', durationMinutes: 30 });
    assert.equal(live.statusCode, 201, live.body);
    const end = await u.act('end_live', { station: stationId });
    await u.until(end, (c) => c.status === 'awaiting_confirmation', 'end_live to ask');
    assert.equal(
      (await u.rest('GET', `/api/v1/stations/${stationId}`)).json().status,
      'live',
      'still live before the yes',
    );
    assert.equal((await u.rest('POST', `${end}/confirm`)).statusCode, 200);
    const ended = await u.until(end, finished, 'end_live to finish');
    assert.equal(ended.status, 'completed', JSON.stringify(ended));
    assert.equal((await u.rest('GET', `/api/v1/stations/${stationId}`)).json().status, 'offline');
    const archive = (await u.rest('GET', `/api/v1/stations/${stationId}/shows`)).json();
    assert.ok(
      archive.items.some(
        (s: { showId: string; status: string }) => s.showId === live.json().showId && s.status === 'ended',
      ),
      JSON.stringify(archive.items),
    );
  });

  it("answers at the seed client's four paths, and lists the caller's history", async () => {
    const intents = await app.inject({ method: 'GET', url: '/api/brain/intents', headers: { authorization: auth } });
    assert.equal(intents.statusCode, 200);
    assert.ok(
      intents
        .json()
        .items.some(
          (i: { name: string; needsConfirmation: boolean }) => i.name === 'tip_creator' && i.needsConfirmation,
        ),
    );

    const nav = await post('/api/brain/navigation', { text: 'open my notifications', timezone: 'UTC' });
    assert.equal(nav.statusCode, 200, nav.body);
    assert.deepEqual(nav.json().target, { screen: 'notifications', params: {} });

    const nonsense = await post('/api/brain/commands', { text: 'purple monkey dishwasher', timezone: 'UTC' });
    assert.equal(nonsense.statusCode, 200, nonsense.body);
    assert.equal(nonsense.json().kind, 'clarify');

    const action = await post('/api/brain/actions', {
      action: 'set_preference',
      params: { preference: { key: 'autoplay', value: false } },
    });
    assert.equal(action.statusCode, 202, action.body);
    assert.match(action.json().statusUrl, /^\/api\/brain\/commands\//);
    const set = await settled(action.json().statusUrl, finished);
    assert.equal(set.status, 'completed', JSON.stringify(set));
    assert.equal((await findAppPreferences(platform.mongo.db, me, BRAIN_PREFERENCES_APP))?.document.autoplay, false);

    const history = await app.inject({
      method: 'GET',
      url: '/api/brain/commands?limit=2',
      headers: { authorization: auth },
    });
    assert.equal(history.statusCode, 200);
    const page = history.json();
    assert.equal(page.items.length, 2);
    assert.ok(page.nextCursor);
    const next = await app.inject({
      method: 'GET',
      url: `/api/v1/brain/commands?limit=2&cursor=${page.nextCursor}`,
      headers: { authorization: auth },
    });
    const ids = [...page.items, ...next.json().items].map((c: { id: string }) => c.id);
    assert.equal(new Set(ids).size, ids.length, 'pages do not overlap');

    const stranger = await bearer(app, `stranger-${pid}`);
    const peek = await app.inject({
      method: 'GET',
      url: `/api/v1/brain/commands/${ids[0]}`,
      headers: { authorization: stranger },
    });
    assert.equal(peek.statusCode, 403);
  });
});

/**
 * A worker and an API with a small per-caller budget, so spending it through REST takes a few requests. Both read
 * RATE_LIMIT_MAX from the same config, as the api and worker processes read it from the same environment.
 */
describe("Brain Mode spends the caller's REST rate limit (integration)", () => {
  const limited = testConfig(import.meta.filename, {
    TEMPORAL_TASK_QUEUE: `brain-limited-${process.pid}`,
    RATE_LIMIT_MAX: '4',
    RATE_LIMIT_WINDOW_MS: '600000',
  });
  let app: ApiInstance;
  let platform: Platform;
  const pid = process.pid;

  before(async () => {
    app = buildApp(limited);
    platform = await startPlatform(limited);
  });
  after(async () => {
    await app?.close();
    await platform?.close();
  });

  it('a follow step past the limit is refused with rate_limited (429) in the command status, and no follow is made', async () => {
    const target = `brain-rl-target-${pid}`;
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/identities',
      headers: { authorization: await bearer(app, target) },
      payload: { handle: `rl_target_${pid}`, displayName: 'Target' },
    });
    assert.equal(created.statusCode, 201, created.body);

    const spender = `brain-rl-spender-${pid}`;
    const auth = await bearer(app, spender);
    // Three follows through REST; the fourth request of the window is the command itself, so its step is the fifth.
    for (let i = 0; i < 3; i++) {
      const other = `rl-other-${pid}-${i}`;
      await createIdentity(platform.mongo.db, other, other.replaceAll('-', '_'), {}, new Date()); // follows need an account
      const res = await app.inject({
        method: 'POST',
        url: `/api/v1/users/rl-other-${pid}-${i}/follow`,
        headers: { authorization: auth },
      });
      assert.equal(res.statusCode, 201, res.body);
    }
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/brain/commands',
      headers: { authorization: auth },
      payload: { text: `follow @rl_target_${pid}`, timezone: 'UTC' },
    });
    assert.equal(res.statusCode, 202, res.body);
    // Read from the store: a status request through REST would itself be over the limit.
    const command = await eventually(
      () => findBrainCommand(platform.mongo.db, res.json().commandId),
      (c) => c !== null && ['completed', 'failed', 'compensated'].includes(c.status),
      'the command to settle',
    );
    assert.equal(command?.status, 'failed', JSON.stringify(command));
    assert.deepEqual(command?.steps[0]?.error && [command.steps[0].error.code, command.steps[0].error.status], [
      'rate_limited',
      429,
    ]);
    assert.equal(await findRelationship(platform.mongo.db, 'follow', spender, target), null, 'no follow was made');
    const rest = await app.inject({
      method: 'POST',
      url: `/api/v1/users/${target}/follow`,
      headers: { authorization: auth },
    });
    assert.equal(rest.statusCode, 429, 'REST refuses the same follow');
  });
});
