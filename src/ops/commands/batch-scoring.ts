import type { OpsCommand } from '../command.js';
import { batchScoringScheduleId, ensureBatchScoringSchedule } from '../../workflow-clients/schedules.js';

/** The batch-scoring schedule (src/workflow-clients/schedules.ts): run now, pause, resume. */
export const batchScoringCommand: OpsCommand = {
  define(program, context) {
    const group = program.command('batch-scoring').description('trigger, pause or resume the batch-scoring schedule');
    const handle = async () => {
      const ctx = context();
      const { client } = await ctx.temporal();
      return { ctx, handle: client.schedule.getHandle(batchScoringScheduleId(ctx.config)), client };
    };
    group
      .command('trigger')
      .description('start a scoring run now (the schedule is created first if the worker has not yet)')
      .action(async () => {
        const { ctx, handle: schedule, client } = await handle();
        await ensureBatchScoringSchedule(client, ctx.config);
        await schedule.trigger();
        ctx.print(`triggered ${schedule.scheduleId}; follow it: npm run ops -- status`);
      });
    group
      .command('pause')
      .description('stop starting runs until resumed (a worker restart keeps the pause)')
      .option('--reason <text>', 'shown in the Temporal UI', 'paused by an operator (npm run ops)')
      .action(async (options: { reason: string }) => {
        const { ctx, handle: schedule } = await handle();
        await schedule.pause(options.reason);
        ctx.print(`paused ${schedule.scheduleId}`);
      });
    group
      .command('resume')
      .description('start runs on the schedule again')
      .action(async () => {
        const { ctx, handle: schedule } = await handle();
        await schedule.unpause('resumed by an operator (npm run ops)');
        ctx.print(`resumed ${schedule.scheduleId}`);
      });
  },
};
