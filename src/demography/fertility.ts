/**
 * Fertility schedules from a TFR path and an age pattern: ASFR(x, t) = TFR(t)·g(x) with g a
 * normalised age pattern (Σ g = 1), the decomposition used by UN WPP to turn projected TFR into
 * age-specific rates (United Nations 2022, WPP methodology report, fertility chapter), and births
 * split by order where parity shares are given.
 */
import { type Issue, issue, type Result } from './issues.ts';
import { interpolatePath, type PathPoint } from './mortality.ts';

/**
 * Normalises a non-negative age pattern to sum 1 (the proportionate ASFR pattern, PASFR).
 * Returns `fertility.invalid_shape` for negative or non-finite entries or a zero sum.
 */
export function normalizeShape(shape: ArrayLike<number>): Result<Float64Array> {
  let total = 0;
  const issues: Issue[] = [];
  for (let i = 0; i < shape.length; i++) {
    const v = shape[i];
    if (!(Number.isFinite(v) && v >= 0))
      issues.push(issue('fertility.invalid_shape', [i], { reason: `value ${String(v)}` }));
    else total += v;
  }
  if (issues.length === 0 && !(total > 0))
    issues.push(issue('fertility.invalid_shape', [], { reason: 'sum is 0' }));
  if (issues.length > 0) return { ok: false, issues };
  const out = new Float64Array(shape.length);
  for (let i = 0; i < shape.length; i++) out[i] = shape[i] / total;
  return { ok: true, value: out, warnings: [] };
}

/**
 * ASFR = TFR · g(x) / width for a normalised pattern g (width 1 for single years, 5 for 5-year
 * groups, since TFR = width·Σ ASFR).
 */
export function asfrFromTfr(normalizedShape: ArrayLike<number>, tfr: number, width = 1): Float64Array {
  const out = new Float64Array(normalizedShape.length);
  for (let i = 0; i < out.length; i++) out[i] = (tfr * normalizedShape[i]) / width;
  return out;
}

/** One year of a fertility scenario. */
export type FertilityScenarioYear = { year: number; tfr: number; asfr: Float64Array };

/**
 * Per-year ASFR from a TFR path (linear between points, flat outside) and an age pattern
 * (normalised here). Example: TFR 1.0 in 2024 rising to 1.2 by 2035.
 */
export function fertilityScenario(
  shape: ArrayLike<number>,
  tfrPath: readonly PathPoint[],
  years: readonly number[],
): Result<FertilityScenarioYear[]> {
  const g = normalizeShape(shape);
  if (!g.ok) return g;
  const sorted = [...tfrPath].sort((p, q) => p.year - q.year);
  const out: FertilityScenarioYear[] = [];
  for (const year of years) {
    const tfr = interpolatePath(sorted, year);
    if (!(Number.isFinite(tfr) && tfr >= 0))
      return {
        ok: false,
        issues: [issue('fertility.invalid_shape', ['tfr', year], { reason: `TFR ${tfr}` })],
      };
    out.push({ year, tfr, asfr: asfrFromTfr(g.value, tfr) });
  }
  return { ok: true, value: out, warnings: [] };
}

/**
 * The Hadwiger (1940) fertility curve as parameterised by Chandola, Coleman & Hiorns (1999):
 * f(x) = (H·T/(R·√π))·(R/x)^{3/2}·exp(−T²·(R/x + x/R − 2)); H is the TFR, R and T shape the
 * location and spread (defaults give a late, narrow pattern with mean age near 30, as in
 * Kunming in the 2020s). Returns the values at the given ages.
 */
export function hadwiger(
  ages: readonly number[],
  params: { H?: number; R?: number; T?: number } = {},
): Float64Array {
  const H = params.H ?? 1;
  const R = params.R ?? 29.5;
  const T = params.T ?? 3.6;
  const out = new Float64Array(ages.length);
  ages.forEach((age, i) => {
    const x = age + 0.5;
    out[i] = ((H * T) / (R * Math.sqrt(Math.PI))) * (R / x) ** 1.5 * Math.exp(-T * T * (R / x + x / R - 2));
  });
  return out;
}

/** The default single-year age pattern for ages 15..49 (normalised Hadwiger, defaults above). */
export const DEFAULT_FERTILITY_AGES = { startAge: 15, endAge: 49 } as const;

/** Normalised default pattern for ages 15..49 ({@link hadwiger} with default parameters). */
export function defaultFertilityShape(): Float64Array {
  const ages = Array.from({ length: 35 }, (_, i) => 15 + i);
  const r = normalizeShape(hadwiger(ages));
  return r.ok ? r.value : new Float64Array(35);
}

/**
 * Births split by order from parity shares (share[i] = fraction of births of order i + 1, the
 * last being "this order or higher"): births × share. Shares must be non-negative and sum to 1
 * (±1e-9), else `fertility.invalid_shares`. `births` may be a total or an array (e.g. by age, in
 * which case `shares` may be one row per entry).
 */
export function birthsByOrder(
  births: number | readonly number[],
  shares: readonly number[] | readonly (readonly number[])[],
): Result<number[] | number[][]> {
  const rows: readonly (readonly number[])[] = Array.isArray(shares[0])
    ? (shares as readonly (readonly number[])[])
    : [shares as readonly number[]];
  const issues: Issue[] = [];
  rows.forEach((row, r) => {
    let s = 0;
    for (const v of row) {
      if (!(Number.isFinite(v) && v >= 0))
        issues.push(issue('fertility.invalid_shares', [r], { sum: Number.NaN }));
      s += v;
    }
    if (Math.abs(s - 1) > 1e-9) issues.push(issue('fertility.invalid_shares', [r], { sum: s }));
  });
  if (typeof births !== 'number' && rows.length !== 1 && rows.length !== births.length)
    issues.push(issue('fertility.invalid_shares', [], { sum: 'one row of shares per entry of births' }));
  if (issues.length > 0) return { ok: false, issues };
  if (typeof births === 'number') return { ok: true, value: rows[0].map((v) => births * v), warnings: [] };
  return {
    ok: true,
    value: births.map((b, i) => (rows.length === 1 ? rows[0] : rows[i]).map((v) => b * v)),
    warnings: [],
  };
}
