/**
 * Streaming feed writers: CSV (GBK through an iconv-lite encoder stream, or UTF-8 with BOM),
 * xlsx (exceljs's streaming WorkbookWriter, split into several files past Excel's row limit)
 * and JSON lines. Each buffers about 64 KB of text and waits for 'drain' when the file
 * falls behind, so memory stays flat however large the city.
 */
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { rename } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import type { FeedFormat, FeedSpec, SourceId } from './specs.ts';
import { XLSX_MAX_DATA_ROWS } from './specs.ts';

export type Cell = string | number | null;

export type ManifestEntry = { source: SourceId; file: string; format: FeedFormat; rows: number };

export type FeedWriter = {
  readonly rows: number;
  /** Writes a row; returns a promise only when the caller should wait (backpressure). */
  write(row: Cell[]): Promise<void> | undefined;
  close(): Promise<ManifestEntry[]>;
};

const FLUSH_AT = 1 << 18;

function csvField(v: Cell): string {
  if (v === null) return '';
  const s = typeof v === 'number' ? String(v) : v;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** Text files (CSV, JSON lines) through an optional encoder into a file stream. */
abstract class TextWriter implements FeedWriter {
  rows = 0;
  private buffer = '';
  private readonly file: WriteStream;
  private readonly target: Writable;

  constructor(
    protected readonly spec: FeedSpec,
    private readonly dir: string,
    gbk: boolean,
  ) {
    this.file = createWriteStream(path.join(dir, spec.file));
    if (gbk) {
      const enc = iconv.encodeStream('gbk') as unknown as Writable & { pipe(dest: Writable): Writable };
      enc.pipe(this.file);
      this.target = enc;
    } else {
      this.target = this.file;
    }
  }

  protected push(text: string): Promise<void> | undefined {
    this.buffer += text;
    return this.buffer.length >= FLUSH_AT ? this.flush() : undefined;
  }

  private flush(): Promise<void> | undefined {
    if (this.buffer.length === 0) return undefined;
    const chunk = this.buffer;
    this.buffer = '';
    if (!this.target.write(chunk)) return once(this.target, 'drain').then(() => undefined);
    return undefined;
  }

  abstract write(row: Cell[]): Promise<void> | undefined;

  async close(): Promise<ManifestEntry[]> {
    await this.flush();
    const done = once(this.file, 'close');
    this.target.end();
    await done;
    void this.dir;
    return [{ source: this.spec.source, file: this.spec.file, format: this.spec.format, rows: this.rows }];
  }
}

export class CsvWriter extends TextWriter {
  constructor(spec: FeedSpec, dir: string) {
    super(spec, dir, spec.encoding === 'gbk');
    // UTF-8 files carry a BOM (what Excel expects); GBK files never do.
    const header = spec.columns.map((c) => csvField(c.header)).join(',');
    void this.push(`${spec.encoding === 'utf-8-bom' ? '\ufeff' : ''}${header}\r\n`);
  }

  write(row: Cell[]): Promise<void> | undefined {
    this.rows++;
    let line = csvField(row[0]);
    for (let i = 1; i < row.length; i++) line += `,${csvField(row[i])}`;
    return this.push(`${line}\r\n`);
  }
}

export class JsonlWriter extends TextWriter {
  private readonly keys: string[];
  constructor(spec: FeedSpec, dir: string) {
    super(spec, dir, false);
    this.keys = spec.columns.map((c) => c.key);
  }

  write(row: Cell[]): Promise<void> | undefined {
    this.rows++;
    const o: Record<string, Cell> = {};
    for (let i = 0; i < this.keys.length; i++) o[this.keys[i]] = row[i];
    return this.push(`${JSON.stringify(o)}\n`);
  }
}

// --- xlsx -------------------------------------------------------------------------------------

type Archiver = { _normalizeEntryData(data: { date?: unknown } | undefined, stats?: unknown): unknown };
let constructingDate: Date | null = null;
let archiverPatched = false;

/**
 * exceljs zips through archiver, which stamps every entry with the current time. For byte-
 * identical output we give the entries of our workbooks a fixed date (the as-of day). Only
 * archives flagged by us are touched; archiver elsewhere in the process is unchanged.
 */
function patchArchiverDates(): void {
  if (archiverPatched) return;
  const requireFromExceljs = createRequire(createRequire(import.meta.url).resolve('exceljs'));
  const Core = requireFromExceljs('archiver/lib/core') as { prototype: Archiver };
  const original = Core.prototype._normalizeEntryData;
  Core.prototype._normalizeEntryData = function (this: Archiver & { __junhengDate?: Date }, data, stats) {
    const fixed = this.__junhengDate ?? constructingDate;
    if (fixed && data && data.date == null) data = { ...data, date: fixed };
    return original.call(this, data, stats);
  };
  archiverPatched = true;
}

type SheetWriter = {
  addRow(values: Cell[]): { commit(): void };
  /** Synchronous for exceljs's streaming sheets. */
  commit(): void;
  stream?: { pipes?: Array<{ _writableState?: { length: number }; once(ev: string, cb: () => void): void }> };
};
type BookWriter = {
  addWorksheet(name: string): SheetWriter;
  commit(): Promise<void>;
  zip: { __junhengDate?: Date };
};

export class XlsxWriter implements FeedWriter {
  rows = 0;
  private part = 0;
  private partRows = 0;
  private book: BookWriter | null = null;
  private sheet: SheetWriter | null = null;
  private readonly entries: ManifestEntry[] = [];
  private readonly finishing: Promise<void>[] = [];
  private readonly stem: string;
  private readonly numeric: boolean[];

  constructor(
    private readonly spec: FeedSpec,
    private readonly dir: string,
    private readonly date: Date,
    private readonly maxRows = XLSX_MAX_DATA_ROWS,
  ) {
    patchArchiverDates();
    this.stem = spec.file.replace(/\.xlsx$/, '');
    this.numeric = spec.columns.map((c) => c.type === 'integer' || c.type === 'decimal');
    this.open();
  }

  private partName(k: number): string {
    return `${this.stem}-${String(k).padStart(3, '0')}.xlsx`;
  }

  private open(): void {
    this.part++;
    this.partRows = 0;
    constructingDate = this.date;
    try {
      this.book = new ExcelJS.stream.xlsx.WorkbookWriter({
        filename: path.join(this.dir, this.partName(this.part)),
        useSharedStrings: false,
        useStyles: false,
        // biome-ignore lint/suspicious/noExplicitAny: exceljs types omit these options
      } as any) as unknown as BookWriter;
    } finally {
      constructingDate = null;
    }
    this.book.zip.__junhengDate = this.date;
    const b = this.book as unknown as {
      created: Date;
      modified: Date;
      creator: string;
      lastModifiedBy: string;
    };
    b.created = this.date;
    b.modified = this.date;
    b.creator = 'junheng synth';
    b.lastModifiedBy = 'junheng synth';
    this.sheet = this.book.addWorksheet(this.spec.sheetName ?? 'Sheet1');
    this.sheet.addRow(this.spec.columns.map((c) => c.header)).commit();
  }

  /** Commits the current part in the background and starts the next one at once. */
  private rollOver(): void {
    const sheet = this.sheet!;
    const book = this.book!;
    this.entries.push({
      source: this.spec.source,
      file: this.partName(this.part),
      format: 'xlsx',
      rows: this.partRows,
    });
    sheet.commit();
    this.finishing.push(book.commit());
    this.open();
  }

  write(row: Cell[]): Promise<void> | undefined {
    if (this.partRows >= this.maxRows) this.rollOver();
    this.rows++;
    this.partRows++;
    const values = row.map((v, i) => (v === null ? null : this.numeric[i] && v !== '' ? Number(v) : v));
    this.sheet!.addRow(values).commit();
    if ((this.partRows & 1023) === 0) {
      // The sheet's XML waits in a PassThrough in front of the zip deflater: wait when it piles up.
      const pipe = this.sheet!.stream?.pipes?.[0];
      if (pipe?._writableState && pipe._writableState.length > 4_000_000) {
        return new Promise((resolve) => pipe.once('drain', () => resolve()));
      }
    }
    return undefined;
  }

  async close(): Promise<ManifestEntry[]> {
    this.entries.push({
      source: this.spec.source,
      file: this.partName(this.part),
      format: 'xlsx',
      rows: this.partRows,
    });
    this.sheet!.commit();
    await this.book!.commit();
    await Promise.all(this.finishing);
    // One part: plain file name, no suffix.
    if (this.part === 1) {
      await rename(path.join(this.dir, this.partName(1)), path.join(this.dir, this.spec.file));
      this.entries[0] = { ...this.entries[0], file: this.spec.file };
    }
    return this.entries;
  }
}

export function openWriter(spec: FeedSpec, dir: string, date: Date, xlsxMaxRows?: number): FeedWriter {
  if (spec.format === 'csv') return new CsvWriter(spec, dir);
  if (spec.format === 'jsonl') return new JsonlWriter(spec, dir);
  return new XlsxWriter(spec, dir, date, xlsxMaxRows);
}
