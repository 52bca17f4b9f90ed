import { Command } from 'commander';
import { OPS_COMMANDS } from './commands/index.js';
import { createOpsContext, type OpsContext } from './context.js';

/**
 * `npm run ops -- <command>` (production: `node dist/src/ops/cli.js <command>`): the operator's tool against the
 * services the environment names (the same variables as the API and worker). `--help` on any command says what it
 * does; docs/operations.md says when to use it.
 */
let context: OpsContext | undefined;
const program = new Command('ops')
  .description('PowerStream Engine operator commands')
  .showHelpAfterError()
  .hook('postAction', async () => {
    await context?.close();
  });
for (const command of OPS_COMMANDS) command.define(program, () => (context ??= createOpsContext()));

try {
  await program.parseAsync(process.argv);
} catch (error) {
  console.error(`ops: ${error instanceof Error ? error.message : String(error)}`);
  await context?.close();
  process.exitCode = 1;
}
