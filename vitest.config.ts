import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 180_000,
    hookTimeout: 300_000,
    // Each file starts real engines; two at a time matches the 2-core machines this runs on.
    maxWorkers: 2,
    minWorkers: 1,
  },
});
