import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      '.tools/**',
      'dist/**',
      'models/**/*.py',
      'clients/typescript/src/schema.ts',
      'clients/typescript/dist/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      // ignoreRestSiblings: `const { secret, ...rest } = doc` is how a field is left out of a copy.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', ignoreRestSiblings: true }],
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
    // Workflow code is replayed: no Node built-ins and no I/O modules.
    files: ['workflows/**/*.ts', 'src/domain/**/*.ts'],
    rules: {
      // The typescript-eslint variant: core no-restricted-imports cannot tell type-only imports apart.
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          // Type-only imports vanish from the bundle, so workflows may name activity signatures (DESIGN.md).
          patterns: [
            {
              group: ['node:*', 'fs', 'path', 'crypto', 'mongodb', 'ioredis', '*/store/*', '*/api/*', '*/activities/*'],
              allowTypeImports: true,
            },
            {
              group: ['**/src/api', '**/src/api/**'],
              message: 'Workflows never depend on the HTTP layer (DESIGN.md import direction).',
            },
          ],
        },
      ],
    },
  },
  {
    // DESIGN.md: activities → store, ranking, nlp, domain. Rules both sides need live in src/domain (pure) or
    // src/store / src/temporal (I/O), never in src/api, types included: the worker must not depend on the HTTP layer.
    files: ['activities/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/src/api', '**/src/api/**'],
              message: 'Activities must not import the API layer; move the shared rule to src/domain or src/store.',
            },
          ],
        },
      ],
    },
  },
);
