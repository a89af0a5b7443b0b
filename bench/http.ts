/**
 * `npm run bench:http`: one family through HTTP under load. Starts the real server (embedded
 * database, in memory) on loopback in a child process, drives `POST /api/v1/entitlements` with
 * autocannon, and measures in the same run the engine alone, `GET /api/health` (the framework's
 * own cost, with one database round trip) and a control route that sends the contract family's
 * answer, precomputed, through the same hooks (the floor at each load). Two inputs: the
 * contract's example family, and a pool of 500 varied families (deterministic) rotated request
 * by request, so that the figure is not one input repeated. Prints one JSON line with the
 * server's and the load generator's CPU time per request. Target: p99 under 5 ms.
 *
 * Environment: BENCH_CONNECTIONS (a sweep, default 1,4,10), BENCH_SECONDS (per level, default 10),
 * BENCH_SERVER_NODE_ARGS (node flags for the server process, e.g. `--cpu-prof`), BENCH_ROUTES
 * (entitlements, entitlementsPool, precomputed, health: a comma-separated subset, default all).
 */

import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import contractFamily from '../policy/examples/contract-family.json' with { type: 'json' };
import { daysFromCivil, isoFromDays } from '../src/rules/dates.ts';
import { computeEntitlements, validateEntitlementInput } from '../src/rules/index.ts';
import { loadParameters } from '../src/rules/load.ts';

// The contract's example family (shared/specs/entitlements.md), as of mid-2025.
const family = { ...contractFamily, asOf: '2025-06-30' };

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
// A sweep of load levels (concurrent connections), each for `seconds`.
const sweep = (process.env.BENCH_CONNECTIONS ?? '1,4,10').split(',').map(Number);

/** mulberry32: a small seeded generator, so that the pool is the same on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Varied valid families: dates of asOf from 2023 to 2026, none to four children born up to
 * 16 years before asOf (a few still to be born), twins, adoptions, difficult births, hukou in
 * Kunming's counties, elsewhere in Yunnan or outside it, parents and housing facts mixed.
 */
function familyPool(n: number, seed: number): unknown[] {
  const rnd = random(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const chance = (p: number) => rnd() < p;
  const kunming = ['530102', '530103', '530111', '530112', '530113', '530114', '530181', '530124'];
  const elsewhere = ['530402', '532901', '110105', '510104'];
  const pool: unknown[] = [];
  const first = daysFromCivil(2023, 1, 1);
  const last = daysFromCivil(2026, 12, 31);
  while (pool.length < n) {
    const asOfDay = first + Math.floor(rnd() * (last - first + 1));
    const hukouArea = chance(0.85) ? pick(kunming) : pick(elsewhere);
    const children: Array<Record<string, unknown>> = [];
    const count = pick([0, 1, 1, 2, 2, 2, 3, 3, 4]);
    for (let i = 0; i < count; i++) {
      const twin = i > 0 && chance(0.08);
      const birthDate = twin
        ? children[i - 1].birthDate
        : isoFromDays(asOfDay - Math.floor(rnd() * 16 * 365) + (chance(0.05) ? 200 : 0));
      const child: Record<string, unknown> = { birthDate };
      if (chance(0.9)) child.hukouArea = chance(0.9) ? hukouArea : pick([...kunming, ...elsewhere]);
      if (chance(0.1)) child.difficultBirth = true;
      if (chance(0.05)) child.adopted = true;
      children.push(child);
    }
    const parent = (role: string, born: number) => ({
      role,
      birthDate: isoFromDays(asOfDay - (born + Math.floor(rnd() * 12)) * 365),
      employed: chance(0.75),
      onlyChild: chance(0.4),
      elderlyParentHospitalized: chance(0.15),
    });
    const parents = [];
    if (chance(0.95)) parents.push(parent('mother', 24));
    if (chance(0.9)) parents.push(parent('father', 26));
    const f: Record<string, unknown> = { hukouArea, parents, children };
    if (chance(0.8)) {
      f.housing = {
        ownsHome: chance(0.5),
        rents: chance(0.4),
        contributesToHousingFund: chance(0.6),
        buyingFirstHome: chance(0.2),
      };
    }
    if (chance(0.03)) f.specialFamily = true;
    const input = { asOf: isoFromDays(asOfDay), family: f };
    const v = validateEntitlementInput(input);
    if (!v.ok) throw new Error(`bench family is invalid: ${JSON.stringify(v.issues)}`);
    pool.push(input);
  }
  return pool;
}

const pool = familyPool(500, 20250630);
const poolBodies = pool.map((f) => JSON.stringify(f));

// The engine alone, for the contract family and across the pool.
const params = loadParameters();
function engineUs(inputs: unknown[], n: number): number {
  for (let i = 0; i < 2000; i++) computeEntitlements(inputs[i % inputs.length], params);
  const t = performance.now();
  for (let i = 0; i < n; i++) computeEntitlements(inputs[i % inputs.length], params);
  return Math.round(((performance.now() - t) * 10_000) / n) / 10;
}
const engineUsPerFamily = engineUs([family], 20_000);
const engineUsPerFamilyPool = engineUs(pool, 20_000);
const answerBytes = (f: unknown) => {
  const r = computeEntitlements(f, params);
  if (!r.ok) throw new Error('bench family is invalid');
  return Buffer.byteLength(JSON.stringify(r.value));
};
const contractAnswerBytes = answerBytes(family);
const poolMeanAnswerBytes = Math.round(pool.reduce((s: number, f) => s + answerBytes(f), 0) / pool.length);

// The server runs in a child process; autocannon (which parses every answer) runs here.
// BENCH_SERVER_NODE_ARGS: extra node flags for the server process, e.g. `--cpu-prof` to profile it.
const serverArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
const child = spawn(process.execPath, [...serverArgs, '--import', 'tsx', 'bench/http-server.ts'], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
// The server's first line starting with http:// is its address; anything else it prints (node
// flags such as --trace-gc write to stdout) goes on to stderr.
const url = await new Promise<string>((resolve, reject) => {
  let found = false;
  let rest = '';
  child.stdout.on('data', (d: Buffer) => {
    rest += String(d);
    const lines = rest.split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) {
      if (!found && line.startsWith('http://')) {
        found = true;
        resolve(line.trim());
      } else process.stderr.write(`${line}\n`);
    }
  });
  child.once('exit', (code) => reject(new Error(`server exited ${code}`)));
});

/** autocannon's options, with the request sequence its bundled types here leave out. */
type RawRequest = { body?: string };
type Options = autocannon.Options & {
  requests?: Array<{ setupRequest: (req: RawRequest) => RawRequest }>;
};

/** The server process's CPU time (user + system) so far, in microseconds (Linux /proc). */
const ticksUs = 1_000_000 / 100; // USER_HZ
function serverCpuUs(): number {
  const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) * ticksUs; // utime, stime (fields 14, 15)
}

async function run(opts: Options, connections: number) {
  const cpu0 = serverCpuUs();
  const own0 = process.cpuUsage();
  const r = await autocannon({ ...opts, connections, duration: seconds } as autocannon.Options);
  const cpu = serverCpuUs() - cpu0;
  const own = process.cpuUsage(own0);
  return {
    connections,
    // Server CPU per request: less sensitive to what else the machine runs than rps and p99.
    serverCpuUsPerRequest: Math.round(cpu / Math.max(1, r.requests.total)),
    // The load generator's own CPU per request (this process): it shares the machine's cores.
    loadCpuUsPerRequest: Math.round((own.user + own.system) / Math.max(1, r.requests.total)),
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

const post = {
  url: `${url}/api/v1/entitlements`,
  method: 'POST',
  headers: { 'content-type': 'application/json' },
};
// The pool is rotated request by request, across all connections.
let next = 0;
const rotated = {
  ...post,
  requests: [
    {
      setupRequest: (req: RawRequest) => {
        req.body = poolBodies[next];
        next = (next + 1) % poolBodies.length;
        return req;
      },
    },
  ],
};

const entitlements = [];
const entitlementsPool = [];
const precomputed = [];
const health = [];
// BENCH_ROUTES: which of the four to run (default all), e.g. `entitlements` to profile one alone.
const routes = new Set(
  (process.env.BENCH_ROUTES ?? 'entitlements,entitlementsPool,precomputed,health').split(','),
);
for (const c of sweep) {
  if (routes.has('entitlements')) entitlements.push(await run({ ...post, body: JSON.stringify(family) }, c));
  if (routes.has('entitlementsPool')) entitlementsPool.push(await run(rotated, c));
  if (routes.has('precomputed'))
    precomputed.push(
      await run({ ...post, url: `${url}/bench/precomputed`, body: JSON.stringify(family) }, c),
    );
  if (routes.has('health')) health.push(await run({ url: `${url}/api/health` }, c));
}
child.kill('SIGTERM');

const ok = (e: { p99Ms: number; errors: number; non2xx: number }) =>
  e.p99Ms < 5 && e.errors === 0 && e.non2xx === 0;
console.log(
  JSON.stringify({
    benchmark: 'http',
    seconds,
    engineUsPerFamily,
    engineUsPerFamilyPool,
    poolFamilies: pool.length,
    contractAnswerBytes,
    poolMeanAnswerBytes,
    entitlements,
    entitlementsPool,
    // The control: the calculator's answer bytes through the same server with no computing.
    precomputed,
    health,
    targetP99Ms: 5,
    meetsTarget: entitlements.every(ok) && entitlementsPool.every(ok),
  }),
);
