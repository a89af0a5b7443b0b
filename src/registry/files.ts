/**
 * Files handed to department staff: the empty template of a feed (from its spec) and the
 * Excel list of an import's rejected rows (ID and phone numbers masked).
 */
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import type { FeedSpec } from '../synth/feeds/specs.ts';
import { reasonMessage } from './feeds.ts';

export type FileOut = { body: Buffer; contentType: string; fileName: string };

function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** The empty template of a feed: the header row in the feed's format and encoding. */
export async function templateOf(spec: FeedSpec): Promise<FileOut> {
  if (spec.format === 'csv') {
    const header = `${spec.columns.map((c) => csvField(c.header)).join(',')}\r\n`;
    const body =
      spec.encoding === 'gbk'
        ? iconv.encode(header, 'gbk')
        : Buffer.from(`${spec.encoding === 'utf-8-bom' ? '\ufeff' : ''}${header}`, 'utf8');
    return { body, contentType: 'text/csv', fileName: spec.file };
  }
  if (spec.format === 'jsonl') {
    // JSON lines have no header: the template is one line with every key, values null.
    const line = `${JSON.stringify(Object.fromEntries(spec.columns.map((c) => [c.key, null])))}\n`;
    return { body: Buffer.from(line, 'utf8'), contentType: 'application/jsonl', fileName: spec.file };
  }
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(spec.sheetName ?? 'Sheet1');
  ws.addRow(spec.columns.map((c) => c.header));
  ws.getRow(1).font = { bold: true };
  const notes = wb.addWorksheet('说明');
  notes.addRow(['列名', '字段', '类型', '可为空', '说明']);
  for (const c of spec.columns)
    notes.addRow([c.header, c.key, c.type, c.nullable ? '是' : '否', c.description]);
  const body = Buffer.from(await wb.xlsx.writeBuffer());
  return {
    body,
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    fileName: spec.file,
  };
}

export type RejectRow = {
  line_no: number;
  record_id: string | null;
  reason: string;
  column_key: string | null;
  row_values: Record<string, unknown>;
};

/** The rejected rows of an import as an Excel workbook (values already masked). */
export async function rejectsWorkbook(
  spec: FeedSpec,
  importId: number,
  rows: Iterable<RejectRow>,
): Promise<FileOut> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('退回记录');
  const header = [
    '行号',
    '记录编号',
    '原因代码',
    '原因',
    'Reason',
    '列',
    ...spec.columns.map((c) => c.header),
  ];
  ws.addRow(header);
  ws.getRow(1).font = { bold: true };
  for (const r of rows) {
    const m = reasonMessage(r.reason);
    const col = spec.columns.find((c) => c.key === r.column_key);
    ws.addRow([
      r.line_no,
      r.record_id ?? '',
      r.reason,
      m['zh-CN'],
      m.en,
      col?.header ?? r.column_key ?? '',
      ...spec.columns.map((c) => {
        const v = r.row_values[c.key];
        return v === null || v === undefined ? '' : String(v);
      }),
    ]);
  }
  return {
    body: Buffer.from(await wb.xlsx.writeBuffer()),
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    fileName: `rejects-${importId}.xlsx`,
  };
}
