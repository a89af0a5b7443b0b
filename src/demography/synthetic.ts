/**
 * Synthetic but plausible Kunming-like projection inputs for tests, benchmarks and demos (no real
 * microdata): the 2020 population (8.46 M, split by the 16 management areas of the childcare
 * annex, FACTS.md §4), Gompertz–Makeham mortality (Makeham 1860) scaled to e(0) 81.45 (female) and
 * 76.78 (male) — Kunming 2018 — a Hadwiger fertility pattern with TFR 1.0 and Rogers–Castro net
 * in-migration. Deterministic: no randomness, no clock.
 */
import { defaultFertilityShape } from './fertility.ts';
import { buildLifeTable, type Sex } from './life-table.ts';
import { migrationByAge } from './migration.ts';
import { leeCarterFromSchedule, solveK } from './mortality.ts';
import type { ProjectionInput } from './projection.ts';

/** The 16 management areas and their 2020 populations as the childcare annex counted them (FACTS.md §4). */
export const KUNMING_AREAS: ReadonlyArray<{ name: string; population: number }> = Object.freeze([
  { name: '五华区', population: 1_143_111 },
  { name: '盘龙区', population: 988_000 },
  { name: '官渡区', population: 1_432_000 },
  { name: '西山区', population: 961_111 },
  { name: '呈贡区', population: 488_889 },
  { name: '晋宁区', population: 346_000 },
  { name: '东川区', population: 261_111 },
  { name: '安宁市', population: 484_000 },
  { name: '富民县', population: 148_889 },
  { name: '宜良县', population: 385_111 },
  { name: '嵩明县', population: 411_111 },
  { name: '石林县', population: 240_889 },
  { name: '禄劝县', population: 378_889 },
  { name: '寻甸县', population: 460_889 },
  { name: '经开区', population: 290_000 },
  { name: '阳宗海', population: 40_000 },
]);

/**
 * Gompertz–Makeham rates with an infant and childhood component:
 * m(x) = A + B·e^{c·x} + I·e^{−d·x} (Makeham 1860; Siler-type juvenile term), x = 0..openAge.
 */
export function gompertzMakeham(
  openAge: number,
  p: { A: number; B: number; c: number; I: number; d: number },
): Float64Array {
  const m = new Float64Array(openAge + 1);
  for (let x = 0; x <= openAge; x++) m[x] = p.A + p.B * Math.exp(p.c * (x + 0.5)) + p.I * Math.exp(-p.d * x);
  return m;
}

/** Mortality for one sex with e(0) exactly `e0` (Gompertz–Makeham shape, level by {@link solveK}). */
export function syntheticMortality(sex: Sex, e0: number, openAge = 100): Float64Array {
  const shape =
    sex === 'female'
      ? gompertzMakeham(openAge, { A: 0.0002, B: 0.000025, c: 0.1, I: 0.004, d: 1.2 })
      : gompertzMakeham(openAge, { A: 0.0005, B: 0.00005, c: 0.095, I: 0.005, d: 1.2 });
  const r = solveK(leeCarterFromSchedule(shape), e0, sex, { tolerance: 1e-9 });
  return r.ok ? r.value.m : shape;
}

/** Options of {@link kunmingLikeInput}. */
export type SyntheticOptions = {
  population?: number;
  horizon?: number;
  openAge?: number;
  baseYear?: number;
  tfr?: number;
  /** Net migrants per year (both sexes); default 0.4% of the population. */
  netMigration?: number;
};

/**
 * A contract-shaped projection input for a Kunming-like population of the given size (default
 * the city, 8,460,000): sex ratio 104.74, an age structure built from the life table and
 * cohort sizes reflecting falling births (0–14 ≈ 16%, 60+ ≈ 15%, 65+ ≈ 12%), TFR 1.0 by default.
 */
export function kunmingLikeInput(options: SyntheticOptions = {}): ProjectionInput {
  const openAge = options.openAge ?? 100;
  const total = options.population ?? 8_460_000;
  const mf = syntheticMortality('female', 81.45, openAge);
  const mm = syntheticMortality('male', 76.78, openAge);
  const Lf = buildLifeTable(mf, { sex: 'female' }).L;
  const Lm = buildLifeTable(mm, { sex: 'male' }).L;
  // Relative birth-cohort size by age: small recent cohorts, large 1980s–1990s cohorts.
  const cohort = (x: number) => {
    if (x < 15) return 0.55 + 0.025 * x;
    if (x < 20) return 1.0;
    if (x < 40) return 1.2;
    if (x < 50) return 1.05;
    if (x < 60) return 0.85 - 0.015 * (x - 50);
    return 0.55 - 0.004 * (x - 60);
  };
  const rawF = Array.from({ length: openAge + 1 }, (_, x) => Lf[x] * cohort(x));
  const rawM = Array.from({ length: openAge + 1 }, (_, x) => Lm[x] * cohort(x) * 1.06);
  const sf = rawF.reduce((a, b) => a + b, 0);
  const sm = rawM.reduce((a, b) => a + b, 0);
  const female = total * (4_132_101 / 8_460_088);
  const male = total - female;
  const shape = defaultFertilityShape();
  const tfr = options.tfr ?? 1.0;
  const mig = migrationByAge(options.netMigration ?? total * 0.004, { openAge, femaleShare: 0.49 });
  return {
    baseYear: options.baseYear ?? 2020,
    horizon: options.horizon ?? 30,
    openAge,
    population: { female: rawF.map((v) => (v * female) / sf), male: rawM.map((v) => (v * male) / sm) },
    fertility: { startAge: 15, asfr: Array.from(shape, (g) => g * tfr) },
    srb: 1.06,
    mortality: { female: Array.from(mf), male: Array.from(mm) },
    migration: { female: Array.from(mig.female), male: Array.from(mig.male), timing: 'even' },
  };
}
