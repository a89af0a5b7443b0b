import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { findFeed } from './feeds.ts';
import { feedOfFile, ImportRefused, type RawRow, readRows } from './reader.ts';
import { tmp, writeCsv, writeJsonl } from './test-fixtures.ts';

const spec = findFeed('police-moves')!; // GBK CSV
const utf8Spec = findFeed('medical-insurance-enrolment')!; // UTF-8 (BOM) CSV
const n = spec.columns.length;

/** RFC 4180 over the whole text at once: the reference the streaming reader must equal. */
function reference(text: string): RawRow[] {
  const rows: RawRow[] = [];
  let line = 1;
  let i = 0;
  let first = true;
  while (i < text.length) {
    const start = line;
    const cells: string[] = [];
    let field = '';
    for (;;) {
      if (text[i] === '"') {
        i++;
        for (;;) {
          if (text[i] === '"' && text[i + 1] === '"') {
            field += '"';
            i += 2;
          } else if (text[i] === '"') {
            i++;
            break;
          } else {
            if (text[i] === '\n') line++;
            field += text[i++];
          }
        }
      }
      while (i < text.length && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') field += text[i++];
      cells.push(field);
      field = '';
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === '\r') i++;
      if (text[i] === '\n') i++;
      line++;
      break;
    }
    if (first) {
      first = false;
      continue;
    }
    if (cells.length === 1 && cells[0] === '') continue;
    rows.push(
      cells.length === n
        ? { line: start, cells: cells.map((c) => (c === '' ? null : c)) }
        : { line: start, cells: cells.slice(0, n), problem: 'row.field_count' },
    );
  }
  return rows;
}

const cellArb = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constantFrom('张三', '五华区', '530102', '2024-01-01', '昆明市盘龙区北京路', ''),
  },
  {
    weight: 2,
    arbitrary: fc.string({ unit: fc.constantFrom('a', '区', ',', '"', '\n', ' ', '1'), maxLength: 8 }),
  },
);
const rowArb = fc.oneof(
  { weight: 8, arbitrary: fc.array(cellArb, { minLength: n, maxLength: n }) },
  { weight: 1, arbitrary: fc.array(cellArb, { minLength: 1, maxLength: n + 2 }) },
);
const quote = (c: string) => (/[",\r\n]/.test(c) ? `"${c.replaceAll('"', '""')}"` : c);

async function readAll(file: string, s = spec): Promise<RawRow[]> {
  const out: RawRow[] = [];
  for await (const r of readRows(s, file, { bytesRead: 0, totalBytes: 0 })) out.push(r);
  return out;
}

describe('CSV reader', () => {
  it('equals a whole-file parse for any rows, line ends and chunk boundaries (GBK)', async () => {
    const dir = tmp();
    const header = spec.columns.map((c) => c.header).join(',');
    await fc.assert(
      fc.asyncProperty(
        fc.array(rowArb, { minLength: 1, maxLength: 60 }),
        fc.constantFrom('\n', '\r\n'),
        fc.nat({ max: 70_000 }),
        async (rows, eol, pad) => {
          // A first long row pushes the rest across the reader's 64-kB chunk boundary.
          const filler = Array.from({ length: n }, (_, k) => (k === 1 ? '区'.repeat(pad % 40_000) : 'x'));
          const lines = [header, filler.join(','), ...rows.map((r) => r.map(quote).join(','))];
          const text = `${lines.join(eol)}${eol}`;
          const file = join(dir, 'moves.csv');
          writeFileSync(file, iconv.encode(text, 'gbk'));
          expect(await readAll(file)).toEqual(reference(text));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('reads UTF-8 with a BOM and refuses a cut-off last row and bytes that are not the encoding', async () => {
    const dir = tmp();
    const header = utf8Spec.columns.map((c) => c.header).join(',');
    const row = utf8Spec.columns.map((_, k) => (k === 0 ? '"a,""b"""' : '五华')).join(',');
    const file = join(dir, 'mi.csv');
    writeFileSync(file, `\ufeff${header}\r\n${row}\r\n`);
    const rows = await readAll(file, utf8Spec);
    expect(rows).toHaveLength(1);
    expect(rows[0].cells[0]).toBe('a,"b"');
    writeFileSync(file, `\ufeff${header}\r\n${row}\r\n${row.slice(0, 12)}`);
    await expect(readAll(file, utf8Spec)).rejects.toMatchObject({
      code: 'import.truncated',
      params: { line: 3 },
    });
    const gbkFile = join(dir, 'bad.csv');
    writeFileSync(
      gbkFile,
      Buffer.concat([
        iconv.encode(`${spec.columns.map((c) => c.header).join(',')}\n`, 'gbk'),
        Buffer.from([0x81, 0x20, 0x0a]),
      ]),
    );
    const e = await readAll(gbkFile).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ImportRefused);
    expect((e as ImportRefused).code).toBe('import.encoding');
  });

  it('splits the header as it splits rows, also when the file is in the other encoding', async () => {
    const dir = tmp();
    const headers = spec.columns.map((c) => c.header);
    const row = spec.columns.map(() => 'x').join(',');
    const file = join(dir, 'quoted.csv');
    // Quoted header cells, as some programs write every cell.
    writeFileSync(file, iconv.encode(`${headers.map((h) => `"${h}"`).join(',')}\r\n${row}\r\n`, 'gbk'));
    expect(await readAll(file)).toHaveLength(1);
    // A quote inside a cell is a character of the name, as in a row (RFC 4180); the header
    // check of a file in the other encoding used to drop it and say the file was in UTF-8,
    // and re-saved in GBK the file was then refused for this column.
    const odd = headers.map((h) => (h === '姓名' ? '姓"名"' : h)).join(',');
    const refused = { code: 'import.columns', params: { missing: '姓名', unexpected: '姓"名"' } };
    writeFileSync(file, iconv.encode(`${odd}\r\n${row}\r\n`, 'gbk'));
    await expect(readAll(file)).rejects.toMatchObject(refused);
    writeFileSync(file, `\ufeff${odd}\r\n${row}\r\n`);
    await expect(readAll(file)).rejects.toMatchObject(refused);
  });
});

describe('feedOfFile: which of a source feeds a file holds', () => {
  const dir = tmp();
  const moves = findFeed('police-moves')!;
  const hukou = findFeed('police-hukou')!;
  const row = (s: typeof moves) => Object.fromEntries(s.columns.map((c) => [c.key, 'x']));

  it('goes by the file name first', async () => {
    const file = writeCsv(dir, 'police-moves', [row(moves)], { name: 'police-hukou-2025.csv' });
    // The name says police-hukou (even though the columns are police-moves'): the import then
    // refuses the columns, naming them, rather than guessing against the name.
    expect((await feedOfFile('police', file))?.id).toBe('police-hukou');
  });

  it('reads the header when the name says nothing (two CSV feeds of the police)', async () => {
    const m = writeCsv(dir, 'police-moves', [row(moves)], { name: '导出数据.csv' });
    expect((await feedOfFile('police', m))?.id).toBe('police-moves');
    const h = writeCsv(dir, 'police-hukou', [row(hukou)], { name: 'export (1).csv' });
    expect((await feedOfFile('police', h))?.id).toBe('police-hukou');
  });

  it('gives none when no feed of the source has that header, or the file is another source', async () => {
    const wrong = writeCsv(dir, 'police-moves', [row(moves)], {
      name: 'unknown.csv',
      headers: moves.columns.map((c, i) => (i === 0 ? '编号' : c.header)),
    });
    expect(await feedOfFile('police', wrong)).toBeUndefined();
    const health = writeCsv(dir, 'civil-affairs-marriages', [], { name: 'marriages-export.csv' });
    expect(await feedOfFile('police', health)).toBeUndefined();
  });

  it('tells a JSON-lines file whose extension says nothing, in a folder with a dot in its name', async () => {
    const sub = join(dir, 'exports.2025');
    mkdirSync(sub, { recursive: true });
    const hf = findFeed('health-vaccinations')!;
    const file = writeJsonl(
      sub,
      hf.id,
      [Object.fromEntries(hf.columns.map((c) => [c.key, 'x']))],
      'vacc.txt',
    );
    // Only the JSON-lines reader accepts it; the CSV and xlsx readers refuse it outright.
    expect((await feedOfFile('health', file))?.id).toBe('health-vaccinations');
  });

  it('takes a file cut short after its header as the feed whose header it has', async () => {
    const cut = writeCsv(dir, 'police-moves', [row(moves), row(moves)], { name: 'cut.csv', cut: 5 });
    expect((await feedOfFile('police', cut))?.id).toBe('police-moves');
  });
});
