/**
 * The deterministic cohort-component projection of the projection contract
 * (shared/specs/projection.md): single-year ages 0..ω, annual steps, UN WPP conventions.
 * Extensions beyond the contract (all optional in the input): time-varying rates per year and a
 * choice of a(0) rule. A 5-year-group variant is {@link projectFiveYear}.
 */
import { CohortComponentEngine, type StepRates, sum, type Timing } from './engine.ts';
import { type Issue, type IssuePath, issue, type Result } from './issues.ts';
import {
  type A0Method,
  abridgedLifeTable,
  fiveYearSurvivalRatios,
  type Sex,
  survivalRatiosFromNL,
  survivalRatiosInto,
} from './life-table.ts';

export type { Timing } from './engine.ts';

/** Per-sex arrays of numbers. */
export type BySex<T> = { female: T; male: T };

/**
 * The contract's input, plus optional extensions:
 * - `fertility.asfrByYear[k]`: ASFR (same ages as `asfr`) for step k (year baseYear+k → +k+1);
 * - `srbByYear[k]`;
 * - `mortality.byYear.{female,male}[k]`: m(x) for step k; `mortality.a0Method`;
 * - `migration.byYear.{female,male}[k]`: net migrants for step k.
 * Missing per-year rows fall back to the constant rates.
 */
export type ProjectionInput = {
  baseYear: number;
  horizon: number;
  openAge: number;
  population: BySex<number[]>;
  fertility: { startAge: number; asfr: number[]; asfrByYear?: number[][] };
  srb: number;
  srbByYear?: number[];
  mortality: BySex<number[]> & { byYear?: BySex<number[][]>; a0Method?: A0Method };
  migration?: BySex<number[]> & { timing?: Timing; byYear?: BySex<number[][]> };
};

/** One projected year of the contract's output. */
export type ProjectionYear = {
  year: number;
  population: BySex<number[]>;
  births: { female: number; male: number; total: number };
  deaths: BySex<number>;
  netMigration: BySex<number>;
  tfr: number;
  e0: BySex<number>;
};

/** The contract's output. */
export type ProjectionOutput = { years: ProjectionYear[]; warnings: Issue[] };

/** Upper bounds that keep a request bounded in time and memory. */
export const PROJECTION_LIMITS = { maxHorizon: 500, maxOpenAge: 150, minYear: -10000, maxYear: 10000 };

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const describe = (v: unknown): string =>
  v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'string' ? JSON.stringify(v) : String(v);

function checkInteger(v: unknown, path: IssuePath, min: number, max: number, issues: Issue[]): v is number {
  if (v === undefined) {
    issues.push(issue('projection.missing_field', path));
    return false;
  }
  if (typeof v !== 'number') {
    issues.push(issue('projection.not_a_number', path, { got: describe(v) }));
    return false;
  }
  if (!Number.isFinite(v)) {
    issues.push(issue('projection.not_finite', path, { got: v }));
    return false;
  }
  if (!Number.isInteger(v)) {
    issues.push(issue('projection.not_an_integer', path, { got: v }));
    return false;
  }
  if (v < min || v > max) {
    issues.push(issue('projection.out_of_range', path, { got: v, min, max }));
    return false;
  }
  return true;
}

/**
 * Checks an array of numbers: present, an array, the expected length (if given), every entry a
 * finite number, non-negative unless `allowNegative`. At most `maxPerArray` entry issues are
 * reported per array so that a wholly wrong array does not flood the caller.
 */
function checkNumbers(
  v: unknown,
  path: IssuePath,
  expected: number | null,
  allowNegative: boolean,
  issues: Issue[],
): v is number[] {
  if (v === undefined) {
    issues.push(issue('projection.missing_field', path));
    return false;
  }
  if (!Array.isArray(v)) {
    issues.push(issue('projection.not_an_array', path, { got: describe(v) }));
    return false;
  }
  let ok = true;
  if (expected !== null && v.length !== expected) {
    issues.push(issue('projection.length_mismatch', path, { expected, got: v.length }));
    ok = false;
  }
  let reported = 0;
  for (let i = 0; i < v.length && reported < 10; i++) {
    const x = v[i];
    if (typeof x !== 'number') {
      issues.push(issue('projection.not_a_number', [...path, i], { got: describe(x) }));
      reported++;
      ok = false;
    } else if (!Number.isFinite(x)) {
      issues.push(issue('projection.not_finite', [...path, i], { got: x }));
      reported++;
      ok = false;
    } else if (!allowNegative && x < 0) {
      issues.push(issue('projection.negative_value', [...path, i], { got: x }));
      reported++;
      ok = false;
    }
  }
  return ok;
}

function checkRows(
  v: unknown,
  path: IssuePath,
  rows: number,
  cols: number | null,
  allowNegative: boolean,
  issues: Issue[],
): void {
  if (!Array.isArray(v)) {
    issues.push(issue('projection.not_an_array', path, { got: describe(v) }));
    return;
  }
  if (v.length !== rows)
    issues.push(issue('projection.length_mismatch', path, { expected: rows, got: v.length }));
  for (let k = 0; k < v.length; k++) checkNumbers(v[k], [...path, k], cols, allowNegative, issues);
}

/**
 * Validates a projection input against the contract and the extensions. Returns the list of
 * issues (empty when valid): e.g. `projection.length_mismatch` for arrays whose length is not
 * openAge + 1, `projection.negative_value`, `projection.not_finite`, `projection.not_a_number`
 * (strings, null), `projection.fertility_range` when startAge..startAge+len−1 leaves 0..openAge,
 * `projection.invalid_timing` for a timing other than "even"/"end",
 * `projection.open_age_rate_zero` when m(ω) = 0 (L(ω) = l(ω)/m(ω) would be infinite).
 */
export function validateProjectionInput(input: unknown): Issue[] {
  const issues: Issue[] = [];
  if (!isObject(input)) {
    issues.push(issue('projection.not_an_object', []));
    return issues;
  }
  const L = PROJECTION_LIMITS;
  checkInteger(input.baseYear, ['baseYear'], L.minYear, L.maxYear, issues);
  const horizonOk = checkInteger(input.horizon, ['horizon'], 0, L.maxHorizon, issues);
  const openAgeOk = checkInteger(input.openAge, ['openAge'], 1, L.maxOpenAge, issues);
  const n = openAgeOk ? (input.openAge as number) + 1 : null;
  const horizon = horizonOk ? (input.horizon as number) : 0;

  const pop = input.population;
  if (!isObject(pop)) {
    issues.push(
      pop === undefined
        ? issue('projection.missing_field', ['population'])
        : issue('projection.not_an_object', ['population']),
    );
  } else {
    for (const sex of ['female', 'male'] as const)
      checkNumbers(pop[sex], ['population', sex], n, false, issues);
  }

  const fert = input.fertility;
  if (!isObject(fert)) {
    issues.push(
      fert === undefined
        ? issue('projection.missing_field', ['fertility'])
        : issue('projection.not_an_object', ['fertility']),
    );
  } else {
    const startOk = checkInteger(fert.startAge, ['fertility', 'startAge'], -1e9, 1e9, issues);
    const asfrOk = checkNumbers(fert.asfr, ['fertility', 'asfr'], null, false, issues);
    if (startOk && Array.isArray(fert.asfr) && openAgeOk) {
      const start = fert.startAge as number;
      const end = start + fert.asfr.length - 1;
      if (start < 0 || start > (input.openAge as number) || end > (input.openAge as number)) {
        issues.push(
          issue('projection.fertility_range', ['fertility'], {
            startAge: start,
            endAge: end,
            openAge: input.openAge,
          }),
        );
      }
    }
    if (fert.asfrByYear !== undefined && horizonOk) {
      checkRows(
        fert.asfrByYear,
        ['fertility', 'asfrByYear'],
        horizon,
        asfrOk ? (fert.asfr as number[]).length : null,
        false,
        issues,
      );
    }
  }

  if (input.srb === undefined) issues.push(issue('projection.missing_field', ['srb']));
  else if (typeof input.srb !== 'number')
    issues.push(issue('projection.not_a_number', ['srb'], { got: describe(input.srb) }));
  else if (!Number.isFinite(input.srb))
    issues.push(issue('projection.not_finite', ['srb'], { got: input.srb }));
  else if (!(input.srb > 0))
    issues.push(issue('projection.out_of_range', ['srb'], { got: input.srb, min: '>0', max: '∞' }));
  if (input.srbByYear !== undefined && horizonOk) {
    if (checkNumbers(input.srbByYear, ['srbByYear'], horizon, false, issues)) {
      (input.srbByYear as number[]).forEach((v, k) => {
        if (!(v > 0))
          issues.push(issue('projection.out_of_range', ['srbByYear', k], { got: v, min: '>0', max: '∞' }));
      });
    }
  }

  const mort = input.mortality;
  if (!isObject(mort)) {
    issues.push(
      mort === undefined
        ? issue('projection.missing_field', ['mortality'])
        : issue('projection.not_an_object', ['mortality']),
    );
  } else {
    for (const sex of ['female', 'male'] as const) {
      if (checkNumbers(mort[sex], ['mortality', sex], n, false, issues) && n !== null) {
        const m = mort[sex] as number[];
        if (!(m[n - 1] > 0)) issues.push(issue('projection.open_age_rate_zero', ['mortality', sex, n - 1]));
      }
    }
    if (
      mort.a0Method !== undefined &&
      mort.a0Method !== 'andreev-kingkade' &&
      mort.a0Method !== 'coale-demeny'
    ) {
      issues.push(
        issue('projection.out_of_range', ['mortality', 'a0Method'], {
          got: describe(mort.a0Method),
          min: 'andreev-kingkade',
          max: 'coale-demeny',
        }),
      );
    }
    if (mort.byYear !== undefined && horizonOk) {
      if (!isObject(mort.byYear)) issues.push(issue('projection.not_an_object', ['mortality', 'byYear']));
      else
        for (const sex of ['female', 'male'] as const) {
          const before = issues.length;
          checkRows(mort.byYear[sex], ['mortality', 'byYear', sex], horizon, n, false, issues);
          if (issues.length === before && n !== null) {
            (mort.byYear[sex] as number[][]).forEach((row, k) => {
              if (!(row[n - 1] > 0))
                issues.push(issue('projection.open_age_rate_zero', ['mortality', 'byYear', sex, k, n - 1]));
            });
          }
        }
    }
  }

  const mig = input.migration;
  if (mig !== undefined) {
    if (!isObject(mig)) issues.push(issue('projection.not_an_object', ['migration']));
    else {
      for (const sex of ['female', 'male'] as const)
        checkNumbers(mig[sex], ['migration', sex], n, true, issues);
      if (mig.timing !== undefined && mig.timing !== 'even' && mig.timing !== 'end') {
        issues.push(
          issue('projection.invalid_timing', ['migration', 'timing'], { got: describe(mig.timing) }),
        );
      }
      if (mig.byYear !== undefined && horizonOk) {
        if (!isObject(mig.byYear)) issues.push(issue('projection.not_an_object', ['migration', 'byYear']));
        else
          for (const sex of ['female', 'male'] as const)
            checkRows(mig.byYear[sex], ['migration', 'byYear', sex], horizon, n, true, issues);
      }
    }
  }
  return issues;
}

/**
 * A validated input turned into per-step Float64Array rates (shared references where the
 * rates do not change, so constant inputs build one life table per sex).
 */
export type ProjectionPlan = {
  baseYear: number;
  horizon: number;
  openAge: number;
  population: BySex<Float64Array>;
  steps: StepRates[];
  /** e0 per step and sex, from the life table behind the survival ratios. */
  e0: BySex<Float64Array>;
  /** The m(x) schedule of each step, per sex (shared references when constant). */
  mortality: BySex<Float64Array[]>;
  /** TFR of each step. */
  tfr: Float64Array;
  a0Method: A0Method;
};

function lifeTableFor(m: ArrayLike<number>, sex: Sex, a0Method: A0Method): { S: Float64Array; e0: number } {
  const S = new Float64Array(m.length);
  const e0 = survivalRatiosInto(m, sex, S, new Float64Array(m.length), a0Method);
  return { S, e0 };
}

/** Builds the per-step rates of a valid input (call {@link validateProjectionInput} first). */
export function planProjection(input: ProjectionInput): ProjectionPlan {
  const n = input.openAge + 1;
  const a0Method = input.mortality.a0Method ?? 'andreev-kingkade';
  const fullAsfr = (row: number[]): Float64Array => {
    const f = new Float64Array(n);
    for (let i = 0; i < row.length; i++) f[input.fertility.startAge + i] = row[i];
    return f;
  };
  const baseAsfr = fullAsfr(input.fertility.asfr);
  type Cached = { S: Float64Array; e0: number; m: Float64Array };
  // One cache per sex (the same array may be passed for both sexes; a(0) differs by sex).
  const caches: Record<Sex, Map<number[], Cached>> = { female: new Map(), male: new Map() };
  const sexRates = (m: number[], sex: Sex): Cached => {
    let hit = caches[sex].get(m);
    if (!hit) {
      hit = { ...lifeTableFor(m, sex, a0Method), m: Float64Array.from(m) };
      caches[sex].set(m, hit);
    }
    return hit;
  };
  const mig = input.migration;
  const timing: Timing = mig?.timing ?? 'even';
  const baseMf = mig ? Float64Array.from(mig.female) : null;
  const baseMm = mig ? Float64Array.from(mig.male) : null;
  const steps: StepRates[] = [];
  const e0f = new Float64Array(input.horizon);
  const e0m = new Float64Array(input.horizon);
  const tfr = new Float64Array(input.horizon);
  const mortF: Float64Array[] = [];
  const mortM: Float64Array[] = [];
  for (let k = 0; k < input.horizon; k++) {
    const asfrRow = input.fertility.asfrByYear?.[k];
    const asfr = asfrRow ? fullAsfr(asfrRow) : baseAsfr;
    const mfRow = input.mortality.byYear?.female?.[k] ?? input.mortality.female;
    const mmRow = input.mortality.byYear?.male?.[k] ?? input.mortality.male;
    const f = sexRates(mfRow, 'female');
    const m = sexRates(mmRow, 'male');
    const migF = mig?.byYear?.female?.[k];
    const migM = mig?.byYear?.male?.[k];
    steps.push({
      sf: f.S,
      sm: m.S,
      asfr,
      srb: input.srbByYear?.[k] ?? input.srb,
      mf: migF ? Float64Array.from(migF) : baseMf,
      mm: migM ? Float64Array.from(migM) : baseMm,
      timing,
    });
    e0f[k] = f.e0;
    e0m[k] = m.e0;
    tfr[k] = sum(asfr);
    mortF.push(f.m);
    mortM.push(m.m);
  }
  return {
    baseYear: input.baseYear,
    horizon: input.horizon,
    openAge: input.openAge,
    population: {
      female: Float64Array.from(input.population.female),
      male: Float64Array.from(input.population.male),
    },
    steps,
    e0: { female: e0f, male: e0m },
    mortality: { female: mortF, male: mortM },
    tfr,
    a0Method,
  };
}

/** Copies a typed array into a plain array (faster than Array.from's iterator path). */
function toArray(a: Float64Array): number[] {
  const out: number[] = new Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i];
  return out;
}

/** Runs a plan and returns the contract's output (warnings for floored negative cells). */
export function projectPlan(plan: ProjectionPlan): ProjectionOutput {
  const G = plan.openAge + 1;
  const engine = new CohortComponentEngine(G, 1);
  engine.setPopulation(plan.population.female, plan.population.male);
  const warnings: Issue[] = [];
  let k = 0;
  engine.onNegative = (sex, age, value) => {
    warnings.push(
      issue('projection.negative_population', ['years', k, 'population', sex, age], {
        year: plan.baseYear + k + 1,
        sex,
        age,
        value,
      }),
    );
  };
  const years: ProjectionYear[] = [];
  for (k = 0; k < plan.horizon; k++) {
    engine.step(plan.steps[k]);
    years.push({
      year: plan.baseYear + k + 1,
      population: { female: toArray(engine.pf), male: toArray(engine.pm) },
      births: { female: engine.birthsF, male: engine.birthsM, total: engine.birthsF + engine.birthsM },
      deaths: { female: engine.deathsF, male: engine.deathsM },
      netMigration: { female: engine.migrationF, male: engine.migrationM },
      tfr: plan.tfr[k],
      e0: { female: plan.e0.female[k], male: plan.e0.male[k] },
    });
  }
  return { years, warnings };
}

/**
 * Validates and projects: the contract's whole deterministic computation. Invalid input gives
 * `{ok: false, issues}`; otherwise `{ok: true, value}` with the output (whose `warnings` also
 * appear as the result's warnings).
 */
export function runProjection(input: unknown): Result<ProjectionOutput> {
  const issues = validateProjectionInput(input);
  if (issues.length > 0) return { ok: false, issues };
  const value = projectPlan(planProjection(input as ProjectionInput));
  return { ok: true, value, warnings: value.warnings };
}

/**
 * Input of the 5-year variant (5-year age groups, 5-year steps; Preston, Heuveline & Guillot
 * 2001 §6.3, Box 6.2). Age groups 0–4, 5–9, …, with the last open. Survival comes either from
 * ₙLₓ per sex (`survival.nLx`, radix `l0`) or from abridged ₙmₓ (0, 1–4, 5–9, …, open; one more
 * entry than the population groups) through the UN abridged life table.
 */
export type FiveYearProjectionInput = {
  baseYear: number;
  /** Number of 5-year steps. */
  steps: number;
  population: BySex<number[]>;
  /** Annual ASFR for each 5-year group (zeros outside the fertile ages); births = 5·Σ F·avg(W). */
  asfr: number[];
  srb: number;
  survival: { nLx: BySex<number[]>; l0: number } | { nMx: BySex<number[]> };
  /** Net migrants over each 5-year period by group. */
  migration?: BySex<number[]> & { timing?: Timing };
};

/** One step of the 5-year variant. */
export type FiveYearStep = {
  year: number;
  population: BySex<number[]>;
  births: { female: number; male: number; total: number };
  /** Births by age group of mother (5·F(x)·average women). */
  birthsByMotherAge: number[];
  deaths: BySex<number>;
};

/**
 * Projects in 5-year groups and 5-year steps (Preston, Heuveline & Guillot 2001, Box 6.2): the
 * contract's step with n = 5, S(birth) = ₅L₀/(5·l₀), open S = L(ω+)/(₅L_{ω−5} + L(ω+)) and births
 * 5·Σ F·(W_start + W_end)/2.
 */
export function projectFiveYear(input: FiveYearProjectionInput): Result<FiveYearStep[]> {
  const issues: Issue[] = [];
  const G = input.population.female.length;
  if (G < 2)
    issues.push(issue('projection.length_mismatch', ['population', 'female'], { expected: '≥ 2', got: G }));
  checkNumbers(input.population.female, ['population', 'female'], G, false, issues);
  checkNumbers(input.population.male, ['population', 'male'], G, false, issues);
  checkNumbers(input.asfr, ['asfr'], G, false, issues);
  checkInteger(input.steps, ['steps'], 1, 100, issues);
  if (!(input.srb > 0))
    issues.push(issue('projection.out_of_range', ['srb'], { got: input.srb, min: '>0', max: '∞' }));
  const surv = (sex: Sex): Float64Array | null => {
    if ('nLx' in input.survival) {
      const v = input.survival.nLx[sex];
      if (!checkNumbers(v, ['survival', 'nLx', sex], G, false, issues)) return null;
      return survivalRatiosFromNL(v, input.survival.l0, 5);
    }
    const v = input.survival.nMx[sex];
    if (!checkNumbers(v, ['survival', 'nMx', sex], G + 1, false, issues)) return null;
    const lt = abridgedLifeTable(v, { sex });
    if (!lt.ok) {
      issues.push(...lt.issues);
      return null;
    }
    return fiveYearSurvivalRatios(lt.value);
  };
  const sf = surv('female');
  const sm = surv('male');
  const mig = input.migration;
  if (mig) {
    checkNumbers(mig.female, ['migration', 'female'], G, true, issues);
    checkNumbers(mig.male, ['migration', 'male'], G, true, issues);
    if (mig.timing !== undefined && mig.timing !== 'even' && mig.timing !== 'end')
      issues.push(issue('projection.invalid_timing', ['migration', 'timing'], { got: describe(mig.timing) }));
  }
  if (issues.length > 0 || !sf || !sm) return { ok: false, issues };
  const engine = new CohortComponentEngine(G, 5);
  engine.setPopulation(input.population.female, input.population.male);
  const rates: StepRates = {
    sf,
    sm,
    asfr: Float64Array.from(input.asfr),
    srb: input.srb,
    mf: mig ? Float64Array.from(mig.female) : null,
    mm: mig ? Float64Array.from(mig.male) : null,
    timing: mig?.timing ?? 'even',
  };
  const out: FiveYearStep[] = [];
  const warnings: Issue[] = [];
  for (let k = 0; k < input.steps; k++) {
    const start = Float64Array.from(engine.pf);
    if (rates.timing === 'even' && rates.mf) for (let x = 0; x < G; x++) start[x] += rates.mf[x] / 2;
    engine.onNegative = (sex, age, value) =>
      warnings.push(
        issue('projection.negative_population', [k, 'population', sex, age], {
          year: input.baseYear + 5 * (k + 1),
          sex,
          age: 5 * age,
          value,
        }),
      );
    engine.step(rates);
    // Births by mother's age, for reporting (exact unless a cell was floored, which warns).
    const byAge = Array.from(start, (s, x) => {
      const end = engine.pf[x] - (rates.timing === 'end' && rates.mf ? rates.mf[x] : 0);
      return (5 * rates.asfr[x] * (s + end)) / 2;
    });
    out.push({
      year: input.baseYear + 5 * (k + 1),
      population: { female: Array.from(engine.pf), male: Array.from(engine.pm) },
      births: { female: engine.birthsF, male: engine.birthsM, total: engine.birthsF + engine.birthsM },
      birthsByMotherAge: byAge,
      deaths: { female: engine.deathsF, male: engine.deathsM },
    });
  }
  return { ok: true, value: out, warnings };
}
