/**
 * Row-level validation against a feed's spec: each cell is checked and normalised (dates to
 * ISO, timestamps to `YYYY-MM-DD HH:MM:SS`, ID numbers to 18 characters). A row either passes
 * (possibly with warnings, e.g. an optional-by-practice column left empty) or is rejected with
 * one reason code and the column it concerns.
 */
import { isKunmingCode, managementAreaOf, streets } from '../domain/areas.ts';
import { isRealDate, parseIdNumber } from '../domain/id-number.ts';
import type { FeedSpec } from '../synth/feeds/specs.ts';
import type { RawRow } from './reader.ts';

export type Values = Record<string, string | null>;

export type ValidRow = {
  ok: true;
  line: number;
  recordId: string;
  updatedAt: string;
  eventDate: string | null;
  /** Management area of the record (its street, else its county). */
  areaCode: string;
  values: Values;
  /** Columns the department usually fills but left empty this time. */
  missing: string[];
};

export type RejectedRow = {
  ok: false;
  line: number;
  recordId: string | null;
  reason: string;
  column: string | null;
  cells: (string | null)[];
  areaCode: string | null;
};

export type CheckedRow = ValidRow | RejectedRow;

const STREETS = new Set(streets.map((s) => s.code));
const DATE = /^(\d{4})[-/]?(\d{2})[-/]?(\d{2})$/;
const TS = /^(\d{4})[-/]?(\d{2})[-/]?(\d{2})[ T]?(\d{2}):?(\d{2}):?(\d{2})$/;

function realDate(y: number, m: number, d: number): boolean {
  return y >= 1850 && isRealDate(y, m, d);
}

export function normDate(s: string): string | null {
  const m = DATE.exec(s.trim());
  if (!m || !realDate(Number(m[1]), Number(m[2]), Number(m[3]))) return null;
  return `${m[1]}-${m[2]}-${m[3]}`;
}

export function normTimestamp(s: string): string | null {
  const m = TS.exec(s.trim());
  if (!m || !realDate(Number(m[1]), Number(m[2]), Number(m[3]))) return null;
  if (Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6]) > 59) return null;
  return `${m[1]}-${m[2]}-${m[3]} ${m[4]}:${m[5]}:${m[6]}`;
}

const SEX_CODES = new Set(['1', '2']);
const SEX_TEXT = new Set(['男', '女']);

function isStreetKey(key: string): boolean {
  return key === 'streetCode' || key.endsWith('Street');
}
/** County columns that must be inside Kunming (where the record was made). */
const KUNMING_COUNTY_KEYS = new Set(['countyCode', 'officeCounty']);

export type Validator = (row: RawRow) => CheckedRow;

type Kind =
  | 'id'
  | 'date'
  | 'ts'
  | 'int'
  | 'dec'
  | 'street'
  | 'county'
  | 'county-km'
  | 'sex-code'
  | 'sex-text'
  | 'plain';
const INTEGER = /^-?\d+$/;
const DECIMAL = /^-?\d+(\.\d+)?$/;
const COUNTY = /^\d{6}$/;

/** Builds the validator of a feed; `today` (ISO date) bounds dates; `scopeArea` confines rows. */
export function validator(spec: FeedSpec, today: string, scopeArea: string | null): Validator {
  const cols = spec.columns;
  const missable = new Set(spec.keys.missable);
  const recordIdx = cols.findIndex((c) => c.key === spec.keys.recordId);
  // The feed's own street column first (police-moves: where the person moved to).
  const streetKeys = cols
    .filter((c) => isStreetKey(c.key))
    .map((c) => c.key)
    .sort((a, b) => Number(b === spec.keys.street) - Number(a === spec.keys.street));
  const countyKeys = cols.filter((c) => /county/i.test(c.key)).map((c) => c.key);
  // Each column's check, decided once (not per cell).
  const kinds = cols.map((c): Kind => {
    switch (c.type) {
      case 'id-number':
        return 'id';
      case 'date':
        return 'date';
      case 'timestamp':
        return 'ts';
      case 'integer':
        return 'int';
      case 'decimal':
        return 'dec';
      case 'code':
        if (isStreetKey(c.key)) return 'street';
        if (/county/i.test(c.key)) return KUNMING_COUNTY_KEYS.has(c.key) ? 'county-km' : 'county';
        return c.key === 'sex' ? 'sex-code' : 'plain';
      default:
        return (c.key === 'sex' || c.key === 'childSex') && c.type === 'string' ? 'sex-text' : 'plain';
    }
  });
  const reject = (
    row: RawRow,
    recordId: string | null,
    reason: string,
    column: string | null,
    areaCode: string | null = null,
  ): RejectedRow => ({ ok: false, line: row.line, recordId, reason, column, cells: row.cells, areaCode });
  return (row) => {
    const recordId = row.cells[recordIdx] ?? null;
    if (row.problem) return reject(row, recordId, row.problem, null);
    const values: Values = {};
    const missing: string[] = [];
    for (let i = 0; i < cols.length; i++) {
      const c = cols[i];
      const raw = row.cells[i];
      const v = raw === null ? null : raw.trim();
      if (v === null || v === '') {
        values[c.key] = null;
        if (c.nullable) continue;
        if (missable.has(c.key)) {
          missing.push(c.key);
          continue;
        }
        return reject(row, recordId, 'field.missing', c.key);
      }
      switch (kinds[i]) {
        case 'id': {
          const p = parseIdNumber(v, today);
          if (!p.ok) return reject(row, recordId, p.code, c.key);
          values[c.key] = p.value.normalized;
          break;
        }
        case 'date': {
          const d = normDate(v);
          if (!d) return reject(row, recordId, 'date.invalid', c.key);
          if (d > today) return reject(row, recordId, 'date.future', c.key);
          values[c.key] = d;
          break;
        }
        case 'ts': {
          const t = normTimestamp(v);
          if (!t) return reject(row, recordId, 'timestamp.invalid', c.key);
          if (t.slice(0, 10) > today) return reject(row, recordId, 'date.future', c.key);
          values[c.key] = t;
          break;
        }
        case 'int':
          if (!INTEGER.test(v)) return reject(row, recordId, 'number.invalid', c.key);
          values[c.key] = v;
          break;
        case 'dec':
          if (!DECIMAL.test(v)) return reject(row, recordId, 'number.invalid', c.key);
          values[c.key] = v;
          break;
        case 'street':
          if (!STREETS.has(v)) return reject(row, recordId, 'area.unknown', c.key);
          values[c.key] = v;
          break;
        case 'county':
        case 'county-km':
          if (!COUNTY.test(v)) return reject(row, recordId, 'code.invalid', c.key);
          if (kinds[i] === 'county-km' && !isKunmingCode(v))
            return reject(row, recordId, 'area.unknown', c.key);
          values[c.key] = v;
          break;
        case 'sex-code':
          if (!SEX_CODES.has(v)) return reject(row, recordId, 'code.invalid', c.key);
          values[c.key] = v;
          break;
        case 'sex-text':
          if (!SEX_TEXT.has(v)) return reject(row, recordId, 'code.invalid', c.key);
          values[c.key] = v;
          break;
        default:
          values[c.key] = v;
      }
    }
    // The record's area: its (first filled) street, else a Kunming county.
    let areaCode: string | undefined;
    for (const k of streetKeys) {
      const s = values[k];
      if (s) {
        areaCode = managementAreaOf(s);
        if (areaCode) break;
      }
    }
    if (!areaCode) {
      for (const k of countyKeys) {
        const s = values[k];
        if (s && isKunmingCode(s)) {
          areaCode = managementAreaOf(s);
          if (areaCode) break;
        }
      }
    }
    if (!areaCode) return reject(row, recordId, 'area.unknown', streetKeys[0] ?? null);
    if (scopeArea && areaCode !== scopeArea)
      return reject(row, recordId, 'area.outside_scope', streetKeys[0] ?? null, areaCode);
    return {
      ok: true,
      line: row.line,
      recordId: values[spec.keys.recordId] as string,
      updatedAt: values[spec.keys.updatedAt] as string,
      eventDate: values[spec.keys.eventDate] ?? null,
      areaCode,
      values,
      missing,
    };
  };
}
