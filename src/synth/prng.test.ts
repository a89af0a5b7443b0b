import { describe, expect, it } from 'vitest';
import { addMonths, ageOn, civilOf, dayOf, dayOfIso, isoOf, parseDay } from './dates.ts';
import { cumulative, hashSeed, Rng } from './prng.ts';

describe('Rng (sfc32)', () => {
  it('is deterministic per seed and differs between seeds', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const c = new Rng(43);
    const xs = Array.from({ length: 5 }, () => a.u32());
    expect(Array.from({ length: 5 }, () => b.u32())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.u32())).not.toEqual(xs);
    expect(hashSeed('a', 'bc')).not.toBe(hashSeed('ab', 'c'));
  });

  it('draws uniform floats, integers, weights and normals with the right moments', () => {
    const r = Rng.of(7, 'test');
    let sum = 0;
    let sq = 0;
    const counts = [0, 0, 0];
    const cum = cumulative([1, 2, 7]);
    const n = 100_000;
    for (let i = 0; i < n; i++) {
      const x = r.next();
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
      sum += x;
      const z = r.normal();
      sq += z * z;
      counts[r.weighted(cum)]++;
    }
    expect(sum / n).toBeCloseTo(0.5, 2);
    expect(sq / n).toBeCloseTo(1, 1);
    expect(counts[2] / n).toBeCloseTo(0.7, 2);
    expect(r.round(2.5)).toBeGreaterThanOrEqual(2);
  });
});

describe('day numbers', () => {
  it('round-trips civil dates and ISO strings', () => {
    for (const iso of ['1900-03-01', '1970-01-01', '2000-02-29', '2020-11-01', '2025-12-31']) {
      const d = parseDay(iso);
      expect(isoOf(d)).toBe(iso);
      expect(dayOfIso(iso)).toBe(d);
      expect(dayOf(...civilOf(d))).toBe(d);
    }
    expect(() => parseDay('2021-02-29')).toThrow();
  });

  it('computes ages and month steps', () => {
    expect(ageOn(parseDay('2000-11-02'), parseDay('2020-11-01'))).toBe(19);
    expect(ageOn(parseDay('2000-11-01'), parseDay('2020-11-01'))).toBe(20);
    expect(isoOf(addMonths(parseDay('2020-01-31'), 1))).toBe('2020-02-29');
  });
});
