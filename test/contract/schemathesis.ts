import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../src/dev/tools.js';

/** Pinned so a new release's new checks never fail a build that changed nothing. */
export const SCHEMATHESIS_VERSION = '4.32.5';

/**
 * schemathesis from PyPI in .tools/schemathesis-<version>/, installed on first use (a later run only checks the
 * folder). Installed into a temporary folder and renamed, so two test runs at once never see half an install.
 * Returns the command and environment that run its CLI.
 */
export function ensureSchemathesis(): { command: string; env: NodeJS.ProcessEnv } {
  const target = join(REPO_ROOT, '.tools', `schemathesis-${SCHEMATHESIS_VERSION}`);
  if (!existsSync(join(target, 'bin', 'st'))) {
    const staging = `${target}.${process.pid}.tmp`;
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging, { recursive: true });
    const pip = spawnSync(
      'python3',
      [
        '-m',
        'pip',
        'install',
        '--quiet',
        '--disable-pip-version-check',
        '--no-input',
        '--root-user-action=ignore',
        '--target',
        staging,
        `schemathesis==${SCHEMATHESIS_VERSION}`,
      ],
      { stdio: 'inherit' },
    );
    if (pip.status !== 0) throw new Error(`pip install schemathesis==${SCHEMATHESIS_VERSION} failed`);
    if (!existsSync(target)) renameSync(staging, target);
    else rmSync(staging, { recursive: true, force: true });
  }
  return {
    command: join(target, 'bin', 'st'),
    env: { ...process.env, PYTHONPATH: target, SCHEMATHESIS_TELEMETRY: 'false' },
  };
}
