import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    // Fixture stores are real files; give slow disks and the 2-core CI room.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
