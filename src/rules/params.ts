/**
 * Dated, cited policy parameters (OpenFisca-style). Parameter files are plain data
 * (`policy/parameters/*.yaml`); this module validates and compiles the parsed data, looks values up
 * by date, and applies reform overlays. No I/O here: see `load.ts`.
 */
import { isoDateProblem, isoFromDays, OPEN_END, OPEN_START, parseIsoDate } from './dates.ts';
import { echo } from './echo.ts';

export type Grade = 'P' | 'S' | 'U';

/** Where a value comes from: document, clause, the sentence it is taken from, and its grade. */
export interface Citation {
  source: string;
  clause?: string;
  text: string;
  grade?: Grade;
  document?: string;
}

export type ParamValue = number | boolean | string | number[] | number[][] | Record<string, number>;

export interface ParamEntry {
  /** ISO date the value takes effect, or null when open-ended (applies to every date). */
  from: string | null;
  /** ISO date (inclusive) of the last day the value applies, or null when open-ended. */
  to: string | null;
  fromDay: number;
  toDay: number;
  /** Money values are held in fen (integers) whatever unit the file declares. Frozen. */
  value: ParamValue;
  /** Frozen. */
  citation: Citation;
  note?: string;
}

export interface Parameter {
  name: string;
  /** Unit after compilation (`yuan` in a file becomes `fen`). */
  unit: string;
  description: { zh: string; en: string };
  /** What date the value is looked up by (documentation for readers). */
  keyedBy: string;
  entries: ParamEntry[];
}

export interface ParameterSet {
  readonly params: ReadonlyMap<string, Parameter>;
  /** Names of reforms applied on top of current law, in order. */
  readonly reforms: readonly string[];
}

export class ParameterError extends Error {
  override name = 'ParameterError';
  /** Every problem of a parameter definition or reform, each with its path and reason in zh and en (empty for other errors). */
  readonly issues: readonly ParamIssue[];
  constructor(message: string, issues: readonly ParamIssue[] = []) {
    super(message);
    this.issues = issues;
  }
}

export type ParamKind = 'money' | 'int' | 'bool' | 'string' | 'int_list' | 'int_matrix' | 'money_map';

/**
 * Every parameter the formulas read, with the kind of value it must hold. Loading fails when one
 * is missing or malformed, so no formula ever falls back to a silent default.
 */
export const PARAMETER_KINDS: Record<string, ParamKind> = {
  'area.kunming_prefix': 'string',
  'area.yunnan_prefix': 'string',
  'birth_subsidy.second_child': 'money',
  'birth_subsidy.third_child': 'money',
  'local_allowance.birth_orders': 'int_list',
  'local_allowance.birth_window': 'bool',
  'local_allowance.yearly': 'money',
  'local_allowance.superseded_by_national_subsidy': 'bool',
  'national_subsidy.monthly': 'money',
  'national_subsidy.age_limit_years': 'int',
  'insurance_subsidy.birth_window': 'bool',
  'insurance_subsidy.yearly': 'money',
  'insurance_subsidy.age_limit_years': 'int',
  'maternity_leave.base_days': 'int',
  'maternity_leave.difficult_birth_extra_days': 'int',
  'maternity_leave.per_additional_baby_days': 'int',
  'maternity_leave.yunnan_extension_days': 'int',
  'paternity_leave.days': 'int',
  'parental_leave.days': 'int',
  'parental_leave.extra_days': 'int',
  'parental_leave.extra_min_children_under_limit': 'int',
  'parental_leave.child_age_limit_years': 'int',
  'nursing_time.minutes_per_day_per_baby': 'int',
  'nursing_time.baby_age_limit_years': 'int',
  'elder_care_leave.only_child_days': 'int',
  'elder_care_leave.other_days': 'int',
  'housing_fund.loan_uplift_two_children_percent': 'int',
  'housing_fund.loan_uplift_three_or_more_percent': 'int',
  'housing_fund.rent_withdrawal_min_children': 'int',
  'public_rental.minor_age_limit_years': 'int',
  'guaranteed_rental.min_children': 'int',
  'housing_purchase_support.min_children': 'int',
  'housing_purchase_support.by_county': 'money_map',
  'iit_infant_care.monthly': 'money',
  'iit_infant_care.age_limit_years': 'int',
  'iit_infant_care.split_options_percent': 'int_matrix',
  'school_placement.min_children': 'int',
  'school_placement.min_age_years': 'int',
  'school_placement.age_limit_years': 'int',
  'elderly_care_priority.min_children': 'int',
};

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

/**
 * One problem of a parameter definition or a reform: where (dotted path, e.g.
 * `name.values[0].value` or `parameters.name.update[0].from`; "" = the whole reform), a code
 * (`invalid_type`, `invalid_integer`, `negative_amount`, `invalid_amount`, `invalid_area_code`,
 * `invalid_date`, `invalid_period`, `overlap`, `required`, `invalid_value`, `invalid_unit`,
 * `unknown_field`, `unknown_parameter`) and why, in zh and en.
 */
export interface ParamIssue {
  code: string;
  path: string;
  message: { zh: string; en: string };
}

/** What a value is, to say what was sent instead of what was expected. */
function what(v: unknown): { zh: string; en: string } {
  if (v === null || v === undefined) return { zh: '空值', en: 'nothing' };
  if (typeof v === 'string') return { zh: `文本 ${echo(v)}`, en: `the text ${echo(v)}` };
  if (typeof v === 'number') return { zh: `数字 ${echo(v)}`, en: `the number ${echo(v)}` };
  if (typeof v === 'boolean') return { zh: `布尔值 ${v}`, en: `the boolean ${v}` };
  if (Array.isArray(v)) return { zh: '列表', en: 'a list' };
  if (v instanceof Date) return { zh: `日期 ${echo(v)}`, en: `the date ${echo(v)}` };
  return { zh: '映射', en: 'a map' };
}

/** A value of the wrong kind at `path`: what was expected (zh, en), and what was sent instead. */
function wrongType(path: string, v: unknown, zh: string, en: string, code = 'invalid_type'): ParamIssue {
  const g = what(v);
  return { code, path, message: { zh: `${zh}，实际为${g.zh}`, en: `${en}, got ${g.en}` } };
}

const isCount = (x: unknown) => Number.isSafeInteger(x) && (x as number) >= 0;

/**
 * Every problem of one value of a parameter of `kind`, written in `unit` (money: `yuan` or
 * `fen`; the caller checks the unit itself, once per parameter), at `path`. Empty when the value
 * can be compiled. The one set of value rules for current law (`compileParameters`) and reforms
 * (`applyReform`).
 */
function checkParamValue(kind: ParamKind, unit: string, v: unknown, path: string): ParamIssue[] {
  const issues: ParamIssue[] = [];
  const wrong = (zh: string, en: string, code?: string) => issues.push(wrongType(path, v, zh, en, code));
  const money = (x: unknown, p: string) => {
    if (typeof x !== 'number' || !Number.isFinite(x)) {
      issues.push(
        wrongType(
          p,
          x,
          `金额应为数字（单位：${unit === 'fen' ? '分' : '元'}）`,
          `a money amount must be a number (${unit})`,
        ),
      );
      return;
    }
    if (x < 0) {
      issues.push({
        code: 'negative_amount',
        path: p,
        message: { zh: `金额不能为负数：${echo(x)}`, en: `a money amount cannot be negative: ${echo(x)}` },
      });
      return;
    }
    const fen = unit === 'fen' ? x : x * 100;
    if (fen > Number.MAX_SAFE_INTEGER) {
      issues.push({
        code: 'invalid_amount',
        path: p,
        message: { zh: `金额过大：${echo(x)}`, en: `the amount is too large: ${echo(x)}` },
      });
      return;
    }
    const whole = unit === 'fen' ? Number.isInteger(x) : Math.abs(fen - Math.round(fen)) <= 1e-6;
    if (!whole) {
      issues.push({
        code: 'invalid_amount',
        path: p,
        message:
          unit === 'fen'
            ? {
                zh: `以分为单位的金额须为整数：${echo(x)}`,
                en: `an amount in fen must be a whole number: ${echo(x)}`,
              }
            : {
                zh: `以元为单位的金额最多两位小数（整分）：${echo(x)}`,
                en: `an amount in yuan must be a whole number of fen (at most 2 decimals): ${echo(x)}`,
              },
      });
    }
  };
  switch (kind) {
    case 'money':
      money(v, path);
      break;
    case 'money_map':
      if (v === null || v === undefined) break;
      if (!isRecord(v)) {
        wrong('应为县区代码 → 金额的映射', 'expected a map of county code → amount');
        break;
      }
      for (const [k, x] of Object.entries(v)) {
        if (!/^\d{6}$/.test(k)) {
          issues.push({
            code: 'invalid_area_code',
            path: `${path}.${k}`,
            message: { zh: `不是6位县区代码：${echo(k)}`, en: `not a 6-digit county code: ${echo(k)}` },
          });
        } else money(x, `${path}.${k}`);
      }
      break;
    case 'int':
      if (!isCount(v)) {
        wrong(`应为非负整数（单位：${unit}）`, `expected a whole number ≥ 0 (${unit})`, 'invalid_integer');
      }
      break;
    case 'bool':
      if (typeof v !== 'boolean') wrong('应为 true 或 false', 'expected true or false');
      break;
    case 'string':
      // the only text parameters are area code prefixes (`area.*_prefix`)
      if (!((typeof v === 'string' || typeof v === 'number') && /^\d{1,6}$/.test(String(v)))) {
        wrong('应为1至6位数字的代码前缀', 'expected a code prefix of 1 to 6 digits');
      }
      break;
    case 'int_list':
      if (!Array.isArray(v) || !v.every(isCount))
        wrong('应为非负整数列表', 'expected a list of whole numbers ≥ 0');
      break;
    case 'int_matrix':
      if (!Array.isArray(v) || !v.every((r) => Array.isArray(r) && r.every(isCount))) {
        wrong('应为非负整数列表的列表', 'expected a list of lists of whole numbers ≥ 0');
      }
      break;
  }
  return issues;
}

/** An entry's date: null when open-ended (absent), undefined when not a real day, else its ISO text and day. */
function dateValue(v: unknown): { iso: string; day: number } | null | undefined {
  if (v === null || v === undefined) return null;
  const iso = v instanceof Date ? v.toISOString().slice(0, 10) : typeof v === 'string' ? v : undefined;
  const day = iso === undefined ? null : parseIsoDate(iso);
  return iso === undefined || day === null ? undefined : { iso, day };
}

/** An entry's period, as day numbers and as written ("…" when open-ended). */
interface EntryPeriod {
  from: number;
  to: number;
  fromIso: string;
  toIso: string;
}

/**
 * Every problem of one dated entry (`from`, `to`, `value`, `citation`) of a parameter at `path`
 * (codes `invalid_type`, `invalid_date`, `invalid_period`, `required`, `invalid_value` and those
 * of checkParamValue), and its period when its dates are usable. For current law
 * (compileParameters) and reforms (applyReform) alike.
 */
function checkParamEntry(
  kind: ParamKind,
  unit: string,
  e: unknown,
  path: string,
): { issues: ParamIssue[]; period?: EntryPeriod } {
  if (!isRecord(e)) {
    const zh = '应为包含 from、to、value、citation 的映射';
    return { issues: [wrongType(path, e, zh, 'expected a map with from, to, value, citation')] };
  }
  const issues: ParamIssue[] = [];
  const from = dateValue(e.from);
  const to = dateValue(e.to);
  for (const [k, d] of [
    ['from', from],
    ['to', to],
  ] as const) {
    if (d === undefined) {
      // Not a string (a number, say): the form is wrong.
      const p = isoDateProblem(typeof e[k] === 'string' ? (e[k] as string) : '');
      issues.push({
        code: 'invalid_date',
        path: `${path}.${k}`,
        message: { zh: `${p?.zh}：${echo(e[k])}`, en: `${p?.en}: ${echo(e[k])}` },
      });
    }
  }
  let period: EntryPeriod | undefined;
  if (from !== undefined && to !== undefined) {
    const f = from?.day ?? OPEN_START;
    const t = to?.day ?? OPEN_END;
    // Only when both dates are given: an open end never comes before the other.
    if (t < f) {
      issues.push({
        code: 'invalid_period',
        path,
        message: {
          zh: `起始日期 from ${from?.iso} 晚于结束日期 to ${to?.iso}`,
          en: `from ${from?.iso} is after to ${to?.iso}`,
        },
      });
    } else period = { from: f, to: t, fromIso: from?.iso ?? '…', toIso: to?.iso ?? '…' };
  }
  if (!('value' in e)) {
    issues.push({
      code: 'required',
      path: `${path}.value`,
      message: { zh: '缺少 value', en: 'value is required' },
    });
  } else issues.push(...checkParamValue(kind, unit, e.value, `${path}.value`));
  const c = e.citation;
  if (!isRecord(c) || typeof c.source !== 'string' || typeof c.text !== 'string') {
    issues.push({
      code: 'required',
      path: `${path}.citation`,
      message: {
        zh: 'citation 须包含 source 和 text（例如 source: reform:名称，text: 假设……）',
        en: 'citation needs source and text (e.g. source: reform:name, text: the assumption)',
      },
    });
  } else if (c.grade !== undefined && c.grade !== 'P' && c.grade !== 'S' && c.grade !== 'U') {
    issues.push({
      code: 'invalid_value',
      path: `${path}.citation.grade`,
      message: {
        zh: `等级应为 P、S 或 U：${echo(c.grade)}`,
        en: `grade must be P, S or U: ${echo(c.grade)}`,
      },
    });
  }
  return { issues, period };
}

/**
 * Entries of one list (`listKey` at `listPath`) whose periods overlap an earlier one's; `periods`
 * carry their index in the list.
 */
function overlapIssues(
  periods: ReadonlyArray<EntryPeriod & { i: number }>,
  listKey: string,
  listPath: string,
): ParamIssue[] {
  const sorted = [...periods].sort((a, b) => a.from - b.from || a.i - b.i);
  const issues: ParamIssue[] = [];
  for (let k = 1; k < sorted.length; k++) {
    const a = sorted[k - 1];
    const b = sorted[k];
    if (b.from <= a.to) {
      issues.push({
        code: 'overlap',
        path: `${listPath}[${b.i}]`,
        message: {
          zh: `与 ${listKey}[${a.i}] 时段重叠：${a.fromIso}…${a.toIso} 与 ${b.fromIso}…${b.toIso}`,
          en: `overlaps ${listKey}[${a.i}]: ${a.fromIso}…${a.toIso} and ${b.fromIso}…${b.toIso}`,
        },
      });
    }
  }
  return issues;
}

/** A ParameterError listing every problem (in English; the problems carry both languages). */
function failWith(issues: readonly ParamIssue[]): never {
  const text = issues.map((i) => (i.path ? `${i.path}: ` : '') + i.message.en).join('; ');
  throw new ParameterError(text, issues);
}

const isMoneyKind = (kind: ParamKind) => kind === 'money' || kind === 'money_map';

/** The units money may be written in (held in fen whatever the file says). */
const MONEY_UNITS = ['yuan', 'fen'];

/** A unit (at `path`, e.g. `name.unit`) that does not fit its parameter; `allowed` lists the units that do. */
function unitIssue(path: string, unit: unknown, allowed: readonly string[]): ParamIssue {
  const list = allowed.join(', ');
  return {
    code: 'invalid_unit',
    path,
    message: {
      zh: `单位 ${echo(unit)} 不适用于此参数（可用：${list}）`,
      en: `unit ${echo(unit)} does not fit this parameter (allowed: ${list})`,
    },
  };
}

/** A field that is not one of `allowed` (a misspelt `form:` is refused, not ignored). */
function unknownField(path: string, key: string, allowed: ReadonlySet<string>): ParamIssue {
  const list = [...allowed].join(', ');
  return {
    code: 'unknown_field',
    path: path ? `${path}.${key}` : key,
    message: {
      zh: `未知字段 ${echo(key)}（可用：${list}）`,
      en: `unknown field ${echo(key)} (allowed: ${list})`,
    },
  };
}

function toFen(v: number, unit: string): number {
  return unit === 'yuan' ? Math.round(v * 100) : v;
}

/** A value checked by checkParamValue, in its compiled form (money in fen). */
function compileValue(kind: ParamKind, v: unknown, unit: string): ParamValue {
  switch (kind) {
    case 'money':
      return toFen(v as number, unit);
    case 'int':
    case 'bool':
      return v as number | boolean;
    case 'string':
      return String(v);
    case 'int_list':
      return [...(v as number[])];
    case 'int_matrix':
      return (v as number[][]).map((r) => [...r]);
    case 'money_map': {
      const out: Record<string, number> = {};
      if (v === null || v === undefined) return out;
      const m = v as Record<string, number>;
      for (const k of Object.keys(m).sort()) out[k] = toFen(m[k], unit);
      return out;
    }
  }
}

/** A citation checked by checkParamEntry, as compiled. */
function compileCitation(c: Record<string, unknown>): Citation {
  const out: Citation = { source: String(c.source), text: String(c.text) };
  if (c.clause !== undefined) out.clause = String(c.clause);
  if (c.grade !== undefined) out.grade = c.grade as Grade;
  if (c.document !== undefined) out.document = String(c.document);
  return out;
}

/** Compiled values and citations are frozen: a parameter set never changes once built. */
function frozen(v: ParamValue): ParamValue {
  if (typeof v === 'object') {
    if (Array.isArray(v)) for (const x of v) if (Array.isArray(x)) Object.freeze(x);
    Object.freeze(v);
  }
  return v;
}

/** The fields an entry of a reform may have. */
const ENTRY_FIELDS: ReadonlySet<string> = new Set(['from', 'to', 'value', 'citation', 'note']);

/**
 * Every problem of a list of dated entries at `list` (e.g. `name.values`, or a reform's
 * `parameters.name.update`), pushed to `issues`: each entry by checkParamEntry (and, given
 * `fields`, its unknown fields first), then overlapping periods. Returns each entry's period
 * (index-aligned) for compileEntries, which is only called when no problem was found.
 */
function checkEntries(
  kind: ParamKind,
  unit: string,
  values: readonly unknown[],
  list: string,
  issues: ParamIssue[],
  fields?: ReadonlySet<string>,
): Array<EntryPeriod | undefined> {
  const periods = values.map((e, i) => {
    const path = `${list}[${i}]`;
    if (fields && isRecord(e))
      for (const k of Object.keys(e)) if (!fields.has(k)) issues.push(unknownField(path, k, fields));
    const r = checkParamEntry(kind, unit, e, path);
    issues.push(...r.issues);
    return r.period;
  });
  const indexed = periods.flatMap((p, i) => (p ? [{ i, ...p }] : []));
  issues.push(...overlapIssues(indexed, list.slice(list.lastIndexOf('.') + 1), list));
  return periods;
}

/** Entries checked by checkEntries (no problem found), compiled and sorted by date. */
function compileEntries(
  kind: ParamKind,
  unit: string,
  values: readonly unknown[],
  periods: ReadonlyArray<EntryPeriod | undefined>,
): ParamEntry[] {
  const entries = values.map((raw, i): ParamEntry => {
    const e = raw as Record<string, unknown>;
    const period = periods[i] as EntryPeriod;
    const entry: ParamEntry = {
      from: dateValue(e.from)?.iso ?? null,
      to: dateValue(e.to)?.iso ?? null,
      fromDay: period.from,
      toDay: period.to,
      value: frozen(compileValue(kind, e.value, unit)),
      citation: Object.freeze(compileCitation(e.citation as Record<string, unknown>)),
    };
    if (typeof e.note === 'string') entry.note = e.note;
    return entry;
  });
  return entries.sort((a, b) => a.fromDay - b.fromDay);
}

/** A problem of a parameter definition at `path`, in zh and en. */
const problem = (code: string, path: string, zh: string, en: string): ParamIssue => ({
  code,
  path,
  message: { zh, en },
});

/** A parameter of a current-law file, checked (every problem at once) and compiled. */
function compileParameter(name: string, raw: unknown): Parameter {
  const kind = PARAMETER_KINDS[name];
  if (!kind) {
    const near = nearNames(name).join(', ');
    failWith([
      problem(
        'unknown_parameter',
        name,
        `没有这个参数${near ? `（同组参数：${near}）` : ''}`,
        `unknown parameter ${name}${near ? ` (the parameters of its group: ${near})` : ''}`,
      ),
    ]);
  }
  if (!isRecord(raw)) {
    failWith([problem('invalid_type', name, '应为包含 unit、description、values 的映射', 'expected a map')]);
  }
  const issues: ParamIssue[] = [];
  let unit = String(raw.unit ?? '');
  if (!unit) issues.push(problem('required', name, '缺少单位（unit）', 'unit is required'));
  else if (isMoneyKind(kind) && !MONEY_UNITS.includes(unit)) {
    issues.push(unitIssue(`${name}.unit`, raw.unit, MONEY_UNITS));
  }
  // Values of a money parameter without a usable unit are still checked, as written in yuan.
  if (isMoneyKind(kind) && !MONEY_UNITS.includes(unit)) unit = 'yuan';
  const d = raw.description;
  if (!isRecord(d) || typeof d.zh !== 'string' || typeof d.en !== 'string') {
    const zh = 'description 应包含 zh 和 en 两段文本';
    issues.push(problem('invalid_type', name, zh, 'description needs zh and en'));
  }
  const list = `${name}.values`;
  const values = raw.values;
  let periods: Array<EntryPeriod | undefined> = [];
  if (!Array.isArray(values) || values.length === 0) {
    const zh = 'values 应为非空列表（每项含 from、to、value、citation）';
    issues.push(problem('invalid_type', list, zh, 'must be a list'));
  } else periods = checkEntries(kind, unit, values, list, issues);
  if (issues.length) failWith(issues);
  const description = d as { zh: string; en: string };
  return {
    name,
    unit: isMoneyKind(kind) ? 'fen' : unit,
    description: { zh: description.zh, en: description.en },
    keyedBy: String(raw.keyedBy ?? 'date'),
    entries: compileEntries(kind, unit, values as unknown[], periods),
  };
}

/**
 * Compile parsed parameter documents (each a map of parameter name → definition) into a
 * parameter set. Throws ParameterError on malformed data, duplicates or missing parameters.
 */
export function compileParameters(documents: unknown[]): ParameterSet {
  const params = new Map<string, Parameter>();
  for (const doc of documents) {
    if (!isRecord(doc)) {
      const zh = '参数文件应为“参数名 → 定义”的映射';
      failWith([problem('invalid_type', '', zh, 'a parameter file must be a map of name → definition')]);
    }
    for (const [name, raw] of Object.entries(doc)) {
      if (params.has(name)) {
        failWith([problem('duplicate', name, '参数重复定义', `parameter ${name} defined twice`)]);
      }
      params.set(name, compileParameter(name, raw));
    }
  }
  const missing = Object.keys(PARAMETER_KINDS).filter((n) => !params.has(n));
  if (missing.length) {
    const list = missing.join(', ');
    failWith([problem('missing', '', `缺少参数：${list}`, `missing parameters: ${list}`)]);
  }
  return { params, reforms: [] };
}

export function getParameter(set: ParameterSet, name: string): Parameter {
  const p = set.params.get(name);
  if (!p) throw new ParameterError(`unknown parameter ${name}`);
  return p;
}

/** The entry in force on a day, or undefined when none is. */
export function entryAt(set: ParameterSet, name: string, day: number): ParamEntry | undefined {
  const es = getParameter(set, name).entries;
  for (let i = 0; i < es.length; i++) {
    const e = es[i];
    if (day >= e.fromDay && day <= e.toDay) return e;
  }
  return undefined;
}

/** A parameter that applies to every date (open-ended, single value): its one entry. */
export function constantEntry(set: ParameterSet, name: string, day: number): ParamEntry {
  const e = entryAt(set, name, day);
  if (!e) throw new ParameterError(`parameter ${name} has no value in force on ${isoFromDays(day)}`);
  return e;
}

export function numberAt(set: ParameterSet, name: string, day: number): number | undefined {
  const e = entryAt(set, name, day);
  return e === undefined ? undefined : (e.value as number);
}

/**
 * A reform: an overlay of parameter periods on current law. For each parameter, `update` entries
 * splice a value over a period (trimming what they cover), `values` replaces the whole timeline.
 */
export interface Reform {
  name: string;
  description?: { zh?: string; en?: string };
  parameters: Record<string, { values?: unknown[]; update?: unknown[] }>;
}

function splice(entries: ParamEntry[], add: ParamEntry): ParamEntry[] {
  const out: ParamEntry[] = [];
  for (const e of entries) {
    if (e.toDay < add.fromDay || e.fromDay > add.toDay) {
      out.push(e);
      continue;
    }
    if (e.fromDay < add.fromDay) {
      const toDay = add.fromDay - 1;
      out.push({ ...e, toDay, to: isoFromDays(toDay) });
    }
    if (e.toDay > add.toDay) {
      const fromDay = add.toDay + 1;
      out.push({ ...e, fromDay, from: isoFromDays(fromDay) });
    }
  }
  out.push(add);
  out.sort((a, b) => a.fromDay - b.fromDay);
  return out;
}

/** At most this many problems of a reform are reported (the first ones, in the order of the file). */
export const MAX_REFORM_ISSUES = 50;

const REFORM_FIELDS: ReadonlySet<string> = new Set(['name', 'description', 'parameters']);
const CHANGE_FIELDS: ReadonlySet<string> = new Set(['update', 'values', 'unit']);

/** Names of known parameters in the same group (before the dot), for "did you mean". */
function nearNames(name: string): string[] {
  const group = name.split('.')[0];
  return Object.keys(PARAMETER_KINDS).filter((n) => n.split('.')[0] === group);
}

/** Every problem of a reform's top level (fields, name, description); its parameters map when usable. */
function checkReformTop(reform: unknown, issues: ParamIssue[]): Record<string, unknown> | undefined {
  if (!isRecord(reform)) {
    issues.push(
      wrongType(
        '',
        reform,
        '政策调整文件应为包含 name、description 和 parameters 的映射',
        'a reform must be a map with name, description and parameters',
      ),
    );
    return undefined;
  }
  for (const k of Object.keys(reform))
    if (!REFORM_FIELDS.has(k)) issues.push(unknownField('', k, REFORM_FIELDS));
  if (typeof reform.name !== 'string' || reform.name.trim() === '') {
    issues.push(
      problem('required', 'name', '缺少名称（name，非空文本）', 'name is required (non-empty text)'),
    );
  }
  if (reform.description !== undefined) {
    const d = reform.description;
    if (!isRecord(d) || typeof d.zh !== 'string' || typeof d.en !== 'string') {
      const zh = 'description 应包含 zh 和 en 两段文本';
      issues.push(problem('invalid_type', 'description', zh, 'description needs zh and en texts'));
    }
  }
  const ps = reform.parameters;
  if (ps === undefined || ps === null) {
    issues.push(
      problem(
        'required',
        'parameters',
        '缺少 parameters（参数名 → update 或 values）',
        'parameters is required (parameter name → update or values)',
      ),
    );
    return undefined;
  }
  if (!isRecord(ps)) {
    issues.push(wrongType('parameters', ps, 'parameters 应为映射', 'parameters must be a map'));
    return undefined;
  }
  return ps;
}

/**
 * Apply a reform overlay; returns a new parameter set (current law is left untouched). The reform
 * is checked whole first: throws one ParameterError whose `issues` are every problem found (at
 * most MAX_REFORM_ISSUES, each at its path in the reform, e.g. `parameters.name.update[0].value`,
 * in zh and en), by the same rules as current-law files. A reform that changes nothing is applied
 * (`loadReform` refuses such a file).
 */
export function applyReform(set: ParameterSet, reform: unknown): ParameterSet {
  const issues: ParamIssue[] = [];
  const ps = checkReformTop(reform, issues);
  /** Each parameter's checked change: what to compile once no problem is found. */
  const changes: Array<{
    name: string;
    base: Parameter;
    kind: ParamKind;
    unit: string;
    lists: Partial<
      Record<'update' | 'values', { values: unknown[]; periods: Array<EntryPeriod | undefined> }>
    >;
  }> = [];
  for (const [name, change] of Object.entries(ps ?? {})) {
    const pp = `parameters.${name}`;
    const kind = PARAMETER_KINDS[name];
    const base = set.params.get(name);
    if (!kind || !base) {
      const near = nearNames(name);
      issues.push(
        problem(
          'unknown_parameter',
          pp,
          `未知参数 ${echo(name)}${near.length ? `（同组参数：${near.join('、')}）` : '（参数见 policy/parameters/*.yaml）'}`,
          `unknown parameter ${echo(name)}${near.length ? ` (parameters of that group: ${near.join(', ')})` : ' (see policy/parameters/*.yaml)'}`,
        ),
      );
      continue;
    }
    if (!isRecord(change)) {
      issues.push(
        wrongType(pp, change, '应为包含 update 或 values 的映射', 'expected a map with update or values'),
      );
      continue;
    }
    for (const k of Object.keys(change))
      if (!CHANGE_FIELDS.has(k)) issues.push(unknownField(pp, k, CHANGE_FIELDS));
    if (change.update === undefined && change.values === undefined) {
      issues.push(
        problem(
          'required',
          pp,
          '须给出 update（在现行政策上覆盖一个时段）或 values（替换整个时间线）',
          'give update (a period over current law) or values (a new timeline)',
        ),
      );
    }
    // Money is written in yuan unless the reform says fen; other units are those of current law.
    const units = isMoneyKind(kind) ? MONEY_UNITS : [base.unit];
    let unit = units[0];
    if (change.unit !== undefined) {
      if (units.includes(change.unit as string)) unit = change.unit as string;
      else issues.push(unitIssue(`${pp}.unit`, change.unit, units));
    }
    const lists: (typeof changes)[number]['lists'] = {};
    for (const listKey of ['update', 'values'] as const) {
      const values = change[listKey];
      if (values === undefined) continue;
      const lp = `${pp}.${listKey}`;
      if (!Array.isArray(values) || values.length === 0) {
        issues.push(
          problem(
            'invalid_type',
            lp,
            `${listKey} 应为非空列表（每项含 from、to、value、citation）`,
            `${listKey} must be a non-empty list (each with from, to, value, citation)`,
          ),
        );
        continue;
      }
      lists[listKey] = { values, periods: checkEntries(kind, unit, values, lp, issues, ENTRY_FIELDS) };
    }
    changes.push({ name, base, kind, unit, lists });
  }
  if (issues.length) failWith(issues.slice(0, MAX_REFORM_ISSUES));
  const params = new Map(set.params);
  for (const { name, base, kind, unit, lists } of changes) {
    let entries = base.entries;
    if (lists.values) entries = compileEntries(kind, unit, lists.values.values, lists.values.periods);
    if (lists.update) {
      for (const add of compileEntries(kind, unit, lists.update.values, lists.update.periods))
        entries = splice(entries, add);
    }
    params.set(name, { ...base, entries });
  }
  return { params, reforms: [...set.reforms, (reform as { name: string }).name] };
}
