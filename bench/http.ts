/**
 * `npm run bench:http`: one family through HTTP under load. Starts the real server (embedded
 * database, in memory) on loopback, drives `POST /api/v1/entitlements` with autocannon, and
 * measures in the same run the engine alone (the floor) and `GET /api/health` (the framework's
 * own cost). Prints one JSON line. Target: p99 under 5 ms.
 */
import autocannon from 'autocannon';
import contractFamily from '../policy/examples/contract-family.json' with { type: 'json' };
import { computeEntitlements } from '../src/rules/index.ts';
import { loadParameters } from '../src/rules/load.ts';
import { createLogger } from '../src/server/logger.ts';
import { startServer } from '../src/server/start.ts';

// The contract's example family (shared/specs/entitlements.md), as of mid-2025.
const family = { ...contractFamily, asOf: '2025-06-30' };

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 8);

// The engine alone.
const params = loadParameters();
const n = 20_000;
let t = performance.now();
for (let i = 0; i < n; i++) computeEntitlements(family, params);
const engineUsPerFamily = ((performance.now() - t) * 1000) / n;

const server = await startServer({
  port: 0,
  host: '127.0.0.1',
  memory: true,
  seed: false,
  env: 'test',
  publicRateLimit: 10_000_000,
  logger: createLogger('warn'),
  dataDir: `/tmp/junheng-bench-http-${process.pid}`,
});

async function run(opts: autocannon.Options) {
  const r = await autocannon({ ...opts, connections, duration: seconds });
  return {
    requests: r.requests.total,
    rps: Math.round(r.requests.average),
    p50Ms: r.latency.p50,
    p90Ms: r.latency.p90,
    p99Ms: r.latency.p99,
    maxMs: r.latency.max,
    errors: r.errors,
    non2xx: r.non2xx,
  };
}

t = performance.now();
const entitlements = await run({
  url: `${server.url}/api/v1/entitlements`,
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(family),
});
const health = await run({ url: `${server.url}/api/health` });
await server.close();

console.log(
  JSON.stringify({
    benchmark: 'http',
    connections,
    seconds,
    engineUsPerFamily: Math.round(engineUsPerFamily * 10) / 10,
    entitlements,
    health,
    targetP99Ms: 5,
    meetsTarget: entitlements.p99Ms < 5 && entitlements.errors === 0 && entitlements.non2xx === 0,
  }),
);
