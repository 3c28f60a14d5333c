import path from 'node:path';
import { defineConfig } from 'vitest/config';

// Two projects: every test on SQLite, and the suites that touch the database
// again on PostgreSQL (KEYHOLD_TEST_PG_URL: the throwaway cluster that
// scripts/test.mjs starts; without it the PostgreSQL project is left out).
const shared = {
  resolve: {
    alias: {
      '@': path.resolve(__dirname),
      // `server-only` throws outside React's server build; tests are server code.
      'server-only': path.resolve(__dirname, 'tests/support/server-only.ts'),
    },
  },
};
const common = {
  environment: 'node' as const,
  setupFiles: ['tests/support/setup-env.ts'],
  pool: 'forks' as const,
  testTimeout: 30_000,
  hookTimeout: 60_000,
};

/** The suites that read or write the database: they run on both providers. */
const DATABASE_SUITES = ['tests/**/*.integration.test.ts', 'tests/in-process-api.test.ts', 'tests/api-openapi.test.ts'];

export default defineConfig({
  ...shared,
  test: {
    projects: [
      {
        ...shared,
        test: {
          ...common,
          name: 'sqlite',
          include: ['tests/**/*.test.ts', 'lib/**/*.test.ts', 'cli/**/*.test.ts'],
          env: { KEYHOLD_TEST_PROVIDER: 'sqlite' },
        },
      },
      ...(process.env.KEYHOLD_TEST_PG_URL
        ? [{ ...shared, test: { ...common, name: 'postgresql', include: DATABASE_SUITES, env: { KEYHOLD_TEST_PROVIDER: 'postgresql' } } }]
        : []),
    ],
  },
});
