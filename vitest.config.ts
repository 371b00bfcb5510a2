import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src-shared/**/*.test.ts', 'src-main/**/*.test.ts', 'src-edge/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    globalSetup: ['test/globalSetup.ts'],
    pool: 'forks',
    // Three workers on the 2-core CI machine (the default, cores - 1, ran the files one at a time):
    // many files wait on a server, a child process or the disk part of the time (measured: 1.5 of
    // 2 cores busy with two workers beside the e2e suite).
    maxWorkers: 3,
  },
});
