import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WorkflowUpdateStage } from '@temporalio/client';
import type { createActivities } from '../../activities/index.js';
import { HOUR_MS } from '../../src/domain/decay.js';
import type { OnboardingProgressEvent, OnboardingStage } from '../../src/domain/onboarding.js';
import { workflowIds } from '../../workflows/ids.js';
import {
  getOnboardingProgressQuery,
  onboardingProgressSignal,
  type OnboardingSettings,
} from '../../workflows/onboarding/messages.js';
import type { onboardingWorkflow } from '../../workflows/onboarding/workflow.js';
import { scheduleShowUpdate, type TvStationSettings } from '../../workflows/tv-station/messages.js';
import type { tvStationWorkflow } from '../../workflows/tv-station/workflow.js';
import { verificationDecisionSignal, type VerificationSettings } from '../../workflows/verification/messages.js';
import type { verificationWorkflow } from '../../workflows/verification/workflow.js';
import { uniqueId, useTimeSkippingSuite } from '../helpers/workflow-env.js';

/**
 * No message is lost at the end of a run (issue 14) in the workflows beside the two counters (run-ends.test.ts):
 * each test sends its message from inside the run's last activity, so it certainly arrives during that await.
 */
type Activities = ReturnType<typeof createActivities>;
type StationActivities = Pick<
  Activities,
  'openShowViewers' | 'recordFinishedShow' | 'publishStationState' | 'notifyFollowers'
>;
type OnboardingActivities = Pick<Activities, 'writeNotification' | 'recordOnboardingStage'>;
type VerificationActivities = Pick<Activities, 'writeNotification' | 'recordVerificationOutcome'>;

const MINUTE_MS = 60_000;

describe('run ends lose no message: tv station, onboarding, verification (time-skipping)', () => {
  const suite = useTimeSkippingSuite();
  const { started, run } = suite;

  it('tv station: a show booked while the last show’s end is recorded airs before the station idles out', async () => {
    const stationId = uniqueId('st-late');
    const workflowId = workflowIds.tvStation(stationId);
    const settings: TvStationSettings = {
      keepFinished: 5,
      idleMs: HOUR_MS,
      maxHistoryEvents: 2_000,
      notifyBatchSize: 100,
      viewerTimeoutMs: 45_000,
    };
    const finished: string[] = [];
    let booked = false;
    const activities: StationActivities = {
      async openShowViewers() {},
      async publishStationState() {},
      async notifyFollowers() {
        return 0;
      },
      async recordFinishedShow(_stationId, show) {
        if (!booked) {
          booked = true;
          // Accepted is enough: the update's handler waits for effects, and this is one of them.
          const endMs = show.startMs + show.durationMs;
          await suite.env.client.workflow.getHandle(workflowId).startUpdate(scheduleShowUpdate, {
            args: [{ showId: 'late', title: 'Late show', startMs: endMs + 2 * HOUR_MS, durationMs: 30 * MINUTE_MS }],
            waitForStage: WorkflowUpdateStage.ACCEPTED,
          });
        }
        finished.push(`${show.showId}:${show.status}`);
        return null;
      },
    };
    await run(activities, async (tq) => {
      started.add(workflowId);
      const handle = await suite.env.client.workflow.start<typeof tvStationWorkflow>('tvStationWorkflow', {
        workflowId,
        taskQueue: tq,
        args: [{ stationId, ownerId: 'creator-1', settings }],
      });
      const startMs = (await suite.env.currentTimeMs()) + 10 * MINUTE_MS;
      await handle.executeUpdate(scheduleShowUpdate, {
        args: [{ showId: 'first', title: 'First', startMs, durationMs: 30 * MINUTE_MS }],
      });
      await handle.result();
      assert.deepEqual(finished, ['first:ended', 'late:ended'], 'the show booked during the last effect aired too');
    });
  });

  it('onboarding: progress signalled while the abandonment is recorded revives it instead of being dropped', async () => {
    const userId = uniqueId('u-back');
    const workflowId = workflowIds.onboarding(userId);
    const settings: OnboardingSettings = { reminderQuietMs: 24 * HOUR_MS, maxRemindersPerStep: 1 };
    const stages: OnboardingStage[] = [];
    const activities: OnboardingActivities = {
      async writeNotification() {
        return true;
      },
      async recordOnboardingStage(_userId, stage) {
        if (stage === 'abandoned' && !stages.includes('abandoned')) {
          await suite.env.client.workflow
            .getHandle(workflowId)
            .signal(onboardingProgressSignal, { kind: 'interests_picked', topics: ['jazz', 'chess', 'cooking'] });
        }
        stages.push(stage);
      },
    };
    await run(activities, async (tq) => {
      started.add(workflowId);
      const handle = await suite.env.client.workflow.signalWithStart<
        typeof onboardingWorkflow,
        [OnboardingProgressEvent]
      >('onboardingWorkflow', {
        workflowId,
        taskQueue: tq,
        args: [{ userId, settings }],
        signal: onboardingProgressSignal,
        signalArgs: [{ kind: 'handle_claimed', handle: userId }],
      });
      // One reminder, another quiet period, then abandonment — during whose record the user picks interests.
      await suite.env.sleep(2 * settings.reminderQuietMs + HOUR_MS);
      const revived = await handle.query(getOnboardingProgressQuery);
      assert.equal(revived.stage, 'follow_creator', 'the progress made during the record counts');
      assert.deepEqual(revived.interests, ['jazz', 'chess', 'cooking']);
      await handle.signal(onboardingProgressSignal, { kind: 'creator_followed', creatorId: 'c1' });
      await handle.signal(onboardingProgressSignal, { kind: 'engaged', eventId: 'e1' });
      assert.equal(await handle.result(), 'completed');
      assert.deepEqual(stages, ['abandoned', 'completed']);
    });
  });

  it('verification: a decision signalled while the escalation is written counts; one after the grace does not', async () => {
    const settings: VerificationSettings = { decisionDeadlineMs: 72 * HOUR_MS, escalationGraceMs: 48 * HOUR_MS };
    const evidence = [{ kind: 'youtube' as const, url: 'https://www.youtube.com/@someone' }];
    const decide = (userId: string) =>
      suite.env.client.workflow
        .getHandle(workflowIds.verification(userId))
        .signal(verificationDecisionSignal, { decision: 'approve', operatorId: 'op-1' });
    const activitiesFor = (userId: string, when: 'escalation' | 'outcome'): VerificationActivities => {
      let sent = false;
      const once = async () => {
        if (sent) return;
        sent = true;
        await decide(userId);
      };
      return {
        async writeNotification(input) {
          if (when === 'escalation' && input.kind === 'verification_escalated') await once();
          return true;
        },
        async recordVerificationOutcome() {
          if (when === 'outcome') await once();
        },
      };
    };
    const request = (tq: string, userId: string) => {
      started.add(workflowIds.verification(userId));
      return suite.env.client.workflow.start<typeof verificationWorkflow>('verificationWorkflow', {
        workflowId: workflowIds.verification(userId),
        taskQueue: tq,
        args: [{ userId, evidence, settings }],
      });
    };

    const inTime = uniqueId('creator-in-time');
    await run(activitiesFor(inTime, 'escalation'), async (tq) => {
      assert.equal(await (await request(tq, inTime)).result(), 'approved');
    });
    const late = uniqueId('creator-late');
    await run(activitiesFor(late, 'outcome'), async (tq) => {
      assert.equal(await (await request(tq, late)).result(), 'expired', 'the grace had ended: the request expired');
    });
  });
});
