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
/**
 * As spreadsheet programs write dates they show (a CSV saved from Excel): month and day without
 * their leading zero, `-`, `/` or `.` between them (2024/1/5); times without the hour's leading
 * zero or without seconds (2024/1/5 9:05).
 */
const DATE_SHORT = /^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})$/;
const TS_SHORT = /^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$/;
/** An Excel date serial (days since 1899-12-30), possibly with the time as a fraction. */
const SERIAL = /^\d{1,7}(\.\d+)?$/;

const pad = (v: string | number) => String(v).padStart(2, '0');

function realDate(y: number, m: number, d: number): boolean {
  return y >= 1850 && isRealDate(y, m, d);
}

export function normDate(s: string): string | null {
  const t = s.trim();
  const m = DATE.exec(t);
  if (m) return realDate(Number(m[1]), Number(m[2]), Number(m[3])) ? `${m[1]}-${m[2]}-${m[3]}` : null;
  const k = DATE_SHORT.exec(t);
  if (!k || !realDate(Number(k[1]), Number(k[3]), Number(k[4]))) return null;
  return `${k[1]}-${pad(k[3])}-${pad(k[4])}`;
}

export function normTimestamp(s: string): string | null {
  const t = s.trim();
  const m = TS.exec(t);
  if (m) return timestampOf(m[1], m[2], m[3], m[4], m[5], m[6]);
  const k = TS_SHORT.exec(t);
  return k ? timestampOf(k[1], pad(k[3]), pad(k[4]), pad(k[5]), k[6], k[7] ?? '00') : null;
}

/** Two-digit parts (four for the year) → `YYYY-MM-DD HH:MM:SS`, or null when not a real time. */
function timestampOf(y: string, mo: string, d: string, h: string, mi: string, sec: string): string | null {
  if (!realDate(Number(y), Number(mo), Number(d))) return null;
  if (Number(h) > 23 || Number(mi) > 59 || Number(sec) > 59) return null;
  return `${y}-${mo}-${d} ${h}:${mi}:${sec}`;
}

/**
 * An Excel date serial as `YYYY-MM-DD HH:MM:SS` (1900 date system; the time to the nearest
 * second), or null. An xlsx cell typed as a date holds such a number: the reader does not
 * read cell styles, so a date a clerk typed into Excel arrives as, e.g., 45296 (2024-01-05).
 */
function excelSerial(s: string): string | null {
  const t = s.trim();
  if (!SERIAL.test(t)) return null;
  const v = Number(t);
  // Serial 60 is Excel's 1900-02-29, a day that never was; 1–59 count from 1899-12-31.
  if (v < 1 || v >= 2_958_466 || Math.floor(v) === 60) return null;
  const ms = Math.round((v < 60 ? v + 1 : v) * 86_400) * 1000 - 2_209_161_600_000;
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

/** GB/T 2260 province-level codes: the first two digits of every county code. */
const PROVINCES = new Set(
  '11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82'.split(
    ' ',
  ),
);

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
  // Dates typed into Excel arrive as serial numbers (xlsx feeds only: a CSV has the text).
  // A serial is never before 1900, so the 1850 bound of typed dates holds for it too.
  const serial = spec.format === 'xlsx' ? excelSerial : () => null;
  const date = (v: string) => normDate(v) ?? serial(v)?.slice(0, 10) ?? null;
  const timestamp = (v: string) => normTimestamp(v) ?? serial(v);
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
          const d = date(v);
          if (!d) return reject(row, recordId, 'date.invalid', c.key);
          if (d > today) return reject(row, recordId, 'date.future', c.key);
          values[c.key] = d;
          break;
        }
        case 'ts': {
          const t = timestamp(v);
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
          // Six digits of a province that exists (999999 is no county anywhere).
          if (!COUNTY.test(v) || !PROVINCES.has(v.slice(0, 2)))
            return reject(row, recordId, 'code.invalid', c.key);
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
