import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { ESLint, type Linter } from 'eslint';

/**
 * The import rules of eslint.config.js, run through ESLint itself on the repository's config: each rule must flag
 * the import it exists for and leave a well-behaved file alone. The wrong-direction files are linted as text at a
 * path that does not exist (nothing bad is ever written into workflows/ or activities/); the cycle needs two real
 * files, test/fixtures/lint/cycle-*.ts, which `npm run lint` ignores.
 */
const REPO = fileURLToPath(new URL('../..', import.meta.url));
const WORKFLOW_FILE = 'workflows/lint-rules-fixture.ts';
const ACTIVITY_FILE = 'activities/lint-rules-fixture.ts';

const eslint = new ESLint({
  cwd: REPO,
  // The fixtures are in the lint ignores; here they are the point.
  ignore: false,
  // Type-aware rules need a TypeScript project for the two imaginary files.
  overrideConfig: {
    languageOptions: { parserOptions: { projectService: { allowDefaultProject: [WORKFLOW_FILE, ACTIVITY_FILE] } } },
  },
});

async function problems(filePath: string, code: string): Promise<Linter.LintMessage[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages;
}

const ruleIds = (messages: Linter.LintMessage[]) => messages.map((m) => m.ruleId);

describe('import rules (eslint.config.js)', () => {
  it('passes a workflow that imports the SDK, src/domain, workflows/ and activity types', async () => {
    const messages = await problems(
      WORKFLOW_FILE,
      [
        "import { proxyActivities } from '@temporalio/workflow';",
        "import { HOUR_MS } from '../src/domain/decay.js';",
        "import { workflowIds } from './ids.js';",
        "import type { IdentityActivities } from '../activities/identity.js';",
        '',
        "const { writeNotification } = proxyActivities<IdentityActivities>({ startToCloseTimeout: '1 minute' });",
        "export const parts = [HOUR_MS, workflowIds.onboarding('u1'), writeNotification] as const;",
        '',
      ].join('\n'),
    );
    assert.deepEqual(messages, []);
  });

  it('refuses a workflow importing src/store', async () => {
    const messages = await problems(
      WORKFLOW_FILE,
      "import { eventsCollection } from '../src/store/events.js';\nexport const events = eventsCollection;\n",
    );
    assert.deepEqual(ruleIds(messages), ['import-x/no-restricted-paths']);
    assert.match(messages[0]!.message, /src\/store\/events\.js/);
  });

  it('refuses a workflow importing a package other than the workflow SDK, or an activity as a value', async () => {
    const messages = await problems(
      WORKFLOW_FILE,
      [
        "import { randomUUID } from 'node:crypto';",
        "import { createIdentityActivities } from '../activities/identity.js';",
        'export const parts = [randomUUID, createIdentityActivities] as const;',
        '',
      ].join('\n'),
    );
    assert.deepEqual(ruleIds(messages), [
      '@typescript-eslint/no-restricted-imports',
      '@typescript-eslint/no-restricted-imports',
    ]);
  });

  it('refuses an activity importing src/api, even for a type', async () => {
    const messages = await problems(
      ACTIVITY_FILE,
      [
        "import { API_V1 } from '../src/api/base-path.js';",
        "import type { AppOptions } from '../src/api/app.js';",
        'export const parts: [string, AppOptions | null] = [API_V1, null];',
        '',
      ].join('\n'),
    );
    assert.deepEqual(ruleIds(messages), ['import-x/no-restricted-paths', 'import-x/no-restricted-paths']);
  });

  it('refuses a two-file import cycle', async () => {
    const [result] = await eslint.lintFiles(['test/fixtures/lint/cycle-a.ts']);
    assert.deepEqual(ruleIds(result!.messages), ['import-x/no-cycle']);
  });

  it('leaves the deliberately wrong fixtures out of `npm run lint`', async () => {
    const asConfigured = new ESLint({ cwd: REPO });
    assert.equal(await asConfigured.isPathIgnored('test/fixtures/lint/cycle-a.ts'), true);
    assert.equal(await asConfigured.isPathIgnored('test/unit/lint-rules.test.ts'), false);
  });
});
