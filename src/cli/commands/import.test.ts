import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { policeRow, tmp, writeCsv } from '../../registry/test-fixtures.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const dir = tmp();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Run = { code: number; stdout: string; stderr: string };

/** `junheng import` through the real launcher, on an embedded database of its own. */
function runImport(file: string, heapMb?: string): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env, JUNHENG_DATA_DIR: `${dir}/data-${heapMb ?? 'default'}` };
  delete env.DATABASE_URL;
  delete env.NODE_OPTIONS;
  if (heapMb) env.JUNHENG_IMPORT_HEAP_MB = heapMb;
  else delete env.JUNHENG_IMPORT_HEAP_MB;
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['bin/junheng.js', 'import', '--source', 'police', '--file', file, '--json', '--no-progress'],
      { cwd: root, env },
      (err, stdout, stderr) => {
        const code = err ? ((err as { code?: number }).code ?? 1) : 0;
        resolve({ code: typeof code === 'number' ? code : 1, stdout, stderr });
      },
    );
  });
}

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

  it('runs the import under the heap bound it is given (a bound too small to open the database fails)', async () => {
    const r = await runImport(file, '8');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/heap/i);
    expect(r.stdout).toBe('');
  }, 60_000);
});
