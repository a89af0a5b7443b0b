/**
 * Demographic and planning indicators, each a formula (numerator / denominator × factor, as
 * DHIS2 stores indicators) with its source. Rates per 1,000 or per 100,000 as conventional;
 * money in integer fen. Definitions: Preston, Heuveline & Guillot (2001) ch. 1–5; WHO/UN IGME for
 * IMR, U5MR, MMR; the Kunming plan (FACTS.md §5) for the childcare norm of 4.5 slots per 1,000
 * residents; the national childcare subsidy (育儿补贴) of 3,600 yuan per child under 3 per year.
 */
import { type Issue, issue, type Result } from './issues.ts';

const ok = <T>(value: T, warnings: Issue[] = []): Result<T> => ({ ok: true, value, warnings });

function ratio(num: number, den: number, factor: number, denominator: string): Result<number> {
  if (!Number.isFinite(num) || num < 0)
    return { ok: false, issues: [issue('indicator.invalid_value', ['numerator'], { got: num })] };
  if (!Number.isFinite(den) || den < 0)
    return { ok: false, issues: [issue('indicator.invalid_value', ['denominator'], { got: den })] };
  if (den === 0)
    return { ok: false, issues: [issue('indicator.zero_denominator', ['denominator'], { denominator })] };
  return ok((num / den) * factor);
}

/** Age-specific fertility rates F(x) = B(x) / W(x) (births to women aged x over woman-years at x). */
export function asfrFromCounts(births: readonly number[], women: readonly number[]): Result<number[]> {
  const issues: Issue[] = [];
  if (births.length !== women.length)
    return {
      ok: false,
      issues: [
        issue('projection.length_mismatch', ['women'], { expected: births.length, got: women.length }),
      ],
    };
  const out = births.map((b, i) => {
    const r = ratio(b, women[i], 1, `women[${i}]`);
    if (!r.ok) {
      issues.push(...r.issues.map((x) => ({ ...x, path: [i, ...x.path] })));
      return 0;
    }
    return r.value;
  });
  return issues.length > 0 ? { ok: false, issues } : ok(out);
}

/** TFR = width · Σ F(x) (width 1 for single years, 5 for 5-year groups). */
export function totalFertilityRate(asfr: ArrayLike<number>, width = 1): number {
  let s = 0;
  for (let i = 0; i < asfr.length; i++) s += asfr[i];
  return width * s;
}

/** TFR directly from counts: Σ B(x)/W(x). */
export function tfrFromCounts(
  births: readonly number[],
  women: readonly number[],
  width = 1,
): Result<number> {
  const r = asfrFromCounts(births, women);
  return r.ok ? ok(totalFertilityRate(r.value, width)) : r;
}

/** Crude birth rate per 1,000: births / mid-year population × 1,000. */
export function crudeBirthRate(births: number, midYearPopulation: number): Result<number> {
  return ratio(births, midYearPopulation, 1000, 'mid-year population');
}

/** Crude death rate per 1,000: deaths / mid-year population × 1,000. */
export function crudeDeathRate(deaths: number, midYearPopulation: number): Result<number> {
  return ratio(deaths, midYearPopulation, 1000, 'mid-year population');
}

/** Sex ratio at birth, male births per 100 female births (China's convention, e.g. 111.3 in 2020). */
export function sexRatioAtBirth(maleBirths: number, femaleBirths: number): Result<number> {
  return ratio(maleBirths, femaleBirths, 100, 'female births');
}

/** Infant mortality rate per 1,000 live births from the life table: 1,000·q(0). */
export function imrFromQ0(q0: number): number {
  return 1000 * q0;
}

/**
 * Under-5 mortality per 1,000 live births from the life table: 1,000·₅q₀ with
 * ₅q₀ = 1 − (1 − q0)(1 − ₄q₁) (or 1 − Π_{x<5}(1 − q(x)) for single years).
 */
export function u5mrFromQ(q: readonly number[] | { q0: number; q1to4: number }): number {
  if (Array.isArray(q)) {
    let surv = 1;
    for (let x = 0; x < 5 && x < q.length; x++) surv *= 1 - q[x];
    return 1000 * (1 - surv);
  }
  const v = q as { q0: number; q1to4: number };
  return 1000 * (1 - (1 - v.q0) * (1 - v.q1to4));
}

/** IMR from counts: infant deaths / live births × 1,000 (WHO definition). */
export function imrFromCounts(infantDeaths: number, liveBirths: number): Result<number> {
  return ratio(infantDeaths, liveBirths, 1000, 'live births');
}

/** U5MR from counts (a cohort approximation): deaths under 5 / live births × 1,000. */
export function u5mrFromCounts(deathsUnder5: number, liveBirths: number): Result<number> {
  return ratio(deathsUnder5, liveBirths, 1000, 'live births');
}

/** Maternal mortality ratio per 100,000 live births (WHO): maternal deaths / live births × 100,000. */
export function maternalMortalityRatio(maternalDeaths: number, liveBirths: number): Result<number> {
  return ratio(maternalDeaths, liveBirths, 100000, 'live births');
}

/** Sum of a population vector over ages [from, to] inclusive (single years; last entry open). */
export function populationBetween(pop: ArrayLike<number>, from: number, to = pop.length - 1): number {
  let s = 0;
  for (let x = Math.max(0, from); x <= to && x < pop.length; x++) s += pop[x];
  return s;
}

/** Dependency ratios per 100 persons aged 15–64. */
export type DependencyRatios = { young: number; old: number; total: number };

/**
 * Dependency ratios (Preston, Heuveline & Guillot 2001, §1): young = P(0–14)/P(15–64)·100,
 * old = P(65+)/P(15–64)·100, total = young + old. Single-year population, last entry open (≥ 65).
 */
export function dependencyRatios(pop: ArrayLike<number>): Result<DependencyRatios> {
  const working = populationBetween(pop, 15, 64);
  const young = populationBetween(pop, 0, 14);
  const old = populationBetween(pop, 65);
  if (!(working > 0))
    return { ok: false, issues: [issue('indicator.zero_denominator', [], { denominator: 'P(15–64)' })] };
  const y = (100 * young) / working;
  const o = (100 * old) / working;
  return ok({ young: y, old: o, total: y + o });
}

/** Share of the population aged `age` and over (e.g. 60 or 65), as a fraction. */
export function shareAged(pop: ArrayLike<number>, age: number): Result<number> {
  const total = populationBetween(pop, 0);
  if (!(total > 0))
    return {
      ok: false,
      issues: [issue('indicator.zero_denominator', [], { denominator: 'total population' })],
    };
  return ok(populationBetween(pop, age) / total);
}

/** The population aged 0–2 (under 3, the childcare and subsidy age), from single-year ages. */
export function population0to2(pop: ArrayLike<number>): number {
  return populationBetween(pop, 0, 2);
}

/** The Kunming plan's childcare norm: 4.5 slots per 1,000 residents (FACTS.md §5). */
export const CHILDCARE_SLOTS_PER_1000 = 4.5;

/** Childcare-slot demand against the norm. */
export type ChildcareDemand = {
  /** Children 0–2 × enrolment assumption. */
  demand: number;
  /** Residents × 4.5 / 1,000. */
  normSlots: number;
  /** demand − normSlots (positive: the norm falls short of demand). */
  gap: number;
  /** Demand per 1,000 residents, comparable with 4.5. */
  demandPer1000: number;
};

/**
 * Childcare slots demanded = population 0–2 × enrolment rate, compared with the norm of
 * 4.5 slots per 1,000 residents.
 */
export function childcareSlotDemand(args: {
  population0to2: number;
  enrolmentRate: number;
  residents: number;
  slotsPer1000?: number;
}): Result<ChildcareDemand> {
  const { population0to2: p, enrolmentRate: r, residents } = args;
  const per1000 = args.slotsPer1000 ?? CHILDCARE_SLOTS_PER_1000;
  const issues: Issue[] = [];
  if (!(Number.isFinite(p) && p >= 0))
    issues.push(issue('indicator.invalid_value', ['population0to2'], { got: p }));
  if (!(Number.isFinite(r) && r >= 0 && r <= 1))
    issues.push(issue('indicator.invalid_value', ['enrolmentRate'], { got: r }));
  if (!(Number.isFinite(residents) && residents >= 0))
    issues.push(issue('indicator.invalid_value', ['residents'], { got: residents }));
  if (issues.length > 0) return { ok: false, issues };
  if (residents === 0)
    return {
      ok: false,
      issues: [issue('indicator.zero_denominator', ['residents'], { denominator: 'residents' })],
    };
  const demand = p * r;
  const normSlots = (residents * per1000) / 1000;
  return ok({ demand, normSlots, gap: demand - normSlots, demandPer1000: (1000 * demand) / residents });
}

/** The national childcare subsidy: 3,600 yuan per child under 3 per year, in fen. */
export const CHILDCARE_SUBSIDY_FEN_PER_CHILD_YEAR = 360_000;

/** The same per month (3,600 / 12 = 300 yuan), in fen. */
export const CHILDCARE_SUBSIDY_FEN_PER_CHILD_MONTH = 30_000;

/**
 * Rounds to the nearest integer, ties to even (banker's rounding, as in IEEE 754 and Python's
 * round), treating values within 1e-9 of a half as a tie so that float noise in x.5 products
 * does not decide the direction.
 */
export function roundHalfEven(v: number): number {
  const f = Math.floor(v);
  const diff = v - f;
  if (Math.abs(diff - 0.5) <= 1e-9) return f % 2 === 0 ? f : f + 1;
  return diff < 0.5 ? f : f + 1;
}

/**
 * The national childcare-subsidy budget in integer fen.
 * - `childMonths` (integers: eligible months under 3 summed over children): exactly
 *   months × 30,000 fen.
 * - `childYears` (e.g. the projected average population 0–2, possibly fractional):
 *   child-years × 360,000 fen, rounded once, at the end, to the nearest fen with ties to even.
 * - `children` (a head count of eligible children for a full year): children × 360,000.
 * Money never goes through floats beyond that single rounding; results beyond
 * Number.MAX_SAFE_INTEGER fen return `money.not_safe_integer`.
 */
export function childcareSubsidyBudgetFen(
  args: { childYears: number } | { childMonths: number } | { children: number },
  fenPerChildYear = CHILDCARE_SUBSIDY_FEN_PER_CHILD_YEAR,
): Result<number> {
  let fen: number;
  if ('childMonths' in args) {
    const m = args.childMonths;
    if (!(Number.isSafeInteger(m) && m >= 0))
      return { ok: false, issues: [issue('indicator.invalid_value', ['childMonths'], { got: m })] };
    if (fenPerChildYear % 12 !== 0) fen = roundHalfEven((m * fenPerChildYear) / 12);
    else fen = m * (fenPerChildYear / 12);
  } else if ('children' in args) {
    const c = args.children;
    if (!(Number.isSafeInteger(c) && c >= 0))
      return { ok: false, issues: [issue('indicator.invalid_value', ['children'], { got: c })] };
    fen = c * fenPerChildYear;
  } else {
    const y = args.childYears;
    if (!(Number.isFinite(y) && y >= 0))
      return { ok: false, issues: [issue('indicator.invalid_value', ['childYears'], { got: y })] };
    fen = roundHalfEven(y * fenPerChildYear);
  }
  if (!Number.isSafeInteger(fen))
    return { ok: false, issues: [issue('money.not_safe_integer', [], { got: fen })] };
  return ok(fen);
}
