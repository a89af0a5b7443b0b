/**
 * Populations for budget runs: a deterministic synthetic Kunming and parsers for the documented
 * file formats (JSON lines of families, or CSV with one row per child). Pure: callers read files.
 */
import { CF, ColumnsBuilder, FF, type PopulationColumns } from './batch.ts';
import { daysFromCivil, parseIsoDate } from './dates.ts';
import type { Issue } from './input.ts';
import { validateEntitlementInput } from './input.ts';

/** xorshift32: a tiny deterministic generator (same seed, same population on every machine). */
export function rng(seed: number): () => number {
  let s = seed >>> 0 || 0x9e3779b9;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

/**
 * Kunming's 14 counties with weights from the annex's management-area populations
 * (FACTS.md §4; 经开区 and 阳宗海 folded back into 官渡 and 宜良).
 */
const COUNTIES: Array<[number, number]> = [
  [530102, 1143111],
  [530103, 988000],
  [530111, 1722000],
  [530112, 961111],
  [530114, 488889],
  [530115, 346000],
  [530113, 261111],
  [530181, 484000],
  [530124, 148889],
  [530125, 425111],
  [530127, 411111],
  [530126, 240889],
  [530128, 378889],
  [530129, 460889],
];
/** Hukou places outside Kunming: elsewhere in Yunnan, and outside Yunnan. */
const OUTSIDE = [530402, 530302, 532901, 510104, 520102, 110105];

export interface SyntheticOptions {
  persons: number;
  seed: number;
}

/**
 * A deterministic synthetic city: households until `persons` people are placed; families with
 * children carry their children (born 2000–2026) with twins, adoptions and hukou outside Kunming.
 * Shares are rough and documented here, not policy: ~45% of people live in families with
 * children; 1.5% of births are twins, 0.05% triplets; 0.4% of children adopted.
 */
export function syntheticPopulation(opts: SyntheticOptions): PopulationColumns {
  const r = rng(opts.seed);
  const total = COUNTIES.reduce((s, c) => s + c[1], 0);
  const cum = new Float64Array(COUNTIES.length);
  let acc = 0;
  COUNTIES.forEach((c, i) => {
    acc += c[1] / total;
    cum[i] = acc;
  });
  const pickCounty = () => {
    const x = r();
    for (let i = 0; i < cum.length; i++) if (x < cum[i]) return COUNTIES[i][0];
    return COUNTIES[COUNTIES.length - 1][0];
  };
  const estFamilies = Math.ceil(opts.persons / 7.5);
  const b = new ColumnsBuilder(estFamilies + 16, Math.ceil(estFamilies * 1.6) + 16);
  const start = daysFromCivil(2000, 1, 1);
  const span = daysFromCivil(2026, 6, 30) - start;
  const kids: Array<{ birthDay: number; area: number; flags: number }> = [];
  let placed = 0;
  while (placed < opts.persons) {
    if (r() < 0.55) {
      // a household without children of the couple (single people, elders, childless couples)
      const n = 1 + Math.floor(r() * 3);
      b.addPersons(n);
      placed += n;
      continue;
    }
    const area = r() < 0.93 ? pickCounty() : OUTSIDE[Math.floor(r() * OUTSIDE.length)];
    const x = r();
    const nBirths = x < 0.52 ? 1 : x < 0.88 ? 2 : x < 0.975 ? 3 : 4;
    kids.length = 0;
    let day = start + Math.floor(r() * span);
    for (let k = 0; k < nBirths; k++) {
      if (k > 0) day += 365 + Math.floor(r() * 365 * 4);
      if (day > start + span) break;
      const y = r();
      const size = y < 0.0005 ? 3 : y < 0.0155 ? 2 : 1;
      const difficult = r() < 0.05 ? CF.DIFFICULT_BIRTH : 0;
      const childArea = r() < 0.97 ? area : pickCounty();
      for (let s = 0; s < size; s++) {
        kids.push({ birthDay: day, area: childArea, flags: (r() < 0.004 ? CF.ADOPTED : 0) | difficult });
      }
    }
    let flags = FF.MOTHER | FF.FATHER;
    if (r() < 0.7) flags |= FF.MOTHER_EMPLOYED;
    if (r() < 0.85) flags |= FF.FATHER_EMPLOYED;
    if (r() < 0.35) flags |= FF.MOTHER_ONLY_CHILD;
    if (r() < 0.35) flags |= FF.FATHER_ONLY_CHILD;
    if (r() < 0.03) flags |= FF.MOTHER_ELDER_HOSPITALIZED;
    if (r() < 0.03) flags |= FF.FATHER_ELDER_HOSPITALIZED;
    if (r() < 0.62) flags |= FF.OWNS_HOME;
    else if (r() < 0.8) flags |= FF.RENTS;
    if (r() < 0.45) flags |= FF.CONTRIBUTES_HOUSING_FUND;
    if (r() < 0.04) flags |= FF.BUYING_FIRST_HOME;
    if (r() < 0.003) flags |= FF.SPECIAL_FAMILY;
    const extra = r() < 0.3 ? 1 + Math.floor(r() * 2) : 0; // grandparents in the household
    const persons = 2 + kids.length + extra;
    b.addRaw(area, flags, kids, persons);
    placed += persons;
  }
  return b.build();
}

/** One population file error (line numbers are 1-based). */
export interface PopulationIssue extends Issue {
  line: number;
}

/**
 * JSON lines: each line is a `family` object of the calculator input (same fields, same
 * validation), optionally with `"persons": n` (household size, default parents + children).
 * A line `{"persons": n}` alone adds people without children (for per-capita figures).
 */
export function addJsonLine(b: ColumnsBuilder, line: string, lineNo: number): PopulationIssue[] {
  const t = line.trim();
  if (t === '') return [];
  let obj: unknown;
  try {
    obj = JSON.parse(t);
  } catch {
    return [
      {
        code: 'population.invalid_json',
        path: '',
        line: lineNo,
        message: { zh: '不是有效的 JSON', en: 'Not valid JSON' },
      },
    ];
  }
  const o = obj as Record<string, unknown>;
  let persons: number | undefined;
  if (o && typeof o === 'object' && 'persons' in o) {
    persons = Number(o.persons);
    const { persons: _p, ...rest } = o;
    if (Object.keys(rest).length === 0) {
      b.addPersons(persons);
      return [];
    }
    obj = rest;
  }
  const v = validateEntitlementInput({ asOf: '2000-01-01', family: obj });
  if (!v.ok) return v.issues.map((i) => ({ ...i, path: i.path.replace(/^\/family/, ''), line: lineNo }));
  const before = v.value.family;
  b.addFamily(before);
  if (persons !== undefined) b.addPersons(persons - before.parents.length - before.children.length);
  return [];
}

/** CSV columns (header required, one row per child; a family without children has one row with an empty child_birth_date; rows of a family are consecutive). */
export const CSV_COLUMNS = [
  'family_id',
  'hukou_area',
  'mother_employed',
  'father_employed',
  'mother_only_child',
  'father_only_child',
  'mother_elder_hospitalized',
  'father_elder_hospitalized',
  'owns_home',
  'rents',
  'contributes_housing_fund',
  'buying_first_home',
  'special_family',
  'persons',
  'child_birth_date',
  'child_hukou_area',
  'child_adopted',
  'child_difficult_birth',
  'child_birth_order',
] as const;

/** Parse CSV text (see CSV_COLUMNS) into a builder. Returns issues, at most 100. */
export function addCsv(b: ColumnsBuilder, text: string): PopulationIssue[] {
  const lines = text.split(/\r?\n/);
  const header = lines[0].split(',').map((h) => h.trim());
  const col = (n: string) => header.indexOf(n);
  const issues: PopulationIssue[] = [];
  for (const n of ['family_id', 'hukou_area', 'child_birth_date']) {
    if (col(n) < 0) {
      issues.push({
        code: 'population.missing_column',
        path: `/${n}`,
        line: 1,
        message: { zh: `缺少列：${n}`, en: `Missing column: ${n}` },
      });
    }
  }
  if (issues.length) return issues;
  const yes = (v: string | undefined) => v === '1' || v === 'true' || v === 'TRUE';
  let cur: string | null = null;
  let area = 0;
  let flags = 0;
  let persons = 0;
  const kids: Array<{ birthDay: number; area: number; flags: number; birthOrder?: number }> = [];
  const flush = () => {
    if (cur !== null) b.addRaw(area, flags, kids, persons || 2 + kids.length);
    kids.length = 0;
  };
  const famFlag: Array<[string, number]> = [
    ['mother_employed', FF.MOTHER_EMPLOYED | FF.MOTHER],
    ['father_employed', FF.FATHER_EMPLOYED | FF.FATHER],
    ['mother_only_child', FF.MOTHER_ONLY_CHILD],
    ['father_only_child', FF.FATHER_ONLY_CHILD],
    ['mother_elder_hospitalized', FF.MOTHER_ELDER_HOSPITALIZED],
    ['father_elder_hospitalized', FF.FATHER_ELDER_HOSPITALIZED],
    ['owns_home', FF.OWNS_HOME],
    ['rents', FF.RENTS],
    ['contributes_housing_fund', FF.CONTRIBUTES_HOUSING_FUND],
    ['buying_first_home', FF.BUYING_FIRST_HOME],
    ['special_family', FF.SPECIAL_FAMILY],
  ];
  for (let li = 1; li < lines.length && issues.length < 100; li++) {
    if (lines[li].trim() === '') continue;
    const f = lines[li].split(',');
    const get = (n: string) => {
      const i = col(n);
      return i < 0 ? undefined : f[i]?.trim();
    };
    const id = get('family_id') as string;
    const bad = (field: string, zh: string, en: string) =>
      issues.push({ code: 'population.invalid_value', path: `/${field}`, line: li + 1, message: { zh, en } });
    if (id !== cur) {
      flush();
      cur = id;
      const a = get('hukou_area') ?? '';
      if (!/^\d{6}$/.test(a)) bad('hukou_area', '不是6位行政区划代码', 'Not a 6-digit area code');
      area = Number(a) || 0;
      flags = 0;
      for (const [n, bit] of famFlag) if (yes(get(n))) flags |= bit;
      persons = Number(get('persons') ?? 0) || 0;
    }
    const bd = get('child_birth_date') ?? '';
    if (bd === '') continue;
    const day = parseIsoDate(bd);
    if (day === null) {
      bad('child_birth_date', '不是有效日期', 'Not a valid date');
      continue;
    }
    const ca = get('child_hukou_area') ?? '';
    if (ca !== '' && !/^\d{6}$/.test(ca))
      bad('child_hukou_area', '不是6位行政区划代码', 'Not a 6-digit area code');
    const bo = get('child_birth_order');
    kids.push({
      birthDay: day,
      area: ca === '' ? 0 : Number(ca),
      flags:
        (yes(get('child_adopted')) ? CF.ADOPTED : 0) |
        (yes(get('child_difficult_birth')) ? CF.DIFFICULT_BIRTH : 0),
      ...(bo ? { birthOrder: Number(bo) } : {}),
    });
  }
  flush();
  return issues;
}
