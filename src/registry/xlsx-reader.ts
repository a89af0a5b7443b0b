/**
 * A streaming reader of the first worksheet of an xlsx workbook that holds a value (or of the
 * worksheet the caller names), with Node built-ins only.
 *
 * Reads: the zip's end-of-central-directory record and central directory (sizes and offsets are
 * taken from there, so entries written with data descriptors are fine), entries stored (method 0)
 * or deflated (method 8); `xl/workbook.xml` and its relationships to find the first worksheet in
 * workbook order; the shared strings (held in memory as one array — the only thing that is); then
 * the worksheet itself, inflated, decoded as UTF-8 and scanned chunk by chunk, so memory stays
 * flat whatever the number of rows. Cell values come out as text: shared/inline/formula strings
 * (rich-text runs joined, phonetic `<rPh>` runs left out), booleans as 'true'/'false', errors as
 * their text ('#N/A'), ISO dates (t="d") as written, numbers as `String(Number(raw))` except
 * integers beyond 2^53, whose digits are kept exactly. Formulas are ignored (the cached value is
 * used); styles are not read, so a date stored as a serial number comes out as that number.
 *
 * Refuses, with `XlsxError`: 'truncated' — no end-of-central-directory record (a cut-off file),
 * parts that end before their stated size, a failing inflate, a worksheet whose XML stops before
 * `</sheetData>`; 'unreadable' — not a zip at all (or an old .xls / password-protected workbook),
 * ZIP64 or multi-disk archives, encrypted entries, compression methods other than 0 and 8, bytes
 * that are not UTF-8, a workbook without a worksheet, a shared-string index out of range.
 */
import { createReadStream } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { pipeline, type TransformOptions } from 'node:stream';
import { createInflateRaw, type ZlibOptions } from 'node:zlib';

export type XlsxProgress = { bytesRead: number; totalBytes: number };

export class XlsxError extends Error {
  /** The message in Chinese, for the department staff who sent the file. */
  readonly zh: string;
  constructor(
    readonly reason: 'truncated' | 'unreadable',
    message: string,
    zh?: string,
  ) {
    super(message);
    this.name = 'XlsxError';
    this.zh = zh ?? (reason === 'truncated' ? 'xlsx 文件不完整（被截断）' : 'xlsx 文件已损坏，无法读取');
  }
}

export type XlsxRow = { row: number; values: (string | null)[] };

/** Compressed bytes read from the file at a time. */
const READ_CHUNK = 256 * 1024;
/** Inflated bytes handed out at a time. */
const INFLATE_CHUNK = 256 * 1024;
/** A single element (one cell, one shared string) longer than this is taken as broken XML. */
const MAX_PENDING_CHARS = 64 * 1024 * 1024;
/**
 * Inflated bytes decoded into one string: small enough for the string (two bytes a character
 * once there is Chinese in it) to be a young object, which the garbage collector frees cheaply.
 */
const DECODE_BYTES = 32 * 1024;
/** Characters of a chunk joined to the unfinished element at the end of the previous one. */
const STITCH_CHARS = 2048;
/** Column XFD, the last one Excel has. */
const MAX_COLUMNS = 16_384;

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_EOCD = 0x06054b50;
const SIG_ZIP64_LOCATOR = 0x07064b50;

type ZipEntry = {
  name: string;
  flags: number;
  method: number;
  compressedSize: number;
  size: number;
  localOffset: number;
};

// ---------------------------------------------------------------------------------------------
// Zip container

async function readAt(fh: FileHandle, position: number, length: number): Promise<Buffer> {
  const buf = Buffer.alloc(length);
  let got = 0;
  while (got < length) {
    const { bytesRead } = await fh.read(buf, got, length - got, position + got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  if (got < length)
    throw new XlsxError(
      'truncated',
      'the file ends before the zip structure it describes',
      '文件在压缩结构结束前中断（被截断）',
    );
  return buf;
}

function normalizeName(name: string): string {
  return name.replace(/\\/g, '/').replace(/^\/+/, '');
}

/** Reads the central directory; `size` is the file's size. */
async function readCentralDirectory(
  fh: FileHandle,
  size: number,
  progress: XlsxProgress,
): Promise<Map<string, ZipEntry>> {
  if (size >= 4) {
    const head = await readAt(fh, 0, 4);
    progress.bytesRead += 4;
    const sig = head.readUInt32LE(0);
    if (sig === 0xe011cfd0) {
      throw new XlsxError(
        'unreadable',
        'this is an OLE2 compound file (an old .xls or a password-protected workbook), not an xlsx: save it from Excel as .xlsx without a password',
        '这是旧版 .xls 文件或加密的工作簿，不是 xlsx 文件：请在 Excel 中另存为不加密的 .xlsx',
      );
    }
    if (sig !== SIG_LOCAL && sig !== SIG_EOCD) {
      throw new XlsxError(
        'unreadable',
        'not an xlsx file, it does not start as a zip archive: save it from Excel as .xlsx',
        '不是 xlsx 文件，也不是 zip 压缩格式：请在 Excel 中另存为 .xlsx',
      );
    }
  }
  if (size < 22)
    throw new XlsxError(
      'truncated',
      'the file is too short to be an xlsx (zip) file',
      '文件过短或为空，不是完整的 xlsx 文件',
    );
  const tailLen = Math.min(size, 65_557);
  const tailStart = size - tailLen;
  const tail = await readAt(fh, tailStart, tailLen);
  progress.bytesRead += tailLen;
  let e = -1;
  for (let i = tailLen - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === SIG_EOCD && i + 22 + tail.readUInt16LE(i + 20) <= tailLen) {
      e = i;
      break;
    }
  }
  if (e < 0) {
    throw new XlsxError(
      'truncated',
      'the zip end-of-central-directory record is missing: the file is cut off',
      'xlsx 文件末尾缺失（被截断）',
    );
  }
  const disk = tail.readUInt16LE(e + 4);
  const cdDisk = tail.readUInt16LE(e + 6);
  const count = tail.readUInt16LE(e + 10);
  const cdSize = tail.readUInt32LE(e + 12);
  const cdOffset = tail.readUInt32LE(e + 16);
  if (
    count === 0xffff ||
    cdSize === 0xffffffff ||
    cdOffset === 0xffffffff ||
    (e >= 20 && tail.readUInt32LE(e - 20) === SIG_ZIP64_LOCATOR)
  ) {
    throw new XlsxError('unreadable', 'ZIP64 archives are not supported');
  }
  if (disk !== 0 || cdDisk !== 0)
    throw new XlsxError('unreadable', 'multi-disk zip archives are not supported');
  const eocdAt = tailStart + e;
  if (cdOffset + cdSize > eocdAt) {
    throw new XlsxError(
      'truncated',
      'the zip central directory lies beyond the data in the file',
      'xlsx 文件不完整（被截断）',
    );
  }
  const cd =
    cdOffset >= tailStart ? tail.subarray(cdOffset - tailStart, cdOffset - tailStart + cdSize) : null;
  const dir = cd ?? (await readAt(fh, cdOffset, cdSize));
  if (!cd) progress.bytesRead += cdSize;
  const entries = new Map<string, ZipEntry>();
  let p = 0;
  while (p + 46 <= dir.length) {
    if (dir.readUInt32LE(p) !== SIG_CENTRAL) {
      throw new XlsxError('unreadable', 'the zip central directory is damaged');
    }
    const nameLen = dir.readUInt16LE(p + 28);
    const extraLen = dir.readUInt16LE(p + 30);
    const commentLen = dir.readUInt16LE(p + 32);
    const entry: ZipEntry = {
      flags: dir.readUInt16LE(p + 8),
      method: dir.readUInt16LE(p + 10),
      compressedSize: dir.readUInt32LE(p + 20),
      size: dir.readUInt32LE(p + 24),
      localOffset: dir.readUInt32LE(p + 42),
      name: normalizeName(dir.toString('utf8', p + 46, p + 46 + nameLen)),
    };
    if (
      entry.compressedSize === 0xffffffff ||
      entry.size === 0xffffffff ||
      entry.localOffset === 0xffffffff
    ) {
      throw new XlsxError('unreadable', 'ZIP64 archives are not supported');
    }
    if (!entries.has(entry.name)) entries.set(entry.name, entry);
    p += 46 + nameLen + extraLen + commentLen;
  }
  if (entries.size === 0) throw new XlsxError('unreadable', 'the zip archive is empty', 'zip 压缩包是空的');
  return entries;
}

function findEntry(entries: Map<string, ZipEntry>, name: string): ZipEntry | undefined {
  const exact = entries.get(name);
  if (exact) return exact;
  const lower = name.toLowerCase();
  for (const [k, v] of entries) if (k.toLowerCase() === lower) return v;
  return undefined;
}

/** Where the entry's data start (after its local header), checked against the file's size. */
async function dataStart(fh: FileHandle, e: ZipEntry, size: number, progress: XlsxProgress): Promise<number> {
  if (e.flags & 1)
    throw new XlsxError('unreadable', `${e.name} is encrypted`, '工作簿已加密，请取消密码后另存');
  if (e.method !== 0 && e.method !== 8) {
    throw new XlsxError(
      'unreadable',
      `${e.name} uses zip compression method ${e.method}; only stored (0) and deflate (8) are supported`,
    );
  }
  if (e.localOffset + 30 > size)
    throw new XlsxError(
      'truncated',
      `${e.name} lies beyond the end of the file`,
      'xlsx 文件不完整（被截断）',
    );
  const h = await readAt(fh, e.localOffset, 30);
  progress.bytesRead += 30;
  if (h.readUInt32LE(0) !== SIG_LOCAL) {
    throw new XlsxError('unreadable', `the zip local header of ${e.name} is damaged`);
  }
  const start = e.localOffset + 30 + h.readUInt16LE(26) + h.readUInt16LE(28);
  if (start + e.compressedSize > size) {
    throw new XlsxError(
      'truncated',
      `${e.name} is shorter than its stated size: the file is cut off`,
      'xlsx 文件不完整（被截断）',
    );
  }
  return start;
}

function isZlibError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('Z_');
}

/** The entry's uncompressed bytes, chunk by chunk; compressed bytes read are added to progress. */
async function* entryBytes(
  file: string,
  e: ZipEntry,
  start: number,
  progress: XlsxProgress,
): AsyncGenerator<Buffer> {
  const short = () =>
    new XlsxError('truncated', `${e.name} is shorter than its stated size: the file is cut off`);
  if (e.compressedSize === 0) {
    if (e.size !== 0) throw short();
    return;
  }
  const src = createReadStream(file, { start, end: start + e.compressedSize - 1, highWaterMark: READ_CHUNK });
  let out = 0;
  if (e.method === 0) {
    try {
      for await (const chunk of src) {
        const b = chunk as Buffer;
        progress.bytesRead += b.length;
        out += b.length;
        yield b;
      }
    } finally {
      src.destroy();
    }
    if (out < e.size) throw short();
    return;
  }
  src.on('data', (b) => {
    progress.bytesRead += (b as Buffer).length;
  });
  // Room for the next compressed chunk and a few inflated ones, so reading and inflating (on the
  // thread pool) run ahead of the scan.
  const options: ZlibOptions & TransformOptions = {
    chunkSize: INFLATE_CHUNK,
    readableHighWaterMark: 4 * INFLATE_CHUNK,
    writableHighWaterMark: 2 * READ_CHUNK,
  };
  const inflate = createInflateRaw(options);
  pipeline(src, inflate, () => {
    // Errors reach the loop below through `inflate`.
  });
  try {
    for await (const chunk of inflate) {
      const b = chunk as Buffer;
      out += b.length;
      yield b;
    }
  } catch (err) {
    if (isZlibError(err)) {
      throw new XlsxError(
        'truncated',
        `${e.name} cannot be inflated (${(err as Error).message}): the file is cut off or damaged`,
      );
    }
    throw err;
  } finally {
    src.destroy();
    inflate.destroy();
  }
  if (out < e.size) throw short();
  if (out > e.size) throw new XlsxError('unreadable', `${e.name} is longer than its stated size`);
}

/** A streaming UTF-8 decoder that refuses invalid bytes. */
function utf8Decoder(part: string): { write(b: Buffer): string; end(): string } {
  const d = new TextDecoder('utf-8', { fatal: true });
  const fail = () =>
    new XlsxError('unreadable', `${part} is not valid UTF-8`, `${part} 不是有效的 UTF-8 文本`);
  return {
    write(b) {
      try {
        return d.decode(b, { stream: true });
      } catch {
        throw fail();
      }
    },
    end() {
      try {
        return d.decode();
      } catch {
        throw fail();
      }
    },
  };
}

async function entryText(file: string, e: ZipEntry, start: number, progress: XlsxProgress): Promise<string> {
  const dec = utf8Decoder(e.name);
  let text = '';
  for await (const b of entryBytes(file, e, start, progress)) text += dec.write(b);
  return text + dec.end();
}

// ---------------------------------------------------------------------------------------------
// XML text

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

/** Index just past an element name starting at `i`. */
function nameEnd(s: string, i: number): number {
  const n = s.length;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c === 62 || c === 47 || isSpace(c)) return i;
    i++;
  }
  return i;
}

function isName(s: string, start: number, end: number, name: string): boolean {
  return end - start === name.length && s.startsWith(name, start);
}

/** Prefix (with its colon) of the element name at [start, end), or ''. */
function prefixOf(s: string, start: number, end: number): string {
  const colon = s.indexOf(':', start);
  return colon >= 0 && colon < end ? s.slice(start, colon + 1) : '';
}

/** End of the last attribute value found by `attrStart`. */
let attrEnd = 0;

/** Start of the value of attribute `name` in the tag text [from, to), or -1; sets `attrEnd`. */
function attrStart(s: string, from: number, to: number, name: string): number {
  let i = from;
  while (i < to) {
    const c = s.charCodeAt(i);
    if (isSpace(c)) {
      i++;
      continue;
    }
    if (c === 47 || c === 62) return -1;
    const eq = s.indexOf('=', i);
    if (eq < 0 || eq >= to) return -1;
    let ne = eq;
    while (ne > i && isSpace(s.charCodeAt(ne - 1))) ne--;
    let q = eq + 1;
    while (q < to && isSpace(s.charCodeAt(q))) q++;
    const quote = s.charCodeAt(q);
    if (quote !== 34 && quote !== 39) return -1;
    const close = s.indexOf(quote === 34 ? '"' : "'", q + 1);
    if (close < 0 || close >= to) return -1;
    if (ne - i === name.length && s.startsWith(name, i)) {
      attrEnd = close;
      return q + 1;
    }
    i = close + 1;
  }
  return -1;
}

/** All attributes of a tag, entity-decoded (for the small workbook parts). */
function attributes(s: string, from: number, to: number): Map<string, string> {
  const out = new Map<string, string>();
  let i = from;
  while (i < to) {
    const eq = s.indexOf('=', i);
    if (eq < 0 || eq >= to) break;
    const name = s.slice(i, eq).trim();
    let q = eq + 1;
    while (q < to && isSpace(s.charCodeAt(q))) q++;
    const quote = s.charCodeAt(q);
    if (quote !== 34 && quote !== 39) break;
    const close = s.indexOf(quote === 34 ? '"' : "'", q + 1);
    if (close < 0 || close >= to) break;
    out.set(name, decodeEntities(s.slice(q + 1, close)));
    i = close + 1;
  }
  return out;
}

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Decodes the five XML entities and numeric character references; others are left as they are. */
function decodeEntities(s: string): string {
  let amp = s.indexOf('&');
  if (amp < 0) return s;
  let out = '';
  let last = 0;
  while (amp >= 0) {
    const semi = s.indexOf(';', amp + 1);
    if (semi < 0) break;
    const body = s.slice(amp + 1, semi);
    let rep: string | undefined;
    if (body.charCodeAt(0) === 35) {
      const hex = body.charCodeAt(1) === 120 || body.charCodeAt(1) === 88;
      const digits = hex ? body.slice(2) : body.slice(1);
      const code =
        digits !== '' && (hex ? /^[0-9a-fA-F]+$/ : /^[0-9]+$/).test(digits)
          ? Number.parseInt(digits, hex ? 16 : 10)
          : Number.NaN;
      if (code >= 0 && code <= 0x10ffff) rep = String.fromCodePoint(code);
    } else {
      rep = NAMED_ENTITIES[body];
    }
    if (rep !== undefined) {
      out += s.slice(last, amp) + rep;
      last = semi + 1;
    }
    amp = s.indexOf('&', rep !== undefined ? semi + 1 : amp + 1);
  }
  return out + s.slice(last);
}

function isHexDigit(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

/** Undoes Excel's `_xHHHH_` escapes (`_x000D_` → '\r'; `_x005F_` is a literal '_'). */
function unescapeExcel(s: string): string {
  let i = s.indexOf('_x');
  if (i < 0) return s;
  let out = '';
  let last = 0;
  while (i >= 0) {
    if (
      s.charCodeAt(i + 6) === 95 &&
      isHexDigit(s.charCodeAt(i + 2)) &&
      isHexDigit(s.charCodeAt(i + 3)) &&
      isHexDigit(s.charCodeAt(i + 4)) &&
      isHexDigit(s.charCodeAt(i + 5))
    ) {
      out += s.slice(last, i) + String.fromCharCode(Number.parseInt(s.slice(i + 2, i + 6), 16));
      last = i + 7;
      i = s.indexOf('_x', last);
    } else {
      i = s.indexOf('_x', i + 1);
    }
  }
  return out + s.slice(last);
}

/**
 * Character data of an element: line ends normalized as XML has them ('\r\n' and '\r' → '\n'; a
 * '\r' in the cell is written `_x000D_` or `&#13;`), entities decoded, CDATA taken literally.
 */
function charData(s: string, from: number, to: number): string {
  let raw = s.slice(from, to);
  if (raw.indexOf('\r') >= 0) raw = raw.replace(/\r\n?/g, '\n');
  const lt = raw.indexOf('<');
  if (lt < 0) return decodeEntities(raw);
  let out = '';
  let i = 0;
  while (i < raw.length) {
    const cd = raw.indexOf('<![CDATA[', i);
    if (cd < 0) {
      out += decodeEntities(raw.slice(i));
      break;
    }
    const end = raw.indexOf(']]>', cd + 9);
    out += decodeEntities(raw.slice(i, cd)) + raw.slice(cd + 9, end < 0 ? raw.length : end);
    i = end < 0 ? raw.length : end + 3;
  }
  return out;
}

/** Characters that make a cell's text need decoding: '&', '<' (CDATA), '\r' and '_' (`_xHHHH_`). */
const SPECIAL = new Uint8Array(128);
for (const c of '&<\r_') SPECIAL[c.charCodeAt(0)] = 1;

/** s[a, b) as text: entities and CDATA decoded, with `excel` the `_xHHHH_` escapes undone. */
function cellValue(s: string, a: number, b: number, excel: boolean): string {
  for (let i = a; i < b; i++) {
    const c = s.charCodeAt(i);
    if (c < 128 && SPECIAL[c] === 1) {
      const t = charData(s, a, b);
      return excel ? unescapeExcel(t) : t;
    }
  }
  return s.slice(a, b);
}

/** Tag names of the spreadsheetml elements read, with the document's namespace prefix. */
class Names {
  readonly t: string;
  readonly tClose: string;
  readonly rPh: string;
  readonly rPhClose: string;
  constructor(readonly p: string) {
    this.t = `${p}t`;
    this.tClose = `</${p}t>`;
    this.rPh = `${p}rPh`;
    this.rPhClose = `</${p}rPh>`;
  }
}

/**
 * The text of a string item (`<si>` or `<is>`) whose content is s[from, to): every `<t>` joined,
 * rich-text runs included, phonetic runs (`<rPh>`) left out.
 */
function stringItem(s: string, from: number, to: number, n: Names): string {
  let out = '';
  let i = from;
  while (i < to) {
    const lt = s.indexOf('<', i);
    if (lt < 0 || lt >= to) break;
    const gt = s.indexOf('>', lt);
    if (gt < 0 || gt >= to) break;
    const c1 = s.charCodeAt(lt + 1);
    if (c1 === 47 || c1 === 63 || c1 === 33) {
      i = gt + 1;
      continue;
    }
    const ne = nameEnd(s, lt + 1);
    const selfClosing = s.charCodeAt(gt - 1) === 47;
    if (isName(s, lt + 1, ne, n.t)) {
      if (selfClosing) {
        i = gt + 1;
        continue;
      }
      const end = s.indexOf(n.tClose, gt + 1);
      if (end < 0 || end > to) break;
      out += unescapeExcel(charData(s, gt + 1, end));
      i = end + n.tClose.length;
    } else if (!selfClosing && isName(s, lt + 1, ne, n.rPh)) {
      const end = s.indexOf(n.rPhClose, gt + 1);
      if (end < 0 || end > to) break;
      i = end + n.rPhClose.length;
    } else {
      i = gt + 1;
    }
  }
  return out;
}

/** A copy of `s` that does not keep the (large) chunk it was sliced from alive. */
function detach(s: string): string {
  return s.length < 13 ? s : ` ${s}`.slice(1);
}

/** The root element's prefix, once the text holds the root tag; null while it does not yet. */
function rootPrefix(s: string): { prefix: string; after: number } | null {
  let i = 0;
  for (;;) {
    const lt = s.indexOf('<', i);
    if (lt < 0 || lt + 1 >= s.length) return null;
    const c1 = s.charCodeAt(lt + 1);
    if (c1 === 63 || c1 === 33) {
      if (s.startsWith('<!--', lt)) {
        const end = s.indexOf('-->', lt + 4);
        if (end < 0) return null;
        i = end + 3;
      } else {
        const end = s.indexOf('>', lt + 2);
        if (end < 0) return null;
        i = end + 1;
      }
      continue;
    }
    const gt = s.indexOf('>', lt);
    if (gt < 0) return null;
    return { prefix: prefixOf(s, lt + 1, nameEnd(s, lt + 1)), after: gt + 1 };
  }
}

// ---------------------------------------------------------------------------------------------
// Shared strings

/**
 * Scans an XML part chunk by chunk. The unfinished element at the end of one chunk is completed
 * with the first STITCH_CHARS characters of the next, so each chunk is scanned as it came from
 * the decoder: a flat string, not a concatenation (which V8 reads at about half the speed).
 */
abstract class ChunkScanner {
  /** Set once nothing more of the part is wanted. */
  protected done = false;
  private tail = '';
  private rootSeen = false;

  constructor(protected readonly part: string) {}

  /** Called with the root element's namespace prefix ('' or e.g. 'x:') before any scan. */
  protected abstract setPrefix(p: string): void;

  /** Scans buf[pos…] element by element; returns where the first unfinished element starts. */
  protected abstract scan(buf: string, pos: number): number;

  push(chunk: string): void {
    if (this.done) return;
    let tail = this.tail;
    let text = chunk;
    this.tail = '';
    if (!this.rootSeen) {
      const buf = tail + text;
      const root = rootPrefix(buf);
      if (!root) {
        this.keep(buf, 0);
        return;
      }
      this.setPrefix(root.prefix);
      this.rootSeen = true;
      tail = buf.slice(root.after);
      text = '';
    }
    let from = 0;
    if (tail !== '') {
      const stitched = text.length > STITCH_CHARS ? tail + text.slice(0, STITCH_CHARS) : tail + text;
      const stop = this.scan(stitched, 0);
      if (stitched.length === tail.length + text.length) {
        this.keep(stitched, stop);
        return;
      }
      if (stop < tail.length) {
        // The element is longer than the stitch: scan the whole concatenation.
        const whole = tail + text;
        this.keep(whole, this.scan(whole, stop));
        return;
      }
      from = stop - tail.length;
    }
    this.keep(text, this.scan(text, from));
  }

  private keep(buf: string, stop: number): void {
    if (stop < buf.length && !this.done) {
      this.tail = buf.slice(stop);
      if (this.tail.length > MAX_PENDING_CHARS) {
        throw new XlsxError('unreadable', `${this.part}: an XML element never ends (the XML is damaged)`);
      }
    }
  }
}

class SharedStringsScanner extends ChunkScanner {
  readonly strings: string[] = [];
  private names = new Names('');
  private siOpen = '<si';
  private siClose = '</si>';

  protected setPrefix(p: string): void {
    this.names = new Names(p);
    this.siOpen = `<${p}si`;
    this.siClose = `</${p}si>`;
  }

  protected scan(buf: string, pos: number): number {
    const { siOpen, siClose, names } = this;
    const len = buf.length;
    for (;;) {
      const lt = buf.indexOf(siOpen, pos);
      if (lt < 0) {
        const last = buf.lastIndexOf('<');
        return last >= pos ? last : len;
      }
      const after = lt + siOpen.length;
      if (after >= len) return lt;
      const c = buf.charCodeAt(after);
      if (c !== 62 && c !== 47 && !isSpace(c)) {
        pos = after;
        continue;
      }
      const gt = buf.indexOf('>', after);
      if (gt < 0) return lt;
      if (buf.charCodeAt(gt - 1) === 47) {
        this.strings.push('');
        pos = gt + 1;
        continue;
      }
      const end = buf.indexOf(siClose, gt + 1);
      if (end < 0) return lt;
      this.strings.push(detach(stringItem(buf, gt + 1, end, names)));
      pos = end + siClose.length;
    }
  }
}

async function readSharedStrings(
  file: string,
  e: ZipEntry,
  start: number,
  progress: XlsxProgress,
): Promise<string[]> {
  const dec = utf8Decoder(e.name);
  const scanner = new SharedStringsScanner(e.name);
  for await (const b of entryBytes(file, e, start, progress)) {
    for (let i = 0; i < b.length; i += DECODE_BYTES) scanner.push(dec.write(b.subarray(i, i + DECODE_BYTES)));
  }
  scanner.push(dec.end());
  return scanner.strings;
}

// ---------------------------------------------------------------------------------------------
// Worksheet

const INTEGER = /^\s*[+-]?\d+\s*$/;

/** A number cell's text: `String(Number(raw))`, but integers beyond 2^53 keep their digits. */
function numberText(raw: string): string | null {
  if (raw.length === 0) return null;
  const n = Number(raw);
  if (n === 0 && raw.trim() === '') return null;
  if (!Number.isFinite(n)) return raw.trim();
  if (Number.isInteger(n) && !Number.isSafeInteger(n) && INTEGER.test(raw)) return raw.trim();
  return String(n);
}

/** Cell types (`t`), as small numbers so the hot loop does not slice the attribute. */
const T_NUMBER = 0;
const T_SHARED = 1;
const T_STR = 2;
const T_INLINE = 3;
const T_BOOL = 4;
const T_ERROR = 5;
const T_DATE = 6;
const T_OTHER = 7;

function typeOf(s: string, a: number, b: number): number {
  const n = b - a;
  if (n === 1) {
    switch (s.charCodeAt(a)) {
      case 115: // s
        return T_SHARED;
      case 110: // n
        return T_NUMBER;
      case 98: // b
        return T_BOOL;
      case 101: // e
        return T_ERROR;
      case 100: // d
        return T_DATE;
      default:
        return T_OTHER;
    }
  }
  if (n === 3 && s.charCodeAt(a) === 115 && s.charCodeAt(a + 1) === 116 && s.charCodeAt(a + 2) === 114) {
    return T_STR;
  }
  if (n === 9 && s.startsWith('inlineStr', a)) return T_INLINE;
  return n === 0 ? T_NUMBER : T_OTHER;
}

class SheetScanner extends ChunkScanner {
  /** Completed rows, taken by the reader after each chunk. */
  out: XlsxRow[] = [];
  /** 0 before `<sheetData>`, 1 inside it, 2 after it. */
  private state = 0;
  private names = new Names('');
  private rowTag = 'row';
  private cTag = 'c';
  private cFirst = 99;
  private sheetDataTag = 'sheetData';
  private cClose = '</c>';
  private vOpen = '<v';
  private vOpenGt = '<v>';
  private vClose = '</v>';
  private isOpen = '<is';
  private isClose = '</is>';
  private rowNum = 0;
  private col = -1;
  private values: (string | null)[] | null = null;
  /** Set by `cellTag`: the column of the cell's `r` (-1 without one), its type. */
  private refCol = -1;
  private type = T_NUMBER;

  constructor(
    part: string,
    private readonly shared: string[],
  ) {
    super(part);
  }

  protected setPrefix(p: string): void {
    if (p === '') return;
    this.names = new Names(p);
    this.rowTag = `${p}row`;
    this.cTag = `${p}c`;
    this.cFirst = this.cTag.charCodeAt(0);
    this.sheetDataTag = `${p}sheetData`;
    this.cClose = `</${p}c>`;
    this.vOpen = `<${p}v`;
    this.vOpenGt = `<${p}v>`;
    this.vClose = `</${p}v>`;
    this.isOpen = `<${p}is`;
    this.isClose = `</${p}is>`;
  }

  private endRow(): void {
    const v = this.values;
    if (v !== null && v.length > 0) this.out.push({ row: this.rowNum, values: v });
    this.values = null;
  }

  private startRow(s: string, from: number, to: number): void {
    this.endRow();
    const a = attrStart(s, from, to, 'r');
    const r = a >= 0 ? Number(s.slice(a, attrEnd)) : Number.NaN;
    this.rowNum = Number.isInteger(r) && r >= 1 ? r : this.rowNum + 1;
    this.col = -1;
    this.values = [];
  }

  /**
   * Reads the attributes of a `<c>` tag from s[from] on: sets refCol and type; returns where the
   * tag's '>' is, or -1 when the tag does not end before `to`.
   */
  private cellTag(s: string, from: number, to: number): number {
    this.refCol = -1;
    this.type = T_NUMBER;
    let i = from;
    while (i < to) {
      const c = s.charCodeAt(i);
      if (c === 62) return i;
      if (c === 32 || c === 47 || isSpace(c)) {
        i++;
        continue;
      }
      let start: number;
      let quote = 34;
      let oneLetter = true;
      if (s.charCodeAt(i + 1) === 61 && s.charCodeAt(i + 2) === 34) {
        // The usual form: a one-letter name, '=', '"'.
        start = i + 3;
      } else {
        let j = i;
        let k = c;
        while (j < to && k !== 61 && !isSpace(k)) k = s.charCodeAt(++j);
        oneLetter = j - i === 1;
        while (j < to && k !== 61) k = s.charCodeAt(++j);
        k = s.charCodeAt(++j);
        while (j < to && isSpace(k)) k = s.charCodeAt(++j);
        if (k !== 34 && k !== 39) return j < to ? this.badTag(s, from) : -1;
        quote = k;
        start = j + 1;
      }
      let j = start;
      let k = s.charCodeAt(j);
      if (oneLetter && c === 114) {
        // r="AB12": the column from its letters (either case; 'A' & 31 = 'a' & 31 = 1).
        let col = 0;
        while ((k >= 65 && k <= 90) || (k >= 97 && k <= 122)) {
          col = col * 26 + (k & 31);
          k = s.charCodeAt(++j);
        }
        if (j > start) this.refCol = col - 1;
      }
      while (k !== quote && j < to) k = s.charCodeAt(++j);
      if (j >= to) return -1;
      if (oneLetter && c === 116) this.type = typeOf(s, start, j);
      i = j + 1;
    }
    return -1;
  }

  private badTag(s: string, from: number): never {
    throw new XlsxError(
      'unreadable',
      `${this.part}: a damaged cell tag near row ${this.rowNum}: ${s.slice(from - 2, from + 40)}`,
    );
  }

  /** The column of the cell just read by `cellTag`: from its `r` (A=0), else the next one. */
  private cellColumn(): number {
    const col = this.refCol >= 0 ? this.refCol : this.col + 1;
    if (col >= MAX_COLUMNS) {
      throw new XlsxError('unreadable', `${this.part}: a cell lies beyond column XFD (row ${this.rowNum})`);
    }
    this.col = col;
    if (this.values === null) {
      // A cell outside any <row>: take it as a row of its own.
      this.rowNum++;
      this.values = [];
    }
    return col;
  }

  /** Raw character data of the cell's `<v>` within s[from, to), or null without one. */
  private vText(s: string, from: number, to: number): string | null {
    let i = from;
    for (;;) {
      const lt = s.indexOf(this.vOpen, i);
      if (lt < 0 || lt >= to) return null;
      const c = s.charCodeAt(lt + this.vOpen.length);
      if (c === 62 || c === 47 || isSpace(c)) {
        const gt = s.indexOf('>', lt);
        if (gt < 0 || gt >= to || s.charCodeAt(gt - 1) === 47) return '';
        const end = s.indexOf(this.vClose, gt + 1);
        if (end < 0 || end > to) return null;
        return charData(s, gt + 1, end);
      }
      i = lt + this.vOpen.length;
    }
  }

  /** The text of a cell of type `this.type` whose value (`<v>` text) is `raw`. */
  private valueText(raw: string | null): string | null {
    if (raw === null) return null;
    switch (this.type) {
      case T_NUMBER:
        return numberText(raw);
      case T_SHARED: {
        if (raw === '') return null;
        const i = Number(raw);
        if (!Number.isInteger(i) || i < 0 || i >= this.shared.length) {
          throw new XlsxError(
            'unreadable',
            `${this.part}: row ${this.rowNum} refers to shared string ${raw.trim()}, ` +
              `but the workbook has ${this.shared.length}`,
          );
        }
        return this.shared[i];
      }
      case T_BOOL: {
        const v = raw.trim().toLowerCase();
        return v === '' ? null : v === '0' || v === 'false' ? 'false' : 'true';
      }
      case T_ERROR:
      case T_DATE:
        return raw;
      default:
        // 'str' (a formula's string result), 'inlineStr' written as <v>, anything unknown.
        return unescapeExcel(raw);
    }
  }

  /** The text of a cell whose content is s(gt, endC), by its `<is>` or `<v>`. */
  private content(s: string, gt: number, endC: number): string | null {
    if (this.type === T_INLINE) {
      const is = s.indexOf(this.isOpen, gt + 1);
      if (is >= 0 && is < endC) {
        const isGt = s.indexOf('>', is);
        if (s.charCodeAt(isGt - 1) === 47) return null;
        const isEnd = s.indexOf(this.isClose, isGt);
        return stringItem(s, isGt + 1, isEnd >= 0 && isEnd < endC ? isEnd : endC, this.names);
      }
    }
    return this.valueText(this.vText(s, gt + 1, endC));
  }

  private put(col: number, text: string | null): void {
    if (text === null || text === '') return;
    const v = this.values as (string | null)[];
    while (v.length < col) v.push(null);
    v[col] = text;
  }

  protected scan(buf: string, pos: number): number {
    if (this.done) return buf.length;
    const len = buf.length;
    const { rowTag, cTag, cFirst, sheetDataTag, cClose, vOpenGt, vClose } = this;
    const prefixed = cTag.length > 1;
    const cEnd = cTag.length + 1;
    while (pos < len) {
      const lt = buf.charCodeAt(pos) === 60 ? pos : buf.indexOf('<', pos);
      if (lt < 0) {
        pos = len;
        break;
      }
      const c1 = buf.charCodeAt(lt + 1);
      if (lt + 1 >= len) {
        pos = lt;
        break;
      }
      if (c1 === cFirst && this.state === 1) {
        const d = buf.charCodeAt(lt + cEnd);
        if (
          (d === 32 || d === 62 || d === 47 || isSpace(d)) &&
          (cEnd === 2 || buf.startsWith(cTag, lt + 1))
        ) {
          // A cell.
          const gt = this.cellTag(buf, lt + cEnd, len);
          if (gt < 0) {
            pos = lt;
            break;
          }
          if (buf.charCodeAt(gt - 1) === 47) {
            this.cellColumn();
            pos = gt + 1;
            continue;
          }
          // Fast path: <c …><v>…</v></c>.
          if (
            prefixed
              ? buf.startsWith(vOpenGt, gt + 1)
              : buf.charCodeAt(gt + 1) === 60 &&
                buf.charCodeAt(gt + 2) === 118 &&
                buf.charCodeAt(gt + 3) === 62
          ) {
            const vs = gt + 1 + vOpenGt.length;
            const ve = buf.indexOf(vClose, vs);
            if (ve < 0) {
              pos = lt;
              break;
            }
            const after = ve + vClose.length;
            const type = this.type;
            if (
              type !== T_INLINE &&
              (prefixed
                ? buf.startsWith(cClose, after)
                : buf.charCodeAt(after) === 60 &&
                  buf.charCodeAt(after + 1) === 47 &&
                  buf.charCodeAt(after + 2) === 99 &&
                  buf.charCodeAt(after + 3) === 62)
            ) {
              const col = this.cellColumn();
              let text: string | null = null;
              if (type === T_SHARED) {
                let idx = 0;
                let i = vs;
                for (; i < ve; i++) {
                  const c = buf.charCodeAt(i);
                  if (c < 48 || c > 57) break;
                  idx = idx * 10 + (c - 48);
                }
                text =
                  i === ve && i > vs && idx < this.shared.length
                    ? this.shared[idx]
                    : this.valueText(cellValue(buf, vs, ve, false));
              } else if (type === T_STR || type === T_OTHER) {
                text = cellValue(buf, vs, ve, true);
              } else {
                text = this.valueText(cellValue(buf, vs, ve, false));
              }
              this.put(col, text);
              pos = after + cClose.length;
              continue;
            }
          }
          const endC = buf.indexOf(cClose, gt + 1);
          if (endC < 0) {
            pos = lt;
            break;
          }
          const col = this.cellColumn();
          this.put(col, this.content(buf, gt, endC));
          pos = endC + cClose.length;
          continue;
        }
      }
      if (c1 === 63 || c1 === 33) {
        // <?…?>, <!--…-->, <![CDATA[…]]> or <!…> outside a cell: skipped.
        if (len - lt < 9) {
          pos = lt;
          break;
        }
        const close = buf.startsWith('<!--', lt) ? '-->' : buf.startsWith('<![CDATA[', lt) ? ']]>' : '>';
        const end = buf.indexOf(close, lt + 2);
        if (end < 0) {
          pos = lt;
          break;
        }
        pos = end + close.length;
        continue;
      }
      const gt = buf.indexOf('>', lt + 1);
      if (gt < 0) {
        pos = lt;
        break;
      }
      if (c1 === 47) {
        const ne = nameEnd(buf, lt + 2);
        if (this.state === 1) {
          if (isName(buf, lt + 2, ne, rowTag)) this.endRow();
          else if (isName(buf, lt + 2, ne, sheetDataTag)) {
            this.endRow();
            this.state = 2;
            pos = len;
            break;
          }
        }
        pos = gt + 1;
        continue;
      }
      const ne = nameEnd(buf, lt + 1);
      const selfClosing = buf.charCodeAt(gt - 1) === 47;
      if (this.state === 0) {
        if (isName(buf, lt + 1, ne, sheetDataTag)) this.state = selfClosing ? 2 : 1;
        pos = gt + 1;
        if (this.state === 2) break;
        continue;
      }
      if (isName(buf, lt + 1, ne, rowTag)) {
        this.startRow(buf, ne, selfClosing ? gt - 1 : gt);
        if (selfClosing) this.values = null;
      }
      pos = gt + 1;
    }
    if (this.state === 2) this.done = true;
    return this.done ? len : pos;
  }

  /** After the last chunk: throws when the sheet's XML stopped before `</sheetData>`. */
  end(): void {
    if (this.state === 1) {
      throw new XlsxError('truncated', `${this.part} stops in the middle of its rows: the file is cut off`);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Workbook

type Part = { entry: ZipEntry; start: number };

/** Resolves a relationship target against the directory of the part that holds it. */
function resolveTarget(baseDir: string, target: string): string {
  const path = target.replace(/\\/g, '/');
  const segs = path.startsWith('/') ? [] : baseDir.split('/').filter((x) => x !== '');
  for (const seg of path.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') segs.pop();
    else segs.push(seg);
  }
  return segs.join('/');
}

/** Every element `<prefix:local …>` of a small XML text, with its attributes, in order. */
function elements(xml: string, local: string): Map<string, string>[] {
  const root = rootPrefix(xml);
  const tag = `<${root ? root.prefix : ''}${local}`;
  const out: Map<string, string>[] = [];
  let i = 0;
  for (;;) {
    const lt = xml.indexOf(tag, i);
    if (lt < 0) break;
    const after = lt + tag.length;
    const c = xml.charCodeAt(after);
    const gt = xml.indexOf('>', after);
    if (gt < 0) break;
    if (c === 62 || c === 47 || isSpace(c)) {
      out.push(attributes(xml, after, xml.charCodeAt(gt - 1) === 47 ? gt - 1 : gt));
    }
    i = gt + 1;
  }
  return out;
}

type Relationship = { type: string; target: string };

function relationships(xml: string, baseDir: string): Map<string, Relationship> {
  const out = new Map<string, Relationship>();
  for (const a of elements(xml, 'Relationship')) {
    const id = a.get('Id');
    const target = a.get('Target');
    if (id === undefined || target === undefined || a.get('TargetMode') === 'External') continue;
    out.set(id, { type: a.get('Type') ?? '', target: resolveTarget(baseDir, target) });
  }
  return out;
}

function relsPathOf(partName: string): string {
  const slash = partName.lastIndexOf('/');
  return `${partName.slice(0, slash + 1)}_rels/${partName.slice(slash + 1)}.rels`;
}

/** A worksheet of the workbook: its name (as on the tab) and its part. */
type SheetRef = { name: string; target: string };

async function locateParts(
  fh: FileHandle,
  file: string,
  size: number,
  progress: XlsxProgress,
): Promise<{ entries: Map<string, ZipEntry>; sheets: SheetRef[]; shared: Part | null }> {
  const entries = await readCentralDirectory(fh, size, progress);
  const text = async (e: ZipEntry) => entryText(file, e, await dataStart(fh, e, size, progress), progress);
  let workbookName = 'xl/workbook.xml';
  let workbook = findEntry(entries, workbookName);
  if (!workbook) {
    // Not where Excel puts it: follow the package's officeDocument relationship.
    const pkgRels = findEntry(entries, '_rels/.rels');
    if (pkgRels) {
      for (const rel of relationships(await text(pkgRels), '').values()) {
        if (rel.type.endsWith('/officeDocument')) {
          workbookName = rel.target;
          workbook = findEntry(entries, workbookName);
          break;
        }
      }
    }
  }
  if (!workbook)
    throw new XlsxError(
      'unreadable',
      'the file has no xl/workbook.xml: it is not an xlsx workbook',
      '文件中没有 xl/workbook.xml，不是 xlsx 工作簿',
    );
  const baseDir = workbookName.slice(0, workbookName.lastIndexOf('/') + 1);
  const relsEntry = findEntry(entries, relsPathOf(workbookName));
  if (!relsEntry) throw new XlsxError('unreadable', `the workbook has no ${relsPathOf(workbookName)}`);
  const rels = relationships(await text(relsEntry), baseDir);
  const sheets: SheetRef[] = [];
  for (const attrs of elements(await text(workbook), 'sheet')) {
    let rid: string | undefined;
    for (const [k, v] of attrs) if (k.endsWith(':id')) rid = v;
    const rel = rid === undefined ? undefined : rels.get(rid);
    if (rel?.type.endsWith('/worksheet')) sheets.push({ name: attrs.get('name') ?? '', target: rel.target });
  }
  if (sheets.length === 0)
    throw new XlsxError('unreadable', 'the workbook has no worksheet', '工作簿中没有工作表');
  let sharedName = `${baseDir}sharedStrings.xml`;
  for (const rel of rels.values()) if (rel.type.endsWith('/sharedStrings')) sharedName = rel.target;
  const sharedEntry = findEntry(entries, sharedName);
  return {
    entries,
    sheets,
    shared: sharedEntry
      ? { entry: sharedEntry, start: await dataStart(fh, sharedEntry, size, progress) }
      : null,
  };
}

export type XlsxReadOptions = {
  /** The worksheet to read first, by its tab name (a feed's sheet, e.g. 出生医学证明). */
  sheetName?: string;
};

/**
 * Rows of the workbook's first worksheet that holds a value, streaming: the sheet named
 * `sheetName` when there is one, else the worksheets in workbook order — an empty sheet a
 * clerk left in front of the data (Sheet1) is passed over.
 */
export async function* readXlsxRows(
  file: string,
  progress: XlsxProgress = { bytesRead: 0, totalBytes: 0 },
  opts: XlsxReadOptions = {},
): AsyncGenerator<XlsxRow> {
  const fh = await open(file, 'r');
  try {
    const size = (await fh.stat()).size;
    progress.totalBytes = size;
    const located = await locateParts(fh, file, size, progress);
    const { entries, sheets } = located;
    const order = [
      ...sheets.filter((s) => s.name === opts.sheetName),
      ...sheets.filter((s) => s.name !== opts.sheetName),
    ];
    let shared: string[] | null = null;
    for (const ref of order) {
      const entry = findEntry(entries, ref.target);
      if (!entry)
        throw new XlsxError(
          'unreadable',
          `the workbook's worksheet ${ref.target} is missing`,
          `工作簿的工作表「${ref.name}」缺失`,
        );
      const start = await dataStart(fh, entry, size, progress);
      shared ??= located.shared
        ? await readSharedStrings(file, located.shared.entry, located.shared.start, progress)
        : [];
      const dec = utf8Decoder(entry.name);
      const scanner = new SheetScanner(entry.name, shared);
      let any = false;
      for await (const b of entryBytes(file, entry, start, progress)) {
        for (let i = 0; i < b.length; i += DECODE_BYTES)
          scanner.push(dec.write(b.subarray(i, i + DECODE_BYTES)));
        if (scanner.out.length > 0) {
          const rows = scanner.out;
          scanner.out = [];
          any = true;
          for (const r of rows) yield r;
        }
      }
      scanner.push(dec.end());
      if (scanner.out.length > 0) any = true;
      for (const r of scanner.out) yield r;
      scanner.end();
      if (any) break;
    }
    progress.bytesRead = progress.totalBytes;
  } finally {
    await fh.close();
  }
}
