/**
 * Streaming readers of department files (CSV in GBK or UTF-8, JSON lines, xlsx). They check
 * the file as a whole — encoding, header row against the feed's spec, truncation — and hand
 * out rows in batches, so memory stays flat whatever the file size. A file that cannot be read
 * as a whole throws `ImportRefused`; a single bad row is handed out with a row-level problem.
 */
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import type { FeedSpec } from '../synth/feeds/specs.ts';
import { detectFeed, extensionOf, feedsOf } from './feeds.ts';
import { readXlsxRows, XlsxError } from './xlsx-reader.ts';

/** Why a file is refused whole (it leaves nothing behind). */
export const REFUSAL_CODES = [
  'import.columns',
  'import.truncated',
  'import.encoding',
  'import.unreadable',
] as const;
export type RefusalCode = (typeof REFUSAL_CODES)[number];

/** The whole file is refused: nothing of it is committed. */
export class ImportRefused extends Error {
  constructor(
    readonly code: RefusalCode,
    readonly params: Record<string, string | number> = {},
  ) {
    super(`${code}${Object.keys(params).length ? ` ${JSON.stringify(params)}` : ''}`);
  }
}

/**
 * A refusal parameter in both languages: `name.zh` / `name.en`, which toProblem fills into each
 * language's message, and `name` with both, for logs and the refusal's own text.
 */
function bilingual(name: string, zh: string, en: string): Record<string, string> {
  return { [name]: zh === en ? zh : `${zh} / ${en}`, [`${name}.zh`]: zh, [`${name}.en`]: en };
}

/**
 * A refusal's where and why in each language, as message parameters (`name.zh` / `name.en`, see
 * `toProblem`): `detail` adds the line of an encoding or header problem and the reader's reason
 * where the template does not say them; `why` is an unreadable file's reason.
 */
export function refusalParams(
  code: RefusalCode,
  params: Record<string, string | number>,
): Record<string, string> {
  const line = Number(params.line ?? 0);
  // A library's own message (params.reason) is the same in both languages.
  const zhReason = params['reason.zh'] ?? params.reason;
  const r =
    zhReason === undefined ? null : { zh: String(zhReason), en: String(params['reason.en'] ?? zhReason) };
  const out: Record<string, string> = { 'detail.zh': '', 'detail.en': '' };
  if (code === 'import.unreadable') {
    out['why.zh'] = r?.zh ?? '';
    out['why.en'] = r?.en ?? '';
    return out;
  }
  const showLine = line > 0 && (code === 'import.encoding' || code === 'import.columns');
  const zh = [showLine ? `第 ${line} 行` : '', r?.zh ?? ''].filter(Boolean).join('：');
  const en = [showLine ? `line ${line}` : '', r?.en ?? ''].filter(Boolean).join(': ');
  if (zh) out['detail.zh'] = `【${zh}】`;
  if (en) out['detail.en'] = ` [${en}]`;
  return out;
}

/** One data row: its line (header = line 1) and its cells in the spec's column order. */
export type RawRow = {
  line: number;
  cells: (string | null)[];
  problem?: 'row.field_count' | 'row.malformed';
};

export type ReadProgress = { bytesRead: number; totalBytes: number };

/**
 * Where each of the spec's columns is in a file's header: `index[k]` is the position of the
 * spec's column k. `width` counts the header's cells: the spec's columns (a header that passes
 * names each once and leaves no cell unnamed before the last), then any empty cells that
 * spreadsheet programs add after the last column ("a,b,c,,").
 */
export type HeaderMap = { index: number[]; width: number; identity: boolean };

/**
 * Compares a header row (or a JSON object's keys, `keys`) with the spec and returns where each
 * column is. The columns may come in another order (each is found by its name); a missing,
 * unexpected, unnamed or repeated column throws `import.columns` naming it.
 */
export function checkHeader(spec: FeedSpec, found: string[], keys = false): HeaderMap {
  const expected = spec.columns.map((c) => (keys ? c.key : c.header));
  const got = found.map((h) => h.trim());
  let used = got.length;
  while (used > 0 && got[used - 1] === '') used--;
  const index = expected.map((h) => got.indexOf(h));
  const identity = used === expected.length && index.every((j, k) => j === k);
  if (identity) return { index, width: got.length, identity };
  const missing = expected.filter((_, k) => index[k] < 0);
  const unexpectedZh: string[] = [];
  const unexpectedEn: string[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < used; i++) {
    const h = got[i];
    if (h === '') {
      unexpectedZh.push(`（第 ${i + 1} 列无列名）`);
      unexpectedEn.push(`(column ${i + 1} has no name)`);
    } else if (!expected.includes(h)) {
      unexpectedZh.push(h);
      unexpectedEn.push(h);
    } else if (seen.has(h)) {
      unexpectedZh.push(`${h}（重复）`);
      unexpectedEn.push(`${h} (repeated)`);
    }
    seen.add(h);
  }
  if (missing.length > 0 || unexpectedZh.length > 0)
    throw new ImportRefused('import.columns', {
      ...bilingual('missing', missing.join('、') || '—', missing.join(', ') || '—'),
      ...bilingual('unexpected', unexpectedZh.join('、') || '—', unexpectedEn.join(', ') || '—'),
      line: 1,
    });
  return { index, width: got.length, identity };
}

/** The refusal of a file without a header row (empty, or blank lines only). */
function noHeader(spec: FeedSpec, keys = false): ImportRefused {
  return new ImportRefused('import.columns', {
    ...bilingual(
      'missing',
      spec.columns.map((c) => (keys ? c.key : c.header)).join('、'),
      spec.columns.map((c) => (keys ? c.key : c.header)).join(', '),
    ),
    unexpected: '—',
    line: 1,
    ...bilingual('reason', '文件为空，没有表头', 'the file is empty: there is no header row'),
  });
}

function countingStream(file: string, progress: ReadProgress): Readable {
  const s = createReadStream(file, { highWaterMark: 1 << 16 });
  s.on('data', (b) => {
    progress.bytesRead += (b as Buffer).length;
  });
  return s;
}

const ENCODING_NAME = { gbk: 'GBK', 'utf-8': 'UTF-8' } as const;

/** The decoder label of the feed's encoding. */
const labelOf = (spec: FeedSpec) => (spec.encoding === 'gbk' ? 'gbk' : 'utf-8');

/**
 * The line (counted from `firstLine`, the line the bytes start on) of the first bytes that are
 * not in the encoding. A line end (0x0A) is never part of a GBK or UTF-8 multi-byte character,
 * so each line after the first can be decoded on its own; the first may continue a character
 * begun in an earlier chunk, so it is the answer when no later line fails.
 */
function firstBadLine(bytes: Buffer, label: 'gbk' | 'utf-8', firstLine: number): number {
  let from = bytes.indexOf(0x0a) + 1;
  let line = firstLine + 1;
  while (from > 0 && from < bytes.length) {
    const nl = bytes.indexOf(0x0a, from);
    try {
      // The last piece may end inside a character that the next chunk completes.
      new TextDecoder(label, { fatal: true }).decode(bytes.subarray(from, nl < 0 ? bytes.length : nl), {
        stream: nl < 0,
      });
    } catch {
      return line;
    }
    if (nl < 0) break;
    from = nl + 1;
    line++;
  }
  return firstLine;
}

/**
 * Decodes chunks per the spec's encoding. Bytes that are not that encoding refuse the file
 * (`import.encoding`, with their line); a file that ends inside a multi-byte character was cut
 * off (`import.truncated`).
 */
function decoderFor(spec: FeedSpec): {
  write(b: Buffer, line: number): string;
  end(line: number): string;
} {
  // Node's own decoders (ICU): GBK as the WHATWG "gbk" label (GB 18030 decoding), fatal on
  // bytes that are not in the encoding.
  const label = labelOf(spec);
  const d = new TextDecoder(label, { fatal: true });
  return {
    write: (b, line) => {
      try {
        return d.decode(b, { stream: true });
      } catch {
        const at = firstBadLine(b, label, line);
        throw new ImportRefused('import.encoding', {
          expected: ENCODING_NAME[label],
          line: at,
          ...bilingual(
            'reason',
            `含有不是 ${ENCODING_NAME[label]} 编码的字节`,
            `bytes that are not ${ENCODING_NAME[label]}`,
          ),
        });
      }
    },
    end: (line) => {
      try {
        return d.decode();
      } catch {
        throw new ImportRefused('import.truncated', {
          line,
          ...bilingual('reason', '文件在一个汉字的中间结束', 'the file ends in the middle of a character'),
        });
      }
    },
  };
}

/** An Excel workbook (xlsx: a zip; xls: an OLE2 file) sent where a text feed is expected. */
function refuseWorkbook(spec: FeedSpec, head: Buffer): void {
  const zip = head.length >= 4 && head.readUInt32LE(0) === 0x04034b50;
  const ole = head.length >= 4 && head.readUInt32LE(0) === 0xe011cfd0;
  if (!zip && !ole) return;
  const enc = ENCODING_NAME[labelOf(spec)];
  throw new ImportRefused('import.unreadable', {
    line: 1,
    ...(spec.format === 'csv'
      ? bilingual(
          'reason',
          `这是 Excel 工作簿，本数据接口只收 ${enc} 编码的 CSV 文本，请在 Excel 中另存为 CSV`,
          `this is an Excel workbook; this feed takes CSV text in ${enc}: save it from Excel as CSV`,
        )
      : bilingual(
          'reason',
          '这是 Excel 工作簿，本数据接口只收 JSON lines 文本，请从业务系统重新导出 .jsonl 文件',
          'this is an Excel workbook; this feed takes JSON lines text: export the .jsonl file from the system again',
        )),
  });
}

/**
 * The CSV field splitter (RFC 4180) of the header and the rows alike, fed text as it is decoded:
 * `split` hands each record it completes to `take`, with the line it starts on. A quoted field
 * may hold commas, doubled quotes and line breaks; a piece of text may end anywhere, even
 * between the two quotes of an escaped quote. A line ends at "\n", "\r\n" or a lone "\r"; a
 * quote opens a quoted field only at the start of a field.
 */
function csvSplitter(take: (cells: string[], line: number) => void) {
  let fields: string[] = [];
  let field = '';
  let inQuotes = false;
  let quotedField = false;
  let afterQuote = false;
  let pendingCr = false;
  /** The line the text split so far ends on (a quoted line break counts). */
  let line = 1;
  /** The line the record being split starts on. */
  let recordLine = 1;
  const emit = (cells: string[]) => {
    const start = recordLine;
    line++;
    recordLine = line;
    take(cells, start);
  };
  const endRecord = () => {
    fields.push(field);
    const cells = fields;
    fields = [];
    field = '';
    quotedField = false;
    afterQuote = false;
    emit(cells);
  };
  return {
    get line() {
      return line;
    },
    get recordLine() {
      return recordLine;
    },
    split(text: string): void {
      for (let i = 0; i < text.length; i++) {
        // The usual record, whole in this text and without quotes: split it at once.
        if (!pendingCr && !inQuotes && !afterQuote && !quotedField && field === '' && fields.length === 0) {
          const nl = text.indexOf('\n', i);
          if (nl >= 0) {
            const stop = nl > i && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
            const seg = text.slice(i, stop);
            if (seg.indexOf('"') < 0 && seg.indexOf('\r') < 0) {
              emit(seg.split(','));
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
            } else {
              // The field's end, or (a quote at the text's end) the first of an escaped quote
              // that the next text completes.
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
          // An escaped quote split across pieces of text.
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
        } else if (ch === '\r' || ch === '\n') {
          if (ch === '\r') pendingCr = true;
          endRecord();
        } else if (ch === '"' && field === '' && !quotedField) {
          inQuotes = true;
          quotedField = true;
        } else field += ch;
      }
    },
    /** The cells of a record begun but not ended by a line end (a quote left open, too), or null. */
    unfinished(): string[] | null {
      return field !== '' || fields.length > 0 || quotedField ? [...fields, field] : null;
    },
  };
}

/** The cells of a CSV file's first line, split as the rows are. */
function headerCells(text: string): string[] {
  const records: string[][] = [];
  const csv = csvSplitter((cells) => records.push(cells));
  csv.split(`${text}\n`);
  // A quote left open at the line's end: the cells so far (the rows would read on).
  return records[0] ?? csv.unfinished() ?? [];
}

function decodes(bytes: Buffer, label: 'gbk' | 'utf-8'): string | null {
  try {
    return new TextDecoder(label, { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

/**
 * Looks at a CSV file's first line before it is read: a file in the other encoding (a UTF-8
 * file for a GBK feed, with or without its BOM, or the reverse) is refused at once. When its
 * header, read in the encoding it is really in, is not this feed's either, the file is another
 * feed's (or no feed's): the refusal names the columns, not the encoding.
 */
function sniffEncoding(spec: FeedSpec, head: Buffer): void {
  const nl = head.indexOf(0x0a);
  if (nl < 0) return;
  const line = head.subarray(0, nl);
  const bom = line[0] === 0xef && line[1] === 0xbb && line[2] === 0xbf;
  const expected = labelOf(spec);
  const utf8 = decodes(bom ? line.subarray(3) : line, 'utf-8');
  let other: string | null = null;
  let otherName = '';
  if (expected === 'gbk') {
    // GBK text of Chinese is (almost) never also valid UTF-8 with characters beyond ASCII.
    if (utf8 !== null && (bom || line.some((b) => b > 0x7f))) {
      other = utf8;
      otherName = 'UTF-8';
    }
  } else if (utf8 === null) {
    other = decodes(line, 'gbk');
    otherName = 'GBK';
    if (other === null)
      throw new ImportRefused('import.encoding', {
        expected: 'UTF-8',
        line: 1,
        ...bilingual('reason', '含有不是 UTF-8 编码的字节', 'bytes that are not UTF-8'),
      });
  }
  if (other === null) return;
  // Read in the feed's own encoding the header is the template's: the file is fine after all.
  const own = decodes(line, expected);
  if (own !== null) {
    try {
      checkHeader(spec, headerCells(own));
      return;
    } catch {
      // not the template's: go on with the other encoding
    }
  }
  checkHeader(spec, headerCells(other));
  throw new ImportRefused('import.encoding', {
    expected: ENCODING_NAME[expected],
    line: 1,
    ...bilingual('reason', `文件是 ${otherName} 编码`, `the file is in ${otherName}`),
  });
}

async function* csvRows(spec: FeedSpec, file: string, progress: ReadProgress): AsyncGenerator<RawRow> {
  const dec = decoderFor(spec);
  const n = spec.columns.length;
  let map: HeaderMap | null = null;
  /** The header is the template's, in order, without extra cells: rows are taken as they are. */
  let plain = false;
  let first = true;
  let out: RawRow[] = [];
  const csv = csvSplitter((cells, start) => {
    if (map === null) {
      map = checkHeader(spec, cells);
      plain = map.identity && map.width === n;
      return;
    }
    if (cells.length === 1 && cells[0] === '') return; // blank line
    if (plain) {
      if (cells.length !== n) out.push({ line: start, cells: cells.slice(0, n), problem: 'row.field_count' });
      else out.push({ line: start, cells: cells.map((c) => (c === '' ? null : c)) });
      return;
    }
    // Columns in another order, or empty cells after the last column (as in the header): a
    // header that passes has the spec's n columns first.
    const { index, width } = map;
    let fits = cells.length >= n && cells.length <= width;
    for (let i = n; fits && i < cells.length; i++) fits = cells[i] === '';
    const mapped: (string | null)[] = new Array(n);
    for (let k = 0; k < n; k++) {
      const c = cells[index[k]];
      mapped[k] = c === undefined || c === '' ? null : c;
    }
    out.push(
      fits ? { line: start, cells: mapped } : { line: start, cells: mapped, problem: 'row.field_count' },
    );
  });
  for await (const chunk of countingStream(file, progress)) {
    const buf = chunk as Buffer;
    if (first) {
      refuseWorkbook(spec, buf);
      sniffEncoding(spec, buf);
    }
    let text = dec.write(buf, csv.line);
    if (first) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    csv.split(text);
    const rows = out;
    out = [];
    for (const r of rows) yield r;
  }
  csv.split(dec.end(csv.recordLine));
  // The last row has no line end (or a quote left open): the file was cut off.
  if (csv.unfinished() !== null) throw new ImportRefused('import.truncated', { line: csv.recordLine });
  if (map === null) throw noHeader(spec);
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
        throw new ImportRefused('import.unreadable', {
          line,
          ...bilingual('reason', `第 ${line} 行不是 JSON`, `line ${line} is not JSON`),
        });
      return { line, cells: keys.map(() => null), problem: 'row.malformed' };
    }
    if (o === null || typeof o !== 'object' || Array.isArray(o)) {
      if (!checked)
        throw new ImportRefused('import.unreadable', {
          line,
          ...bilingual('reason', `第 ${line} 行不是 JSON 对象`, `line ${line} is not a JSON object`),
        });
      return { line, cells: keys.map(() => null), problem: 'row.malformed' };
    }
    const rec = o as Record<string, unknown>;
    if (!checked) {
      // The keys of a JSON object have no order: only the set is checked.
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
    if (line === 0 && rest === '') refuseWorkbook(spec, chunk as Buffer);
    let text = rest + dec.write(chunk as Buffer, line + 1);
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
  rest += dec.end(line + 1);
  if (rest.trim() !== '') {
    const r = parse(rest, true);
    if (r) yield r;
  }
  if (!checked) throw noHeader(spec, true);
}

async function* xlsxRows(spec: FeedSpec, file: string, progress: ReadProgress): AsyncGenerator<RawRow> {
  const n = spec.columns.length;
  let map: HeaderMap | null = null;
  /** Row 1 did not match the template: the refusal, unless row 2 shows a title above the header. */
  let notHeader: { error: ImportRefused; row: number; text: string } | null = null;
  let lastRow = 0;
  try {
    for await (const row of readXlsxRows(file, progress, { sheetName: spec.sheetName })) {
      const values = row.values;
      lastRow = row.row;
      if (map === null) {
        const names = values.map((v) => v ?? '');
        if (notHeader) {
          try {
            checkHeader(spec, names);
          } catch {
            throw notHeader.error;
          }
          throw new ImportRefused('import.columns', {
            missing: '—',
            ...bilingual(
              'unexpected',
              `第 ${notHeader.row} 行「${notHeader.text}」（表头须在第一行，不能有标题行）`,
              `row ${notHeader.row} "${notHeader.text}" (the header must be the first row, without a title above it)`,
            ),
            line: notHeader.row,
          });
        }
        try {
          map = checkHeader(spec, names);
        } catch (e) {
          if (!(e instanceof ImportRefused)) throw e;
          notHeader = {
            error: e,
            row: row.row,
            text: names
              .filter((v) => v.trim() !== '')
              .join(' ')
              .slice(0, 60),
          };
        }
        continue;
      }
      const { index, identity } = map;
      const cells: (string | null)[] = new Array(n);
      let empty = true;
      for (let i = 0; i < n; i++) {
        const v = values[identity ? i : index[i]] ?? null;
        cells[i] = v;
        if (v !== null) empty = false;
      }
      if (empty) continue;
      // A value beyond the template's columns (the header's width): the row does not fit.
      let extra = false;
      for (let i = n; i < values.length && !extra; i++) extra = values[i] !== null;
      yield extra ? { line: row.row, cells, problem: 'row.field_count' } : { line: row.row, cells };
    }
  } catch (e) {
    if (e instanceof ImportRefused) throw e;
    if (e instanceof XlsxError) {
      const reason = bilingual('reason', e.zh.slice(0, 200), e.message.slice(0, 200));
      // The row after the last one read whole; 1 when nothing could be read.
      throw e.reason === 'truncated'
        ? new ImportRefused('import.truncated', { line: lastRow + 1, ...reason })
        : new ImportRefused('import.unreadable', reason);
    }
    throw new ImportRefused('import.unreadable', { reason: (e as Error).message.slice(0, 200) });
  }
  if (notHeader) throw notHeader.error;
  if (map === null) throw noHeader(spec);
}

/** Reads a feed file as rows (header checked, encoding checked, truncation detected). */
export function readRows(spec: FeedSpec, file: string, progress: ReadProgress): AsyncGenerator<RawRow> {
  if (spec.format === 'csv') return csvRows(spec, file, progress);
  if (spec.format === 'jsonl') return jsonlRows(spec, file, progress);
  return xlsxRows(spec, file, progress);
}

/**
 * The feed of a source a file holds: by its name or its format (`detectFeed`), else by its
 * header — the one feed of the source (of the file's format, if any has it) whose columns and
 * encoding the file's header has, read up to the first row. A department's export is often
 * named anything (导出数据.csv). Undefined when no feed, or more than one, fits.
 */
export async function feedOfFile(source: string, file: string): Promise<FeedSpec | undefined> {
  const named = detectFeed(source, file);
  if (named) return named;
  const ext = extensionOf(file);
  const all = feedsOf(source);
  const sameFormat = all.filter((f) => f.format === ext);
  const fits: FeedSpec[] = [];
  for (const spec of sameFormat.length ? sameFormat : all) {
    const rows = readRows(spec, file, { bytesRead: 0, totalBytes: 0 });
    try {
      await rows.next();
      fits.push(spec);
    } catch (e) {
      if (!(e instanceof ImportRefused)) throw e;
      // Only a header this feed's reader accepted counts: a row cut short after it (truncated)
      // still does, the import will say so; another header, another encoding or a file this
      // reader cannot read at all (an xlsx reader given CSV text) does not.
      if (e.code === 'import.truncated') fits.push(spec);
    } finally {
      await rows.return(undefined);
    }
  }
  return fits.length === 1 ? fits[0] : undefined;
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
