/**
 * The cohort-component kernel: one projection step on Float64Array buffers, no allocation per
 * step. The formulas are those of the projection contract (shared/specs/projection.md), i.e. the
 * UN World Population Prospects single-year method (United Nations 2022, WPP methodology report,
 * ch. on projection), which is Preston, Heuveline & Guillot (2001) §6.3 / Box 6.2 with n = 1.
 * With `width = 5` the same kernel runs a 5-year-group, 5-year-step Leslie-type projection
 * exactly as in Box 6.2 (births multiplied by the 5-year width).
 */

/** When net migrants enter: half at the start and half at the end of the step, or all at the end. */
export type Timing = 'even' | 'end';

/** Rates applied in one step. All arrays have one entry per age group 0..ω. */
export type StepRates = {
  /** Female survival ratios S(x) (S(0) applies to births). */
  sf: Float64Array;
  /** Male survival ratios. */
  sm: Float64Array;
  /** Age-specific fertility rates (births per woman per year), zero outside the fertile ages. */
  asfr: Float64Array;
  /** Male births per female birth. */
  srb: number;
  /** Net female migrants during the step (null: none). */
  mf: Float64Array | null;
  /** Net male migrants during the step (null: none). */
  mm: Float64Array | null;
  timing: Timing;
};

/** Called for each negative cell floored to 0 (sex, age-group index, value before flooring). */
export type NegativeHandler = (sex: 'female' | 'male', group: number, value: number) => void;

/**
 * A reusable projection engine for `groups` age groups of `width` years (1 or 5). Holds the
 * current population and, after each {@link CohortComponentEngine.step}, that step's births,
 * deaths and migration per sex. Steps allocate nothing.
 */
export class CohortComponentEngine {
  readonly groups: number;
  readonly width: number;
  /** Current female population by age group. */
  pf: Float64Array;
  /** Current male population by age group. */
  pm: Float64Array;
  private nf: Float64Array;
  private nm: Float64Array;
  private readonly starF: Float64Array;
  private readonly starM: Float64Array;
  private readonly endF: Float64Array;
  private readonly endM: Float64Array;
  birthsF = 0;
  birthsM = 0;
  deathsF = 0;
  deathsM = 0;
  migrationF = 0;
  migrationM = 0;
  /** Cells floored to 0 in the last step. */
  negatives = 0;
  onNegative: NegativeHandler | null = null;

  constructor(groups: number, width = 1) {
    this.groups = groups;
    this.width = width;
    this.pf = new Float64Array(groups);
    this.pm = new Float64Array(groups);
    this.nf = new Float64Array(groups);
    this.nm = new Float64Array(groups);
    this.starF = new Float64Array(groups);
    this.starM = new Float64Array(groups);
    this.endF = new Float64Array(groups);
    this.endM = new Float64Array(groups);
  }

  /** Sets the current population (copied). */
  setPopulation(female: ArrayLike<number>, male: ArrayLike<number>): void {
    for (let x = 0; x < this.groups; x++) {
      this.pf[x] = female[x];
      this.pm[x] = male[x];
    }
  }

  /**
   * One step t → t+1 (contract steps 1–7):
   * 1. even: P* = P + M/2, Mend = M/2; end: P* = P, Mend = 0.
   * 2. P′(x) = S(x)·P*(x−1) + Mend(x), 1 ≤ x < ω.
   * 3. P′(ω) = S(ω)·(P*(ω−1) + P*(ω)) + Mend(ω).
   * 4. B = width·Σ F(x)·(P*_f(x) + P′_f(x))/2; B_f = B/(1 + srb), B_m = B − B_f.
   * 5. P′(0) = S(0)·B_s + Mend(0).
   * 6. end: P′ += M.
   * 7. negative → 0 (reported through `onNegative`).
   * Deaths D = (1 − S(0))B_s + Σ(1 − S(x))P*(x−1) + (1 − S(ω))(P*(ω−1) + P*(ω)), so that
   * ΣP′ = ΣP + B − D + ΣM per sex before flooring.
   * If the fertile range includes age 0, P′_f(0) depends on B; the linear equation is solved
   * exactly rather than iterated.
   */
  step(r: StepRates): void {
    const G = this.groups;
    const w = G - 1;
    const { sf, sm, asfr, srb, mf, mm } = r;
    const even = r.timing === 'even';
    const pf = this.pf;
    const pm = this.pm;
    const starF = this.starF;
    const starM = this.starM;
    const endF = this.endF;
    const endM = this.endM;
    const nf = this.nf;
    const nm = this.nm;
    let migF = 0;
    let migM = 0;
    for (let x = 0; x < G; x++) {
      const a = mf === null ? 0 : mf[x];
      const b = mm === null ? 0 : mm[x];
      migF += a;
      migM += b;
      if (even) {
        starF[x] = pf[x] + a / 2;
        starM[x] = pm[x] + b / 2;
        endF[x] = a / 2;
        endM[x] = b / 2;
      } else {
        starF[x] = pf[x];
        starM[x] = pm[x];
        endF[x] = 0;
        endM[x] = 0;
      }
    }
    let dF = 0;
    let dM = 0;
    for (let x = 1; x < w; x++) {
      const cf = starF[x - 1];
      const cm = starM[x - 1];
      nf[x] = sf[x] * cf + endF[x];
      nm[x] = sm[x] * cm + endM[x];
      dF += (1 - sf[x]) * cf;
      dM += (1 - sm[x]) * cm;
    }
    if (w >= 1) {
      const cf = starF[w - 1] + starF[w];
      const cm = starM[w - 1] + starM[w];
      nf[w] = sf[w] * cf + endF[w];
      nm[w] = sm[w] * cm + endM[w];
      dF += (1 - sf[w]) * cf;
      dM += (1 - sm[w]) * cm;
    }
    let sum = 0;
    for (let x = 1; x < G; x++) {
      const f = asfr[x];
      if (f !== 0) sum += f * (starF[x] + nf[x]);
    }
    const width = this.width;
    const fb = 1 / (1 + srb);
    let births: number;
    const f0 = asfr[0];
    if (f0 === 0) births = (width * sum) / 2;
    else {
      // B = width/2·(sum + F0·(P*0 + S0·B·fb + Mend0)) solved for B.
      const num = (width / 2) * (sum + f0 * (starF[0] + endF[0]));
      const den = 1 - (width / 2) * f0 * sf[0] * fb;
      births = num / den;
    }
    const bF = births * fb;
    const bM = births - bF;
    nf[0] = sf[0] * bF + endF[0];
    nm[0] = sm[0] * bM + endM[0];
    dF += (1 - sf[0]) * bF;
    dM += (1 - sm[0]) * bM;
    if (!even) {
      if (mf !== null) for (let x = 0; x < G; x++) nf[x] += mf[x];
      if (mm !== null) for (let x = 0; x < G; x++) nm[x] += mm[x];
    }
    let neg = 0;
    for (let x = 0; x < G; x++) {
      if (nf[x] < 0) {
        neg++;
        this.onNegative?.('female', x, nf[x]);
        nf[x] = 0;
      }
      if (nm[x] < 0) {
        neg++;
        this.onNegative?.('male', x, nm[x]);
        nm[x] = 0;
      }
    }
    this.negatives = neg;
    this.birthsF = bF;
    this.birthsM = bM;
    this.deathsF = dF;
    this.deathsM = dM;
    this.migrationF = migF;
    this.migrationM = migM;
    this.nf = pf;
    this.nm = pm;
    this.pf = nf;
    this.pm = nm;
  }
}

/** Sum of a typed array (or a slice of it). */
export function sum(a: ArrayLike<number>, from = 0, to = a.length): number {
  let s = 0;
  for (let i = from; i < to; i++) s += a[i];
  return s;
}
