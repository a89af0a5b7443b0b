import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { FEEDS } from './feeds/specs.ts';
import { writeTemplates } from './templates.ts';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('feed templates', () => {
  it('writes a header-only file per feed in its encoding, plus feeds.json', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'junheng-templates-'));
    try {
      const files = await writeTemplates(dir);
      expect(files).toContain('feeds.json');
      for (const spec of FEEDS) {
        const buf = await readFile(path.join(dir, spec.file));
        const header = spec.columns.map((c) => c.header);
        if (spec.format === 'csv') {
          const text =
            spec.encoding === 'gbk' ? iconv.decode(buf, 'gbk') : buf.toString('utf8').replace(/^\ufeff/, '');
          expect(text).toBe(`${header.join(',')}\r\n`);
        } else if (spec.format === 'xlsx') {
          const wb = new ExcelJS.Workbook();
          await wb.xlsx.load(buf as unknown as ArrayBuffer);
          expect(wb.worksheets[0].name).toBe(spec.sheetName);
          expect((wb.worksheets[0].getRow(1).values as unknown[]).slice(1)).toEqual(header);
          expect(wb.worksheets[0].rowCount).toBe(1);
        } else {
          expect(buf.length).toBe(0);
        }
      }
      const described = JSON.parse(await readFile(path.join(dir, 'feeds.json'), 'utf8')) as {
        feeds: unknown[];
      };
      expect(described.feeds).toHaveLength(FEEDS.length);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('are documented: docs/feeds.md names every feed file and column', async () => {
    const doc = await readFile(path.join(repo, 'docs/feeds.md'), 'utf8');
    for (const spec of FEEDS) {
      expect(doc).toContain(spec.file);
      for (const c of spec.columns) {
        expect(doc, `${spec.id} ${c.header}`).toContain(c.header);
        expect(doc, `${spec.id} ${c.key}`).toContain(c.key);
      }
    }
  });

  it('in data/feed-templates match the specs', async () => {
    for (const spec of FEEDS.filter((f) => f.format === 'csv')) {
      const buf = await readFile(path.join(repo, 'data/feed-templates', spec.file));
      const text =
        spec.encoding === 'gbk' ? iconv.decode(buf, 'gbk') : buf.toString('utf8').replace(/^\ufeff/, '');
      expect(text.split('\r\n')[0]).toBe(spec.columns.map((c) => c.header).join(','));
    }
  });
});
