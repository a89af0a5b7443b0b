import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseIdNumber } from '../domain/id-number.ts';
import { FAULT_TYPES } from './feeds/faults.ts';
import { FEEDS, type FeedSpec, SOURCES } from './feeds/specs.ts';
import { type WriteCityResult, writeCity } from './write-city.ts';

const SCALE = 0.002;
let root: string;
let a: string;
let b: string;
let result: WriteCityResult;

async function digest(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const f of (await readdir(dir)).sort()) {
    out[f] = createHash('sha256')
      .update(await readFile(path.join(dir, f)))
      .digest('hex');
  }
  return out;
}

/** Rows of any feed file as string cells (header first). */
async function readRows(dir: string, file: string, spec: FeedSpec): Promise<string[][]> {
  const buf = await readFile(path.join(dir, file));
  if (spec.format === 'xlsx') {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
    const rows: string[][] = [];
    for (const ws of wb.worksheets) {
      ws.eachRow({ includeEmpty: false }, (row) => {
        const cells: string[] = [];
        for (let i = 1; i <= spec.columns.length; i++) {
          const v = row.getCell(i).value;
          cells.push(v === null || v === undefined ? '' : String(v));
        }
        rows.push(cells);
      });
    }
    return rows;
  }
  if (spec.format === 'jsonl') {
    const lines = buf.toString('utf8').split('\n').filter(Boolean);
    return [
      spec.columns.map((c) => c.header),
      ...lines.map((l) => {
        const o = JSON.parse(l) as Record<string, unknown>;
        return spec.columns.map((c) => (o[c.key] === null ? '' : String(o[c.key])));
      }),
    ];
  }
  const text =
    spec.encoding === 'gbk' ? iconv.decode(buf, 'gbk') : buf.toString('utf8').replace(/^\ufeff/, '');
  // Our CSV never quotes fields that contain commas except addresses (which have none).
  return text
    .split('\r\n')
    .filter(Boolean)
    .map((l) => l.split(','));
}

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'junheng-synth-'));
  a = path.join(root, 'a');
  b = path.join(root, 'b');
  result = await writeCity({ seed: 11, scale: SCALE, outDir: a, faultDetails: true });
  await writeCity({ seed: 11, scale: SCALE, outDir: b, faultDetails: true });
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('writeCity', () => {
  it('is byte-identical for the same seed and scale', async () => {
    const da = await digest(a);
    const db = await digest(b);
    expect(Object.keys(da).length).toBeGreaterThan(12);
    expect(db).toEqual(da);
  });

  it('writes manifest.json exactly as specified', async () => {
    const manifest = JSON.parse(await readFile(path.join(a, 'manifest.json'), 'utf8')) as {
      feeds: Array<Record<string, unknown>>;
    };
    expect(Object.keys(manifest)).toEqual(['feeds']);
    const files = new Set(await readdir(a));
    for (const e of manifest.feeds) {
      expect(Object.keys(e)).toEqual(['source', 'file', 'format', 'rows']);
      expect(SOURCES).toContain(e.source);
      expect(['csv', 'xlsx', 'jsonl']).toContain(e.format);
      expect(typeof e.rows).toBe('number');
      expect(files.has(e.file as string)).toBe(true);
      expect(path.isAbsolute(e.file as string)).toBe(false);
    }
    expect(new Set(manifest.feeds.map((e) => e.source))).toEqual(new Set(SOURCES));
    expect(manifest).toEqual(result.manifest);
  });

  it('writes GBK CSV with Chinese headers, UTF-8 CSV with a BOM, and readable xlsx', async () => {
    for (const spec of FEEDS) {
      const entry = result.manifest.feeds.find((e) => e.file === spec.file)!;
      const rows = await readRows(a, spec.file, spec);
      expect(rows[0]).toEqual(spec.columns.map((c) => c.header));
      expect(rows.length - 1).toBe(entry.rows);
      if (spec.encoding === 'gbk') {
        const buf = await readFile(path.join(a, spec.file));
        // Not UTF-8: decoding as UTF-8 breaks, decoding as GBK gives the headers.
        expect(buf.toString('utf8').startsWith(spec.columns[0].header)).toBe(false);
        expect(iconv.decode(buf, 'gbk').split('\r\n')[0]).toBe(spec.columns.map((c) => c.header).join(','));
        expect(iconv.decode(buf, 'gbk')).not.toContain('\ufffd');
      }
      if (spec.encoding === 'utf-8-bom') {
        const buf = await readFile(path.join(a, spec.file));
        expect([...buf.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      }
    }
  });

  it('has valid ID numbers except exactly the injected bad checksums and blanks', async () => {
    for (const spec of FEEDS) {
      const rows = (await readRows(a, spec.file, spec)).slice(1);
      const faults = result.faults.feeds[spec.id].faults;
      const idCols = spec.columns.map((c, i) => [c, i] as const).filter(([c]) => c.type === 'id-number');
      for (const [col, i] of idCols) {
        let invalid = 0;
        let blank = 0;
        for (const r of rows) {
          if (r[i] === '') blank++;
          else if (!parseIdNumber(r[i], '2025-12-31').ok) invalid++;
        }
        if (col.key === spec.keys.idNumber) {
          expect(invalid, `${spec.id}.${col.key}`).toBe(faults.badChecksum);
          if (!col.nullable)
            expect(blank, `${spec.id}.${col.key}`).toBe(faults.missingFieldByColumn[col.key] ?? 0);
        } else {
          expect(invalid, `${spec.id}.${col.key}`).toBe(0);
        }
      }
    }
  });

  it('reports the faults it injected, per feed and type, at about the configured rates', async () => {
    const report = JSON.parse(await readFile(path.join(a, 'faults.json'), 'utf8')) as typeof result.faults;
    const details = (await readFile(path.join(a, 'faults-detail.jsonl'), 'utf8')).split('\n').filter(Boolean);
    const total = FAULT_TYPES.reduce((s, t) => s + report.totals[t], 0);
    expect(details.length).toBe(total);
    const rows = Object.values(report.feeds).reduce((s, f) => s + f.rows, 0);
    for (const t of FAULT_TYPES) {
      const rate = report.totals[t] / rows;
      expect(rate, t).toBeGreaterThan(report.rates[t] * 0.4);
      expect(rate, t).toBeLessThan(report.rates[t] * 1.3);
    }
    // Duplicates are exact copies: the police register has as many repeated record ids.
    const police = await readRows(a, 'police-hukou.csv', FEEDS[0]);
    const ids = police.slice(1).map((r) => r[0]);
    expect(ids.length - new Set(ids).size).toBe(report.feeds['police-hukou'].faults.duplicate);
  });

  it('splits xlsx feeds past the row limit into numbered files listed in the manifest', async () => {
    const dir = path.join(root, 'split');
    const r = await writeCity({ seed: 3, scale: 0.001, outDir: dir, xlsxMaxRows: 2000, xlsxWorker: false });
    const parts = r.manifest.feeds.filter((e) => e.file.startsWith('social-security-cards'));
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.map((p) => p.file)[0]).toBe('social-security-cards-001.xlsx');
    for (const p of parts) expect(p.rows).toBeLessThanOrEqual(2000);
    expect(parts.reduce((s, p) => s + p.rows, 0)).toBe(r.faults.feeds['social-security-cards'].rows);
    const rows = await readRows(dir, parts[1].file, FEEDS.find((f) => f.id === 'social-security-cards')!);
    expect(rows.length - 1).toBe(parts[1].rows);
  });
});
