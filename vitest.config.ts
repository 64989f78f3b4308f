import { defineConfig } from 'vitest/config';

/**
 * Test projects:
 * - unit: pure code next to its source (src/**\/*.test.ts)
 * - integration: HTTP through app.inject on a real database (SQLite by default,
 *   PostgreSQL when TEST_DATABASE_URL is a postgres:// URL)
 * - faults: spawned server processes on SQLite and PostgreSQL (kill -9, database outage,
 *   backup under write load, Redis-shared rate limits); PostgreSQL and Redis parts are
 *   skipped when those servers do not answer
 * - e2e: a real Chromium (Debian's /usr/bin/chromium) driven by playwright-core
 */
/** Every project reads ../shared (fixtures, the seed notice): missing, the run stops with one clear message. */
const globalSetup = ['test/support/require-shared.ts'];

export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['src/**/*.test.ts'], environment: 'node', globalSetup } },
      {
        test: {
          name: 'integration',
          globalSetup,
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        // real server processes (kill -9, database outages, backup under load): slower, serial
        test: {
          name: 'faults',
          globalSetup,
          include: ['test/faults/**/*.test.ts'],
          environment: 'node',
          testTimeout: 240_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'e2e',
          globalSetup,
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 240_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
