import type { Command } from 'commander';
import type { OpsContext } from './context.js';

/**
 * One operator command, in its own module under src/ops/commands/ and listed in commands/index.ts. `define` adds the
 * command (its options, arguments and --help text) to the program; the action gets the context from `context()`,
 * which the CLI creates on first use so `--help` needs no configuration or services.
 */
export interface OpsCommand {
  define(program: Command, context: () => OpsContext): void;
}

/** Exit code of a command stopped by Ctrl-C (128 + SIGINT), as shells report it. */
export const INTERRUPTED_EXIT_CODE = 130;
