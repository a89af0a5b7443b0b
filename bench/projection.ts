/**
 * Benchmark of the projection engine (`npm run bench:projection`), printing one JSON line:
 * - the deterministic contract projection of Kunming's 16 management areas × 101 ages × 2 sexes ×
 *   30 years with the library (validation + life tables + projection + output arrays);
 * - the same run in a plain reference implementation written the obvious way (arrays of objects,
 *   no typed arrays, a fresh object per cell and step), timed in the same process, with the ratio;
 *   both must agree to 1e-9 relative;
 * - 1,000 probabilistic city trajectories × 30 years.
 * Inputs are synthetic (src/demography/synthetic.ts): 8.46 M people split by area as in FACTS.md §4,
 * Gompertz–Makeham mortality with e0 81.45/76.78, TFR 1.0.
 */
import { cpus } from 'node:os';
import {
  a0AndreevKingkade,
  KUNMING_AREAS,
  kunmingLikeInput,
  type ProjectionInput,
  type ProjectionOutput,
  planProjection,
  runProbabilistic,
  runProjection,
} from '../src/demography/index.ts';

const YEARS = 30;
const RUNS = 15;

// ---------------------------------------------------------------------------------------------
// The naive reference implementation: the contract's formulas, written plainly.

type Cell = { sex: 'female' | 'male'; age: number; value: number };
type LifeRow = { age: number; m: number; a: number; q: number; l: number; L: number; S: number };
type NaiveYear = {
  year: number;
  cells: Cell[];
  births: { female: number; male: number };
  deaths: { female: number; male: number };
};

function naiveLifeTable(m: number[], sex: 'female' | 'male'): LifeRow[] {
  const w = m.length - 1;
  const rows: LifeRow[] = [];
  let l = 1;
  for (let x = 0; x <= w; x++) {
    const a = x === 0 ? a0AndreevKingkade(m[0], sex) : 0.5;
    const q = x === w ? 1 : m[x] / (1 + (1 - a) * m[x]);
    const next = l * (1 - q);
    const L = x === w ? l / m[x] : next + a * (l - next);
    rows.push({ age: x, m: m[x], a, q, l, L, S: 0 });
    l = next;
  }
  rows.forEach((r, x) => {
    if (x === 0) r.S = r.L / rows[0].l;
    else if (x < w) r.S = r.L / rows[x - 1].L;
    else r.S = r.L / (rows[x - 1].L + r.L);
  });
  return rows;
}

function naiveProject(input: ProjectionInput): NaiveYear[] {
  const w = input.openAge;
  const tables = {
    female: naiveLifeTable(input.mortality.female, 'female'),
    male: naiveLifeTable(input.mortality.male, 'male'),
  };
  const migration = (sex: 'female' | 'male', age: number) => input.migration?.[sex][age] ?? 0;
  const fert = (age: number) => {
    const i = age - input.fertility.startAge;
    return i >= 0 && i < input.fertility.asfr.length ? input.fertility.asfr[i] : 0;
  };
  let cells: Cell[] = [];
  for (const sex of ['female', 'male'] as const)
    input.population[sex].forEach((value, age) => {
      cells.push({ sex, age, value });
    });
  const years: NaiveYear[] = [];
  for (let k = 0; k < input.horizon; k++) {
    const star = cells.map((c) => ({ ...c, value: c.value + migration(c.sex, c.age) / 2 }));
    const get = (list: Cell[], sex: string, age: number) =>
      list.find((c) => c.sex === sex && c.age === age)?.value ?? 0;
    const next: Cell[] = [];
    const deaths = { female: 0, male: 0 };
    for (const sex of ['female', 'male'] as const) {
      const t = tables[sex];
      for (let x = 1; x <= w; x++) {
        const cohort = x < w ? get(star, sex, x - 1) : get(star, sex, w - 1) + get(star, sex, w);
        next.push({ sex, age: x, value: t[x].S * cohort + migration(sex, x) / 2 });
        deaths[sex] += (1 - t[x].S) * cohort;
      }
    }
    const births = star
      .filter((c) => c.sex === 'female')
      .reduce((s, c) => s + (fert(c.age) * (c.value + get(next, 'female', c.age))) / 2, 0);
    const bF = births / (1 + input.srb);
    const split = { female: bF, male: births - bF };
    for (const sex of ['female', 'male'] as const) {
      const S0 = tables[sex][0].S;
      next.push({ sex, age: 0, value: S0 * split[sex] + migration(sex, 0) / 2 });
      deaths[sex] += (1 - S0) * split[sex];
    }
    next.sort((a, b) => (a.sex === b.sex ? a.age - b.age : a.sex === 'female' ? -1 : 1));
    cells = next.map((c) => ({ ...c, value: Math.max(0, c.value) }));
    years.push({ year: input.baseYear + k + 1, cells, births: split, deaths });
  }
  return years;
}

// ---------------------------------------------------------------------------------------------

const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(1, Math.abs(a), Math.abs(b));

function compare(fast: ProjectionOutput, naive: NaiveYear[]): number {
  let max = 0;
  fast.years.forEach((y, k) => {
    const n = naive[k];
    if (n.year !== y.year) max = Number.POSITIVE_INFINITY;
    for (const c of n.cells) max = Math.max(max, rel(c.value, y.population[c.sex][c.age]));
    for (const sex of ['female', 'male'] as const) {
      max = Math.max(max, rel(n.births[sex], y.births[sex]), rel(n.deaths[sex], y.deaths[sex]));
    }
  });
  return max;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time<T>(fn: () => T): { ms: number; value: T } {
  const t0 = performance.now();
  const value = fn();
  return { ms: performance.now() - t0, value };
}

const inputs = KUNMING_AREAS.map((a) => kunmingLikeInput({ population: a.population, horizon: YEARS }));
const city = kunmingLikeInput({ horizon: YEARS });

const runFast = () =>
  inputs.map((input) => {
    const r = runProjection(input);
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    return r.value;
  });
const runNaive = () => inputs.map(naiveProject);

const fastCold = time(runFast);
const naiveCold = time(runNaive);
const fastTimes: number[] = [];
const naiveTimes: number[] = [];
let fastOut = fastCold.value;
let naiveOut = naiveCold.value;
for (let i = 0; i < RUNS; i++) {
  const f = time(runFast);
  fastTimes.push(f.ms);
  fastOut = f.value;
  const n = time(runNaive);
  naiveTimes.push(n.ms);
  naiveOut = n.value;
}
const maxRelDiff = Math.max(...fastOut.map((o, i) => compare(o, naiveOut[i])));

const probTimes: number[] = [];
let probOk = true;
for (let i = 0; i < 3; i++) {
  const p = time(() => runProbabilistic(planProjection(city), { trajectories: 1000, seed: 20250501 + i }));
  probTimes.push(p.ms);
  probOk &&= p.value.ok;
}

const detMs = median(fastTimes);
const naiveMs = median(naiveTimes);
const probMs = median(probTimes);
const round = (v: number) => Math.round(v * 100) / 100;
process.stdout.write(
  `${JSON.stringify({
    benchmark: 'projection',
    node: process.version,
    cpus: cpus().length,
    deterministic: {
      areas: inputs.length,
      ages: city.openAge + 1,
      sexes: 2,
      years: YEARS,
      ms: round(detMs),
      coldMs: round(fastCold.ms),
      runs: RUNS,
      targetMs: 50,
      meetsTarget: detMs < 50,
    },
    naiveReference: { ms: round(naiveMs), coldMs: round(naiveCold.ms), ratio: round(naiveMs / detMs) },
    agreement: { maxRelativeDifference: maxRelDiff, tolerance: 1e-9, same: maxRelDiff <= 1e-9 },
    probabilistic: {
      trajectories: 1000,
      years: YEARS,
      ms: round(probMs),
      runs: probTimes.length,
      targetMs: 2000,
      meetsTarget: probOk && probMs < 2000,
    },
  })}\n`,
);
if (maxRelDiff > 1e-9 || !probOk) process.exitCode = 1;
