import { describe, expect, it } from 'vitest';
import {
  asfrFromTfr,
  birthsByOrder,
  defaultFertilityShape,
  fertilityScenario,
  hadwiger,
  normalizeShape,
} from './fertility.ts';
import {
  migrationByAge,
  ROGERS_CASTRO_STANDARD,
  ROGERS_CASTRO_WITH_RETIREMENT,
  rogersCastro,
} from './migration.ts';

const sum = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0);

describe('fertility from a TFR path and an age pattern', () => {
  it('normalises the shape and scales it to the TFR', () => {
    const g = normalizeShape([1, 2, 3, 2, 1]);
    if (!g.ok) throw new Error('unexpected');
    expect(sum(g.value)).toBeCloseTo(1, 15);
    expect(sum(asfrFromTfr(g.value, 1.2))).toBeCloseTo(1.2, 14);
    expect(5 * sum(asfrFromTfr(g.value, 1.2, 5))).toBeCloseTo(1.2, 14);
  });

  it('rejects negative or all-zero shapes', () => {
    expect(normalizeShape([1, -1]).ok).toBe(false);
    expect(normalizeShape([0, 0]).ok).toBe(false);
  });

  it('builds per-year ASFR with TFR interpolated linearly', () => {
    const r = fertilityScenario(
      defaultFertilityShape(),
      [
        { year: 2024, value: 1.0 },
        { year: 2034, value: 1.2 },
      ],
      [2024, 2029, 2034, 2040],
    );
    if (!r.ok) throw new Error('unexpected');
    expect(r.value.map((y) => y.tfr)).toEqual([1.0, 1.1, 1.2, 1.2]);
    expect(sum(r.value[1].asfr)).toBeCloseTo(1.1, 12);
  });

  it('has a plausible default pattern (peak near 29–31, mean age near 30)', () => {
    const g = defaultFertilityShape();
    expect(g.length).toBe(35);
    const peak = 15 + g.indexOf(Math.max(...g));
    expect(peak).toBeGreaterThanOrEqual(27);
    expect(peak).toBeLessThanOrEqual(31);
    const mean = Array.from(g).reduce((s, v, i) => s + v * (15 + i + 0.5), 0);
    expect(mean).toBeGreaterThan(28);
    expect(mean).toBeLessThan(32);
    expect(sum(hadwiger([20, 30], { H: 2 }))).toBeGreaterThan(0);
  });

  it('splits births by order', () => {
    const r = birthsByOrder(1000, [0.5, 0.4, 0.1]);
    if (!r.ok) throw new Error('unexpected');
    expect(r.value).toEqual([500, 400, 100]);
    const byAge = birthsByOrder(
      [100, 200],
      [
        [1, 0, 0],
        [0.5, 0.5, 0],
      ],
    );
    if (!byAge.ok) throw new Error('unexpected');
    expect(byAge.value).toEqual([
      [100, 0, 0],
      [100, 100, 0],
    ]);
    const bad = birthsByOrder(10, [0.5, 0.4]);
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.issues[0].code).toBe('fertility.invalid_shares');
  });
});

describe('Rogers–Castro migration', () => {
  it('has the labour-force peak in the early twenties and a child component', () => {
    const ages = Array.from({ length: 101 }, (_, x) => x);
    const m = rogersCastro(ages, ROGERS_CASTRO_STANDARD);
    let peak = 15;
    for (let x = 15; x < 40; x++) if (m[x] > m[peak]) peak = x;
    expect(peak).toBeGreaterThanOrEqual(20);
    expect(peak).toBeLessThanOrEqual(26);
    expect(m[0]).toBeGreaterThan(m[12]);
    expect(m[100]).toBeCloseTo(ROGERS_CASTRO_STANDARD.c, 4);
    const r = rogersCastro(ages, ROGERS_CASTRO_WITH_RETIREMENT);
    expect(r[62]).toBeGreaterThan(m[62]);
  });

  it('distributes a total exactly and splits by sex', () => {
    const r = migrationByAge(30000, { openAge: 100, femaleShare: 0.48 });
    expect(sum(r.female) + sum(r.male)).toBeCloseTo(30000, 6);
    expect(sum(r.female)).toBeCloseTo(14400, 6);
    const neg = migrationByAge(-1000, { openAge: 100 });
    expect(sum(neg.female) + sum(neg.male)).toBeCloseTo(-1000, 8);
    expect(Math.max(...neg.male)).toBeLessThanOrEqual(0);
  });
});
