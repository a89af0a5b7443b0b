/**
 * Probabilistic projections: TFR and e(0) paths as AR(1) deviations around the deterministic
 * scenario, in the spirit of the UN's Bayesian projections (Alkema et al. 2011 for TFR, whose
 * phase III is an AR(1) around a long-run level; Raftery, Chunn, Gerland & Ševčíková 2013 for
 * e(0)), turned into age schedules (TFR × the scenario's age pattern; e(0) → Lee–Carter k by
 * interpolation on a precomputed e(0)(k) grid plus one secant correction), then run through the
 * same cohort-component kernel. N trajectories come from a seeded xoshiro128** stream, so a seed
 * fixes the output. Summaries are the median and the 80% and 95% intervals (quantiles 0.1/0.9
 * and 0.025/0.975, Hyndman & Fan 1996 type 7) of each output per year.
 */
import { CohortComponentEngine } from './engine.ts';
import { type Issue, issue, type Result } from './issues.ts';
import { type Sex, survivalRatiosInto } from './life-table.ts';
import type { BySex, ProjectionPlan } from './projection.ts';
import { Xoshiro128 } from './random.ts';

/** AR(1) deviation: d(t) = rho·d(t−1) + sigma·ε(t), ε ~ N(0, 1), d(0) = 0. */
export type Ar1Parameters = { rho: number; sigma: number };

/** Parameters of the probabilistic run (data, overridable by the caller). */
export type StochasticParameters = { tfr: Ar1Parameters; e0: Ar1Parameters };

/**
 * Default annual AR(1) parameters. TFR: rho 0.9, sigma 0.05 (stationary s.d. ≈ 0.11 child, a
 * 95% band of about ±0.22 after a decade, similar to the width of the UN WPP 2024 95% interval
 * for China's TFR in the 2030s). e(0): rho 0.9, sigma 0.3 years (stationary s.d. ≈ 0.7 year),
 * the same order as the WPP interval for e(0). Both are assumptions to be calibrated, kept here
 * as data.
 */
export const DEFAULT_STOCHASTIC_PARAMETERS: Readonly<StochasticParameters> = Object.freeze({
  tfr: Object.freeze({ rho: 0.9, sigma: 0.05 }),
  e0: Object.freeze({ rho: 0.9, sigma: 0.3 }),
});

/** Options of {@link runProbabilistic}. */
export type ProbabilisticOptions = {
  trajectories: number;
  seed: number;
  parameters?: StochasticParameters;
  /** Lee–Carter b(x) per sex (default uniform 1/(ω + 1)); a(x) is each year's ln m(x). */
  b?: Partial<BySex<ArrayLike<number>>>;
};

/** Median and 80%/95% intervals of one output in one year. */
export type IntervalSummary = {
  median: number;
  lower80: number;
  upper80: number;
  lower95: number;
  upper95: number;
};

/** The outputs summarised per year. */
export const PROBABILISTIC_METRICS = [
  'totalPopulation',
  'births',
  'deaths',
  'population0to2',
  'share65plus',
  'tfr',
  'e0Female',
  'e0Male',
] as const;

/** One summarised output. */
export type ProbabilisticMetric = (typeof PROBABILISTIC_METRICS)[number];

/** One year of the probabilistic summary. */
export type ProbabilisticYear = { year: number } & Record<ProbabilisticMetric, IntervalSummary>;

/** The probabilistic section of the output. */
export type ProbabilisticOutput = {
  trajectories: number;
  seed: number;
  parameters: StochasticParameters;
  quantiles: { median: 0.5; interval80: [0.1, 0.9]; interval95: [0.025, 0.975] };
  years: ProbabilisticYear[];
};

/** Largest number of trajectories accepted. */
export const MAX_TRAJECTORIES = 100_000;

/** Checks trajectories (integer 1..100000), seed (safe integer) and AR(1) parameters (|rho| < 1, sigma ≥ 0). */
export function validateProbabilisticOptions(options: ProbabilisticOptions): Issue[] {
  const issues: Issue[] = [];
  const { trajectories, seed } = options;
  if (!Number.isInteger(trajectories) || trajectories < 1 || trajectories > MAX_TRAJECTORIES)
    issues.push(
      issue('stochastic.invalid_parameters', ['trajectories'], {
        reason: `trajectories must be an integer 1..${MAX_TRAJECTORIES}, got ${trajectories}`,
      }),
    );
  if (!Number.isSafeInteger(seed))
    issues.push(
      issue('stochastic.invalid_parameters', ['seed'], { reason: `seed must be an integer, got ${seed}` }),
    );
  const p = options.parameters ?? DEFAULT_STOCHASTIC_PARAMETERS;
  for (const key of ['tfr', 'e0'] as const) {
    const v = p[key];
    if (!v || !(Math.abs(v.rho) < 1) || !(v.sigma >= 0) || !Number.isFinite(v.sigma))
      issues.push(
        issue('stochastic.invalid_parameters', ['parameters', key], {
          reason: 'need |rho| < 1 and sigma ≥ 0',
        }),
      );
  }
  return issues;
}

/** Linear-interpolation quantile (type 7) of a sorted array segment. */
export function quantileSorted(
  sorted: ArrayLike<number>,
  p: number,
  from = 0,
  n = sorted.length - from,
): number {
  if (n === 0) return Number.NaN;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  const a = sorted[from + lo];
  return a + (h - lo) * (sorted[from + hi] - a);
}

/** e(0)(k) grid for one schedule, for inverting e(0) → k quickly. */
type KGrid = { a: Float64Array; b: Float64Array; ks: Float64Array; e0s: Float64Array };

const GRID_POINTS = 161;

function buildGrid(
  m: Float64Array,
  b: Float64Array,
  sex: Sex,
  S: Float64Array,
  L: Float64Array,
  buf: Float64Array,
): KGrid {
  const n = m.length;
  const a = new Float64Array(n);
  for (let x = 0; x < n; x++) a[x] = Math.log(m[x]);
  let maxB = 0;
  for (let x = 0; x < n; x++) maxB = Math.max(maxB, Math.abs(b[x]));
  // Span rates from ×e^−4 to ×e^+4 at the most sensitive age.
  const span = maxB > 0 ? 4 / maxB : 1;
  const ks = new Float64Array(GRID_POINTS);
  const e0s = new Float64Array(GRID_POINTS);
  for (let j = 0; j < GRID_POINTS; j++) {
    const k = -span + (2 * span * j) / (GRID_POINTS - 1);
    ks[j] = k;
    for (let x = 0; x < n; x++) buf[x] = Math.exp(a[x] + b[x] * k);
    e0s[j] = survivalRatiosInto(buf, sex, S, L);
  }
  return { a, b, ks, e0s };
}

/** k for a target e(0) by linear interpolation on the grid (e0 decreasing in k); clamped at the ends. */
function kFromGrid(g: KGrid, target: number): { k: number; slope: number } {
  const { ks, e0s } = g;
  const J = ks.length;
  if (target >= e0s[0]) return { k: ks[0], slope: (e0s[1] - e0s[0]) / (ks[1] - ks[0]) };
  if (target <= e0s[J - 1])
    return { k: ks[J - 1], slope: (e0s[J - 1] - e0s[J - 2]) / (ks[J - 1] - ks[J - 2]) };
  let lo = 0;
  let hi = J - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (e0s[mid] > target) lo = mid;
    else hi = mid;
  }
  const slope = (e0s[hi] - e0s[lo]) / (ks[hi] - ks[lo]);
  return { k: ks[lo] + (target - e0s[lo]) / slope, slope };
}

/**
 * Runs N trajectories of a plan (see {@link planProjection}) with AR(1) deviations of TFR and
 * e(0) (the same e(0) deviation for both sexes) and summarises every output per year.
 * Allocation-free in the trajectory loop: all buffers are Float64Arrays reused across
 * trajectories. Deterministic for a given seed.
 */
export function runProbabilistic(
  plan: ProjectionPlan,
  options: ProbabilisticOptions,
): Result<ProbabilisticOutput> {
  const issues = validateProbabilisticOptions(options);
  const G = plan.openAge + 1;
  for (const sex of ['female', 'male'] as const) {
    const b = options.b?.[sex];
    if (b && (b.length !== G || Array.from(b).some((v) => !Number.isFinite(v))))
      issues.push(
        issue('stochastic.invalid_parameters', ['b', sex], { reason: `b(x) needs ${G} finite values` }),
      );
  }
  if (issues.length > 0) return { ok: false, issues };
  const params = options.parameters ?? DEFAULT_STOCHASTIC_PARAMETERS;
  const N = options.trajectories;
  const H = plan.horizon;
  const S = new Float64Array(G);
  const Lb = new Float64Array(G);
  const buf = new Float64Array(G);
  const bySex = {} as Record<Sex, { b: Float64Array; grids: KGrid[] }>;
  for (const sex of ['female', 'male'] as const) {
    const b = new Float64Array(G);
    const given = options.b?.[sex];
    for (let x = 0; x < G; x++) b[x] = given ? given[x] : 1 / G;
    const cache = new Map<Float64Array, KGrid>();
    const grids: KGrid[] = [];
    for (let k = 0; k < H; k++) {
      const m = plan.mortality[sex][k];
      let g = cache.get(m);
      if (!g) {
        g = buildGrid(m, b, sex, S, Lb, buf);
        cache.set(m, g);
      }
      grids.push(g);
    }
    bySex[sex] = { b, grids };
  }

  const rng = new Xoshiro128(options.seed);
  const engine = new CohortComponentEngine(G, 1);
  const asfr = new Float64Array(G);
  const sf = new Float64Array(G);
  const sm = new Float64Array(G);
  const mBuf = new Float64Array(G);
  const M = PROBABILISTIC_METRICS.length;
  const store = new Float64Array(M * H * N);
  const at = (metric: number, k: number) => metric * H * N + k * N;
  const age65 = Math.min(65, G);
  const young = Math.min(3, G);
  const rates = {
    sf,
    sm,
    asfr,
    srb: 0,
    mf: null as Float64Array | null,
    mm: null as Float64Array | null,
    timing: plan.steps[0]?.timing ?? 'even',
  };

  const scheduleFor = (sex: Sex, k: number, target: number, S_out: Float64Array): number => {
    const g = bySex[sex].grids[k];
    const { a, b } = g;
    let { k: kk, slope } = kFromGrid(g, target);
    for (let x = 0; x < G; x++) mBuf[x] = Math.exp(a[x] + b[x] * kk);
    let e0 = survivalRatiosInto(mBuf, sex, S_out, Lb, plan.a0Method);
    if (Math.abs(e0 - target) > 1e-3 && slope !== 0) {
      kk += (target - e0) / slope;
      for (let x = 0; x < G; x++) mBuf[x] = Math.exp(a[x] + b[x] * kk);
      e0 = survivalRatiosInto(mBuf, sex, S_out, Lb, plan.a0Method);
    }
    return e0;
  };

  for (let i = 0; i < N; i++) {
    engine.setPopulation(plan.population.female, plan.population.male);
    let dT = 0;
    let dE = 0;
    for (let k = 0; k < H; k++) {
      dT = params.tfr.rho * dT + params.tfr.sigma * rng.normal();
      dE = params.e0.rho * dE + params.e0.sigma * rng.normal();
      const step = plan.steps[k];
      const baseTfr = plan.tfr[k];
      const tfr = Math.max(0, baseTfr + dT);
      const scale = baseTfr > 0 ? tfr / baseTfr : 0;
      for (let x = 0; x < G; x++) asfr[x] = step.asfr[x] * scale;
      const e0f = scheduleFor('female', k, plan.e0.female[k] + dE, sf);
      const e0m = scheduleFor('male', k, plan.e0.male[k] + dE, sm);
      rates.srb = step.srb;
      rates.mf = step.mf;
      rates.mm = step.mm;
      rates.timing = step.timing;
      engine.step(rates);
      const pf = engine.pf;
      const pm = engine.pm;
      let total = 0;
      let old = 0;
      let infants = 0;
      for (let x = 0; x < G; x++) {
        const v = pf[x] + pm[x];
        total += v;
        if (x >= age65 && age65 < G) old += v;
        if (x < young) infants += v;
      }
      store[at(0, k) + i] = total;
      store[at(1, k) + i] = engine.birthsF + engine.birthsM;
      store[at(2, k) + i] = engine.deathsF + engine.deathsM;
      store[at(3, k) + i] = infants;
      store[at(4, k) + i] = total > 0 ? old / total : 0;
      store[at(5, k) + i] = baseTfr > 0 ? tfr : 0;
      store[at(6, k) + i] = e0f;
      store[at(7, k) + i] = e0m;
    }
  }

  const years: ProbabilisticYear[] = [];
  for (let k = 0; k < H; k++) {
    const row = { year: plan.baseYear + k + 1 } as ProbabilisticYear;
    for (let j = 0; j < M; j++) {
      const seg = store.subarray(at(j, k), at(j, k) + N);
      seg.sort();
      row[PROBABILISTIC_METRICS[j]] = {
        median: quantileSorted(seg, 0.5),
        lower80: quantileSorted(seg, 0.1),
        upper80: quantileSorted(seg, 0.9),
        lower95: quantileSorted(seg, 0.025),
        upper95: quantileSorted(seg, 0.975),
      };
    }
    years.push(row);
  }
  return {
    ok: true,
    value: {
      trajectories: N,
      seed: options.seed,
      parameters: { tfr: { ...params.tfr }, e0: { ...params.e0 } },
      quantiles: { median: 0.5, interval80: [0.1, 0.9], interval95: [0.025, 0.975] },
      years,
    },
    warnings: [],
  };
}
