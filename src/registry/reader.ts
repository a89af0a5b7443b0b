/**
 * Streaming readers of department files (CSV in GBK or UTF-8, JSON lines, xlsx). They check
 * the file as a whole — encoding, header row against the feed's spec, truncation — and hand
 * out rows in batches, so memory stays flat whatever the file size. A file that cannot be read
 * as a whole throws `ImportRefused`; a single bad row is handed out with a row-level problem.
 */
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { FeedSpec } from '../synth/feeds/specs.ts';

export type RefusalCode = 'import.columns' | 'import.truncated' | 'import.encoding' | 'import.unreadable';

/** The whole file is refused: nothing of it is committed. */
export class ImportRefused extends Error {
  constructor(
    readonly code: RefusalCode,
    readonly params: Record<string, string | number> = {},
  ) {
    super(`${code}${Object.keys(params).length ? ` ${JSON.stringify(params)}` : ''}`);
  }
}

/** One data row: its line (header = line 1) and its cells in the spec's column order. */
export type RawRow = {
  line: number;
  cells: (string | null)[];
  problem?: 'row.field_count' | 'row.malformed';
};

export type ReadProgress = { bytesRead: number; totalBytes: number };

/** Compares a header row with the spec; throws `import.columns` naming what is wrong. */
export function checkHeader(spec: FeedSpec, found: string[], keys = false): void {
  const expected = spec.columns.map((c) => (keys ? c.key : c.header));
  const got = found.map((h) => h.trim());
  if (got.length === expected.length && got.every((h, i) => h === expected[i])) return;
  const missing = expected.filter((h) => !got.includes(h));
  const unexpected = got.filter((h) => h !== '' && !expected.includes(h));
  throw new ImportRefused('import.columns', {
    missing: missing.join('、') || '—',
    unexpected: unexpected.join('、') || '—',
    order: missing.length === 0 && unexpected.length === 0 ? 'wrong order' : '',
  });
}

function countingStream(file: string, progress: ReadProgress): Readable {
  const s = createReadStream(file, { highWaterMark: 1 << 16 });
  s.on('data', (b) => {
    progress.bytesRead += (b as Buffer).length;
  });
  return s;
}

/** Decodes chunks per the spec's encoding; refuses bytes that are not that encoding. */
function decoderFor(spec: FeedSpec): { write(b: Buffer): string; end(): string } {
  // Node's own decoders (ICU): GBK as the WHATWG "gbk" label (GB 18030 decoding), fatal on
  // bytes that are not in the encoding.
  const gbk = spec.encoding === 'gbk';
  const d = new TextDecoder(gbk ? 'gbk' : 'utf-8', { fatal: true });
  const wrap = (f: () => string) => {
    try {
      return f();
    } catch {
      throw new ImportRefused('import.encoding', { expected: gbk ? 'GBK' : 'UTF-8' });
    }
  };
  return {
    write: (b) => wrap(() => d.decode(b, { stream: true })),
    end: () => wrap(() => d.decode()),
  };
}

/** true when a GBK-declared file's header is in fact UTF-8 (the usual mistake). */
function looksUtf8(bytes: Buffer): boolean {
  try {
    const s = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return [...s].some((ch) => ch.charCodeAt(0) > 0x7f);
  } catch {
    return false;
  }
}

async function* csvRows(spec: FeedSpec, file: string, progress: ReadProgress): AsyncGenerator<RawRow> {
  const dec = decoderFor(spec);
  const n = spec.columns.length;
  let fields: string[] = [];
  let field = '';
  let inQuotes = false;
  let quotedField = false;
  let afterQuote = false;
  let line = 1;
  let rowLine = 1;
  let header: string[] | null = null;
  let first = true;
  let pendingCr = false;
  let rowHasContent = false;
  const headerCheck = (cells: string[], raw: Buffer | null) => {
    try {
      checkHeader(spec, cells);
    } catch (e) {
      if (spec.encoding === 'gbk' && raw && looksUtf8(raw)) {
        throw new ImportRefused('import.encoding', { expected: 'GBK' });
      }
      throw e;
    }
  };
  let headBytes: Buffer | null = null;
  const finishRow = (): RawRow | null => {
    fields.push(field);
    const cells = fields;
    fields = [];
    field = '';
    quotedField = false;
    afterQuote = false;
    const start = rowLine;
    rowHasContent = false;
    if (header === null) {
      header = cells;
      headerCheck(cells, headBytes);
      return null;
    }
    if (cells.length === 1 && cells[0] === '') return null; // blank line
    if (cells.length !== n) return { line: start, cells: cells.slice(0, n), problem: 'row.field_count' };
    return { line: start, cells: cells.map((c) => (c === '' ? null : c)) };
  };
  for await (const chunk of countingStream(file, progress)) {
    const buf = chunk as Buffer;
    if (headBytes === null) headBytes = buf.subarray(0, Math.min(buf.length, 4096));
    let text = dec.write(buf);
    if (first) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    const out: RawRow[] = [];
    for (let i = 0; i < text.length; i++) {
      // The usual row, whole in this chunk and without quotes: split it at once.
      if (!pendingCr && !inQuotes && !afterQuote && !quotedField && field === '' && fields.length === 0) {
        const nl = text.indexOf('\n', i);
        if (nl >= 0) {
          const end = nl > i && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
          const seg = text.slice(i, end);
          if (seg.indexOf('"') < 0 && seg.indexOf('\r') < 0) {
            fields = seg.split(',');
            field = fields.pop() ?? '';
            const r = finishRow();
            line++;
            rowLine = line;
            if (r) out.push(r);
            i = nl;
            continue;
          }
        }
      }
      const ch = text[i];
      if (pendingCr) {
        pendingCr = false;
        if (ch === '\n') continue;
      }
      if (inQuotes) {
        if (ch === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i++;
          } else if (i + 1 === text.length) {
            // A quote at the chunk's end: decide with the next chunk.
            inQuotes = false;
            afterQuote = true;
          } else {
            inQuotes = false;
            afterQuote = true;
          }
        } else {
          if (ch === '\n') line++;
          field += ch;
        }
        continue;
      }
      if (afterQuote && ch === '"') {
        // An escaped quote split across chunks.
        field += '"';
        inQuotes = true;
        afterQuote = false;
        continue;
      }
      afterQuote = false;
      if (ch === ',') {
        fields.push(field);
        field = '';
        quotedField = false;
        rowHasContent = true;
      } else if (ch === '\r' || ch === '\n') {
        if (ch === '\r') pendingCr = true;
        const r = finishRow();
        line++;
        rowLine = line;
        if (r) out.push(r);
      } else if (ch === '"' && field === '' && !quotedField) {
        inQuotes = true;
        quotedField = true;
        rowHasContent = true;
      } else {
        field += ch;
        rowHasContent = true;
      }
    }
    for (const r of out) yield r;
  }
  const tail = dec.end();
  if (tail) field += tail;
  if (inQuotes) throw new ImportRefused('import.truncated', { line: rowLine });
  if (rowHasContent || field !== '' || fields.length > 0) {
    // The last row has no line end: the file was cut off.
    throw new ImportRefused('import.truncated', { line: rowLine });
  }
  if (header === null)
    throw new ImportRefused('import.columns', {
      missing: spec.columns.map((c) => c.header).join('、'),
      unexpected: '—',
      order: '',
    });
}

async function* jsonlRows(spec: FeedSpec, file: string, progress: ReadProgress): AsyncGenerator<RawRow> {
  const dec = decoderFor(spec);
  const keys = spec.columns.map((c) => c.key);
  let rest = '';
  let line = 0;
  let checked = false;
  const parse = (text: string, isLast: boolean): RawRow | null => {
    line++;
    const t = text.trim();
    if (t === '') return null;
    let o: unknown;
    try {
      o = JSON.parse(t);
    } catch {
      if (isLast) throw new ImportRefused('import.truncated', { line });
      if (!checked) throw new ImportRefused('import.unreadable', { line });
      return { line, cells: keys.map(() => null), problem: 'row.malformed' };
    }
    if (o === null || typeof o !== 'object' || Array.isArray(o)) {
      if (!checked) throw new ImportRefused('import.unreadable', { line });
      return { line, cells: keys.map(() => null), problem: 'row.malformed' };
    }
    const rec = o as Record<string, unknown>;
    if (!checked) {
      checkHeader(spec, Object.keys(rec), true);
      checked = true;
    }
    const cells = keys.map((k) => {
      const v = rec[k];
      return v === null || v === undefined || v === ''
        ? null
        : typeof v === 'object'
          ? JSON.stringify(v)
          : String(v);
    });
    const extra = Object.keys(rec).some((k) => !keys.includes(k));
    return extra ? { line, cells, problem: 'row.malformed' } : { line, cells };
  };
  for await (const chunk of countingStream(file, progress)) {
    let text = rest + dec.write(chunk as Buffer);
    if (line === 0 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    const parts = text.split('\n');
    rest = parts.pop() ?? '';
    const out: RawRow[] = [];
    for (const p of parts) {
      const r = parse(p, false);
      if (r) out.push(r);
    }
    for (const r of out) yield r;
  }
  rest += dec.end();
  if (rest.trim() !== '') {
    const r = parse(rest, true);
    if (r) yield r;
  }
  if (!checked)
    throw new ImportRefused('import.columns', { missing: keys.join('、'), unexpected: '—', order: '' });
}

/** A zip (xlsx) ends with its central directory; a cut-off file has none. */
async function zipLooksComplete(file: string): Promise<boolean> {
  const size = (await stat(file)).size;
  if (size < 22) return false;
  const len = Math.min(size, 65_557);
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(len);
    await fh.read(buf, 0, len, size - len);
    for (let i = len - 22; i >= 0; i--) {
      if (buf.readUInt32LE(i) === 0x06054b50) return true;
    }
    return false;
  } finally {
    await fh.close();
  }
}

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

/**
 * exceljs's streaming reader decodes each inflated chunk on its own, so a Chinese character
 * split across two chunks becomes U+FFFD (exceljs 4.4). Hand it text decoded across chunks.
 */
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

async function* xlsxRows(spec: FeedSpec, file: string, progress: ReadProgress): AsyncGenerator<RawRow> {
  if (!(await zipLooksComplete(file))) throw new ImportRefused('import.truncated', { line: 0 });
  const n = spec.columns.length;
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(countingStream(file, progress), {
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'ignore',
    worksheets: 'emit',
    entries: 'ignore',
  } as never);
  patchUtf8Decoding(reader);
  let sheets = 0;
  try {
    for await (const ws of reader as unknown as AsyncIterable<
      AsyncIterable<{ number: number; values: unknown[] }>
    >) {
      sheets++;
      if (sheets > 1) break; // the data are on the first sheet
      let header = false;
      for await (const row of ws) {
        const values = (row.values ?? []).slice(1);
        if (!header) {
          checkHeader(
            spec,
            values.map((v) => cellText(v) ?? ''),
          );
          header = true;
          continue;
        }
        const cells: (string | null)[] = [];
        for (let i = 0; i < n; i++) cells.push(cellText(values[i]));
        if (cells.every((c) => c === null)) continue;
        const extra = values.slice(n).some((v) => cellText(v) !== null);
        yield extra ? { line: row.number, cells, problem: 'row.field_count' } : { line: row.number, cells };
      }
      if (!header)
        throw new ImportRefused('import.columns', {
          missing: spec.columns.map((c) => c.header).join('、'),
          unexpected: '—',
          order: '',
        });
    }
  } catch (e) {
    if (e instanceof ImportRefused) throw e;
    throw new ImportRefused('import.unreadable', { reason: (e as Error).message.slice(0, 200) });
  }
  if (sheets === 0) throw new ImportRefused('import.unreadable', { reason: 'no worksheet' });
}

/** Reads a feed file as rows (header checked, encoding checked, truncation detected). */
export function readRows(spec: FeedSpec, file: string, progress: ReadProgress): AsyncGenerator<RawRow> {
  if (spec.format === 'csv') return csvRows(spec, file, progress);
  if (spec.format === 'jsonl') return jsonlRows(spec, file, progress);
  return xlsxRows(spec, file, progress);
}

/** Groups rows into batches of `size`. */
export async function* batches<T>(rows: AsyncIterable<T>, size: number): AsyncGenerator<T[]> {
  let b: T[] = [];
  for await (const r of rows) {
    b.push(r);
    if (b.length >= size) {
      yield b;
      b = [];
    }
  }
  if (b.length) yield b;
}
