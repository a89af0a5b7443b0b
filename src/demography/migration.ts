/**
 * Net migration by age from a total and a Rogers–Castro model schedule (Rogers & Castro 1981,
 * "Model migration schedules", IIASA RR-81-30; Rogers, Raquillet & Castro 1978):
 *
 *   m(x) = a1·e^{−α1·x}                                   pre-labour-force (children move with parents)
 *        + a2·e^{−α2(x−μ2) − e^{−λ2(x−μ2)}}                labour-force peak
 *        + a3·e^{−α3(x−μ3) − e^{−λ3(x−μ3)}}                retirement peak (11-parameter model)
 *        + a4·e^{λ4·x}                                     post-retirement rise (13-parameter model)
 *        + c                                               constant
 */

/** Parameters of the 7-, 11- or 13-parameter Rogers–Castro schedule. */
export type RogersCastroParameters = {
  a1: number;
  alpha1: number;
  a2: number;
  alpha2: number;
  mu2: number;
  lambda2: number;
  c: number;
  /** Retirement peak (11-parameter model). */
  a3?: number;
  alpha3?: number;
  mu3?: number;
  lambda3?: number;
  /** Post-retirement upward slope (13-parameter model). */
  a4?: number;
  lambda4?: number;
};

/**
 * Default 7-parameter schedule, close to the mean "fundamental" parameters Rogers & Castro (1981,
 * Table 6) report for their standard schedules: a labour peak near age 21–25 and a child
 * component falling with age. Data, not code: callers pass their own.
 */
export const ROGERS_CASTRO_STANDARD: Readonly<RogersCastroParameters> = Object.freeze({
  a1: 0.02,
  alpha1: 0.1,
  a2: 0.06,
  alpha2: 0.11,
  mu2: 20.8,
  lambda2: 0.41,
  c: 0.003,
});

/** Default 11-parameter schedule: the standard one plus a modest retirement peak near 62. */
export const ROGERS_CASTRO_WITH_RETIREMENT: Readonly<RogersCastroParameters> = Object.freeze({
  ...ROGERS_CASTRO_STANDARD,
  a3: 0.0005,
  alpha3: 0.5,
  mu3: 62,
  lambda3: 0.5,
});

/** The Rogers–Castro schedule m(x) at each age (mid-year of age, x + 0.5). */
export function rogersCastro(
  ages: readonly number[],
  p: RogersCastroParameters = ROGERS_CASTRO_STANDARD,
): Float64Array {
  const out = new Float64Array(ages.length);
  for (let i = 0; i < ages.length; i++) {
    const x = ages[i] + 0.5;
    let v = p.a1 * Math.exp(-p.alpha1 * x);
    v += p.a2 * Math.exp(-p.alpha2 * (x - p.mu2) - Math.exp(-p.lambda2 * (x - p.mu2)));
    if (p.a3 !== undefined && p.alpha3 !== undefined && p.mu3 !== undefined && p.lambda3 !== undefined) {
      v += p.a3 * Math.exp(-p.alpha3 * (x - p.mu3) - Math.exp(-p.lambda3 * (x - p.mu3)));
    }
    if (p.a4 !== undefined && p.lambda4 !== undefined) v += p.a4 * Math.exp(p.lambda4 * x);
    out[i] = v + p.c;
  }
  return out;
}

/** Options of {@link migrationByAge}. */
export type MigrationByAgeOptions = {
  openAge: number;
  params?: RogersCastroParameters;
  /** Share of the migrants who are female (default 0.5). */
  femaleShare?: number;
};

/**
 * Distributes a net-migration total over single ages 0..openAge with a Rogers–Castro shape
 * (normalised to sum 1), then splits by sex; negative totals (net emigration) keep the shape.
 * The open group gets the schedule's value at the open age. Each sex's array sums exactly to
 * its share of the total up to floating-point rounding.
 */
export function migrationByAge(
  total: number,
  options: MigrationByAgeOptions,
): { female: Float64Array; male: Float64Array } {
  const ages = Array.from({ length: options.openAge + 1 }, (_, i) => i);
  const shape = rogersCastro(ages, options.params);
  let s = 0;
  for (const v of shape) s += v;
  const fs = options.femaleShare ?? 0.5;
  const female = new Float64Array(ages.length);
  const male = new Float64Array(ages.length);
  for (let x = 0; x < ages.length; x++) {
    const v = s > 0 ? (total * shape[x]) / s : 0;
    female[x] = v * fs;
    male[x] = v * (1 - fs);
  }
  return { female, male };
}
