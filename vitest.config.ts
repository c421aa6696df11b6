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
    // On with --coverage (scripts/test.sh). The gates are in scripts/coverage.mjs, which adds
    // the CLI tests' child processes to this report, so no thresholds here.
    coverage: {
      provider: 'v8',
      include: ['main/**/*.ts', 'shared/**/*.ts'],
      // Electron-only files run under the real Electron (test/electron/), never in Node. Vitest
      // matches these globs anywhere in the absolute path, so a checkout inside a folder named
      // main/ would take in test/ and renderer/ too: they are left out by name.
      exclude: [
        'main/index.ts',
        'main/window.ts',
        'main/ipc/register.ts',
        'main/preload/**',
        'test/**',
        'renderer/**',
      ],
      reporter: [['json', { file: 'coverage-final.json' }]],
      reportsDirectory: 'test-results/coverage-vitest',
      // A failing test must not hide the figures: the gate is judged separately.
      reportOnFailure: true,
    },
  },
});
