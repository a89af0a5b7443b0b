/**
 * Calibration statistics of a synthetic city, computed from the records a sink receives, so
 * they describe exactly what the feeds carry. `summarize(options)` runs a city without files.
 */
import { ageOn, dayOf, dayOfIso, parseDay, yearOf } from './dates.ts';
import { generateCity } from './generate.ts';
import type { CitySink, SynthHousehold, SynthOptions } from './model.ts';
import { CENSUS_DAY } from './params.ts';

export type CitySummary = {
  seed: number;
  scale: number;
  asOf: string;
  census: {
    population: number;
    byArea: Record<string, number>;
    male: number;
    female: number;
    sexRatio: number;
    share0to14: number;
    share15to59: number;
    share60plus: number;
    share65plus: number;
    familyHouseholds: number;
    familyPersons: number;
    collectiveHouseholds: number;
    collectivePersons: number;
    outsideHukouShare: number;
  };
  births: Record<number, number>;
  sexRatioAtBirth: number;
  /** Shares of births 2021.. by order: 1, 2, 3+. */
  birthOrderShares: { first: number; second: number; thirdPlus: number };
  twinsBorn: number;
  deaths: Record<number, number>;
  infantDeaths: number;
  under5Deaths: number;
  maternalDeaths: number;
  /** Per 1,000 live births 2021..as-of (period rates). */
  imr: number;
  u5mr: number;
  /** Per 100,000 live births 2021..as-of. */
  mmr: number;
  marriages: Record<number, number>;
  arrivals: Record<number, number>;
  departures: Record<number, number>;
  yearEndPopulation: Record<number, number>;
  persons: number;
  households: number;
};

const round = (x: number, digits = 4): number => Number(x.toFixed(digits));

export function createSummarizer(): CitySink & { result(): CitySummary } {
  const census = parseDay(CENSUS_DAY);
  let info = { seed: 0, scale: 0, asOf: '' };
  let asOf = 0;
  const byArea: Record<string, number> = {};
  let pop = 0;
  let male = 0;
  let a0 = 0;
  let a15 = 0;
  let a60 = 0;
  let a65 = 0;
  let famH = 0;
  let famP = 0;
  let colH = 0;
  let colP = 0;
  let outside = 0;
  const births: Record<number, number> = {};
  let boys = 0;
  let girls = 0;
  const orders = [0, 0, 0];
  let twins = 0;
  const deaths: Record<number, number> = {};
  let infant = 0;
  let under5 = 0;
  let maternal = 0;
  let recentBirths = 0;
  const marriages: Record<number, number> = {};
  const arrivals: Record<number, number> = {};
  const departures: Record<number, number> = {};
  const yearEnds: number[] = [];
  const yearEnd: Record<number, number> = {};
  let persons = 0;
  let households = 0;
  const inc = (r: Record<number, number>, y: number, by = 1): void => {
    r[y] = (r[y] ?? 0) + by;
  };
  return {
    start(i) {
      info = { seed: i.seed, scale: i.scale, asOf: i.asOf };
      asOf = parseDay(i.asOf);
      for (let y = 2020; dayOf(y, 12, 31) <= asOf; y++) {
        yearEnds.push(dayOf(y, 12, 31));
        yearEnd[y] = 0;
      }
    },
    area(a) {
      famH += a.familyHouseholds;
      famP += a.familyPersons;
      colH += a.collectiveHouseholds;
      colP += a.collectivePersons;
    },
    household(h: SynthHousehold) {
      households++;
      for (const p of h.members) {
        persons++;
        const birth = dayOfIso(p.birthDate);
        const arrive = p.inDate ? dayOfIso(p.inDate) : birth;
        const death = p.deathDate ? dayOfIso(p.deathDate) : Number.POSITIVE_INFINITY;
        const out = p.outDate ? dayOfIso(p.outDate) : Number.POSITIVE_INFINITY;
        if (!p.inDate && birth <= census) {
          pop++;
          byArea[h.area] = (byArea[h.area] ?? 0) + 1;
          if (p.sex === 'male') male++;
          const age = ageOn(birth, census);
          if (age < 15) a0++;
          else if (age < 60) a15++;
          else a60++;
          if (age >= 65) a65++;
          if (p.hukouArea === null) outside++;
        }
        for (let k = 0; k < yearEnds.length; k++) {
          const d = yearEnds[k];
          if (birth <= d && arrive <= d && death > d && out > d) yearEnd[2020 + k]++;
        }
        if (p.birth) {
          const y = yearOf(birth);
          inc(births, y);
          if (p.twin) twins++;
          if (birth > census) {
            if (p.sex === 'male') boys++;
            else girls++;
          }
          if (y >= 2021) {
            recentBirths++;
            const o = p.birthOrder ?? 1;
            orders[Math.min(o, 3) - 1]++;
          }
        }
        if (p.deathDate) {
          const y = yearOf(death);
          inc(deaths, y);
          if (y >= 2021) {
            const age = ageOn(birth, death);
            if (age < 1) infant++;
            if (age < 5) under5++;
            if (p.maternalDeath) maternal++;
          }
        }
        if (p.marriageDate && p.sex === 'female') inc(marriages, yearOf(dayOfIso(p.marriageDate)));
        if (p.inDate) inc(arrivals, yearOf(arrive));
        if (p.outDate) inc(departures, yearOf(out));
      }
    },
    result(): CitySummary {
      const rb = Math.max(1, recentBirths);
      let recentLive = 0;
      for (const [y, n] of Object.entries(births)) if (Number(y) >= 2021) recentLive += n;
      const live = Math.max(1, recentLive);
      return {
        ...info,
        census: {
          population: pop,
          byArea,
          male,
          female: pop - male,
          sexRatio: round((male / Math.max(1, pop - male)) * 100, 2),
          share0to14: round(a0 / pop),
          share15to59: round(a15 / pop),
          share60plus: round(a60 / pop),
          share65plus: round(a65 / pop),
          familyHouseholds: famH,
          familyPersons: famP,
          collectiveHouseholds: colH,
          collectivePersons: colP,
          outsideHukouShare: round(outside / pop),
        },
        births,
        sexRatioAtBirth: round((boys / Math.max(1, girls)) * 100, 2),
        birthOrderShares: {
          first: round(orders[0] / rb),
          second: round(orders[1] / rb),
          thirdPlus: round(orders[2] / rb),
        },
        twinsBorn: twins,
        deaths,
        infantDeaths: infant,
        under5Deaths: under5,
        maternalDeaths: maternal,
        imr: round((infant / live) * 1000, 3),
        u5mr: round((under5 / live) * 1000, 3),
        mmr: round((maternal / live) * 100_000, 2),
        marriages,
        arrivals,
        departures,
        yearEndPopulation: yearEnd,
        persons,
        households,
      };
    },
  };
}

/** Generates a city in memory (no files) and returns its calibration statistics. */
export async function summarize(options: SynthOptions): Promise<CitySummary> {
  const s = createSummarizer();
  await generateCity(options, s);
  return s.result();
}
