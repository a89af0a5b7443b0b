/** Small feed files written from the specs, for the registry's tests. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll } from 'vitest';
import { makeIdNumber } from '../domain/id-number.ts';
import { type FeedSpec, findFeed } from './feeds.ts';

/** Folders made by `tmp()`. This module is loaded afresh for each test file (vitest isolates
 * files), so the hook below runs after that file's tests and removes them. */
const made: string[] = [];
afterAll(() => {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A temporary folder for a test file's feeds, removed after its tests. */
export const tmp = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'junheng-reg-'));
  made.push(d);
  return d;
};

export type Row = Record<string, string | number | null>;

function csvField(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function spec(id: string): FeedSpec {
  const s = findFeed(id);
  if (!s) throw new Error(id);
  return s;
}

/** A CSV feed file; `encoding` overrides the spec's (to make wrong-encoding files). */
export function writeCsv(
  dir: string,
  feedId: string,
  rows: Row[],
  opts: { encoding?: 'gbk' | 'utf-8' | 'utf-8-bom'; headers?: string[]; cut?: number; name?: string } = {},
): string {
  const s = spec(feedId);
  const headers = opts.headers ?? s.columns.map((c) => c.header);
  let text = `${headers.map(csvField).join(',')}\r\n`;
  for (const r of rows) text += `${s.columns.map((c) => csvField(r[c.key])).join(',')}\r\n`;
  if (opts.cut) text = text.slice(0, text.length - opts.cut);
  const enc = opts.encoding ?? s.encoding;
  const body =
    enc === 'gbk'
      ? iconv.encode(text, 'gbk')
      : Buffer.from(`${enc === 'utf-8-bom' ? '\ufeff' : ''}${text}`, 'utf8');
  const file = join(dir, opts.name ?? s.file);
  writeFileSync(file, body);
  return file;
}

export function writeJsonl(dir: string, feedId: string, rows: Row[], name?: string): string {
  const s = spec(feedId);
  const text = rows
    .map((r) => JSON.stringify(Object.fromEntries(s.columns.map((c) => [c.key, r[c.key] ?? null]))))
    .join('\n');
  const file = join(dir, name ?? s.file);
  writeFileSync(file, `${text}\n`);
  return file;
}

export async function writeXlsx(dir: string, feedId: string, rows: Row[], name?: string): Promise<string> {
  const s = spec(feedId);
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(s.sheetName ?? 'Sheet1');
  ws.addRow(s.columns.map((c) => c.header));
  for (const r of rows) ws.addRow(s.columns.map((c) => r[c.key] ?? null));
  const file = join(dir, name ?? s.file);
  await wb.xlsx.writeFile(file);
  return file;
}

let seq = 100;
/** A police-hukou row for a person (compact dates, GBK file). */
export function policeRow(p: {
  name: string;
  sex?: 'male' | 'female';
  birth: string;
  street?: string;
  id?: string;
  updatedAt?: string;
  address?: string;
  household?: string;
  relation?: string;
}): Row & { idNumber: string } {
  const sex = p.sex ?? 'male';
  seq++;
  const n = seq % 499;
  const id = p.id ?? makeIdNumber('530102', p.birth, sex === 'male' ? 2 * n + 1 : 2 * n);
  const c = (d: string) => d.replaceAll('-', '');
  return {
    recordId: `GA${id.slice(0, 6)}${String(seq).padStart(8, '0')}${id.slice(-4)}`,
    idNumber: id,
    name: p.name,
    sex: sex === 'male' ? '1' : '2',
    ethnicity: '汉族',
    birthDate: c(p.birth),
    householdNo: p.household ?? `1${String(seq).padStart(8, '0')}`,
    relation: p.relation ?? '02',
    householdKind: '家庭户',
    registrationKind: '户籍人口',
    hukouCounty: '530102',
    hukouStreet: p.street ?? '530102001',
    streetCode: p.street ?? '530102001',
    address: p.address ?? '云南省昆明市五华区华山街道某路1号',
    maritalStatus: '10',
    status: '正常',
    closedDate: null,
    registeredDate: c(p.birth),
    phone: null,
    updatedAt: p.updatedAt ?? '20250101120000',
  };
}

/** A medical-insurance enrolment row (UTF-8 CSV), by default without an ID number. */
export const miRow = (p: Partial<Row> & { recordId: string; name: string; birthDate: string }): Row => ({
  idNumber: null,
  sex: '1',
  scheme: '390',
  status: '1',
  enrolledDate: '2020-01-01',
  endedDate: null,
  countyCode: '530102',
  streetCode: '530102001',
  employer: null,
  employerCode: null,
  phone: null,
  updatedAt: '2025-01-01 10:00:00',
  ...p,
});
