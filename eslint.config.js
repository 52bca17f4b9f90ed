import js from '@eslint/js';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

const ROOT = import.meta.dirname;

/** Code that runs inside the workflow sandbox: replayed from history, so deterministic and free of I/O. */
const SANDBOX_CODE = ['./workflows', './src/domain', './src/worker/workflow-interceptors.ts'];

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      '.tools/**',
      'dist/**',
      'models/**/*.py',
      'clients/typescript/src/schema.ts',
      'clients/typescript/dist/**',
      // Deliberately wrong imports; test/unit/lint-rules.test.ts lints them with ignores off.
      'test/fixtures/lint/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: ROOT } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      // ignoreRestSiblings: `const { secret, ...rest } = doc` is how a field is left out of a copy.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    // Import direction and cycles, checked on resolved files (`.js` specifiers resolve to the `.ts` sources).
    files: ['**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: `${ROOT}/tsconfig.json` })],
    },
    rules: {
      // A cycle makes load order decide what is initialised; type-only imports are erased and do not count.
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-restricted-paths': [
        'error',
        {
          basePath: ROOT,
          zones: [
            {
              target: SANDBOX_CODE,
              from: './src',
              except: ['./domain'],
              message: 'Workflow code is replayed in a sandbox: of src/ it may import only src/domain (pure rules).',
            },
            {
              target: SANDBOX_CODE,
              from: ['./bench', './scripts', './test', './models', './clients'],
              message: 'Workflow code imports only workflows/ and src/domain.',
            },
            {
              target: './src/domain',
              from: ['./workflows', './activities'],
              message: 'src/domain is the bottom layer: workflows and activities import it, not the other way.',
            },
            {
              target: ['./activities', './src/workflow-clients', './src/ingestion', './src/temporal', './src/worker'],
              from: './src/api',
              message: 'Only the API process loads the HTTP layer; move the shared rule to src/domain or src/store.',
            },
            {
              target: ['./src/workflow-clients', './src/ingestion', './src/temporal'],
              from: './activities',
              message: 'Activities call these services, not the other way round; the worker alone builds activities.',
            },
            {
              target: ['./workflows', './activities', './src/workflow-clients', './src/ingestion', './src/temporal'],
              from: './src/worker',
              message: 'src/worker is the worker process: it wires the rest together, nothing imports it back.',
            },
          ],
        },
      ],
    },
  },
  {
    // node:test's describe/it/test return promises the runner itself awaits; awaiting them by hand is wrong.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            { from: 'package', name: ['describe', 'it', 'test', 'suite'], package: 'node:test' },
          ],
        },
      ],
    },
  },
  {
    // Packages in the sandbox: only the workflow SDK. Files of the repository are checked by no-restricted-paths.
    files: SANDBOX_CODE.map((path) => (path.endsWith('.ts') ? path.slice(2) : `${path.slice(2)}/**/*.ts`)),
    rules: {
      // The typescript-eslint variant: core no-restricted-imports cannot tell type-only imports apart.
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?![./]|@temporalio/(?:workflow|common)$)',
              message: 'Workflow code may import only @temporalio/workflow and @temporalio/common among packages.',
            },
            {
              // Type-only imports are erased from the bundle: this is how a workflow gets its activities' signatures.
              regex: '(?:^|/)activities(?:/|$)',
              allowTypeImports: true,
              message: 'Workflows call activities through proxyActivities; import their types only (`import type`).',
            },
          ],
        },
      ],
    },
  },
);
