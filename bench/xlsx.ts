/**
 * xlsx reading benchmark: exceljs's streaming WorkbookReader (which `xlsxRows` in
 * src/registry/reader.ts used before) against our own streaming reader (src/registry/xlsx-reader.ts)
 * on the same file, each run once in this process, then every row compared. Prints ONE JSON line.
 *
 *   node --import tsx bench/xlsx.ts /tmp/city001/social-security-cards.xlsx
 */
import { createReadStream, statSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { readXlsxRows, type XlsxProgress } from '../src/registry/xlsx-reader.ts';

type Row = { row: number; values: (string | null)[] };

/** exceljs cell values as text, as the earlier exceljs-based `xlsxRows` turned them. */
function cellText(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v === '' ? null : v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    const o = v as { text?: unknown; result?: unknown; richText?: Array<{ text: string }> };
    if (o.richText) return o.richText.map((r) => r.text).join('');
    if (o.text !== undefined) return cellText(o.text);
    if (o.result !== undefined) return cellText(o.result);
  }
  return String(v);
}

/** As `patchUtf8Decoding` in src/registry/reader.ts: text decoded across inflated chunks. */
function patchUtf8Decoding(reader: unknown): void {
  const r = reader as {
    _parseWorksheet(it: AsyncIterable<unknown>, n: number): unknown;
    _parseSharedStrings(entry: { setEncoding?(e: string): void }): unknown;
  };
  const sheet = r._parseWorksheet.bind(r);
  r._parseWorksheet = (it, n) => sheet(decodeUtf8(it), n);
  const shared = r._parseSharedStrings.bind(r);
  r._parseSharedStrings = (entry) => {
    entry.setEncoding?.('utf8');
    return shared(entry);
  };
}

async function* decodeUtf8(it: AsyncIterable<unknown>): AsyncGenerator<string> {
  const d = new TextDecoder('utf-8');
  for await (const c of it) yield typeof c === 'string' ? c : d.decode(c as Uint8Array, { stream: true });
  const tail = d.decode();
  if (tail) yield tail;
}

/** Trailing nulls dropped; null for a row without a value (our reader leaves those out). */
function tidy(values: (string | null)[]): (string | null)[] | null {
  let n = values.length;
  while (n > 0 && values[n - 1] === null) n--;
  return n > 0 ? values.slice(0, n) : null;
}

/** The first worksheet's rows as exceljs reads them, values as `cellText` turns them into text. */
async function* viaExceljs(file: string): AsyncGenerator<Row> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(createReadStream(file, { highWaterMark: 1 << 16 }), {
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'ignore',
    worksheets: 'emit',
    entries: 'ignore',
  } as never);
  patchUtf8Decoding(reader);
  for await (const ws of reader as unknown as AsyncIterable<
    AsyncIterable<{ number: number; values: unknown[] }>
  >) {
    for await (const row of ws) {
      yield { row: row.number, values: Array.from((row.values ?? []).slice(1), cellText) };
    }
    break; // the first worksheet only
  }
}

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
  const a = await timed(viaExceljs(file));
  if (a.ms < ex.ms) ex = a;
  const b = await timed(viaOurs(file));
  if (b.ms < ours.ms) ours = b;
}

// Every row compared, both readers in step (rows without a value skipped on exceljs's side).
const mismatches: { row: number; exceljs: (string | null)[] | null; ours: (string | null)[] | null }[] = [];
let nMismatch = 0;
let compared = 0;
const itA = viaExceljs(file)[Symbol.asyncIterator]();
const itB = viaOurs(file)[Symbol.asyncIterator]();
for (;;) {
  let a = await itA.next();
  let va = a.done ? null : tidy(a.value.values);
  while (!a.done && va === null) {
    a = await itA.next();
    va = a.done ? null : tidy(a.value.values);
  }
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
