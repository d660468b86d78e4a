import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      'data/**',
      'bench/results/**',
      '**/*.generated.ts',
      '**/generated/**',
      'services/console/dist/**',
      'services/console/.tmp/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    // The console's page runs in the browser.
    files: ['services/console/web/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // The domain stays pure: no adapters, no web framework.
    files: ['services/*/src/domain/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^@estia/infra/(?!decider/|errors/)',
              message: 'The domain stays pure: only decider types and typed errors from infra.',
            },
            { regex: '^(fastify|pg|better-sqlite3|kafkajs|@kurrent/.*)$', message: 'No adapters in the domain.' },
          ],
        },
      ],
    },
  },
);
