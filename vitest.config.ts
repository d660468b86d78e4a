import { defineConfig } from 'vitest/config';

// Tests live next to the code: *.unit.spec.ts (pure), *.int.spec.ts (real stores/buses), *.e2e.spec.ts (real processes).
export default defineConfig({
  test: {
    pool: 'forks',
    // Validates every answer tests see against the OpenAPI documents (a drift fails the test).
    setupFiles: ['./scripts/vitest.setup.ts'],
    reporters: ['default', './scripts/summaryReporter.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['**/src/**/*.unit.spec.ts', 'scripts/**/*.unit.spec.ts', 'bench/**/*.unit.spec.ts'],
        },
      },
      { extends: true, test: { name: 'int', include: ['**/src/**/*.int.spec.ts'], fileParallelism: true } },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['**/src/**/*.e2e.spec.ts', 'scripts/**/*.e2e.spec.ts'],
          fileParallelism: false,
          testTimeout: 120_000,
        },
      },
    ],
    exclude: ['**/node_modules/**'],
  },
});
