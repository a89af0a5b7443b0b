/**
 * Populations for budget runs: a deterministic synthetic Kunming and readers for the documented
 * file formats (JSON lines of families, or CSV with one row per child), both behind one
 * line-by-line interface (`PopulationReader`, driven by `readPopulation`). Pure: callers open
 * files and hand over their lines.
 */
import { CF, ColumnsBuilder, FF, type PopulationColumns } from './batch.ts';
import { daysFromCivil, isoDateProblem, parseIsoDate } from './dates.ts';
import { echo } from './echo.ts';
import type { Issue } from './input.ts';
import { MAX_CHILDREN, validateEntitlementInput } from './input.ts';

/** Seeds give distinct populations in 0…MAX_SEED (the generator keeps 32 bits; the API takes 31). */
export const MAX_SEED = 2 ** 31 - 1;

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

/** Issues kept per file: enough to see the pattern, bounded for a file that is wrong throughout. */
export const MAX_POPULATION_ISSUES = 100;

/** The population file formats: `csv` (one row per child) and `jsonl` (one family a line). */
export type PopulationFormat = 'csv' | 'jsonl';

/**
 * A population file read line by line (so a file of any size can be streamed, with progress):
 * `line(text, lineNo)` for each line while not `full`, then `finish()`. Families go into the
 * builder given to the reader; issues name the line, the field and why, in zh and en.
 */
export interface PopulationReader {
  /** The format's name in messages: "CSV" or "JSON lines". */
  readonly label: string;
  readonly issues: PopulationIssue[];
  /** True once MAX_POPULATION_ISSUES issues are collected: reading further shows nothing new. */
  readonly full: boolean;
  line(text: string, lineNo: number): void;
  /** After the last line: returns every issue (an empty file is one). */
  finish(): PopulationIssue[];
  /** Where in its line an issue is, as printed: the CSV column, or the field's JSON pointer. */
  field(issue: PopulationIssue): string;
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
  } catch (err) {
    const why = (err as Error).message;
    return [
      {
        code: 'population.invalid_json',
        path: '',
        line: lineNo,
        message: {
          zh: `不是有效的 JSON（${why}）；每行应为一个家庭对象，CSV 文件须以 .csv 结尾`,
          en: `Not valid JSON (${why}); each line must be one family object, and CSV files must end in .csv`,
        },
      },
    ];
  }
  const o = obj as Record<string, unknown>;
  let persons: number | undefined;
  if (o && typeof o === 'object' && !Array.isArray(o) && 'persons' in o) {
    if (!Number.isSafeInteger(o.persons) || (o.persons as number) < 0) {
      return [
        {
          code: 'population.invalid_persons',
          path: '/persons',
          line: lineNo,
          message: {
            zh: `persons（家庭人数）应为非负整数，实际为 ${echo(o.persons)}`,
            en: `persons (household size) must be a whole number ≥ 0, got ${echo(o.persons)}`,
          },
        },
      ];
    }
    persons = o.persons as number;
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
  const members = before.parents.length + before.children.length;
  if (persons !== undefined && persons < members) {
    return [
      {
        code: 'population.invalid_persons',
        path: '/persons',
        line: lineNo,
        message: {
          zh: `persons（家庭人数）为 ${persons}，少于该家庭列出的父母和子女人数 ${members}`,
          en: `persons (household size) is ${persons}, fewer than the ${members} parents and children listed`,
        },
      },
    ];
  }
  b.addFamily(before);
  if (persons !== undefined) b.addPersons(persons - members);
  return [];
}

/**
 * JSON-lines population (see addJsonLine): a byte-order mark before the first line is ignored;
 * a file without a family or person line is refused. A line's issues are kept whole, so a
 * stopped read may hold a few more than MAX_POPULATION_ISSUES.
 */
export class JsonLinesPopulationReader implements PopulationReader {
  readonly label = 'JSON lines';
  readonly issues: PopulationIssue[] = [];
  /** Data lines read (not counting blank lines). */
  rows = 0;

  constructor(private readonly b: ColumnsBuilder) {}

  get full(): boolean {
    return this.issues.length >= MAX_POPULATION_ISSUES;
  }

  line(text: string, lineNo: number): void {
    if (text.trim() !== '') this.rows++;
    this.issues.push(...addJsonLine(this.b, lineNo === 1 ? text.replace(/^\uFEFF/, '') : text, lineNo));
  }

  finish(): PopulationIssue[] {
    if (this.rows === 0) {
      this.issues.push({
        code: 'population.empty',
        path: '',
        line: 1,
        message: { zh: '文件中没有家庭（空文件）', en: 'The file holds no families (it is empty)' },
      });
    }
    return this.issues;
  }

  field(issue: PopulationIssue): string {
    return issue.path;
  }
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

const FAMILY_FLAGS: Array<[string, number]> = [
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
/** Columns that describe the family (the same on each of its rows). */
const FAMILY_COLUMNS = ['hukou_area', 'persons', ...FAMILY_FLAGS.map((f) => f[0])];
const CHILD_COLUMNS = ['child_hukou_area', 'child_adopted', 'child_difficult_birth', 'child_birth_order'];

/** Fields of one CSV line (RFC 4180 quoting, no line breaks inside fields); null when a quote is left open. */
export function splitCsvLine(line: string): string[] | null {
  const out: string[] = [];
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      let v = '';
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0) return null;
        v += line.slice(i, q);
        if (line[q + 1] === '"') {
          v += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      const c = line.indexOf(',', i);
      // text after the closing quote (`"a"b`) is kept, as spreadsheet programs do
      v += c < 0 ? line.slice(i) : line.slice(i, c);
      out.push(v);
      if (c < 0) return out;
      i = c + 1;
    } else {
      const c = line.indexOf(',', i);
      out.push(c < 0 ? line.slice(i) : line.slice(i, c));
      if (c < 0) return out;
      i = c + 1;
    }
  }
}

/** CSV population (see CSV_COLUMNS). Issues name the line, the column and why. */
export class CsvPopulationReader implements PopulationReader {
  readonly label = 'CSV';
  readonly issues: PopulationIssue[] = [];
  private header: string[] | null = null;
  private col = new Map<string, number>();
  private cur: string | null = null;
  private curLine = 0;
  private first: string[] = [];
  private area = 0;
  private flags = 0;
  private persons = 0;
  private kids: Array<{ birthDay: number; area: number; flags: number; birthOrder?: number }> = [];
  private seen = new Map<string, number>();
  /** Data rows read (not counting the header and blank lines). */
  rows = 0;

  constructor(private readonly b: ColumnsBuilder) {}

  /** True once MAX_POPULATION_ISSUES issues are collected: reading further shows nothing new. */
  get full(): boolean {
    return this.issues.length >= MAX_POPULATION_ISSUES;
  }

  field(issue: PopulationIssue): string {
    return issue.path.slice(1);
  }

  private issue(line: number, column: string, code: string, zh: string, en: string): void {
    if (!this.full) this.issues.push({ code, path: column ? `/${column}` : '', line, message: { zh, en } });
  }

  private flush(): void {
    if (this.cur !== null) {
      const n = this.kids.length;
      if (n > MAX_CHILDREN) {
        this.issue(
          this.curLine,
          'child_birth_date',
          'population.too_many_children',
          `家庭 ${echo(this.cur)} 有 ${n} 个孩子，最多 ${MAX_CHILDREN} 个`,
          `family ${echo(this.cur)} has ${n} children, at most ${MAX_CHILDREN} are allowed`,
        );
      } else if (this.persons > 0 && this.persons < n) {
        this.issue(
          this.curLine,
          'persons',
          'population.invalid_persons',
          `persons（家庭人数）为 ${this.persons}，少于该家庭的孩子数 ${n}`,
          `persons (household size) is ${this.persons}, fewer than the family's ${n} children`,
        );
      } else if (this.issues.length === 0) {
        this.b.addRaw(this.area, this.flags, this.kids, this.persons || 2 + n);
      }
    }
    this.kids = [];
  }

  /** A boolean cell: 1/true, 0/false or empty (case-insensitive); otherwise an issue. */
  private bool(v: string, line: number, column: string): boolean {
    const l = v.toLowerCase();
    if (l === '1' || l === 'true') return true;
    if (l === '' || l === '0' || l === 'false') return false;
    this.issue(
      line,
      column,
      'population.invalid_boolean',
      `应为 1/true 或 0/false/空，实际为 ${echo(v)}`,
      `expected 1/true or 0/false/empty, got ${echo(v)}`,
    );
    return false;
  }

  private areaCode(v: string, line: number, column: string): void {
    this.issue(
      line,
      column,
      'population.invalid_area_code',
      `不是6位行政区划代码（如 "530102"）：${echo(v)}`,
      `Not a 6-digit area code (e.g. "530102"): ${echo(v)}`,
    );
  }

  line(text: string, lineNo: number): void {
    if (this.header === null) {
      this.readHeader(text.replace(/^\uFEFF/, ''), lineNo);
      return;
    }
    if (text.trim() === '') return;
    this.rows++;
    const f = splitCsvLine(text);
    if (f === null) {
      this.issue(lineNo, '', 'population.invalid_csv', '引号未闭合', 'A quote is not closed');
      return;
    }
    if (f.length !== this.header.length) {
      this.issue(
        lineNo,
        '',
        'population.field_count',
        `本行有 ${f.length} 个字段，表头有 ${this.header.length} 列`,
        `The row has ${f.length} fields, the header has ${this.header.length} columns`,
      );
      return;
    }
    const get = (n: string) => {
      const i = this.col.get(n);
      return i === undefined ? '' : f[i].trim();
    };
    const id = get('family_id');
    if (id === '') {
      this.issue(lineNo, 'family_id', 'population.required', '缺少 family_id', 'family_id is required');
      return;
    }
    if (id !== this.cur) {
      this.flush();
      const firstLine = this.seen.get(id);
      if (firstLine !== undefined) {
        this.issue(
          lineNo,
          'family_id',
          'population.family_not_consecutive',
          `家庭 ${echo(id)} 的各行不相邻（首次出现在第 ${firstLine} 行）；同一家庭的行须连续`,
          `The rows of family ${echo(id)} are not consecutive (first seen on line ${firstLine}); a family's rows must follow each other`,
        );
      } else this.seen.set(id, lineNo);
      this.cur = id;
      this.curLine = lineNo;
      this.first = FAMILY_COLUMNS.map(get);
      const a = get('hukou_area');
      if (!/^\d{6}$/.test(a)) this.areaCode(a, lineNo, 'hukou_area');
      this.area = Number(a) || 0;
      this.flags = 0;
      for (const [n, bit] of FAMILY_FLAGS) if (this.bool(get(n), lineNo, n)) this.flags |= bit;
      const p = get('persons');
      this.persons = 0;
      if (p !== '') {
        if (!/^\d{1,9}$/.test(p)) {
          this.issue(
            lineNo,
            'persons',
            'population.invalid_persons',
            `persons（家庭人数）应为非负整数，实际为 ${echo(p)}`,
            `persons (household size) must be a whole number ≥ 0, got ${echo(p)}`,
          );
        } else this.persons = Number(p);
      }
    } else {
      FAMILY_COLUMNS.forEach((c, k) => {
        const v = get(c);
        if (v !== '' && v !== this.first[k]) {
          this.issue(
            lineNo,
            c,
            'population.inconsistent_family',
            `与该家庭第 ${this.curLine} 行的值 ${echo(this.first[k])} 不同：${echo(v)}`,
            `Differs from the family's row on line ${this.curLine} (${echo(this.first[k])}): ${echo(v)}`,
          );
        }
      });
    }
    const bd = get('child_birth_date');
    if (bd === '') {
      for (const c of CHILD_COLUMNS) {
        if (get(c) !== '') {
          this.issue(
            lineNo,
            c,
            'population.child_without_birth_date',
            `填写了 ${c} 但 child_birth_date 为空（无孩子的家庭各子女列应为空）`,
            `${c} is given but child_birth_date is empty (a row without a child leaves the child columns empty)`,
          );
        }
      }
      return;
    }
    const day = parseIsoDate(bd);
    if (day === null) {
      const p = isoDateProblem(bd);
      this.issue(
        lineNo,
        'child_birth_date',
        'population.invalid_date',
        `${p?.zh}：${echo(bd)}`,
        `${p?.en}: ${echo(bd)}`,
      );
      return;
    }
    const ca = get('child_hukou_area');
    if (ca !== '' && !/^\d{6}$/.test(ca)) this.areaCode(ca, lineNo, 'child_hukou_area');
    const bo = get('child_birth_order');
    let birthOrder: number | undefined;
    if (bo !== '') {
      if (!/^\d{1,2}$/.test(bo) || Number(bo) < 1 || Number(bo) > MAX_CHILDREN) {
        this.issue(
          lineNo,
          'child_birth_order',
          'population.invalid_birth_order',
          `孩次应为 1 至 ${MAX_CHILDREN} 的整数，实际为 ${echo(bo)}`,
          `Birth order must be a whole number from 1 to ${MAX_CHILDREN}, got ${echo(bo)}`,
        );
      } else birthOrder = Number(bo);
    }
    const flags =
      (this.bool(get('child_adopted'), lineNo, 'child_adopted') ? CF.ADOPTED : 0) |
      (this.bool(get('child_difficult_birth'), lineNo, 'child_difficult_birth') ? CF.DIFFICULT_BIRTH : 0);
    this.kids.push({
      birthDay: day,
      area: ca === '' ? 0 : Number(ca),
      flags,
      ...(birthOrder !== undefined ? { birthOrder } : {}),
    });
  }

  private readHeader(text: string, lineNo: number): void {
    const header = (splitCsvLine(text) ?? [text]).map((h) => h.trim());
    this.header = header;
    if (header.length === 1 && header[0] === '') {
      this.issue(
        lineNo,
        '',
        'population.missing_header',
        `第一行应为表头（至少含 family_id、hukou_area、child_birth_date）`,
        'The first line must be the header (at least family_id, hukou_area, child_birth_date)',
      );
      return;
    }
    const known = new Set<string>(CSV_COLUMNS);
    header.forEach((h, i) => {
      if (!known.has(h)) {
        this.issue(
          lineNo,
          h,
          'population.unknown_column',
          `未知列 ${echo(h)}（可用的列见 docs/rules.md）`,
          `Unknown column ${echo(h)} (see docs/rules.md for the columns)`,
        );
      } else if (this.col.has(h)) {
        this.issue(
          lineNo,
          h,
          'population.duplicate_column',
          `列 ${echo(h)} 重复`,
          `Column ${echo(h)} appears twice`,
        );
      } else this.col.set(h, i);
    });
    for (const n of ['family_id', 'hukou_area', 'child_birth_date']) {
      if (!this.col.has(n)) {
        this.issue(lineNo, n, 'population.missing_column', `缺少列：${n}`, `Missing column: ${n}`);
      }
    }
  }

  /** After the last line: the last family is added; returns every issue (at most MAX_POPULATION_ISSUES). */
  finish(): PopulationIssue[] {
    if (this.header === null) {
      this.issue(1, '', 'population.empty', '文件为空', 'The file is empty');
    } else if (this.issues.length === 0 && this.rows === 0) {
      this.issue(1, '', 'population.empty', '表头之后没有数据行', 'No rows after the header');
    }
    this.flush();
    this.cur = null;
    return this.issues;
  }
}

/** Parse CSV text (see CSV_COLUMNS) into a builder. Returns issues, at most MAX_POPULATION_ISSUES. */
export function addCsv(b: ColumnsBuilder, text: string): PopulationIssue[] {
  const r = new CsvPopulationReader(b);
  if (text !== '') {
    const lines = text.split(/\r?\n/);
    if (lines[lines.length - 1] === '') lines.pop();
    for (let i = 0; i < lines.length && !r.full; i++) r.line(lines[i], i + 1);
  }
  return r.finish();
}

/** The reader of a format, adding families to `b`. */
export function populationReader(format: PopulationFormat, b: ColumnsBuilder): PopulationReader {
  return format === 'csv' ? new CsvPopulationReader(b) : new JsonLinesPopulationReader(b);
}

/** What reading a population file found. */
export interface PopulationRead {
  /** Lines read: all of them, or the line reading stopped at. */
  lines: number;
  /** True when reading stopped early, at MAX_POPULATION_ISSUES issues. */
  stopped: boolean;
  /** Every issue; none means the reader's builder holds the whole population. */
  issues: PopulationIssue[];
}

/**
 * Feed the lines of a file (e.g. a `readline` interface over a file or a pipe) to a reader, line
 * numbers from 1, stopping once it is full; `onProgress(n)` every `every` lines. Errors of the
 * line source (a missing file, a directory) propagate to the caller.
 */
export async function readPopulation(
  lines: AsyncIterable<string>,
  reader: PopulationReader,
  onProgress?: (lines: number) => void,
  every = 500_000,
): Promise<PopulationRead> {
  let n = 0;
  let stopped = false;
  for await (const text of lines) {
    n++;
    reader.line(text, n);
    if (reader.full) {
      stopped = true;
      break;
    }
    if (n % every === 0) onProgress?.(n);
  }
  return { lines: n, stopped, issues: reader.finish() };
}
