import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildApp, type ApiInstance } from '../../src/api/build-app.js';
import type { Role } from '../../src/api/principal.js';
import { IngestDeadlineExceeded, ingestDeadlineMs, storeEventBatch } from '../../src/store/event-batches.js';
import {
  closeOutboxEntries,
  markOutboxEntryReady,
  openOutboxEntry,
  outboxPayloads,
} from '../../src/store/event-outbox.js';
import { eventKey, eventsCollection } from '../../src/store/events.js';
import { workflowIds } from '../../workflows/ids.js';
import { assertProblem } from '../api/support/problem.js';
import { bearer, testConfig } from '../helpers/build-app.js';
import { eventually, startPlatform, type Platform } from '../helpers/platform.js';

/**
 * Issue 14 (findings 1–3) and issue 21 (items 5–7) through the REST API on the real services: creator metrics move
 * only on server-side facts, event identity is (userId, eventId), follows and boards are about real accounts and
 * creators, a block never tells, and a Brain Mode tip reaches the creator's stats through the trusted tip path.
 */
const config = testConfig(import.meta.filename, {
  TEMPORAL_TASK_QUEUE: `event-trust-${process.pid}`,
  CREATOR_PERSIST_DEBOUNCE_MS: '50',
  INTEREST_PERSIST_DEBOUNCE_MS: '50',
  RATE_LIMIT_MAX: '10000',
  BRAIN_CONFIRMATION_SECONDS: '60',
});

interface Stats {
  followers: number;
  totals: { views: number; likes: number; shares: number; tips: number; tipAmount: number; followersGained: number };
}

describe('trustworthy event path (integration)', () => {
  let app: ApiInstance;
  let platform: Platform;
  const pid = process.pid;
  let n = 0;
  const fresh = (prefix: string) => `${prefix}_${pid}_${++n}`;
  const started: string[] = [];

  before(async () => {
    app = buildApp(config);
    platform = await startPlatform(config);
  });
  after(async () => {
    await Promise.all(
      started.map((id) =>
        platform.temporal.client.workflow
          .getHandle(id)
          .terminate('test finished')
          .catch(() => undefined),
      ),
    );
    await app?.close();
    await platform?.close();
  });

  const call = async (method: 'GET' | 'POST', url: string, as: string, payload?: object, roles: Role[] = ['user']) =>
    app.inject({ method, url, headers: { authorization: await bearer(app, as, roles) }, ...(payload ? { payload } : {}) }); // prettier-ignore
  const stats = async (id: string) => (await call('GET', `/api/v1/creators/${id}/stats`, 'reader')).json<Stats>();
  const applied = async (userId: string) => {
    const res = await call('GET', `/api/v1/users/${userId}/interests`, userId);
    return res.statusCode === 200 ? res.json<{ appliedEvents: number }>().appliedEvents : 0;
  };
  const track = (...users: string[]) =>
    started.push(...users.flatMap((u) => [workflowIds.userInterest(u), workflowIds.creatorStats(u)]));

  /** An account with an identity (handle = id), optionally a creator with one published item. */
  async function account(prefix: string, { item = false } = {}): Promise<{ id: string; itemId?: string }> {
    const id = fresh(prefix);
    track(id);
    const created = await call('POST', '/api/v1/identities', id, { handle: `h_${id}`, displayName: prefix });
    assert.equal(created.statusCode, 201, created.body);
    started.push(workflowIds.onboarding(id));
    if (!item) return { id };
    const published = await call('POST', '/api/v1/content', id, { title: 'Jazz night', tags: ['jazz'], type: 'video' }, ['user', 'creator']); // prettier-ignore
    assert.equal(published.statusCode, 201, published.body);
    return { id, itemId: published.json<{ id: string }>().id };
  }

  const event = (userId: string, eventId: string, type: string, extra: object = {}) => ({
    eventId,
    userId,
    type,
    occurredAt: new Date().toISOString(),
    ...extra,
  });
  const postEvents = async (as: string, events: object[]) => {
    const res = await call('POST', '/api/v1/events', as, { events });
    assert.equal(res.statusCode, 202, res.body);
    return res.json<{ accepted: { eventId: string; duplicate: boolean }[] }>().accepted;
  };

  it('finding 1: a plain user cannot inflate any creator; catalog creator, no self-credit, likes once per item', async () => {
    const creator = await account('carla', { item: true });
    const fan = await account('fan');
    const contentId = creator.itemId as string;

    // The creator's own engagement with her item credits no one.
    await postEvents(creator.id, [
      event(creator.id, 'own-like', 'like', { contentId }),
      event(creator.id, 'own-view', 'view', { contentId }),
    ]);
    await eventually(
      () => applied(creator.id),
      (a) => a === 2,
      'the creator to apply her own events',
    );

    // The forged batch of the issue: follows and million-unit tips naming the creator or the fan himself, a view
    // claiming the fan made the creator's item, three likes and two shares of one item.
    const forged = [
      ...Array.from({ length: 100 }, (_, i) => event(fan.id, `f${i}`, 'follow', { creatorId: fan.id, value: 1e6 })),
      ...Array.from({ length: 100 }, (_, i) => event(fan.id, `t${i}`, 'tip', { creatorId: creator.id, contentId, value: 1e6 })), // prettier-ignore
      event(fan.id, 'v1', 'view', { contentId, creatorId: fan.id }),
      ...['l1', 'l2', 'l3'].map((id) => event(fan.id, id, 'like', { contentId })),
      ...['s1', 's2'].map((id) => event(fan.id, id, 'share', { contentId })),
    ];
    await postEvents(fan.id, forged);
    await eventually(
      () => applied(fan.id),
      (a) => a === forged.length,
      'the fan profile to apply the batch',
    );
    const s = await eventually(
      () => stats(creator.id),
      (x) => x.totals?.views === 1,
      'the view to reach the creator',
    );
    assert.deepEqual(
      [s.followers, s.totals.followersGained, s.totals.tips, s.totals.tipAmount, s.totals.likes, s.totals.shares],
      [0, 0, 0, 0, 1, 1],
    );
    assert.equal((await call('GET', `/api/v1/creators/${fan.id}/stats`, 'reader')).statusCode, 404, 'fan credited');

    // Tips arrive only from the service role through the tip route, idempotent on tipId, with limits.
    const tip = { tipId: fresh('pay'), fromUserId: fan.id, amountMinor: 499, currency: 'USD' };
    const tipUrl = `/api/v1/creators/${creator.id}/tips`;
    assertProblem(await call('POST', tipUrl, fan.id, tip), 403, 'forbidden');
    assertProblem(
      await call('POST', tipUrl, 'payments', { ...tip, amountMinor: 0 }, ['service']),
      422,
      'validation-failed',
    );
    assertProblem(await call('POST', tipUrl, 'payments', { ...tip, fromUserId: creator.id }, ['service']), 422, 'validation-failed'); // prettier-ignore
    for (let i = 0; i < 2; i++)
      assert.equal((await call('POST', tipUrl, 'payments', tip, ['service'])).statusCode, 201);
    const tipped = await eventually(
      () => stats(creator.id),
      (x) => x.totals.tips > 0,
      'the tip to reach the creator',
    );
    assert.deepEqual([tipped.totals.tips, tipped.totals.tipAmount], [1, 499]);
  });

  it('finding 2: the first of a repeated eventId in one batch is accepted and relayed, the rest are duplicates', async () => {
    const user = await account('twice');
    const accepted = await postEvents(user.id, [
      event(user.id, 'e1', 'view'),
      event(user.id, 'e1', 'like'),
      event(user.id, 'e2', 'view'),
    ]);
    assert.deepEqual(
      accepted.map((a) => a.duplicate),
      [false, true, false],
    );
    await eventually(
      () => applied(user.id),
      (a) => a === 2,
      'both distinct events to be applied',
    );
    const again = await postEvents(user.id, [event(user.id, 'e1', 'view')]);
    assert.equal(again[0]?.duplicate, true, 'a retry of the same id is a duplicate');
  });

  it("finding 3: event ids are per user; another user's id neither blocks nor reveals mine", async () => {
    const [first, second] = [await account('first'), await account('second')];
    assert.equal((await postEvents(first.id, [event(first.id, 'evt-1', 'view')]))[0]?.duplicate, false);
    assert.equal((await postEvents(second.id, [event(second.id, 'evt-1', 'view')]))[0]?.duplicate, false);
    await eventually(
      () => applied(second.id),
      (a) => a === 1,
      "the second user's evt-1 to be applied",
    );
  });

  it('finding 5: a request past its deadline stores nothing more, and cannot complete an entry the relay took', async () => {
    const { db } = platform.mongo;
    const userId = fresh('slow');
    const staleMs = config.OUTBOX_STALE_MS;
    const doc = (eventId: string) => ({ _id: eventKey(userId, eventId), eventId, userId, type: 'view' as const, occurredAt: new Date(), receivedAt: new Date() }); // prettier-ignore
    // A request that started an outbox-stale age ago (stalled in the driver): by now the relay may have swept its
    // entry, so it must not insert events the sweep did not see.
    await assert.rejects(
      storeEventBatch(db, fresh('batch'), [doc('late-1')], new Date(Date.now() - staleMs), {
        deadlineMs: ingestDeadlineMs(staleMs),
      }),
      IngestDeadlineExceeded,
    );
    assert.equal(await eventsCollection(db).countDocuments({ userId }), 0, 'no event stored after the deadline');

    // The relay took the entry (stale) and closed it; the request's last step then finds it gone.
    const batchId = fresh('batch');
    await openOutboxEntry(db, batchId, new Date());
    await closeOutboxEntries(db, [batchId]);
    assert.equal(await markOutboxEntryReady(db, batchId, [{ ...doc('late-2'), batchId }]), false);
    assert.equal((await outboxPayloads(db, [batchId])).size, 0, 'no payload left for an entry nobody relays');
  });

  it('issue 21 item 5: follow only existing accounts; leaderboards list creators only', async () => {
    const fan = await account('follower');
    const creator = await account('maker', { item: true });
    const plain = await account('plain');
    assertProblem(await call('POST', `/api/v1/users/ghost-${pid}/follow`, fan.id), 404, 'not-found');
    assert.equal((await call('POST', `/api/v1/users/${creator.id}/follow`, fan.id)).statusCode, 201);
    assert.equal((await call('POST', `/api/v1/users/${plain.id}/follow`, fan.id)).statusCode, 201);
    await eventually(
      () => stats(plain.id),
      (s) => s.followers === 1,
      'the plain user to have stats',
    );
    await eventually(
      () => stats(creator.id),
      (s) => s.followers === 1,
      'the creator to have stats',
    );
    const board = await eventually(
      async () =>
        (await call('GET', '/api/v1/leaderboards/score?limit=100', 'reader')).json<{
          items: { creatorId: string }[];
        }>(),
      (b) => b.items.some((i) => i.creatorId === creator.id),
      'the creator on the board',
    );
    assert.ok(!board.items.some((i) => i.creatorId === plain.id), 'a user without content is on a creator board');
    assert.ok(!board.items.some((i) => i.creatorId === `ghost-${pid}`));
  });

  it('issue 21 item 6: a block either way answers the same 403 that does not reveal the block', async () => {
    const blocker = await account('blocker');
    const blocked = await account('blocked');
    assert.equal((await call('POST', `/api/v1/users/${blocked.id}/block`, blocker.id)).statusCode, 201);
    const one = await call('POST', `/api/v1/users/${blocker.id}/follow`, blocked.id);
    const other = await call('POST', `/api/v1/users/${blocked.id}/follow`, blocker.id);
    assertProblem(one, 403, 'forbidden');
    assertProblem(other, 403, 'forbidden');
    assert.equal(one.json<{ detail: string }>().detail, other.json<{ detail: string }>().detail);
    assert.doesNotMatch(one.json<{ detail: string }>().detail, /block/i);
  });

  it('issue 21 item 7: a tip completed through Brain Mode reaches the creator stats through the tip path', async () => {
    const creator = await account('tipped');
    const fan = await account('tipper');
    const auth = { authorization: await bearer(app, fan.id) };
    const res = await app.inject({
      method: 'POST',
      url: '/api/brain/commands',
      headers: auth,
      payload: { text: `tip @h_${creator.id} 5 dollars`, timezone: 'UTC' },
    });
    assert.equal(res.statusCode, 202, res.body);
    const { statusUrl, commandId } = res.json<{ statusUrl: string; commandId: string }>();
    started.push(workflowIds.brainCommand(commandId));
    const read = async () =>
      (await app.inject({ method: 'GET', url: statusUrl, headers: auth })).json<{ status: string }>();
    await eventually(read, (c) => c.status === 'awaiting_confirmation', 'the tip to ask');
    assert.equal((await app.inject({ method: 'POST', url: `${statusUrl}/confirm`, headers: auth })).statusCode, 200);
    const done = await eventually(read, (c) => c.status !== 'running' && c.status !== 'awaiting_confirmation', 'end');
    assert.equal(done.status, 'completed', JSON.stringify(done));
    const s = await eventually(
      () => stats(creator.id),
      (x) => x.totals?.tips === 1,
      'the tip to reach the stats',
    );
    assert.equal(s.totals.tipAmount, 500, 'minor units: 5 USD is 500');
  });
});
