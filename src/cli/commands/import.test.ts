import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { policeRow, tmp, writeCsv } from '../../registry/test-fixtures.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const dir = tmp();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Run = { code: number; stdout: string; stderr: string };

/** `junheng import ARGS` through the real launcher, on the embedded database in `data-<db>`. */
function junheng(args: string[], db: string, heapMb?: string): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env, JUNHENG_DATA_DIR: `${dir}/data-${db}` };
  delete env.DATABASE_URL;
  delete env.NODE_OPTIONS;
  if (heapMb) env.JUNHENG_IMPORT_HEAP_MB = heapMb;
  else delete env.JUNHENG_IMPORT_HEAP_MB;
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['bin/junheng.js', 'import', ...args],
      { cwd: root, env },
      (err, stdout, stderr) => {
        const code = err ? ((err as { code?: number }).code ?? 1) : 0;
        resolve({ code: typeof code === 'number' ? code : 1, stdout, stderr });
      },
    );
  });
}

/** `junheng import --source police --file FILE --json` on a database of its own. */
const runImport = (file: string, heapMb?: string): Promise<Run> =>
  junheng(['--source', 'police', '--file', file, '--json', '--no-progress'], heapMb ?? 'default', heapMb);

const lines = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

/** A stack trace's frame line (`    at run (…/import.ts:12:3)`). */
const STACK = /^\s+at /m;

describe('junheng import (CLI launcher)', () => {
  const file = writeCsv(dir, 'police-hukou', [
    policeRow({ name: '张三', birth: '1990-03-04' }),
    policeRow({ name: '李四', sex: 'female', birth: '1992-07-08' }),
  ]);

  it('imports under the default heap bound and prints the report', async () => {
    const r = await runImport(file);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ accepted: 2, rejected: 0, feed: 'police-hukou' });
  }, 60_000);

  it('tells the feed by the header when the file name does not (a police export named 导出数据.csv)', async () => {
    const renamed = writeCsv(dir, 'police-hukou', [policeRow({ name: '周七', birth: '1985-09-10' })], {
      name: '导出数据.csv',
    });
    const r = await junheng(['--source', 'police', '--file', renamed, '--json', '--no-progress'], 'renamed');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ accepted: 1, feed: 'police-hukou' });
  }, 60_000);

  it('runs the import under the heap bound it is given (a bound too small to open the database fails)', async () => {
    const r = await runImport(file, '8');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/heap/i);
    expect(r.stdout).toBe('');
  }, 60_000);
});

describe('junheng import --dir', () => {
  /** A synth-like folder: police-hukou (2 people), police-moves refused whole (wrong columns),
   * then civil-affairs-marriages (a header and no rows) after the refused file. */
  const withRefused = join(dir, 'with-refused');
  mkdirSync(withRefused);
  writeCsv(withRefused, 'police-hukou', [
    policeRow({ name: '王五', birth: '1988-01-02' }),
    policeRow({ name: '赵六', sex: 'female', birth: '1991-05-06' }),
  ]);
  const badMoves = writeCsv(withRefused, 'police-moves', [], { headers: ['编号', '姓名'] });
  writeCsv(withRefused, 'civil-affairs-marriages', []);

  const allGood = join(dir, 'all-good');
  mkdirSync(allGood);
  writeCsv(allGood, 'police-hukou', [policeRow({ name: '孙七', birth: '1985-09-10' })]);
  writeCsv(allGood, 'civil-affairs-marriages', []);

  it('reports a refused file as --file does, goes on with the other files and exits 2 at the end', async () => {
    const r = await junheng(['--dir', withRefused, '--json', '--no-progress'], 'dir-refused');
    expect(r.stderr).not.toMatch(STACK);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(2);
    const out = lines(r.stdout);
    expect(out).toHaveLength(3);
    expect(out[0]).toMatchObject({ feed: 'police-hukou', accepted: 2, rejected: 0 });
    expect(out[1]).toMatchObject({
      refused: 'import.columns',
      file: 'police-moves.csv',
      feed: 'police-moves',
      messages: {
        'zh-CN': expect.stringContaining('整份文件未导入'),
        en: expect.stringContaining('nothing was imported'),
      },
    });
    // The files after the refused one are still imported.
    expect(out[2]).toMatchObject({ feed: 'civil-affairs-marriages', accepted: 0, rejected: 0 });

    // The same refusal, word for word, as `--file` gives for that file.
    const one = await junheng(
      ['--source', 'police', '--file', badMoves, '--json', '--no-progress'],
      'file-refused',
    );
    expect(one.code).toBe(2);
    expect(lines(one.stdout)).toEqual([out[1]]);
  }, 120_000);

  it('without --json, names each refused file in Chinese and English on stderr (no stack trace)', async () => {
    const r = await junheng(['--dir', withRefused, '--no-progress'], 'dir-refused-text');
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(STACK);
    expect(r.stderr).toContain('police-moves.csv：文件表头与模板不一致');
    expect(r.stderr).toContain('police-moves.csv: The header row does not match the template');
    expect(r.stderr).toMatch(/3 个文件中 1 个被拒绝/);
    expect(r.stderr).toMatch(/1 of 3 files refused/);
    expect(r.stderr).not.toContain('police-hukou.csv');
    // The reports, the refused file's included, are on stdout as with --json.
    expect(lines(r.stdout).map((l) => l.feed)).toEqual([
      'police-hukou',
      'police-moves',
      'civil-affairs-marriages',
    ]);
  }, 60_000);

  it('exits 0 when every file of the folder is imported', async () => {
    const r = await junheng(['--dir', allGood, '--json', '--no-progress'], 'dir-good');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(lines(r.stdout).map((l) => [l.feed, l.accepted])).toEqual([
      ['police-hukou', 1],
      ['civil-affairs-marriages', 0],
    ]);
  }, 60_000);

  it.each([
    ['--file', ['--file', 'x.csv']],
    ['--source', ['--source', 'police']],
    ['--feed', ['--feed', 'police-hukou']],
    ['--source and --file', ['--source', 'police', '--file', 'x.csv']],
  ])(
    'refuses --dir with %s as a usage error (exit 2, both languages on stderr, nothing on stdout)',
    async (_, extra) => {
      const r = await junheng(['--dir', allGood, ...extra, '--no-progress'], 'usage');
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      const [zh, en, ...rest] = r.stderr.trim().split('\n');
      expect(rest).toEqual([]);
      expect(zh).toMatch(/--dir.*不能与.*同时使用/);
      expect(en).toMatch(/^import: --dir cannot be used with /);
      for (const opt of extra.filter((a) => a.startsWith('--'))) {
        expect(zh).toContain(opt);
        expect(en).toContain(opt);
      }
    },
    60_000,
  );

  it('with --json, a usage error is one JSON line on stdout, as for the other usage errors', async () => {
    const r = await junheng(['--dir', allGood, '--file', 'x.csv', '--json', '--no-progress'], 'usage');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('');
    expect(lines(r.stdout)).toEqual([
      { error: 'import.usage', messages: { 'zh-CN': expect.any(String), en: expect.any(String) } },
    ]);
  }, 60_000);

  it.each([
    ['a folder that is not there', () => join(dir, 'no-such-folder'), 'import.dir_not_found'],
    ['a file', () => join(allGood, 'police-hukou.csv'), 'import.not_a_dir'],
    ['a folder without feed files', () => mkdtempSync(join(dir, 'empty-')), 'import.no_feeds'],
  ])(
    'refuses --dir naming %s as a usage error',
    async (_, path, code) => {
      const r = await junheng(['--dir', path(), '--json', '--no-progress'], 'usage');
      expect(r.code).toBe(2);
      expect(r.stderr).toBe('');
      expect(lines(r.stdout)).toEqual([
        { error: code, messages: { 'zh-CN': expect.any(String), en: expect.any(String) } },
      ]);
    },
    60_000,
  );
});
