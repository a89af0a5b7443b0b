/**
 * Period life tables from central death rates m(x).
 *
 * Single-year tables follow the projection contract (shared/specs/projection.md), which in turn
 * follows the UN World Population Prospects conventions: a(0) by Andreev & Kingkade (2015),
 * a(x) = 0.5 above, q(x) = m/(1 + (1 − a)m), open group L(ω) = l(ω)/m(ω).
 * Abridged tables (0, 1–4, 5–9, …) follow Preston, Heuveline & Guillot (2001) ch. 3 and the
 * UN (1982) Model Life Tables for Developing Countries (Greville separation factors).
 * Old-age rates can be extended to age 130 with the Kannisto logistic model (Thatcher, Kannisto
 * & Vaupel 1998), as WPP does.
 */
import { type Issue, issue, type Result } from './issues.ts';

/** Sex of a life table; several formulas differ by sex. */
export type Sex = 'female' | 'male';

/** How a(0), the mean years lived in the first year by infants who die, is obtained. */
export type A0Method = 'andreev-kingkade' | 'coale-demeny';

/**
 * a(0) from m(0) by Andreev & Kingkade (2015), "Average age at death in infancy", Demographic
 * Research 33(13), Table 3 (the m0 version); the piecewise-linear rule of the projection contract.
 */
export function a0AndreevKingkade(m0: number, sex: Sex): number {
  if (sex === 'male') {
    if (m0 < 0.023) return 0.14929 - 1.99545 * m0;
    if (m0 < 0.08307) return 0.02832 + 3.26021 * m0;
    return 0.29915;
  }
  if (m0 < 0.01724) return 0.14903 - 2.05527 * m0;
  if (m0 < 0.06891) return 0.04667 + 3.88089 * m0;
  return 0.31411;
}

/**
 * a(0) from m(0) by the Coale–Demeny West rule of thumb (Coale & Demeny 1983; Preston,
 * Heuveline & Guillot 2001, Table 3.3): m0 ≥ 0.107 → 0.330 (male) / 0.350 (female), else
 * 0.045 + 2.684·m0 (male) / 0.053 + 2.800·m0 (female).
 */
export function a0CoaleDemeny(m0: number, sex: Sex): number {
  if (sex === 'male') return m0 >= 0.107 ? 0.33 : 0.045 + 2.684 * m0;
  return m0 >= 0.107 ? 0.35 : 0.053 + 2.8 * m0;
}

/**
 * ₄a₁ from m(0) by the Coale–Demeny West rule (Preston, Heuveline & Guillot 2001, Table 3.3):
 * m0 ≥ 0.107 → 1.352 (male) / 1.361 (female), else 1.651 − 2.816·m0 (male) / 1.522 − 1.518·m0
 * (female).
 */
export function a1to4CoaleDemeny(m0: number, sex: Sex): number {
  if (sex === 'male') return m0 >= 0.107 ? 1.352 : 1.651 - 2.816 * m0;
  return m0 >= 0.107 ? 1.361 : 1.522 - 1.518 * m0;
}

/** a(0) by the chosen method. */
export function a0(m0: number, sex: Sex, method: A0Method = 'andreev-kingkade'): number {
  return method === 'coale-demeny' ? a0CoaleDemeny(m0, sex) : a0AndreevKingkade(m0, sex);
}

/**
 * A single-year life table, ages 0..ω with ω the open group ω+. All columns have ω + 1 entries.
 * S is the vector of projection survival ratios defined by the projection contract:
 * S(0) = L(0)/l(0), S(x) = L(x)/L(x−1) for 1 ≤ x < ω, S(ω) = L(ω)/(L(ω−1) + L(ω)).
 */
export type LifeTable = {
  openAge: number;
  radix: number;
  m: Float64Array;
  a: Float64Array;
  q: Float64Array;
  l: Float64Array;
  d: Float64Array;
  L: Float64Array;
  T: Float64Array;
  e: Float64Array;
  S: Float64Array;
};

/** Options of {@link lifeTable}. */
export type LifeTableOptions = {
  sex: Sex;
  /** a(0) rule; default Andreev–Kingkade (the contract's). */
  a0Method?: A0Method;
  /** l(0); default 1 (the contract's). */
  radix?: number;
  /** Extend old-age rates with the Kannisto model before building the table (to 130 by default). */
  kannisto?: KannistoOptions;
};

/** Checks m(x): finite, non-negative, last (open) rate positive. */
export function validateRates(m: ArrayLike<number>, path: ReadonlyArray<string | number> = []): Issue[] {
  const issues: Issue[] = [];
  if (m.length < 2) issues.push(issue('lifetable.invalid_rates', path, { reason: 'at least 2 ages' }));
  for (let x = 0; x < m.length; x++) {
    const v = m[x];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      issues.push(issue('lifetable.invalid_rates', [...path, x], { reason: `m(${x}) = ${String(v)}` }));
    }
  }
  if (m.length >= 2 && !(m[m.length - 1] > 0)) {
    issues.push(issue('lifetable.invalid_rates', [...path, m.length - 1], { reason: 'open-age rate is 0' }));
  }
  return issues;
}

/**
 * Builds a single-year life table from m(0..ω) (the last entry is the open group ω+), with the
 * contract's formulas (shared/specs/projection.md, after Preston, Heuveline & Guillot 2001 ch. 3
 * and the UN WPP methodology): q(x) = m/(1 + (1 − a)m), q(ω) = 1, l(x+1) = l(x)(1 − q(x)),
 * L(x) = l(x+1) + a(x)·d(x), L(ω) = l(ω)/m(ω), T(x) = Σ_{y≥x} L(y), e(x) = T(x)/l(x).
 * Returns issues instead of throwing when the rates are invalid.
 */
export function lifeTable(m: ArrayLike<number>, options: LifeTableOptions): Result<LifeTable> {
  const issues = validateRates(m);
  if (issues.length > 0) return { ok: false, issues };
  const rates = options.kannisto ? kannistoExtend(m, options.kannisto) : Float64Array.from(m);
  return { ok: true, value: buildLifeTable(rates, options), warnings: [] };
}

/** The table itself, rates assumed valid (see {@link lifeTable}). */
export function buildLifeTable(m: ArrayLike<number>, options: LifeTableOptions): LifeTable {
  const n = m.length;
  const w = n - 1;
  const radix = options.radix ?? 1;
  const t: LifeTable = {
    openAge: w,
    radix,
    m: Float64Array.from(m),
    a: new Float64Array(n),
    q: new Float64Array(n),
    l: new Float64Array(n),
    d: new Float64Array(n),
    L: new Float64Array(n),
    T: new Float64Array(n),
    e: new Float64Array(n),
    S: new Float64Array(n),
  };
  t.l[0] = radix;
  for (let x = 0; x < w; x++) {
    const ax = x === 0 ? a0(m[0], options.sex, options.a0Method) : 0.5;
    t.a[x] = ax;
    t.q[x] = m[x] / (1 + (1 - ax) * m[x]);
    t.l[x + 1] = t.l[x] * (1 - t.q[x]);
    t.d[x] = t.l[x] - t.l[x + 1];
    t.L[x] = t.l[x + 1] + ax * t.d[x];
  }
  t.q[w] = 1;
  t.d[w] = t.l[w];
  t.a[w] = 1 / m[w];
  t.L[w] = t.l[w] / m[w];
  let T = 0;
  for (let x = w; x >= 0; x--) {
    T += t.L[x];
    t.T[x] = T;
    t.e[x] = t.l[x] > 0 ? T / t.l[x] : 0;
  }
  survivalRatiosFromL(t.L, radix, t.S);
  return t;
}

/**
 * The contract's projection survival ratios from a single-year L column (radix l0):
 * S(0) = L(0)/l(0), S(x) = L(x)/L(x−1), S(ω) = L(ω)/(L(ω−1) + L(ω)). A zero denominator
 * (everyone dead) gives S = 0.
 */
export function survivalRatiosFromL(L: ArrayLike<number>, l0: number, out: Float64Array): Float64Array {
  const w = L.length - 1;
  out[0] = L[0] / l0;
  for (let x = 1; x < w; x++) out[x] = L[x - 1] > 0 ? L[x] / L[x - 1] : 0;
  const den = L[w - 1] + L[w];
  out[w] = den > 0 ? L[w] / den : 0;
  return out;
}

/**
 * Allocation-free kernel for hot loops (stochastic runs): fills `S` (length ω + 1) with the
 * contract's survival ratios for rates `m` and returns e(0). `L` is scratch space of the same
 * length. Same formulas as {@link buildLifeTable}, radix 1.
 */
export function survivalRatiosInto(
  m: ArrayLike<number>,
  sex: Sex,
  S: Float64Array,
  L: Float64Array,
  a0Method: A0Method = 'andreev-kingkade',
): number {
  const w = S.length - 1;
  let l = 1;
  let T = 0;
  for (let x = 0; x < w; x++) {
    const mx = m[x];
    const ax = x === 0 ? a0(mx, sex, a0Method) : 0.5;
    const q = mx / (1 + (1 - ax) * mx);
    const next = l * (1 - q);
    const Lx = next + ax * (l - next);
    L[x] = Lx;
    T += Lx;
    l = next;
  }
  L[w] = l / m[w];
  T += L[w];
  survivalRatiosFromL(L, 1, S);
  return T;
}

/** e(0) of a single-year schedule m(0..ω) under the contract's conventions. */
export function lifeExpectancyAtBirth(
  m: ArrayLike<number>,
  sex: Sex,
  a0Method: A0Method = 'andreev-kingkade',
): number {
  const w = m.length - 1;
  let l = 1;
  let T = 0;
  for (let x = 0; x < w; x++) {
    const mx = m[x];
    const ax = x === 0 ? a0(mx, sex, a0Method) : 0.5;
    const q = mx / (1 + (1 - ax) * mx);
    const next = l * (1 - q);
    T += next + ax * (l - next);
    l = next;
  }
  return T + l / m[w];
}

/**
 * Survival ratios for a projection with open group ω taken from a longer life table (e.g. one
 * extended to 130 by Kannisto): below ω as usual, and S(ω) = T(ω)/(L(ω−1) + T(ω)), treating
 * ω+ as one group whose L is T(ω) (UN WPP practice of closing the projection at 100+ with a
 * table that runs further).
 */
export function survivalRatiosForOpenAge(table: LifeTable, openAge: number): Float64Array {
  if (openAge > table.openAge) throw new RangeError('openAge beyond the table');
  const L = new Float64Array(openAge + 1);
  for (let x = 0; x < openAge; x++) L[x] = table.L[x];
  L[openAge] = table.T[openAge];
  return survivalRatiosFromL(L, table.radix, new Float64Array(openAge + 1));
}

/** Options of the Kannisto old-age extension. */
export type KannistoOptions = {
  /** First age used in the fit (default 80). */
  fitFrom?: number;
  /** Last age used in the fit (default ω − 1, the last closed age). */
  fitTo?: number;
  /** First age whose rate is replaced by the fitted curve (default ω, the open age). */
  replaceFrom?: number;
  /** New open age (default 130). */
  toAge?: number;
};

/** Fitted Kannisto parameters: μ(x) = a·e^{b x} / (1 + a·e^{b x}). */
export type KannistoParameters = { a: number; b: number };

/**
 * Fits the Kannisto logistic model μ(x) = a·e^{bx}/(1 + a·e^{bx}) (Kannisto 1994; Thatcher,
 * Kannisto & Vaupel 1998) by ordinary least squares on logit m(x) = ln a + b·x over the ages
 * fitFrom..fitTo (rates ≥ 1 or ≤ 0 are skipped, the logit being undefined there).
 */
export function kannistoFit(m: ArrayLike<number>, fitFrom: number, fitTo: number): KannistoParameters {
  let n = 0;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  for (let x = fitFrom; x <= fitTo && x < m.length; x++) {
    const v = m[x];
    if (!(v > 0 && v < 1)) continue;
    const y = Math.log(v / (1 - v));
    n++;
    sx += x;
    sy += y;
    sxx += x * x;
    sxy += x * y;
  }
  if (n < 2) return { a: Number.NaN, b: Number.NaN };
  const b = (n * sxy - sx * sy) / (n * sxx - sx * sx);
  const lnA = (sy - b * sx) / n;
  return { a: Math.exp(lnA), b };
}

/** The Kannisto hazard at age x. */
export function kannistoRate(p: KannistoParameters, x: number): number {
  const z = p.a * Math.exp(p.b * x);
  return z / (1 + z);
}

/**
 * Extends m(x) to a new open age (default 130) with the fitted Kannisto curve, as in UN WPP
 * (United Nations 2022, WPP methodology report §on old-age mortality). Ages below `replaceFrom`
 * keep their rates; from there to `toAge` the fitted μ(x) is used (the open group toAge+ gets
 * μ(toAge)). If the fit fails (fewer than two usable ages), the last rate is carried forward.
 */
export function kannistoExtend(m: ArrayLike<number>, options: KannistoOptions = {}): Float64Array {
  const w = m.length - 1;
  const fitFrom = options.fitFrom ?? 80;
  const fitTo = options.fitTo ?? w - 1;
  const replaceFrom = options.replaceFrom ?? w;
  const toAge = options.toAge ?? 130;
  const p = kannistoFit(m, fitFrom, fitTo);
  const out = new Float64Array(toAge + 1);
  for (let x = 0; x <= toAge; x++) {
    if (x < replaceFrom && x <= w) out[x] = m[x];
    else if (Number.isFinite(p.a) && Number.isFinite(p.b) && p.b > 0) out[x] = kannistoRate(p, x);
    else out[x] = m[Math.min(x, w)];
  }
  return out;
}

/** How the separation factors nax of an abridged table are obtained. */
export type AxMethod = 'un' | 'andreev-kingkade' | 'coale-demeny' | 'midpoint';

/** Options of {@link abridgedLifeTable}. */
export type AbridgedOptions = {
  sex: Sex;
  /** Default 'un' (UN 1982 Model Life Tables / MORTPAK). */
  axMethod?: AxMethod;
  /** l(0); default 100000 (the published tables'). */
  radix?: number;
  /**
   * Start ages of the groups; default the standard 0, 1, 5, 10, …, the last being open.
   */
  ages?: number[];
};

/** An abridged life table; `n` is the width of each group (Infinity for the open group). */
export type AbridgedLifeTable = {
  ages: number[];
  n: number[];
  radix: number;
  m: number[];
  a: number[];
  q: number[];
  l: number[];
  d: number[];
  L: number[];
  T: number[];
  e: number[];
};

/**
 * The UN (1982) separation factors: a(0) and ₄a₁ from the Coale–Demeny West rules on m0, 2.5
 * for 5–9 and 10–14, and from 15 on Greville's formula as in MORTPAK LIFETB:
 * ₙaₓ = 2.5 − (25/12)(ₙmₓ − k), k = (1/10)·ln(ₙmₓ₊₅/ₙmₓ₋₅); the last closed group reuses
 * the k of the group before it (there is no rate beyond the open group), and from age 45 a
 * factor below 0.97 is raised to 0.97 (the Kannisto constant-hazard value MORTPAK and bayesPop
 * use). United Nations (1982), Model Life Tables for Developing Countries, p. 31; Greville
 * (1977).
 */
export function axUn(m: number[], ages: number[], sex: Sex): number[] {
  const N = m.length;
  const ax: number[] = new Array(N).fill(2.5);
  ax[0] = a0CoaleDemeny(m[0], sex);
  if (N > 1) ax[1] = a1to4CoaleDemeny(m[0], sex);
  let k = 0;
  for (let i = 2; i < N - 1; i++) {
    if (ages[i] < 15) {
      ax[i] = 2.5;
      continue;
    }
    if (i < N - 2) k = 0.1 * Math.log(m[i + 1] / Math.max(m[i - 1], Number.MIN_VALUE));
    else if (i === N - 2 && i - 1 >= 2 && ages[i - 1] < 15) {
      k = 0.1 * Math.log(m[i] / Math.max(m[i - 2], Number.MIN_VALUE));
    }
    let a = 2.5 - (25 / 12) * (m[i] - k);
    if (ages[i] >= 45 && a < 0.97) a = 0.97;
    ax[i] = a;
  }
  ax[N - 1] = 1 / m[N - 1];
  return ax;
}

/** Checks the ages of an abridged table: starts at 0, increasing. */
function defaultAbridgedAges(count: number): number[] {
  const ages = [0];
  if (count > 1) ages.push(1);
  for (let i = 2; i < count; i++) ages.push(5 * (i - 1));
  return ages;
}

/**
 * An abridged life table from ₙmₓ (Preston, Heuveline & Guillot 2001, §3.3):
 * ₙqₓ = n·ₙmₓ/(1 + (n − ₙaₓ)·ₙmₓ), ₙdₓ = lₓ·ₙqₓ, ₙLₓ = n·lₓ₊ₙ + ₙaₓ·ₙdₓ, open group L = l/m,
 * T and e as usual. Separation factors by {@link AxMethod}: 'un' (default, {@link axUn}),
 * 'andreev-kingkade' (a0 by Andreev–Kingkade 2015, ₄a₁ by Coale–Demeny, n/2 above),
 * 'coale-demeny' (a0, ₄a₁ by Coale–Demeny, n/2 above) or 'midpoint' (n/2 everywhere).
 */
export function abridgedLifeTable(nMx: number[], options: AbridgedOptions): Result<AbridgedLifeTable> {
  const issues = validateRates(nMx);
  const ages = options.ages ?? defaultAbridgedAges(nMx.length);
  if (ages.length !== nMx.length || ages[0] !== 0 || ages.some((a, i) => i > 0 && a <= ages[i - 1])) {
    issues.push(issue('lifetable.invalid_ages', ['ages'], { reason: 'must start at 0 and increase' }));
  }
  if (issues.length > 0) return { ok: false, issues };
  const N = nMx.length;
  const n = ages.map((a, i) => (i < N - 1 ? ages[i + 1] - a : Number.POSITIVE_INFINITY));
  const sex = options.sex;
  const method = options.axMethod ?? 'un';
  let ax: number[];
  if (method === 'un') ax = axUn(nMx, ages, sex);
  else {
    ax = n.map((w) => w / 2);
    if (method === 'andreev-kingkade') ax[0] = a0AndreevKingkade(nMx[0], sex);
    if (method === 'coale-demeny') ax[0] = a0CoaleDemeny(nMx[0], sex);
    if (method !== 'midpoint' && n[0] === 1 && n[1] === 4) ax[1] = a1to4CoaleDemeny(nMx[0], sex);
    ax[N - 1] = 1 / nMx[N - 1];
  }
  const radix = options.radix ?? 100000;
  const q: number[] = new Array(N);
  const l: number[] = new Array(N);
  const d: number[] = new Array(N);
  const L: number[] = new Array(N);
  const T: number[] = new Array(N);
  const e: number[] = new Array(N);
  l[0] = radix;
  for (let i = 0; i < N - 1; i++) {
    q[i] = Math.min(1, (n[i] * nMx[i]) / (1 + (n[i] - ax[i]) * nMx[i]));
    d[i] = l[i] * q[i];
    l[i + 1] = l[i] - d[i];
    L[i] = n[i] * l[i + 1] + ax[i] * d[i];
  }
  q[N - 1] = 1;
  d[N - 1] = l[N - 1];
  L[N - 1] = l[N - 1] / nMx[N - 1];
  let acc = 0;
  for (let i = N - 1; i >= 0; i--) {
    acc += L[i];
    T[i] = acc;
    e[i] = l[i] > 0 ? acc / l[i] : 0;
  }
  return { ok: true, value: { ages, n, radix, m: [...nMx], a: ax, q, l, d, L, T, e }, warnings: [] };
}

/**
 * Survival ratios for a projection in 5-year groups and 5-year steps (Preston, Heuveline &
 * Guillot 2001, §6.3 and Box 6.2) from an abridged table: the first two groups merge into
 * ₅L₀ = ₁L₀ + ₄L₁; S(birth) = ₅L₀/(5·l₀); S(x) = ₅Lₓ/₅Lₓ₋₅; open S = L(ω+)/(₅L_{ω−5} + L(ω+)).
 */
export function fiveYearSurvivalRatios(table: AbridgedLifeTable): Float64Array {
  const L5: number[] = [];
  if (table.ages[1] === 1 && table.ages[2] === 5) {
    L5.push(table.L[0] + table.L[1]);
    for (let i = 2; i < table.L.length; i++) L5.push(table.L[i]);
  } else L5.push(...table.L);
  return survivalRatiosFromNL(L5, table.radix, 5);
}

/**
 * Survival ratios for groups of width n from ₙLₓ (the last value the open group):
 * S(birth) = ₙL₀/(n·l₀), S(x) = ₙLₓ/ₙLₓ₋ₙ, S(ω) = L(ω+)/(ₙL_{ω−n} + L(ω+)) — Preston,
 * Heuveline & Guillot (2001) Box 6.2.
 */
export function survivalRatiosFromNL(nLx: ArrayLike<number>, l0: number, width: number): Float64Array {
  const out = survivalRatiosFromL(nLx, l0, new Float64Array(nLx.length));
  out[0] = nLx[0] / (width * l0);
  return out;
}
