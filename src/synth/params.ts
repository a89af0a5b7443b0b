/**
 * Calibration of the synthetic city, as data with sources and grades (FACTS.md: P primary,
 * S secondary, U unverified / assumed). Nothing here is policy: these numbers only shape test
 * data. Change them here, never in the generator.
 */

export type Sourced<T> = { value: T; source: string; grade: 'P' | 'S' | 'U' };

export const CENSUS_DAY = '2020-11-01';
export const DEFAULT_AS_OF = '2025-12-31';

/** Resident population the plan's annex counts (sum of the 16 management areas). */
export const BASE_POPULATION: Sourced<number> = {
  value: 8_460_000,
  source: 'FACTS.md §4, annex slots ÷ 4.5 × 1000; census 8,460,088',
  grade: 'P',
};

/**
 * Age structure of 2020 in five-year groups: share of the population (%) and sex ratio
 * (men per 100 women). The broad groups match the census bulletin exactly (0–14 14.98%,
 * 15–59 70.62%, 60–64 3.91%, 65+ 10.49%; FACTS.md §4, S); the split inside each broad group
 * and the sex ratios by age are assumptions (U) chosen to give the bulletin's overall sex
 * ratio 104.74.
 */
export const AGE_GROUPS: Sourced<Array<{ from: number; to: number; share: number; sexRatio: number }>> = {
  value: [
    { from: 0, to: 4, share: 5.1, sexRatio: 110 },
    { from: 5, to: 9, share: 5.1, sexRatio: 112 },
    { from: 10, to: 14, share: 4.78, sexRatio: 112 },
    { from: 15, to: 19, share: 5.2, sexRatio: 111 },
    { from: 20, to: 24, share: 7.6, sexRatio: 109.5 },
    { from: 25, to: 29, share: 8.6, sexRatio: 108.5 },
    { from: 30, to: 34, share: 10.2, sexRatio: 107.5 },
    { from: 35, to: 39, share: 8.4, sexRatio: 106 },
    { from: 40, to: 44, share: 7.3, sexRatio: 106 },
    { from: 45, to: 49, share: 8.4, sexRatio: 105 },
    { from: 50, to: 54, share: 8.0, sexRatio: 104.5 },
    { from: 55, to: 59, share: 6.92, sexRatio: 102 },
    { from: 60, to: 64, share: 3.91, sexRatio: 98 },
    { from: 65, to: 69, share: 4.0, sexRatio: 95 },
    { from: 70, to: 74, share: 2.7, sexRatio: 92 },
    { from: 75, to: 79, share: 1.7, sexRatio: 87 },
    { from: 80, to: 84, share: 1.2, sexRatio: 78 },
    { from: 85, to: 100, share: 0.89, sexRatio: 62 },
  ],
  source: 'Kunming 7th census bulletin broad groups (FACTS.md §4); split and sex ratios assumed',
  grade: 'U',
};

/** Census 2020: collective households hold 1,221,288 of 8,460,088 residents. */
export const COLLECTIVE_SHARE: Sourced<number> = {
  value: 1_221_288 / 8_460_088,
  source: 'FACTS.md §4 households 2020',
  grade: 'S',
};
/** Census 2020: 315,728 collective households → 3.87 people each. */
export const COLLECTIVE_HOUSEHOLD_SIZE: Sourced<number> = {
  value: 1_221_288 / 315_728,
  source: 'FACTS.md §4',
  grade: 'S',
};
/** Census 2020: 3,004,398 family households, 7,238,800 people → 2.41 each. */
export const FAMILY_HOUSEHOLD_SIZE: Sourced<number> = {
  value: 7_238_800 / 3_004_398,
  source: 'FACTS.md §4',
  grade: 'S',
};

/** Live births by calendar year (2025 is an assumption: no bulletin yet). */
export const BIRTHS_BY_YEAR: Sourced<Record<number, number>> = {
  value: { 2020: 81_642, 2021: 76_858, 2022: 63_800, 2023: 65_400, 2024: 68_500, 2025: 66_000 },
  source: 'city statistical bulletins via FACTS.md §4; 2025 assumed',
  grade: 'S',
};

/** Sex ratio at birth (boys per 100 girls): China's census 2020 gives 111.3; Yunnan runs lower. */
export const SEX_RATIO_AT_BIRTH: Sourced<number> = {
  value: 110,
  source: 'assumed between Yunnan and the national 111.3 (FACTS.md §4)',
  grade: 'U',
};

/** Birth-order shares of recent births: 1st, 2nd, 3rd, 4th or later. */
export const BIRTH_ORDER_SHARES: Sourced<number[]> = {
  value: [0.5, 0.38, 0.1, 0.02],
  source: 'assumed from national 2020s patterns (issue brief: 1st ~50%, 2nd ~38%, 3rd+ ~12%)',
  grade: 'U',
};

/** Mean age of the mother at a birth of order 1, 2, 3, 4+ (standard deviation 4.2 years). */
export const MOTHER_AGE_BY_ORDER: Sourced<number[]> = {
  value: [28.2, 31.4, 33.4, 35],
  source: 'assumed',
  grade: 'U',
};

/** Deliveries that are twins (so about 1.8% of babies are twins). */
export const TWIN_DELIVERY_RATE: Sourced<number> = { value: 0.009, source: 'assumed', grade: 'U' };

/**
 * Mortality of young children and mothers, set just inside the plan's 2025 targets
 * (IMR < 3‰, U5MR < 4‰, MMR < 10/100k; FACTS.md §5).
 */
export const CHILD_MATERNAL_MORTALITY: Sourced<{ imr: number; u5mr: number; mmr: number }> = {
  value: { imr: 0.0027, u5mr: 0.0036, mmr: 0.00009 },
  source: 'plan §(二) targets (FACTS.md §5); levels assumed just below them',
  grade: 'U',
};

/** Crude death rate the adult mortality curve is scaled to (2023 7.70‰, 2024 7.61‰). */
export const CRUDE_DEATH_RATE: Sourced<number> = {
  value: 0.0077,
  source: 'city bulletins 2023–2024 (FACTS.md §4); 2020–2022 assumed slightly lower',
  grade: 'S',
};

/**
 * Migration into and out of Kunming per year (share of residents), assumed so that the
 * resident population grows to about 8.68 M by 2023 and then flattens (FACTS.md §4).
 */
export const MIGRATION: Sourced<{
  inRate: number;
  outRateByYear: Record<number, number>;
  collectiveOutRate: number;
  internalMoveRate: number;
}> = {
  value: {
    inRate: 0.021,
    /** Families leaving; students and workers in collective households leave at collectiveOutRate. */
    outRateByYear: { 2020: 0.007, 2021: 0.007, 2022: 0.0075, 2023: 0.008, 2024: 0.0155, 2025: 0.0155 },
    collectiveOutRate: 0.045,
    internalMoveRate: 0.02,
  },
  source: 'assumed to reproduce year-end populations 2023 8.680 M, 2024 8.687 M (FACTS.md §4)',
  grade: 'U',
};

/** Share of residents whose hukou is outside Kunming (户籍在外). */
export const OUTSIDE_HUKOU_SHARE: Sourced<number> = {
  value: 0.28,
  source: 'assumed: Kunming registered population ≈ 6 M against 8.46 M residents',
  grade: 'U',
};

/** Share of married women among women of each age band (families only). */
export const MARRIED_SHARE_BY_AGE: Sourced<Array<[number, number]>> = {
  value: [
    [20, 0.2],
    [25, 0.58],
    [30, 0.84],
    [35, 0.9],
    [50, 0.88],
    [60, 0.8],
    [70, 0.62],
    [80, 0.38],
    [90, 0.18],
  ],
  source: 'assumed (census-like marital status by age)',
  grade: 'U',
};

/** Yearly probability that a single woman of the band marries. */
export const MARRIAGE_RATE_BY_AGE: Sourced<Array<[number, number]>> = {
  value: [
    [20, 0.06],
    [23, 0.12],
    [26, 0.16],
    [30, 0.09],
    [35, 0.035],
    [40, 0.01],
    [50, 0],
  ],
  source: 'assumed',
  grade: 'U',
};

/** Employment among 18–59 year olds not in school (men, women). */
export const EMPLOYMENT_RATE: Sourced<{ male: number; female: number }> = {
  value: { male: 0.86, female: 0.72 },
  source: 'assumed',
  grade: 'U',
};

/** Enrolment shares by stage (kindergarten 3–5, primary 6–11, junior 12–14, senior 15–17). */
export const ENROLMENT_RATE: Sourced<{
  kindergarten: number;
  primary: number;
  junior: number;
  senior: number;
}> = {
  value: { kindergarten: 0.9, primary: 0.995, junior: 0.98, senior: 0.86 },
  source: 'assumed near national gross enrolment rates',
  grade: 'U',
};

/** Coverage of the department feeds among eligible residents. */
export const COVERAGE: Sourced<{
  medicalInsurance: number;
  socialSecurityCard: number;
  housingFundUrban: number;
  housingFundRural: number;
  vaccinationDose: number;
  specialFamily: number;
}> = {
  value: {
    medicalInsurance: 0.95,
    socialSecurityCard: 0.9,
    housingFundUrban: 0.45,
    housingFundRural: 0.15,
    vaccinationDose: 0.97,
    specialFamily: 0.004,
  },
  source: 'assumed',
  grade: 'U',
};
