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
  /** The problems of a value, each with its path and reason in zh and en (empty for other errors). */
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
 * One problem of a parameter value: where (dotted path, e.g. `name.values[0].value`), a code
 * (`invalid_type`, `invalid_integer`, `negative_amount`, `invalid_amount`, `invalid_area_code`)
 * and why, in zh and en.
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
export function wrongType(
  path: string,
  v: unknown,
  zh: string,
  en: string,
  code = 'invalid_type',
): ParamIssue {
  const g = what(v);
  return { code, path, message: { zh: `${zh}，实际为${g.zh}`, en: `${en}, got ${g.en}` } };
}

const isCount = (x: unknown) => Number.isSafeInteger(x) && (x as number) >= 0;

/**
 * Every problem of one value of a parameter of `kind`, written in `unit` (money: `yuan` or
 * `fen`; the caller checks the unit itself), at `path`. Empty when the value can be compiled.
 * Used for current law (`compileParameters`) and reforms (`applyReform`, and `loadReform`, which
 * reports the problems of a whole file before applying it).
 */
export function checkParamValue(kind: ParamKind, unit: string, v: unknown, path: string): ParamIssue[] {
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
export interface EntryPeriod {
  from: number;
  to: number;
  fromIso: string;
  toIso: string;
}

/**
 * Every problem of one dated entry (`from`, `to`, `value`, `citation`) of a parameter at `path`
 * (codes `invalid_type`, `invalid_date`, `invalid_period`, `required`, `invalid_value` and those
 * of checkParamValue), and its period when its dates are usable. For current law
 * (compileParameters) and reform files (loadReform) alike.
 */
export function checkParamEntry(
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
export function overlapIssues(
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
function failWith(issues: ParamIssue[]): never {
  throw new ParameterError(issues.map((i) => `${i.path}: ${i.message.en}`).join('; '), issues);
}

function toFen(v: number, unit: string): number {
  return unit === 'yuan' ? Math.round(v * 100) : v;
}

/** A checked value in its compiled form (money in fen); throws ParameterError with every problem. */
function compileValue(kind: ParamKind, v: unknown, unit: string, where: string): ParamValue {
  if ((kind === 'money' || kind === 'money_map') && unit !== 'yuan' && unit !== 'fen') {
    throw new ParameterError(`${where}: money unit must be yuan or fen`);
  }
  const issues = checkParamValue(kind, unit, v, where);
  if (issues.length) failWith(issues);
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

/**
 * A parameter's dated entries, checked (every problem at once) and compiled. `list`: where they
 * are, for messages (`name.values`, or a reform's `parameters.name.update`).
 */
function compileEntries(
  name: string,
  kind: ParamKind,
  unit: string,
  values: unknown,
  list = `${name}.values`,
): ParamEntry[] {
  if (!Array.isArray(values) || values.length === 0) throw new ParameterError(`${list}: must be a list`);
  const issues: ParamIssue[] = [];
  const periods: Array<EntryPeriod & { i: number }> = [];
  values.forEach((e, i) => {
    const r = checkParamEntry(kind, unit, e, `${list}[${i}]`);
    issues.push(...r.issues);
    if (r.period) periods.push({ i, ...r.period });
  });
  issues.push(...overlapIssues(periods, list.slice(list.lastIndexOf('.') + 1), list));
  if (issues.length) failWith(issues);
  const entries = values.map((e: Record<string, unknown>, i): ParamEntry => {
    const entry: ParamEntry = {
      from: dateValue(e.from)?.iso ?? null,
      to: dateValue(e.to)?.iso ?? null,
      fromDay: periods[i].from,
      toDay: periods[i].to,
      value: frozen(compileValue(kind, e.value, unit, `${list}[${i}].value`)),
      citation: Object.freeze(compileCitation(e.citation as Record<string, unknown>)),
    };
    if (typeof e.note === 'string') entry.note = e.note;
    return entry;
  });
  return entries.sort((a, b) => a.fromDay - b.fromDay);
}

function compileParameter(name: string, raw: unknown): Parameter {
  const kind = PARAMETER_KINDS[name];
  if (!kind) throw new ParameterError(`unknown parameter ${name}`);
  if (!isRecord(raw)) throw new ParameterError(`${name}: expected a map`);
  const unit = String(raw.unit ?? '');
  if (!unit) throw new ParameterError(`${name}: unit is required`);
  const d = raw.description;
  if (!isRecord(d) || typeof d.zh !== 'string' || typeof d.en !== 'string') {
    throw new ParameterError(`${name}: description needs zh and en`);
  }
  return {
    name,
    unit: kind === 'money' || kind === 'money_map' ? 'fen' : unit,
    description: { zh: d.zh, en: d.en },
    keyedBy: String(raw.keyedBy ?? 'date'),
    entries: compileEntries(name, kind, unit, raw.values),
  };
}

/**
 * Compile parsed parameter documents (each a map of parameter name → definition) into a
 * parameter set. Throws ParameterError on malformed data, duplicates or missing parameters.
 */
export function compileParameters(documents: unknown[]): ParameterSet {
  const params = new Map<string, Parameter>();
  for (const doc of documents) {
    if (!isRecord(doc)) throw new ParameterError('a parameter file must be a map of name → definition');
    for (const [name, raw] of Object.entries(doc)) {
      if (params.has(name)) throw new ParameterError(`parameter ${name} defined twice`);
      params.set(name, compileParameter(name, raw));
    }
  }
  const missing = Object.keys(PARAMETER_KINDS).filter((n) => !params.has(n));
  if (missing.length) throw new ParameterError(`missing parameters: ${missing.join(', ')}`);
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

/** Apply a reform overlay; returns a new parameter set (current law is left untouched). */
export function applyReform(set: ParameterSet, reform: unknown): ParameterSet {
  if (!isRecord(reform) || typeof reform.name !== 'string' || !isRecord(reform.parameters)) {
    throw new ParameterError('a reform needs a name and a parameters map');
  }
  const params = new Map(set.params);
  for (const [name, change] of Object.entries(reform.parameters)) {
    const kind = PARAMETER_KINDS[name];
    const base = params.get(name);
    if (!kind || !base) throw new ParameterError(`reform ${reform.name}: unknown parameter ${name}`);
    if (!isRecord(change)) throw new ParameterError(`reform ${reform.name}: ${name} must be a map`);
    const unit = String(change.unit ?? (kind === 'money' || kind === 'money_map' ? 'yuan' : base.unit));
    let entries = base.entries;
    const list = (key: string) => `parameters.${name}.${key}`;
    if (change.values !== undefined)
      entries = compileEntries(name, kind, unit, change.values, list('values'));
    if (change.update !== undefined) {
      for (const add of compileEntries(name, kind, unit, change.update, list('update')))
        entries = splice(entries, add);
    }
    params.set(name, { ...base, entries });
  }
  return { params, reforms: [...set.reforms, reform.name] };
}
