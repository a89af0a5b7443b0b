import { defineConfig } from 'vitest/config';

// Unit and integration tests sit beside the code (`foo.test.ts`). Browser tests live in
// test/e2e and run through `vitest.e2e.config.ts` (one worker, real Chromium).
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'scripts/**/*.test.ts', 'test/unit/**/*.test.ts'],
    exclude: ['node_modules', 'test/e2e/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
