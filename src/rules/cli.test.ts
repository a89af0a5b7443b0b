import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../../bin/junheng.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'junheng-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const run = (args: string[]) =>
  spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', cwd: tmpdir() });

describe('junheng entitlements (real command)', () => {
  it('valid input: exit 0 and one JSON document on stdout', () => {
    const f = join(dir, 'ok.json');
    writeFileSync(
      f,
      JSON.stringify({
        asOf: '2024-06-30',
        family: {
          parents: [{ role: 'mother', employed: true }],
          children: [{ birthDate: '2024-03-15', hukouArea: '530102' }],
        },
      }),
    );
    const r = run(['entitlements', '--input', f, '--json']);
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.asOf).toBe('2024-06-30');
    expect(doc.entitlements.find((e: { id: string }) => e.id === 'maternity_leave').days).toBe(158);
  });
  it('invalid input: exit 2, nothing on stdout, the pointer and reason on stderr', () => {
    const f = join(dir, 'bad.json');
    writeFileSync(
      f,
      JSON.stringify({ asOf: '2024-06-30', family: { children: [{ birthDate: '2023-02-30' }] } }),
    );
    const r = run(['entitlements', '--input', f, '--json']);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('/family/children/0/birthDate');
    expect(r.stderr).toContain('input.invalid_date');
    expect(r.stderr).toMatch(/日期/);
  });
  it('unparseable JSON: exit 2, nothing on stdout', () => {
    const f = join(dir, 'broken.json');
    writeFileSync(f, '{"asOf":');
    const r = run(['entitlements', '--input', f]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
  });
  it('simulate --synthetic prints JSON with a reform difference', () => {
    const reform = fileURLToPath(new URL('../../policy/reforms/third-child-10000.yaml', import.meta.url));
    const r = run([
      'simulate',
      '--synthetic',
      '20000',
      '--seed',
      '5',
      '--year',
      '2025',
      '--reform',
      reform,
      '--json',
    ]);
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.years[0].reform.difference.cashTotalFen).toBeGreaterThanOrEqual(0);
    expect(doc.years[0].reform.familiesLosing).toBe(0);
  });
  it('simulate reads JSON lines and CSV', () => {
    const jl = join(dir, 'pop.jsonl');
    writeFileSync(
      jl,
      `${JSON.stringify({ hukouArea: '530102', children: [{ birthDate: '2020-01-01' }, { birthDate: '2025-03-01' }] })}\n{"persons": 3}\n`,
    );
    const a = run(['simulate', '--population', jl, '--year', '2025', '--json']);
    expect(a.status).toBe(0);
    const ja = JSON.parse(a.stdout);
    expect(ja.years[0].current.programmes.one_time_birth_subsidy.eligible).toBe(1);
    const csv = join(dir, 'pop.csv');
    writeFileSync(
      csv,
      'family_id,hukou_area,child_birth_date,child_hukou_area\nf1,530102,2020-01-01,\nf1,530102,2025-03-01,\nf2,530181,,\n',
    );
    const b = run(['simulate', '--population', csv, '--year', '2025', '--json']);
    expect(b.status).toBe(0);
    expect(JSON.parse(b.stdout).years[0].current).toEqual(ja.years[0].current);
  });
});

describe('junheng simulate --population db (the registry, embedded database)', () => {
  const data = join(dir, 'registry-data');
  const env: NodeJS.ProcessEnv = { ...process.env, JUNHENG_DATA_DIR: data, NODE_ENV: 'development' };
  delete env.DATABASE_URL;
  const junheng = (args: string[]) =>
    spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', cwd: tmpdir(), env });
  const simulate = () => junheng(['simulate', '--population', 'db', '--year', '2024', '--json']);

  it('says what is missing before the registry holds anyone, then simulates the seeded family', () => {
    // A new database: not migrated, so the registry cannot be read.
    const fresh = simulate();
    expect(fresh.status).toBe(2);
    expect(fresh.stdout).toBe('');
    expect(fresh.stderr).toContain('cannot read the registry');
    expect(fresh.stderr).toContain('无法读取人口登记库');

    // Migrated and reference data only: nobody to simulate.
    expect(junheng(['db', 'seed', '--no-demo']).status).toBe(0);
    const empty = simulate();
    expect(empty.status).toBe(2);
    expect(empty.stdout).toBe('');
    expect(empty.stderr).toContain('the registry holds no people');

    // The demo family: 王梓轩, born 2024-03-15, second child with 五华 hukou — 2,000 yuan in 2024.
    expect(junheng(['db', 'seed']).status).toBe(0);
    const r = simulate();
    expect(r.stderr).toContain('reading the registry');
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.years).toHaveLength(1);
    expect(doc.years[0].current.year).toBe(2024);
    expect(doc.years[0].current.programmes.one_time_birth_subsidy).toMatchObject({
      amount: 200000,
      eligible: 1,
    });
  }, 120_000);
});
