import { describe, expect, it } from 'vitest';
import { planProjection, projectPlan } from './projection.ts';
import { Xoshiro128 } from './random.ts';
import { PROBABILISTIC_METRICS, quantileSorted, runProbabilistic } from './stochastic.ts';
import { kunmingLikeInput } from './synthetic.ts';

describe('Xoshiro128 PRNG', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const a = new Xoshiro128(42);
    const b = new Xoshiro128(42);
    const c = new Xoshiro128(43);
    const xs = Array.from({ length: 5 }, () => a.nextUint32());
    expect(Array.from({ length: 5 }, () => b.nextUint32())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.nextUint32())).not.toEqual(xs);
  });

  it('gives uniforms in [0, 1) and standard normals with mean ≈ 0, s.d. ≈ 1', () => {
    const r = new Xoshiro128(7);
    let s = 0;
    let s2 = 0;
    const N = 100_000;
    for (let i = 0; i < N; i++) {
      const u = r.nextFloat();
      expect(u >= 0 && u < 1).toBe(true);
      const z = r.normal();
      s += z;
      s2 += z * z;
    }
    expect(Math.abs(s / N)).toBeLessThan(0.02);
    expect(Math.abs(Math.sqrt(s2 / N) - 1)).toBeLessThan(0.02);
  });
});

describe('probabilistic projection', () => {
  const input = kunmingLikeInput({ horizon: 15 });
  const plan = planProjection(input);

  it('intervals nest and contain the median; the median tracks the deterministic run', () => {
    const r = runProbabilistic(plan, { trajectories: 400, seed: 11 });
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    expect(r.value.years.length).toBe(15);
    const det = projectPlan(plan);
    for (const [k, y] of r.value.years.entries()) {
      for (const m of PROBABILISTIC_METRICS) {
        const v = y[m];
        expect(v.lower95).toBeLessThanOrEqual(v.lower80);
        expect(v.lower80).toBeLessThanOrEqual(v.median);
        expect(v.median).toBeLessThanOrEqual(v.upper80);
        expect(v.upper80).toBeLessThanOrEqual(v.upper95);
      }
      const tot =
        det.years[k].population.female.reduce((a, b) => a + b, 0) +
        det.years[k].population.male.reduce((a, b) => a + b, 0);
      expect(Math.abs(y.totalPopulation.median - tot) / tot).toBeLessThan(0.005);
      expect(y.tfr.median).toBeCloseTo(1, 1);
    }
    expect(r.value.years[14].births.upper95 - r.value.years[14].births.lower95).toBeGreaterThan(
      r.value.years[0].births.upper95 - r.value.years[0].births.lower95,
    );
  });

  it('hits the e(0) deviations it draws (median e0 near the scenario)', () => {
    const r = runProbabilistic(plan, { trajectories: 200, seed: 3 });
    if (!r.ok) throw new Error('unexpected');
    expect(Math.abs(r.value.years[5].e0Female.median - 81.45)).toBeLessThan(0.3);
  });

  it('the same seed gives identical output; another seed differs', () => {
    const a = runProbabilistic(plan, { trajectories: 50, seed: 99 });
    const b = runProbabilistic(plan, { trajectories: 50, seed: 99 });
    const c = runProbabilistic(plan, { trajectories: 50, seed: 100 });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(JSON.stringify(a)).not.toBe(JSON.stringify(c));
  });

  it('with sigma 0 every trajectory equals the deterministic projection', () => {
    const r = runProbabilistic(plan, {
      trajectories: 5,
      seed: 1,
      parameters: { tfr: { rho: 0.5, sigma: 0 }, e0: { rho: 0.5, sigma: 0 } },
    });
    if (!r.ok) throw new Error('unexpected');
    const det = projectPlan(plan);
    const y = r.value.years[9];
    const tot =
      det.years[9].population.female.reduce((a, b) => a + b, 0) +
      det.years[9].population.male.reduce((a, b) => a + b, 0);
    expect(y.totalPopulation.lower95).toBeCloseTo(tot, 3);
    expect(y.totalPopulation.upper95).toBeCloseTo(tot, 3);
  });

  it('returns issues for invalid options', () => {
    const r = runProbabilistic(plan, {
      trajectories: 0,
      seed: 1.5,
      parameters: { tfr: { rho: 1, sigma: 0.1 }, e0: { rho: 0, sigma: -1 } },
    });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues.length).toBe(4);
  });

  it('is fast: 1,000 city trajectories × 30 years well under 2 s', () => {
    const plan30 = planProjection(kunmingLikeInput({ horizon: 30 }));
    const t0 = performance.now();
    const r = runProbabilistic(plan30, { trajectories: 1000, seed: 5 });
    const ms = performance.now() - t0;
    expect(r.ok).toBe(true);
    expect(ms).toBeLessThan(4000);
  });
});

describe('quantileSorted (type 7)', () => {
  it('interpolates linearly', () => {
    const s = [1, 2, 3, 4, 5];
    expect(quantileSorted(s, 0.5)).toBe(3);
    expect(quantileSorted(s, 0.1)).toBeCloseTo(1.4, 12);
    expect(quantileSorted(s, 1)).toBe(5);
  });
});
