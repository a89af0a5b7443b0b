import { describe, expect, it } from 'vitest';
import { lifeExpectancyAtBirth } from './life-table.ts';
import {
  e0AtK,
  fitLeeCarter,
  interpolatePath,
  leeCarterFromSchedule,
  leeCarterRates,
  mortalityScenario,
  mortalityScenarioBothSexes,
  solveK,
} from './mortality.ts';
import { syntheticMortality } from './synthetic.ts';

describe('Lee–Carter e(0) solver', () => {
  const mf = syntheticMortality('female', 81.45);
  const mm = syntheticMortality('male', 76.78);

  it('hits targets to within 0.01 years', () => {
    const model = leeCarterFromSchedule(mf);
    for (const target of [60, 75, 81.45, 85, 90]) {
      const r = solveK(model, target, 'female', { tolerance: 0.001 });
      expect(r.ok).toBe(true);
      if (!r.ok) continue;
      expect(Math.abs(r.value.e0 - target)).toBeLessThan(0.01);
      expect(Math.abs(lifeExpectancyAtBirth(r.value.m, 'female') - target)).toBeLessThan(0.01);
    }
  });

  it('reports an unreachable target as an issue', () => {
    // b = 0 everywhere: e(0) cannot move.
    const frozen = leeCarterFromSchedule(mm, new Float64Array(mm.length));
    const r = solveK(frozen, 80, 'male');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues[0].code).toBe('mortality.target_unreachable');
    expect(solveK(leeCarterFromSchedule(mm), Number.NaN, 'male').ok).toBe(false);
  });

  it('k = 0 reproduces the anchor schedule', () => {
    const model = leeCarterFromSchedule(mm);
    leeCarterRates(model, 0).forEach((v, x) => {
      expect(v).toBeCloseTo(mm[x], 14);
    });
    expect(e0AtK(model, 0, 'male')).toBeCloseTo(76.78, 6);
  });

  it('"e0 rises to 82 by 2035": linear targets, per-year schedules, flat afterwards', () => {
    const model = leeCarterFromSchedule(mf);
    const years = Array.from({ length: 21 }, (_, i) => 2020 + i);
    const r = mortalityScenario(
      model,
      'female',
      [
        { year: 2020, value: 79 },
        { year: 2035, value: 82 },
      ],
      years,
    );
    if (!r.ok) throw new Error('unexpected');
    expect(r.value.length).toBe(21);
    expect(r.value[0].target).toBe(79);
    expect(r.value[5].target).toBeCloseTo(80, 12);
    expect(r.value[15].target).toBe(82);
    expect(r.value[20].target).toBe(82);
    for (const y of r.value)
      expect(Math.abs(lifeExpectancyAtBirth(y.m, 'female') - y.target)).toBeLessThan(0.01);
    for (let i = 1; i <= 15; i++) expect(r.value[i].k).toBeLessThan(r.value[i - 1].k);
  });

  it('both-sexes scenario shifts both sexes equally', () => {
    const years = [2020, 2025, 2035];
    const r = mortalityScenarioBothSexes(
      { female: leeCarterFromSchedule(mf), male: leeCarterFromSchedule(mm) },
      2020,
      [{ year: 2035, value: 82 }],
      years,
    );
    if (!r.ok) throw new Error('unexpected');
    const base = (81.45 + 1.06 * 76.78) / 2.06;
    expect(r.value.bothSexes[0].value).toBeCloseTo(base, 6);
    expect(r.value.bothSexes[2].value).toBeCloseTo(82, 9);
    const shiftF = r.value.female[2].e0 - 81.45;
    const shiftM = r.value.male[2].e0 - 76.78;
    expect(Math.abs(shiftF - shiftM)).toBeLessThan(0.01);
  });

  it('interpolates paths linearly, flat outside', () => {
    const p = [
      { year: 2020, value: 1 },
      { year: 2030, value: 2 },
    ];
    expect(interpolatePath(p, 2010)).toBe(1);
    expect(interpolatePath(p, 2025)).toBe(1.5);
    expect(interpolatePath(p, 2040)).toBe(2);
  });
});

describe('fitLeeCarter', () => {
  it('recovers a, b, k from an exact rank-1 log surface', () => {
    const n = 20;
    const a = Array.from({ length: n }, (_, x) => -8 + 0.08 * x * 5);
    const bRaw = Array.from({ length: n }, (_, x) => 1 + Math.sin(x / 3) * 0.5);
    const sb = bRaw.reduce((s, v) => s + v, 0);
    const b = bRaw.map((v) => v / sb);
    const k = [12, 7, 3, 0, -4, -8, -10];
    const rates = k.map((kt) => a.map((ax, x) => Math.exp(ax + b[x] * kt)));
    const r = fitLeeCarter(rates);
    if (!r.ok) throw new Error('unexpected');
    const kMean = k.reduce((s, v) => s + v, 0) / k.length;
    r.value.b.forEach((v, x) => {
      expect(v).toBeCloseTo(b[x], 9);
    });
    r.value.k.forEach((v, t) => {
      expect(v).toBeCloseTo(k[t] - kMean, 7);
    });
  });

  it('rejects non-positive rates', () => {
    expect(
      fitLeeCarter([
        [0.1, 0],
        [0.1, 0.2],
      ]).ok,
    ).toBe(false);
  });
});
