import { defineConfig } from 'vitest/config';

// Browser tests: real server in process (fresh temp data dir), real Chromium (Debian's
// /usr/bin/chromium driven by playwright-core), one file at a time. The global setup builds
// web/dist first, which the server serves at `/`.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.test.ts'],
    globalSetup: ['test/e2e/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
  },
});
