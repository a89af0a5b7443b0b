/**
 * The only module of `rules/` that reads files: parameter directories and reform overlays.
 * Everything else receives parsed data.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, parseDocument } from 'yaml';
import { isoFromDays, OPEN_END, OPEN_START } from './dates.ts';
import {
  applyReform,
  compileParameters,
  isRecord,
  MAX_REFORM_ISSUES,
  type ParamEntry,
  ParameterError,
  type ParameterSet,
  type ParamIssue,
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

/**
 * Read and compile every `*.yaml` parameter file of a directory. A problem names the file that
 * holds the parameter its path starts with, or the directory when no file does (a parameter
 * missing from all of them).
 */
export function loadParameters(dir: string = defaultParametersDir()): ParameterSet {
  const files = yamlFiles(dir).map((file) => ({ file, doc: parse(readFileSync(file, 'utf8')) as unknown }));
  try {
    return compileParameters(files.map((f) => f.doc));
  } catch (err) {
    if (!(err instanceof ParameterError) || err.issues.length === 0) throw err;
    // Parameter names hold dots themselves: the file is the one with a name the path starts with.
    const path = err.issues[0].path;
    const holds = (doc: unknown) =>
      isRecord(doc) &&
      Object.keys(doc).some((k) => path === k || path.startsWith(`${k}.`) || path.startsWith(`${k}[`));
    const where = files.find((f) => holds(f.doc))?.file ?? dir;
    throw new ParameterError(`${where}: ${err.message}`, err.issues);
  }
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

/** A problem applyReform found, as a problem of the reform file (its code prefixed `reform.`). */
function asReformIssue(i: ParamIssue): ReformIssue {
  return { ...i, code: `reform.${i.code}` };
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
  if (!changed && issues.length === 0) {
    issues.push({
      code: 'reform.no_change',
      path: 'parameters',
      message:
        names.length === 0
          ? {
              zh: '政策调整未修改任何参数（parameters 为空）',
              en: 'the reform changes nothing (parameters is empty)',
            }
          : {
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
 * Read a reform overlay file (YAML) and apply it to a parameter set: applyReform checks it whole
 * (every problem, with where and why in zh and en), then a reform that changes nothing or leaves
 * days without a value is refused. Throws ReformFileError.
 */
export function loadReform(base: ParameterSet, file: string): ParameterSet {
  const text = readText(file);
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length) {
    throw new ReformFileError(
      file,
      doc.errors.slice(0, MAX_REFORM_ISSUES).map((e) => {
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
  if (data === null || data === undefined) {
    throw new ReformFileError(file, [
      {
        code: 'reform.empty',
        path: '',
        message: {
          zh: '文件为空：政策调整文件须包含 name、description 和 parameters',
          en: 'the file is empty: a reform needs name, description and parameters',
        },
      },
    ]);
  }
  let next: ParameterSet;
  try {
    next = applyReform(base, data);
  } catch (err) {
    if (!(err instanceof ParameterError)) throw err;
    throw new ReformFileError(file, err.issues.map(asReformIssue));
  }
  const applied = checkApplied(base, next, Object.keys((data as { parameters: object }).parameters));
  if (applied.length) throw new ReformFileError(file, applied);
  return next;
}

/** Parse every YAML test file of a directory (for the policy test runner). */
export function loadYamlDir(dir: string): Array<{ file: string; data: unknown }> {
  return yamlFiles(dir).map((file) => ({ file, data: parse(readFileSync(file, 'utf8')) }));
}
