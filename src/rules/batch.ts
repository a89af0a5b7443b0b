/**
 * The batch path: the same rules over a whole population held in columns (typed arrays), for
 * budget runs. Parameters are resolved once per run; the loops allocate nothing per person.
 * A property test checks that every per-subject result equals the one-family path.
 */
import {
  anniversaryDay,
  daysFromCivil,
  firstDayOfMonthIndex,
  isLeapYear,
  monthIndexOfDay,
  packedFromDays,
  parseIsoDate,
  yearOfDay,
} from './dates.ts';
import { birthOrders } from './family.ts';
import type { FamilyInput } from './input.ts';
import { entryAt, getParameter, type ParameterSet } from './params.ts';

/** Family flag bits (`famFlags`). */
export const FF = {
  MOTHER: 1,
  MOTHER_EMPLOYED: 2,
  MOTHER_ONLY_CHILD: 4,
  MOTHER_ELDER_HOSPITALIZED: 8,
  FATHER: 16,
  FATHER_EMPLOYED: 32,
  FATHER_ONLY_CHILD: 64,
  FATHER_ELDER_HOSPITALIZED: 128,
  OWNS_HOME: 256,
  RENTS: 512,
  CONTRIBUTES_HOUSING_FUND: 1024,
  BUYING_FIRST_HOME: 2048,
  SPECIAL_FAMILY: 4096,
} as const;

/** Child flag bits (`childFlags`). */
export const CF = { ADOPTED: 1, DIFFICULT_BIRTH: 2 } as const;

/**
 * A population in columns. Children are stored family by family (`famChildStart` offsets),
 * within a family sorted by birth day and then input order. Area codes are 6-digit integers
 * (0 = not given); the child's area already falls back to the family's.
 */
export interface PopulationColumns {
  familyCount: number;
  childCount: number;
  /** Everyone in the population (adults included), for reporting. */
  personCount: number;
  famArea: Int32Array;
  famFlags: Uint16Array;
  famChildStart: Int32Array;
  childBirthDay: Int32Array;
  childOrder: Uint8Array;
  childArea: Int32Array;
  childFlags: Uint8Array;
  /** Index of each child in its family's input array (for mapping back to `child:N`). */
  childInputIndex: Int32Array;
}

/** Grows columns family by family (from JSON lines, CSV, a database cursor, a generator). */
export class ColumnsBuilder {
  private fArea: Int32Array;
  private fFlags: Uint16Array;
  private fStart: Int32Array;
  private cDay: Int32Array;
  private cOrder: Uint8Array;
  private cArea: Int32Array;
  private cFlags: Uint8Array;
  private cIdx: Int32Array;
  private nf = 0;
  private nc = 0;
  private persons = 0;

  constructor(families = 1024, children = 2048) {
    this.fArea = new Int32Array(families);
    this.fFlags = new Uint16Array(families);
    this.fStart = new Int32Array(families + 1);
    this.cDay = new Int32Array(children);
    this.cOrder = new Uint8Array(children);
    this.cArea = new Int32Array(children);
    this.cFlags = new Uint8Array(children);
    this.cIdx = new Int32Array(children);
  }

  private grow(): void {
    if (this.nf + 1 >= this.fArea.length) {
      const n = this.fArea.length * 2;
      const a = new Int32Array(n);
      a.set(this.fArea);
      this.fArea = a;
      const b = new Uint16Array(n);
      b.set(this.fFlags);
      this.fFlags = b;
      const s = new Int32Array(n + 1);
      s.set(this.fStart);
      this.fStart = s;
    }
  }

  private growChildren(k: number): void {
    if (this.nc + k <= this.cDay.length) return;
    let n = this.cDay.length * 2;
    while (n < this.nc + k) n *= 2;
    const d = new Int32Array(n);
    d.set(this.cDay);
    this.cDay = d;
    const o = new Uint8Array(n);
    o.set(this.cOrder);
    this.cOrder = o;
    const a = new Int32Array(n);
    a.set(this.cArea);
    this.cArea = a;
    const f = new Uint8Array(n);
    f.set(this.cFlags);
    this.cFlags = f;
    const x = new Int32Array(n);
    x.set(this.cIdx);
    this.cIdx = x;
  }

  /**
   * Add one family from raw fields. `children` may be in any order; birth orders follow the
   * contract (dates, then array order; explicit orders override).
   */
  addRaw(
    area: number,
    flags: number,
    children: ReadonlyArray<{ birthDay: number; area: number; flags: number; birthOrder?: number }>,
    persons: number,
  ): void {
    this.grow();
    const k = children.length;
    this.growChildren(k);
    const f = this.nf;
    this.fArea[f] = area;
    this.fFlags[f] = flags;
    this.fStart[f] = this.nc;
    const orders = birthOrders(
      children.map((c) => c.birthDay),
      children.map((c) => c.birthOrder),
    );
    const idx = children
      .map((_c, i) => i)
      .sort((a, b) => children[a].birthDay - children[b].birthDay || a - b);
    for (const i of idx) {
      const c = children[i];
      const s = this.nc++;
      this.cDay[s] = c.birthDay;
      this.cOrder[s] = Math.min(orders[i], 255);
      this.cArea[s] = c.area || area;
      this.cFlags[s] = c.flags;
      this.cIdx[s] = i;
    }
    this.nf++;
    this.fStart[this.nf] = this.nc;
    this.persons += persons;
  }

  /** Add one validated family input (the calculator's `family`). */
  addFamily(f: FamilyInput): void {
    let flags = 0;
    for (const p of f.parents) {
      const m = p.role === 'mother';
      flags |= m ? FF.MOTHER : FF.FATHER;
      if (p.employed) flags |= m ? FF.MOTHER_EMPLOYED : FF.FATHER_EMPLOYED;
      if (p.onlyChild) flags |= m ? FF.MOTHER_ONLY_CHILD : FF.FATHER_ONLY_CHILD;
      if (p.elderlyParentHospitalized)
        flags |= m ? FF.MOTHER_ELDER_HOSPITALIZED : FF.FATHER_ELDER_HOSPITALIZED;
    }
    const h = f.housing;
    if (h?.ownsHome) flags |= FF.OWNS_HOME;
    if (h?.rents) flags |= FF.RENTS;
    if (h?.contributesToHousingFund) flags |= FF.CONTRIBUTES_HOUSING_FUND;
    if (h?.buyingFirstHome) flags |= FF.BUYING_FIRST_HOME;
    if (f.specialFamily) flags |= FF.SPECIAL_FAMILY;
    this.addRaw(
      f.hukouArea ? Number(f.hukouArea) : 0,
      flags,
      f.children.map((c) => ({
        birthDay: parseIsoDate(c.birthDate) as number,
        area: c.hukouArea ? Number(c.hukouArea) : 0,
        flags: (c.adopted ? CF.ADOPTED : 0) | (c.difficultBirth ? CF.DIFFICULT_BIRTH : 0),
        birthOrder: c.birthOrder,
      })),
      f.parents.length + f.children.length,
    );
  }

  /** Count people who are in no family with children (single adults, elders) for reporting. */
  addPersons(n: number): void {
    this.persons += n;
  }

  build(): PopulationColumns {
    return {
      familyCount: this.nf,
      childCount: this.nc,
      personCount: this.persons,
      famArea: this.fArea.slice(0, this.nf),
      famFlags: this.fFlags.slice(0, this.nf),
      famChildStart: this.fStart.slice(0, this.nf + 1),
      childBirthDay: this.cDay.slice(0, this.nc),
      childOrder: this.cOrder.slice(0, this.nc),
      childArea: this.cArea.slice(0, this.nc),
      childFlags: this.cFlags.slice(0, this.nc),
      childInputIndex: this.cIdx.slice(0, this.nc),
    };
  }
}

/** Periods of a dated parameter as flat arrays (values as numbers; -1 = not in force). */
interface Segs {
  from: Int32Array;
  to: Int32Array;
  val: Float64Array;
}

function segs(P: ParameterSet, name: string, map: (v: unknown) => number = (v) => v as number): Segs {
  const es = getParameter(P, name).entries;
  return {
    from: Int32Array.from(es.map((e) => e.fromDay)),
    to: Int32Array.from(es.map((e) => e.toDay)),
    val: Float64Array.from(es.map((e) => map(e.value))),
  };
}

function segAt(s: Segs, day: number): number {
  const f = s.from;
  for (let i = 0; i < f.length; i++) if (day >= f[i] && day <= s.to[i]) return s.val[i];
  return -1;
}

function at(P: ParameterSet, name: string, day: number): number {
  const e = entryAt(P, name, day);
  return e === undefined ? -1 : (e.value as number);
}

function must(P: ParameterSet, name: string, day: number): number {
  const v = at(P, name, day);
  if (v < 0) throw new Error(`parameter ${name} has no value in force`);
  return v;
}

function prefixRange(P: ParameterSet, name: string, day: number): { div: number; val: number } {
  const p = String(entryAt(P, name, day)?.value ?? '');
  return { div: 10 ** (6 - p.length), val: Number(p) };
}

/** Whether someone born on `day` is under `n` years on `asOf` (cheap bounds first, exact near the birthday). */
function under(day: number, n: number, asOf: number): boolean {
  const d = asOf - day;
  if (d < 365 * n) return true;
  if (d > 366 * n) return false;
  return asOf < anniversaryDay(day, n);
}

/** Month index of the `n`-th birthday, from the birth's year, month and day (29 Feb → 1 Mar). */
function annivMonth(by: number, bm: number, leapDay: boolean, n: number): number {
  return (by + n) * 12 + bm - 1 + (leapDay && !isLeapYear(by + n) ? 1 : 0);
}

/** Parameters resolved for one run (one asOf date). */
export interface ResolvedRun {
  asOfDay: number;
  year: number;
  yearStart: number;
  asOfMonth: number;
  kmDiv: number;
  km: number;
  bs2: Segs;
  bs3: Segs;
  allowOrderMask: number;
  allowWin: Segs;
  allowYearFen: number;
  insWin: Segs;
  insYearFen: number;
  insAge: number;
  /** Monthly national subsidy for the 12 months of the year, as prefix sums (13 entries). */
  natPrefix: Float64Array;
  natAge: number;
  iitMonthFen: number;
  iitAge: number;
  /** Monthly deduction prefix sums over the year (for yearly budget totals). */
  iitPrefix: Float64Array;
  matBase: Segs;
  matDifficult: Segs;
  matPerBaby: Segs;
  matExt: Segs;
  paternity: Segs;
  parentalDays: number;
  parentalExtra: number;
  parentalExtraMin: number;
  parentalAge: number;
  nursing: Segs;
  nursingAge: number;
  elderOnly: number;
  elderOther: number;
  upliftTwo: number;
  upliftThree: number;
  rentMin: number;
  minorAge: number;
  guaranteedMin: number;
  purchaseMin: number;
  purchaseByCounty: Map<number, number>;
  schoolMin: number;
  schoolLo: number;
  schoolHi: number;
  elderlyMin: number;
}

/** Resolve every parameter once for a run on `asOfDay`. */
export function resolveRun(P: ParameterSet, asOfDay: number): ResolvedRun {
  const year = yearOfDay(asOfDay);
  const yearStart = daysFromCivil(year, 1, 1);
  const km = prefixRange(P, 'area.kunming_prefix', asOfDay);
  let allowOrderMask = 0;
  for (const o of (entryAt(P, 'local_allowance.birth_orders', asOfDay)?.value as number[] | undefined) ??
    []) {
    if (o >= 0 && o < 31) allowOrderMask |= 1 << o;
  }
  const superseded = entryAt(P, 'local_allowance.superseded_by_national_subsidy', yearStart)?.value === true;
  const allowYear = at(P, 'local_allowance.yearly', yearStart);
  const natPrefix = new Float64Array(13);
  const iitPrefix = new Float64Array(13);
  for (let m = 0; m < 12; m++) {
    const d = firstDayOfMonthIndex(year * 12 + m);
    natPrefix[m + 1] = natPrefix[m] + Math.max(0, at(P, 'national_subsidy.monthly', d));
    iitPrefix[m + 1] = iitPrefix[m] + Math.max(0, at(P, 'iit_infant_care.monthly', d));
  }
  const byCounty = new Map<number, number>();
  const m = entryAt(P, 'housing_purchase_support.by_county', asOfDay)?.value as
    | Record<string, number>
    | undefined;
  for (const [k, v] of Object.entries(m ?? {})) byCounty.set(Number(k), v);
  const bool = (v: unknown) => (v === true ? 1 : 0);
  return {
    asOfDay,
    year,
    yearStart,
    asOfMonth: monthIndexOfDay(asOfDay),
    kmDiv: km.div,
    km: km.val,
    bs2: segs(P, 'birth_subsidy.second_child'),
    bs3: segs(P, 'birth_subsidy.third_child'),
    allowOrderMask,
    allowWin: segs(P, 'local_allowance.birth_window', bool),
    allowYearFen: allowYear < 0 || superseded ? 0 : allowYear,
    insWin: segs(P, 'insurance_subsidy.birth_window', bool),
    insYearFen: Math.max(0, at(P, 'insurance_subsidy.yearly', yearStart)),
    insAge: must(P, 'insurance_subsidy.age_limit_years', asOfDay),
    natPrefix,
    natAge: must(P, 'national_subsidy.age_limit_years', asOfDay),
    iitMonthFen: Math.max(
      0,
      at(P, 'iit_infant_care.monthly', firstDayOfMonthIndex(monthIndexOfDay(asOfDay))),
    ),
    iitAge: must(P, 'iit_infant_care.age_limit_years', asOfDay),
    iitPrefix,
    matBase: segs(P, 'maternity_leave.base_days'),
    matDifficult: segs(P, 'maternity_leave.difficult_birth_extra_days'),
    matPerBaby: segs(P, 'maternity_leave.per_additional_baby_days'),
    matExt: segs(P, 'maternity_leave.yunnan_extension_days'),
    paternity: segs(P, 'paternity_leave.days'),
    parentalDays: must(P, 'parental_leave.days', asOfDay),
    parentalExtra: must(P, 'parental_leave.extra_days', asOfDay),
    parentalExtraMin: must(P, 'parental_leave.extra_min_children_under_limit', asOfDay),
    parentalAge: must(P, 'parental_leave.child_age_limit_years', asOfDay),
    nursing: segs(P, 'nursing_time.minutes_per_day_per_baby'),
    nursingAge: must(P, 'nursing_time.baby_age_limit_years', asOfDay),
    elderOnly: must(P, 'elder_care_leave.only_child_days', asOfDay),
    elderOther: must(P, 'elder_care_leave.other_days', asOfDay),
    upliftTwo: must(P, 'housing_fund.loan_uplift_two_children_percent', asOfDay),
    upliftThree: must(P, 'housing_fund.loan_uplift_three_or_more_percent', asOfDay),
    rentMin: must(P, 'housing_fund.rent_withdrawal_min_children', asOfDay),
    minorAge: must(P, 'public_rental.minor_age_limit_years', asOfDay),
    guaranteedMin: must(P, 'guaranteed_rental.min_children', asOfDay),
    purchaseMin: must(P, 'housing_purchase_support.min_children', asOfDay),
    purchaseByCounty: byCounty,
    schoolMin: must(P, 'school_placement.min_children', asOfDay),
    schoolLo: must(P, 'school_placement.min_age_years', asOfDay),
    schoolHi: must(P, 'school_placement.age_limit_years', asOfDay),
    elderlyMin: must(P, 'elderly_care_priority.min_children', asOfDay),
  };
}

/** Programmes the batch path totals (money in fen; leave in days; others count families). */
export const PROGRAMMES = [
  'one_time_birth_subsidy',
  'local_childcare_allowance',
  'national_childcare_subsidy',
  'infant_accident_insurance_subsidy',
  'housing_purchase_support',
  'iit_infant_care_deduction',
  'maternity_leave',
  'paternity_leave',
  'parental_leave',
  'nursing_time',
  'elder_care_leave',
  'housing_fund_loan_uplift',
  'housing_fund_rent_withdrawal',
  'public_rental_housing_preference',
  'guaranteed_rental_housing_tilt',
  'school_sibling_placement',
  'elderly_care_priority',
  'special_family_support',
] as const;
export type Programme = (typeof PROGRAMMES)[number];

/** Indexes into the totals arrays. */
export const P_ = Object.fromEntries(PROGRAMMES.map((p, i) => [p, i])) as Record<Programme, number>;

/** Per-subject results (the same numbers the one-family path reports). */
export interface PerSubject {
  oneTime: Int32Array;
  allowance: Int32Array;
  national: Int32Array;
  insurance: Int32Array;
  iit: Int32Array;
  /** Days for the birth whose first child sits in this slot; 0 elsewhere. */
  maternity: Int32Array;
  paternity: Int32Array;
  parentalMother: Uint8Array;
  parentalFather: Uint8Array;
  nursing: Int32Array;
  elderMother: Uint8Array;
  elderFather: Uint8Array;
  uplift: Uint8Array;
  rent: Uint8Array;
  publicRental: Uint8Array;
  guaranteed: Uint8Array;
  purchase: Int32Array;
  school: Uint8Array;
  elderly: Uint8Array;
  special: Uint8Array;
}

export interface BatchOptions {
  /** Fill per-subject arrays (tests, drill-down). */
  perSubject?: boolean;
  /** Fill each family's cash total for the year (for reform gain/loss counts). */
  familyCash?: boolean;
  /**
   * Budget accounting: count the one-time subsidy only for births in the year of asOf, and the
   * income-tax deduction for the whole year (default false: the calculator's conventions).
   */
  budgetYear?: boolean;
}

export interface BatchResult {
  asOfDay: number;
  year: number;
  /** Per programme: amount (fen, days, minutes or percent-points) summed over subjects. */
  amount: Float64Array;
  /** Per programme: number of eligible subjects. */
  eligible: Float64Array;
  /** Cash (fen) by area code and programme (the five money programmes). */
  byArea: Map<number, Float64Array>;
  perSubject?: PerSubject;
  familyCash?: Float64Array;
}

/** The cash programmes (fen), in the order used by `byArea`. */
export const CASH_PROGRAMMES: readonly Programme[] = [
  'one_time_birth_subsidy',
  'local_childcare_allowance',
  'national_childcare_subsidy',
  'infant_accident_insurance_subsidy',
  'housing_purchase_support',
];

function alloc(c: PopulationColumns): PerSubject {
  const C = c.childCount;
  const F = c.familyCount;
  return {
    oneTime: new Int32Array(C),
    allowance: new Int32Array(C),
    national: new Int32Array(C),
    insurance: new Int32Array(C),
    iit: new Int32Array(C),
    maternity: new Int32Array(C),
    paternity: new Int32Array(C),
    parentalMother: new Uint8Array(F),
    parentalFather: new Uint8Array(F),
    nursing: new Int32Array(F),
    elderMother: new Uint8Array(F),
    elderFather: new Uint8Array(F),
    uplift: new Uint8Array(F),
    rent: new Uint8Array(F),
    publicRental: new Uint8Array(F),
    guaranteed: new Uint8Array(F),
    purchase: new Int32Array(F),
    school: new Uint8Array(F),
    elderly: new Uint8Array(F),
    special: new Uint8Array(F),
  };
}

/**
 * Evaluate every entitlement for every family and child of a population on `asOfDay`.
 * The extension point for other sources (a database cursor): build `PopulationColumns`.
 */
export function evaluateBatch(
  cols: PopulationColumns,
  P: ParameterSet,
  asOfDay: number,
  opts: BatchOptions = {},
): BatchResult {
  const R = resolveRun(P, asOfDay);
  const out = opts.perSubject ? alloc(cols) : null;
  const famCash = opts.familyCash ? new Float64Array(cols.familyCount) : null;
  const budget = opts.budgetYear === true;
  const amount = new Float64Array(PROGRAMMES.length);
  const eligible = new Float64Array(PROGRAMMES.length);
  const areaIdx = new Map<number, number>();
  let areaAcc = new Float64Array(64 * 5);
  const areaCodes: number[] = [];
  const areaSlot = (code: number): number => {
    let i = areaIdx.get(code);
    if (i === undefined) {
      i = areaCodes.length;
      areaCodes.push(code);
      areaIdx.set(code, i);
      if ((i + 1) * 5 > areaAcc.length) {
        const n = new Float64Array(areaAcc.length * 2);
        n.set(areaAcc);
        areaAcc = n;
      }
    }
    return i;
  };

  const { famArea, famFlags, famChildStart, childBirthDay, childOrder, childArea, childFlags } = cols;
  const { asOfMonth, yearStart, year, kmDiv, km } = R;
  const yearM0 = year * 12;
  let lastArea = -1;
  let lastSlot = 0;

  let aOne = 0;
  let aAllow = 0;
  let aNat = 0;
  let aIns = 0;
  let aIit = 0;
  let nOne = 0;
  let nAllow = 0;
  let nNat = 0;
  let nIns = 0;
  let nIit = 0;
  let aMat = 0;
  let nMat = 0;
  let aPat = 0;
  let nPat = 0;

  for (let f = 0; f < cols.familyCount; f++) {
    const c0 = famChildStart[f];
    const c1 = famChildStart[f + 1];
    const nChildren = c1 - c0;
    const ff = famFlags[f];
    let cash = 0;
    let under3 = 0;
    let minors = 0;
    let schoolAge = 0;
    // youngest natural birth on or before asOf
    let youngDay = -2147483648;
    let youngBabies = 0;

    let i = c0;
    while (i < c1) {
      // one birth: children i..j-1 share a birth day
      const day = childBirthDay[i];
      let j = i + 1;
      while (j < c1 && childBirthDay[j] === day) j++;
      let babies = 0;
      let difficult = false;
      for (let k = i; k < j; k++) {
        const fl = childFlags[k];
        if ((fl & CF.ADOPTED) === 0) {
          babies++;
          if ((fl & CF.DIFFICULT_BIRTH) !== 0) difficult = true;
        }
      }
      const packed = packedFromDays(day);
      const birthYear = Math.floor(packed / 10000);
      const bmo = Math.floor(packed / 100) % 100;
      const leapDay = bmo === 2 && packed % 100 === 29;
      const birthM = birthYear * 12 + bmo - 1;
      const natEnd = annivMonth(birthYear, bmo, leapDay, R.natAge) - 1;
      const iitEnd = R.iitAge === R.natAge ? natEnd + 1 : annivMonth(birthYear, bmo, leapDay, R.iitAge);
      const born = day <= asOfDay;
      const countLeave = !budget || birthYear === year;
      if (babies > 0) {
        if (countLeave && (ff & FF.MOTHER_EMPLOYED) !== 0) {
          const base = segAt(R.matBase, day);
          if (base >= 0) {
            let days = base;
            if (difficult) days += Math.max(0, segAt(R.matDifficult, day));
            days += (babies - 1) * Math.max(0, segAt(R.matPerBaby, day));
            const ext = segAt(R.matExt, day);
            if (ext > 0) days += ext;
            if (days > 0) {
              aMat += days;
              nMat++;
              if (out) out.maternity[i] = days;
            }
          }
        }
        if (countLeave && (ff & FF.FATHER_EMPLOYED) !== 0) {
          const p = segAt(R.paternity, day);
          if (p > 0) {
            aPat += p;
            nPat++;
            if (out) out.paternity[i] = p;
          }
        }
        if (born && day > youngDay) {
          youngDay = day;
          youngBabies = babies;
        }
      }

      for (let k = i; k < j; k++) {
        const fl = childFlags[k];
        const adopted = (fl & CF.ADOPTED) !== 0;
        const order = childOrder[k];
        const area = childArea[k];
        const kunming = area !== 0 && Math.floor(area / kmDiv) === km;
        let one = 0;
        let allow = 0;
        let ins = 0;
        if (kunming) {
          if (!adopted && (order === 2 || order === 3) && (!budget || birthYear === year)) {
            const v = segAt(order === 2 ? R.bs2 : R.bs3, day);
            if (v > 0) one = v;
          }
          if (
            R.allowYearFen > 0 &&
            order < 31 &&
            (R.allowOrderMask & (1 << order)) !== 0 &&
            year >= birthYear &&
            segAt(R.allowWin, day) === 1
          ) {
            allow = R.allowYearFen;
          }
          if (
            R.insYearFen > 0 &&
            year >= birthYear &&
            segAt(R.insWin, day) === 1 &&
            anniversaryDay(day, R.insAge) > yearStart
          ) {
            ins = R.insYearFen;
          }
        }
        // national subsidy: months of the year from the birth month to before the 3rd birthday
        let nat = 0;
        const lo = birthM > yearM0 ? birthM - yearM0 : 0;
        const hi = natEnd < yearM0 + 11 ? natEnd - yearM0 : 11;
        if (hi >= lo) nat = R.natPrefix[hi + 1] - R.natPrefix[lo];
        // income-tax deduction for the month of asOf (or the year, for budgets)
        let iit = 0;
        const third = iitEnd;
        if (budget) {
          const l2 = birthM > yearM0 ? birthM - yearM0 : 0;
          const h2 = third - 1 < yearM0 + 11 ? third - 1 - yearM0 : 11;
          if (h2 >= l2) iit = R.iitPrefix[h2 + 1] - R.iitPrefix[l2];
        } else if (asOfMonth >= birthM && asOfMonth < third) {
          iit = R.iitMonthFen;
        }
        if (one > 0) {
          aOne += one;
          nOne++;
        }
        if (allow > 0) {
          aAllow += allow;
          nAllow++;
        }
        if (nat > 0) {
          aNat += nat;
          nNat++;
        }
        if (ins > 0) {
          aIns += ins;
          nIns++;
        }
        if (iit > 0) {
          aIit += iit;
          nIit++;
        }
        const childCash = one + allow + nat + ins;
        if (childCash > 0) {
          cash += childCash;
          if (area !== lastArea) {
            lastArea = area;
            lastSlot = areaSlot(area) * 5;
          }
          areaAcc[lastSlot] += one;
          areaAcc[lastSlot + 1] += allow;
          areaAcc[lastSlot + 2] += nat;
          areaAcc[lastSlot + 3] += ins;
        }
        if (out) {
          out.oneTime[k] = one;
          out.allowance[k] = allow;
          out.national[k] = nat;
          out.insurance[k] = ins;
          out.iit[k] = iit;
        }
        // ages on asOf (children born after asOf are not yet counted)
        if (born) {
          if (under(day, R.minorAge, asOfDay)) minors++;
          if (under(day, R.parentalAge, asOfDay)) under3++;
          if (under(day, R.schoolHi, asOfDay) && !under(day, R.schoolLo, asOfDay)) schoolAge++;
        }
      }
      i = j;
    }

    // parents
    if (under3 > 0) {
      const d = under3 >= R.parentalExtraMin ? R.parentalDays + R.parentalExtra : R.parentalDays;
      if (d > 0) {
        if ((ff & FF.MOTHER_EMPLOYED) !== 0) {
          amount[P_.parental_leave] += d;
          eligible[P_.parental_leave]++;
          if (out) out.parentalMother[f] = d;
        }
        if ((ff & FF.FATHER_EMPLOYED) !== 0) {
          amount[P_.parental_leave] += d;
          eligible[P_.parental_leave]++;
          if (out) out.parentalFather[f] = d;
        }
      }
    }
    if ((ff & FF.MOTHER_EMPLOYED) !== 0 && youngBabies > 0 && under(youngDay, R.nursingAge, asOfDay)) {
      const m = segAt(R.nursing, youngDay);
      if (m > 0) {
        const v = m * youngBabies;
        amount[P_.nursing_time] += v;
        eligible[P_.nursing_time]++;
        if (out) out.nursing[f] = v;
      }
    }
    if (
      (ff & (FF.MOTHER_EMPLOYED | FF.MOTHER_ELDER_HOSPITALIZED)) ===
      (FF.MOTHER_EMPLOYED | FF.MOTHER_ELDER_HOSPITALIZED)
    ) {
      const d = (ff & FF.MOTHER_ONLY_CHILD) !== 0 ? R.elderOnly : R.elderOther;
      if (d > 0) {
        amount[P_.elder_care_leave] += d;
        eligible[P_.elder_care_leave]++;
        if (out) out.elderMother[f] = d;
      }
    }
    if (
      (ff & (FF.FATHER_EMPLOYED | FF.FATHER_ELDER_HOSPITALIZED)) ===
      (FF.FATHER_EMPLOYED | FF.FATHER_ELDER_HOSPITALIZED)
    ) {
      const d = (ff & FF.FATHER_ONLY_CHILD) !== 0 ? R.elderOnly : R.elderOther;
      if (d > 0) {
        amount[P_.elder_care_leave] += d;
        eligible[P_.elder_care_leave]++;
        if (out) out.elderFather[f] = d;
      }
    }
    // family-level housing, school, elderly care, special families
    const noHome = (ff & FF.OWNS_HOME) === 0;
    const fund = (ff & FF.CONTRIBUTES_HOUSING_FUND) !== 0;
    const buying = (ff & FF.BUYING_FIRST_HOME) !== 0;
    if (fund && buying) {
      const u = nChildren >= 3 ? R.upliftThree : nChildren === 2 ? R.upliftTwo : 0;
      if (u > 0) {
        amount[P_.housing_fund_loan_uplift] += u;
        eligible[P_.housing_fund_loan_uplift]++;
        if (out) out.uplift[f] = u;
      }
    }
    if (fund && noHome && (ff & FF.RENTS) !== 0 && nChildren >= R.rentMin) {
      eligible[P_.housing_fund_rent_withdrawal]++;
      if (out) out.rent[f] = 1;
    }
    if (minors > 0 && noHome) {
      eligible[P_.public_rental_housing_preference]++;
      if (out) out.publicRental[f] = 1;
    }
    if (nChildren >= R.guaranteedMin && noHome) {
      eligible[P_.guaranteed_rental_housing_tilt]++;
      if (out) out.guaranteed[f] = 1;
    }
    if (nChildren >= R.purchaseMin && buying && R.purchaseByCounty.size > 0) {
      const v = R.purchaseByCounty.get(famArea[f]) ?? 0;
      if (v > 0) {
        amount[P_.housing_purchase_support] += v;
        eligible[P_.housing_purchase_support]++;
        cash += v;
        const s = areaSlot(famArea[f]) * 5;
        areaAcc[s + 4] += v;
        if (out) out.purchase[f] = v;
      }
    }
    if (nChildren >= R.schoolMin && schoolAge > 0) {
      eligible[P_.school_sibling_placement]++;
      if (out) out.school[f] = 1;
    }
    if (nChildren >= R.elderlyMin) {
      eligible[P_.elderly_care_priority]++;
      if (out) out.elderly[f] = 1;
    }
    if ((ff & FF.SPECIAL_FAMILY) !== 0) {
      eligible[P_.special_family_support]++;
      if (out) out.special[f] = 1;
    }
    if (famCash) famCash[f] = cash;
  }
  amount[P_.one_time_birth_subsidy] = aOne;
  eligible[P_.one_time_birth_subsidy] = nOne;
  amount[P_.local_childcare_allowance] = aAllow;
  eligible[P_.local_childcare_allowance] = nAllow;
  amount[P_.national_childcare_subsidy] = aNat;
  eligible[P_.national_childcare_subsidy] = nNat;
  amount[P_.infant_accident_insurance_subsidy] = aIns;
  eligible[P_.infant_accident_insurance_subsidy] = nIns;
  amount[P_.iit_infant_care_deduction] = aIit;
  eligible[P_.iit_infant_care_deduction] = nIit;
  amount[P_.maternity_leave] = aMat;
  eligible[P_.maternity_leave] = nMat;
  amount[P_.paternity_leave] = aPat;
  eligible[P_.paternity_leave] = nPat;
  const byArea = new Map<number, Float64Array>();
  areaCodes.forEach((code, i) => {
    byArea.set(code, areaAcc.slice(i * 5, i * 5 + 5));
  });
  const res: BatchResult = { asOfDay, year, amount, eligible, byArea };
  if (out) res.perSubject = out;
  if (famCash) res.familyCash = famCash;
  return res;
}
