import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    // Fails any test in which Arbor's code opens a SQLite file with plain fs (the file rule).
    setupFiles: ['test/setup/fs-guard.ts'],
    // Fixture stores are real files; give slow disks and the 2-core CI room.
    testTimeout: 30_000,
    // Both cores: much of the suite waits on child processes (CLI runs, backends, killed writers),
    // so two files at a time cut the run by about a third on the 2-core CI.
    maxWorkers: 2,
    hookTimeout: 30_000,
  },
});
