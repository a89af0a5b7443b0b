import { beforeAll, describe, expect, it } from 'vitest';
import { managementAreas, streets } from '../domain/areas.ts';
import { parseIdNumber } from '../domain/id-number.ts';
import { familiesOf, iterateHouseholds } from './families.ts';
import { apportion, areaTargets } from './generate.ts';
import type { SynthHousehold } from './model.ts';
import { BIRTHS_BY_YEAR, CHILD_MATERNAL_MORTALITY, SEX_RATIO_AT_BIRTH } from './params.ts';
import { type CitySummary, summarize } from './summary.ts';

describe('area targets', () => {
  it('split round(8,460,000 × scale) over the 16 areas in their 2020 proportions', () => {
    for (const scale of [1, 0.01, 0.0013]) {
      const t = areaTargets(scale);
      expect(t).toHaveLength(16);
      expect(t.reduce((s, x) => s + x.population, 0)).toBe(Math.round(8_460_000 * scale));
      for (const { area, population } of t)
        expect(Math.abs(population - area.population2020 * scale)).toBeLessThanOrEqual(1);
    }
    expect(apportion(10, [1, 1, 1])).toEqual([4, 3, 3]);
  });
});

describe('calibration at scale 0.01', () => {
  let s: CitySummary;
  beforeAll(async () => {
    s = await summarize({ seed: 42, scale: 0.01 });
  });

  it('has the census-day population, area shares, age and sex structure', () => {
    expect(Math.abs(s.census.population - 84_600) / 84_600).toBeLessThan(0.005);
    for (const a of managementAreas) {
      expect(Math.abs(s.census.byArea[a.code] - a.population2020 * 0.01)).toBeLessThanOrEqual(1);
    }
    expect(Math.abs(s.census.share65plus - 0.105)).toBeLessThan(0.01);
    expect(Math.abs(s.census.share0to14 - 0.15)).toBeLessThan(0.015);
    expect(Math.abs(s.census.sexRatio - 104.7)).toBeLessThan(2);
  });

  it('has family and collective households near the census', () => {
    const familySize = s.census.familyPersons / s.census.familyHouseholds;
    expect(familySize).toBeGreaterThan(2.25);
    expect(familySize).toBeLessThan(2.6);
    expect(Math.abs(s.census.collectivePersons / s.census.population - 0.1444)).toBeLessThan(0.015);
  });

  it('has births per year near the published counts, a plausible SRB and birth orders', () => {
    for (const [year, n] of Object.entries(BIRTHS_BY_YEAR.value)) {
      expect(Math.abs(s.births[Number(year)] - n * 0.01) / (n * 0.01)).toBeLessThan(0.08);
    }
    expect(s.sexRatioAtBirth).toBeGreaterThan(100);
    expect(s.sexRatioAtBirth).toBeLessThan(120);
    expect(SEX_RATIO_AT_BIRTH.value).toBeGreaterThanOrEqual(108);
    expect(Math.abs(s.birthOrderShares.first - 0.5)).toBeLessThan(0.05);
    expect(Math.abs(s.birthOrderShares.second - 0.38)).toBeLessThan(0.05);
    expect(Math.abs(s.birthOrderShares.thirdPlus - 0.12)).toBeLessThan(0.04);
    expect(s.twinsBorn).toBeGreaterThan(0);
  });

  it('has deaths at plausible rates (configured just under the plan targets)', () => {
    const { imr, u5mr, mmr } = CHILD_MATERNAL_MORTALITY.value;
    expect(imr * 1000).toBeGreaterThanOrEqual(2.5);
    expect(imr * 1000).toBeLessThan(3);
    expect(u5mr * 1000).toBeGreaterThanOrEqual(3.5);
    expect(u5mr * 1000).toBeLessThan(4);
    expect(mmr * 100_000).toBeGreaterThanOrEqual(8);
    expect(mmr * 100_000).toBeLessThan(10);
    // ~3,400 births: the observed rates are noisy but must be of the right order.
    expect(s.imr).toBeGreaterThan(0.5);
    expect(s.imr).toBeLessThan(7);
    expect(s.u5mr).toBeGreaterThanOrEqual(s.imr);
    const deaths2023 = s.deaths[2023] / (s.yearEndPopulation[2023] ?? 1);
    expect(deaths2023).toBeGreaterThan(0.0055);
    expect(deaths2023).toBeLessThan(0.0095);
  });

  it('grows by migration towards 8.68 M in 2023', () => {
    const ratio = s.yearEndPopulation[2023] / s.census.population;
    expect(ratio).toBeGreaterThan(1.005);
    expect(ratio).toBeLessThan(1.05);
  });
});

describe('people at a tiny scale', () => {
  const households: SynthHousehold[] = [];
  beforeAll(async () => {
    for await (const h of iterateHouseholds({ seed: 7, scale: 0.002 })) households.push(h);
  });

  it('have valid, unique GB 11643 ID numbers matching birth date and sex', () => {
    const seen = new Set<string>();
    const zoneStreets = new Map(streets.map((s) => [s.code, s.countyCode]));
    for (const h of households) {
      for (const p of h.members) {
        const r = parseIdNumber(p.idNumber, '2025-12-31');
        expect(r.ok, p.idNumber).toBe(true);
        if (!r.ok) continue;
        expect(r.value.birthDate).toBe(p.birthDate);
        expect(r.value.sex).toBe(p.sex);
        expect(seen.has(p.idNumber)).toBe(false);
        seen.add(p.idNumber);
        if (p.hukouArea) expect(p.hukouCounty).toBe(zoneStreets.get(p.street));
      }
    }
    const codes = new Set(households.flatMap((h) => h.members.map((p) => p.idAddressCode)));
    expect(codes.has('530121') || codes.has('530122')).toBe(true);
  });

  it('gives twins the same mother and birth date but distinct IDs and names', () => {
    const groups = new Map<string, { ids: Set<string>; names: Set<string>; n: number }>();
    for (const h of households) {
      for (const p of h.members) {
        if (!p.twin || !p.motherPid) continue;
        const key = `${p.motherPid}|${p.birthDate}`;
        const g = groups.get(key) ?? { ids: new Set(), names: new Set(), n: 0 };
        g.ids.add(p.idNumber);
        g.names.add(p.name);
        g.n++;
        groups.set(key, g);
      }
    }
    const pairs = [...groups.values()].filter((g) => g.n >= 2);
    expect(pairs.length).toBeGreaterThan(0);
    for (const g of pairs) {
      expect(g.ids.size).toBe(g.n);
      expect(g.names.size).toBe(g.n);
    }
  });

  it('links children to parents in the household and yields budget families', () => {
    let families = 0;
    for (const h of households) {
      for (const f of familiesOf(h)) {
        families++;
        expect(f.parents.length).toBeGreaterThanOrEqual(1);
        expect(f.parents.some((p) => p.role === 'mother')).toBe(true);
        expect(f.children.length).toBeGreaterThan(0);
        const dates = f.children.map((c) => c.birthDate);
        expect([...dates].sort()).toEqual(dates);
        for (const p of f.parents) expect(p.birthDate < f.children[0].birthDate).toBe(true);
      }
    }
    expect(families).toBeGreaterThan(1000);
    const heads = households
      .filter((h) => h.kind === 'family')
      .map((h) => h.members.filter((m) => m.relation.code === '02').length);
    expect(heads.every((n) => n === 1)).toBe(true);
  });
});
