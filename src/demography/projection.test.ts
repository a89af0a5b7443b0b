import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { issueMessage } from './issues.ts';
import { buildLifeTable } from './life-table.ts';
import {
  type ProjectionInput,
  planProjection,
  projectFiveYear,
  projectPlan,
  runProjection,
  validateProjectionInput,
} from './projection.ts';
import { kunmingLikeInput, syntheticMortality } from './synthetic.ts';

// biome-ignore lint/suspicious/noExplicitAny: tests mutate arbitrary JSON to make it invalid
type Mutable = Record<string, any>;

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../../shared/specs/fixtures/${name}`, import.meta.url), 'utf8'));

const total = (a: number[]) => a.reduce((s, v) => s + v, 0);

/** A small valid input (openAge 10, fertile ages 2..5). */
function smallInput(): ProjectionInput {
  const n = 11;
  return {
    baseYear: 2020,
    horizon: 3,
    openAge: 10,
    population: {
      female: Array.from({ length: n }, (_, x) => 1000 - 20 * x),
      male: Array.from({ length: n }, (_, x) => 1010 - 25 * x),
    },
    fertility: { startAge: 2, asfr: [0.1, 0.3, 0.3, 0.1] },
    srb: 1.06,
    mortality: {
      female: Array.from({ length: n }, (_, x) => 0.005 + 0.01 * x),
      male: Array.from({ length: n }, (_, x) => 0.006 + 0.012 * x),
    },
    migration: {
      female: Array.from({ length: n }, () => 10),
      male: Array.from({ length: n }, () => -5),
      timing: 'even',
    },
  };
}

describe('Preston, Heuveline & Guillot (2001) Box 6.2', () => {
  const f = fixture('preston-box-6-2.json');
  const G = f.female.population1993.length;
  const asfr = new Array(G).fill(0);
  f.female.asfr_15_to_49.forEach((v: number, i: number) => {
    asfr[3 + i] = v;
  });
  const r = projectFiveYear({
    baseYear: 1993,
    steps: 1,
    population: { female: f.female.population1993, male: f.female.population1993 },
    asfr,
    srb: f.srb,
    survival: { nLx: { female: f.female.nLx_radix100000, male: f.female.nLx_radix100000 }, l0: 100000 },
    migration: { female: f.female.netMigrants5y, male: f.female.netMigrants5y, timing: 'even' },
  });

  it('reproduces the 1998 female population to the published integers', () => {
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value[0].year).toBe(1998);
    expect(r.value[0].population.female.map(Math.round)).toEqual(f.expected.femalePopulation1998);
  });

  it('reproduces births by age of mother and the male 0–4 group', () => {
    if (!r.ok) throw new Error('invalid');
    expect(r.value[0].birthsByMotherAge.map(Math.round)).toEqual(f.expected.birthsByMotherAge_0_to_85plus);
    expect(Math.round(r.value[0].population.male[0])).toBe(f.expected.malePopulation1998_age0to4);
    const births = f.expected.birthsByMotherAge_0_to_85plus.reduce((a: number, b: number) => a + b, 0);
    expect(Math.abs(r.value[0].births.total - births)).toBeLessThan(5);
  });

  it('also runs from abridged rates through the UN life table', () => {
    const un = fixture('un-1982-life-table.json');
    const r2 = projectFiveYear({
      baseYear: 1993,
      steps: 2,
      population: { female: f.female.population1993, male: f.female.population1993 },
      asfr,
      srb: 1.05,
      survival: { nMx: { female: un.nMx, male: un.nMx } },
    });
    expect(r2.ok).toBe(true);
    if (r2.ok) expect(r2.value.map((s) => s.year)).toEqual([1998, 2003]);
  });
});

describe('validateProjectionInput', () => {
  it('accepts a valid input', () => {
    expect(validateProjectionInput(smallInput())).toEqual([]);
    expect(validateProjectionInput(kunmingLikeInput())).toEqual([]);
  });

  const cases: Array<[string, (i: Mutable) => void, string]> = [
    ['mismatched length', (i) => i.population.female.pop(), 'projection.length_mismatch'],
    ['negative number', (i) => (i.mortality.male[3] = -0.1), 'projection.negative_value'],
    ['a string', (i) => (i.population.male[2] = '12'), 'projection.not_a_number'],
    ['null', (i) => (i.fertility.asfr[0] = null), 'projection.not_a_number'],
    ['fertility past openAge', (i) => (i.fertility.startAge = 9), 'projection.fertility_range'],
    ['fertility below 0', (i) => (i.fertility.startAge = -1), 'projection.fertility_range'],
    ['timing "middle"', (i) => (i.migration.timing = 'middle'), 'projection.invalid_timing'],
    ['a zero open-age rate', (i) => (i.mortality.female[10] = 0), 'projection.open_age_rate_zero'],
    ['missing srb', (i) => delete i.srb, 'projection.missing_field'],
    ['fractional horizon', (i) => (i.horizon = 2.5), 'projection.not_an_integer'],
    ['infinite value', (i) => (i.population.female[0] = Number.POSITIVE_INFINITY), 'projection.not_finite'],
    [
      'by-year rows of the wrong count',
      (i) => (i.fertility.asfrByYear = [[0.1, 0.2, 0.2, 0.1]]),
      'projection.length_mismatch',
    ],
  ];
  for (const [name, mutate, code] of cases) {
    it(`reports ${name} as ${code}`, () => {
      const input = structuredClone(smallInput()) as Mutable;
      mutate(input);
      const issues = validateProjectionInput(input);
      expect(issues.map((i) => i.code)).toContain(code);
      const r = runProjection(input);
      expect(r.ok).toBe(false);
      for (const i of issues) {
        expect(i.message.length).toBeGreaterThan(0);
        expect(issueMessage(i, 'zh-CN').length).toBeGreaterThan(0);
      }
    });
  }

  it('rejects non-objects', () => {
    expect(validateProjectionInput(null)[0].code).toBe('projection.not_an_object');
    expect(validateProjectionInput([1])[0].code).toBe('projection.not_an_object');
  });
});

describe('projection (contract)', () => {
  it('returns years baseYear+1.. with the contract shape', () => {
    const r = runProjection(smallInput());
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    expect(r.value.years.map((y) => y.year)).toEqual([2021, 2022, 2023]);
    const y = r.value.years[0];
    expect(y.population.female.length).toBe(11);
    expect(y.births.total).toBeCloseTo(y.births.female + y.births.male, 9);
    expect(y.births.male / y.births.female).toBeCloseTo(1.06, 12);
    expect(y.tfr).toBeCloseTo(0.8, 12);
    expect(y.netMigration).toEqual({ female: 110, male: -55 });
    expect(r.value.warnings).toEqual([]);
  });

  it('follows step 2 by hand for one age and timing "even"', () => {
    const input = smallInput();
    const r = runProjection(input);
    if (!r.ok) throw new Error('invalid');
    const S = buildLifeTable(input.mortality.female, { sex: 'female' }).S;
    const pStar4 = input.population.female[4] + 10 / 2;
    expect(r.value.years[0].population.female[5]).toBeCloseTo(S[5] * pStar4 + 5, 9);
  });

  it('timing "end" adds all migrants after survival', () => {
    const input = smallInput();
    input.migration = { ...input.migration!, timing: 'end' };
    const r = runProjection(input);
    if (!r.ok) throw new Error('invalid');
    const S = buildLifeTable(input.mortality.male, { sex: 'male' }).S;
    expect(r.value.years[0].population.male[5]).toBeCloseTo(S[5] * input.population.male[4] - 5, 9);
  });

  const arbInput = fc
    .record({
      openAge: fc.integer({ min: 3, max: 20 }),
      horizon: fc.integer({ min: 1, max: 5 }),
      seedPop: fc.array(fc.double({ min: 1e4, max: 1e6, noNaN: true }), { minLength: 42, maxLength: 42 }),
      seedM: fc.array(fc.double({ min: 0, max: 0.3, noNaN: true }), { minLength: 42, maxLength: 42 }),
      openM: fc.tuple(
        fc.double({ min: 0.05, max: 1, noNaN: true }),
        fc.double({ min: 0.05, max: 1, noNaN: true }),
      ),
      seedMig: fc.array(fc.double({ min: -300, max: 300, noNaN: true }), { minLength: 42, maxLength: 42 }),
      asfr: fc.array(fc.double({ min: 0, max: 0.3, noNaN: true }), { minLength: 0, maxLength: 3 }),
      startAge: fc.integer({ min: 0, max: 2 }),
      srb: fc.double({ min: 1, max: 1.2, noNaN: true }),
      timing: fc.constantFrom('even' as const, 'end' as const),
    })
    .map((g): ProjectionInput => {
      const n = g.openAge + 1;
      const pick = (a: number[], off: number) => Array.from({ length: n }, (_, x) => a[(x + off) % a.length]);
      const mf = pick(g.seedM, 0);
      const mm = pick(g.seedM, 7);
      mf[n - 1] = g.openM[0];
      mm[n - 1] = g.openM[1];
      const migF = pick(g.seedMig, 3);
      const migM = pick(g.seedMig, 11);
      // Cohorts born during the run may be tiny (ASFR near 0): no emigration from them, so that
      // nothing is floored and the identity is exact.
      for (let x = 0; x < Math.min(n, g.horizon + 2); x++) {
        migF[x] = Math.abs(migF[x]);
        migM[x] = Math.abs(migM[x]);
      }
      return {
        baseYear: 2000,
        horizon: g.horizon,
        openAge: g.openAge,
        population: { female: pick(g.seedPop, 0), male: pick(g.seedPop, 5) },
        fertility: { startAge: g.startAge, asfr: g.asfr.slice(0, n - g.startAge) },
        srb: g.srb,
        mortality: { female: mf, male: mm },
        migration: { female: migF, male: migM, timing: g.timing },
      };
    });

  it('keeps the balancing identity P′ = P + B − D + M per sex (property, fixed seed)', () => {
    fc.assert(
      fc.property(arbInput, (input) => {
        expect(validateProjectionInput(input)).toEqual([]);
        const r = runProjection(input);
        if (!r.ok) return false;
        expect(r.value.warnings).toEqual([]);
        let prev = input.population;
        for (const y of r.value.years) {
          for (const sex of ['female', 'male'] as const) {
            const expected = total(prev[sex]) + y.births[sex] - y.deaths[sex] + y.netMigration[sex];
            const got = total(y.population[sex]);
            expect(Math.abs(got - expected)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(got)));
          }
          prev = y.population;
        }
        return true;
      }),
      { seed: 20250501, numRuns: 200 },
    );
  });

  it('with zero fertility and migration, totals fall by exactly the deaths', () => {
    const input = kunmingLikeInput({ horizon: 20 });
    input.fertility.asfr = input.fertility.asfr.map(() => 0);
    delete input.migration;
    const r = runProjection(input);
    if (!r.ok) throw new Error('invalid');
    let prev = total(input.population.female) + total(input.population.male);
    for (const y of r.value.years) {
      expect(y.births.total).toBe(0);
      const now = total(y.population.female) + total(y.population.male);
      expect(Math.abs(prev - now - (y.deaths.female + y.deaths.male))).toBeLessThan(1e-9 * prev);
      prev = now;
    }
  });

  it('a stationary population (P = B·L, NRR = 1) stays stationary', () => {
    const openAge = 100;
    const mf = Array.from(syntheticMortality('female', 80, openAge));
    const mm = Array.from(syntheticMortality('male', 75, openAge));
    const Lf = buildLifeTable(mf, { sex: 'female' }).L;
    const Lm = buildLifeTable(mm, { sex: 'male' }).L;
    const srb = 1.06;
    const Bf = 10000;
    const shape = Array.from({ length: 35 }, (_, i) => Math.exp(-(((i + 15 - 29) / 5) ** 2)));
    const nrrScale = (1 + srb) / shape.reduce((s, g, i) => s + g * Lf[15 + i], 0);
    const input: ProjectionInput = {
      baseYear: 2020,
      horizon: 50,
      openAge,
      population: { female: Array.from(Lf, (l) => Bf * l), male: Array.from(Lm, (l) => Bf * srb * l) },
      fertility: { startAge: 15, asfr: shape.map((g) => g * nrrScale) },
      srb,
      mortality: { female: mf, male: mm },
    };
    const r = runProjection(input);
    if (!r.ok) throw new Error('invalid');
    for (const y of r.value.years) {
      for (const sex of ['female', 'male'] as const) {
        y.population[sex].forEach((v, x) => {
          const p0 = input.population[sex][x];
          expect(Math.abs(v - p0)).toBeLessThanOrEqual(1e-9 * Math.max(1, p0));
        });
      }
      expect(y.births.female).toBeCloseTo(Bf, 6);
      expect(y.births.total).toBeCloseTo(y.deaths.female + y.deaths.male, 5);
    }
  });

  it('floors negative cells to 0 with a warning', () => {
    const input = smallInput();
    input.migration = {
      female: input.population.female.map(() => -5000),
      male: input.population.male.map(() => 0),
      timing: 'end',
    };
    const r = runProjection(input);
    if (!r.ok) throw new Error('invalid');
    expect(r.value.warnings.length).toBeGreaterThan(0);
    expect(r.value.warnings[0].code).toBe('projection.negative_population');
    expect(r.value.years[0].population.female.every((v) => v >= 0)).toBe(true);
  });

  it('solves births exactly when the fertile range includes age 0', () => {
    const input = smallInput();
    input.fertility = { startAge: 0, asfr: [0.05, 0.1] };
    input.migration = undefined;
    const r = runProjection(input);
    if (!r.ok) throw new Error('invalid');
    const y = r.value.years[0];
    const S = buildLifeTable(input.mortality.female, { sex: 'female' }).S;
    const pf = y.population.female;
    const B =
      0.05 * ((input.population.female[0] + pf[0]) / 2) + 0.1 * ((input.population.female[1] + pf[1]) / 2);
    expect(y.births.total).toBeCloseTo(B, 9);
    expect(pf[0]).toBeCloseTo(S[0] * y.births.female, 9);
  });
});

describe('time-varying rates', () => {
  it('applies per-year ASFR, mortality, srb and migration', () => {
    const base = smallInput();
    const input: ProjectionInput = {
      ...base,
      fertility: {
        ...base.fertility,
        asfrByYear: [
          [0.1, 0.3, 0.3, 0.1],
          [0.2, 0.6, 0.6, 0.2],
          [0, 0, 0, 0],
        ],
      },
      srbByYear: [1.06, 1.1, 1.06],
      mortality: {
        ...base.mortality,
        byYear: {
          female: [base.mortality.female, base.mortality.female.map((m) => m * 2), base.mortality.female],
          male: [base.mortality.male, base.mortality.male, base.mortality.male],
        },
      },
    };
    expect(validateProjectionInput(input)).toEqual([]);
    const r = runProjection(input);
    if (!r.ok) throw new Error('invalid');
    const [y1, y2, y3] = r.value.years;
    expect(y1.tfr).toBeCloseTo(0.8, 12);
    expect(y2.tfr).toBeCloseTo(1.6, 12);
    expect(y3.births.total).toBe(0);
    expect(y2.births.male / y2.births.female).toBeCloseTo(1.1, 12);
    expect(y2.e0.female).toBeLessThan(y1.e0.female);
    expect(y3.e0.female).toBeCloseTo(y1.e0.female, 12);
    const plan = planProjection(input);
    expect(plan.steps[0].sf).toBe(plan.steps[2].sf);
    expect(projectPlan(plan)).toEqual(r.value);
  });
});
