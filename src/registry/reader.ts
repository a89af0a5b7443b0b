/**
 * Streaming readers of department files (CSV in GBK or UTF-8, JSON lines, xlsx). They check
 * the file as a whole — encoding, header row against the feed's spec, truncation — and hand
 * out rows in batches, so memory stays flat whatever the file size. A file that cannot be read
 * as a whole throws `ImportRefused`; a single bad row is handed out with a row-level problem.
 */
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import type { FeedSpec } from '../synth/feeds/specs.ts';
import { readXlsxRows, XlsxError } from './xlsx-reader.ts';

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
      if (!checked)
        throw new ImportRefused('import.unreadable', { line, reason: `line ${line} is not JSON` });
      return { line, cells: keys.map(() => null), problem: 'row.malformed' };
    }
    if (o === null || typeof o !== 'object' || Array.isArray(o)) {
      if (!checked)
        throw new ImportRefused('import.unreadable', { line, reason: `line ${line} is not a JSON object` });
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

async function* xlsxRows(spec: FeedSpec, file: string, progress: ReadProgress): AsyncGenerator<RawRow> {
  const n = spec.columns.length;
  let header = false;
  try {
    for await (const row of readXlsxRows(file, progress)) {
      const values = row.values;
      if (!header) {
        checkHeader(
          spec,
          values.map((v) => v ?? ''),
        );
        header = true;
        continue;
      }
      const cells: (string | null)[] = new Array(n);
      let empty = true;
      for (let i = 0; i < n; i++) {
        const v = values[i] ?? null;
        cells[i] = v;
        if (v !== null) empty = false;
      }
      if (empty) continue;
      let extra = false;
      for (let i = n; i < values.length && !extra; i++) extra = values[i] !== null;
      yield extra ? { line: row.row, cells, problem: 'row.field_count' } : { line: row.row, cells };
    }
  } catch (e) {
    if (e instanceof ImportRefused) throw e;
    if (e instanceof XlsxError)
      throw e.reason === 'truncated'
        ? new ImportRefused('import.truncated', { line: 0 })
        : new ImportRefused('import.unreadable', { reason: e.message.slice(0, 200) });
    throw new ImportRefused('import.unreadable', { reason: (e as Error).message.slice(0, 200) });
  }
  if (!header)
    throw new ImportRefused('import.columns', {
      missing: spec.columns.map((c) => c.header).join('、'),
      unexpected: '—',
      order: '',
    });
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
