/**
 * Source precedence: which department's word counts for which field of a person. When two
 * sources disagree, the higher one (earlier in the list) wins and the other's value is kept as
 * an open conflict; within one source the newer record wins. A source not listed for a field
 * never sets it. Every applied value records its provenance (source, feed, record, time).
 */
import type { FieldSource } from '../db/schema.ts';

export type { FieldSource };

export type PersonField =
  | 'name'
  | 'sex'
  | 'birth_date'
  | 'street_code'
  | 'address'
  | 'hukou_area_code'
  | 'phone'
  | 'ethnicity'
  | 'marital_status'
  | 'household_no'
  | 'household_relation'
  | 'residence_status'
  | 'death_date'
  | 'mother_id'
  | 'father_id';

/** Documented in docs/registry.md ("Source precedence"). */
export const PRECEDENCE: Record<PersonField, readonly string[]> = {
  // Police keeps the civil register: names, sex, hukou and residence.
  name: [
    'police',
    'civil-affairs',
    'health',
    'education',
    'social-security',
    'medical-insurance',
    'housing-fund',
  ],
  sex: [
    'police',
    'health',
    'civil-affairs',
    'education',
    'social-security',
    'medical-insurance',
    'housing-fund',
  ],
  // Health certifies births: a birth certificate's date beats a later registration's.
  birth_date: [
    'health',
    'police',
    'civil-affairs',
    'education',
    'social-security',
    'medical-insurance',
    'housing-fund',
  ],
  street_code: [
    'police',
    'civil-affairs',
    'social-security',
    'education',
    'medical-insurance',
    'housing-fund',
    'health',
  ],
  address: ['police', 'civil-affairs', 'social-security', 'education', 'health'],
  hukou_area_code: ['police', 'civil-affairs', 'education', 'health'],
  phone: ['police', 'social-security', 'medical-insurance', 'housing-fund', 'civil-affairs'],
  ethnicity: ['police', 'education', 'health'],
  // Civil affairs registers marriages; police's column follows it with a lag.
  marital_status: ['civil-affairs', 'police'],
  household_no: ['police'],
  household_relation: ['police'],
  residence_status: ['police'],
  // Health certifies deaths (the medical certificate); police cancels the hukou later.
  death_date: ['health', 'police'],
  // Parents come from the birth certificate.
  mother_id: ['health'],
  father_id: ['health'],
};

export type Facts = Partial<Record<PersonField, string | null>>;

export type Origin = { source: string; feed: string; record: string; at: string; import: number };

/**
 * Stored form of the provenance (person.field_sources), compact because every person carries
 * it: the distinct origins once, each field pointing at one; the phone's blind index apart.
 * `{"o": [[source, feed, record, at, import], …], "f": {"name": 0, …}, "p": "<phone index>"}`
 */
export type StoredSources = {
  o: Array<[string, string, string, string, number]>;
  f: Record<string, number>;
  p?: string;
};

export function encodeSources(sources: Record<string, FieldSource>): string {
  const o: StoredSources['o'] = [];
  const index = new Map<string, number>();
  const f: Record<string, number> = {};
  let p: string | undefined;
  // Fields merged from one record share one origin object (mergeFacts): skip the key then.
  let last: FieldSource | undefined;
  let lastI = -1;
  for (const field in sources) {
    const s = sources[field];
    let i: number | undefined;
    if (s === last) i = lastI;
    else {
      const key = `${s.feed}\u0000${s.record}\u0000${s.at}\u0000${s.import}`;
      i = index.get(key);
      if (i === undefined) {
        i = o.length;
        o.push([s.source, s.feed, s.record, s.at, s.import]);
        index.set(key, i);
      }
      last = s;
      lastI = i;
    }
    f[field] = i;
    if (field === 'phone' && s.value) p = s.value;
  }
  return JSON.stringify(p ? { o, f, p } : { o, f });
}

export function decodeSources(stored: unknown): Record<string, FieldSource> {
  const v = (typeof stored === 'string' ? JSON.parse(stored) : stored) as Partial<StoredSources> | null;
  const out: Record<string, FieldSource> = {};
  if (!v || !Array.isArray(v.o) || !v.f) return out;
  for (const [field, i] of Object.entries(v.f)) {
    const o = v.o[i];
    if (!o) continue;
    out[field] = { source: o[0], feed: o[1], record: o[2], at: o[3], import: o[4] };
    if (field === 'phone' && v.p) out[field].value = v.p;
  }
  return out;
}

export type FieldChange = {
  field: PersonField;
  oldValue: string | null;
  newValue: string;
  oldSource: string | null;
};
export type FieldConflict = {
  field: PersonField;
  currentValue: string | null;
  currentSource: string | null;
  offeredValue: string;
};

export type MergeResult = { changes: FieldChange[]; conflicts: FieldConflict[]; provenanceOnly: boolean };

/** Values that say the same in different precision: a hukou county and a street inside it. */
function same(field: PersonField, a: string, b: string): boolean {
  if (field === 'hukou_area_code')
    return a.slice(0, 6) === b.slice(0, 6) && (a.length === 6 || b.length === 6);
  return false;
}

function rank(field: PersonField, source: string | undefined): number {
  if (!source) return Number.POSITIVE_INFINITY;
  const i = PRECEDENCE[field].indexOf(source);
  return i < 0 ? Number.POSITIVE_INFINITY : i;
}

/**
 * Merges a record's facts into a person's current values (mutated in place) and provenance.
 * Pure apart from those two objects.
 */
export function mergeFacts(
  current: Partial<Record<PersonField, string | null>>,
  sources: Record<string, FieldSource>,
  facts: Facts,
  origin: Origin,
): MergeResult {
  const changes: FieldChange[] = [];
  const conflicts: FieldConflict[] = [];
  let provenanceOnly = false;
  // One copy of the origin, shared by the fields it sets (never mutated in place); the phone's
  // provenance carries its blind index (what `current` compares against): without it the same
  // number would look changed on the next import.
  let own: FieldSource | undefined;
  const provenance = (f: PersonField, value: string): FieldSource => {
    if (f === 'phone') return { ...origin, value };
    own ??= { ...origin };
    return own;
  };
  for (const f of Object.keys(facts) as PersonField[]) {
    const value = facts[f];
    if (value === null || value === undefined) continue;
    const r = rank(f, origin.source);
    if (r === Number.POSITIVE_INFINITY) continue;
    const cur = current[f] ?? null;
    const prov = sources[f];
    const rc = rank(f, prov?.source);
    if (cur === value || (cur !== null && same(f, cur, value))) {
      // Agreement: a higher (or the same, newer) source takes over the provenance.
      if (!prov || r < rc || (r === rc && origin.at > prov.at)) {
        sources[f] = provenance(f, value);
        provenanceOnly = true;
      }
      continue;
    }
    const wins =
      cur === null ||
      !prov ||
      r < rc ||
      (r === rc && (origin.at > prov.at || (origin.at === prov.at && origin.record === prov.record)));
    if (wins) {
      changes.push({ field: f, oldValue: cur, newValue: value, oldSource: prov?.source ?? null });
      current[f] = value;
      sources[f] = provenance(f, value);
    } else if (r > rc) {
      conflicts.push({
        field: f,
        currentValue: cur,
        currentSource: prov?.source ?? null,
        offeredValue: value,
      });
    }
    // r === rc and older: a stale record of the same source, silently not applied.
  }
  return { changes, conflicts, provenanceOnly };
}
