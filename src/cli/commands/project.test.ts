import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { kunmingLikeInput } from '../../demography/synthetic.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'junheng-project-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Run = { code: number; stdout: string; stderr: string };

function run(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['bin/junheng.js', ...args],
      { cwd: root, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const code = err ? ((err as { code?: number }).code ?? 1) : 0;
        resolve({ code: typeof code === 'number' ? code : 1, stdout, stderr });
      },
    );
  });
}

// biome-ignore lint/suspicious/noExplicitAny: tests mutate arbitrary JSON to make it invalid
type Mutable = Record<string, any>;

let n = 0;
function inputFile(content: unknown): string {
  const file = join(dir, `input-${n++}.json`);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

const valid = () => kunmingLikeInput({ horizon: 5, population: 1_000_000 }) as unknown as Mutable;

describe('junheng project', () => {
  it('prints one JSON document with years.length = horizon and exits 0', async () => {
    const r = await run(['project', '--input', inputFile(valid()), '--json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout);
    expect(out.years.length).toBe(5);
    expect(out.years[0].year).toBe(2021);
    expect(out.years[0].population.female.length).toBe(101);
    expect(Object.keys(out.years[0]).sort()).toEqual([
      'births',
      'deaths',
      'e0',
      'netMigration',
      'population',
      'tfr',
      'year',
    ]);
    expect(out.warnings).toEqual([]);
  });

  it('adds a probabilistic section with --trajectories and --seed, reproducibly', async () => {
    const file = inputFile(valid());
    const a = await run(['project', '--input', file, '--json', '--trajectories', '50', '--seed', '9']);
    const b = await run(['project', '--input', file, '--json', '--trajectories', '50', '--seed', '9']);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    const out = JSON.parse(a.stdout);
    expect(out.probabilistic.trajectories).toBe(50);
    expect(out.probabilistic.years.length).toBe(5);
    const tp = out.probabilistic.years[4].totalPopulation;
    expect(tp.lower95 <= tp.median && tp.median <= tp.upper95).toBe(true);
  });

  const invalid: Array<[string, (i: Mutable) => void, RegExp]> = [
    ['mismatched length', (i) => i.population.female.pop(), /length_mismatch/],
    ['a negative number', (i) => (i.mortality.female[10] = -1), /negative_value/],
    ['a string instead of a number', (i) => (i.population.male[3] = 'abc'), /not_a_number/],
    ['null instead of a number', (i) => (i.fertility.asfr[2] = null), /not_a_number/],
    ['a fertility range outside 0..openAge', (i) => (i.fertility.startAge = 90), /fertility_range/],
    ['timing "middle"', (i) => (i.migration.timing = 'middle'), /invalid_timing/],
  ];
  for (const [name, mutate, reason] of invalid) {
    it(`rejects ${name}: exit 2, empty stdout, reason on stderr`, async () => {
      const input = valid();
      mutate(input);
      const r = await run(['project', '--input', inputFile(input), '--json']);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(reason);
    });
  }

  it('rejects bad JSON and a missing file with exit 2', async () => {
    const bad = await run(['project', '--input', inputFile('{"baseYear": 20'), '--json']);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/not valid JSON/);
    const missing = await run(['project', '--input', join(dir, 'nope.json'), '--json']);
    expect(missing.code).toBe(2);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toMatch(/cannot read/);
  });

  it('writes CSV to stdout and XLSX to --out', async () => {
    const file = inputFile(valid());
    const csv = await run(['project', '--input', file, '--format', 'csv']);
    expect(csv.code).toBe(0);
    const lines = csv.stdout.trim().split('\n');
    expect(lines[0]).toBe('year,sex,age,population');
    expect(lines.length).toBe(1 + 6 * 2 * 101);
    expect(lines.at(-1)).toMatch(/^2025,male,100\+,/);
    const out = join(dir, 'out.xlsx');
    const x = await run(['project', '--input', file, '--format', 'xlsx', '--out', out]);
    expect(x.code).toBe(0);
    expect(x.stdout).toBe('');
    expect(readFileSync(out).subarray(0, 2).toString()).toBe('PK');
    const noOut = await run(['project', '--input', file, '--format', 'xlsx']);
    expect(noOut.code).toBe(2);
  });

  it('exits 2 on usage errors (missing --input, bad --trajectories)', async () => {
    const r = await run(['project', '--json']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const t = await run(['project', '--input', inputFile(valid()), '--trajectories', 'ten']);
    expect(t.code).toBe(2);
    expect(t.stdout).toBe('');
  });

  it('shows --help', async () => {
    const r = await run(['project', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/--input/);
    expect(r.stdout).toMatch(/--trajectories/);
  });
});
