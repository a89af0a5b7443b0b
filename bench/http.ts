/**
 * `npm run bench:http`: one family through HTTP under load. Starts the real server (embedded
 * database, in memory) on loopback in a child process, drives `POST /api/v1/entitlements` with autocannon, and
 * measures in the same run the engine alone (the floor) and `GET /api/health` (the framework's
 * own cost). Prints one JSON line. Target: p99 under 5 ms.
 */

import { spawn } from 'node:child_process';
import autocannon from 'autocannon';
import contractFamily from '../policy/examples/contract-family.json' with { type: 'json' };
import { computeEntitlements } from '../src/rules/index.ts';
import { loadParameters } from '../src/rules/load.ts';

// The contract's example family (shared/specs/entitlements.md), as of mid-2025.
const family = { ...contractFamily, asOf: '2025-06-30' };

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
// A sweep of load levels (concurrent connections), each for `seconds`.
const sweep = (process.env.BENCH_CONNECTIONS ?? '1,4,8').split(',').map(Number);

// The engine alone.
const params = loadParameters();
const n = 20_000;
const t = performance.now();
for (let i = 0; i < n; i++) computeEntitlements(family, params);
const engineUsPerFamily = ((performance.now() - t) * 1000) / n;

// The server runs in a child process; autocannon (which parses every 43-kB answer) runs here.
const child = spawn(process.execPath, ['--import', 'tsx', 'bench/http-server.ts'], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
const url = await new Promise<string>((resolve, reject) => {
  child.stdout.once('data', (d: Buffer) => resolve(String(d).trim()));
  child.once('exit', (code) => reject(new Error(`server exited ${code}`)));
});

async function run(opts: autocannon.Options, connections: number) {
  const r = await autocannon({ ...opts, connections, duration: seconds });
  return {
    connections,
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

const entitlements = [];
const health = [];
for (const c of sweep) {
  entitlements.push(
    await run(
      {
        url: `${url}/api/v1/entitlements`,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(family),
      },
      c,
    ),
  );
  health.push(await run({ url: `${url}/api/health` }, c));
}
child.kill('SIGTERM');

console.log(
  JSON.stringify({
    benchmark: 'http',
    seconds,
    engineUsPerFamily: Math.round(engineUsPerFamily * 10) / 10,
    entitlements,
    health,
    targetP99Ms: 5,
    meetsTarget: entitlements.every((e) => e.p99Ms < 5 && e.errors === 0 && e.non2xx === 0),
  }),
);
