/**
 * Dated, cited policy parameters (OpenFisca-style). Parameter files are plain data
 * (`policy/parameters/*.yaml`); this module validates and compiles the parsed data, looks values up
 * by date, and applies reform overlays. No I/O here: see `load.ts`.
 */
import { isoFromDays, OPEN_END, OPEN_START, parseIsoDate } from './dates.ts';

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
}

type Kind = 'money' | 'int' | 'bool' | 'string' | 'int_list' | 'int_matrix' | 'money_map';

/**
 * Every parameter the formulas read, with the kind of value it must hold. Loading fails when one
 * is missing or malformed, so no formula ever falls back to a silent default.
 */
export const PARAMETER_KINDS: Record<string, Kind> = {
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

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function dateOf(v: unknown, where: string): string | null {
  if (v === null || v === undefined) return null;
  const s = v instanceof Date ? v.toISOString().slice(0, 10) : String(v);
  if (parseIsoDate(s) === null) throw new ParameterError(`${where}: invalid date ${JSON.stringify(v)}`);
  return s;
}

function toFen(v: unknown, unit: string, where: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw new ParameterError(`${where}: money must be a number`);
  const fen = unit === 'yuan' ? Math.round(v * 100) : v;
  if (!Number.isSafeInteger(fen) || (unit === 'yuan' && Math.abs(v * 100 - fen) > 1e-6)) {
    throw new ParameterError(`${where}: money must be a whole number of fen`);
  }
  if (unit !== 'yuan' && unit !== 'fen') throw new ParameterError(`${where}: money unit must be yuan or fen`);
  return fen;
}

function compileValue(kind: Kind, v: unknown, unit: string, where: string): ParamValue {
  switch (kind) {
    case 'money':
      return toFen(v, unit, where);
    case 'int':
      if (!Number.isSafeInteger(v)) throw new ParameterError(`${where}: expected an integer`);
      return v as number;
    case 'bool':
      if (typeof v !== 'boolean') throw new ParameterError(`${where}: expected true/false`);
      return v;
    case 'string':
      if (typeof v !== 'string' && typeof v !== 'number') throw new ParameterError(`${where}: expected text`);
      return String(v);
    case 'int_list':
      if (!Array.isArray(v) || !v.every((x) => Number.isSafeInteger(x))) {
        throw new ParameterError(`${where}: expected a list of integers`);
      }
      return [...(v as number[])];
    case 'int_matrix':
      if (!Array.isArray(v) || !v.every((r) => Array.isArray(r) && r.every((x) => Number.isSafeInteger(x)))) {
        throw new ParameterError(`${where}: expected a list of integer lists`);
      }
      return (v as number[][]).map((r) => [...r]);
    case 'money_map': {
      if (v === null || v === undefined) return {};
      if (!isRecord(v)) throw new ParameterError(`${where}: expected a map of county code → amount`);
      const out: Record<string, number> = {};
      for (const k of Object.keys(v).sort()) {
        if (!/^\d{6}$/.test(k)) throw new ParameterError(`${where}: key ${k} is not a 6-digit county code`);
        out[k] = toFen(v[k], unit, `${where}.${k}`);
      }
      return out;
    }
  }
}

function compileCitation(c: unknown, where: string): Citation {
  if (!isRecord(c) || typeof c.source !== 'string' || typeof c.text !== 'string') {
    throw new ParameterError(`${where}: citation needs source and text`);
  }
  const out: Citation = { source: c.source, text: c.text };
  if (c.clause !== undefined) out.clause = String(c.clause);
  if (c.grade !== undefined) {
    if (c.grade !== 'P' && c.grade !== 'S' && c.grade !== 'U')
      throw new ParameterError(`${where}: bad grade`);
    out.grade = c.grade;
  }
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

function compileEntries(name: string, kind: Kind, unit: string, values: unknown): ParamEntry[] {
  if (!Array.isArray(values) || values.length === 0)
    throw new ParameterError(`${name}: values must be a list`);
  const entries = values.map((e, i): ParamEntry => {
    const where = `${name}.values[${i}]`;
    if (!isRecord(e)) throw new ParameterError(`${where}: expected a map`);
    const from = dateOf(e.from, `${where}.from`);
    const to = dateOf(e.to, `${where}.to`);
    const fromDay = from === null ? OPEN_START : (parseIsoDate(from) as number);
    const toDay = to === null ? OPEN_END : (parseIsoDate(to) as number);
    if (toDay < fromDay) throw new ParameterError(`${where}: ends before it starts`);
    const entry: ParamEntry = {
      from,
      to,
      fromDay,
      toDay,
      value: frozen(compileValue(kind, e.value, unit, `${where}.value`)),
      citation: Object.freeze(compileCitation(e.citation, `${where}.citation`)),
    };
    if (typeof e.note === 'string') entry.note = e.note;
    return entry;
  });
  entries.sort((a, b) => a.fromDay - b.fromDay);
  for (let i = 1; i < entries.length; i++) {
    if (entries[i].fromDay <= entries[i - 1].toDay) throw new ParameterError(`${name}: periods overlap`);
  }
  return entries;
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
    if (change.values !== undefined) entries = compileEntries(name, kind, unit, change.values);
    if (change.update !== undefined) {
      for (const add of compileEntries(name, kind, unit, change.update)) entries = splice(entries, add);
    }
    params.set(name, { ...base, entries });
  }
  return { params, reforms: [...set.reforms, reform.name] };
}
