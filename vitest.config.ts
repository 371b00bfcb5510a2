import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src-shared/**/*.test.ts', 'src-main/**/*.test.ts', 'src-edge/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    globalSetup: ['test/globalSetup.ts'],
    pool: 'forks',
    // Two workers on the 2-core CI machine: the default (cores - 1) ran the files one at a time;
    // three beside the e2e suite were slower (11m28 against 10m58) and timed a test out.
    maxWorkers: 2,
  },
});
