import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exceljsRows } from './xlsx-exceljs.ts';
import { readXlsxRows, XlsxError, type XlsxProgress } from './xlsx-reader.ts';

type Row = { row: number; values: (string | null)[] };

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'xlsx-reader-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function readAll(file: string, progress?: XlsxProgress): Promise<Row[]> {
  const rows: Row[] = [];
  for await (const r of readXlsxRows(file, progress)) rows.push(r);
  return rows;
}

async function failure(file: string): Promise<XlsxError> {
  try {
    await readAll(file);
  } catch (e) {
    if (e instanceof XlsxError) return e;
    throw e;
  }
  throw new Error('expected an XlsxError');
}

// ---------------------------------------------------------------------------------------------
// exceljs: writes the fixtures and is the reference reading

/** exceljs's reading of the whole first worksheet (the reference). */
async function theirRows(file: string): Promise<Row[]> {
  const rows: Row[] = [];
  for await (const r of exceljsRows(file)) rows.push(r);
  return rows;
}

const HEADER = ['编号', '姓名地址', '符号', '数值', '布尔', '空', '大数', '公式', '公式文本', '错误', '日期'];

/** Row i of the fixture (1-based data rows after the header), as written with exceljs. */
function fixtureRow(i: number): ExcelJS.CellValue[] {
  const name = `云南省昆明市${'五华区普吉街道'.slice(0, 1 + (i % 7))}${i}号${'滇池'.repeat(i % 5)}`;
  const row: ExcelJS.CellValue[] = [
    i,
    name,
    `A & B <c> "q" 'x' ${i}`,
    i % 3 === 0 ? -i * 1.25 : i / 8,
    i % 2 === 0,
    null, // blank in the middle
    i % 10 === 0 ? Number('123456789012345678') : 532301200003162, // the first beyond 2^53
    { formula: `A${i + 1}*2`, result: i * 2 },
    { formula: `"x"&A${i + 1}`, result: `x${i}` },
    i % 50 === 0 ? { error: '#N/A' } : null,
    new Date(Date.UTC(2000, 0, 1 + i)),
  ];
  // Blank cells at the end of some rows.
  if (i % 4 === 1) row.length = 5;
  return row;
}

const ROWS = 3000;

async function writeFixture(
  file: string,
  mode: 'workbook' | 'stream-shared' | 'stream-inline',
): Promise<void> {
  const fill = (add: (values: ExcelJS.CellValue[], n: number) => void) => {
    add(HEADER, 1);
    let n = 2;
    for (let i = 1; i <= ROWS; i++) {
      if (i === 100) n++; // an empty row in between
      add(fixtureRow(i), n++);
    }
  };
  if (mode === 'workbook') {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('数据');
    fill((values, n) => {
      ws.getRow(n).values = values;
    });
    wb.addWorksheet('其他').addRow(['second sheet', 1]);
    await wb.xlsx.writeFile(file);
    return;
  }
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({
    filename: file,
    useSharedStrings: mode === 'stream-shared',
  });
  const ws = wb.addWorksheet('数据');
  fill((values, n) => {
    const row = ws.getRow(n);
    row.values = values;
    row.commit();
  });
  ws.commit();
  const other = wb.addWorksheet('其他');
  other.addRow(['second sheet', 1]).commit();
  other.commit();
  await wb.commit();
}

describe('readXlsxRows on files written by exceljs', () => {
  for (const mode of ['workbook', 'stream-shared', 'stream-inline'] as const) {
    it(`${mode}: every row equals exceljs's reading, with the expected values`, async () => {
      const file = join(dir, `${mode}.xlsx`);
      await writeFixture(file, mode);
      const ours = await readAll(file);
      const theirs = await theirRows(file);
      expect(ours.length).toBe(ROWS + 1);
      expect(ours).toEqual(theirs);

      expect(ours[0]).toEqual({ row: 1, values: HEADER });
      const byRow = new Map(ours.map((r) => [r.row, r.values]));
      expect(byRow.has(101)).toBe(false); // the empty row
      expect(byRow.get(2)).toEqual(['1', '云南省昆明市五华1号滇池', `A & B <c> "q" 'x' 1`, '0.125', 'false']);
      expect(byRow.get(11)).toEqual([
        '10',
        '云南省昆明市五华区普10号',
        `A & B <c> "q" 'x' 10`,
        '1.25',
        'true',
        null,
        '123456789012345680', // a JS number written by exceljs: already rounded when written
        '20',
        'x10',
        null,
        '36536', // 2000-01-11 as an Excel serial date: styles are not read
      ]);
      expect(byRow.get(51)?.[9]).toBe('#N/A');
      expect(byRow.get(4)?.[3]).toBe('-3.75');
      const second = ours.find((r) => r.values.includes('second sheet'));
      expect(second).toBeUndefined();
    });
  }

  it('reads Chinese text across chunk boundaries (a large sheet)', async () => {
    const file = join(dir, 'chinese.xlsx');
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: false });
    const ws = wb.addWorksheet('S');
    const text = (i: number) => `${'昆明市盘龙区拓东街道'.repeat(1 + (i % 9))}—${i}号😀`;
    for (let i = 1; i <= 8000; i++) ws.addRow([text(i), i, text(i + 1)]).commit();
    ws.commit();
    await wb.commit();
    const rows = await readAll(file);
    expect(rows).toHaveLength(8000);
    rows.forEach((r, k) => {
      expect(r).toEqual({ row: k + 1, values: [text(k + 1), String(k + 1), text(k + 2)] });
    });
  });
});

describe('readXlsxRows refuses', () => {
  it('a file cut in half (truncated)', async () => {
    const whole = join(dir, 'whole.xlsx');
    await writeFixture(whole, 'workbook');
    const bytes = readFileSync(whole);
    const half = join(dir, 'half.xlsx');
    writeFileSync(half, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const e = await failure(half);
    expect(e.reason).toBe('truncated');
  });

  it('a file that is not a zip at all (unreadable)', async () => {
    const file = join(dir, 'not-a-zip.xlsx');
    writeFileSync(file, '编号,姓名\n1,张三\n'.repeat(100));
    const e = await failure(file);
    expect(e).toBeInstanceOf(XlsxError);
    expect(e.reason).toBe('unreadable');
  });

  it('an empty file (truncated)', async () => {
    const file = join(dir, 'empty.xlsx');
    writeFileSync(file, '');
    expect((await failure(file)).reason).toBe('truncated');
  });

  it('a missing file with the usual ENOENT', async () => {
    await expect(readAll(join(dir, 'no-such-file.xlsx'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('progress', () => {
  it('counts the compressed bytes read and reaches totalBytes', async () => {
    const file = join(dir, 'progress.xlsx');
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: false });
    const ws = wb.addWorksheet('S');
    // Text that compresses badly, so the sheet spans several read chunks.
    let x = 7;
    const noise = () => {
      let s = '';
      for (let k = 0; k < 40; k++) {
        x = (x * 1103515245 + 12345) % 2147483648;
        s += String.fromCharCode(0x4e00 + (x % 2000));
      }
      return s;
    };
    for (let i = 1; i <= 20000; i++) ws.addRow([i, noise()]).commit();
    ws.commit();
    await wb.commit();
    const size = statSync(file).size;
    expect(size).toBeGreaterThan(1_000_000);
    const progress: XlsxProgress = { bytesRead: 0, totalBytes: 0 };
    const seen: number[] = [];
    let n = 0;
    for await (const _ of readXlsxRows(file, progress)) {
      if (n++ % 500 === 0) seen.push(progress.bytesRead);
    }
    expect(n).toBe(20000);
    expect(progress.totalBytes).toBe(size);
    expect(progress.bytesRead).toBe(size);
    expect(seen.some((b) => b > 0 && b < size * 0.9)).toBe(true);
    for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThanOrEqual(seen[i - 1]);
  });
});

// ---------------------------------------------------------------------------------------------
// Hand-made files: what exceljs does not write

type Part = {
  name: string;
  data: string | Buffer;
  /** 0 stored, 8 deflated (default), or another method number to be refused. */
  method?: number;
  /** Sizes in a data descriptor after the data; zeros in the local header. */
  descriptor?: boolean;
  /** Extra bytes in the local header only (the central directory has none). */
  localExtra?: number;
  /** Compressed bytes to write (default all): fewer makes a cut-off part. */
  cut?: number;
};

function zip(parts: Part[], opts: { zip64?: boolean } = {}): Buffer {
  const chunks: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const p of parts) {
    const raw = typeof p.data === 'string' ? Buffer.from(p.data, 'utf8') : p.data;
    const method = p.method ?? 8;
    let body = method === 8 ? deflateRawSync(raw) : raw;
    if (p.cut !== undefined) body = body.subarray(0, p.cut);
    const name = Buffer.from(p.name, 'utf8');
    const crc = crc32(raw);
    const flags = 0x800 | (p.descriptor ? 8 : 0);
    const extra = Buffer.alloc(p.localExtra ?? 0, 0x41);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(p.descriptor ? 0 : crc, 14);
    local.writeUInt32LE(p.descriptor ? 0 : body.length, 18);
    local.writeUInt32LE(p.descriptor ? 0 : raw.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(extra.length, 28);
    const parts2 = [local, name, extra, body];
    if (p.descriptor) {
      const dd = Buffer.alloc(16);
      dd.writeUInt32LE(0x08074b50, 0);
      dd.writeUInt32LE(crc, 4);
      dd.writeUInt32LE(body.length, 8);
      dd.writeUInt32LE(raw.length, 12);
      parts2.push(dd);
    }
    const cd = Buffer.alloc(46);
    cd.writeUInt32LE(0x02014b50, 0);
    cd.writeUInt16LE(20, 4);
    cd.writeUInt16LE(20, 6);
    cd.writeUInt16LE(flags, 8);
    cd.writeUInt16LE(method, 10);
    cd.writeUInt32LE(crc, 16);
    cd.writeUInt32LE(body.length, 20);
    cd.writeUInt32LE(raw.length, 24);
    cd.writeUInt16LE(name.length, 28);
    cd.writeUInt32LE(offset, 42);
    central.push(cd, name);
    for (const b of parts2) {
      chunks.push(b);
      offset += b.length;
    }
  }
  const cdBuf = Buffer.concat(central);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(parts.length, 8);
  eocd.writeUInt16LE(opts.zip64 ? 0xffff : parts.length, 10);
  eocd.writeUInt32LE(cdBuf.length, 12);
  eocd.writeUInt32LE(offset, 16);
  return Buffer.concat([...chunks, cdBuf, eocd]);
}

const NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
const R_NS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

/** A workbook whose first sheet (in workbook order) is `xl/worksheets/sheet2.xml`. */
function workbookParts(sheetXml: string | Buffer, shared: string | null, sheet: Partial<Part> = {}): Part[] {
  const parts: Part[] = [
    {
      name: '[Content_Types].xml',
      data: '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
    },
    {
      name: 'xl/workbook.xml',
      data:
        `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook ${NS} ${R_NS}><sheets>` +
        '<sheet name="第一" sheetId="7" r:id="rId9"/><sheet name="第二" sheetId="1" r:id="rId1"/></sheets></workbook>',
    },
    {
      name: 'xl/_rels/workbook.xml.rels',
      data:
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
        `<Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/>` +
        `<Relationship Id="rId9" Type="${REL}/worksheet" Target="/xl/worksheets/sheet2.xml"/>` +
        `<Relationship Id="rId3" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
    },
    {
      name: 'xl/worksheets/sheet1.xml',
      data: `<worksheet ${NS}><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>wrong sheet</t></is></c></row></sheetData></worksheet>`,
    },
    { name: 'xl/worksheets/sheet2.xml', data: sheetXml, ...sheet },
  ];
  if (shared !== null) parts.push({ name: 'xl/sharedStrings.xml', data: shared });
  return parts;
}

const SHARED =
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<sst ${NS} count="7" uniqueCount="7">` +
  '<si><t>plain</t></si>' +
  '<si><r><rPr><b/><sz val="11"/><rFont val="宋体"/><charset val="134"/></rPr><t>富</t></r><r><t xml:space="preserve"> 文本 </t></r></si>' +
  '<si><t>東京</t><rPh sb="0" eb="2"><t>トウキョウ</t></rPh><phoneticPr fontId="1"/></si>' +
  '<si><t>line1_x000D_\nline2</t></si>' +
  '<si><t>a &amp; b &lt;c&gt; &quot;d&quot; &apos;e&apos; &#20013;&#x1F600;</t></si>' +
  '<si><t/></si>' +
  '<si><t>_x005F_x000D_ stays</t></si>' +
  '</sst>';

const SHEET =
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet ${NS} ${R_NS}><dimension ref="A1:F9"/><sheetData>` +
  // Cells without r, shared strings, an empty shared string.
  '<row r="1"><c t="s"><v>0</v></c><c t="s"><v>1</v></c><c t="s"><v>2</v></c><c t="s"><v>5</v></c><c t="s"><v>3</v></c></row>' +
  // Gap, a self-closing styled cell, booleans, an error, an ISO date, numbers.
  '<row r="3" spans="1:9"><c r="A3" t="b"><v>1</v></c><c r="B3" t="b"><v>0</v></c><c r="C3" s="4"/>' +
  '<c r="D3" t="e"><v>#DIV/0!</v></c><c r="E3" t="d"><v>2024-01-31T00:00:00</v></c>' +
  '<c r="F3"><v>532301200003162799</v></c><c r="G3" t="n"><v>1.50</v></c><c r="H3"><v>1E+3</v></c>' +
  '<c r="I3"><v>-0.1</v></c><c r="J3"><v>9007199254740993</v></c></row>' +
  // A self-closing row, then a row without r (so 5).
  '<row r="4"/>' +
  '<row><c t="s"><v>4</v></c><c t="s"><v>6</v></c></row>' +
  // Inline rich text, numeric entities, _x000D_, preserved spaces, a formula with a cached value.
  '<row r="6"><c r="B6" t="inlineStr"><is><r><rPr><b/></rPr><t>粗</t></r><r><t xml:space="preserve"> 体 </t></r>' +
  '<rPh sb="0" eb="1"><t>ふりがな</t></rPh></is></c>' +
  '<c r="C6" t="str"><f>A1&amp;"x"</f><v>a_x000D_b &#x4E2D;&#25991;</v></c>' +
  '<c r="D6"><f>1+1</f><v>2</v></c><c r="E6" t="inlineStr"><is><t xml:space="preserve">  </t></is></c>' +
  '<c r="F6" t="str"><v><![CDATA[<raw & text>]]></v></c></row>' +
  // Line ends inside text (normalized as XML has them), empty values, all-empty row.
  '<row r="7"><c r="A7" t="inlineStr"><is><t>x\r\ny</t></is></c><c r="B7" t="str"><v></v></c><c r="C7"><v/></c></row>' +
  '<row r="8"><c r="A8" t="str"><v></v></c></row>' +
  // Lower-case / multi-letter columns; single-quoted attributes.
  "<row r='9'><c r='AA9' t='str'><v>aa</v></c><c r=\"b9\" t=\"str\"><v>b</v></c></row>" +
  '</sheetData><mergeCells count="1"><mergeCell ref="A1:B1"/></mergeCells></worksheet>';

const EXPECTED: Row[] = [
  { row: 1, values: ['plain', '富 文本 ', '東京', null, 'line1\r\nline2'] },
  {
    row: 3,
    values: [
      'true',
      'false',
      null,
      '#DIV/0!',
      '2024-01-31T00:00:00',
      '532301200003162799',
      '1.5',
      '1000',
      '-0.1',
      '9007199254740993',
    ],
  },
  { row: 5, values: [`a & b <c> "d" 'e' 中😀`, '_x000D_ stays'] },
  { row: 6, values: [null, '粗 体 ', 'a\rb 中文', '2', '  ', '<raw & text>'] },
  { row: 7, values: ['x\ny'] },
  {
    row: 9,
    values: [
      null,
      'b',
      ...Array.from({ length: 24 }, () => null),
      'aa', // AA = column 26
    ],
  },
];

describe('readXlsxRows on hand-made files', () => {
  it('reads rich and phonetic text, escapes, entities, numbers, booleans, errors and dates', async () => {
    const file = join(dir, 'hand.xlsx');
    writeFileSync(file, zip(workbookParts(SHEET, SHARED)));
    expect(await readAll(file)).toEqual(EXPECTED);
  });

  it('reads a stored (method 0) sheet, data descriptors and local extra fields', async () => {
    const file = join(dir, 'stored.xlsx');
    const parts = workbookParts(SHEET, SHARED, { method: 0, localExtra: 28 });
    for (const p of parts) if (p.name !== 'xl/worksheets/sheet2.xml') p.descriptor = true;
    writeFileSync(file, zip(parts));
    expect(await readAll(file)).toEqual(EXPECTED);
  });

  it('reads a workbook without shared strings', async () => {
    const file = join(dir, 'no-shared.xlsx');
    const sheet = `<worksheet ${NS}><sheetData><row r="2"><c r="B2" t="inlineStr"><is><t>only</t></is></c><c r="C2"><v>7</v></c></row></sheetData></worksheet>`;
    writeFileSync(file, zip(workbookParts(sheet, null)));
    expect(await readAll(file)).toEqual([{ row: 2, values: [null, 'only', '7'] }]);
  });

  it('reads a namespace-prefixed sheet (x:row, x:c)', async () => {
    const file = join(dir, 'prefixed.xlsx');
    const sheet =
      '<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>' +
      '<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>前缀</x:t></x:is></x:c><x:c r="B1"><x:v>3</x:v></x:c>' +
      '<x:c r="C1" t="s"><x:v>0</x:v></x:c></x:row></x:sheetData></x:worksheet>';
    writeFileSync(file, zip(workbookParts(sheet, SHARED)));
    expect(await readAll(file)).toEqual([{ row: 1, values: ['前缀', '3', 'plain'] }]);
  });

  it('gets every row right whatever chunk boundary cuts a tag, an entity or a character', async () => {
    const n = 12000;
    // Some cells longer than a chunk, so boundaries also fall inside them.
    const huge = (i: number) => `${i}${'长文本'.repeat(30000)}`;
    const cell = (i: number, k: number) => {
      const t = `${'滇池路😀'.repeat(1 + ((i * 7 + k) % 11))}&<${i}>_${k}`;
      return t;
    };
    let xml = `<?xml version="1.0" encoding="UTF-8"?><worksheet ${NS}><sheetData>`;
    const expected: Row[] = [];
    for (let i = 1; i <= n; i++) {
      const a = cell(i, 0);
      const b = cell(i, 1);
      xml +=
        `<row r="${i}" spans="1:4"><c r="A${i}" t="inlineStr"><is><t>${esc(a)}</t></is></c>` +
        `<c r="B${i}" t="str"><v>${esc(b)}</v></c><c r="C${i}"/><c r="D${i}" t="s"><v>${i % 7}</v></c>` +
        `<c r="E${i}"><v>${i}.5</v></c>${i % 997 === 0 ? `<c r="F${i}" t="str"><v>${huge(i)}</v></c>` : ''}</row>`;
      const values = [a, b, null, SHARED_TEXT[i % 7], `${i}.5`];
      if (i % 997 === 0) values.push(huge(i));
      expected.push({ row: i, values });
    }
    xml += '</sheetData></worksheet>';
    expect(Buffer.byteLength(xml)).toBeGreaterThan(3 * 1024 * 1024);
    for (const method of [0, 8]) {
      const file = join(dir, `chunks-${method}.xlsx`);
      writeFileSync(file, zip(workbookParts(xml, SHARED, { method })));
      const rows = await readAll(file);
      expect(rows.length).toBe(n);
      for (let i = 0; i < n; i++)
        if (JSON.stringify(rows[i]) !== JSON.stringify(expected[i])) expect(rows[i]).toEqual(expected[i]);
    }
  });

  it('skips a chartsheet that comes first in the workbook', async () => {
    const file = join(dir, 'chartsheet-first.xlsx');
    const parts = workbookParts(SHEET, SHARED);
    const rels = parts.find((p) => p.name === 'xl/_rels/workbook.xml.rels');
    if (!rels || typeof rels.data !== 'string') throw new Error('no rels');
    rels.data = rels.data.replace(
      `Id="rId9" Type="${REL}/worksheet" Target="/xl/worksheets/sheet2.xml"`,
      `Id="rId9" Type="${REL}/chartsheet" Target="chartsheets/sheet1.xml"`,
    );
    writeFileSync(file, zip(parts));
    expect(await readAll(file)).toEqual([{ row: 1, values: ['wrong sheet'] }]);
  });

  it('lets the caller stop early', async () => {
    const file = join(dir, 'hand-early.xlsx');
    writeFileSync(file, zip(workbookParts(SHEET, SHARED)));
    for await (const r of readXlsxRows(file)) {
      expect(r.row).toBe(1);
      break;
    }
  });
});

const SHARED_TEXT = [
  'plain',
  '富 文本 ',
  '東京',
  'line1\r\nline2',
  `a & b <c> "d" 'e' 中😀`,
  null,
  '_x000D_ stays',
];

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

describe('readXlsxRows refuses hand-made damage', () => {
  const write = (name: string, data: Buffer) => {
    const file = join(dir, name);
    writeFileSync(file, data);
    return file;
  };

  it('a sheet whose compressed data are cut off (truncated)', async () => {
    const big = SHEET.replace('<sheetData>', `<sheetData>${'<!-- padding -->'.repeat(2000)}`);
    const full = deflateRawSync(Buffer.from(big)).length;
    const file = write('cut-deflate.xlsx', zip(workbookParts(big, SHARED, { cut: Math.floor(full / 2) })));
    expect((await failure(file)).reason).toBe('truncated');
  });

  it('a sheet whose XML stops before </sheetData> (truncated)', async () => {
    const cut = SHEET.slice(0, SHEET.indexOf('<row r="6">'));
    const file = write('cut-xml.xlsx', zip(workbookParts(cut, SHARED)));
    expect((await failure(file)).reason).toBe('truncated');
  });

  it('a compression method other than stored and deflate (unreadable)', async () => {
    const file = write('bzip2.xlsx', zip(workbookParts(SHEET, SHARED, { method: 12 })));
    const e = await failure(file);
    expect(e.reason).toBe('unreadable');
    expect(e.message).toMatch(/method 12/);
  });

  it('ZIP64 (unreadable)', async () => {
    const file = write('zip64.xlsx', zip(workbookParts(SHEET, SHARED), { zip64: true }));
    const e = await failure(file);
    expect(e.reason).toBe('unreadable');
    expect(e.message).toMatch(/ZIP64/);
  });

  it('bytes that are not UTF-8 (unreadable)', async () => {
    const bad = Buffer.concat([
      Buffer.from(`<worksheet ${NS}><sheetData><row r="1"><c r="A1" t="str"><v>`),
      Buffer.from([0xd5, 0xc5, 0xc8, 0xfd]), // 张三 in GBK
      Buffer.from('</v></c></row></sheetData></worksheet>'),
    ]);
    const file = write('gbk.xlsx', zip(workbookParts(bad, SHARED)));
    const e = await failure(file);
    expect(e.reason).toBe('unreadable');
    expect(e.message).toMatch(/UTF-8/);
  });

  it('a zip without a workbook (unreadable)', async () => {
    const file = write('no-workbook.xlsx', zip([{ name: 'word/document.xml', data: '<w:document/>' }]));
    const e = await failure(file);
    expect(e.reason).toBe('unreadable');
    expect(e.message).toMatch(/workbook/);
  });

  it('a shared-string index out of range (unreadable)', async () => {
    const sheet = `<worksheet ${NS}><sheetData><row r="1"><c r="A1" t="s"><v>99</v></c></row></sheetData></worksheet>`;
    const file = write('bad-index.xlsx', zip(workbookParts(sheet, SHARED)));
    expect((await failure(file)).reason).toBe('unreadable');
  });

  it('an old .xls (OLE2) file (unreadable)', async () => {
    const ole = Buffer.alloc(4096);
    Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(ole);
    const file = write('old.xls', ole);
    const e = await failure(file);
    expect(e.reason).toBe('unreadable');
    expect(e.message).toMatch(/\.xls/);
  });
});
