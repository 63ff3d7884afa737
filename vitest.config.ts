import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    // Fails any test in which Arbor's code opens a SQLite file with plain fs (the file rule).
    setupFiles: ['test/setup/fs-guard.ts'],
    // Fixture stores are real files; give slow disks and the 2-core CI room.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
