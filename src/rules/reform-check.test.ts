/**
 * One checker for reforms and parameter files: `applyReform` itself reports every problem of a
 * reform (as `loadReform` does for a file), and a money parameter's unit is checked once, at the
 * parameter, in both languages.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadParameters, loadReform, type ReformFileError } from './load.ts';
import { applyReform, compileParameters, ParameterError, type ParamIssue } from './params.ts';

const current = loadParameters();
const dir = mkdtempSync(join(tmpdir(), 'junheng-reform-check-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const cite = { source: 's', text: 't' };

/** The ParameterError `f` throws. */
function parameterError(f: () => unknown): ParameterError {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(ParameterError);
    return err as ParameterError;
  }
  throw new Error('expected a ParameterError');
}

function bilingual(issues: readonly ParamIssue[]) {
  expect(issues.length).toBeGreaterThan(0);
  for (const i of issues) {
    expect(i.message.zh).toMatch(/[\u4e00-\u9fff]/);
    expect(i.message.en).toMatch(/[a-z]/);
  }
}

/** Two independent problems: a misspelt parameter, and a negative amount in another one. */
const twoProblems = {
  name: 'two-problems',
  parameters: {
    'birth_subsidy.fourth_child': {
      update: [{ from: '2025-01-01', to: '2025-12-31', value: 1, citation: cite }],
    },
    'birth_subsidy.third_child': {
      update: [{ from: '2025-01-01', to: '2025-12-31', value: -5000, citation: cite }],
    },
  },
};

describe('applyReform checks the whole reform', () => {
  it('reports two independent problems at once, each at its path, in zh and en', () => {
    const e = parameterError(() => applyReform(current, twoProblems));
    expect(e.issues.map((i) => [i.path, i.code])).toEqual([
      ['parameters.birth_subsidy.fourth_child', 'unknown_parameter'],
      ['parameters.birth_subsidy.third_child.update[0].value', 'negative_amount'],
    ]);
    bilingual(e.issues);
    expect(e.issues[0].message.en).toContain('birth_subsidy.third_child');
    expect(e.message).toContain('parameters.birth_subsidy.fourth_child');
    expect(e.message).toContain('negative');
  });

  it('refuses a misspelt field of an entry instead of ignoring it', () => {
    const e = parameterError(() =>
      applyReform(current, {
        name: 'form',
        parameters: {
          'birth_subsidy.third_child': {
            update: [{ form: '2025-01-01', to: '2025-12-31', value: 10000, citation: cite }],
          },
        },
      }),
    );
    expect(e.issues.map((i) => [i.path, i.code])).toEqual([
      ['parameters.birth_subsidy.third_child.update[0].form', 'unknown_field'],
    ]);
    bilingual(e.issues);
  });

  it('a money unit other than yuan or fen is one problem at the parameter', () => {
    const e = parameterError(() =>
      applyReform(current, {
        name: 'dollars',
        parameters: {
          'birth_subsidy.third_child': {
            unit: 'dollar',
            update: [
              { from: '2025-01-01', to: '2025-06-30', value: 100, citation: cite },
              { from: '2025-07-01', to: '2025-12-31', value: 200, citation: cite },
            ],
          },
        },
      }),
    );
    expect(e.issues.map((i) => [i.path, i.code])).toEqual([
      ['parameters.birth_subsidy.third_child.unit', 'invalid_unit'],
    ]);
    bilingual(e.issues);
  });

  it('a reform that is not a map, or has no name, says so in zh and en', () => {
    bilingual(parameterError(() => applyReform(current, [1])).issues);
    const e = parameterError(() => applyReform(current, { parameters: {} }));
    expect(e.issues.map((i) => [i.path, i.code])).toEqual([['name', 'required']]);
    bilingual(e.issues);
  });

  it('an empty overlay is applied as no change (a file that changes nothing is refused by loadReform)', () => {
    const r = applyReform(current, { name: 'none', parameters: {} });
    expect(r.params).toEqual(current.params);
    expect(r.reforms).toEqual(['none']);
  });

  it('loadReform reports the same problems for a file, with codes prefixed reform.', () => {
    const f = join(dir, 'two-problems.json');
    writeFileSync(f, JSON.stringify(twoProblems));
    let err: ReformFileError | undefined;
    try {
      loadReform(current, f);
    } catch (e) {
      err = e as ReformFileError;
    }
    expect(err?.name).toBe('ReformFileError');
    expect(err?.file).toBe(f);
    expect(err?.issues.map((i) => [i.path, i.code])).toEqual([
      ['parameters.birth_subsidy.fourth_child', 'reform.unknown_parameter'],
      ['parameters.birth_subsidy.third_child.update[0].value', 'reform.negative_amount'],
    ]);
  });
});

describe('current-law parameter files', () => {
  const definition = (unit: string) => ({
    unit,
    description: { zh: '二孩一次性补贴', en: 'second-child subsidy' },
    values: [
      { from: '2023-01-01', to: '2023-12-31', value: 2000, citation: cite },
      { from: '2024-01-01', value: 3000, citation: cite },
    ],
  });

  it('a money parameter in "dollar" is one bilingual problem at the parameter, not one per value', () => {
    const e = parameterError(() =>
      compileParameters([{ 'birth_subsidy.second_child': definition('dollar') }]),
    );
    expect(e.issues.map((i) => [i.path, i.code])).toEqual([
      ['birth_subsidy.second_child.unit', 'invalid_unit'],
    ]);
    bilingual(e.issues);
    expect(e.issues[0].message.en).toContain('dollar');
    expect(e.issues[0].message.en).toContain('yuan, fen');
    expect(e.message).toMatch(/^birth_subsidy\.second_child\.unit: /);
  });

  it('a broken file of a parameter directory is named, and every problem is in zh and en', () => {
    const params = join(dir, 'params');
    mkdirSync(params, { recursive: true });
    const { unit: _unit, ...noUnit } = definition('yuan');
    writeFileSync(join(params, 'subsidy.yaml'), JSON.stringify({ 'birth_subsidy.second_child': noUnit }));
    const e = parameterError(() => loadParameters(params));
    expect(e.message).toMatch(/subsidy\.yaml: birth_subsidy\.second_child: unit is required/);
    bilingual(e.issues);
    // Unknown, repeated and missing parameters too, each with its path.
    const unknown = parameterError(() =>
      compileParameters([{ 'birth_subsidy.fourth_child': definition('yuan') }]),
    );
    expect(unknown.issues.map((i) => [i.path, i.code])).toEqual([
      ['birth_subsidy.fourth_child', 'unknown_parameter'],
    ]);
    expect(unknown.issues[0].message.en).toContain('birth_subsidy.second_child');
    bilingual(unknown.issues);
    const twice = { 'birth_subsidy.second_child': definition('yuan') };
    bilingual(parameterError(() => compileParameters([twice, twice])).issues);
    const missing = parameterError(() => compileParameters([twice]));
    expect(missing.issues[0].code).toBe('missing');
    bilingual(missing.issues);
  });

  it('a missing unit or description keeps its message, now with zh and the problems listed', () => {
    const { unit: _unit, ...noUnit } = definition('yuan');
    const e = parameterError(() => compileParameters([{ 'birth_subsidy.second_child': noUnit }]));
    expect(e.message).toBe('birth_subsidy.second_child: unit is required');
    bilingual(e.issues);
    const noDescription = { ...definition('yuan'), description: { zh: '二孩' } };
    const d = parameterError(() => compileParameters([{ 'birth_subsidy.second_child': noDescription }]));
    expect(d.message).toBe('birth_subsidy.second_child: description needs zh and en');
    bilingual(d.issues);
  });
});
