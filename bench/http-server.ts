/**
 * The server for `bench/http.ts`, in its own process so the load generator does not share its CPU
 * time. Besides the real routes it serves one control route, `POST /bench/precomputed`: the same
 * hooks, rate limit and answer bytes as the calculator (the contract family's answer, computed
 * once here), with no computing per request. Its latency is the floor the calculator can reach
 * on this machine at a given load.
 */
import { rmSync } from 'node:fs';
import contractFamily from '../policy/examples/contract-family.json' with { type: 'json' };
import { computeEntitlements } from '../src/rules/index.ts';
import { loadParameters } from '../src/rules/load.ts';
import { createLogger } from '../src/server/logger.ts';
import { entitlementsJson } from '../src/server/modules/entitlements/json.ts';
import { calculatorRouteOptions, textBodyScope } from '../src/server/modules/entitlements/routes.ts';
import { startServer } from '../src/server/start.ts';

const publicRateLimit = 10_000_000;
const answer = computeEntitlements({ ...contractFamily, asOf: '2025-06-30' }, loadParameters());
if (!answer.ok) throw new Error('the contract family is invalid');
const precomputed = entitlementsJson(answer.value);

// Only the generated keys land here (the database is in memory); removed again on exit.
const dataDir = `/tmp/junheng-bench-http-${process.pid}`;
const server = await startServer({
  port: 0,
  host: '127.0.0.1',
  memory: true,
  seed: false,
  env: 'test',
  publicRateLimit,
  logger: createLogger('warn'),
  dataDir,
  // The same body handling, access, rate limit and logging as the calculator, minus the work.
  beforeListen: (app) =>
    textBodyScope(app, (scope) => {
      scope.post('/bench/precomputed', calculatorRouteOptions(publicRateLimit), async (_req, reply) =>
        reply.type('application/json; charset=utf-8').send(precomputed),
      );
    }),
});
process.stdout.write(`${server.url}\n`);
process.once('SIGTERM', () => {
  server.close().finally(() => {
    rmSync(dataDir, { recursive: true, force: true });
    process.exit(0);
  });
});
