/**
 * Mortality scenarios from life-expectancy targets with a Lee–Carter age shape:
 * log m(x, t) = a(x) + b(x)·k(t) (Lee & Carter 1992, "Modeling and forecasting U.S. mortality",
 * JASA 87(419)). For a target e(0) the index k is solved by bisection (e(0) is monotone in k when
 * b ≥ 0), the approach UN WPP uses to turn probabilistic e(0) into age schedules (Raftery,
 * Chunn, Gerland & Ševčíková 2013; Ševčíková et al. 2016).
 */
import { type Issue, issue, type Result } from './issues.ts';
import { type A0Method, lifeExpectancyAtBirth, type Sex, validateRates } from './life-table.ts';

/** A Lee–Carter model: log m(x) = a(x) + b(x)·k. */
export type LeeCarterModel = { a: Float64Array; b: Float64Array };

/**
 * A model anchored on one schedule: a(x) = ln m(x) (so k = 0 reproduces it) and b(x) given, or
 * by default uniform b(x) = 1/(ω + 1) — every rate changes by the same proportion, the
 * "proportional" special case of Lee–Carter used when no time series is available to estimate
 * b(x). Zero rates stay zero (a = −∞).
 */
export function leeCarterFromSchedule(m: ArrayLike<number>, b?: ArrayLike<number>): LeeCarterModel {
  const n = m.length;
  const a = new Float64Array(n);
  const bb = new Float64Array(n);
  for (let x = 0; x < n; x++) {
    a[x] = Math.log(m[x]);
    bb[x] = b ? b[x] : 1 / n;
  }
  return { a, b: bb };
}

/**
 * Fits a(x), b(x), k(t) to a matrix of rates (rows = years, columns = ages) as Lee & Carter
 * (1992): a(x) = mean over t of ln m(x, t); b and k from the first singular vectors of the
 * centred matrix (computed by power iteration), normalised to Σb = 1 and Σk = 0. (The second
 * stage of Lee–Carter, refitting k to observed deaths, is left to the caller.)
 */
export function fitLeeCarter(rates: ArrayLike<number>[]): Result<LeeCarterModel & { k: Float64Array }> {
  const T = rates.length;
  const issues: Issue[] = [];
  if (T < 2) issues.push(issue('mortality.invalid_model', [], { reason: 'need at least 2 years' }));
  const n = T > 0 ? rates[0].length : 0;
  for (let t = 0; t < T; t++) {
    if (rates[t].length !== n)
      issues.push(issue('mortality.invalid_model', [t], { reason: 'ragged matrix' }));
    for (let x = 0; x < rates[t].length; x++)
      if (!(rates[t][x] > 0 && Number.isFinite(rates[t][x])))
        issues.push(issue('mortality.invalid_model', [t, x], { reason: 'rates must be positive' }));
  }
  if (issues.length > 0) return { ok: false, issues };
  const a = new Float64Array(n);
  const Z: Float64Array[] = [];
  for (let t = 0; t < T; t++) {
    const row = new Float64Array(n);
    for (let x = 0; x < n; x++) row[x] = Math.log(rates[t][x]);
    Z.push(row);
    for (let x = 0; x < n; x++) a[x] += row[x] / T;
  }
  for (const row of Z) for (let x = 0; x < n; x++) row[x] -= a[x];
  // Power iteration on ZᵀZ for the leading right singular vector b.
  let b = new Float64Array(n).fill(1 / Math.sqrt(n));
  const k = new Float64Array(T);
  for (let it = 0; it < 500; it++) {
    for (let t = 0; t < T; t++) {
      let s = 0;
      for (let x = 0; x < n; x++) s += Z[t][x] * b[x];
      k[t] = s;
    }
    const nb = new Float64Array(n);
    for (let t = 0; t < T; t++) for (let x = 0; x < n; x++) nb[x] += Z[t][x] * k[t];
    let norm = 0;
    for (let x = 0; x < n; x++) norm += nb[x] * nb[x];
    norm = Math.sqrt(norm);
    if (norm === 0) break;
    let diff = 0;
    for (let x = 0; x < n; x++) {
      nb[x] /= norm;
      diff += Math.abs(nb[x] - b[x]);
    }
    b = nb;
    if (diff < 1e-13) break;
  }
  for (let t = 0; t < T; t++) {
    let s = 0;
    for (let x = 0; x < n; x++) s += Z[t][x] * b[x];
    k[t] = s;
  }
  let sb = 0;
  for (let x = 0; x < n; x++) sb += b[x];
  if (sb === 0)
    return { ok: false, issues: [issue('mortality.invalid_model', [], { reason: 'no time trend' })] };
  for (let x = 0; x < n; x++) b[x] /= sb;
  for (let t = 0; t < T; t++) k[t] *= sb;
  return { ok: true, value: { a, b, k }, warnings: [] };
}

/** m(x) = exp(a(x) + b(x)·k), written into `out` (allocated when absent). */
export function leeCarterRates(model: LeeCarterModel, k: number, out?: Float64Array): Float64Array {
  const n = model.a.length;
  const m = out ?? new Float64Array(n);
  for (let x = 0; x < n; x++) m[x] = Math.exp(model.a[x] + model.b[x] * k);
  return m;
}

/** e(0) of the model at index k (contract life-table conventions). */
export function e0AtK(
  model: LeeCarterModel,
  k: number,
  sex: Sex,
  a0Method?: A0Method,
  scratch?: Float64Array,
): number {
  return lifeExpectancyAtBirth(leeCarterRates(model, k, scratch), sex, a0Method);
}

/** Options of {@link solveK}. */
export type SolveOptions = {
  /** Stop when |e0 − target| ≤ tolerance (years); default 1e-6, well inside the 0.01 required. */
  tolerance?: number;
  a0Method?: A0Method;
  /** Largest |k| tried when widening the bracket (default 1e5). */
  maxAbsK?: number;
};

/** A solved schedule: its k, the e(0) reached and the rates m(x). */
export type SolvedSchedule = { k: number; e0: number; m: Float64Array };

/**
 * Finds k with e0(a + b·k) = target by bisection (Lee & Carter 1992 index; bracket widened by
 * doubling from [−1, 1]). Returns `mortality.target_unreachable` when the target lies outside
 * the e(0) range the model can produce.
 */
export function solveK(
  model: LeeCarterModel,
  target: number,
  sex: Sex,
  options: SolveOptions = {},
): Result<SolvedSchedule> {
  const tol = options.tolerance ?? 1e-6;
  const maxAbs = options.maxAbsK ?? 1e5;
  const scratch = new Float64Array(model.a.length);
  const f = (k: number) => e0AtK(model, k, sex, options.a0Method, scratch) - target;
  if (!Number.isFinite(target)) {
    return {
      ok: false,
      issues: [
        issue('mortality.target_unreachable', ['target'], { target, min: Number.NaN, max: Number.NaN }),
      ],
    };
  }
  let lo = -1;
  let hi = 1;
  let flo = f(lo);
  let fhi = f(hi);
  // e0 falls as k rises (b ≥ 0): need f(lo) ≥ 0 ≥ f(hi).
  while (flo < 0 && lo > -maxAbs) {
    hi = lo;
    fhi = flo;
    lo *= 2;
    flo = f(lo);
  }
  while (fhi > 0 && hi < maxAbs) {
    lo = hi;
    flo = fhi;
    hi *= 2;
    fhi = f(hi);
  }
  if (!(flo >= 0 && fhi <= 0) || Number.isNaN(flo) || Number.isNaN(fhi)) {
    return {
      ok: false,
      issues: [
        issue('mortality.target_unreachable', ['target'], {
          target,
          min: Math.min(flo, fhi) + target,
          max: Math.max(flo, fhi) + target,
        }),
      ],
    };
  }
  let k = lo;
  let fk = flo;
  for (let it = 0; it < 200; it++) {
    if (Math.abs(flo) <= tol) {
      k = lo;
      fk = flo;
      break;
    }
    if (Math.abs(fhi) <= tol) {
      k = hi;
      fk = fhi;
      break;
    }
    const mid = (lo + hi) / 2;
    const fm = f(mid);
    k = mid;
    fk = fm;
    if (Math.abs(fm) <= tol || hi - lo < 1e-14 * Math.max(1, Math.abs(mid))) break;
    if (fm > 0) {
      lo = mid;
      flo = fm;
    } else {
      hi = mid;
      fhi = fm;
    }
  }
  return { ok: true, value: { k, e0: fk + target, m: leeCarterRates(model, k) }, warnings: [] };
}

/** A point of a scenario path. */
export type PathPoint = { year: number; value: number };

/**
 * Linear interpolation of a path at `year` (points sorted by year); constant before the first
 * and after the last point.
 */
export function interpolatePath(points: readonly PathPoint[], year: number): number {
  if (points.length === 0) return Number.NaN;
  if (year <= points[0].year) return points[0].value;
  for (let i = 1; i < points.length; i++) {
    const p = points[i];
    if (year <= p.year) {
      const q = points[i - 1];
      return q.value + ((p.value - q.value) * (year - q.year)) / (p.year - q.year);
    }
  }
  return points[points.length - 1].value;
}

/** One year of a mortality scenario. */
export type MortalityScenarioYear = { year: number; target: number } & SolvedSchedule;

/**
 * Per-year m(x) schedules following an e(0) path: e(0) interpolated linearly between the path's
 * points (flat outside them), k solved for each year ({@link solveK}). Example, "e(0) rises to 82
 * by 2035" from a 2020 schedule: path [{year: 2020, value: e0(2020)}, {year: 2035, value: 82}].
 */
export function mortalityScenario(
  model: LeeCarterModel,
  sex: Sex,
  path: readonly PathPoint[],
  years: readonly number[],
  options: SolveOptions = {},
): Result<MortalityScenarioYear[]> {
  const out: MortalityScenarioYear[] = [];
  const issues: Issue[] = [];
  const sorted = [...path].sort((p, q) => p.year - q.year);
  for (const year of years) {
    const target = interpolatePath(sorted, year);
    const r = solveK(model, target, sex, options);
    if (!r.ok) issues.push(...r.issues.map((i) => ({ ...i, path: ['years', year, ...i.path] })));
    else out.push({ year, target, ...r.value });
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: out, warnings: [] };
}

/**
 * Both-sexes scenario: both sexes' e(0) shift by the same number of years so that the
 * both-sexes e(0) — that of a birth cohort, (e0_f + srb·e0_m)/(1 + srb) — follows `path`.
 * The first point of `path` is usually the base year's both-sexes e(0); if the path starts later,
 * the base year (k = 0) anchors it.
 */
export function mortalityScenarioBothSexes(
  models: { female: LeeCarterModel; male: LeeCarterModel },
  baseYear: number,
  path: readonly PathPoint[],
  years: readonly number[],
  srb = 1.06,
  options: SolveOptions = {},
): Result<{ female: MortalityScenarioYear[]; male: MortalityScenarioYear[]; bothSexes: PathPoint[] }> {
  for (const sex of ['female', 'male'] as const) {
    const issues = validateRates(leeCarterRates(models[sex], 0), [sex]);
    if (issues.length > 0) return { ok: false, issues };
  }
  const e0f = e0AtK(models.female, 0, 'female', options.a0Method);
  const e0m = e0AtK(models.male, 0, 'male', options.a0Method);
  const base = (e0f + srb * e0m) / (1 + srb);
  const sorted = [...path].sort((p, q) => p.year - q.year);
  const full =
    sorted.length > 0 && sorted[0].year <= baseYear ? sorted : [{ year: baseYear, value: base }, ...sorted];
  const shift = (year: number) => interpolatePath(full, year) - base;
  const f = mortalityScenario(
    models.female,
    'female',
    years.map((year) => ({ year, value: e0f + shift(year) })),
    years,
    options,
  );
  const m = mortalityScenario(
    models.male,
    'male',
    years.map((year) => ({ year, value: e0m + shift(year) })),
    years,
    options,
  );
  if (!f.ok || !m.ok) return { ok: false, issues: [...(f.ok ? [] : f.issues), ...(m.ok ? [] : m.issues)] };
  return {
    ok: true,
    value: {
      female: f.value,
      male: m.value,
      bothSexes: years.map((year) => ({ year, value: base + shift(year) })),
    },
    warnings: [],
  };
}
