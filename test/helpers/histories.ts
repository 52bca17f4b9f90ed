import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import proto from '@temporalio/proto';
import { REPO_ROOT } from '../../src/dev/tools.js';

// CommonJS package: its namespace object is the default export under ESM.
const { temporal } = proto;

export const HISTORIES_DIR = join(REPO_ROOT, 'test', 'workflows', 'histories');

/**
 * Saves a finished scenario's history for the replay test when RECORD_HISTORIES=1
 * (`RECORD_HISTORIES=1 npm test -- test/workflows`). Commit the file: replaying it against later code is
 * what catches a non-deterministic change. The file name must start with the workflow type's name.
 */
export async function recordHistory(handle: WorkflowHandle, name: string): Promise<void> {
  if (process.env.RECORD_HISTORIES !== '1') return;
  const history = await handle.fetchHistory();
  mkdirSync(HISTORIES_DIR, { recursive: true });
  // Binary protobuf: the SDK's JSON helper trips over duplicate protobufjs copies in node_modules.
  writeFileSync(join(HISTORIES_DIR, `${name}.binpb`), temporal.api.history.v1.History.encode(history).finish());
}

export function readHistory(file: string): ReturnType<typeof temporal.api.history.v1.History.decode> {
  return temporal.api.history.v1.History.decode(readFileSync(join(HISTORIES_DIR, file)));
}
