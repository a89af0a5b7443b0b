import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  a0AndreevKingkade,
  a0CoaleDemeny,
  abridgedLifeTable,
  buildLifeTable,
  fiveYearSurvivalRatios,
  kannistoExtend,
  kannistoFit,
  kannistoRate,
  lifeExpectancyAtBirth,
  lifeTable,
  survivalRatiosForOpenAge,
  survivalRatiosInto,
} from './life-table.ts';
import { syntheticMortality } from './synthetic.ts';

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../../shared/specs/fixtures/${name}`, import.meta.url), 'utf8'));

describe('UN (1982) model life table example', () => {
  const f = fixture('un-1982-life-table.json') as { nMx: number[]; expected_ex: number[]; sex: 'male' };

  it('reproduces e(x) within 0.005 years for ages 0..60-64', () => {
    const r = abridgedLifeTable(f.nMx, { sex: f.sex, axMethod: 'un' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    for (let i = 0; i < 14; i++) expect(Math.abs(r.value.e[i] - f.expected_ex[i])).toBeLessThan(0.005);
    expect(r.value.ages[13]).toBe(60);
  });

  it('uses the published separation factors (Coale–Demeny under 5, Greville above)', () => {
    const r = abridgedLifeTable(f.nMx, { sex: 'male' });
    if (!r.ok) throw new Error('invalid');
    const published = [
      0.33, 1.352, 2.5, 2.5, 2.633, 2.586, 2.528, 2.528, 2.526, 2.529, 2.531, 2.538, 2.542, 2.543, 2.52,
      2.461, 2.386, 2.295, 4.211,
    ];
    r.value.a.forEach((a, i) => {
      expect(a).toBeCloseTo(published[i], 3);
    });
  });

  it('has consistent columns: Σd = l0, T(0) = ΣL, open L = l/m', () => {
    const r = abridgedLifeTable(f.nMx, { sex: 'male', axMethod: 'andreev-kingkade' });
    if (!r.ok) throw new Error('invalid');
    const t = r.value;
    expect(t.d.reduce((a, b) => a + b, 0)).toBeCloseTo(t.radix, 6);
    expect(t.T[0]).toBeCloseTo(
      t.L.reduce((a, b) => a + b, 0),
      6,
    );
    const last = t.l.length - 1;
    expect(t.L[last]).toBeCloseTo(t.l[last] / t.m[last], 9);
    const s = fiveYearSurvivalRatios(t);
    expect(s.length).toBe(t.L.length - 1);
    expect(s[0]).toBeCloseTo((t.L[0] + t.L[1]) / (5 * t.radix), 12);
  });

  it('returns issues for bad rates and bad ages instead of throwing', () => {
    const r = abridgedLifeTable([0.1, -1, 0.2], { sex: 'female' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues[0].code).toBe('lifetable.invalid_rates');
    const r2 = abridgedLifeTable([0.1, 0.1, 0.2], { sex: 'female', ages: [0, 5, 1] });
    expect(r2.ok).toBe(false);
    if (!r2.ok) expect(r2.issues.some((i) => i.code === 'lifetable.invalid_ages')).toBe(true);
  });
});

describe('a(0) rules', () => {
  it('Andreev–Kingkade (2015) piecewise by sex, as in the contract', () => {
    expect(a0AndreevKingkade(0.01, 'male')).toBeCloseTo(0.14929 - 1.99545 * 0.01, 12);
    expect(a0AndreevKingkade(0.05, 'male')).toBeCloseTo(0.02832 + 3.26021 * 0.05, 12);
    expect(a0AndreevKingkade(0.1, 'male')).toBe(0.29915);
    expect(a0AndreevKingkade(0.01, 'female')).toBeCloseTo(0.14903 - 2.05527 * 0.01, 12);
    expect(a0AndreevKingkade(0.05, 'female')).toBeCloseTo(0.04667 + 3.88089 * 0.05, 12);
    expect(a0AndreevKingkade(0.07, 'female')).toBe(0.31411);
  });
  it('Coale–Demeny West', () => {
    expect(a0CoaleDemeny(0.2, 'male')).toBe(0.33);
    expect(a0CoaleDemeny(0.01, 'female')).toBeCloseTo(0.053 + 0.028, 12);
  });
});

describe('single-year life table (contract conventions)', () => {
  const m = syntheticMortality('female', 81.45);

  it('follows the formulas of projection.md', () => {
    const r = lifeTable(m, { sex: 'female' });
    if (!r.ok) throw new Error('invalid');
    const t = r.value;
    const w = t.openAge;
    expect(t.l[0]).toBe(1);
    const a0 = a0AndreevKingkade(m[0], 'female');
    expect(t.q[0]).toBeCloseTo(m[0] / (1 + (1 - a0) * m[0]), 15);
    expect(t.q[30]).toBeCloseTo(m[30] / (1 + 0.5 * m[30]), 15);
    expect(t.L[w]).toBeCloseTo(t.l[w] / m[w], 15);
    expect(t.e[0]).toBeCloseTo(81.45, 6);
    expect(t.S[0]).toBeCloseTo(t.L[0], 15);
    expect(t.S[40]).toBeCloseTo(t.L[40] / t.L[39], 15);
    expect(t.S[w]).toBeCloseTo(t.L[w] / (t.L[w - 1] + t.L[w]), 15);
    expect(t.d.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it('the allocation-free kernel agrees with the full table', () => {
    const t = buildLifeTable(m, { sex: 'female', a0Method: 'coale-demeny' });
    const S = new Float64Array(m.length);
    const e0 = survivalRatiosInto(m, 'female', S, new Float64Array(m.length), 'coale-demeny');
    expect(e0).toBeCloseTo(t.e[0], 12);
    expect(lifeExpectancyAtBirth(m, 'female', 'coale-demeny')).toBeCloseTo(t.e[0], 12);
    S.forEach((s, i) => {
      expect(s).toBeCloseTo(t.S[i], 14);
    });
  });

  it('rejects a zero open-age rate', () => {
    const bad = Array.from(m);
    bad[bad.length - 1] = 0;
    const r = lifeTable(bad, { sex: 'male' });
    expect(r.ok).toBe(false);
  });
});

describe('Kannisto extension to 130', () => {
  it('recovers the parameters of an exact Kannisto curve', () => {
    const p = { a: 0.00005, b: 0.11 };
    const m = Array.from({ length: 101 }, (_, x) => kannistoRate(p, x));
    const fit = kannistoFit(m, 80, 99);
    expect(fit.a).toBeCloseTo(p.a, 10);
    expect(fit.b).toBeCloseTo(p.b, 10);
  });

  it('extends rates to 130 and closes the projection at 100+ with T(100)', () => {
    const m = syntheticMortality('male', 76.78);
    const ext = kannistoExtend(m);
    expect(ext.length).toBe(131);
    for (let x = 0; x < 100; x++) expect(ext[x]).toBe(m[x]);
    for (let x = 100; x < 130; x++) expect(ext[x + 1]).toBeGreaterThan(ext[x]);
    expect(ext[130]).toBeLessThan(1);
    const r = lifeTable(m, { sex: 'male', kannisto: {} });
    if (!r.ok) throw new Error('invalid');
    expect(r.value.openAge).toBe(130);
    const S = survivalRatiosForOpenAge(r.value, 100);
    expect(S.length).toBe(101);
    expect(S[100]).toBeCloseTo(r.value.T[100] / (r.value.L[99] + r.value.T[100]), 14);
    expect(Math.abs(r.value.e[0] - 76.78)).toBeLessThan(0.2);
  });
});
