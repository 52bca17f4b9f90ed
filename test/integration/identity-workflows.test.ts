import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Client } from '@temporalio/client';
import { createIdentityActivities } from '../../activities/identity.js';
import { findIdentity } from '../../src/store/identities.js';
import { interestProfilesCollection } from '../../src/store/interest-profiles.js';
import { OPERATORS_RECIPIENT } from '../../src/store/notifications.js';
import { signalFirstEngagement } from '../../src/workflow-clients/signals.js';
import { workflowIds } from '../../workflows/ids.js';
import { getProfileQuery } from '../../workflows/user-interest/messages.js';
import { bearer, build, testConfig } from '../helpers/build-app.js';
import { eventually, startPlatform, type Platform } from '../helpers/platform.js';
import { uniqueId } from '../helpers/workflow-env.js';
import { assertProblem } from '../api/support/problem.js';

/**
 * The identity routes against the real dev server with the worker side in this process (worker and event relay):
 * the API's signals and the relayed events drive the onboarding, verification and user-interest workflows, and
 * their activities write back to the identity and the read models.
 */
const config = testConfig(import.meta.filename, { TEMPORAL_TASK_QUEUE: uniqueId('identity-tq') });
const run = uniqueId('r')
  .replace(/[^A-Za-z0-9]/g, '')
  .slice(-10);

describe('identity workflows through the API (real Temporal, worker in process)', () => {
  const app = build({ after }, config);
  let platform: Platform;
  let client: Client;

  before(async () => {
    platform = await startPlatform(config);
    client = platform.temporal.client;
    await app.ready();
  });
  after(async () => {
    // Workflows left open (the seeded user-interest one idles for days) are ended so the server stays clean.
    for (const id of started)
      await client.workflow
        .getHandle(id)
        .terminate('test finished')
        .catch(() => undefined);
    await platform.close();
  });
  const started = new Set<string>();

  const call = async (
    method: 'GET' | 'POST' | 'PUT',
    url: string,
    userId: string,
    roles: ('user' | 'creator' | 'operator')[],
    payload?: object,
  ) => app.inject({ method, url, payload, headers: { authorization: await bearer(app, userId, roles) } });

  it('walks onboarding from the handle claim to completion through the API, the first event completing it', async () => {
    const userId = `newbie-${run}`;
    started.add(workflowIds.onboarding(userId)).add(workflowIds.userInterest(userId));
    assert.equal(
      (await call('POST', '/api/v1/identities', userId, ['user'], { handle: `newbie_${run}` })).statusCode,
      201,
    );
    const base = `/api/v1/identities/${userId}/onboarding`;
    const progress = async () => (await call('GET', base, userId, ['user'])).json<{ stage: string; done: string[] }>();
    assert.equal((await progress()).stage, 'pick_interests');

    const twice = ['Jazz', 'jazz', ' JAZZ', 'chess'];
    assertProblem(
      await call('POST', `${base}/interests`, userId, ['user'], { topics: twice }),
      422,
      'validation-failed',
    );
    const picked = await call('POST', `${base}/interests`, userId, ['user'], { topics: ['Jazz', 'chess', 'cooking'] });
    assert.equal(picked.statusCode, 202, picked.body);
    assert.equal((await progress()).stage, 'follow_creator');
    // The seeded interests are applied (and persisted after the debounce) before this passes; they are no engagement.
    await eventually(
      () => call('GET', `/api/v1/users/${userId}/interests`, userId, ['user']),
      (res) => res.statusCode === 200 && res.json<{ appliedEvents: number }>().appliedEvents === 3,
      'seeded interest profile',
    );
    assert.ok(!(await progress()).done.includes('first_engagement'), 'seeds are not the first engagement');

    // Follows reach existing accounts only.
    const creatorId = `creator-${run}`;
    started.add(workflowIds.onboarding(creatorId));
    const creator = await call('POST', '/api/v1/identities', creatorId, ['user'], { handle: `creator_${run}` });
    assert.equal(creator.statusCode, 201, creator.body);
    const followed = await call('POST', `/api/v1/users/${creatorId}/follow`, userId, ['user']);
    assert.equal(followed.statusCode, 201, followed.body);
    const posted = await call('POST', '/api/v1/events', userId, ['user'], {
      events: [
        { eventId: `e-${run}`, userId, type: 'like', contentId: `video-${run}`, occurredAt: new Date().toISOString() },
      ],
    });
    assert.equal(posted.statusCode, 202, posted.body);
    // Relay → user-interest workflow → onboarding: the event's first application completes the last step.
    const done = await eventually(progress, (p) => p.stage === 'completed', 'onboarding completed by the event');
    assert.deepEqual([...done.done].sort(), ['claim_handle', 'first_engagement', 'follow_creator', 'pick_interests']);
    assert.equal(await client.workflow.getHandle(workflowIds.onboarding(userId)).result(), 'completed');
    assert.equal((await findIdentity(platform.mongo.db, userId))?.onboarding?.stage, 'completed');
    assert.equal(await signalFirstEngagement(client, userId, `e2-${run}`), false, 'nothing left to advance');

    const { profile } = await client.workflow.getHandle(workflowIds.userInterest(userId)).query(getProfileQuery);
    assert.deepEqual(Object.keys(profile.topics).sort(), ['chess', 'cooking', 'jazz']);
  });

  it('keeps content types a user opted out of at zero in the interest profile, listed as contentTypeOptOuts', async () => {
    const userId = `picky-${run}`;
    const creator = `maker-${run}`;
    started.add(workflowIds.onboarding(userId)).add(workflowIds.userInterest(userId));
    assert.equal(
      (await call('POST', '/api/v1/identities', userId, ['user'], { handle: `picky_${run}` })).statusCode,
      201,
    );
    const publish = async (type: string) => {
      const res = await call('POST', '/api/v1/content', creator, ['creator'], {
        title: `A ${type} about chess`,
        tags: ['chess'],
        type,
      });
      assert.equal(res.statusCode, 201, res.body);
      return res.json<{ id: string }>().id;
    };
    const [live, video] = [await publish('live'), await publish('video')];
    const like = (contentId: string, n: number) => ({
      eventId: `like-${n}-${run}`,
      userId,
      type: 'like',
      contentId,
      creatorId: creator,
      occurredAt: new Date().toISOString(),
    });
    const interests = () => call('GET', `/api/v1/users/${userId}/interests`, userId, ['user']);
    type View = { contentTypes: Record<string, number>; contentTypeOptOuts: string[]; appliedEvents: number };
    const posted = await call('POST', '/api/v1/events', userId, ['user'], { events: [like(live, 1), like(video, 2)] });
    assert.equal(posted.statusCode, 202, posted.body);
    const before = await eventually(
      async () => (await interests()).json<View>(),
      (v) => v.appliedEvents === 2,
      'profile with both likes',
    );
    assert.ok((before.contentTypes.live ?? 0) > 0, JSON.stringify(before));
    assert.deepEqual(before.contentTypeOptOuts, []);

    const prefs = {
      language: null,
      contentTypeOptOuts: ['live'],
      notifications: { push: true, email: true, reminders: true },
    };
    const put = await call('PUT', `/api/v1/identities/${userId}/preferences`, userId, ['user'], prefs);
    assert.equal(put.statusCode, 200, put.body);
    const after = await eventually(
      async () => (await interests()).json<View>(),
      (v) => v.contentTypeOptOuts.length > 0,
      'profile with the opt-outs',
    );
    assert.deepEqual(after.contentTypeOptOuts, ['live']);
    assert.equal(after.contentTypes.live, 0);
    assert.equal(after.contentTypes.video, before.contentTypes.video);
    const stored = await interestProfilesCollection(platform.mongo.db).findOne({ _id: userId });
    assert.deepEqual(stored?.contentTypeOptOuts, ['live'], 'the read model the feed filters by');

    // A later like of live content stays out of the live preference while the opt-out lasts.
    assert.equal((await call('POST', '/api/v1/events', userId, ['user'], { events: [like(live, 3)] })).statusCode, 202);
    const later = await eventually(
      async () => (await interests()).json<View>(),
      (v) => v.appliedEvents === 3,
      'third like',
    );
    assert.equal(later.contentTypes.live, 0);
  });

  it('lets a creator request verification once and an operator approve it, which sets the badge', async () => {
    const creator = `star-${run}`;
    started.add(workflowIds.verification(creator));
    started.add(workflowIds.onboarding(creator));
    assert.equal(
      (await call('POST', '/api/v1/identities', creator, ['creator'], { handle: `star_${run}` })).statusCode,
      201,
    );
    const url = `/api/v1/identities/${creator}/verification`;
    const evidence = { evidence: [{ kind: 'youtube', url: 'https://www.youtube.com/@star' }] };

    assertProblem(await call('POST', url, creator, ['user'], evidence), 403, 'forbidden');
    const bad = { evidence: [{ kind: 'youtube', url: 'https://evil.example.com/' }] };
    assert.deepEqual(
      assertProblem(await call('POST', url, creator, ['creator'], bad), 422, 'validation-failed').errors?.map(
        (e) => e.path,
      ),
      ['/evidence/0'],
    );
    const requested = await call('POST', url, creator, ['creator'], evidence);
    assert.equal(requested.statusCode, 201, requested.body);
    assertProblem(await call('POST', url, creator, ['creator'], evidence), 409, 'conflict');
    assert.equal((await call('GET', url, creator, ['creator'])).json().status, 'pending');
    assertProblem(await call('GET', '/api/v1/verifications', creator, ['creator']), 403, 'forbidden');
    await pendingQueue(`ops-${run}`, [creator]);

    assertProblem(
      await call('POST', `${url}/decision`, creator, ['creator'], { decision: 'approve' }),
      403,
      'forbidden',
    );
    const decided = await call('POST', `${url}/decision`, `ops-${run}`, ['operator'], { decision: 'approve' });
    assert.equal(decided.statusCode, 202, decided.body);
    assert.equal(await client.workflow.getHandle(workflowIds.verification(creator)).result(), 'approved');

    const identity = await call('GET', `/api/v1/identities/${creator}`, `reader-${run}`, ['user']);
    assert.equal(identity.json().verified, true);
    assert.equal((await findIdentity(platform.mongo.db, creator))?.verified?.by, `ops-${run}`);
    assert.match(
      assertProblem(await call('POST', url, creator, ['creator'], evidence), 409, 'conflict').detail,
      /already verified/,
    );
  });

  it('writes each notification once, honours a user who silenced reminders, and lists them for their owner', async () => {
    const { writeNotification } = createIdentityActivities({ db: platform.mongo.db, redis: platform.redis, config });
    const userId = `quiet-${run}`;
    started.add(workflowIds.onboarding(userId));
    assert.equal(
      (await call('POST', '/api/v1/identities', userId, ['user'], { handle: `quiet_${run}` })).statusCode,
      201,
    );
    const reminder = { id: `n1-${run}`, recipient: userId, kind: 'onboarding_reminder', title: 't', body: 'b' };
    assert.equal(await writeNotification({ ...reminder, silencedBy: 'reminders' }), true);
    assert.equal(await writeNotification({ ...reminder, silencedBy: 'reminders' }), true, 'a retry');
    const list = async () =>
      (await call('GET', `/api/v1/identities/${userId}/notifications`, userId, ['user'])).json<{
        items: { id: string }[];
      }>().items;
    assert.deepEqual(
      (await list()).map((n) => n.id),
      [`n1-${run}`],
    );

    const prefs = {
      language: null,
      contentTypeOptOuts: [],
      notifications: { push: true, email: true, reminders: false },
    };
    const put = await app.inject({
      method: 'PUT',
      url: `/api/v1/identities/${userId}/preferences`,
      payload: prefs,
      headers: { authorization: await bearer(app, userId) },
    });
    assert.equal(put.statusCode, 200, put.body);
    assert.equal(await writeNotification({ ...reminder, id: `n2-${run}`, silencedBy: 'reminders' }), false);
    assert.deepEqual(
      (await list()).map((n) => n.id),
      [`n1-${run}`],
    );

    assertProblem(
      await call('GET', `/api/v1/identities/${userId}/notifications`, `other-${run}`, ['user']),
      403,
      'forbidden',
    );
    assertProblem(await call('GET', '/api/v1/operator-notifications', userId, ['user']), 403, 'forbidden');
    assert.equal((await call('GET', '/api/v1/operator-notifications', `ops-${run}`, ['operator'])).statusCode, 200);
  });

  it("pages the operator lists (open verifications, operator notifications) and a user's notifications", async () => {
    const operator = `ops-${run}`;
    const creators = [1, 2, 3].map((i) => `pager${i}-${run}`);
    for (const creator of creators) {
      started.add(workflowIds.verification(creator)).add(workflowIds.onboarding(creator));
      const handle = `pager_${creator.slice(5, 6)}_${run}`;
      assert.equal((await call('POST', '/api/v1/identities', creator, ['creator'], { handle })).statusCode, 201);
      const evidence = { evidence: [{ kind: 'website', url: `https://${creator}.example.com/` }] };
      const requested = await call(
        'POST',
        `/api/v1/identities/${creator}/verification`,
        creator,
        ['creator'],
        evidence,
      );
      assert.equal(requested.statusCode, 201, requested.body);
    }
    await pendingQueue(operator, creators);
    const queue = await pageThrough('/api/v1/verifications?status=pending&limit=1', operator, ['operator']);
    assert.deepEqual(
      queue.ids.filter((id) => creators.includes(id)),
      [...creators].reverse(),
      'every request once, newest first',
    );
    assert.equal(new Set(queue.ids).size, queue.ids.length, 'no request on two pages');
    assert.ok(queue.pages >= creators.length, `${queue.pages} pages`);

    const firstPage = await call('GET', '/api/v1/verifications?status=pending&limit=1', operator, ['operator']);
    const cursor = firstPage.json<{ nextCursor: string }>().nextCursor;
    const url = `/api/v1/verifications?status=escalated&limit=1&cursor=${cursor}`;
    assertProblem(await call('GET', url, operator, ['operator']), 422, 'validation-failed');
    const forged = `/api/v1/verifications?status=pending&cursor=${Buffer.from('{"status":"pending","page":"AAAA"}').toString('base64url')}`;
    assertProblem(await call('GET', forged, operator, ['operator']), 422, 'validation-failed');

    const { writeNotification } = createIdentityActivities({ db: platform.mongo.db, redis: platform.redis, config });
    const notify = async (recipient: string, id: string) =>
      assert.equal(await writeNotification({ id, recipient, kind: 'test', title: 't', body: 'b' }), true);
    const written = [1, 2, 3].map((i) => `page-${i}-${run}`);
    for (const id of written) await notify(OPERATORS_RECIPIENT, `ops-${id}`);
    for (const id of written) await notify(creators[0] ?? '', id);
    const ops = await pageThrough('/api/v1/operator-notifications?limit=2', operator, ['operator']);
    assert.deepEqual(
      ops.ids.filter((id) => id.endsWith(run)),
      written.map((id) => `ops-${id}`).reverse(),
    );
    const own = await pageThrough(`/api/v1/identities/${creators[0]}/notifications?limit=2`, creators[0] ?? '', [
      'user',
    ]);
    assert.deepEqual(own.ids, [...written].reverse());
    assert.equal(own.pages, 2);
  });

  /** Every item id of a paged list, following nextCursor to the end. */
  async function pageThrough(
    url: string,
    userId: string,
    roles: ('user' | 'operator')[],
  ): Promise<{ ids: string[]; pages: number }> {
    const ids: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await call('GET', cursor ? `${url}&cursor=${cursor}` : url, userId, roles);
      assert.equal(res.statusCode, 200, res.body);
      const body = res.json<{ items: { id?: string; userId?: string }[]; nextCursor: string | null }>();
      ids.push(...body.items.map((item) => item.id ?? item.userId ?? ''));
      cursor = body.nextCursor;
      pages++;
    } while (cursor && pages < 50);
    return { ids, pages };
  }

  /** Visibility is updated asynchronously after the search attribute upsert: read until every user is listed. */
  async function pendingQueue(operatorId: string, users: string[]): Promise<void> {
    await eventually(
      async () => {
        const res = await call('GET', '/api/v1/verifications?status=pending&limit=100', operatorId, ['operator']);
        assert.equal(res.statusCode, 200, res.body);
        return res.json<{ items: { userId: string }[] }>().items.map((i) => i.userId);
      },
      (listed) => users.every((user) => listed.includes(user)),
      `${users.join(', ')} in the pending queue`,
    );
  }
});
