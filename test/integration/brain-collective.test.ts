import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildApp, type ApiInstance } from '../../src/api/build-app.js';
import { createIdentity } from '../../src/api/routes/identities/handle-claims.js';
import { newCreatorStats } from '../../src/domain/creator-score.js';
import { creatorStatsCollection, type CreatorStatsDoc } from '../../src/store/creator-stats.js';
import { contentCollection } from '../../src/store/content.js';
import { listBrainCommands } from '../../src/store/brain-commands.js';
import { findRelationship } from '../../src/store/relationships.js';
import { bearer, testConfig } from '../helpers/build-app.js';
import { eventually, startPlatform, type Platform } from '../helpers/platform.js';

/**
 * Brain Mode's safety and collective commands through REST on the real services: dotted handles resolved whole,
 * unknown handles asked back, a near miss corrected only with a yes, out-of-scope text never planned, and a step
 * over "the top N creators of a topic" (by creator score) confirmed as a list and undone as a whole.
 */
const config = testConfig(import.meta.filename, {
  TEMPORAL_TASK_QUEUE: `brain-collective-${process.pid}`,
  BRAIN_CONFIRMATION_SECONDS: '60',
});

interface CommandBody {
  status: string;
  steps: Array<{ action: string; state: string; targets: string[] }>;
  awaitingConfirmation: { stepIndex: number; targets?: string[] } | null;
}

describe('Brain Mode: handles, safety and collective commands through REST (integration)', () => {
  let app: ApiInstance;
  let platform: Platform;
  const pid = process.pid;
  const users = { mia: `bc-mia-${pid}`, miaMusic: `bc-mia-music-${pid}`, john: `bc-john-${pid}` };
  const handles = { mia: `mia${pid}`, miaMusic: `mia${pid}.music`, john: `john${pid}` };

  before(async () => {
    app = buildApp(config);
    platform = await startPlatform(config);
    for (const key of ['mia', 'miaMusic', 'john'] as const) {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/identities',
        headers: { authorization: await bearer(app, users[key]) },
        payload: { handle: handles[key], displayName: key },
      });
      assert.equal(res.statusCode, 201, res.body);
    }
  });
  after(async () => {
    await app?.close();
    await platform?.close();
  });

  const say = async (userId: string, text: string) =>
    app.inject({
      method: 'POST',
      url: '/api/v1/brain/commands',
      headers: { authorization: await bearer(app, userId) },
      payload: { text, timezone: 'UTC' },
    });
  const read = (userId: string, statusUrl: string) => async () =>
    (await app.inject({ method: 'GET', url: statusUrl, headers: { authorization: await bearer(app, userId) } })).json();
  const confirm = async (userId: string, statusUrl: string) =>
    app.inject({ method: 'POST', url: `${statusUrl}/confirm`, headers: { authorization: await bearer(app, userId) } });
  const follows = async (from: string, to: string) =>
    (await findRelationship(platform.mongo.db, 'follow', from, to)) !== null;

  it('"follow @mia.music" follows the dotted handle, not @mia', async () => {
    const fan = `bc-fan-dots-${pid}`;
    const res = await say(fan, `follow @${handles.miaMusic}`);
    assert.equal(res.statusCode, 202, res.body);
    assert.equal(res.json().steps[0].params.creator, handles.miaMusic);
    const done = await eventually<CommandBody>(
      read(fan, res.json().statusUrl),
      (c) => c.status === 'completed',
      'follow',
    );
    assert.deepEqual(done.steps[0]?.targets, [users.miaMusic]);
    assert.equal(await follows(fan, users.miaMusic), true);
    assert.equal(await follows(fan, users.mia), false);
  });

  it('a handle nobody has is asked back, never shortened to one somebody has', async () => {
    const fan = `bc-fan-unknown-${pid}`;
    const open = await say(fan, `open @${handles.john}.smith`);
    assert.equal(open.statusCode, 200, open.body);
    assert.deepEqual([open.json().kind, open.json().reason], ['clarify', 'unknown_handle']);
    assert.match(open.json().message, /Nobody has the handle/);

    const follow = await say(fan, `follow @${handles.john}.smith`);
    assert.deepEqual([follow.statusCode, follow.json().reason], [200, 'unknown_handle']);
    assert.deepEqual(await listBrainCommands(platform.mongo.db, fan, null, 10), [], 'no command was started');
    assert.equal(await follows(fan, users.john), false);
  });

  it('a near miss of one existing handle is corrected, and the step waits for a yes', async () => {
    const fan = `bc-fan-typo-${pid}`;
    const typo = `mia${pid}.musc`;
    const res = await say(fan, `follow @${typo}`);
    assert.equal(res.statusCode, 202, res.body);
    const accepted = res.json();
    assert.deepEqual(accepted.corrections, [{ from: typo, to: handles.miaMusic, stepIndex: 0 }]);
    assert.deepEqual([accepted.steps[0].params.creator, accepted.steps[0].needsConfirmation], [handles.miaMusic, true]);
    await eventually<CommandBody>(read(fan, accepted.statusUrl), (c) => c.status === 'awaiting_confirmation', 'ask');
    assert.equal(await follows(fan, users.miaMusic), false, 'nothing before the yes');
    assert.equal((await confirm(fan, accepted.statusUrl)).statusCode, 200);
    await eventually<CommandBody>(read(fan, accepted.statusUrl), (c) => c.status === 'completed', 'the follow');
    assert.equal(await follows(fan, users.miaMusic), true);
  });

  it('an out-of-scope request gets a clarification saying what Brain Mode can do, and no command', async () => {
    const fan = `bc-fan-scope-${pid}`;
    for (const text of ['cancel my gym membership', 'pay my phone bill of 30 dollars']) {
      const res = await say(fan, text);
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json().kind, 'clarify', text);
      assert.match(res.json().message, /I can: .*follow a creator/);
    }
    assert.deepEqual(await listBrainCommands(platform.mongo.db, fan, null, 10), []);
  });

  it('"follow the top 2 ceramics creators" ranks by creator score, confirms the list, and undo takes back all', async () => {
    const fan = `bc-fan-set-${pid}`;
    const potters = [`bc-potter-a-${pid}`, `bc-potter-b-${pid}`, `bc-potter-c-${pid}`];
    // a has the most ceramics content, but c and b have the higher creator scores: the top two are c, b.
    const items = [0, 0, 0, 1, 2].map((p, i) => ({
      _id: `bc-pot-${pid}-${i}`,
      creatorId: potters[p] ?? '',
      title: `Wheel ${i}`,
      description: 'ceramics',
      tags: ['ceramics'],
      type: 'video' as const,
      topics: ['ceramics'],
      createdAt: new Date(),
    }));
    await contentCollection(platform.mongo.db).insertMany(items);
    const scores = [10, 40, 70];
    const statsOf = (id: string, i: number): CreatorStatsDoc => ({
      _id: id,
      stats: { ...newCreatorStats(Date.now()), score: scores[i] ?? 0 },
      revision: 1,
      updatedAt: new Date(),
    });
    await creatorStatsCollection(platform.mongo.db).insertMany(potters.map(statsOf));
    // Follows reach existing accounts only.
    for (const id of potters) await createIdentity(platform.mongo.db, id, id.replaceAll('-', '_'), {}, new Date());
    // The caller already follows b: undo must leave that follow alone.
    const before = await app.inject({
      method: 'POST',
      url: `/api/v1/users/${potters[1]}/follow`,
      headers: { authorization: await bearer(app, fan) },
    });
    assert.ok(before.statusCode < 300, before.body);

    const res = await say(fan, 'follow the top 2 ceramics creators');
    assert.equal(res.statusCode, 202, res.body);
    assert.deepEqual(res.json().steps[0].params, { topic: 'ceramics', count: 2, targetSet: 'top_creators' });
    const statusUrl: string = res.json().statusUrl;
    const waiting = await eventually<CommandBody>(
      read(fan, statusUrl),
      (c) => c.status === 'awaiting_confirmation',
      'the list to be shown',
    );
    assert.deepEqual(waiting.awaitingConfirmation?.targets, [potters[2], potters[1]]);
    assert.equal(await follows(fan, potters[2] ?? ''), false, 'nothing before the yes');

    assert.equal((await confirm(fan, statusUrl)).statusCode, 200);
    await eventually<CommandBody>(read(fan, statusUrl), (c) => c.status === 'completed', 'the follows');
    assert.deepEqual(await Promise.all(potters.map((p) => follows(fan, p))), [false, true, true]);

    const undo = await say(fan, 'undo that');
    assert.equal(undo.statusCode, 202, undo.body);
    await eventually<CommandBody>(read(fan, undo.json().statusUrl), (c) => c.status === 'completed', 'the undo');
    assert.deepEqual(
      await Promise.all(potters.map((p) => follows(fan, p))),
      [false, true, false],
      'the set is taken back as a whole; the follow the user had before stays',
    );
  });
});
