import type {
  Compensation,
  CommandView,
  PlannedStep,
  StepOutcome,
  UndoTarget,
} from '../../src/domain/brain-command.js';
import { markBrainCommandUndone, recentCompletedCommands, saveBrainCommand } from '../../src/store/brain-commands.js';
import { refundTip } from '../../src/store/tips.js';
import { saveAppPreferences, findAppPreferences } from '../../src/store/preferences.js';
import { follow, unblock, unfollow } from '../../src/workflow-clients/social-graph.js';
import { StationRejection, updateStation } from '../../src/workflow-clients/station-updates.js';
import { cancelShowUpdate, endLiveUpdate } from '../../workflows/tv-station/messages.js';
import type { BrainCaller } from '../../workflows/brain-command/messages.js';
import { getClient } from '@temporalio/activity';
import type { ActivityDeps } from '../deps.js';
import { asRefusal, refusal, stepContext, type StepContext } from './context.js';
import { likeStep, shareStep } from './engagement-steps.js';
import { blockStep, followStep, preferenceStep, tipStep, unfollowStep } from './social-steps.js';
import { resolveTargetSet } from './target-sets.js';
import { cancelShowStep, endLiveStep, goLiveStep, scheduleShowStep } from './station-steps.js';

export interface StepInput {
  commandId: string;
  caller: BrainCaller;
  step: PlannedStep;
  previousTargets: string[];
}

export interface CompensationInput {
  commandId: string;
  caller: BrainCaller;
  compensation: Compensation;
}

type StepRunner = (ctx: StepContext, step: PlannedStep, previous: string[]) => Promise<StepOutcome>;

const STEPS: Readonly<Record<string, StepRunner>> = {
  follow_creator: followStep,
  unfollow_creator: unfollowStep,
  block_creator: blockStep,
  like_item: likeStep,
  share_item: shareStep,
  tip_creator: tipStep,
  set_preference: preferenceStep,
  schedule_show: scheduleShowStep,
  cancel_show: cancelShowStep,
  go_live: goLiveStep,
  end_live: endLiveStep,
};

/** How many recent completed commands undo looks through for one with something to take back. */
const UNDO_LOOKBACK = 20;

/** Activities of the brain command workflow: each step as the caller, its compensation, and the history record. */
export function createBrainActivities(deps: ActivityDeps) {
  const { db } = deps;
  return {
    async runBrainStep({ commandId, caller, step, previousTargets }: StepInput): Promise<StepOutcome> {
      const run = STEPS[step.action];
      if (!run) throw refusal('not_available', 501, `Brain Mode cannot run "${step.action}" as an action yet`);
      try {
        return await run(stepContext(deps, caller, commandId), step, previousTargets);
      } catch (error) {
        throw asRefusal(error);
      }
    },

    /** The users a step over a looked-up set acts on, resolved once: the list the user confirms. */
    async resolveBrainTargets({ commandId, caller, step }: StepInput): Promise<string[]> {
      try {
        return await resolveTargetSet(stepContext(deps, caller, commandId), step);
      } catch (error) {
        throw asRefusal(error);
      }
    },

    async compensateBrainStep({ commandId, caller, compensation }: CompensationInput): Promise<void> {
      const ctx = stepContext(deps, caller, commandId);
      try {
        await compensate(ctx, compensation);
      } catch (error) {
        throw asRefusal(error);
      }
    },

    async recordBrainCommand(view: CommandView): Promise<void> {
      await saveBrainCommand(db, view);
    },

    /** The caller's newest completed command that has something to take back and was not undone already. */
    async loadUndoTarget({ commandId, userId }: { commandId: string; userId: string }): Promise<UndoTarget> {
      const recent = await recentCompletedCommands(db, userId, UNDO_LOOKBACK);
      const target = recent.find(
        (c) => c.commandId !== commandId && !c.undoneBy && c.steps.some((s) => s.compensation !== null),
      );
      if (!target) throw refusal('not_found', 404, 'There is no completed command to undo');
      const compensations = target.steps.flatMap((s) =>
        s.state === 'completed' && s.compensation ? [s.compensation] : [],
      );
      return { commandId: target.commandId, compensations };
    },

    async markCommandUndone({ commandId, undoneBy }: { commandId: string; undoneBy: string }): Promise<void> {
      await markBrainCommandUndone(db, commandId, undoneBy, new Date());
    },
  };
}

export type BrainActivities = ReturnType<typeof createBrainActivities>;

async function compensate(ctx: StepContext, c: Compensation): Promise<void> {
  const me = ctx.caller.userId;
  switch (c.kind) {
    case 'unfollow':
      for (const target of c.targets) await unfollow(ctx.graph(), me, target);
      return;
    case 'refollow':
      for (const target of c.targets) await follow(ctx.graph(), me, target, new Date());
      return;
    case 'unblock':
      for (const target of c.targets) await unblock(ctx.graph(), me, target);
      for (const target of c.refollow) await follow(ctx.graph(), me, target, new Date());
      return;
    case 'refund_tips':
      for (const tipId of c.tipIds) await refundTip(ctx.db, tipId, new Date());
      return;
    case 'restore_preference': {
      const stored = await findAppPreferences(ctx.db, me, c.app);
      const { [c.key]: _dropped, ...rest } = stored?.document ?? {};
      await saveAppPreferences(ctx.db, me, c.app, c.previous === null ? rest : { ...rest, [c.key]: c.previous });
      return;
    }
    case 'cancel_show':
      await alreadyDone(updateStation(getClient(), ctx.config, c, cancelShowUpdate, { showId: c.showId }));
      return;
    case 'end_live':
      await alreadyDone(updateStation(getClient(), ctx.config, c, endLiveUpdate, { showId: c.showId }));
      return;
  }
}

/** A show already cancelled or ended (by the user, or by an earlier attempt) needs no taking back. */
async function alreadyDone(update: Promise<unknown>): Promise<void> {
  try {
    await update;
  } catch (error) {
    if (!(error instanceof StationRejection) || !['not_scheduled', 'not_live', 'not_found'].includes(error.code)) {
      throw error;
    }
  }
}
