/**
 * Realistic faults in department feeds, injected at known seeded rates so import tests can
 * assert exactly what an importer must reject or repair. At most one fault per row (so the
 * counts are exact): a mistyped name, a blanked field, an ID number with a wrong check
 * character, an exact duplicate row, an address from another management area, or a record
 * that arrives long after the event it reports.
 */
import { streets } from '../../domain/areas.ts';
import { checkCharacter } from '../../domain/id-number.ts';
import { dayOf, timestampOf } from '../dates.ts';
import { drawAddressLine, typoName } from '../names.ts';
import { Rng } from '../prng.ts';
import type { FeedSpec } from './specs.ts';
import type { Cell } from './writers.ts';

export const FAULT_TYPES = [
  'nameTypo',
  'missingField',
  'badChecksum',
  'duplicate',
  'conflictingAddress',
  'lateRecord',
] as const;
export type FaultType = (typeof FAULT_TYPES)[number];
export type FaultRates = Record<FaultType, number>;

/** Share of rows that get each fault. */
export const DEFAULT_FAULT_RATES: FaultRates = {
  nameTypo: 0.005,
  missingField: 0.01,
  badChecksum: 0.003,
  duplicate: 0.005,
  conflictingAddress: 0.005,
  lateRecord: 0.01,
};

export type FaultCounts = Record<FaultType, number> & { missingFieldByColumn: Record<string, number> };

export type FaultDetail = { feed: string; recordId: string; type: FaultType; column?: string };

export type DateStyle = FeedSpec['dateStyle'];

/** Formats a day in a feed's style: YYYY-MM-DD, YYYYMMDD or YYYY/MM/DD. */
export function formatDate(iso: string, style: DateStyle): string {
  if (style === 'iso') return iso;
  if (style === 'compact') return iso.replaceAll('-', '');
  return iso.replaceAll('-', '/');
}

/** Formats a timestamp in a feed's style: `YYYY-MM-DD HH:MM:SS`, `YYYYMMDDHHMMSS`, `YYYY/MM/DD HH:MM:SS`. */
export function formatTimestamp(day: number, seconds: number, style: DateStyle): string {
  const t = timestampOf(day, seconds);
  if (style === 'iso') return t;
  if (style === 'slash') return t.replaceAll('-', '/');
  return t.replace(/[-: ]/g, '');
}

/** Reads a date cell back into a day number (any of the three styles, optional time). */
export function parseDateCell(s: string): number | null {
  const m = /^(\d{4})[-/]?(\d{2})[-/]?(\d{2})/.exec(s);
  return m ? dayOf(Number(m[1]), Number(m[2]), Number(m[3])) : null;
}

const COUNTY_NAMES: Record<string, string> = {
  '530102': '五华区',
  '530103': '盘龙区',
  '530111': '官渡区',
  '530112': '西山区',
  '530113': '东川区',
  '530114': '呈贡区',
  '530115': '晋宁区',
  '530124': '富民县',
  '530125': '宜良县',
  '530126': '石林彝族自治县',
  '530127': '嵩明县',
  '530128': '禄劝彝族苗族自治县',
  '530129': '寻甸回族彝族自治县',
  '530181': '安宁市',
};

export class FaultInjector {
  readonly counts: FaultCounts;
  private readonly rng: Rng;
  private readonly cum: number[];
  private readonly idx: {
    recordId: number;
    updatedAt: number;
    eventDate: number;
    name: number;
    idNumber: number;
    street: number;
    address: number;
    missable: number[];
  };

  constructor(
    private readonly spec: FeedSpec,
    rates: FaultRates,
    seed: number,
    private readonly asOf: number,
    private readonly formatTimestamp: (day: number, seconds: number) => string,
    private readonly details: FaultDetail[] | null = null,
  ) {
    this.rng = Rng.of(seed, 'faults', spec.id);
    let s = 0;
    this.cum = FAULT_TYPES.map((t) => (s += Math.max(0, rates[t])));
    if (s > 1) throw new Error('fault rates add up to more than 1');
    const at = (key?: string): number => (key ? spec.columns.findIndex((c) => c.key === key) : -1);
    this.idx = {
      recordId: at(spec.keys.recordId),
      updatedAt: at(spec.keys.updatedAt),
      eventDate: at(spec.keys.eventDate),
      name: at(spec.keys.name),
      idNumber: at(spec.keys.idNumber),
      street: at(spec.keys.street),
      address: at(spec.keys.address),
      missable: spec.keys.missable.map((k) => at(k)).filter((i) => i >= 0),
    };
    this.counts = {
      nameTypo: 0,
      missingField: 0,
      badChecksum: 0,
      duplicate: 0,
      conflictingAddress: 0,
      lateRecord: 0,
      missingFieldByColumn: {},
    };
  }

  /** Maybe corrupts `row` in place; returns true when the row must be written twice. */
  apply(row: Cell[]): boolean {
    const u = this.rng.next();
    let type: FaultType | null = null;
    for (let i = 0; i < this.cum.length; i++) {
      if (u < this.cum[i]) {
        type = FAULT_TYPES[i];
        break;
      }
    }
    if (type === null) return false;
    const { idx, rng } = this;
    let column: string | undefined;
    switch (type) {
      case 'nameTypo': {
        const v = row[idx.name];
        if (idx.name < 0 || typeof v !== 'string' || v === '') return false;
        row[idx.name] = typoName(v, rng);
        break;
      }
      case 'missingField': {
        const candidates = idx.missable.filter((i) => row[i] !== null && row[i] !== '');
        if (candidates.length === 0) return false;
        const i = rng.pick(candidates);
        row[i] = null;
        column = this.spec.columns[i].key;
        this.counts.missingFieldByColumn[column] = (this.counts.missingFieldByColumn[column] ?? 0) + 1;
        break;
      }
      case 'badChecksum': {
        const v = row[idx.idNumber];
        if (idx.idNumber < 0 || typeof v !== 'string' || v.length !== 18) return false;
        const right = checkCharacter(v.slice(0, 17));
        const choices = '0123456789X'.replace(right, '');
        row[idx.idNumber] = v.slice(0, 17) + choices[rng.int(choices.length)];
        break;
      }
      case 'duplicate':
        break;
      case 'conflictingAddress': {
        const v = row[idx.street];
        if (idx.street < 0 || typeof v !== 'string' || v === '') return false;
        const here = streets.find((s) => s.code === v);
        let other = rng.pick(streets);
        while (other.managementArea === here?.managementArea) other = rng.pick(streets);
        row[idx.street] = other.code;
        if (idx.address >= 0 && row[idx.address]) {
          row[idx.address] =
            `云南省昆明市${COUNTY_NAMES[other.countyCode] ?? ''}${other.name}${drawAddressLine(rng)}`;
        }
        break;
      }
      case 'lateRecord': {
        const v = row[idx.eventDate];
        const event = typeof v === 'string' ? parseDateCell(v) : null;
        if (event === null || idx.updatedAt < 0 || event + 61 > this.asOf) return false;
        const late = Math.min(this.asOf, event + 61 + rng.int(340));
        row[idx.updatedAt] = this.formatTimestamp(late, rng.int(86_400));
        break;
      }
    }
    this.counts[type]++;
    if (this.details) {
      const recordId = String(row[idx.recordId] ?? '');
      const feed = this.spec.id;
      this.details.push(column ? { feed, recordId, type, column } : { feed, recordId, type });
    }
    return type === 'duplicate';
  }
}
