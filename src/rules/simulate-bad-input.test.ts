/**
 * `junheng simulate` with bad input, as a planner sends it: broken or meaningless reforms, bad
 * population files, years the parameters do not cover. Each problem names the file, the field or
 * line, and why, in zh and en; the CLI exits 2 with nothing on stdout. Also the reform
 * difference by area.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ColumnsBuilder } from './batch.ts';
import { loadParameters, loadReform, policyDir, type ReformFileError } from './load.ts';
import { addCsv, addJsonLine, syntheticPopulation } from './population.ts';
import { parseYears, simulate } from './simulate.ts';

const bin = fileURLToPath(new URL('../../bin/junheng.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'junheng-simulate-bad-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const current = loadParameters();
const run = (args: string[]) =>
  spawnSync(process.execPath, [bin, 'simulate', ...args], { encoding: 'utf8', cwd: tmpdir() });

const cite = '{ source: s, text: t }';
/** A reform file with one parameter change (YAML text of the change) or the whole text. */
function reformFile(name: string, body: string): string {
  const f = join(dir, name);
  writeFileSync(f, body);
  return f;
}
const oneChange = (param: string, change: string) => `name: t\nparameters:\n  ${param}:\n${change}`;
const update = (entries: string[], extra = '') =>
  `${extra}    update:\n${entries.map((e) => `      - ${e}\n`).join('')}`;

/** The ReformFileError loadReform throws for a file. */
function reformError(file: string): ReformFileError {
  try {
    loadReform(current, file);
  } catch (err) {
    return err as ReformFileError;
  }
  throw new Error(`expected ${file} to be rejected`);
}

/** The ReformFileError for a file of one `update` to a parameter (entries as YAML flow maps). */
const rejectedUpdate = (file: string, param: string, entries: string[], extra = '') =>
  reformError(reformFile(file, oneChange(param, update(entries, extra))));

/** Every issue has a Chinese and an English reason. */
function bilingual(e: ReformFileError) {
  expect(e.name).toBe('ReformFileError');
  expect(e.issues.length).toBeGreaterThan(0);
  for (const i of e.issues) {
    expect(i.message.zh).toMatch(/[\u4e00-\u9fff]/);
    expect(i.message.en).toMatch(/[a-z]/);
  }
}

describe('reform files', () => {
  it('YAML syntax error: the line and column, in zh and en', () => {
    const e = reformError(reformFile('syntax.yaml', 'name: x\nparameters:\n  a: [ { from: 2025\n'));
    bilingual(e);
    expect(e.issues[0].code).toBe('reform.yaml_syntax');
    expect(e.issues[0].message.en).toMatch(/line \d+, column \d+/);
    expect(e.issues[0].message.zh).toMatch(/第 \d+ 行/);
  });

  it('unknown parameter: named, with the parameters of its group', () => {
    const f = reformFile(
      'unknown.yaml',
      oneChange(
        'birth_subsidy.fourth_child',
        update([`{ from: 2025-01-01, to: 2025-12-31, value: 1, citation: ${cite} }`]),
      ),
    );
    const e = reformError(f);
    bilingual(e);
    expect(e.issues[0]).toMatchObject({
      code: 'reform.unknown_parameter',
      path: 'parameters.birth_subsidy.fourth_child',
    });
    expect(e.issues[0].message.en).toContain('birth_subsidy.third_child');
    expect(e.message).toContain(f);
  });

  it.each([
    ['text for money', 'value: "10000"', 'reform.invalid_type', /text "10000"/],
    ['negative money', 'value: -5000', 'reform.negative_amount', /negative/],
    ['a float in fen', 'value: 100.5', 'reform.invalid_amount', /whole number/],
    ['fractions of a fen in yuan', 'value: 100.005', 'reform.invalid_amount', /2 decimals/],
  ])('wrong money value (%s): the entry and why', (_what, value, code, why) => {
    const unit = value.includes('100.5') ? '    unit: fen\n' : '';
    const f = reformFile(
      `money-${code}-${value.length}.yaml`,
      oneChange(
        'birth_subsidy.third_child',
        update([`{ from: 2025-01-01, to: 2025-12-31, ${value}, citation: ${cite} }`], unit),
      ),
    );
    const e = reformError(f);
    bilingual(e);
    expect(e.issues[0].code).toBe(code);
    expect(e.issues[0].path).toBe('parameters.birth_subsidy.third_child.update[0].value');
    expect(e.issues[0].message.en).toMatch(why);
  });

  it('negative days and a unit that does not fit are refused', () => {
    const neg = rejectedUpdate('neg-days.yaml', 'paternity_leave.days', [
      `{ from: 2025-01-01, to: 2025-12-31, value: -30, citation: ${cite} }`,
    ]);
    expect(neg.issues[0]).toMatchObject({
      code: 'reform.invalid_integer',
      path: 'parameters.paternity_leave.days.update[0].value',
    });
    const unit = rejectedUpdate(
      'weeks.yaml',
      'paternity_leave.days',
      [`{ from: 2025-01-01, to: 2025-12-31, value: 4, citation: ${cite} }`],
      '    unit: weeks\n',
    );
    bilingual(unit);
    expect(unit.issues[0]).toMatchObject({
      code: 'reform.invalid_unit',
      path: 'parameters.paternity_leave.days.unit',
    });
  });

  it('from after to: the entry of update (not "values"), with both dates', () => {
    const e = rejectedUpdate('backwards.yaml', 'birth_subsidy.third_child', [
      `{ from: 2025-12-31, to: 2025-01-01, value: 10000, citation: ${cite} }`,
    ]);
    bilingual(e);
    expect(e.issues[0]).toMatchObject({
      code: 'reform.invalid_period',
      path: 'parameters.birth_subsidy.third_child.update[0]',
    });
    expect(e.issues[0].message.en).toContain('2025-12-31');
    expect(e.issues[0].message.zh).toContain('2025-01-01');
  });

  it('overlapping entries of one parameter: both entries and their periods', () => {
    const e = rejectedUpdate('overlap.yaml', 'birth_subsidy.third_child', [
      `{ from: 2025-01-01, to: 2025-12-31, value: 10000, citation: ${cite} }`,
      `{ from: 2025-06-01, to: 2026-06-30, value: 8000, citation: ${cite} }`,
    ]);
    bilingual(e);
    expect(e.issues[0]).toMatchObject({
      code: 'reform.overlap',
      path: 'parameters.birth_subsidy.third_child.update[1]',
    });
    expect(e.issues[0].message.en).toContain('update[0]');
    expect(e.issues[0].message.en).toContain('2025-06-01');
  });

  it('an empty file, and a file that is not a map', () => {
    const empty = reformError(reformFile('empty.yaml', ''));
    bilingual(empty);
    expect(empty.issues[0].code).toBe('reform.empty');
    const comments = reformError(reformFile('comments.yaml', '# nothing yet\n'));
    expect(comments.issues[0].code).toBe('reform.empty');
    const list = reformError(reformFile('list.yaml', '- a\n- b\n'));
    bilingual(list);
    expect(list.issues[0].message.en).toContain('got a list');
  });

  it('a reform that changes nothing is refused (empty parameters, or the values of current law)', () => {
    const none = reformError(reformFile('none.yaml', 'name: t\nparameters: {}\n'));
    bilingual(none);
    expect(none.issues[0].code).toBe('reform.no_change');
    const same = rejectedUpdate('same.yaml', 'birth_subsidy.third_child', [
      `{ from: 2024-01-01, to: 2024-12-31, value: 5000, citation: ${cite} }`,
    ]);
    bilingual(same);
    expect(same.issues[0].code).toBe('reform.no_change');
  });

  it('misspelt keys are refused, not ignored (updates, form)', () => {
    const updates = reformError(
      reformFile(
        'updates.yaml',
        oneChange(
          'birth_subsidy.third_child',
          update([`{ from: 2025-01-01, to: 2025-12-31, value: 10000, citation: ${cite} }`]).replace(
            'update:',
            'updates:',
          ),
        ),
      ),
    );
    bilingual(updates);
    expect(updates.issues.map((i) => i.path)).toContain('parameters.birth_subsidy.third_child.updates');
    // `form` instead of `from` would have applied 10,000 yuan to every birth before 2026
    const form = rejectedUpdate('form.yaml', 'birth_subsidy.third_child', [
      `{ form: 2025-01-01, to: 2025-12-31, value: 10000, citation: ${cite} }`,
    ]);
    expect(form.issues[0]).toMatchObject({
      code: 'reform.unknown_field',
      path: 'parameters.birth_subsidy.third_child.update[0].form',
    });
    const top = reformError(
      reformFile(
        'top.yaml',
        `nmae: x\nparameters:\n  birth_subsidy.third_child:\n${update([`{ from: 2025-01-01, to: 2025-12-31, value: 1, citation: ${cite} }`])}`,
      ),
    );
    expect(top.issues.map((i) => i.path)).toEqual(expect.arrayContaining(['nmae', 'name']));
  });

  it('a reform may not leave days without a value where current law always has one', () => {
    const e = reformError(
      reformFile(
        'gap.yaml',
        oneChange(
          'paternity_leave.days',
          `    values:\n      - { from: 2025-01-01, to: 2025-12-31, value: 30, citation: ${cite} }\n`,
        ),
      ),
    );
    bilingual(e);
    expect(e.issues[0]).toMatchObject({ code: 'reform.leaves_gap', path: 'parameters.paternity_leave.days' });
    expect(e.issues[0].message.en).toContain('before 2025-01-01');
    // a dated window (current law has gaps there too) may be replaced by a shorter one
    const f = reformFile(
      'window.yaml',
      oneChange(
        'national_subsidy.monthly',
        `    values:\n      - { from: 2025-01-01, to: 2025-12-31, value: 300, citation: ${cite} }\n`,
      ),
    );
    expect(loadReform(current, f).reforms).toEqual(['t']);
  });

  it('a missing file and a directory: the file and why, in zh and en', () => {
    const missing = reformError(join(dir, 'no-such-reform.yaml'));
    bilingual(missing);
    expect(missing.issues[0].message).toEqual({ zh: '文件不存在', en: 'no such file' });
    expect(missing.file).toBe(join(dir, 'no-such-reform.yaml'));
    const sub = join(dir, 'a-directory');
    mkdirSync(sub, { recursive: true });
    const isDir = reformError(sub);
    bilingual(isDir);
    expect(isDir.issues[0].message.en).toContain('directory');
  });
});

describe('population files', () => {
  const jsonl = (lines: string[]) => {
    const b = new ColumnsBuilder();
    const issues = lines.flatMap((l, i) => addJsonLine(b, l, i + 1));
    return { issues, cols: b.build() };
  };
  const csv = (text: string) => {
    const b = new ColumnsBuilder();
    const issues = addCsv(b, text);
    return { issues, cols: b.build() };
  };

  it('JSON lines: persons must be a whole number ≥ 0 and not fewer than the listed members', () => {
    const r = jsonl([
      '{"persons":"three"}',
      '{"persons":-5}',
      '{"persons":2.5}',
      '{"hukouArea":"530102","parents":[{"role":"mother"},{"role":"father"}],"children":[{"birthDate":"2020-01-01"}],"persons":2}',
    ]);
    expect(r.issues.map((i) => [i.line, i.path, i.code])).toEqual([
      [1, '/persons', 'population.invalid_persons'],
      [2, '/persons', 'population.invalid_persons'],
      [3, '/persons', 'population.invalid_persons'],
      [4, '/persons', 'population.invalid_persons'],
    ]);
    expect(r.issues[3].message.en).toContain('fewer than the 3');
    expect(r.issues[0].message.zh).toContain('非负整数');
    const ok = jsonl([
      '{"persons":3}',
      '{"hukouArea":"530102","children":[{"birthDate":"2020-01-01"}],"persons":4}',
    ]);
    expect(ok.issues).toEqual([]);
    expect(ok.cols.personCount).toBe(7);
  });

  it('JSON lines: a line that is not JSON says why and hints at the format', () => {
    const r = jsonl(['family_id,hukou_area']);
    expect(r.issues[0].code).toBe('population.invalid_json');
    expect(r.issues[0].message.en).toContain('.csv');
  });

  it('CSV: row and column of each bad value', () => {
    const r = csv(
      [
        'family_id,hukou_area,child_birth_date,persons,mother_employed,child_birth_order,child_adopted',
        'f1,530102,2020-01-01,abc,yes,x,maybe',
        'f2,530102,2021-01-01,,,,',
        'f1,530102,2022-01-01,,,,',
        ',530102,2022-01-01,,,,',
        'f4,530102,2022-01-01,,,0,',
        'f5,530102,2022-01-01,,,,,extra',
      ].join('\n'),
    );
    expect(r.issues.map((i) => [i.line, i.path, i.code])).toEqual([
      [2, '/mother_employed', 'population.invalid_boolean'],
      [2, '/persons', 'population.invalid_persons'],
      [2, '/child_birth_order', 'population.invalid_birth_order'],
      [2, '/child_adopted', 'population.invalid_boolean'],
      [4, '/family_id', 'population.family_not_consecutive'],
      [5, '/family_id', 'population.required'],
      [6, '/child_birth_order', 'population.invalid_birth_order'],
      [7, '', 'population.field_count'],
    ]);
    for (const i of r.issues) expect(i.message.zh).toMatch(/[\u4e00-\u9fff]/);
  });

  it('CSV: an impossible birth date says why, as the calculator does (the month has 29 days)', () => {
    const r = csv(
      ['family_id,hukou_area,child_birth_date', 'f1,530102,2024-02-30', 'f2,530102,2024/03/01'].join('\n'),
    );
    expect(r.issues.map((i) => [i.line, i.code])).toEqual([
      [2, 'population.invalid_date'],
      [3, 'population.invalid_date'],
    ]);
    expect(r.issues[0].message.en).toContain('2024-02 has 29 days');
    expect(r.issues[0].message.zh).toContain('2 月只有 29 天');
    expect(r.issues[1].message.en).toContain('expected YYYY-MM-DD');
  });

  it('CSV: family columns that differ between its rows, child columns without a child, too many children', () => {
    const r = csv(
      [
        'family_id,hukou_area,child_birth_date,child_hukou_area,persons',
        'f1,530102,2024-01-01,,',
        'f1,530181,2025-01-01,,',
        'f2,530102,,530102,',
        'f3,530102,2024-01-01,,1',
        'f3,530102,2025-01-01,,',
        ...Array.from({ length: 21 }, () => 'f4,530102,2020-01-01,,'),
      ].join('\n'),
    );
    expect(r.issues.map((i) => [i.line, i.path, i.code])).toEqual([
      [3, '/hukou_area', 'population.inconsistent_family'],
      [4, '/child_hukou_area', 'population.child_without_birth_date'],
      [5, '/persons', 'population.invalid_persons'],
      [7, '/child_birth_date', 'population.too_many_children'],
    ]);
  });

  it('CSV: unknown columns, an empty file and a header without rows are refused', () => {
    expect(csv('family_id,hukou_area,child_birth_date,mother_employd\n').issues[0]).toMatchObject({
      code: 'population.unknown_column',
      path: '/mother_employd',
    });
    expect(csv('').issues[0].code).toBe('population.empty');
    expect(csv('family_id,hukou_area,child_birth_date\n').issues[0].code).toBe('population.empty');
  });

  it('CSV: quoted fields, CRLF and a byte-order mark read as the plain file', () => {
    const plain = csv(
      'family_id,hukou_area,child_birth_date,persons\nf 1,530102,2024-01-01,4\nf 1,530102,2025-01-01,\n',
    );
    const quoted = csv(
      '\uFEFF"family_id","hukou_area","child_birth_date","persons"\r\n"f 1","530102","2024-01-01","4"\r\n"f 1","530102","2025-01-01",""\r\n',
    );
    expect(plain.issues).toEqual([]);
    expect(quoted.issues).toEqual([]);
    expect(quoted.cols).toEqual(plain.cols);
  });
});

describe('years and the reform difference', () => {
  it('--year outside the years the parameters cover, or not a year', () => {
    for (const spec of ['1990', '2100', '0025', '2019-2021', 'abc', '', '2025-2024']) {
      const r = parseYears(spec);
      expect(r.ok, spec).toBe(false);
      if (!r.ok) {
        expect(r.message.zh).toMatch(/[\u4e00-\u9fff]/);
        expect(r.message.en).toContain('--year');
      }
    }
    expect(parseYears('1990')).toMatchObject({ message: { en: expect.stringContaining('2020–2035') } });
    expect(parseYears('2026, 2024-2025,2025')).toEqual({ ok: true, years: [2024, 2025, 2026] });
  });

  it('the difference by area is reform minus current law for every area of either side', () => {
    const cols = syntheticPopulation({ persons: 30_000, seed: 3 });
    const reform = loadReform(current, `${policyDir()}reforms/allowance-raised.yaml`);
    const rep = simulate(cols, current, [2024, 2025], reform);
    let nonZero = 0;
    for (const y of rep.years) {
      const r = y.reform!;
      const areas = new Set([...Object.keys(y.current.byArea), ...Object.keys(r.byArea)]);
      expect(new Set(Object.keys(r.difference.byArea))).toEqual(areas);
      for (const a of areas) {
        for (const [p, v] of Object.entries(r.difference.byArea[a])) {
          expect(v).toBe((r.byArea[a]?.[p] ?? 0) - (y.current.byArea[a]?.[p] ?? 0));
          if (v !== 0) nonZero++;
        }
      }
      expect(rep.notes.some((n) => n.en.includes('Families gaining and losing'))).toBe(true);
    }
    expect(nonZero).toBeGreaterThan(0);
  });
});

describe('junheng simulate (real command): exit 2, nothing on stdout, file and reason on stderr', () => {
  const pop = join(dir, 'pop.jsonl');
  writeFileSync(pop, '{"hukouArea":"530102","children":[{"birthDate":"2025-03-01"}]}\n');

  it('a missing population file and a directory', () => {
    const missing = join(dir, 'nope.jsonl');
    const a = run(['--population', missing, '--json']);
    expect(a.status).toBe(2);
    expect(a.stdout).toBe('');
    expect(a.stderr).toContain(missing);
    expect(a.stderr).toContain('no such file');
    expect(a.stderr).toContain('文件不存在');
    const b = run(['--population', dir, '--json']);
    expect(b.status).toBe(2);
    expect(b.stdout).toBe('');
    expect(b.stderr).toContain('不是文件');
  });

  it('a bad reform: file, field and reason in zh and en', () => {
    const f = reformFile(
      'cli-neg.yaml',
      oneChange(
        'birth_subsidy.third_child',
        update([`{ from: 2025-01-01, to: 2025-12-31, value: -5000, citation: ${cite} }`]),
      ),
    );
    const r = run(['--population', pop, '--reform', f, '--json']);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`${f}: parameters.birth_subsidy.third_child.update[0].value`);
    expect(r.stderr).toContain('cannot be negative');
    expect(r.stderr).toContain('金额不能为负数');
  });

  it('--year out of range, an empty population, contradictory options', () => {
    const y = run(['--population', pop, '--year', '1990', '--json']);
    expect(y.status).toBe(2);
    expect(y.stdout).toBe('');
    expect(y.stderr).toContain('2020–2035');
    const empty = join(dir, 'empty.jsonl');
    writeFileSync(empty, '\n');
    const e = run(['--population', empty, '--json']);
    expect(e.status).toBe(2);
    expect(e.stdout).toBe('');
    expect(e.stderr).toContain(`${empty}:1`);
    const both = run(['--population', pop, '--synthetic', '1000', '--json']);
    expect(both.status).toBe(2);
    const seed = run(['--synthetic', '1000', '--seed', 'abc', '--json']);
    expect(seed.status).toBe(2);
    expect(seed.stderr).toContain('--seed');
  });

  it('a .CSV file (upper case) is read as CSV', () => {
    const f = join(dir, 'POP.CSV');
    writeFileSync(f, 'family_id,hukou_area,child_birth_date\nf1,530102,2025-03-01\n');
    const r = run(['--population', f, '--json']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).families).toBe(1);
  });
});
