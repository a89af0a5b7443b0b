/**
 * exceljs's streaming reading of a workbook's first worksheet, values as text: the reference
 * that `xlsx-reader.ts` is compared with (its tests, `npm run bench:xlsx`). exceljs itself
 * decodes each inflated chunk on its own, so a Chinese character split across two chunks would
 * become U+FFFD (exceljs 4.4); it is handed text decoded across chunks here.
 */
import { createReadStream } from 'node:fs';
import ExcelJS from 'exceljs';
import type { XlsxRow } from './xlsx-reader.ts';

/** An exceljs cell value as text ({ error: '#N/A' } → '#N/A'); empty → null. */
export function cellText(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v === '' ? null : v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    const o = v as { text?: unknown; result?: unknown; error?: unknown; richText?: Array<{ text: string }> };
    if (o.richText) return o.richText.map((r) => r.text).join('');
    if (o.text !== undefined) return cellText(o.text);
    if (o.result !== undefined) return cellText(o.result);
    if (o.error !== undefined) return cellText(o.error);
  }
  return String(v);
}

async function* decodeUtf8(it: AsyncIterable<unknown>): AsyncGenerator<string> {
  const d = new TextDecoder('utf-8');
  for await (const c of it) yield typeof c === 'string' ? c : d.decode(c as Uint8Array, { stream: true });
  const tail = d.decode();
  if (tail) yield tail;
}

/**
 * The first worksheet's rows as exceljs reads them, with trailing nulls dropped and rows
 * without a value left out (as `readXlsxRows` gives them).
 */
export async function* exceljsRows(file: string): AsyncGenerator<XlsxRow> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(createReadStream(file, { highWaterMark: 1 << 16 }), {
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'ignore',
    worksheets: 'emit',
    entries: 'ignore',
  } as never);
  const r = reader as unknown as {
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
  for await (const ws of reader as unknown as AsyncIterable<
    AsyncIterable<{ number: number; values: unknown[] }>
  >) {
    for await (const row of ws) {
      const values = Array.from((row.values ?? []).slice(1), cellText);
      while (values.length > 0 && values[values.length - 1] === null) values.pop();
      if (values.length > 0) yield { row: row.number, values };
    }
    break; // the first worksheet only
  }
}
