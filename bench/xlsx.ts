/**
 * xlsx reading benchmark: exceljs's streaming WorkbookReader (which `xlsxRows` in
 * src/registry/reader.ts used before) against our own streaming reader (src/registry/xlsx-reader.ts)
 * on the same file, each run once in this process, then every row compared. Prints ONE JSON line.
 *
 *   node --import tsx bench/xlsx.ts /tmp/city001/social-security-cards.xlsx
 */
import { statSync } from 'node:fs';
import { exceljsRows } from '../src/registry/xlsx-exceljs.ts';
import { readXlsxRows, type XlsxProgress } from '../src/registry/xlsx-reader.ts';

type Row = { row: number; values: (string | null)[] };

function viaOurs(file: string): AsyncGenerator<Row> {
  const progress: XlsxProgress = { bytesRead: 0, totalBytes: 0 };
  return readXlsxRows(file, progress);
}

/** Reads every row as an importer would (each value looked at, nothing kept); returns rows and ms. */
async function timed(rows: AsyncIterable<Row>): Promise<{ rows: number; ms: number }> {
  const t = performance.now();
  let n = 0;
  let chars = 0;
  for await (const r of rows) {
    n++;
    for (const v of r.values) if (v !== null) chars += v.length;
  }
  return { rows: n, ms: performance.now() - t + (chars < 0 ? 1 : 0) };
}

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? (process.argv[i + 1] ?? dflt) : dflt;
}

const file = process.argv[2];
if (!file || file.startsWith('--')) {
  process.stderr.write('usage: node --import tsx bench/xlsx.ts FILE.xlsx [--runs N]\n');
  process.exit(2);
}
const runs = Math.max(1, Number(arg('runs', '1')));
let ex = { rows: 0, ms: Number.POSITIVE_INFINITY };
let ours = { rows: 0, ms: Number.POSITIVE_INFINITY };
for (let i = 0; i < runs; i++) {
  const a = await timed(exceljsRows(file));
  if (a.ms < ex.ms) ex = a;
  const b = await timed(viaOurs(file));
  if (b.ms < ours.ms) ours = b;
}

// Every row compared, both readers in step.
const mismatches: { row: number; exceljs: (string | null)[] | null; ours: (string | null)[] | null }[] = [];
let nMismatch = 0;
let compared = 0;
const itA = exceljsRows(file)[Symbol.asyncIterator]();
const itB = viaOurs(file)[Symbol.asyncIterator]();
for (;;) {
  const a = await itA.next();
  const va = a.done ? null : a.value.values;
  const b = await itB.next();
  if (a.done && b.done) break;
  compared++;
  const same =
    !a.done &&
    !b.done &&
    a.value.row === b.value.row &&
    JSON.stringify(va) === JSON.stringify(b.value.values);
  if (same) continue;
  nMismatch++;
  if (mismatches.length < 3) {
    mismatches.push({
      row: a.done ? (b.done ? -1 : b.value.row) : a.value.row,
      exceljs: va,
      ours: b.done ? null : b.value.values,
    });
  }
  if (a.done || b.done) break;
}

const rate = (n: number, ms: number) => Math.round((n / ms) * 1000);
process.stdout.write(
  `${JSON.stringify({
    file,
    bytes: statSync(file).size,
    rows: ours.rows,
    runs,
    exceljs: { ms: Math.round(ex.ms), rowsPerSec: rate(ex.rows, ex.ms) },
    ours: { ms: Math.round(ours.ms), rowsPerSec: rate(ours.rows, ours.ms) },
    ratio: Number((rate(ours.rows, ours.ms) / rate(ex.rows, ex.ms)).toFixed(2)),
    same: nMismatch === 0,
    comparedRows: compared,
    mismatchedRows: nMismatch,
    ...(nMismatch ? { firstMismatches: mismatches } : {}),
  })}\n`,
);
if (nMismatch) process.exitCode = 1;
