import { defineConfig } from 'vitest/config';

/**
 * Two projects: `unit` (pure logic, no servers) and `integration` (real servers on loopback, started
 * once per run by the global setup, or reused when already running). Integration files end in
 * `.int.test.ts`; end-to-end suites live under test/e2e and count as integration.
 */
export default defineConfig({
  test: {
    reporters: ['default', './test/setup/summary-reporter.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['**/*.test.ts'],
          exclude: ['**/node_modules/**', '**/*.int.test.ts', 'test/e2e/**'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['**/*.int.test.ts', 'test/e2e/**/*.test.ts'],
          exclude: ['**/node_modules/**'],
          globalSetup: ['test/setup/servers.ts'],
          testTimeout: 120_000,
          hookTimeout: 600_000,
          // Two cores and a dozen JVMs and Go servers: files run one at a time, tests inside a file in order.
          fileParallelism: false,
          pool: 'forks',
        },
      },
    ],
  },
});
