import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'test/unit/**/*.test.ts',
      'test/integration/**/*.test.ts',
      'test/security/**/*.test.ts',
    ],
    environment: 'node',
    setupFiles: ['test/support/network-guard-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Keep the order stable and the machine (2 cores) responsive.
    maxWorkers: 2,
  },
});
