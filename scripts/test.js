#!/usr/bin/env node
/**
 * `npm test`: every test, in three passes, then one closing line `N passed, N failed`.
 *  1. unit and integration tests on the embedded database (PGlite);
 *  2. the database-touching suites again on a PostgreSQL server, when TEST_DATABASE_URL is set;
 *  3. browser tests in Debian's Chromium (/usr/bin/chromium), after building the web app.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';

const SERVER_SUITES = ['src/server', 'src/registry', 'src/jobs'].filter((d) => existsSync(d));
mkdirSync('test-results', { recursive: true });

const totals = { passed: 0, failed: 0, skipped: 0 };
const lines = [];

function vitest(label, args, env) {
  const out = `test-results/${label}.json`;
  const r = spawnSync(
    'npx',
    ['vitest', 'run', ...args, '--reporter=default', '--reporter=json', `--outputFile.json=${out}`],
    {
      stdio: 'inherit',
      env: { ...process.env, ...env },
    },
  );
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  if (existsSync(out)) {
    const j = JSON.parse(readFileSync(out, 'utf8'));
    passed = j.numPassedTests;
    // A file that fails outside any test (an import error, a hook) counts once.
    failed = j.numFailedTests || j.numFailedTestSuites || 0;
    skipped = j.numPendingTests + j.numTodoTests;
  }
  // A crashed run (no report, or a non-zero exit without failures counted) is one failure.
  if (r.status !== 0 && failed === 0) failed = 1;
  totals.passed += passed;
  totals.failed += failed;
  totals.skipped += skipped;
  lines.push(`${label}: ${passed} passed, ${failed} failed, ${skipped} skipped`);
}

const embeddedEnv = { TEST_DATABASE_URL: '', NODE_ENV: 'test' };
vitest('embedded', [], embeddedEnv);

if (process.env.TEST_DATABASE_URL) {
  vitest('server', SERVER_SUITES, { NODE_ENV: 'test' });
} else {
  lines.push('server: skipped (TEST_DATABASE_URL not set)');
}

if (existsSync('/usr/bin/chromium') && existsSync('vitest.e2e.config.ts')) {
  const build = spawnSync('npx', ['vite', 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], {
    stdio: 'inherit',
  });
  if (build.status !== 0) {
    totals.failed += 1;
    lines.push('browser: web build failed');
  } else {
    vitest('browser', ['--config', 'vitest.e2e.config.ts'], embeddedEnv);
  }
} else {
  lines.push('browser: skipped (no /usr/bin/chromium)');
}

for (const l of lines) console.log(l);
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed ? 1 : 0);
