/**
 * The only module of `rules/` that reads files: parameter directories and reform overlays.
 * Everything else receives parsed data.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, parseDocument } from 'yaml';
import { isoFromDays, OPEN_END, OPEN_START } from './dates.ts';
import { echo } from './echo.ts';
import {
  applyReform,
  checkParamEntry,
  compileParameters,
  type EntryPeriod,
  isRecord,
  overlapIssues,
  PARAMETER_KINDS,
  type ParamEntry,
  ParameterError,
  type ParameterSet,
  type ParamIssue,
  type ParamKind,
  wrongType as paramWrongType,
} from './params.ts';

/** `policy/parameters` of this package, resolved from this file (not from the working directory). */
export function defaultParametersDir(): string {
  return fileURLToPath(new URL('../../policy/parameters/', import.meta.url));
}

/** `policy/` of this package. */
export function policyDir(): string {
  return fileURLToPath(new URL('../../policy/', import.meta.url));
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
    .sort()
    .map((f) => join(dir, f));
}

/** Read and compile every `*.yaml` parameter file of a directory. */
export function loadParameters(dir: string = defaultParametersDir()): ParameterSet {
  return compileParameters(yamlFiles(dir).map((f) => parse(readFileSync(f, 'utf8'))));
}

/** One problem of a reform file: where (dotted path inside the file, "" = the file), a code and why (zh, en). */
export type ReformIssue = ParamIssue;

/** A reform file that cannot be used: the file and every problem found (zh and en). */
export class ReformFileError extends Error {
  override name = 'ReformFileError';
  constructor(
    readonly file: string,
    readonly issues: ReformIssue[],
  ) {
    super(`reform ${file}: ${issues.map((i) => (i.path ? `${i.path}: ` : '') + i.message.en).join('; ')}`);
  }
}

const MAX_ISSUES = 50;

/** A problem of a parameter value as a problem of the reform file (its code prefixed `reform.`). */
function asReformIssue(i: ParamIssue): ReformIssue {
  return { ...i, code: `reform.${i.code}` };
}

/** A value of the wrong kind at `path`: what was expected (zh, en), and what was sent instead. */
function wrongType(path: string, v: unknown, zh: string, en: string): ReformIssue {
  return asReformIssue(paramWrongType(path, v, zh, en));
}

/** Names of known parameters in the same group (before the dot), for "did you mean". */
function nearNames(name: string): string[] {
  const group = name.split('.')[0];
  return Object.keys(PARAMETER_KINDS).filter((n) => n.split('.')[0] === group);
}

const TOP_FIELDS = new Set(['name', 'description', 'parameters']);
const CHANGE_FIELDS = new Set(['update', 'values', 'unit']);
const ENTRY_FIELDS = new Set(['from', 'to', 'value', 'citation', 'note']);

function unknownField(path: string, key: string, allowed: Set<string>): ReformIssue {
  const list = [...allowed].join(', ');
  return {
    code: 'reform.unknown_field',
    path: path ? `${path}.${key}` : key,
    message: {
      zh: `未知字段 ${echo(key)}（可用：${list}）`,
      en: `unknown field ${echo(key)} (allowed: ${list})`,
    },
  };
}

/** Check one `update`/`values` entry at `ep` (its fields, then checkParamEntry); its period when usable. */
function checkEntry(
  kind: ParamKind,
  unit: string,
  e: unknown,
  ep: string,
  push: (i: ReformIssue) => void,
): EntryPeriod | undefined {
  if (isRecord(e))
    for (const k of Object.keys(e)) if (!ENTRY_FIELDS.has(k)) push(unknownField(ep, k, ENTRY_FIELDS));
  const r = checkParamEntry(kind, unit, e, ep);
  for (const i of r.issues) push(asReformIssue(i));
  return r.period;
}

/** Check a parsed reform document against current law; every problem found, at most MAX_ISSUES. */
function checkReformDocument(base: ParameterSet, doc: unknown): ReformIssue[] {
  const issues: ReformIssue[] = [];
  const push = (i: ReformIssue) => {
    if (issues.length < MAX_ISSUES) issues.push(i);
  };
  if (doc === null || doc === undefined) {
    return [
      {
        code: 'reform.empty',
        path: '',
        message: {
          zh: '文件为空：政策调整文件须包含 name、description 和 parameters',
          en: 'the file is empty: a reform needs name, description and parameters',
        },
      },
    ];
  }
  if (!isRecord(doc)) {
    return [
      wrongType(
        '',
        doc,
        '政策调整文件应为包含 name、description 和 parameters 的映射',
        'a reform must be a map with name, description and parameters',
      ),
    ];
  }
  for (const k of Object.keys(doc)) if (!TOP_FIELDS.has(k)) push(unknownField('', k, TOP_FIELDS));
  if (typeof doc.name !== 'string' || doc.name.trim() === '') {
    push({
      code: 'reform.required',
      path: 'name',
      message: { zh: '缺少名称（name，非空文本）', en: 'name is required (non-empty text)' },
    });
  }
  if (doc.description !== undefined) {
    const d = doc.description;
    if (!isRecord(d) || typeof d.zh !== 'string' || typeof d.en !== 'string') {
      push({
        code: 'reform.invalid_type',
        path: 'description',
        message: { zh: 'description 应包含 zh 和 en 两段文本', en: 'description needs zh and en texts' },
      });
    }
  }
  const ps = doc.parameters;
  if (ps === undefined || ps === null) {
    push({
      code: 'reform.required',
      path: 'parameters',
      message: {
        zh: '缺少 parameters（参数名 → update 或 values）',
        en: 'parameters is required (parameter name → update or values)',
      },
    });
    return issues;
  }
  if (!isRecord(ps)) {
    push(wrongType('parameters', ps, 'parameters 应为映射', 'parameters must be a map'));
    return issues;
  }
  if (Object.keys(ps).length === 0) {
    push({
      code: 'reform.no_change',
      path: 'parameters',
      message: {
        zh: '政策调整未修改任何参数（parameters 为空）',
        en: 'the reform changes nothing (parameters is empty)',
      },
    });
  }
  for (const [name, change] of Object.entries(ps)) {
    const pp = `parameters.${name}`;
    const kind = PARAMETER_KINDS[name];
    const current = base.params.get(name);
    if (!kind || !current) {
      const near = nearNames(name);
      push({
        code: 'reform.unknown_parameter',
        path: pp,
        message: {
          zh: `未知参数 ${echo(name)}${near.length ? `（同组参数：${near.join('、')}）` : '（参数见 policy/parameters/*.yaml）'}`,
          en: `unknown parameter ${echo(name)}${near.length ? ` (parameters of that group: ${near.join(', ')})` : ' (see policy/parameters/*.yaml)'}`,
        },
      });
      continue;
    }
    if (!isRecord(change)) {
      push(wrongType(pp, change, '应为包含 update 或 values 的映射', 'expected a map with update or values'));
      continue;
    }
    for (const k of Object.keys(change)) if (!CHANGE_FIELDS.has(k)) push(unknownField(pp, k, CHANGE_FIELDS));
    if (change.update === undefined && change.values === undefined) {
      push({
        code: 'reform.required',
        path: pp,
        message: {
          zh: '须给出 update（在现行政策上覆盖一个时段）或 values（替换整个时间线）',
          en: 'give update (a period over current law) or values (a new timeline)',
        },
      });
    }
    const isMoney = kind === 'money' || kind === 'money_map';
    let unit = isMoney ? 'yuan' : current.unit;
    if (change.unit !== undefined) {
      const ok = isMoney ? change.unit === 'yuan' || change.unit === 'fen' : change.unit === current.unit;
      if (!ok) {
        const allowed = isMoney ? 'yuan, fen' : current.unit;
        push({
          code: 'reform.invalid_unit',
          path: `${pp}.unit`,
          message: {
            zh: `单位 ${echo(change.unit)} 不适用于此参数（可用：${allowed}）`,
            en: `unit ${echo(change.unit)} does not fit this parameter (allowed: ${allowed})`,
          },
        });
      } else unit = change.unit as string;
    }
    for (const listKey of ['update', 'values'] as const) {
      const list = change[listKey];
      if (list === undefined) continue;
      const lp = `${pp}.${listKey}`;
      if (!Array.isArray(list) || list.length === 0) {
        push({
          code: 'reform.invalid_type',
          path: lp,
          message: {
            zh: `${listKey} 应为非空列表（每项含 from、to、value、citation）`,
            en: `${listKey} must be a non-empty list (each with from, to, value, citation)`,
          },
        });
        continue;
      }
      const periods: Array<EntryPeriod & { i: number }> = [];
      list.forEach((e, i) => {
        const period = checkEntry(kind, unit, e, `${lp}[${i}]`, push);
        if (period) periods.push({ i, ...period });
      });
      for (const i of overlapIssues(periods, listKey, lp)) push(asReformIssue(i));
    }
  }
  return issues;
}

/** Periods (day ranges) covered by a timeline, merged. */
function covered(entries: readonly ParamEntry[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const e of [...entries].sort((a, b) => a.fromDay - b.fromDay)) {
    const last = out[out.length - 1];
    if (last && e.fromDay <= last[1] + 1) last[1] = Math.max(last[1], e.toDay);
    else out.push([e.fromDay, e.toDay]);
  }
  return out;
}

/** A timeline as comparable text: value periods, adjacent equal values merged. */
function timelineKey(entries: readonly ParamEntry[]): string {
  const out: Array<[number, number, string]> = [];
  for (const e of [...entries].sort((a, b) => a.fromDay - b.fromDay)) {
    const v = JSON.stringify(e.value);
    const last = out[out.length - 1];
    if (last && last[2] === v && e.fromDay === last[1] + 1) last[1] = e.toDay;
    else out.push([e.fromDay, e.toDay, v]);
  }
  return JSON.stringify(out);
}

/** What applying the reform does to current law: gaps where the formulas need a value, or nothing at all. */
function checkApplied(base: ParameterSet, next: ParameterSet, names: string[]): ReformIssue[] {
  const issues: ReformIssue[] = [];
  let changed = false;
  for (const name of names) {
    const before = base.params.get(name);
    const after = next.params.get(name);
    if (!before || !after) continue;
    if (timelineKey(before.entries) !== timelineKey(after.entries)) changed = true;
    // A parameter current law sets on every day is one the formulas always read: a reform may
    // change it, not leave days without a value (the batch path would read "not in force").
    const cur = covered(before.entries);
    if (cur.length === 1 && cur[0][0] <= OPEN_START && cur[0][1] >= OPEN_END) {
      const ref = covered(after.entries);
      let at = OPEN_START;
      for (const [f, t] of ref) {
        if (f > at) break;
        at = Math.max(at, t + 1);
      }
      if (at <= OPEN_END) {
        const next = ref.find(([f]) => f > at);
        const until = next ? next[0] - 1 : OPEN_END;
        const span =
          at <= OPEN_START
            ? { zh: `${isoFromDays(until + 1)} 之前`, en: `before ${isoFromDays(until + 1)}` }
            : until >= OPEN_END
              ? { zh: `${isoFromDays(at - 1)} 之后`, en: `after ${isoFromDays(at - 1)}` }
              : {
                  zh: `${isoFromDays(at)} 至 ${isoFromDays(until)}`,
                  en: `from ${isoFromDays(at)} to ${isoFromDays(until)}`,
                };
        issues.push({
          code: 'reform.leaves_gap',
          path: `parameters.${name}`,
          message: {
            zh: `调整后该参数在 ${span.zh} 没有取值（现行政策每天都有取值）；请用 update 只覆盖要改的时段`,
            en: `after the reform this parameter has no value ${span.en} (current law has one on every day); use update to change only the period you mean`,
          },
        });
      }
    }
  }
  if (names.length > 0 && !changed && issues.length === 0) {
    issues.push({
      code: 'reform.no_change',
      path: 'parameters',
      message: {
        zh: '政策调整未改变任何参数值：所有设定的值都与现行政策相同',
        en: 'the reform changes nothing: every value it sets equals current law',
      },
    });
  }
  return issues;
}

/** Why a file cannot be opened or read, from the error fs gave (zh and en). */
export function unreadableReason(err: unknown): { zh: string; en: string } {
  const code = (err as NodeJS.ErrnoException).code ?? '';
  if (code === 'ENOENT') return { zh: '文件不存在', en: 'no such file' };
  if (code === 'EISDIR') return { zh: '这是一个目录，不是文件', en: 'this is a directory, not a file' };
  if (code === 'EACCES' || code === 'EPERM') return { zh: '没有读取权限', en: 'permission denied' };
  const why = code || (err as Error).message;
  return { zh: `无法读取（${why}）`, en: `cannot be read (${why})` };
}

/** Read a file as text, or say (zh and en) why it cannot be read. */
function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new ReformFileError(file, [
      { code: 'reform.unreadable', path: '', message: unreadableReason(err) },
    ]);
  }
}

/**
 * Read a reform overlay file (YAML), check it (every problem, with where and why in zh and en)
 * and apply it to a parameter set. Throws ReformFileError.
 */
export function loadReform(base: ParameterSet, file: string): ParameterSet {
  const text = readText(file);
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length) {
    throw new ReformFileError(
      file,
      doc.errors.slice(0, MAX_ISSUES).map((e) => {
        const pos = e.linePos?.[0];
        const reason = e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
        return {
          code: 'reform.yaml_syntax',
          path: '',
          message: {
            zh: `YAML 语法错误${pos ? `（第 ${pos.line} 行第 ${pos.col} 列）` : ''}：${reason}`,
            en: `YAML syntax error${pos ? ` at line ${pos.line}, column ${pos.col}` : ''}: ${reason}`,
          },
        };
      }),
    );
  }
  const data: unknown = doc.toJS({ maxAliasCount: 1000 });
  const issues = checkReformDocument(base, data);
  if (issues.length) throw new ReformFileError(file, issues);
  let next: ParameterSet;
  try {
    next = applyReform(base, data);
  } catch (err) {
    // Not expected after the checks above; still said in both languages, with the file.
    if (err instanceof ParameterError && err.issues.length) {
      throw new ReformFileError(file, err.issues.map(asReformIssue));
    }
    throw new ReformFileError(file, [
      {
        code: 'reform.invalid',
        path: '',
        message: { zh: `政策调整无效：${(err as Error).message}`, en: (err as Error).message },
      },
    ]);
  }
  const applied = checkApplied(base, next, Object.keys((data as { parameters: object }).parameters));
  if (applied.length) throw new ReformFileError(file, applied);
  return next;
}

/** Parse every YAML test file of a directory (for the policy test runner). */
export function loadYamlDir(dir: string): Array<{ file: string; data: unknown }> {
  return yamlFiles(dir).map((file) => ({ file, data: parse(readFileSync(file, 'utf8')) }));
}
