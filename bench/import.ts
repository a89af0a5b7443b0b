/**
 * Import benchmark: a synthetic city (default the full scale) imported into a PostgreSQL
 * server (DATABASE_URL or TEST_DATABASE_URL), validation and linkage included, against a raw
 * `COPY` of the same rows into unindexed text tables (the database's own limit), in one run.
 * Prints ONE JSON line. `--scale 0.01` runs it smaller; `--dir DIR` reuses generated feeds.
 *
 * It also times, alone and without the database, the part of the work this process cannot hand
 * to the database in any design: reading the rows, validating them, and the keyed blind index
 * of every ID number (the index key never leaves the application). From that and the COPY it
 * prints `bestCaseRatio`: the ratio an import would reach if both cores did nothing but that
 * minimum, in parallel, and the database's work cost nothing — an upper bound on this machine
 * for any import that validates and indexes in the application.
 * It then times the database's floor: the least the database must do in any design (the rows
 * COPY'd into staging, new persons added under a unique blind index, each record stored once
 * under its key and linked), and prints `combinedBoundRatio`, the best ratio the two cores can
 * give when every row costs both that application minimum and that database floor.
 * `--skip-import` measures only the COPY, that minimum and that floor.
 *
 *   npm run bench:import -- --scale 0.05
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getHeapStatistics } from 'node:v8';
import pg from 'pg';
import { importHeapMb, rerunWithHeapBound } from '../src/cli/heap-bound.ts';
import { openDb } from '../src/db/connection.ts';
import { migrate } from '../src/db/migrate.ts';
import { feedFilesInOrder, importFolder } from '../src/registry/demo.ts';
import type { FeedSpec } from '../src/registry/feeds.ts';
import { mapRecord } from '../src/registry/mapping.ts';
import type { ImportReport } from '../src/registry/pipeline.ts';
import { readRows } from '../src/registry/reader.ts';
import { validator } from '../src/registry/validate.ts';
import { createCipher } from '../src/security/crypto.ts';
import { SYSTEM } from '../src/server/context.ts';
import { seedReference } from '../src/server/seed/reference.ts';
import { writeCity } from '../src/synth/write-city.ts';

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? (process.argv[i + 1] ?? dflt) : dflt;
}

// With --dir, the scale is the one the folder was generated at (its summary.json).
const dirGiven = arg('dir', '');
const scale = dirGiven
  ? Number((JSON.parse(readFileSync(join(dirGiven, 'summary.json'), 'utf8')) as { scale: number }).scale)
  : Number(arg('scale', '1'));
const seed = Number(arg('seed', '1'));
const skipImport = process.argv.includes('--skip-import');
const admin = process.env.DATABASE_URL || process.env.TEST_DATABASE_URL;
if (!admin) {
  process.stderr.write('bench:import needs DATABASE_URL or TEST_DATABASE_URL (a PostgreSQL server)\n');
  process.exit(2);
}

// Under the same heap bound as `junheng import` (JUNHENG_IMPORT_HEAP_MB).
rerunWithHeapBound(importHeapMb());

let peakRss = process.memoryUsage().rss;
let importing = false;
let importPeakRss = 0; // the import's own peak, apart from generation and the COPY after it
const sampler = setInterval(() => {
  const rss = process.memoryUsage().rss;
  peakRss = Math.max(peakRss, rss);
  if (importing) importPeakRss = Math.max(importPeakRss, rss);
}, 200);

const log = (s: string) => process.stderr.write(`${s}\n`);

// 1. The city's feeds.
const given = dirGiven;
const dir = given || mkdtempSync(join(tmpdir(), 'junheng-bench-city-'));
let generateMs = 0;
if (!given) {
  const t = performance.now();
  log(`generating scale ${scale} into ${dir} …`);
  await writeCity({ seed, scale, outDir: dir });
  generateMs = Math.round(performance.now() - t);
}

// 2. A fresh database on the server.
const dbName = `junheng_bench_${process.pid}`;
const adminClient = new pg.Client({ connectionString: admin });
await adminClient.connect();
await adminClient.query(`drop database if exists ${dbName}`);
await adminClient.query(`create database ${dbName}`);
await adminClient.end();
const url = new URL(admin);
url.pathname = `/${dbName}`;
const db = await openDb({ databaseUrl: url.toString(), dataDir: dir, appRole: 'junheng_app' });
await migrate(db);
await seedReference(db.kysely);
const cipher = createCipher({
  dataKey: '00112233445566778899aabbccddeeff',
  indexKey: '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff',
  keyId: 'bench',
});

// 3. The whole import (validation, linkage, provenance, events, quality), in order.
let reports: ImportReport[] = [];
let importMs = 0;
if (!skipImport) {
  log('importing …');
  const t0 = performance.now();
  importing = true;
  // On a terminal, one updating line; otherwise (a long run logged to a file) a line a minute.
  let lastLine = 0;
  reports = await importFolder({ db, cipher, clock: () => new Date() }, SYSTEM, dir, (p) => {
    if (process.stderr.isTTY) process.stderr.write(`\r\x1b[K${p.message}`);
    else if (performance.now() - lastLine >= 60_000) {
      lastLine = performance.now();
      const rss = Math.round(process.memoryUsage().rss / 1048576);
      log(`${Math.round((lastLine - t0) / 1000)} s  ${p.message}  rss ${rss} MB`);
    }
  });
  importMs = performance.now() - t0;
  importing = false;
  importPeakRss = Math.max(importPeakRss, process.memoryUsage().rss);
  for (const r of reports)
    log(
      `${r.file}: ${r.rows} rows in ${Math.round(r.durationMs / 1000)} s (${Math.round(r.rows / (r.durationMs / 1000))} rows/s)`,
    );
}

/** A cell as CSV for COPY (quoted only when it must be; null as an empty field). */
const field = (v: string | null) =>
  v === null ? '' : /[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;

// 4. Raw COPY of the same rows (every feed's cells as text) into unindexed tables.
log('\nraw COPY …');
const csvDir = mkdtempSync(join(tmpdir(), 'junheng-bench-copy-'));
const copyFiles: Array<{ table: string; file: string; cols: number }> = [];
// The floor's staging files (4b below) are written in the same pass: the same cells, plus the
// blind index of the first ID-number cell (computed here, not timed).
const floorFiles: Array<{
  spec: FeedSpec;
  file: string;
  cols: number;
  key: number;
  at: number;
}> = [];
const byFeed = new Map<FeedSpec, string[]>();
for (const { spec, file } of await feedFilesInOrder(dir))
  byFeed.set(spec, [...(byFeed.get(spec) ?? []), file]);
const writeLine = async (out: ReturnType<typeof createWriteStream>, line: string) => {
  if (!out.write(line)) await new Promise<void>((res) => out.once('drain', () => res()));
};
for (const [spec, files] of byFeed) {
  const raw = join(csvDir, `${spec.id}.csv`);
  const stage = join(csvDir, `${spec.id}.stage.csv`);
  const rawOut = createWriteStream(raw);
  const stageOut = createWriteStream(stage);
  const idCell = spec.columns.findIndex((c) => c.type === 'id-number');
  for (const f of files) {
    for await (const r of readRows(spec, f, { bytesRead: 0, totalBytes: 0 })) {
      const cells = r.cells.map(field).join(',');
      const id = idCell >= 0 ? r.cells[idCell] : null;
      await writeLine(rawOut, `${cells}\n`);
      await writeLine(stageOut, `${cells},${id ? cipher.blindIndex(id) : ''}\n`);
    }
  }
  await Promise.all([rawOut, stageOut].map((o) => new Promise((res) => o.end(res))));
  copyFiles.push({ table: `raw_${spec.id.replaceAll('-', '_')}`, file: raw, cols: spec.columns.length });
  floorFiles.push({
    spec,
    file: stage,
    cols: spec.columns.length,
    key: spec.columns.findIndex((c) => c.key === spec.keys.recordId),
    at: spec.columns.findIndex((c) => c.key === spec.keys.updatedAt),
  });
}
const copyClient = new pg.Client({ connectionString: url.toString() });
await copyClient.connect();
for (const c of copyFiles) {
  const cols = Array.from({ length: c.cols }, (_, i) => `c${i} text`).join(', ');
  await copyClient.query(`create unlogged table if not exists ${c.table} (${cols})`);
}
await copyClient.end();
// psql's \copy streams the file through COPY … FROM STDIN (the client protocol), like an app;
// one psql session for every feed, so that no process start is counted.
const t1 = performance.now();
const copy = spawnSync(
  'psql',
  [
    url.toString(),
    '-q',
    '-v',
    'ON_ERROR_STOP=1',
    ...copyFiles.flatMap((c) => ['-c', `\\copy ${c.table} from '${c.file}' with (format csv)`]),
  ],
  { encoding: 'utf8' },
);
if (copy.status !== 0) throw new Error(`COPY failed: ${copy.stderr}`);
const copyMs = performance.now() - t1;

// 4b. The database's floor: the least any import design must have the database do, timed the
// same way as the raw COPY (one psql session, the rows as CSV). Per feed: COPY the rows with the
// blind index of their first ID-number cell (computed here beforehand, not timed) into a
// temporary staging table; add the persons not known yet (a unique index on the blind index);
// store each record once under its record id (a primary key, so that importing the same file
// again changes nothing), the newest version winning, linked to its person. No validation, no
// field merge, provenance, history or events: a lower bound of the database's work. And the
// raw COPY again into logged tables (the registry's tables are logged; the baseline's are not).
log('the database floor: COPY into staging, then set-based upserts …');
const floorClient = new pg.Client({ connectionString: url.toString() });
await floorClient.connect();
await floorClient.query('create table floor_person (id bigserial primary key, bidx text not null unique)');
for (const f of floorFiles) {
  const t = f.spec.id.replaceAll('-', '_');
  const cols = Array.from({ length: f.cols }, (_, i) => `c${i} text`).join(', ');
  await floorClient.query(`create table floor_${t} (${cols}, person_id bigint, primary key (c${f.key}))`);
  await floorClient.query(`create table logged_${t} (${cols})`);
}
await floorClient.end();
function psql(commands: string[]): number {
  const t = performance.now();
  const r = spawnSync(
    'psql',
    [url.toString(), '-q', '-v', 'ON_ERROR_STOP=1', ...commands.flatMap((c) => ['-c', c])],
    {
      encoding: 'utf8',
    },
  );
  if (r.status !== 0) throw new Error(`psql failed: ${r.stderr}`);
  return performance.now() - t;
}
// Sorts and hashes of a feed in memory (4 MB by default spills the staging sort to disk).
const floorMs = psql([
  "set work_mem = '256MB'",
  ...floorFiles.flatMap((f) => {
    const t = f.spec.id.replaceAll('-', '_');
    const cells = Array.from({ length: f.cols }, (_, i) => `c${i}`);
    const set = cells.filter((_, i) => i !== f.key).map((c) => `${c} = excluded.${c}`);
    return [
      `create temp table stage_${t} (${cells.map((c) => `${c} text`).join(', ')}, bidx text)`,
      `\\copy stage_${t} from '${f.file}' with (format csv)`,
      `insert into floor_person (bidx) select distinct bidx from stage_${t} where bidx is not null on conflict do nothing`,
      `insert into floor_${t} select distinct on (s.c${f.key}) ${cells.map((c) => `s.${c}`).join(', ')}, p.id
         from stage_${t} s left join floor_person p on p.bidx = s.bidx order by s.c${f.key}, s.c${f.at} desc nulls last
         on conflict (c${f.key}) do update set ${set.join(', ')}, person_id = excluded.person_id
         where floor_${t}.c${f.at} < excluded.c${f.at}`,
    ];
  }),
]);
const loggedCopyMs = psql(
  copyFiles.map((c) => `\\copy ${c.table.replace(/^raw_/, 'logged_')} from '${c.file}' with (format csv)`),
);

// 5. The application's own work per row, without the database (see the top), each stage a whole
// pass over every file in import order: reading; reading and the blind index of every ID-number
// cell (the minimum of any design: the index key never leaves this process); and, as this
// import does it, reading, validating, then indexing the valid rows' ID numbers.
type Stage = 'read' | 'index' | 'validate';
async function appPass(stage: Stage): Promise<{ rows: number; indexes: number; ms: number }> {
  const today = new Date().toISOString().slice(0, 10);
  let n = 0;
  let indexes = 0;
  const index = (idNumber: string | null | undefined) => {
    if (!idNumber) return;
    cipher.blindIndex(idNumber);
    indexes++;
  };
  const t = performance.now();
  for (const { spec, file } of await feedFilesInOrder(dir)) {
    const idCells = spec.columns.flatMap((c, i) => (c.type === 'id-number' ? [i] : []));
    const validate = validator(spec, today, null);
    for await (const raw of readRows(spec, file, { bytesRead: 0, totalBytes: 0 })) {
      n++;
      if (stage === 'index') for (const i of idCells) index(raw.cells[i]);
      if (stage !== 'validate') continue;
      const row = validate(raw);
      if (!row.ok) continue;
      const m = mapRecord(spec.id, row.values);
      for (const x of [m.subject.idNumber, m.partner?.idNumber, m.motherIdNumber, m.fatherIdNumber]) index(x);
    }
  }
  return { rows: n, indexes, ms: performance.now() - t };
}
log("the application's own work per row, without the database …");
const readPass = await appPass('read');
const indexPass = await appPass('index');
const validatePass = await appPass('validate');
const rows = skipImport ? readPass.rows : reports.reduce((s, r) => s + r.rows, 0);
const perSec = (pass: { rows: number; ms: number }) => Math.round(pass.rows / (pass.ms / 1000));

await db.close();
const cleanup = new pg.Client({ connectionString: admin });
await cleanup.connect();
await cleanup.query(`drop database if exists ${dbName} with (force)`);
await cleanup.end();
rmSync(csvDir, { recursive: true, force: true });
if (!given) rmSync(dir, { recursive: true, force: true });
clearInterval(sampler);

const importRowsPerSec = skipImport ? null : Math.round(rows / (importMs / 1000));
const copyRowsPerSec = Math.round(rows / (copyMs / 1000));
const minimumRowsPerSec = perSec(indexPass);
const floorRowsPerSec = Math.round(rows / (floorMs / 1000));
const ratio = (x: number) => Math.round(x * 1000) / 1000;
process.stdout.write(
  `${JSON.stringify({
    bench: 'import',
    scale,
    seed,
    database: 'postgresql-server',
    rows,
    generateMs,
    importMs: skipImport ? null : Math.round(importMs),
    importRowsPerSec,
    copyMs: Math.round(copyMs),
    copyRowsPerSec,
    ratioToCopy: importRowsPerSec === null ? null : ratio(importRowsPerSec / copyRowsPerSec),
    target: 0.4,
    // One core, no database: reading; reading + the blind index of every ID-number cell (the
    // minimum); reading + validating + indexing the valid rows (the core of this import's first steps,
    // without its record hash and phone indexes: a lower bound of their cost).
    appWork: {
      readRowsPerSec: perSec(readPass),
      minimumRowsPerSec,
      indexesPerRow: ratio(indexPass.indexes / indexPass.rows),
      validateRowsPerSec: perSec(validatePass),
      minimumRatioToCopy: ratio(minimumRowsPerSec / copyRowsPerSec),
    },
    // Both cores running that minimum in parallel, the database's own work taken as free.
    bestCaseRatio: ratio((2 * minimumRowsPerSec) / copyRowsPerSec),
    // The database's least work (4b above) on one core, and the same rows COPY'd into logged tables.
    databaseFloor: {
      rowsPerSec: floorRowsPerSec,
      ratioToCopy: ratio(floorRowsPerSec / copyRowsPerSec),
      loggedCopyRowsPerSec: Math.round(rows / (loggedCopyMs / 1000)),
    },
    // Two cores shared by the application's minimum and the database's floor, each row costing
    // both: 2 / (1/app + 1/db) in units of the raw COPY; an estimate of the best an import that
    // stages its rows can reach here (docs/registry.md says where it errs each way).
    combinedBoundRatio: ratio(2 / (copyRowsPerSec / minimumRowsPerSec + copyRowsPerSec / floorRowsPerSec)),
    peakRssMB: Math.round(peakRss / 1024 / 1024),
    importPeakRssMB: Math.round(importPeakRss / 1024 / 1024),
    heapLimitMB: Math.round(getHeapStatistics().heap_size_limit / 1024 / 1024),
    perFile: reports.map((r) => ({ file: r.file, rows: r.rows, ms: r.durationMs })),
    accepted: reports.reduce((s, r) => s + r.accepted, 0),
    rejected: reports.reduce((s, r) => s + r.rejected, 0),
    unchanged: reports.reduce((s, r) => s + r.unchanged, 0),
    queuedForReview: reports.reduce((s, r) => s + r.queuedForReview, 0),
  })}\n`,
);
