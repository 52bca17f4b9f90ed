import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Role } from '../../src/api/principal.js';
import { workflowIds } from '../../workflows/ids.js';
import { bearer, testConfig } from '../helpers/build-app.js';
import { eventually, useApiAndPlatform } from '../helpers/platform.js';
import { uniqueId } from '../helpers/workflow-env.js';

/**
 * The identity workflows' timers end to end, through REST with a worker in this process: onboarding reminders after a
 * quiet period (at most two per step, then abandoned), and a verification request nobody decides, escalated to the
 * operators at its deadline and expired after the grace. The hours are shortened to seconds.
 */
const SECOND_IN_HOURS = 1 / 3_600;
const config = testConfig(import.meta.filename, {
  TEMPORAL_TASK_QUEUE: uniqueId('deadlines-tq'),
  ONBOARDING_REMINDER_QUIET_HOURS: String(1.5 * SECOND_IN_HOURS),
  ONBOARDING_MAX_REMINDERS_PER_STEP: '2',
  VERIFICATION_DEADLINE_HOURS: String(2 * SECOND_IN_HOURS),
  VERIFICATION_ESCALATION_HOURS: String(2 * SECOND_IN_HOURS),
});

interface NotificationItem {
  id: string;
  kind: string;
  data: Record<string, unknown>;
}

describe('onboarding reminders and verification deadlines (integration)', () => {
  const suite = useApiAndPlatform(config);
  const { app, workflows } = suite;

  const call = async (method: 'GET' | 'POST' | 'PUT', url: string, as: string, roles: Role[], payload?: object) =>
    app.inject({
      method,
      url,
      ...(payload ? { payload } : {}),
      headers: { authorization: await bearer(app, as, roles) },
    });
  const handleOf = (userId: string) => `h_${userId.replace(/[^A-Za-z0-9]/g, '').slice(-14)}`;

  async function newIdentity(userId: string, roles: Role[]): Promise<void> {
    workflows.add(workflowIds.onboarding(userId));
    const res = await call('POST', '/api/v1/identities', userId, roles, { handle: handleOf(userId) });
    assert.equal(res.statusCode, 201, res.body);
  }
  const notificationsOf = async (userId: string) =>
    (await call('GET', `/api/v1/identities/${userId}/notifications?limit=100`, userId, ['user'])).json<{
      items: NotificationItem[];
    }>().items;

  it('reminds a stalled user twice for the step, then gives up; a user who silenced reminders gets none', async () => {
    const stalled = uniqueId('stalled');
    const quiet = uniqueId('silenced');
    await newIdentity(stalled, ['user']);
    await newIdentity(quiet, ['user']);
    const prefs = {
      language: null,
      contentTypeOptOuts: [],
      notifications: { push: true, email: true, reminders: false },
    };
    assert.equal(
      (await call('PUT', `/api/v1/identities/${quiet}/preferences`, quiet, ['user'], prefs)).statusCode,
      200,
    );

    for (const userId of [stalled, quiet]) {
      await eventually(
        async () =>
          (await call('GET', `/api/v1/identities/${userId}/onboarding`, userId, ['user'])).json<{ stage: string }>(),
        (p) => p.stage === 'abandoned',
        `${userId}'s onboarding to be abandoned`,
      );
    }
    const reminders = (await notificationsOf(stalled)).filter((n) => n.kind === 'onboarding_reminder');
    assert.deepEqual(
      reminders.map((n) => n.data).sort((a, b) => Number(a.reminder) - Number(b.reminder)),
      [
        { step: 'pick_interests', reminder: 1 },
        { step: 'pick_interests', reminder: 2 },
      ],
    );
    assert.deepEqual(await notificationsOf(quiet), [], 'silenced reminders are not written');
  });

  it('escalates an undecided verification to the operators at its deadline and expires it after the grace', async () => {
    const creator = uniqueId('undecided');
    await newIdentity(creator, ['creator']);
    workflows.add(workflowIds.verification(creator));
    const url = `/api/v1/identities/${creator}/verification`;
    const evidence = { evidence: [{ kind: 'website', url: 'https://undecided.example.com/' }] };
    const requested = await call('POST', url, creator, ['creator'], evidence);
    assert.equal(requested.statusCode, 201, requested.body);

    const status = async () => (await call('GET', url, creator, ['creator'])).json<{ status: string }>().status;
    await eventually(status, (s) => s === 'escalated', 'the request escalated');
    const escalations = async () =>
      (await call('GET', '/api/v1/operator-notifications?limit=100', uniqueId('ops'), ['operator']))
        .json<{ items: NotificationItem[] }>()
        .items.filter((n) => n.kind === 'verification_escalated' && n.data.userId === creator);
    assert.equal((await escalations()).length, 1, 'the operators were told once');

    await eventually(status, (s) => s === 'expired', 'the request expired');
    assert.equal(
      await suite.platform.temporal.client.workflow.getHandle(workflowIds.verification(creator)).result(),
      'expired',
    );
    assert.deepEqual(
      (await notificationsOf(creator)).filter((n) => n.kind.startsWith('verification_')).map((n) => n.data),
      [{ status: 'expired' }],
    );
    assert.equal((await call('GET', `/api/v1/identities/${creator}`, creator, ['creator'])).json().verified, false);
    assert.equal((await escalations()).length, 1, 'still one escalation after expiry');
    // "You may ask again": a new request opens.
    assert.equal((await call('POST', url, creator, ['creator'], evidence)).statusCode, 201);
  });
});
