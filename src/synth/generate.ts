/**
 * Synthetic Kunming: builds each management area's residents on the census day 2020-11-01,
 * forms family and collective households, then lives through 2020-11-02 .. as-of year by year
 * (deaths, moves, arrivals and departures, marriages, births), and hands every household with
 * its members and their events to a sink. Area by area, in columnar typed arrays: memory grows
 * with the largest area, never with the city.
 */
import { streets as allStreets, type ManagementArea, managementAreas, type Street } from '../domain/areas.ts';
import { makeIdNumber } from '../domain/id-number.ts';
import { ageOn, civilOf, dayOf, isoOf, parseDay, roughAge, yearOf } from './dates.ts';
import type { CensusHouseholds, CitySink, Code, SynthHousehold, SynthOptions, SynthPerson } from './model.ts';
import {
  drawAddressLine,
  drawEmployerName,
  drawEthnicity,
  drawGivenName,
  drawPhone,
  drawSurname,
  ETHNIC_GROUPS,
  HISTORIC_CODES,
  makeCreditCode,
  OUTSIDE_COUNTIES,
  OUTSIDE_COUNTY_CUM,
  SURNAMES,
} from './names.ts';
import {
  AGE_GROUPS,
  BASE_POPULATION,
  BIRTH_ORDER_SHARES,
  BIRTHS_BY_YEAR,
  CENSUS_DAY,
  CHILD_MATERNAL_MORTALITY,
  COLLECTIVE_HOUSEHOLD_SIZE,
  COLLECTIVE_SHARE,
  CRUDE_DEATH_RATE,
  DEFAULT_AS_OF,
  EMPLOYMENT_RATE,
  MARRIAGE_RATE_BY_AGE,
  MARRIED_SHARE_BY_AGE,
  MIGRATION,
  MOTHER_AGE_BY_ORDER,
  OUTSIDE_HUKOU_SHARE,
  SEX_RATIO_AT_BIRTH,
  TWIN_DELIVERY_RATE,
} from './params.ts';
import { cumulative, hashInts, Rng } from './prng.ts';

const NEVER = 0x7fffffff;
const MAX_AGE = 100;
const MALE = 1;
const FEMALE = 2;

// Person flags.
const F_TWIN = 1;
const F_COLLECTIVE = 2;
const F_GRANDCHILD = 4;
const F_LONE_MOTHER = 8;
const F_OTHER_RELATIVE = 16;
const F_NEWBORN = 32;
const F_MARRIED_IN_WINDOW = 64;

// Death causes.
const C_GENERAL = 1;
const C_MATERNAL = 2;
const C_INFANT = 3;
const C_CHILD = 4;

const KUNMING_COUNTIES = [
  '530102',
  '530103',
  '530111',
  '530112',
  '530113',
  '530114',
  '530115',
  '530124',
  '530125',
  '530126',
  '530127',
  '530128',
  '530129',
  '530181',
];
/** Address codes an ID number may carry: Kunming counties, historic codes, places migrants come from. */
export const ID_CODES: readonly string[] = [
  ...KUNMING_COUNTIES,
  HISTORIC_CODES['530114'].code,
  HISTORIC_CODES['530115'].code,
  ...OUTSIDE_COUNTIES.map((c) => c.code),
];
const CODE_INDEX = new Map(ID_CODES.map((c, i) => [c, i]));
const FIRST_OUTSIDE = KUNMING_COUNTIES.length + 2;
const COUNTY_NAMES: Record<string, string> = Object.fromEntries(
  managementAreas.filter((a) => a.kind === 'county').map((a) => [a.code, a.name]),
);

const ID_FIRST_DAY = dayOf(1915, 1, 1);
const ID_LAST_DAY = dayOf(2030, 12, 31);
const ID_DAYS = ID_LAST_DAY - ID_FIRST_DAY + 1;

// ---------------------------------------------------------------------------------------------
// Calibration tables derived once from params.ts.

/** Expected share of the population for [sex-1][age] (sums to 1). */
const AGE_SEX_SHARE: Float64Array[] = (() => {
  const m = new Float64Array(MAX_AGE + 1);
  const f = new Float64Array(MAX_AGE + 1);
  const total = AGE_GROUPS.value.reduce((s, g) => s + g.share, 0);
  for (const g of AGE_GROUPS.value) {
    const n = g.to - g.from + 1;
    // Inside 85+ the numbers fall off geometrically; elsewhere flat within the group.
    const weights = Array.from({ length: n }, (_, k) => (g.from >= 85 ? 0.78 ** k : 1));
    const wsum = weights.reduce((s, w) => s + w, 0);
    const male = g.sexRatio / (100 + g.sexRatio);
    for (let k = 0; k < n; k++) {
      const share = (g.share / total) * (weights[k] / wsum);
      m[g.from + k] = share * male;
      f[g.from + k] = share * (1 - male);
    }
  }
  return [m, f];
})();

/** Relative chance of living in a collective household by age (students, workers, care homes). */
function collectiveWeight(age: number, male: boolean): number {
  if (age < 15) return 0.002;
  if (age < 18) return 0.12;
  if (age < 23) return 0.5;
  if (age < 30) return male ? 0.2 : 0.14;
  if (age < 45) return male ? 0.1 : 0.06;
  if (age < 60) return male ? 0.06 : 0.04;
  if (age < 80) return 0.01;
  return 0.04;
}
const COLLECTIVE_SCALE = (() => {
  let s = 0;
  for (let a = 0; a <= MAX_AGE; a++) {
    s += AGE_SEX_SHARE[0][a] * collectiveWeight(a, true) + AGE_SEX_SHARE[1][a] * collectiveWeight(a, false);
  }
  return COLLECTIVE_SHARE.value / s;
})();

/** Yearly death probability of a base-population person: child rates, then Gompertz from 15. */
const GOMPERTZ_SLOPE = 0.09;
function rawHazard(age: number, male: boolean): number {
  if (age === 0) return 0.0015;
  if (age < 5) return 0.0002;
  if (age < 15) return 0.0002;
  return Math.min(0.55, Math.exp(GOMPERTZ_SLOPE * age) * (male ? 1.35 : 0.72));
}
const GOMPERTZ_LEVEL = (() => {
  // Solve level so that the base pyramid dies at CRUDE_DEATH_RATE a year.
  let child = 0;
  let adult = 0;
  for (let a = 0; a <= MAX_AGE; a++) {
    for (const male of [true, false]) {
      const share = AGE_SEX_SHARE[male ? 0 : 1][a];
      if (a < 15) child += share * rawHazard(a, male);
      else adult += share * rawHazard(a, male);
    }
  }
  return (CRUDE_DEATH_RATE.value - child) / adult;
})();
function deathHazard(age: number, male: boolean): number {
  const a = Math.min(age, MAX_AGE);
  return a < 15 ? rawHazard(a, male) : Math.min(0.6, rawHazard(a, male) * GOMPERTZ_LEVEL);
}

function bandValue(table: Array<[number, number]>, age: number): number {
  let v = 0;
  for (const [from, value] of table) if (age >= from) v = value;
  return v;
}

const ORDER_CUM = cumulative(BIRTH_ORDER_SHARES.value);
const MALE_AT_BIRTH = SEX_RATIO_AT_BIRTH.value / (100 + SEX_RATIO_AT_BIRTH.value);

// ---------------------------------------------------------------------------------------------

/** Integer split of `total` by weights (largest remainder; ties in index order). */
export function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((s, w) => s + w, 0);
  const exact = weights.map((w) => (total * w) / sum);
  const out = exact.map(Math.floor);
  let left = total - out.reduce((s, v) => s + v, 0);
  const order = exact
    .map((e, i) => [e - Math.floor(e), i] as const)
    .sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) out[order[k][1]]++;
  return out;
}

/** Residents of each management area on the census day at this scale. */
export function areaTargets(scale: number): Array<{ area: ManagementArea; population: number }> {
  const total = Math.round(BASE_POPULATION.value * scale);
  const counts = apportion(
    total,
    managementAreas.map((a) => a.population2020),
  );
  return managementAreas.map((area, i) => ({ area, population: counts[i] }));
}

/** Sequence numbers of ID numbers already handed out: one counter per address code, day and sex. */
class IdRegistry {
  private readonly used = new Uint16Array(ID_CODES.length * ID_DAYS * 2);

  constructor(private readonly seed: number) {}

  /** Next free 3-digit sequence (odd for men) for that code and birth day. */
  next(codeIndex: number, birthDay: number, male: boolean): number {
    const slot = ((codeIndex * ID_DAYS + (birthDay - ID_FIRST_DAY)) << 1) | (male ? 1 : 0);
    const c = this.used[slot]++;
    if (c >= 499)
      throw new Error(`ID sequence space exhausted for ${ID_CODES[codeIndex]} ${isoOf(birthDay)}`);
    // A fixed permutation of 0..498 per code and day, so sequences look scattered, not 001, 003…
    const v = (Math.imul(c, 137) + (hashInts(this.seed, codeIndex, birthDay) % 499)) % 499;
    return male ? 2 * v + 1 : 2 * v + 2;
  }
}

/** Growable columnar store of one area's people and households. */
class AreaPeople {
  n = 0;
  birth: Int32Array;
  sex: Uint8Array;
  hh: Int32Array;
  mother: Int32Array;
  father: Int32Array;
  spouse: Int32Array;
  death: Int32Array;
  cause: Uint8Array;
  out: Int32Array;
  arrive: Int32Array;
  move: Int32Array;
  prevStreet: Int16Array;
  moveReason: Uint8Array;
  hukou: Uint8Array;
  idCode: Uint8Array;
  idSeq: Uint16Array;
  surname: Uint8Array;
  eth: Uint8Array;
  flags: Uint8Array;
  kids: Uint8Array;
  lastBirth: Int32Array;
  marriage: Int32Array;
  reg: Int32Array;
  arriveFrom: Uint8Array;

  hn = 0;
  hStreet: Int16Array;
  hKind: Uint8Array;
  hUnit: Int32Array;
  hHead: Int32Array;
  hCreated: Int32Array;

  constructor(cap: number, hcap: number) {
    this.birth = new Int32Array(cap);
    this.sex = new Uint8Array(cap);
    this.hh = new Int32Array(cap).fill(-1);
    this.mother = new Int32Array(cap).fill(-1);
    this.father = new Int32Array(cap).fill(-1);
    this.spouse = new Int32Array(cap).fill(-1);
    this.death = new Int32Array(cap).fill(NEVER);
    this.cause = new Uint8Array(cap);
    this.out = new Int32Array(cap).fill(NEVER);
    this.arrive = new Int32Array(cap).fill(-NEVER);
    this.move = new Int32Array(cap).fill(NEVER);
    this.prevStreet = new Int16Array(cap).fill(-1);
    this.moveReason = new Uint8Array(cap);
    this.hukou = new Uint8Array(cap);
    this.idCode = new Uint8Array(cap);
    this.idSeq = new Uint16Array(cap);
    this.surname = new Uint8Array(cap);
    this.eth = new Uint8Array(cap);
    this.flags = new Uint8Array(cap);
    this.kids = new Uint8Array(cap);
    this.lastBirth = new Int32Array(cap).fill(-NEVER);
    this.marriage = new Int32Array(cap).fill(NEVER);
    this.reg = new Int32Array(cap).fill(NEVER);
    this.arriveFrom = new Uint8Array(cap);
    this.hStreet = new Int16Array(hcap);
    this.hKind = new Uint8Array(hcap);
    this.hUnit = new Int32Array(hcap).fill(-1);
    this.hHead = new Int32Array(hcap).fill(-1);
    this.hCreated = new Int32Array(hcap).fill(-NEVER);
  }

  private static grown<T extends Int32Array | Uint8Array | Int16Array | Uint16Array>(
    a: T,
    cap: number,
    fill: number,
  ): T {
    const b = new (a.constructor as new (n: number) => T)(cap);
    b.set(a);
    if (fill !== 0) b.fill(fill, a.length);
    return b;
  }

  addPerson(sex: number, birth: number): number {
    if (this.n === this.birth.length) {
      const cap = Math.ceil(this.n * 1.3) + 1024;
      const g = AreaPeople.grown;
      this.birth = g(this.birth, cap, 0);
      this.sex = g(this.sex, cap, 0);
      this.hh = g(this.hh, cap, -1);
      this.mother = g(this.mother, cap, -1);
      this.father = g(this.father, cap, -1);
      this.spouse = g(this.spouse, cap, -1);
      this.death = g(this.death, cap, NEVER);
      this.cause = g(this.cause, cap, 0);
      this.out = g(this.out, cap, NEVER);
      this.arrive = g(this.arrive, cap, -NEVER);
      this.move = g(this.move, cap, NEVER);
      this.prevStreet = g(this.prevStreet, cap, -1);
      this.moveReason = g(this.moveReason, cap, 0);
      this.hukou = g(this.hukou, cap, 0);
      this.idCode = g(this.idCode, cap, 0);
      this.idSeq = g(this.idSeq, cap, 0);
      this.surname = g(this.surname, cap, 0);
      this.eth = g(this.eth, cap, 0);
      this.flags = g(this.flags, cap, 0);
      this.kids = g(this.kids, cap, 0);
      this.lastBirth = g(this.lastBirth, cap, -NEVER);
      this.marriage = g(this.marriage, cap, NEVER);
      this.reg = g(this.reg, cap, NEVER);
      this.arriveFrom = g(this.arriveFrom, cap, 0);
    }
    const p = this.n++;
    this.sex[p] = sex;
    this.birth[p] = birth;
    return p;
  }

  addHousehold(street: number, kind: number, created: number): number {
    if (this.hn === this.hStreet.length) {
      const cap = Math.ceil(this.hn * 1.3) + 1024;
      const g = AreaPeople.grown;
      this.hStreet = g(this.hStreet, cap, 0);
      this.hKind = g(this.hKind, cap, 0);
      this.hUnit = g(this.hUnit, cap, -1);
      this.hHead = g(this.hHead, cap, -1);
      this.hCreated = g(this.hCreated, cap, -NEVER);
    }
    const h = this.hn++;
    this.hStreet[h] = street;
    this.hKind[h] = kind;
    this.hCreated[h] = created;
    return h;
  }

  /** Alive, arrived and not gone on `day`. */
  present(p: number, day: number): boolean {
    return this.birth[p] <= day && this.arrive[p] <= day && this.death[p] > day && this.out[p] > day;
  }
}

/** A growable int list (push / swap-remove). */
class IntList {
  a = new Int32Array(16);
  n = 0;
  push(v: number): void {
    if (this.n === this.a.length) {
      const b = new Int32Array(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.n++] = v;
  }
  pop(): number {
    return this.a[--this.n];
  }
  removeAt(i: number): number {
    const v = this.a[i];
    this.a[i] = this.a[--this.n];
    return v;
  }
}

type AreaContext = {
  seed: number;
  areaIndex: number;
  area: ManagementArea;
  streets: Street[];
  streetIndex: Map<string, number>;
  census: number;
  asOf: number;
  scale: number;
  ids: IdRegistry;
};

/** Residents expected over the whole run (base, births, arrivals), for progress bars. */
export function expectedPersons(scale: number, asOf = DEFAULT_AS_OF): number {
  const years = (parseDay(asOf) - parseDay(CENSUS_DAY)) / 365.25;
  return Math.round(BASE_POPULATION.value * scale * (1 + years * (0.0085 + MIGRATION.value.inRate)));
}

/**
 * Generates the city and hands each household to `sink.household` (awaited, so a sink that
 * writes files applies backpressure to the generator).
 */
export async function generateCity(options: SynthOptions, sink: CitySink): Promise<void> {
  const asOfIso = options.asOf ?? DEFAULT_AS_OF;
  const census = parseDay(CENSUS_DAY);
  const asOf = parseDay(asOfIso);
  if (asOf < census) throw new Error(`as-of ${asOfIso} is before the census day ${CENSUS_DAY}`);
  if (!(options.scale > 0) || options.scale > 2) throw new Error('scale must be in (0, 2]');
  const seed = options.seed >>> 0;
  const ids = new IdRegistry(seed);
  const targets = areaTargets(options.scale);
  const expected = expectedPersons(options.scale, asOfIso);
  await sink.start?.({
    seed,
    scale: options.scale,
    asOf: asOfIso,
    census: CENSUS_DAY,
    basePopulation: targets.reduce((s, t) => s + t.population, 0),
  });
  let emitted = 0;
  for (let ai = 0; ai < targets.length; ai++) {
    const { area, population } = targets[ai];
    const streets = allStreets.filter((s) => s.managementArea === area.code);
    const ctx: AreaContext = {
      seed,
      areaIndex: ai,
      area,
      streets,
      streetIndex: new Map(streets.map((s, i) => [s.code, i])),
      census,
      asOf,
      scale: options.scale,
      ids,
    };
    options.onProgress?.({
      phase: 'build',
      area: area.code,
      areaIndex: ai,
      areaCount: targets.length,
      persons: emitted,
      expectedPersons: expected,
    });
    const people = buildBase(ctx, population);
    await sink.area?.({ area: area.code, ...censusHouseholds(people) });
    simulate(ctx, people);
    emitted = await emitArea(
      ctx,
      people,
      sink,
      (n) => {
        options.onProgress?.({
          phase: 'emit',
          area: area.code,
          areaIndex: ai,
          areaCount: targets.length,
          persons: n,
          expectedPersons: expected,
        });
      },
      emitted,
    );
  }
  options.onProgress?.({
    phase: 'done',
    area: '',
    areaIndex: targets.length,
    areaCount: targets.length,
    persons: emitted,
    expectedPersons: expected,
  });
  await sink.end?.();
}

// ---------------------------------------------------------------------------------------------
// The census day.

/** Households and their members on the census day (before any event). */
function censusHouseholds(people: AreaPeople): CensusHouseholds {
  const size = new Int32Array(people.hn);
  for (let p = 0; p < people.n; p++) size[people.hh[p]]++;
  const out = {
    population: people.n,
    familyHouseholds: 0,
    familyPersons: 0,
    collectiveHouseholds: 0,
    collectivePersons: 0,
  };
  for (let h = 0; h < people.hn; h++) {
    if (size[h] === 0) continue;
    if (people.hKind[h] === 1) {
      out.collectiveHouseholds++;
      out.collectivePersons += size[h];
    } else {
      out.familyHouseholds++;
      out.familyPersons += size[h];
    }
  }
  return out;
}

function countyOfStreet(ctx: AreaContext, street: number): string {
  return ctx.streets[street].countyCode;
}

/** Picks the ID address code of a person whose hukou is in Kunming county `county`. */
function localIdCode(rng: Rng, county: string, birthYear: number, adult: boolean): number {
  const historic = HISTORIC_CODES[county as keyof typeof HISTORIC_CODES];
  if (historic && birthYear < historic.until && rng.chance(0.6)) return CODE_INDEX.get(historic.code)!;
  if (adult) {
    const r = rng.next();
    if (r < 0.1) return rng.int(KUNMING_COUNTIES.length); // hukou moved inside the city since
    if (r < 0.16) return FIRST_OUTSIDE + rng.weighted(OUTSIDE_COUNTY_CUM); // moved in from outside
  }
  return CODE_INDEX.get(county)!;
}

function giveId(ctx: AreaContext, people: AreaPeople, p: number, code: number): void {
  people.idCode[p] = code;
  people.idSeq[p] = ctx.ids.next(code, people.birth[p], people.sex[p] === MALE);
}

function buildBase(ctx: AreaContext, total: number): AreaPeople {
  const rng = Rng.of(ctx.seed, 'base', ctx.area.code);
  const people = new AreaPeople(Math.ceil(total * 1.25) + 1024, Math.ceil(total / 2.2) + 512);
  const census = ctx.census;
  const [cy, cm, cd] = civilOf(census);

  // Ages and sexes: exact integer split of the area's total over the pyramid.
  const cells: number[] = [];
  for (let s = 0; s < 2; s++) for (let a = 0; a <= MAX_AGE; a++) cells.push(AGE_SEX_SHARE[s][a]);
  const counts = apportion(total, cells);
  const pool: IntList[][] = [[], []];
  for (let s = 0; s < 2; s++) {
    for (let a = 0; a <= MAX_AGE; a++) {
      const list = new IntList();
      const lo = dayOf(cy - a - 1, cm, cd) + 1;
      const hi = dayOf(cy - a, cm, cd);
      for (let k = counts[s * (MAX_AGE + 1) + a]; k > 0; k--) {
        const p = people.addPerson(s + 1, lo + rng.int(hi - lo + 1));
        people.surname[p] = drawSurname(rng);
        people.eth[p] = drawEthnicity(rng, ctx.area.code);
        list.push(p);
      }
      rng.shuffle(list.a, 0, list.n);
      pool[s][a] = list;
    }
  }

  // Streets get uneven sizes (seeded) so street totals differ like real ones.
  const streetWeights = ctx.streets.map(() => 0.4 + 1.2 * rng.next());
  const streetCum = cumulative(streetWeights);
  const drawStreet = (): number => rng.weighted(streetCum);

  // Collective households: students, workers' dormitories, care homes.
  const collective: IntList[] = [new IntList(), new IntList(), new IntList()]; // student, worker, elderly
  for (let s = 0; s < 2; s++) {
    for (let a = 0; a <= MAX_AGE; a++) {
      const list = pool[s][a];
      const k = Math.min(list.n, rng.round(list.n * collectiveWeight(a, s === 0) * COLLECTIVE_SCALE));
      const kind = a < 24 ? 0 : a < 65 ? 1 : 2;
      for (let i = 0; i < k; i++) collective[kind].push(list.pop());
    }
  }
  const units: number[] = [];
  const collectiveSizes = cumulative([25, 20, 12, 12, 8, 7, 5, 5, 3, 3]);
  const meanSize = COLLECTIVE_HOUSEHOLD_SIZE.value;
  for (let kind = 0; kind < 3; kind++) {
    const list = collective[kind];
    rng.shuffle(list.a, 0, list.n);
    let i = 0;
    // Units (school, company, care home) hold many collective households.
    let unit = -1;
    let unitLeft = 0;
    let unitStreet = 0;
    while (i < list.n) {
      if (unitLeft <= 0) {
        unit = units.length;
        units.push(kind);
        unitLeft = Math.max(8, Math.round(40 + 160 * rng.next()));
        unitStreet = drawStreet();
      }
      let size = 1 + rng.weighted(collectiveSizes);
      if (size > 6) size += rng.int(Math.round(meanSize));
      size = Math.min(size, list.n - i);
      const h = people.addHousehold(unitStreet, 1, -NEVER);
      people.hUnit[h] = unit;
      const local = rng.chance(kind === 0 ? 0.55 : kind === 1 ? 0.35 : 0.9);
      const outsideCode = FIRST_OUTSIDE + rng.weighted(OUTSIDE_COUNTY_CUM);
      const county = countyOfStreet(ctx, unitStreet);
      for (let k = 0; k < size; k++, i++) {
        const p = list.a[i];
        people.hh[p] = h;
        people.flags[p] |= F_COLLECTIVE;
        if (local || (kind === 2 && rng.chance(0.5))) {
          people.hukou[p] = CODE_INDEX.get(county)!;
          giveId(ctx, people, p, localIdCode(rng, county, yearOf(people.birth[p]), true));
        } else {
          const code = rng.chance(0.7) ? outsideCode : FIRST_OUTSIDE + rng.weighted(OUTSIDE_COUNTY_CUM);
          people.hukou[p] = code;
          giveId(ctx, people, p, code);
        }
      }
      unitLeft -= size;
    }
  }
  unitKinds.set(ctx.area.code, units);

  // Couples: women by age marry a man about two years older.
  const cWife = new IntList();
  const cHus = new IntList();
  const couplesByWifeAge: IntList[] = Array.from({ length: MAX_AGE + 1 }, () => new IntList());
  const singles: IntList[][] = [
    Array.from({ length: MAX_AGE + 1 }, () => new IntList()),
    Array.from({ length: MAX_AGE + 1 }, () => new IntList()),
  ];
  const married = MARRIED_SHARE_BY_AGE.value;
  for (let a = 0; a <= MAX_AGE; a++) {
    const women = pool[1][a];
    while (women.n > 0) {
      const w = women.pop();
      if (a >= 20 && rng.chance(bandValue(married, a))) {
        const target = a + Math.round(2 + 3 * rng.normal());
        let h = -1;
        for (let d = 0; d <= 6 && h < 0; d++) {
          for (const t of d === 0 ? [target] : [target + d, target - d]) {
            if (t >= 20 && t <= MAX_AGE && t >= a - 8 && pool[0][t].n > 0) {
              h = pool[0][t].pop();
              break;
            }
          }
        }
        if (h >= 0) {
          people.spouse[w] = h;
          people.spouse[h] = w;
          const c = cWife.n;
          cWife.push(w);
          cHus.push(h);
          couplesByWifeAge[a].push(c);
          continue;
        }
      }
      singles[1][a].push(w);
    }
  }
  for (let a = 0; a <= MAX_AGE; a++) while (pool[0][a].n > 0) singles[0][a].push(pool[0][a].pop());

  // Some single women 22–49 are lone mothers (divorced, widowed, unmarried).
  for (let a = 22; a < 50; a++) {
    const list = singles[1][a];
    for (let i = list.n - 1; i >= 0; i--) {
      if (rng.chance(0.07)) {
        const w = list.removeAt(i);
        people.flags[w] |= F_LONE_MOTHER;
        const c = cWife.n;
        cWife.push(w);
        cHus.push(-1);
        couplesByWifeAge[a].push(c);
      }
    }
  }
  const coupleCount = cWife.n;
  const coupleHh = new Int32Array(coupleCount).fill(-1);
  const coupleKids = new Uint8Array(coupleCount);
  const KIDS_MAX = 8;
  const coupleKidBirth = new Int32Array(coupleCount * KIDS_MAX);

  // Children (0–17, and 18–29 year olds still at home) join a mother of plausible age.
  const units0: number[] = [];
  const unitStart: number[] = [];
  const childList: number[] = [];
  for (let a = 0; a <= 29; a++) {
    for (let s = 0; s < 2; s++) {
      const list = singles[s][a];
      const stay = a < 18 ? 1 : a < 23 ? 0.72 : a < 26 ? 0.45 : 0.25;
      for (let i = list.n - 1; i >= 0; i--) if (rng.chance(stay)) childList.push(list.removeAt(i));
    }
  }
  // Twins: pairs of same-age children share a birth day.
  const byAge = new Map<number, number[]>();
  for (const p of childList) {
    const a = ageOn(people.birth[p], census);
    const l = byAge.get(a);
    if (l) l.push(p);
    else byAge.set(a, [p]);
  }
  for (const a of [...byAge.keys()].sort((x, y) => x - y)) {
    const l = byAge.get(a)!;
    rng.shuffle(l);
    for (let i = 0; i < l.length; i++) {
      unitStart.push(units0.length);
      units0.push(l[i]);
      if (i + 1 < l.length && rng.chance(TWIN_DELIVERY_RATE.value)) {
        const q = l[++i];
        people.birth[q] = people.birth[l[i - 1]];
        people.flags[q] |= F_TWIN;
        people.flags[l[i - 1]] |= F_TWIN;
        units0.push(q);
        unitStart[unitStart.length - 1] = -(units0.length - 2) - 1; // negative: a pair
      }
    }
  }
  const orderOfUnits = Int32Array.from(unitStart.keys());
  rng.shuffle(orderOfUnits);
  const acceptByKids = [1, 0.5, 0.12, 0.04, 0.015, 0.01, 0.01, 0];
  const grandchildren: number[][] = [];
  for (const u of orderOfUnits) {
    const code = unitStart[u];
    const members = code < 0 ? [units0[-code - 1], units0[-code]] : [units0[code]];
    const first = members[0];
    const birth = people.birth[first];
    const age = ageOn(birth, census);
    let chosen = -1;
    for (let t = 0; t < 14 && chosen < 0; t++) {
      const m = Math.max(18, Math.min(45, Math.round(28.5 + 5 * rng.normal())));
      const wa = age + m;
      if (wa > MAX_AGE) continue;
      const bucket = couplesByWifeAge[wa];
      if (bucket.n === 0) continue;
      const c = bucket.a[rng.int(bucket.n)];
      const k = coupleKids[c];
      if (k + members.length > KIDS_MAX || !rng.chance(acceptByKids[k])) continue;
      let spaced = true;
      for (let j = 0; j < k; j++) {
        if (Math.abs(coupleKidBirth[c * KIDS_MAX + j] - birth) < 320) spaced = false;
      }
      // A mother gives birth at 15 at the earliest, and only to a living, not-yet-born child...
      if (spaced && people.birth[cWife.a[c]] + 15 * 365 < birth) chosen = c;
    }
    if (chosen < 0) {
      grandchildren.push(members);
      continue;
    }
    for (const p of members) {
      const k = coupleKids[chosen]++;
      coupleKidBirth[chosen * KIDS_MAX + k] = people.birth[p];
      const w = cWife.a[chosen];
      const h = cHus.a[chosen];
      people.mother[p] = w;
      people.father[p] = h;
      people.surname[p] = h >= 0 && rng.chance(0.92) ? people.surname[h] : people.surname[w];
      people.eth[p] = h >= 0 ? people.eth[h] : people.eth[w];
    }
  }

  // Households of couples; the couple's hukou (local or outside) decides the children's.
  for (let c = 0; c < coupleCount; c++) {
    const w = cWife.a[c];
    const hus = cHus.a[c];
    const h = people.addHousehold(drawStreet(), 0, -NEVER);
    coupleHh[c] = h;
    people.hh[w] = h;
    if (hus >= 0) people.hh[hus] = h;
    people.hHead[h] = hus >= 0 && rng.chance(0.75) ? hus : w;
    people.kids[w] = coupleKids[c];
    let last = -NEVER;
    for (let j = 0; j < coupleKids[c]; j++) last = Math.max(last, coupleKidBirth[c * KIDS_MAX + j]);
    people.lastBirth[w] = last;
  }
  for (let p = 0; p < people.n; p++) {
    const m = people.mother[p];
    if (m >= 0 && people.hh[p] < 0) people.hh[p] = people.hh[m];
  }

  // Children with no parent of fitting age live with grandparents (隔代) or any family.
  for (const members of grandchildren) {
    const age = ageOn(people.birth[members[0]], census);
    let host = -1;
    for (let t = 0; t < 10 && host < 0; t++) {
      const wa = age + 45 + rng.int(25);
      if (wa <= MAX_AGE && couplesByWifeAge[wa].n > 0)
        host = couplesByWifeAge[wa].a[rng.int(couplesByWifeAge[wa].n)];
    }
    if (host < 0) host = rng.int(coupleCount);
    for (const p of members) {
      people.hh[p] = coupleHh[host];
      people.flags[p] |= F_GRANDCHILD;
    }
  }

  // Widowed and single elders: some live with a son's or daughter's family, the rest alone.
  // Elderly couples sometimes join a child's household too. Young singles mostly live alone.
  const joinFamily = (p: number, hostAgeFrom: number, hostAgeTo: number, asParent: boolean): boolean => {
    for (let t = 0; t < 8; t++) {
      const wa = hostAgeFrom + rng.int(hostAgeTo - hostAgeFrom + 1);
      if (wa < 18 || wa > MAX_AGE) continue;
      const bucket = couplesByWifeAge[wa];
      if (bucket.n === 0) continue;
      const c = bucket.a[rng.int(bucket.n)];
      const h = coupleHh[c];
      if (asParent) {
        const child = cHus.a[c] >= 0 && rng.chance(0.6) ? cHus.a[c] : cWife.a[c];
        if (people.sex[p] === FEMALE ? people.mother[child] >= 0 : people.father[child] >= 0) continue;
        if (people.birth[p] + 18 * 365 > people.birth[child]) continue;
        if (people.sex[p] === FEMALE) {
          people.mother[child] = p;
          people.kids[p] = Math.max(people.kids[p], 1);
        } else people.father[child] = p;
      } else people.flags[p] |= F_OTHER_RELATIVE;
      people.hh[p] = h;
      return true;
    }
    return false;
  };
  for (let a = 18; a <= MAX_AGE; a++) {
    for (let s = 0; s < 2; s++) {
      const list = singles[s][a];
      for (let i = 0; i < list.n; i++) {
        const p = list.a[i];
        if (a >= 60 && rng.chance(0.42) && joinFamily(p, a - 38, a - 22, true)) continue;
        if (a < 60 && rng.chance(0.12) && joinFamily(p, a - 10, a + 10, false)) continue;
        const h = people.addHousehold(drawStreet(), 0, -NEVER);
        people.hh[p] = h;
        people.hHead[h] = p;
      }
    }
  }
  // Left-over single minors (rare) join a random family.
  for (let a = 0; a < 18; a++) {
    for (let s = 0; s < 2; s++) {
      const list = singles[s][a];
      for (let i = 0; i < list.n; i++) {
        const p = list.a[i];
        if (people.hh[p] < 0) {
          people.hh[p] = coupleHh[rng.int(coupleCount)];
          people.flags[p] |= F_OTHER_RELATIVE;
        }
      }
    }
  }
  // Elderly couples living on their own sometimes move in with a son's or daughter's family.
  const hhSize = new Int32Array(people.hn);
  for (let p = 0; p < people.n; p++) if (people.hh[p] >= 0) hhSize[people.hh[p]]++;
  for (let c = 0; c < coupleCount; c++) {
    const w = cWife.a[c];
    const hus = cHus.a[c];
    if (hus < 0 || hhSize[coupleHh[c]] !== 2 || people.birth[w] > dayOf(cy - 62, cm, cd) || !rng.chance(0.15))
      continue;
    const wa = ageOn(people.birth[w], census);
    for (let t = 0; t < 6; t++) {
      const ha = wa - 22 - rng.int(16);
      if (ha < 20 || couplesByWifeAge[ha].n === 0) continue;
      const host = couplesByWifeAge[ha].a[rng.int(couplesByWifeAge[ha].n)];
      const child = cHus.a[host] >= 0 && rng.chance(0.6) ? cHus.a[host] : cWife.a[host];
      if (host === c || people.mother[child] >= 0 || people.father[child] >= 0) continue;
      const h = coupleHh[host];
      people.mother[child] = w;
      people.father[child] = hus;
      people.kids[w] = Math.max(people.kids[w], 1);
      people.hh[w] = h;
      people.hh[hus] = h;
      hhSize[coupleHh[c]] = 0; // the old household is left empty and never emitted
      if (rng.chance(0.25)) people.hHead[h] = hus;
      break;
    }
  }

  // Hukou: a family household is local or outside as a whole.
  const hhOutside = new Int16Array(people.hn).fill(-1);
  for (let h = 0; h < people.hn; h++) {
    if (people.hKind[h] === 0 && rng.chance(OUTSIDE_HUKOU_SHARE.value * 0.82)) {
      hhOutside[h] = FIRST_OUTSIDE + rng.weighted(OUTSIDE_COUNTY_CUM);
    }
  }
  for (let p = 0; p < people.n; p++) {
    if (people.flags[p] & F_COLLECTIVE) continue;
    const h = people.hh[p];
    const out = hhOutside[h];
    if (out >= 0) {
      people.hukou[p] = out;
      giveId(ctx, people, p, out);
    } else {
      const county = countyOfStreet(ctx, people.hStreet[h]);
      people.hukou[p] = CODE_INDEX.get(county)!;
      const by = yearOf(people.birth[p]);
      giveId(ctx, people, p, localIdCode(rng, county, by, by < 2002 && people.mother[p] < 0));
    }
  }
  return people;
}

/** Kind of each collective unit (0 school, 1 workplace, 2 care home), per area. */
const unitKinds = new Map<string, number[]>();

// ---------------------------------------------------------------------------------------------
// 2020-11-02 .. as-of.

function simulate(ctx: AreaContext, people: AreaPeople): void {
  const rng = Rng.of(ctx.seed, 'events', ctx.area.code);
  const areaShare = ctx.area.population2020 / BASE_POPULATION.value;
  const lastYear = yearOf(ctx.asOf);
  const { imr, u5mr, mmr } = CHILD_MATERNAL_MORTALITY.value;
  let bornInYear2020 = 0;
  for (let p = 0; p < people.n; p++) if (people.birth[p] >= dayOf(2020, 1, 1)) bornInYear2020++;

  for (let year = 2020; year <= lastYear; year++) {
    const ws = year === 2020 ? ctx.census + 1 : dayOf(year, 1, 1);
    const we = Math.min(dayOf(year, 12, 31), ctx.asOf);
    if (ws > we) continue;
    const span = we - ws + 1;
    const frac = span / 365.25;
    const inWindow = (): number => ws + rng.int(span);

    // Households that leave Kunming or move to another street this year.
    const hn = people.hn;
    const hOut = new Int32Array(hn).fill(NEVER);
    const hMove = new Int32Array(hn).fill(NEVER);
    const hMoveTo = new Int16Array(hn);
    const outRate = MIGRATION.value.outRateByYear[year] ?? 0.015;
    for (let h = 0; h < hn; h++) {
      if (people.hKind[h] === 1) continue;
      const r = rng.next();
      if (r < outRate * frac) hOut[h] = inWindow();
      else if (r < (outRate + MIGRATION.value.internalMoveRate) * frac && ctx.streets.length > 1) {
        hMove[h] = inWindow();
        let to = rng.int(ctx.streets.length - 1);
        if (to >= people.hStreet[h]) to++;
        hMoveTo[h] = to;
      }
    }
    let residents = 0;
    for (let p = 0, n = people.n; p < n; p++) {
      if (!people.present(p, ws)) continue;
      residents++;
      const age = roughAge(people.birth[p], ws);
      const bornHere = people.birth[p] > ctx.census;
      const q = bornHere && age < 5 ? 0 : deathHazard(age, people.sex[p] === MALE) * frac;
      if (rng.next() < q) {
        people.death[p] = inWindow();
        people.cause[p] = C_GENERAL;
      }
      const h = people.hh[p];
      if (people.flags[p] & F_COLLECTIVE && people.hh[p] >= 0) {
        if (rng.next() < MIGRATION.value.collectiveOutRate * frac) people.out[p] = inWindow();
      } else if (hOut[h] !== NEVER) {
        people.out[p] = hOut[h];
      }
      if (hMove[h] !== NEVER && people.present(p, hMove[h])) {
        people.move[p] = hMove[h];
        people.prevStreet[p] = people.hStreet[h];
        people.moveReason[p] = 2;
      }
    }
    for (let h = 0; h < hn; h++) if (hMove[h] !== NEVER) people.hStreet[h] = hMoveTo[h];

    // Marriages: single women meet single men of about their age.
    const singleMen: IntList[] = Array.from({ length: 61 }, () => new IntList());
    const brides: number[] = [];
    for (let p = 0, n = people.n; p < n; p++) {
      if (people.spouse[p] >= 0 || !people.present(p, ws) || people.flags[p] & F_LONE_MOTHER) continue;
      const age = roughAge(people.birth[p], ws);
      if (people.sex[p] === MALE) {
        if (age >= 22 && age <= 60) singleMen[age].push(p);
      } else if (age >= 20 && age < 50 && rng.next() < bandValue(MARRIAGE_RATE_BY_AGE.value, age) * frac) {
        brides.push(p);
      }
    }
    for (const w of brides) {
      const age = roughAge(people.birth[w], ws);
      const target = Math.max(22, age + Math.round(2 + 2.5 * rng.normal()));
      let hus = -1;
      for (let d = 0; d <= 5 && hus < 0; d++) {
        for (const t of d === 0 ? [target] : [target + d, target - d]) {
          if (t >= 22 && t <= 60 && singleMen[t].n > 0) {
            hus = singleMen[t].removeAt(rng.int(singleMen[t].n));
            break;
          }
        }
      }
      if (hus < 0) continue;
      const day = inWindow();
      if (!people.present(w, day) || !people.present(hus, day)) continue;
      const oldStreetW = people.hStreet[people.hh[w]];
      const oldStreetH = people.hStreet[people.hh[hus]];
      const street = rng.chance(0.3) ? drawStreetIn(rng, ctx) : oldStreetH;
      const h = people.addHousehold(street, 0, day);
      people.hHead[h] = rng.chance(0.8) ? hus : w;
      for (const [p, old] of [
        [w, oldStreetW],
        [hus, oldStreetH],
      ] as const) {
        people.hh[p] = h;
        people.move[p] = day;
        people.prevStreet[p] = old;
        people.moveReason[p] = 1;
        people.marriage[p] = day;
        people.flags[p] = (people.flags[p] & ~F_COLLECTIVE) | F_MARRIED_IN_WINDOW;
      }
      people.spouse[w] = hus;
      people.spouse[hus] = w;
      // Marriage often moves the bride's hukou to the husband's household.
      if (people.hukou[w] < FIRST_OUTSIDE || people.hukou[hus] < FIRST_OUTSIDE) {
        people.hukou[w] =
          people.hukou[hus] < FIRST_OUTSIDE ? CODE_INDEX.get(countyOfStreet(ctx, street))! : people.hukou[w];
        people.hukou[hus] =
          people.hukou[hus] < FIRST_OUTSIDE
            ? CODE_INDEX.get(countyOfStreet(ctx, street))!
            : people.hukou[hus];
      }
    }

    // Births: the year's count is the published one, shared by the area's 2020 population;
    // each birth picks an order, then a mother of that parity and a fitting age.
    const yearTotal = BIRTHS_BY_YEAR.value[year] ?? BIRTHS_BY_YEAR.value[2025];
    const yearSpan = dayOf(year, 12, 31) - dayOf(year, 1, 1) + 1;
    let quota = yearTotal * ctx.scale * areaShare;
    if (year === 2020) quota -= bornInYear2020;
    else quota *= span / yearSpan;
    let births = Math.max(0, rng.round(quota));
    const buckets: IntList[] = Array.from({ length: 4 * 32 }, () => new IntList());
    for (let p = 0, n = people.n; p < n; p++) {
      if (people.sex[p] !== FEMALE || people.spouse[p] < 0 || !people.present(p, ws)) continue;
      const age = roughAge(people.birth[p], ws);
      if (age < 18 || age > 49) continue;
      buckets[Math.min(people.kids[p], 3) * 32 + (age - 18)].push(p);
    }
    const days: number[] = [];
    for (let i = 0; i < births; i++) days.push(inWindow());
    days.sort((a, b) => a - b);
    for (let i = 0; i < days.length && births > 0; i++) {
      const day = days[i];
      const order = rng.weighted(ORDER_CUM);
      const target = Math.round(MOTHER_AGE_BY_ORDER.value[order] + 4.2 * rng.normal());
      let mother = -1;
      for (let t = 0; t < 60 && mother < 0; t++) {
        const parity = t < 40 ? order : rng.int(4);
        const age = Math.max(
          18,
          Math.min(49, target + (t < 40 ? ((t >> 1) % 10) * (t & 1 ? -1 : 1) : rng.int(12) - 6)),
        );
        const bucket = buckets[parity * 32 + (age - 18)];
        if (bucket.n === 0) continue;
        const j = rng.int(bucket.n);
        const w = bucket.a[j];
        if (!people.present(w, day) || people.lastBirth[w] + 365 > day) continue;
        bucket.removeAt(j);
        mother = w;
      }
      if (mother < 0) continue;
      const twins = rng.chance(TWIN_DELIVERY_RATE.value) && births >= 2 ? 2 : 1;
      births -= twins;
      const father = people.spouse[mother];
      for (let k = 0; k < twins; k++) {
        const baby = people.addPerson(rng.chance(MALE_AT_BIRTH) ? MALE : FEMALE, day);
        people.mother[baby] = mother;
        people.father[baby] = father;
        people.hh[baby] = people.hh[mother];
        people.surname[baby] = rng.chance(0.92) ? people.surname[father] : people.surname[mother];
        people.eth[baby] = people.eth[father];
        people.flags[baby] |= F_NEWBORN | (twins > 1 ? F_TWIN : 0);
        people.arrive[baby] = day;
        // Hukou follows the parents: the household's county if local, else the father's place.
        const fatherOutside = people.hukou[father] >= FIRST_OUTSIDE;
        const motherOutside = people.hukou[mother] >= FIRST_OUTSIDE;
        const code =
          fatherOutside && (motherOutside || rng.chance(0.5))
            ? people.hukou[father]
            : CODE_INDEX.get(countyOfStreet(ctx, people.hStreet[people.hh[mother]]))!;
        people.hukou[baby] = code;
        giveId(ctx, people, baby, code);
        people.reg[baby] = day + 7 + rng.int(54);
        const u = rng.next();
        if (u < imr) {
          people.death[baby] = day + (rng.chance(0.65) ? rng.int(28) : 28 + rng.int(337));
          people.cause[baby] = C_INFANT;
        } else if (u < u5mr) {
          people.death[baby] = day + 365 + rng.int(4 * 365);
          people.cause[baby] = C_CHILD;
        }
        if (people.death[baby] > ctx.asOf) {
          people.death[baby] = NEVER;
          people.cause[baby] = 0;
        }
        people.kids[mother]++;
      }
      people.lastBirth[mother] = day;
      if (rng.next() < mmr) {
        const d = day + rng.int(43);
        if (d <= ctx.asOf && d < people.death[mother]) {
          people.death[mother] = d;
          people.cause[mother] = C_MATERNAL;
        }
      }
    }

    // Arrivals: young people and families moving to Kunming.
    let arrivals = rng.round(residents * MIGRATION.value.inRate * frac);
    while (arrivals > 0) {
      const day = inWindow();
      const r = rng.next();
      const street = drawStreetIn(rng, ctx);
      const h = people.addHousehold(street, 0, day);
      const outsideCode = FIRST_OUTSIDE + rng.weighted(OUTSIDE_COUNTY_CUM);
      const movesHukou = rng.chance(0.3);
      const members: number[] = [];
      const adult = (sex: number, age: number): number => {
        const p = people.addPerson(sex, day - age * 365 - rng.int(365));
        people.surname[p] = drawSurname(rng);
        people.eth[p] = drawEthnicity(rng, ctx.area.code);
        members.push(p);
        return p;
      };
      if (r < 0.55) {
        const p = adult(rng.chance(0.53) ? MALE : FEMALE, 18 + rng.int(18));
        people.hHead[h] = p;
      } else {
        const wa = 22 + rng.int(17);
        const w = adult(FEMALE, wa);
        const m = adult(MALE, Math.max(22, wa + Math.round(2 + 2.5 * rng.normal())));
        people.spouse[w] = m;
        people.spouse[m] = w;
        people.hHead[h] = m;
        const nKids = r < 0.8 ? (rng.chance(0.5) ? 1 : 0) : 1 + rng.int(2);
        let last = -NEVER;
        for (let k = 0; k < nKids; k++) {
          const maxAge = Math.min(12, wa - 20);
          if (maxAge < 0) break;
          const birth = day - rng.int(maxAge * 365 + 365);
          if (Math.abs(birth - last) < 400) continue;
          const c = people.addPerson(rng.chance(MALE_AT_BIRTH) ? MALE : FEMALE, birth);
          people.mother[c] = w;
          people.father[c] = m;
          people.surname[c] = people.surname[m];
          people.eth[c] = people.eth[m];
          people.kids[w]++;
          last = Math.max(last, birth);
          members.push(c);
        }
        people.lastBirth[w] = last;
      }
      for (const p of members) {
        people.hh[p] = h;
        people.arrive[p] = day;
        people.arriveFrom[p] = outsideCode;
        const county = countyOfStreet(ctx, street);
        people.hukou[p] = movesHukou ? CODE_INDEX.get(county)! : outsideCode;
        giveId(ctx, people, p, outsideCode);
        if (movesHukou) people.reg[p] = day + rng.int(30);
      }
      arrivals -= members.length;
    }
  }
}

function drawStreetIn(rng: Rng, ctx: AreaContext): number {
  return rng.int(ctx.streets.length);
}

// ---------------------------------------------------------------------------------------------
// Records.

const RELATION = {
  head: { code: '02', text: '户主' },
  spouse: { code: '10', text: '配偶' },
  son: { code: '20', text: '子' },
  daughter: { code: '30', text: '女' },
  sonInLaw: { code: '28', text: '女婿' },
  daughterInLaw: { code: '38', text: '儿媳' },
  grandchild: { code: '40', text: '孙子女' },
  father: { code: '51', text: '父亲' },
  mother: { code: '52', text: '母亲' },
  sibling: { code: '80', text: '兄弟姐妹' },
  other: { code: '99', text: '其他' },
  collective: { code: '99', text: '集体户成员' },
} as const satisfies Record<string, Code>;

const MARITAL = {
  single: { code: '10', text: '未婚' },
  married: { code: '20', text: '已婚' },
  widowed: { code: '30', text: '丧偶' },
  divorced: { code: '40', text: '离婚' },
} as const satisfies Record<string, Code>;

/** Underlying causes of death (ICD-10 chapters/blocks) with weights by age band. */
const DEATH_CAUSES: Array<{ code: string; text: string; young: number; old: number }> = [
  { code: 'I00-I99', text: '循环系统疾病', young: 10, old: 42 },
  { code: 'C00-D48', text: '肿瘤', young: 22, old: 24 },
  { code: 'J00-J99', text: '呼吸系统疾病', young: 6, old: 14 },
  { code: 'V01-Y89', text: '损伤和中毒外部原因', young: 38, old: 4 },
  { code: 'E00-E90', text: '内分泌营养和代谢疾病', young: 4, old: 5 },
  { code: 'K00-K93', text: '消化系统疾病', young: 8, old: 4 },
  { code: 'N00-N99', text: '泌尿生殖系统疾病', young: 3, old: 3 },
  { code: 'R00-R99', text: '症状体征和临床与实验室异常所见', young: 9, old: 4 },
];
const CAUSE_YOUNG = cumulative(DEATH_CAUSES.map((c) => c.young));
const CAUSE_OLD = cumulative(DEATH_CAUSES.map((c) => c.old));
const CAUSE_INFANT: Code = { code: 'P00-P96', text: '起源于围生期的某些情况' };
const CAUSE_CHILD: Code = { code: 'Q00-Q99', text: '先天性畸形、变形和染色体异常' };
const CAUSE_MATERNAL: Code = { code: 'O00-O99', text: '妊娠、分娩和产褥期' };

const CITY_HOSPITALS = [
  '昆明市妇幼保健院',
  '云南省第一人民医院',
  '昆明医科大学第一附属医院',
  '昆明医科大学第二附属医院',
  '昆明市第一人民医院',
  '昆明市延安医院',
  '云南省妇幼保健院',
  '昆明市儿童医院',
];

const UNIT_NAMES = [
  ['学院学生集体户', '中学学生集体户', '职业技术学院学生集体户', '大学学生集体户'],
  ['建设集团职工集体户', '实业有限公司集体户', '物流园区职工集体户', '工业园区职工集体户', '部队营区集体户'],
  ['社会福利院集体户', '养老服务中心集体户', '敬老院集体户'],
];

async function emitArea(
  ctx: AreaContext,
  people: AreaPeople,
  sink: CitySink,
  progress: (persons: number) => void,
  before: number,
): Promise<number> {
  const area = ctx.area;
  const areaCode = area.code;
  const areaRng = Rng.of(ctx.seed, 'records', areaCode);
  const employers = Array.from({ length: Math.max(20, Math.min(4000, Math.round(people.n / 300))) }, () => ({
    name: drawEmployerName(areaRng, area.shortName),
    creditCode: makeCreditCode(areaRng, area.kind === 'county' ? area.code : area.parentCounty!),
  }));
  const kinds = unitKinds.get(areaCode) ?? [];
  unitKinds.delete(areaCode);
  const nameOfUnit = (unit: number, street: Street): string => {
    const k = kinds[unit];
    return `${street.name.replace(/(街道|镇|乡)$/, '')}${UNIT_NAMES[k][unit % UNIT_NAMES[k].length]}`;
  };
  const areaHospitals = [
    `${area.shortName}人民医院`,
    `${area.shortName}妇幼保健院`,
    `${area.shortName}中医医院`,
  ];

  // Members of each household (CSR) and children of each mother.
  const n = people.n;
  const hStart = new Int32Array(people.hn + 1);
  for (let p = 0; p < n; p++) hStart[people.hh[p] + 1]++;
  for (let h = 0; h < people.hn; h++) hStart[h + 1] += hStart[h];
  const hMembers = new Int32Array(n);
  const fill = hStart.slice(0, people.hn);
  for (let p = 0; p < n; p++) hMembers[fill[people.hh[p]]++] = p;
  const order = birthOrders(people);

  const pidOf = (p: number): string => `${areaCode}-${String(p).padStart(8, '0')}`;
  const names: string[] = new Array(n);
  const nameOf = (p: number): string => {
    let s = names[p];
    if (s === undefined) {
      const r = new Rng(hashInts(ctx.seed, ctx.areaIndex, p, 1));
      s = SURNAMES[people.surname[p]] + drawGivenName(r, people.sex[p] === MALE, yearOf(people.birth[p]));
      names[p] = s;
    }
    return s;
  };
  const asOf = ctx.asOf;
  const y2020 = dayOf(2020, 1, 1);
  let emitted = before;
  let sinceProgress = 0;

  for (let h = 0; h < people.hn; h++) {
    const from = hStart[h];
    const to = hStart[h + 1];
    if (from === to) continue;
    const hr = new Rng(hashInts(ctx.seed, ctx.areaIndex, h, 2));
    const streetIdx = people.hStreet[h];
    const street = ctx.streets[streetIdx];
    const county = street.countyCode;
    const collective = people.hKind[h] === 1;
    const unitName = collective && people.hUnit[h] >= 0 ? nameOfUnit(people.hUnit[h], street) : null;
    const countyName = COUNTY_NAMES[county] ?? '';
    const address = collective
      ? `云南省昆明市${countyName}${street.name}${unitName}`
      : `云南省昆明市${countyName}${street.name}${drawAddressLine(hr)}`;
    let head = people.hHead[h];
    if (head < 0 || people.hh[head] !== h) {
      head = hMembers[from];
      for (let i = from; i < to; i++) if (people.birth[hMembers[i]] < people.birth[head]) head = hMembers[i];
    }
    // Twins and namesakes: no two members of a household share a name.
    const seen = new Set<string>();
    for (let i = from; i < to; i++) {
      const p = hMembers[i];
      let s = nameOf(p);
      for (let salt = 3; seen.has(s); salt++) {
        const r = new Rng(hashInts(ctx.seed, ctx.areaIndex, p, salt));
        s = SURNAMES[people.surname[p]] + drawGivenName(r, people.sex[p] === MALE, yearOf(people.birth[p]));
      }
      names[p] = s;
      seen.add(s);
    }

    const members: SynthPerson[] = [];
    for (let i = from; i < to; i++) {
      const p = hMembers[i];
      const r = new Rng(hashInts(ctx.seed, ctx.areaIndex, p, 0));
      const male = people.sex[p] === MALE;
      const birth = people.birth[p];
      const ageNow = ageOn(birth, Math.min(asOf, people.death[p], people.out[p]));
      const hukouCode = ID_CODES[people.hukou[p]];
      const local = people.hukou[p] < FIRST_OUTSIDE;
      const idCode = ID_CODES[people.idCode[p]];
      const student = (people.flags[p] & F_COLLECTIVE) !== 0 && unitKindOf(kinds, people.hUnit[h]) === 0;
      const employed =
        !student &&
        ageNow >= 18 &&
        ageNow < (male ? 60 : 55) &&
        r.chance(male ? EMPLOYMENT_RATE.value.male : EMPLOYMENT_RATE.value.female);
      const employer = employed ? employers[r.int(employers.length)] : null;
      const death = people.death[p] <= asOf ? people.death[p] : NEVER;
      let deathCause: Code | null = null;
      if (death !== NEVER) {
        const c = people.cause[p];
        if (c === C_INFANT) deathCause = CAUSE_INFANT;
        else if (c === C_CHILD) deathCause = CAUSE_CHILD;
        else if (c === C_MATERNAL) deathCause = CAUSE_MATERNAL;
        else {
          const k = r.weighted(ageOn(birth, death) < 50 ? CAUSE_YOUNG : CAUSE_OLD);
          deathCause = { code: DEATH_CAUSES[k].code, text: DEATH_CAUSES[k].text };
        }
      }
      const spouse = people.spouse[p];
      let marital: Code = MARITAL.single;
      if (spouse >= 0) marital = people.death[spouse] <= asOf ? MARITAL.widowed : MARITAL.married;
      else if (people.flags[p] & F_LONE_MOTHER) marital = r.chance(0.7) ? MARITAL.divorced : MARITAL.single;
      else if (ageNow >= 60)
        marital = r.chance(0.75) ? MARITAL.widowed : r.chance(0.6) ? MARITAL.divorced : MARITAL.single;
      else if (ageNow >= 35 && r.chance(0.4)) marital = MARITAL.divorced;
      const by = yearOf(birth);
      const onlyChild = r.chance(by >= 1980 && by < 2005 ? 0.45 : by >= 1975 && by < 2016 ? 0.25 : 0.06);
      let birthDetails: SynthPerson['birth'] = null;
      const arrive = people.arrive[p];
      const isArrival = arrive > ctx.census && !(people.flags[p] & F_NEWBORN);
      if (birth >= y2020 && !isArrival) {
        const twin = (people.flags[p] & F_TWIN) !== 0;
        const weeks = twin ? 35 + r.int(3) : Math.max(30, Math.min(42, Math.round(39 + 1.3 * r.normal())));
        birthDetails = {
          certificateNo: `${String.fromCharCode(80 + yearOf(birth) - 2016)}${String(ctx.areaIndex).padStart(2, '0')}${String(p).padStart(7, '0')}`,
          hospital: r.chance(0.55) ? r.pick(areaHospitals) : r.pick(CITY_HOSPITALS),
          weightGrams: Math.max(
            1200,
            Math.round((twin ? 2500 : 3250) + 420 * r.normal() + (weeks - 39) * 150),
          ),
          gestationWeeks: weeks,
          plurality: twin ? 2 : 1,
          issuedDate: isoOf(Math.min(asOf, birth + 1 + r.int(5))),
        };
      }
      const mother = people.mother[p];
      const father = people.father[p];
      const prev = people.prevStreet[p];
      const move = people.move[p] <= asOf && prev >= 0 ? people.move[p] : NEVER;
      members.push({
        pid: pidOf(p),
        name: names[p],
        sex: male ? 'male' : 'female',
        birthDate: isoOf(birth),
        idNumber: makeIdNumber(idCode, isoOf(birth), people.idSeq[p]),
        idAddressCode: idCode,
        ethnicity: ETHNIC_GROUPS[people.eth[p]],
        hukouCounty: local ? county : hukouCode,
        hukouArea: local ? areaCode : null,
        hukouStreet: local ? street.code : null,
        street: street.code,
        area: areaCode,
        address,
        phone: ageNow >= 16 && r.chance(0.96) ? drawPhone(r) : null,
        relation: collective ? RELATION.collective : relationTo(people, p, head),
        maritalStatus: ageNow < 20 ? MARITAL.single : marital,
        motherPid: mother >= 0 ? pidOf(mother) : null,
        fatherPid: father >= 0 ? pidOf(father) : null,
        spousePid: spouse >= 0 ? pidOf(spouse) : null,
        birthOrder: order[p] > 0 ? order[p] : null,
        twin: (people.flags[p] & F_TWIN) !== 0,
        onlyChild,
        employed,
        employer,
        student: student || (ageNow >= 6 && ageNow < 18),
        birth: birthDetails,
        registeredDate: people.reg[p] <= asOf ? isoOf(people.reg[p]) : null,
        inDate: isArrival ? isoOf(arrive) : null,
        inFrom: isArrival ? ID_CODES[people.arriveFrom[p]] : null,
        outDate: people.out[p] <= asOf && people.out[p] < people.death[p] ? isoOf(people.out[p]) : null,
        moveDate: move !== NEVER ? isoOf(move) : null,
        previousStreet: move !== NEVER ? ctx.streets[prev].code : null,
        moveReason: move !== NEVER ? (people.moveReason[p] === 1 ? 'marriage' : 'housing') : null,
        deathDate: death !== NEVER ? isoOf(death) : null,
        deathCause,
        maternalDeath: death !== NEVER && people.cause[p] === C_MATERNAL,
        marriageDate: people.marriage[p] <= asOf ? isoOf(people.marriage[p]) : null,
        specialFamily: null,
      });
    }
    // 计划生育特殊家庭: an older couple whose only child died or was disabled.
    for (const m of members) {
      if (m.sex !== 'female' || m.spousePid === null || m.deathDate) continue;
      const age = ageOn(parseDay(m.birthDate), asOf);
      if (age >= 49 && age <= 80 && hr.chance(0.004)) {
        const kind = hr.chance(0.6) ? 'death' : 'disability';
        const r = new Rng(hashInts(ctx.seed, ctx.areaIndex, h, 5));
        const childBirth = parseDay(m.birthDate) + (24 + r.int(10)) * 365;
        const last = asOf - 120;
        const from = Math.min(last, childBirth + 365);
        const husband = members.find((x) => x.pid === m.spousePid);
        const surname = husband ? husband.name[0] : SURNAMES[drawSurname(r)];
        m.specialFamily = {
          kind,
          date: isoOf(from + r.int(Math.max(1, last - from))),
          childName: surname + drawGivenName(r, r.chance(0.5), yearOf(childBirth)),
        };
      }
    }
    const household: SynthHousehold = {
      hid: `${areaCode}-H${String(h).padStart(7, '0')}`,
      householdNo: `${String(10 + ctx.areaIndex)}${String(h).padStart(7, '0')}`,
      kind: collective ? 'collective' : 'family',
      unitName,
      area: areaCode,
      street: street.code,
      countyCode: county,
      address,
      createdDate:
        people.hCreated[h] > ctx.census && people.hCreated[h] <= asOf ? isoOf(people.hCreated[h]) : null,
      members,
    };
    await sink.household(household);
    emitted += to - from;
    sinceProgress += to - from;
    if (sinceProgress >= 5000) {
      sinceProgress = 0;
      progress(emitted);
    }
  }
  progress(emitted);
  return emitted;
}

function unitKindOf(kinds: number[], unit: number): number {
  return unit >= 0 ? kinds[unit] : -1;
}

/** Order of each child among its mother's children in the data (0 = no mother). */
function birthOrders(people: AreaPeople): Uint8Array {
  const n = people.n;
  const start = new Int32Array(n + 1);
  for (let p = 0; p < n; p++) if (people.mother[p] >= 0) start[people.mother[p] + 1]++;
  for (let i = 0; i < n; i++) start[i + 1] += start[i];
  const kids = new Int32Array(start[n]);
  const fill = start.slice(0, n);
  for (let p = 0; p < n; p++) if (people.mother[p] >= 0) kids[fill[people.mother[p]]++] = p;
  const order = new Uint8Array(n);
  for (let m = 0; m < n; m++) {
    const a = start[m];
    const b = start[m + 1];
    if (a === b) continue;
    const list = Array.from(kids.subarray(a, b)).sort((x, y) => people.birth[x] - people.birth[y] || x - y);
    list.forEach((c, i) => {
      order[c] = Math.min(255, i + 1);
    });
  }
  return order;
}

function relationTo(people: AreaPeople, p: number, head: number): Code {
  if (p === head) return RELATION.head;
  const male = people.sex[p] === MALE;
  if (people.spouse[head] === p) return RELATION.spouse;
  if (people.mother[p] === head || people.father[p] === head) return male ? RELATION.son : RELATION.daughter;
  const hs = people.spouse[head];
  if (hs >= 0 && (people.mother[p] === hs || people.father[p] === hs))
    return male ? RELATION.son : RELATION.daughter;
  if (people.mother[head] === p || people.father[head] === p) return male ? RELATION.father : RELATION.mother;
  if (hs >= 0 && (people.mother[hs] === p || people.father[hs] === p))
    return male ? RELATION.father : RELATION.mother;
  const sp = people.spouse[p];
  if (
    sp >= 0 &&
    (people.mother[sp] === head ||
      people.father[sp] === head ||
      (hs >= 0 && (people.mother[sp] === hs || people.father[sp] === hs)))
  ) {
    return male ? RELATION.sonInLaw : RELATION.daughterInLaw;
  }
  if (people.flags[p] & F_GRANDCHILD) return RELATION.grandchild;
  const m = people.mother[p];
  const f = people.father[p];
  for (const parent of [m, f]) {
    if (parent < 0) continue;
    if (people.mother[parent] === head || people.father[parent] === head) return RELATION.grandchild;
    if (hs >= 0 && (people.mother[parent] === hs || people.father[parent] === hs)) return RELATION.grandchild;
  }
  if (m >= 0 && m === people.mother[head]) return RELATION.sibling;
  return RELATION.other;
}
