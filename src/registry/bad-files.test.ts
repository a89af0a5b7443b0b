/**
 * Files the way department clerks make them: re-saved in Excel, in the wrong encoding, cut off,
 * with columns moved or doubled, dates typed into a spreadsheet, sent under the wrong source.
 * Each either reads as the template's file would, or is refused saying where and why (zh + en).
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import { makeIdNumber } from '../domain/id-number.ts';
import { ImportRefused, type RawRow, readRows } from './reader.ts';
import { policeRow, type Row, spec, tmp, writeCsv, writeJsonl, writeXlsx } from './test-fixtures.ts';
import { validator } from './validate.ts';

const dir = tmp();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const police = spec('police-hukou'); // GBK CSV, compact dates
const mi = spec('medical-insurance-enrolment'); // UTF-8 CSV with BOM
const births = spec('health-birth-certificates'); // xlsx, sheet 出生医学证明

async function readAll(s: typeof police, file: string): Promise<RawRow[]> {
  const out: RawRow[] = [];
  for await (const r of readRows(s, file, { bytesRead: 0, totalBytes: 0 })) out.push(r);
  return out;
}

async function refusal(s: typeof police, file: string): Promise<ImportRefused> {
  try {
    await readAll(s, file);
  } catch (e) {
    if (e instanceof ImportRefused) return e;
    throw e;
  }
  throw new Error('not refused');
}

const rows = (k = 3) =>
  Array.from({ length: k }, (_, i) =>
    policeRow({ name: `张${'一二三四五六七八九'[i % 9]}`, birth: '1990-01-0' + (i + 1) }),
  );
const headers = police.columns.map((c) => c.header);
const csvLine = (cells: (string | number | null)[]) => cells.map((c) => c ?? '').join(',');
/** A police-hukou file written by hand: GBK, CRLF, the given header and rows (in that order). */
function gbkFile(name: string, lines: string[]): string {
  const file = join(dir, name);
  writeFileSync(file, iconv.encode(`${lines.join('\r\n')}\r\n`, 'gbk'));
  return file;
}

describe('CSV header: columns moved, repeated, or followed by empty cells', () => {
  it('reads columns in another order by their names', async () => {
    const r = rows();
    const plain = await readAll(police, writeCsv(dir, 'police-hukou', r, { name: 'plain.csv' }));
    const order = [...police.columns.keys()].reverse();
    const file = gbkFile('reordered.csv', [
      csvLine(order.map((k) => headers[k])),
      ...r.map((row) => csvLine(order.map((k) => row[police.columns[k].key]))),
    ]);
    expect(await readAll(police, file)).toEqual(plain);
  });

  it('reads a file re-saved by Excel with empty cells after the last column ("a,b,,")', async () => {
    const r = rows();
    const plain = await readAll(police, writeCsv(dir, 'police-hukou', r, { name: 'plain2.csv' }));
    const file = gbkFile('trailing.csv', [
      `${csvLine(headers)},,`,
      ...r.map((row) => `${csvLine(police.columns.map((c) => row[c.key]))},,`),
    ]);
    expect(await readAll(police, file)).toEqual(plain);
    // A value under the empty header is a row that does not fit the header.
    const bad = gbkFile('trailing-value.csv', [
      `${csvLine(headers)},,`,
      `${csvLine(police.columns.map((c) => r[0][c.key]))},,备注`,
    ]);
    expect((await readAll(police, bad))[0]).toMatchObject({ line: 2, problem: 'row.field_count' });
  });

  it('refuses a repeated column, naming it', async () => {
    const h = [...headers.slice(0, 3), headers[2], ...headers.slice(3)];
    const e = await refusal(police, gbkFile('repeated.csv', [csvLine(h)]));
    expect(e.code).toBe('import.columns');
    expect(e.params.unexpected).toContain('姓名（重复');
    expect(e.params.line).toBe(1);
  });

  it('refuses an empty file saying it is empty', async () => {
    const file = join(dir, 'empty.csv');
    writeFileSync(file, '');
    const e = await refusal(police, file);
    expect(e.code).toBe('import.columns');
    expect(e.params.reason).toMatch(/文件为空.*empty/);
  });
});

describe('CSV encodings', () => {
  it('refuses a file cut in the middle of a character as truncated, not as wrongly encoded', async () => {
    const whole = readFileSync(writeCsv(dir, 'police-hukou', rows(), { name: 'whole.csv' }));
    // Cut right after the first byte of the last row's name (GBK: two bytes a character).
    const lastRow = whole.lastIndexOf(0x0a, whole.length - 3) + 1;
    const name = whole.indexOf(iconv.encode('张', 'gbk'), lastRow);
    const file = join(dir, 'cut-char.csv');
    writeFileSync(file, whole.subarray(0, name + 1));
    const e = await refusal(police, file);
    expect(e.code).toBe('import.truncated');
    expect(e.params.line).toBe(4);
    // UTF-8: cut inside a three-byte character.
    const u = Buffer.from(`\ufeff${mi.columns.map((c) => c.header).join(',')}\r\nYB1,张`);
    const f2 = join(dir, 'cut-char-utf8.csv');
    writeFileSync(f2, u.subarray(0, u.length - 1));
    const e2 = await refusal(mi, f2);
    expect(e2.code).toBe('import.truncated');
    expect(e2.params.line).toBe(2);
  });

  it('says on which line the bytes that are not the encoding are, also far into a large file', async () => {
    const r = rows(3);
    const body = r.map((row) => csvLine(police.columns.map((c) => row[c.key])));
    const lines = [csvLine(headers), ...body, ...body, ...body];
    const file = gbkFile('bad-byte.csv', lines);
    const bytes = readFileSync(file);
    // Line 7 (the sixth data row): a byte that is in no GBK character.
    let at = 0;
    for (let k = 0; k < 6; k++) at = bytes.indexOf(0x0a, at) + 1;
    bytes[bytes.indexOf(0x2c, at) + 1] = 0x81; // a GBK lead byte, then a digit: no character
    writeFileSync(file, bytes);
    const e = await refusal(police, file);
    expect(e.code).toBe('import.encoding');
    expect(e.params.line).toBe(7);
    // Past the reader's first 64-kB chunk.
    const many = [csvLine(headers)];
    for (let i = 0; i < 2000; i++) many.push(body[i % 3]);
    const big = gbkFile('bad-byte-big.csv', many);
    const b2 = readFileSync(big);
    at = 0;
    for (let k = 0; k < 1500; k++) at = b2.indexOf(0x0a, at) + 1;
    b2[b2.indexOf(0x2c, at) + 1] = 0x81;
    writeFileSync(big, b2);
    const e2 = await refusal(police, big);
    expect(e2.code).toBe('import.encoding');
    expect(e2.params.line).toBe(1501);
  });

  it("names the columns when the file is another feed's in the other encoding, not the encoding", async () => {
    // The medical-insurance file (UTF-8) sent as police-hukou (GBK), and the reverse.
    const miFile = join(dir, 'mi.csv');
    writeFileSync(miFile, `\ufeff${mi.columns.map((c) => c.header).join(',')}\r\n`);
    const e = await refusal(police, miFile);
    expect(e.code).toBe('import.columns');
    expect(e.params.unexpected).toContain('个人编号');
    const pol = writeCsv(dir, 'police-hukou', rows(), { name: 'pol.csv' });
    const e2 = await refusal(mi, pol);
    expect(e2.code).toBe('import.columns');
    expect(e2.params.unexpected).toContain('记录编号');
    // The right file in the wrong encoding is still an encoding refusal, on line 1, saying which.
    const utf8 = writeCsv(dir, 'police-hukou', rows(), { encoding: 'utf-8-bom', name: 'pol-utf8.csv' });
    const e3 = await refusal(police, utf8);
    expect(e3).toMatchObject({ code: 'import.encoding', params: { expected: 'GBK', line: 1 } });
    expect(e3.params.reason).toContain('UTF-8');
  });
});

describe('a workbook where a text feed is expected', () => {
  it('refuses an xlsx sent as CSV or JSON lines as a workbook, not as an encoding problem', async () => {
    const xlsx = readFileSync(await writeXlsx(dir, 'health-birth-certificates', [], 'x.xlsx'));
    const asCsv = join(dir, 'police-hukou.xlsx.csv');
    writeFileSync(asCsv, xlsx);
    const e = await refusal(police, asCsv);
    expect(e.code).toBe('import.unreadable');
    expect(e.params.reason).toMatch(/Excel 工作簿.*GBK.* \/ this is an Excel workbook/);
    const hf = spec('housing-fund-contributors');
    expect((await refusal(hf, asCsv)).code).toBe('import.unreadable');
  });
});

describe('JSON lines', () => {
  it('reads objects whose keys come in another order (JSON keys have none)', async () => {
    const hf = spec('housing-fund-contributors');
    const row: Row = Object.fromEntries(hf.columns.map((c) => [c.key, '1']));
    const plain = await readAll(hf, writeJsonl(dir, 'housing-fund-contributors', [row], 'plain.jsonl'));
    const file = join(dir, 'keys.jsonl');
    const keys = hf.columns.map((c) => c.key).reverse();
    writeFileSync(file, `${JSON.stringify(Object.fromEntries(keys.map((k) => [k, '1'])))}\n`);
    expect(await readAll(hf, file)).toEqual(plain);
  });

  it('says in Chinese too which line is not JSON', async () => {
    const hf = spec('housing-fund-contributors');
    const file = join(dir, 'broken.jsonl');
    writeFileSync(file, '{"recordId":\n');
    const e = await refusal(hf, file);
    expect(e).toMatchObject({ code: 'import.unreadable', params: { line: 1 } });
    expect(e.params.reason).toContain('第 1 行不是 JSON');
  });
});

describe('xlsx as clerks save it', () => {
  const birthRow = (): Row => ({
    certificateNo: 'Q530000001',
    childName: '杨一涛',
    childSex: '男',
    birthDate: '2024-01-05',
    gestationWeeks: 39,
    weightGrams: 3200,
    plurality: '单胎',
    birthOrder: 1,
    hospital: '昆明市妇幼保健院',
    motherName: '李娜',
    motherIdNumber: makeIdNumber('530102', '1992-03-04', 22),
    fatherName: null,
    fatherIdNumber: null,
    address: '云南省昆明市五华区华山街道某路1号',
    streetCode: '530102001',
    issuedDate: '2024-01-08',
    updatedAt: '2024-01-09 10:00:00',
  });
  const header = births.columns.map((c) => c.header);
  const values = (r: Row) => births.columns.map((c) => r[c.key] ?? null);
  async function book(name: string, build: (wb: ExcelJS.Workbook) => void): Promise<string> {
    const wb = new ExcelJS.Workbook();
    build(wb);
    const file = join(dir, name);
    await wb.xlsx.writeFile(file);
    return file;
  }

  it('the fixture row is the one the feed expects', () => {
    expect(Object.keys(birthRow())).toEqual(births.columns.map((c) => c.key));
  });

  it('reads the data sheet when an empty sheet comes first, or the notes sheet does', async () => {
    const plain = await readAll(
      births,
      await writeXlsx(dir, 'health-birth-certificates', [birthRow()], 'b.xlsx'),
    );
    const empty = await book('empty-first.xlsx', (wb) => {
      wb.addWorksheet('Sheet1');
      const ws = wb.addWorksheet('Sheet2');
      ws.addRow(header);
      ws.addRow(values(birthRow()));
    });
    expect(await readAll(births, empty)).toEqual(plain);
    const notes = await book('notes-first.xlsx', (wb) => {
      wb.addWorksheet('说明').addRow(['列名', '字段']);
      const ws = wb.addWorksheet(births.sheetName ?? '');
      ws.addRow(header);
      ws.addRow(values(birthRow()));
    });
    expect(await readAll(births, notes)).toEqual(plain);
  });

  it('refuses a title row above the header, saying so', async () => {
    const file = await book('title.xlsx', (wb) => {
      const ws = wb.addWorksheet(births.sheetName ?? '');
      ws.addRow(['出生医学证明信息（2025年12月）']);
      ws.addRow(header);
      ws.addRow(values(birthRow()));
    });
    const e = await refusal(births, file);
    expect(e.code).toBe('import.columns');
    expect(e.params.missing).toBe('—');
    expect(e.params.unexpected).toMatch(/第 1 行.*表头须在第一行.*the header must be the first row/);
  });

  it('reads dates typed into Excel (date cells, stored as serial numbers)', async () => {
    const typed = birthRow();
    const file = await book('dates.xlsx', (wb) => {
      const ws = wb.addWorksheet(births.sheetName ?? '');
      ws.addRow(header);
      ws.addRow(
        births.columns.map((c) =>
          c.type === 'date'
            ? new Date(`${typed[c.key]}T00:00:00Z`)
            : c.type === 'timestamp'
              ? new Date(`${String(typed[c.key]).replace(' ', 'T')}Z`)
              : (typed[c.key] ?? null),
        ),
      );
    });
    const [row] = await readAll(births, file);
    expect(row.cells[births.columns.findIndex((c) => c.key === 'birthDate')]).toBe('45296');
    const v = validator(births, '2025-12-31', null)(row);
    expect(v).toMatchObject({
      ok: true,
      values: { birthDate: '2024-01-05', issuedDate: '2024-01-08', updatedAt: '2024-01-09 10:00:00' },
    });
    // A CSV has the text Excel shows: a bare number there is no date.
    const csvRow = policeRow({ name: '王五', birth: '1990-01-01' });
    csvRow.birthDate = '32874';
    const cells = police.columns.map((c) => (csvRow[c.key] === null ? null : String(csvRow[c.key])));
    expect(validator(police, '2025-12-31', null)({ line: 2, cells })).toMatchObject({
      ok: false,
      reason: 'date.invalid',
      column: 'birthDate',
    });
  });

  it('refuses a cut-off workbook saying why, in both languages, near line 1 rather than 0', async () => {
    const whole = readFileSync(await writeXlsx(dir, 'health-birth-certificates', [birthRow()], 'w.xlsx'));
    const file = join(dir, 'cut.xlsx');
    writeFileSync(file, whole.subarray(0, whole.length - 10));
    const e = await refusal(births, file);
    expect(e.code).toBe('import.truncated');
    expect(e.params.line).toBe(1);
    expect(e.params.reason).toMatch(/被截断.* \/ .*cut off/);
    const csv = join(dir, 'renamed.xlsx');
    writeFileSync(csv, 'a,b\n1,2\n');
    const e2 = await refusal(births, csv);
    expect(e2.code).toBe('import.unreadable');
    expect(e2.params.reason).toMatch(/不是 xlsx 文件.* \/ not an xlsx file/);
  });
});

describe('row values as spreadsheets write them', () => {
  const check = (patch: Row) => {
    const r = { ...policeRow({ name: '赵六', birth: '1990-01-05' }), ...patch };
    const cells = police.columns.map((c) => (r[c.key] === null ? null : String(r[c.key])));
    return validator(police, '2025-12-31', null)({ line: 2, cells });
  };

  it('accepts dates without leading zeros and times without seconds (a CSV saved from Excel)', () => {
    expect(check({ birthDate: '1990/1/5', updatedAt: '2025/1/2 9:05' })).toMatchObject({
      ok: true,
      values: { birthDate: '1990-01-05', updatedAt: '2025-01-02 09:05:00' },
    });
    expect(check({ birthDate: '1990.1.5' })).toMatchObject({ ok: true, values: { birthDate: '1990-01-05' } });
    expect(check({ birthDate: '1990/2/30' })).toMatchObject({ ok: false, reason: 'date.invalid' });
    expect(check({ updatedAt: '2025/1/2 25:05' })).toMatchObject({ ok: false, reason: 'timestamp.invalid' });
  });

  it('rejects a county code of no province (999999), naming the column', () => {
    expect(check({ hukouCounty: '999999' })).toMatchObject({
      ok: false,
      reason: 'code.invalid',
      column: 'hukouCounty',
    });
    // A migrant's home county elsewhere in China stays valid.
    expect(check({ hukouCounty: '510104' })).toMatchObject({ ok: true });
  });
});

// --- the command line -------------------------------------------------------------------------

const root = fileURLToPath(new URL('../../', import.meta.url));
type Run = { code: number; stdout: string; stderr: string };

function cli(args: string[], dataDir: string): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env, JUNHENG_DATA_DIR: dataDir };
  delete env.DATABASE_URL;
  delete env.NODE_OPTIONS;
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['bin/junheng.js', 'import', ...args, '--no-progress'],
      { cwd: root, env },
      (err, stdout, stderr) => {
        const code = err ? ((err as { code?: number }).code ?? 1) : 0;
        resolve({ code: typeof code === 'number' ? code : 1, stdout, stderr });
      },
    );
  });
}

describe('junheng import tells what is wrong, in Chinese and English', () => {
  const data = join(dir, 'cli-data');
  mkdirSync(data, { recursive: true });

  it('a command line that names no file, a missing file, a folder, or a file of another source', async () => {
    const pol = writeCsv(dir, 'police-hukou', rows(), { name: 'police-hukou.csv' });
    const cases: [string[], string, RegExp, RegExp][] = [
      [
        ['--source', 'police', '--file', join(dir, 'nope.csv')],
        'import.file_not_found',
        /找不到文件/,
        /no such file/,
      ],
      [['--source', 'police', '--file', dir], 'import.not_a_file', /不是文件/, /is not a file/],
      [
        ['--source', 'health', '--file', pol],
        'import.feed_source',
        /police.*不是 health/,
        /of police, not of health/,
      ],
      [['--source', 'polic', '--file', pol], 'import.source_unknown', /没有这个数据来源/, /unknown source/],
      [
        ['--source', 'police', '--feed', 'health-deaths', '--file', pol],
        'import.feed_source',
        /属于来源 health/,
        /belongs to source health/,
      ],
    ];
    for (const [args, code, zh, en] of cases) {
      const r = await cli([...args, '--json'], data);
      expect(r.code).toBe(2);
      const out = JSON.parse(r.stdout);
      expect(out.error).toBe(code);
      expect(out.messages['zh-CN']).toMatch(zh);
      expect(out.messages.en).toMatch(en);
      const plain = await cli(args, data);
      expect(plain.code).toBe(2);
      expect(plain.stderr).toMatch(zh);
      expect(plain.stderr).toMatch(en);
      expect(plain.stderr).not.toMatch(/\n\s+at /); // no stack trace
    }
  }, 60_000);

  it('lists rejected rows with line, column and reason; a refusal with its line; nothing left of it', async () => {
    const r = rows(3);
    r[1].idNumber = `${String(r[1].idNumber).slice(0, 17)}${String(r[1].idNumber)[17] === '1' ? '2' : '1'}`;
    const file = writeCsv(dir, 'police-hukou', r, { name: 'police-hukou-rejects.csv' });
    const first = await cli(['--source', 'police', '--file', file, '--json'], data);
    expect(first.code).toBe(0);
    const report = JSON.parse(first.stdout);
    expect(report).toMatchObject({ rows: 3, accepted: 2, rejected: 1 });
    expect(report.rejects).toEqual([
      expect.objectContaining({
        line: 3,
        reason: 'id.checksum',
        column: 'idNumber',
        header: '公民身份号码',
        messages: {
          'zh-CN': '第 3 行「公民身份号码」：身份证号码校验位错误',
          en: 'line 3, 公民身份号码 (idNumber): The ID number check character is wrong',
        },
      }),
    ]);
    // A workbook sent for the CSV feed: each language has its own reason.
    const wb = join(dir, 'police-hukou-wb.csv');
    writeFileSync(wb, readFileSync(await writeXlsx(dir, 'health-birth-certificates', [], 'y.xlsx')));
    const w = JSON.parse((await cli(['--source', 'police', '--file', wb, '--json'], data)).stdout);
    expect(w.refused).toBe('import.unreadable');
    expect(w.messages['zh-CN']).toContain('这是 Excel 工作簿');
    expect(w.messages['zh-CN']).not.toContain('this is an Excel workbook');
    expect(w.messages.en).toContain('this is an Excel workbook');
    expect(w.messages.en).not.toContain('这是 Excel 工作簿');
    const again = JSON.parse((await cli(['--source', 'police', '--file', file, '--json'], data)).stdout);
    expect(again).toMatchObject({ alreadyImported: true, unchanged: 2, rejected: 1, rejects: [{ line: 3 }] });

    // A bad byte on line 3 of another file: refused, the line said in both languages.
    const bad = readFileSync(writeCsv(dir, 'police-hukou', rows(4), { name: 'police-hukou-bad.csv' }));
    let at = 0;
    for (let k = 0; k < 2; k++) at = bad.indexOf(0x0a, at) + 1;
    bad[bad.indexOf(0x2c, at) + 1] = 0x81; // a GBK lead byte, then a digit: no character
    const badFile = join(dir, 'police-hukou-bad.csv');
    writeFileSync(badFile, bad);
    const refused = await cli(['--source', 'police', '--file', badFile, '--json'], data);
    expect(refused.code).toBe(2);
    const out = JSON.parse(refused.stdout);
    expect(out).toMatchObject({ refused: 'import.encoding', line: 3 });
    expect(out.messages['zh-CN']).toContain('第 3 行');
    expect(out.messages.en).toContain('line 3');
    // Nothing of it was committed: the same rows, fixed, are all new.
    writeFileSync(badFile, bad.subarray(0, at));
    const fixed = JSON.parse((await cli(['--source', 'police', '--file', badFile, '--json'], data)).stdout);
    expect(fixed).toMatchObject({ rows: 1, accepted: 1 });
  }, 120_000);
});
