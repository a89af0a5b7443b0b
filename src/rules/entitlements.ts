/**
 * The one-family path: every entitlement of the contract (and the project's extra ids) for a
 * validated family on a date, with conditions, parameters used and citations.
 */
import {
  anniversaryDay,
  daysFromCivil,
  firstDayOfMonthIndex,
  isoFromDays,
  monthIndexIso,
  monthIndexOfDay,
  yearOfDay,
} from './dates.ts';
import { type Birth, buildFamily, type Child, type Family } from './family.ts';
import type { EntitlementInput, ParentInput, Role } from './input.ts';
import { type Citation, entryAt, type ParamEntry, ParameterError, type ParameterSet } from './params.ts';
import { type Condition, decide, type ExplanationLine, type RuleDef } from './rule.ts';
import { markShared, share } from './shared.ts';

/** The twelve ids of the contract, then the project's own. */
export const ENTITLEMENT_IDS = [
  'one_time_birth_subsidy',
  'local_childcare_allowance',
  'national_childcare_subsidy',
  'infant_accident_insurance_subsidy',
  'maternity_leave',
  'paternity_leave',
  'parental_leave',
  'nursing_time',
  'elder_care_leave',
  'housing_fund_loan_uplift',
  'housing_fund_rent_withdrawal',
  'iit_infant_care_deduction',
  'public_rental_housing_preference',
  'guaranteed_rental_housing_tilt',
  'housing_purchase_support',
  'school_sibling_placement',
  'elderly_care_priority',
  'special_family_support',
] as const;
export type EntitlementId = (typeof ENTITLEMENT_IDS)[number];

/**
 * A parameter the decision read: the dated value in force and where it applies. Its clause is
 * `citations[citationIndex]` of the same entitlement (same source, clause and text), so an answer
 * quotes each clause once; `citation` is kept only when the parameter's own citation says more
 * than that entry (the rule's quote of the same sentence has no `document`).
 */
export interface ParameterUse {
  name: string;
  value: unknown;
  unit: string;
  from: string | null;
  to: string | null;
  citationIndex: number;
  citation?: Citation;
}

export interface Entitlement {
  id: EntitlementId;
  subject: string;
  eligible: boolean;
  amountFen?: number;
  days?: number;
  minutesPerDay?: number;
  percent?: number;
  /** Frozen and shared between answers, like `parameters`. */
  citations: readonly Citation[];
  explanation: ExplanationLine[];
  parameters: readonly ParameterUse[];
  /** Which case of the rule decided: 'base', an exception id, or null when a condition failed. */
  decidedBy: string | null;
  [extra: string]: unknown;
}

export interface EntitlementsOutput {
  asOf: string;
  entitlements: Entitlement[];
}

type Unit = 'amountFen' | 'days' | 'minutesPerDay' | 'percent' | 'none';

/** One dated entry of a parameter, prepared once per parameter set (see `compiled`). */
interface UsedEntry {
  readonly entry: ParamEntry;
  readonly fromDay: number;
  readonly toDay: number;
  readonly name: string;
  readonly unit: string;
  /** The entry as reported in `parameters[]`, by citation index (made once each, frozen). */
  readonly uses: ParameterUse[];
  /** Position in the order of `parameters[]`: by name, then by start date (code-unit order). */
  readonly rank: number;
  /** Identity of the citation by source, clause and text (how `citations[]` is deduplicated). */
  readonly cite: number;
  /** Identity of the citation with every field. */
  readonly full: number;
}

interface CompiledParam {
  readonly entries: readonly UsedEntry[];
  /** "2023-01-01至2025-12-31" style description of where the parameter is in force. */
  readonly windows: { readonly zh: string; readonly en: string };
}

/** `citations` and `parameters` of an entitlement: a function of its rule and the entries read. */
interface Sources {
  readonly citations: readonly Citation[];
  readonly parameters: readonly ParameterUse[];
}

/** A node of the tree of entry sequences read by one rule (see `sourcesOf`). */
interface SourcesNode {
  readonly next: Map<UsedEntry, SourcesNode>;
  sources: Sources | null;
}

/** What depends only on the parameter set, prepared once: look-ups, reported entries, citations. */
interface Compiled {
  readonly params: ReadonlyMap<string, CompiledParam>;
  /** Citation identities (`UsedEntry.cite`, `.full`) of each rule's own clause. */
  readonly ruleCite: Readonly<Record<EntitlementId, number>>;
  readonly ruleFull: Readonly<Record<EntitlementId, number>>;
  /** Per rule, the sources made so far for each sequence of entries read (bounded, see below). */
  readonly sources: Map<EntitlementId, SourcesNode>;
  kept: number;
}

/**
 * How many source lists one parameter set keeps. A rule reads a handful of a few dozen dated
 * entries, so real use stays far below this; the bound only guards against an odd reform.
 */
const MAX_KEPT_SOURCES = 10_000;

interface Ctx {
  P: ParameterSet;
  K: Compiled;
  fam: Family;
  /** Parameter entries read while deciding the current entitlement, in first-use order. */
  used: UsedEntry[];
  year: number;
  yearStart: number;
  yearEnd: number;
  asOfMonth: number;
  child: Child;
  birth: Birth;
  role: Role;
  parent: ParentInput | null;
  /** National-subsidy months of `child` in `year`, once computed for this context. */
  months: NationalMonths | null;
}

const T = (zh: string, en: string) => ({ zh, en });

function citeKey(c: Citation): string {
  return `${c.source}|${c.clause ?? ''}|${c.text}`;
}

/**
 * Parameter sets are immutable once built (`compileParameters` and `applyReform` return new
 * ones), so what depends only on them is prepared once per set and kept beside it.
 */
const COMPILED = new WeakMap<ParameterSet, Compiled>();

function compile(P: ParameterSet): Compiled {
  const idOf = (ids: Map<string, number>, k: string) => {
    let id = ids.get(k);
    if (id === undefined) {
      id = ids.size;
      ids.set(k, id);
    }
    return id;
  };
  const citeIds = new Map<string, number>();
  const fullIds = new Map<string, number>();
  const citeId = (c: Citation) => idOf(citeIds, citeKey(c));
  const fullId = (c: Citation) =>
    idOf(fullIds, JSON.stringify([c.source, c.clause, c.text, c.grade, c.document]));
  const ruleCite = {} as Record<EntitlementId, number>;
  const ruleFull = {} as Record<EntitlementId, number>;
  for (const id of ENTITLEMENT_IDS) {
    ruleCite[id] = citeId(RULE_CITATIONS[id]);
    ruleFull[id] = fullId(RULE_CITATIONS[id]);
  }
  // Report order of parameters: code-unit order of name, then start date (names are ASCII,
  // dates ISO), ranked once here instead of sorting strings on every answer.
  const ranked: Array<{ entry: { rank: number }; key: string }> = [];
  const params = new Map<string, CompiledParam>();
  for (const [name, param] of P.params) {
    const entries = param.entries.map((e) => {
      const u = {
        entry: e,
        fromDay: e.fromDay,
        toDay: e.toDay,
        name,
        unit: param.unit,
        uses: [],
        rank: 0,
        cite: citeId(e.citation),
        full: fullId(e.citation),
      };
      markShared(e.citation);
      ranked.push({ entry: u, key: `${name}\u0000${e.from ?? ''}` });
      return u;
    });
    params.set(name, {
      entries,
      windows: {
        zh: param.entries.map((e) => `${e.from ?? '不限'}至${e.to ?? '今'}`).join('、'),
        en: param.entries.map((e) => `${e.from ?? 'any date'} to ${e.to ?? 'now'}`).join(', '),
      },
    });
  }
  ranked.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  ranked.forEach((r, i) => {
    r.entry.rank = i > 0 && r.key === ranked[i - 1].key ? ranked[i - 1].entry.rank : i;
  });
  return { params, ruleCite, ruleFull, sources: new Map(), kept: 0 };
}

function compiled(P: ParameterSet): Compiled {
  let k = COMPILED.get(P);
  if (!k) {
    k = compile(P);
    COMPILED.set(P, k);
  }
  return k;
}

function param(c: Ctx, name: string): CompiledParam {
  const p = c.K.params.get(name);
  if (!p) throw new ParameterError(`unknown parameter ${name}`);
  return p;
}

function use(c: Ctx, name: string, day: number): ParamEntry | undefined {
  const es = param(c, name).entries;
  for (let i = 0; i < es.length; i++) {
    const u = es[i];
    if (day >= u.fromDay && day <= u.toDay) {
      if (!c.used.includes(u)) c.used.push(u);
      return u.entry;
    }
  }
  return undefined;
}

function num(c: Ctx, name: string, day: number): number | undefined {
  return use(c, name, day)?.value as number | undefined;
}

/** A parameter that must have a value on the day (open-ended constants). */
function must(c: Ctx, name: string, day: number): number {
  const v = num(c, name, day);
  if (v === undefined) throw new Error(`parameter ${name} has no value on ${isoFromDays(day)}`);
  return v;
}

function yuan(fen: number): string {
  const y = Math.trunc(fen / 100);
  const r = Math.abs(fen % 100);
  return r === 0 ? `${y}` : `${y}.${String(r).padStart(2, '0')}`;
}

/** "2023-01-01–2025-12-31" style description of where a parameter is in force. */
function windows(c: Ctx, name: string): { zh: string; en: string } {
  const p = param(c, name);
  for (const u of p.entries) if (!c.used.includes(u)) c.used.push(u);
  return p.windows;
}

function inKunming(c: Ctx, area: string | null, day: number): boolean {
  if (area === null) return false;
  const prefix = use(c, 'area.kunming_prefix', day)?.value as string;
  return area.startsWith(prefix);
}

function inYunnan(c: Ctx, area: string | null, day: number): boolean {
  if (area === null) return false;
  const prefix = use(c, 'area.yunnan_prefix', day)?.value as string;
  return area.startsWith(prefix);
}

// ---------- shared conditions ----------

const childNotAdopted: Condition<Ctx> = {
  id: 'child_not_adopted',
  test: (c) => !c.child.adopted,
  text: (_c, h) =>
    h
      ? T('孩子系本人生育（非收养）', 'The child was born to the couple (not adopted)')
      : T('收养子女不享受与生育相关的待遇', 'Adopted children do not receive what is tied to giving birth'),
};

const childHukouKunming: Condition<Ctx> = {
  id: 'child_hukou_in_kunming',
  test: (c) => inKunming(c, c.child.area, c.fam.asOfDay),
  text: (c, h) =>
    h
      ? T(`孩子户口登记在昆明（${c.child.area}）`, `The child is registered in Kunming (${c.child.area})`)
      : T(
          `孩子户口未登记在昆明（${c.child.area ?? '未提供'}）`,
          `The child is not registered in Kunming (${c.child.area ?? 'not given'})`,
        ),
};

const yearNotBeforeBirth: Condition<Ctx> = {
  id: 'year_not_before_birth_year',
  test: (c) => c.year >= yearOfDay(c.child.birthDay),
  text: (c, h) =>
    h
      ? T(`${c.year}年不早于出生年度`, `${c.year} is not before the birth year`)
      : T(`孩子${c.year}年尚未出生`, `The child was not yet born in ${c.year}`),
};

function childrenAtLeast(id: string, param: string, zhWhat: string, enWhat: string): Condition<Ctx> {
  return {
    id,
    test: (c) => c.fam.children.length >= must(c, param, c.fam.asOfDay),
    text: (c, h) => {
      const n = c.fam.children.length;
      const min = must(c, param, c.fam.asOfDay);
      return T(
        `家庭子女数为${n}（${zhWhat}需${min}个及以上）${h ? '' : '，不满足'}`,
        `The family has ${n} children (${enWhat} needs ${min} or more)${h ? '' : ': not met'}`,
      );
    },
  };
}

const parentEmployed: Condition<Ctx> = {
  id: 'parent_employed',
  test: (c) => c.parent?.employed === true,
  text: (c, h) => {
    const zhR = c.role === 'mother' ? '母亲' : '父亲';
    if (c.parent === null) return T(`未提供${zhR}信息`, `No ${c.role} is given`);
    return h
      ? T(`${zhR}在职（有用人单位）`, `The ${c.role} is employed`)
      : T(`${zhR}未在职，单位假期不适用`, `The ${c.role} is not employed, so employer leave does not apply`);
  },
};

const noOwnHome: Condition<Ctx> = {
  id: 'no_own_home',
  test: (c) => !c.fam.ownsHome,
  text: (_c, h) =>
    h ? T('家庭无自有住房', 'The family owns no home') : T('家庭有自有住房', 'The family owns a home'),
};

// ---------- money for children ----------

const oneTimeBirthSubsidy: RuleDef<Ctx, number> = {
  id: 'one_time_birth_subsidy',
  conditions: [
    childNotAdopted,
    childHukouKunming,
    {
      id: 'birth_order_is_2_or_3',
      test: (c) => c.child.order === 2 || c.child.order === 3,
      text: (c, h) =>
        T(
          `孩次为${c.child.order}${h ? '' : '（一次性生育补贴只发给二孩、三孩）'}`,
          `Birth order is ${c.child.order}${h ? '' : ' (the one-time subsidy is for 2nd and 3rd children only)'}`,
        ),
    },
    {
      id: 'born_in_subsidy_window',
      test: (c) =>
        use(
          c,
          c.child.order === 3 ? 'birth_subsidy.third_child' : 'birth_subsidy.second_child',
          c.child.birthDay,
        ) !== undefined,
      text: (c, h) => {
        const w = windows(
          c,
          c.child.order === 3 ? 'birth_subsidy.third_child' : 'birth_subsidy.second_child',
        );
        return T(
          `出生日期${c.child.birthDate}${h ? '在' : '不在'}补贴期间（${w.zh}）内`,
          `Born ${c.child.birthDate}, ${h ? 'within' : 'outside'} the subsidy window (${w.en})`,
        );
      },
    },
  ],
  base: null,
  exceptions: [
    {
      id: 'second_child',
      priority: 1,
      when: {
        id: 'second_child_amount',
        test: (c) => c.child.order === 2,
        text: (c, h) =>
          h
            ? T(
                `二孩：${yuan(must(c, 'birth_subsidy.second_child', c.child.birthDay))}元`,
                `Second child: ${yuan(must(c, 'birth_subsidy.second_child', c.child.birthDay))} yuan`,
              )
            : T('不是二孩', 'Not a second child'),
      },
      value: (c) => must(c, 'birth_subsidy.second_child', c.child.birthDay),
    },
    {
      id: 'third_child',
      priority: 1,
      when: {
        id: 'third_child_amount',
        test: (c) => c.child.order === 3,
        text: (c, h) =>
          h
            ? T(
                `三孩：${yuan(must(c, 'birth_subsidy.third_child', c.child.birthDay))}元`,
                `Third child: ${yuan(must(c, 'birth_subsidy.third_child', c.child.birthDay))} yuan`,
              )
            : T('不是三孩', 'Not a third child'),
      },
      value: (c) => must(c, 'birth_subsidy.third_child', c.child.birthDay),
    },
  ],
};

const localAllowance: RuleDef<Ctx, number> = {
  id: 'local_childcare_allowance',
  conditions: [
    {
      id: 'birth_order_is_2_or_3',
      test: (c) =>
        ((use(c, 'local_allowance.birth_orders', c.fam.asOfDay)?.value ?? []) as number[]).includes(
          c.child.order,
        ),
      text: (c, h) =>
        T(
          `孩次为${c.child.order}${h ? '' : '（育儿补助只发给二孩、三孩）'}`,
          `Birth order is ${c.child.order}${h ? '' : ' (the allowance is for 2nd and 3rd children only)'}`,
        ),
    },
    childHukouKunming,
    {
      id: 'born_in_allowance_window',
      test: (c) => use(c, 'local_allowance.birth_window', c.child.birthDay)?.value === true,
      text: (c, h) => {
        const w = windows(c, 'local_allowance.birth_window');
        return T(
          `出生日期${c.child.birthDate}${h ? '在' : '不在'}育儿补助出生期间（${w.zh}）内`,
          `Born ${c.child.birthDate}, ${h ? 'within' : 'outside'} the allowance's birth window (${w.en})`,
        );
      },
    },
    yearNotBeforeBirth,
    {
      id: 'allowance_in_force_for_year',
      test: (c) => use(c, 'local_allowance.yearly', c.yearStart) !== undefined,
      text: (c, h) =>
        T(
          `${c.year}年${h ? '' : '不'}在育儿补助发放年度内`,
          `${c.year} is ${h ? '' : 'not '}a year the allowance is paid for`,
        ),
    },
  ],
  base: (c) => must(c, 'local_allowance.yearly', c.yearStart),
  exceptions: [
    {
      id: 'superseded_by_national_subsidy',
      priority: 1,
      when: {
        id: 'superseded_by_national_subsidy',
        test: (c) => use(c, 'local_allowance.superseded_by_national_subsidy', c.yearStart)?.value === true,
        text: (c, h) =>
          h
            ? T(
                `自${use(c, 'local_allowance.superseded_by_national_subsidy', c.yearStart)?.from}起昆明育儿补助由国家育儿补贴替代（不叠加），${c.year}年不再发放`,
                `From ${use(c, 'local_allowance.superseded_by_national_subsidy', c.yearStart)?.from} the local allowance is replaced by (not added to) the national childcare subsidy, so nothing is paid for ${c.year}`,
              )
            : T(
                `${c.year}年育儿补助未被国家育儿补贴替代`,
                `In ${c.year} the allowance is not yet replaced by the national subsidy`,
              ),
      },
      value: () => 0,
    },
  ],
};

interface NationalMonths {
  first: number;
  last: number;
  sum: number;
}

/** Eligible months (month indexes) of the national subsidy within the year of asOf. */
function nationalMonths(c: Ctx): NationalMonths {
  // The rule asks for these several times (test, text, amount, months); the context is one
  // child in one year, and the parameters read are recorded on the first call.
  if (c.months !== null) return c.months;
  const limit = must(c, 'national_subsidy.age_limit_years', c.fam.asOfDay);
  const lo = Math.max(monthIndexOfDay(c.child.birthDay), c.year * 12);
  const hi = Math.min(monthIndexOfDay(anniversaryDay(c.child.birthDay, limit)) - 1, c.year * 12 + 11);
  let sum = 0;
  let first = -1;
  let last = -1;
  for (let m = lo; m <= hi; m++) {
    const v = num(c, 'national_subsidy.monthly', firstDayOfMonthIndex(m));
    if (v === undefined || v === 0) continue;
    sum += v;
    if (first < 0) first = m;
    last = m;
  }
  c.months = { first, last, sum };
  return c.months;
}

const nationalSubsidy: RuleDef<Ctx, number> = {
  id: 'national_childcare_subsidy',
  conditions: [
    {
      id: 'eligible_months_in_year',
      test: (c) => nationalMonths(c).sum > 0,
      text: (c, h) => {
        const m = nationalMonths(c);
        const n = m.first < 0 ? 0 : m.last - m.first + 1;
        return h
          ? T(
              `${c.year}年符合条件的月份：${monthIndexIso(m.first)}至${monthIndexIso(m.last)}，共${n}个月（出生当月起至满3周岁当月之前，且不早于制度实施月份）`,
              `Eligible months in ${c.year}: ${monthIndexIso(m.first)} to ${monthIndexIso(m.last)}, ${n} months (from the birth month to the month before the 3rd birthday, not before the subsidy began)`,
            )
          : T(
              `${c.year}年没有符合条件的月份（须在出生当月起至满3周岁当月之前，且在国家育儿补贴实施期间：${windows(c, 'national_subsidy.monthly').zh}）`,
              `No eligible month in ${c.year} (months from birth to before the 3rd birthday, while the national subsidy is in force: ${windows(c, 'national_subsidy.monthly').en})`,
            );
      },
    },
  ],
  factors: [
    {
      id: 'any_birth_order_any_hukou',
      test: () => true,
      text: (c) =>
        T(
          `国家育儿补贴不限孩次（本孩孩次${c.child.order}），中国户籍婴幼儿均可享受`,
          `The national subsidy applies to every birth order (this child: ${c.child.order}) and every child with a Chinese hukou`,
        ),
    },
    {
      id: 'claimed_in_yunnan',
      test: (c) => inYunnan(c, c.child.area, c.fam.asOfDay),
      text: (c, h) =>
        h
          ? T(
              '户籍在云南，向户籍所在地乡镇（街道）或线上申领',
              'Hukou in Yunnan: claimed at the hukou township/street office or online',
            )
          : c.child.area === null
            ? T('未提供户籍地：在户籍所在地申领', 'No hukou area given: claimed at the hukou place')
            : T(
                `户籍不在云南（${c.child.area}），在户籍所在地申领`,
                `Hukou outside Yunnan (${c.child.area}): claimed at the hukou place`,
              ),
    },
  ],
  base: (c) => nationalMonths(c).sum,
  exceptions: [],
};

const insuranceSubsidy: RuleDef<Ctx, number> = {
  id: 'infant_accident_insurance_subsidy',
  conditions: [
    childHukouKunming,
    {
      id: 'born_in_insurance_window',
      test: (c) => use(c, 'insurance_subsidy.birth_window', c.child.birthDay)?.value === true,
      text: (c, h) => {
        const w = windows(c, 'insurance_subsidy.birth_window');
        return T(
          `出生日期${c.child.birthDate}${h ? '在' : '不在'}参保补贴出生期间（${w.zh}）内`,
          `Born ${c.child.birthDate}, ${h ? 'within' : 'outside'} the insurance subsidy's birth window (${w.en})`,
        );
      },
    },
    yearNotBeforeBirth,
    {
      id: 'under_age_limit_during_year',
      test: (c) =>
        anniversaryDay(c.child.birthDay, must(c, 'insurance_subsidy.age_limit_years', c.fam.asOfDay)) >
        c.yearStart,
      text: (c, h) => {
        const lim = must(c, 'insurance_subsidy.age_limit_years', c.fam.asOfDay);
        return T(
          h ? `${c.year}年内孩子有不满${lim}周岁的时间` : `${c.year}年初孩子已满${lim}周岁`,
          h
            ? `The child is under ${lim} for part of ${c.year}`
            : `The child is ${lim} or older for all of ${c.year}`,
        );
      },
    },
    {
      id: 'insurance_subsidy_in_force_for_year',
      test: (c) => use(c, 'insurance_subsidy.yearly', c.yearStart) !== undefined,
      text: (c, h) =>
        T(
          `${c.year}年${h ? '' : '不'}在参保补贴发放年度内`,
          `${c.year} is ${h ? '' : 'not '}a year the insurance subsidy is paid for`,
        ),
    },
  ],
  base: (c) => must(c, 'insurance_subsidy.yearly', c.yearStart),
  exceptions: [],
};

function inDeductionPeriod(c: Ctx): boolean {
  const lim = must(c, 'iit_infant_care.age_limit_years', c.fam.asOfDay);
  return (
    c.asOfMonth >= monthIndexOfDay(c.child.birthDay) &&
    c.asOfMonth < monthIndexOfDay(anniversaryDay(c.child.birthDay, lim))
  );
}

const iitDeduction: RuleDef<Ctx, number> = {
  id: 'iit_infant_care_deduction',
  conditions: [
    {
      id: 'month_in_deduction_period',
      test: inDeductionPeriod,
      text: (c, h) => {
        const lim = must(c, 'iit_infant_care.age_limit_years', c.fam.asOfDay);
        const to = monthIndexOfDay(anniversaryDay(c.child.birthDay, lim)) - 1;
        const from = monthIndexIso(monthIndexOfDay(c.child.birthDay));
        return T(
          `${monthIndexIso(c.asOfMonth)}${h ? '在' : '不在'}扣除期间（${from}至${monthIndexIso(to)}，出生当月至满${lim}周岁前一个月）内`,
          `${monthIndexIso(c.asOfMonth)} is ${h ? 'within' : 'outside'} the deduction period (${from} to ${monthIndexIso(to)}: birth month to the month before the birthday at age ${lim})`,
        );
      },
    },
    {
      id: 'deduction_in_force',
      test: (c) => use(c, 'iit_infant_care.monthly', firstDayOfMonthIndex(c.asOfMonth)) !== undefined,
      text: (c, h) =>
        T(
          `${monthIndexIso(c.asOfMonth)}${h ? '' : '尚未'}实行婴幼儿照护专项附加扣除（${windows(c, 'iit_infant_care.monthly').zh}）`,
          `The infant-care deduction is ${h ? '' : 'not '}in force in ${monthIndexIso(c.asOfMonth)} (${windows(c, 'iit_infant_care.monthly').en})`,
        ),
    },
  ],
  factors: [
    {
      id: 'amount_before_split',
      test: () => true,
      text: () =>
        T(
          '金额为每孩每月全额扣除标准，父母可各扣50%或由一方扣100%，一个纳税年度内不变',
          "The amount is the child's full monthly deduction; the parents take 50% each or one takes 100%, fixed for the tax year",
        ),
    },
  ],
  base: (c) => must(c, 'iit_infant_care.monthly', firstDayOfMonthIndex(c.asOfMonth)),
  exceptions: [],
};

// ---------- leave ----------

function mother(c: Ctx): ParentInput | null {
  return c.fam.mother;
}

const birthNotAdoption: Condition<Ctx> = {
  id: 'birth_not_adoption',
  test: (c) => c.birth.babies > 0,
  text: (_c, h) =>
    h
      ? T('本次为生育（非收养）', 'This is a birth to the mother (not an adoption)')
      : T('收养子女不享受与生育相关的假期', 'Leave tied to giving birth does not apply to adopted children'),
};

const maternityLeave: RuleDef<Ctx, number> = {
  id: 'maternity_leave',
  conditions: [
    {
      id: 'mother_employed',
      test: (c) => mother(c)?.employed === true,
      text: (c, h) =>
        mother(c) === null
          ? T('未提供母亲信息', 'No mother is given')
          : h
            ? T('母亲在职（女职工）', 'The mother is employed')
            : T('母亲未在职，产假不适用', 'The mother is not employed, so maternity leave does not apply'),
    },
    birthNotAdoption,
    {
      id: 'national_maternity_rule_in_force_at_birth',
      test: (c) => use(c, 'maternity_leave.base_days', c.birth.day) !== undefined,
      text: (c, h) =>
        T(
          `出生日期${c.birth.date}${h ? '' : '早于'}适用《女职工劳动保护特别规定》（${windows(c, 'maternity_leave.base_days').zh}）`,
          `Birth on ${c.birth.date} ${h ? 'falls under' : 'predates'} the national maternity rules (${windows(c, 'maternity_leave.base_days').en})`,
        ),
    },
  ],
  factors: [
    {
      id: 'difficult_birth',
      test: (c) => c.birth.difficult,
      text: (c, h) => {
        const x = num(c, 'maternity_leave.difficult_birth_extra_days', c.birth.day) ?? 0;
        return h
          ? T(`难产，增加${x}天`, `Difficult birth: +${x} days`)
          : T('非难产', 'Not a difficult birth');
      },
    },
    {
      id: 'multiple_birth',
      test: (c) => c.birth.babies > 1,
      text: (c, h) =>
        h
          ? T(
              `多胞胎（${c.birth.babies}个婴儿），每多1个增加${num(c, 'maternity_leave.per_additional_baby_days', c.birth.day) ?? 0}天`,
              `Multiple birth (${c.birth.babies} babies): +${num(c, 'maternity_leave.per_additional_baby_days', c.birth.day) ?? 0} days for each additional baby`,
            )
          : T('单胎', 'Single birth'),
    },
    {
      id: 'yunnan_extension_applies',
      test: (c) => use(c, 'maternity_leave.yunnan_extension_days', c.birth.day) !== undefined,
      text: (c, h) =>
        T(
          `云南延长生育假${h ? '适用' : '不适用'}（适用于${windows(c, 'maternity_leave.yunnan_extension_days').zh}的生育）`,
          `Yunnan's birth-leave extension ${h ? 'applies' : 'does not apply'} (births ${windows(c, 'maternity_leave.yunnan_extension_days').en})`,
        ),
    },
  ],
  base: (c) => {
    const d = c.birth.day;
    let days = must(c, 'maternity_leave.base_days', d);
    if (c.birth.difficult) days += must(c, 'maternity_leave.difficult_birth_extra_days', d);
    days += (c.birth.babies - 1) * must(c, 'maternity_leave.per_additional_baby_days', d);
    days += num(c, 'maternity_leave.yunnan_extension_days', d) ?? 0;
    return days;
  },
  exceptions: [],
};

const paternityLeave: RuleDef<Ctx, number> = {
  id: 'paternity_leave',
  conditions: [
    {
      id: 'father_employed',
      test: (c) => c.fam.father?.employed === true,
      text: (c, h) =>
        c.fam.father === null
          ? T('未提供父亲信息', 'No father is given')
          : h
            ? T('父亲在职', 'The father is employed')
            : T('父亲未在职，护理假不适用', 'The father is not employed, so paternity leave does not apply'),
    },
    birthNotAdoption,
  ],
  base: (c) => must(c, 'paternity_leave.days', c.birth.day),
  exceptions: [],
};

function childrenUnder(c: Ctx, years: number): number {
  const d = c.fam.asOfDay;
  let n = 0;
  for (const ch of c.fam.children) if (ch.birthDay <= d && d < anniversaryDay(ch.birthDay, years)) n++;
  return n;
}

const parentalLeave: RuleDef<Ctx, number> = {
  id: 'parental_leave',
  conditions: [
    parentEmployed,
    {
      id: 'child_under_age_limit_on_as_of',
      test: (c) => childrenUnder(c, must(c, 'parental_leave.child_age_limit_years', c.fam.asOfDay)) >= 1,
      text: (c, h) => {
        const lim = must(c, 'parental_leave.child_age_limit_years', c.fam.asOfDay);
        const n = childrenUnder(c, lim);
        return h
          ? T(
              `${c.fam.asOf}有${n}个不满${lim}周岁的子女`,
              `On ${c.fam.asOf} ${n} child(ren) are under ${lim}`,
            )
          : T(`${c.fam.asOf}没有不满${lim}周岁的子女`, `On ${c.fam.asOf} no child is under ${lim}`);
      },
    },
  ],
  base: (c) => must(c, 'parental_leave.days', c.fam.asOfDay),
  exceptions: [
    {
      id: 'two_or_more_children_under_limit',
      priority: 1,
      when: {
        id: 'two_or_more_children_under_limit',
        test: (c) =>
          childrenUnder(c, must(c, 'parental_leave.child_age_limit_years', c.fam.asOfDay)) >=
          must(c, 'parental_leave.extra_min_children_under_limit', c.fam.asOfDay),
        text: (c, h) =>
          h
            ? T(
                `有两个以上不满${must(c, 'parental_leave.child_age_limit_years', c.fam.asOfDay)}周岁子女，再增加${must(c, 'parental_leave.extra_days', c.fam.asOfDay)}天`,
                `Two or more children under ${must(c, 'parental_leave.child_age_limit_years', c.fam.asOfDay)}: +${must(c, 'parental_leave.extra_days', c.fam.asOfDay)} days`,
              )
            : T('只有一个符合年龄的子女', 'Only one child under the age limit'),
      },
      value: (c) =>
        must(c, 'parental_leave.days', c.fam.asOfDay) + must(c, 'parental_leave.extra_days', c.fam.asOfDay),
    },
  ],
};

/** The most recent birth to the mother (not an adoption) on or before asOf. */
function youngestBirth(c: Ctx): Birth | null {
  let best: Birth | null = null;
  for (const b of c.fam.births)
    if (b.babies > 0 && b.day <= c.fam.asOfDay && (!best || b.day > best.day)) best = b;
  return best;
}

const nursingTime: RuleDef<Ctx, number> = {
  id: 'nursing_time',
  conditions: [
    parentEmployed,
    {
      id: 'youngest_birth_under_12_months',
      test: (c) => {
        const b = youngestBirth(c);
        return (
          b !== null &&
          c.fam.asOfDay < anniversaryDay(b.day, must(c, 'nursing_time.baby_age_limit_years', c.fam.asOfDay))
        );
      },
      text: (c, h) => {
        const b = youngestBirth(c);
        const lim = must(c, 'nursing_time.baby_age_limit_years', c.fam.asOfDay);
        if (b === null)
          return T(
            '没有本人生育的子女（收养不适用）',
            'No child born to the mother (adoption does not count)',
          );
        return h
          ? T(
              `最小一胎（${b.date}出生）在${c.fam.asOf}未满${lim}周岁`,
              `The youngest birth (${b.date}) is under ${lim} year(s) on ${c.fam.asOf}`,
            )
          : T(
              `最小一胎（${b.date}出生）在${c.fam.asOf}已满${lim}周岁`,
              `The youngest birth (${b.date}) is ${lim} year(s) or older on ${c.fam.asOf}`,
            );
      },
    },
    {
      id: 'nursing_rule_in_force',
      test: (c) => {
        const b = youngestBirth(c);
        return b !== null && use(c, 'nursing_time.minutes_per_day_per_baby', b.day) !== undefined;
      },
      text: (_c, h) =>
        h
          ? T('哺乳时间规定适用', 'The nursing-time rule applies')
          : T('哺乳时间规定不适用', 'The nursing-time rule does not apply'),
    },
  ],
  factors: [
    {
      id: 'multiple_birth',
      test: (c) => (youngestBirth(c)?.babies ?? 0) > 1,
      text: (c, h) =>
        h
          ? T(
              `多胞胎（${youngestBirth(c)?.babies}个婴儿），按每个婴儿计算哺乳时间`,
              `Multiple birth (${youngestBirth(c)?.babies} babies): nursing time for each baby`,
            )
          : T('单胎', 'Single birth'),
    },
  ],
  base: (c) => {
    const b = youngestBirth(c) as Birth;
    return must(c, 'nursing_time.minutes_per_day_per_baby', b.day) * b.babies;
  },
  exceptions: [],
};

const elderCareLeave: RuleDef<Ctx, number> = {
  id: 'elder_care_leave',
  conditions: [
    parentEmployed,
    {
      id: 'elderly_parent_hospitalized',
      test: (c) => c.parent?.elderlyParentHospitalized === true,
      text: (_c, h) =>
        h
          ? T('其60周岁以上的父母患病住院治疗', 'A parent aged 60 or over is in hospital')
          : T('没有60周岁以上的父母住院', 'No parent aged 60 or over is in hospital'),
    },
  ],
  base: (c) => must(c, 'elder_care_leave.other_days', c.fam.asOfDay),
  exceptions: [
    {
      id: 'only_child',
      priority: 1,
      when: {
        id: 'only_child',
        test: (c) => c.parent?.onlyChild === true,
        text: (c, h) => {
          const only = must(c, 'elder_care_leave.only_child_days', c.fam.asOfDay);
          const other = must(c, 'elder_care_leave.other_days', c.fam.asOfDay);
          return h
            ? T(`独生子女，每年累计${only}天`, `Only child: ${only} days a year`)
            : T(`非独生子女，每年累计${other}天`, `Not an only child: ${other} days a year`);
        },
      },
      value: (c) => must(c, 'elder_care_leave.only_child_days', c.fam.asOfDay),
    },
  ],
};

// ---------- family: housing, school, elderly care, special families ----------

const contributes: Condition<Ctx> = {
  id: 'contributes_to_housing_fund',
  test: (c) => c.fam.contributesToHousingFund,
  text: (_c, h) =>
    h
      ? T('缴存住房公积金', 'Contributes to the housing provident fund')
      : T('未缴存住房公积金', 'Does not contribute to the housing provident fund'),
};

const loanUplift: RuleDef<Ctx, number> = {
  id: 'housing_fund_loan_uplift',
  conditions: [
    contributes,
    {
      id: 'buying_first_home',
      test: (c) => c.fam.buyingFirstHome,
      text: (_c, h) =>
        h
          ? T('购买首套自住住房', 'Buying a first self-occupied home')
          : T('不是购买首套自住住房', 'Not buying a first self-occupied home'),
    },
    {
      id: 'at_least_two_children',
      // The uplift is for 二孩、三孩 families, its two cases below: two or more children. (It used to
      // borrow the rent-withdrawal minimum, so a reform of that changed or broke the uplift.)
      test: (c) => c.fam.children.length >= 2,
      text: (c, h) =>
        T(
          `家庭子女数为${c.fam.children.length}（贷款额度上浮需2个及以上）${h ? '' : '，不满足'}`,
          `The family has ${c.fam.children.length} children (the uplift needs 2 or more)${h ? '' : ': not met'}`,
        ),
    },
  ],
  base: null,
  exceptions: [
    {
      id: 'exactly_two_children',
      priority: 1,
      when: {
        id: 'exactly_two_children',
        test: (c) => c.fam.children.length === 2,
        text: (c, h) =>
          h
            ? T(
                `二孩家庭：上浮${must(c, 'housing_fund.loan_uplift_two_children_percent', c.fam.asOfDay)}%`,
                `Two-child family: +${must(c, 'housing_fund.loan_uplift_two_children_percent', c.fam.asOfDay)}%`,
              )
            : T('不是恰好两个子女', 'Not exactly two children'),
      },
      value: (c) => must(c, 'housing_fund.loan_uplift_two_children_percent', c.fam.asOfDay),
    },
    {
      id: 'three_or_more_children',
      priority: 1,
      when: {
        id: 'three_or_more_children',
        test: (c) => c.fam.children.length >= 3,
        text: (c, h) =>
          h
            ? T(
                `三孩（及以上）家庭：上浮${must(c, 'housing_fund.loan_uplift_three_or_more_percent', c.fam.asOfDay)}%`,
                `Three or more children: +${must(c, 'housing_fund.loan_uplift_three_or_more_percent', c.fam.asOfDay)}%`,
              )
            : T('少于三个子女', 'Fewer than three children'),
      },
      value: (c) => must(c, 'housing_fund.loan_uplift_three_or_more_percent', c.fam.asOfDay),
    },
  ],
};

const rentWithdrawal: RuleDef<Ctx, number> = {
  id: 'housing_fund_rent_withdrawal',
  conditions: [
    childrenAtLeast(
      'two_or_more_children',
      'housing_fund.rent_withdrawal_min_children',
      '按房租提取公积金',
      'rent withdrawal',
    ),
    contributes,
    {
      id: 'rents_home',
      test: (c) => c.fam.rents,
      text: (_c, h) => (h ? T('租赁住房', 'Rents a home') : T('未租赁住房', 'Does not rent a home')),
    },
    noOwnHome,
  ],
  base: () => 1,
  exceptions: [],
};

function minorChildren(c: Ctx): number {
  return childrenUnder(c, must(c, 'public_rental.minor_age_limit_years', c.fam.asOfDay));
}

const publicRental: RuleDef<Ctx, number> = {
  id: 'public_rental_housing_preference',
  conditions: [
    {
      id: 'has_minor_children',
      test: (c) => minorChildren(c) > 0,
      text: (c, h) =>
        h
          ? T(
              `有${minorChildren(c)}个未成年子女，配租时按子女数量在户型选择等方面适当照顾`,
              `${minorChildren(c)} minor child(ren): allowance for their number in flat choice when renting public housing`,
            )
          : T('没有未成年子女', 'No minor children'),
    },
    noOwnHome,
  ],
  factors: [
    {
      id: 'local_housing_security_conditions',
      test: () => true,
      text: () =>
        T(
          '还须符合所在县区住房保障条件（由县区审核，本计算不判断）',
          "The county's housing-security conditions must also be met (checked by the county, not computed here)",
        ),
    },
  ],
  base: () => 1,
  exceptions: [],
};

const guaranteedRental: RuleDef<Ctx, number> = {
  id: 'guaranteed_rental_housing_tilt',
  conditions: [
    childrenAtLeast(
      'three_or_more_children',
      'guaranteed_rental.min_children',
      '保障性租赁住房倾斜',
      'the tilt',
    ),
    noOwnHome,
  ],
  factors: [
    {
      id: 'local_standards',
      test: () => true,
      text: () =>
        T(
          '按相关标准倾斜，具体由县区配租时认定',
          'Tilted by the relevant standards, decided by the county when allocating',
        ),
    },
  ],
  base: () => 1,
  exceptions: [],
};

function countyAmount(c: Ctx): number {
  const m = use(c, 'housing_purchase_support.by_county', c.fam.asOfDay)?.value as
    | Record<string, number>
    | undefined;
  return c.fam.area !== null && m ? (m[c.fam.area] ?? 0) : 0;
}

const purchaseSupport: RuleDef<Ctx, number> = {
  id: 'housing_purchase_support',
  conditions: [
    childrenAtLeast(
      'three_or_more_children',
      'housing_purchase_support.min_children',
      '建购房补助',
      'purchase support',
    ),
    {
      id: 'buying_first_home',
      test: (c) => c.fam.buyingFirstHome,
      text: (_c, h) =>
        h ? T('购买首套住房', 'Buying a first home') : T('未购买首套住房', 'Not buying a first home'),
    },
    {
      id: 'county_offers_support',
      test: (c) => countyAmount(c) > 0,
      text: (c, h) =>
        h
          ? T(
              `所在县区（${c.fam.area}）给予三孩家庭建购房补助${yuan(countyAmount(c))}元`,
              `The county (${c.fam.area}) offers ${yuan(countyAmount(c))} yuan to three-child families`,
            )
          : T(
              `所在县区（${c.fam.area ?? '未提供'}）未设立三孩家庭建购房补助`,
              `The county (${c.fam.area ?? 'not given'}) offers no purchase support`,
            ),
    },
  ],
  base: countyAmount,
  exceptions: [],
};

function schoolAgeChildren(c: Ctx): number {
  const lo = must(c, 'school_placement.min_age_years', c.fam.asOfDay);
  const hi = must(c, 'school_placement.age_limit_years', c.fam.asOfDay);
  const d = c.fam.asOfDay;
  let n = 0;
  for (const ch of c.fam.children)
    if (d >= anniversaryDay(ch.birthDay, lo) && d < anniversaryDay(ch.birthDay, hi)) n++;
  return n;
}

const schoolPlacement: RuleDef<Ctx, number> = {
  id: 'school_sibling_placement',
  conditions: [
    childrenAtLeast(
      'multi_child_family',
      'school_placement.min_children',
      '多子女家庭',
      'a multi-child family',
    ),
    {
      id: 'child_of_school_age',
      test: (c) => schoolAgeChildren(c) > 0,
      text: (c, h) =>
        h
          ? T(
              `有${schoolAgeChildren(c)}个子女处于学前或义务教育年龄`,
              `${schoolAgeChildren(c)} child(ren) of pre-school or compulsory-school age`,
            )
          : T('没有处于学前或义务教育年龄的子女', 'No child of pre-school or compulsory-school age'),
    },
  ],
  factors: [
    {
      id: 'catchment_rules',
      test: () => true,
      text: () =>
        T(
          '以符合公办学校划片入学政策为前提，原则上安排在同一公办学校',
          'Within the public-school catchment rules, siblings are in principle placed in the same public school',
        ),
    },
  ],
  base: () => 1,
  exceptions: [],
};

const elderlyPriority: RuleDef<Ctx, number> = {
  id: 'elderly_care_priority',
  conditions: [
    childrenAtLeast(
      'three_child_family',
      'elderly_care_priority.min_children',
      '三孩家庭',
      'a three-child family',
    ),
  ],
  factors: [
    {
      id: 'applies_to_family_elders',
      test: () => true,
      text: () =>
        T(
          '家庭中的老年人优先优惠入住公办养老机构',
          "The family's elders get priority (and better terms) in public elderly-care homes",
        ),
    },
  ],
  base: () => 1,
  exceptions: [],
};

/** Plan §17–18: what a 计划生育特殊家庭 is entitled to ask for (services, not amounts). */
/** Plan 二(五)18's sentence for three of the services. */
const CLAUSE_18_SERVICES = '落实特殊家庭“双岗联系人”制度、就医绿色通道、家庭医生签约等服务';

export const SPECIAL_FAMILY_SERVICES: ReadonlyArray<{
  id: string;
  clause: string;
  zh: string;
  en: string;
  /** The plan's own sentence for it. */
  text: string;
  needsNoOwnHome?: boolean;
}> = [
  {
    id: 'special_assistance',
    clause: '二(五)17',
    text: '综合考虑经济社会发展水平等因素，动态调整特别扶助标准',
    zh: '特别扶助金（标准动态调整）',
    en: 'Special assistance payments (rate adjusted over time)',
  },
  {
    id: 'pension_and_medical_preferences',
    clause: '二(五)17',
    text: '对符合条件的计划生育特殊家庭成员，落实基本养老、基本医疗等方面的优待政策',
    zh: '基本养老、基本医疗等方面的优待',
    en: 'Preferences in basic pension and basic medical insurance',
  },
  {
    id: 'public_elderly_care_priority',
    clause: '二(五)17',
    text: '公办养老机构在满足特困人员集中供养需求的前提下，优先为经济困难的失能、失智、重残、高龄、计划生育特殊家庭提供无偿或低收费托养服务',
    zh: '公办养老机构优先提供无偿或低收费托养（经济困难的失能、失智、重残、高龄）',
    en: 'Priority free or low-cost care in public elderly-care homes (if in economic difficulty and disabled, with dementia or very old)',
  },
  {
    id: 'public_rental_priority',
    clause: '二(五)17',
    text: '将符合条件的住房困难计划生育特殊家庭纳入公共租赁住房优先配租范围',
    zh: '住房困难的纳入公共租赁住房优先配租',
    en: 'Priority allocation of public rental housing when in housing difficulty',
    needsNoOwnHome: true,
  },
  {
    id: 'nursing_allowance',
    clause: '二(五)17',
    text: '各县区应当对计划生育特殊家庭中经济困难、生活不能自理的老年人发放护理补贴',
    zh: '经济困难、生活不能自理的老年人护理补贴',
    en: 'Nursing allowance for elders in economic difficulty who cannot look after themselves',
  },
  {
    id: 'medical_assistance',
    clause: '二(五)17',
    text: '未纳入低保等困难人群范围的计划生育特殊家庭，住院治疗医疗费用按基本医保、大病保险政策报销后，个人负担仍然较重，并经认定为医疗救助对象的，按照医疗救助有关规定享受救助待遇',
    zh: '个人负担仍然较重并经认定的，享受医疗救助',
    en: 'Medical assistance when hospital costs remain heavy after insurance and the family is recognised',
  },
  {
    id: 'dual_contact_persons',
    clause: '二(五)18',
    text: CLAUSE_18_SERVICES,
    zh: '“双岗联系人”制度',
    en: 'Two named contact persons ("双岗联系人")',
  },
  {
    id: 'medical_green_channel',
    clause: '二(五)18',
    zh: '就医绿色通道',
    en: 'Fast track for medical care',
    text: CLAUSE_18_SERVICES,
  },
  {
    id: 'family_doctor_contract',
    clause: '二(五)18',
    text: CLAUSE_18_SERVICES,
    zh: '家庭医生签约服务',
    en: 'Contracted family doctor',
  },
  {
    id: 'entrusted_care_and_guardianship',
    clause: '二(五)18',
    text: '建立老年人委托代理与监护服务制度，支持具有资质的单位、社会组织和机构接受计划生育特殊家庭委托，为特殊家庭提供照料服务',
    zh: '委托代理与监护服务、照料服务',
    en: 'Entrusted agency, guardianship and care services',
  },
  {
    id: 'warm_heart_visits',
    clause: '二(五)18',
    text: '深入开展“暖心行动”，重大节日期间组织慰问活动，每个县区至少建立1个“暖心家园”',
    zh: '“暖心行动”节日慰问、“暖心家园”',
    en: '"Warm heart" holiday visits and community homes',
  },
];

const specialFamily: RuleDef<Ctx, number> = {
  id: 'special_family_support',
  conditions: [
    {
      id: 'special_family',
      test: (c) => c.fam.specialFamily,
      text: (_c, h) =>
        h
          ? T('属于计划生育特殊家庭', 'A family-planning special family (计划生育特殊家庭)')
          : T('不属于计划生育特殊家庭（未声明）', 'Not declared a family-planning special family'),
    },
  ],
  base: () => 1,
  exceptions: [],
};

// ---------- assembly ----------

const PLAN = 'kunming-fertility-plan';
const RULE_CITATIONS: Record<EntitlementId, Citation> = {
  one_time_birth_subsidy: {
    source: PLAN,
    clause: '二(四)11',
    text: '对新出生并户口登记在昆明的二孩、三孩分别发放2000元、5000元的一次性生育补贴',
    grade: 'P',
  },
  local_childcare_allowance: {
    source: PLAN,
    clause: '二(四)11',
    text: '并按年度发放800元育儿补助',
    grade: 'P',
  },
  national_childcare_subsidy: {
    source: 'national-childcare-subsidy-plan-2025',
    clause: '补贴标准',
    text: '对3周岁以下婴幼儿发放育儿补贴，国家基础标准为每孩每年3600元',
    grade: 'S',
  },
  infant_accident_insurance_subsidy: {
    source: PLAN,
    clause: '二(四)11',
    text: '对新出生且户口登记在昆明的婴幼儿购买意外伤害险给予每人每年50元参保补贴',
    grade: 'P',
  },
  maternity_leave: {
    source: PLAN,
    clause: '二(四)11',
    text: '除按照国务院《女职工劳动保护特别规定》休假外，女方延长生育假60天',
    grade: 'P',
  },
  paternity_leave: { source: PLAN, clause: '二(四)11', text: '男方给予护理假30天', grade: 'P' },
  parental_leave: {
    source: PLAN,
    clause: '二(四)11',
    text: '子女不满3周岁的，夫妻双方所在单位分别给予每年累计10天的育儿假，有两个以上不满3周岁子女的，再增加5天育儿假',
    grade: 'P',
  },
  nursing_time: {
    source: PLAN,
    clause: '二(四)11',
    text: '婴幼儿12个月之前，每天给予女职工不少于1小时的哺乳时间',
    grade: 'P',
  },
  elder_care_leave: {
    source: PLAN,
    clause: '二(五)16',
    text: '给予独生子女每年累计20天、非独生子女每年累计10天的护理时间',
    grade: 'P',
  },
  housing_fund_loan_uplift: {
    source: PLAN,
    clause: '二(四)12',
    text: '生育二孩、三孩的住房公积金缴存职工家庭购买首套自住住房的，住房公积金贷款最高额度分别上浮20%、30%',
    grade: 'P',
  },
  housing_fund_rent_withdrawal: {
    source: PLAN,
    clause: '二(四)12',
    text: '在住房公积金缴存城市无自有住房且租赁住房的二孩以上家庭，可按照实际房租支出提取住房公积金',
    grade: 'P',
  },
  iit_infant_care_deduction: {
    source: PLAN,
    clause: '二(四)12',
    text: '落实3岁以下婴幼儿照护费用纳入个人所得税专项附加扣除',
    grade: 'P',
  },
  public_rental_housing_preference: {
    source: PLAN,
    clause: '二(四)12',
    text: '对符合当地住房保障条件且有未成年子女的家庭，根据未成年子女数量在户型选择等方面给予适当照顾',
    grade: 'P',
  },
  guaranteed_rental_housing_tilt: {
    source: PLAN,
    clause: '二(四)12',
    text: '在保障性租赁住房配租时，按照相关标准向符合条件的三孩家庭倾斜',
    grade: 'P',
  },
  housing_purchase_support: {
    source: PLAN,
    clause: '二(四)12',
    text: '鼓励有条件的县区给予三孩家庭建购房补助',
    grade: 'P',
  },
  school_sibling_placement: {
    source: PLAN,
    clause: '二(四)13',
    text: '原则上安排多子女家庭分配在同一公办学校就读',
    grade: 'P',
  },
  elderly_care_priority: {
    source: PLAN,
    clause: '二(四)12',
    text: '三孩家庭老年人优先优惠入住公办养老机构',
    grade: 'P',
  },
  special_family_support: {
    source: PLAN,
    clause: '二(五)17–18',
    text: '加强计划生育特殊家庭保障；健全计划生育特殊家庭帮扶机制',
    grade: 'P',
  },
};
for (const c of Object.values(RULE_CITATIONS)) share(c);

const AMOUNT_NOT_POSITIVE: ExplanationLine = share({
  condition: 'amount_is_positive',
  holds: false,
  zh: '本期应发金额（天数）为零，故不享受',
  en: 'Nothing is due for the period, so not eligible',
});

function byRank(a: UsedEntry, b: UsedEntry): number {
  return a.rank - b.rank;
}

/** The entry as reported, made once per citation index (and whether its own citation is needed). */
function reportedUse(u: UsedEntry, citationIndex: number, sameCitation: boolean): ParameterUse {
  const slot = citationIndex * 2 + (sameCitation ? 0 : 1);
  let p = u.uses[slot];
  if (p === undefined) {
    const e = u.entry;
    const o: ParameterUse = {
      name: u.name,
      value: e.value,
      unit: u.unit,
      from: e.from,
      to: e.to,
      citationIndex,
    };
    if (!sameCitation) o.citation = e.citation;
    p = share(o);
    u.uses[slot] = p;
  }
  return p;
}

function makeSources(K: Compiled, id: EntitlementId, used: readonly UsedEntry[]): Sources {
  const parameters = new Array<ParameterUse>(used.length);
  // The rule's own clause first, then each parameter's, once each (by source, clause and text).
  const citations: Citation[] = [RULE_CITATIONS[id]];
  const cites = [K.ruleCite[id]];
  const fulls = [K.ruleFull[id]];
  for (let i = 0; i < used.length; i++) {
    const u = used[i];
    let ci = cites.indexOf(u.cite);
    if (ci < 0) {
      ci = cites.length;
      cites.push(u.cite);
      fulls.push(u.full);
      citations.push(u.entry.citation);
    }
    parameters[i] = reportedUse(u, ci, fulls[ci] === u.full);
  }
  return { citations, parameters };
}

/**
 * The sources of an entitlement depend only on its rule and the entries it read (in report
 * order), never on the family itself, so each combination is made once per parameter set and
 * its arrays are shared (frozen) between answers.
 */
function sourcesOf(K: Compiled, id: EntitlementId, used: readonly UsedEntry[]): Sources {
  let node = K.sources.get(id) as SourcesNode;
  if (node === undefined) {
    node = { next: new Map(), sources: null };
    K.sources.set(id, node);
  }
  for (const u of used) {
    let n: SourcesNode | undefined = node.next.get(u);
    if (n === undefined) {
      if (K.kept >= MAX_KEPT_SOURCES) return makeSources(K, id, used);
      n = { next: new Map(), sources: null };
      node.next.set(u, n);
    }
    node = n;
  }
  if (node.sources === null) {
    if (K.kept >= MAX_KEPT_SOURCES) return makeSources(K, id, used);
    const made = makeSources(K, id, used);
    node.sources = { citations: share(made.citations), parameters: share(made.parameters) };
    K.kept++;
  }
  return node.sources;
}

/**
 * A stable insertion sort, in place: the engine sorts a few dozen items at most per call, where
 * Array.prototype.sort's work array was a tenth of an answer's allocated bytes.
 */
function sortInPlace<T>(xs: T[], cmp: (a: T, b: T) => number): T[] {
  for (let i = 1; i < xs.length; i++) {
    const x = xs[i];
    let j = i - 1;
    for (; j >= 0 && cmp(xs[j], x) > 0; j--) xs[j + 1] = xs[j];
    xs[j + 1] = x;
  }
  return xs;
}

function entry(
  rule: RuleDef<Ctx, number>,
  id: EntitlementId,
  subject: string,
  unit: Unit,
  c: Ctx,
  extra?: (c: Ctx, eligible: boolean) => Record<string, unknown>,
): Entitlement {
  c.used = [];
  const d = decide(rule, c);
  const value = d.value ?? 0;
  const eligible = d.conditionsHold && value > 0;
  const explanation = d.explanation;
  if (d.conditionsHold && value <= 0) explanation.push(AMOUNT_NOT_POSITIVE);
  const sources = sourcesOf(c.K, id, sortInPlace(c.used, byRank));
  const out: Record<string, unknown> = { id, subject, eligible };
  if (unit !== 'none') out[unit] = eligible ? value : 0;
  if (extra) Object.assign(out, extra(c, eligible));
  out.citations = sources.citations;
  out.explanation = explanation;
  out.parameters = sources.parameters;
  out.decidedBy = d.decidedBy;
  return out as Entitlement;
}

/** Output order: the contract's ids, then the project's. */
const ID_ORDER = Object.fromEntries(ENTITLEMENT_IDS.map((id, i) => [id, i])) as Record<EntitlementId, number>;

/**
 * Every entitlement for a validated input. Pure; throws RuleConflictError / NoRuleAppliesError
 * only on a defect of the rules themselves (tests guard against it).
 */
export function entitlementsFor(input: EntitlementInput, P: ParameterSet): EntitlementsOutput {
  const fam = buildFamily(input);
  const year = yearOfDay(fam.asOfDay);
  const base: Ctx = {
    P,
    K: compiled(P),
    fam,
    used: [],
    year,
    yearStart: daysFromCivil(year, 1, 1),
    yearEnd: daysFromCivil(year, 12, 31),
    asOfMonth: monthIndexOfDay(fam.asOfDay),
    child: undefined as unknown as Child,
    birth: undefined as unknown as Birth,
    role: 'mother',
    parent: null,
    months: null,
  };
  const out: Entitlement[] = [];
  const perChild = (
    rule: RuleDef<Ctx, number>,
    id: EntitlementId,
    unit: Unit,
    extra?: Parameters<typeof entry>[5],
  ) => {
    for (const child of fam.children) {
      out.push(
        entry(
          rule,
          id,
          `child:${child.index}`,
          unit,
          { ...base, child, birth: fam.births[child.birth] },
          extra,
        ),
      );
    }
  };
  const perBirth = (rule: RuleDef<Ctx, number>, id: EntitlementId) => {
    for (const birth of fam.births) {
      const ctx = { ...base, birth, child: fam.children[birth.first] };
      out.push(
        entry(rule, id, `child:${birth.first}`, 'days', ctx, () => ({
          birthChildren: birth.children.map((i) => `child:${i}`),
        })),
      );
    }
  };
  const perParent = (rule: RuleDef<Ctx, number>, id: EntitlementId, unit: Unit, roles: Role[]) => {
    for (const role of roles) {
      const parent = role === 'mother' ? fam.mother : fam.father;
      out.push(entry(rule, id, role, unit, { ...base, role, parent }));
    }
  };
  const family = (
    rule: RuleDef<Ctx, number>,
    id: EntitlementId,
    unit: Unit,
    extra?: Parameters<typeof entry>[5],
  ) => out.push(entry(rule, id, 'family', unit, { ...base }, extra));

  perChild(oneTimeBirthSubsidy, 'one_time_birth_subsidy', 'amountFen', (c) => ({
    birthOrder: c.child.order,
  }));
  perChild(localAllowance, 'local_childcare_allowance', 'amountFen', (c) => ({ year: c.year }));
  perChild(nationalSubsidy, 'national_childcare_subsidy', 'amountFen', (c, e) => {
    const m = nationalMonths(c);
    return { year: c.year, months: e && m.first >= 0 ? m.last - m.first + 1 : 0 };
  });
  perChild(insuranceSubsidy, 'infant_accident_insurance_subsidy', 'amountFen', (c) => ({ year: c.year }));
  perBirth(maternityLeave, 'maternity_leave');
  perBirth(paternityLeave, 'paternity_leave');
  perParent(parentalLeave, 'parental_leave', 'days', ['mother', 'father']);
  perParent(nursingTime, 'nursing_time', 'minutesPerDay', ['mother']);
  perParent(elderCareLeave, 'elder_care_leave', 'days', ['mother', 'father']);
  family(loanUplift, 'housing_fund_loan_uplift', 'percent');
  family(rentWithdrawal, 'housing_fund_rent_withdrawal', 'none');
  perChild(iitDeduction, 'iit_infant_care_deduction', 'amountFen', (c) => ({
    month: monthIndexIso(c.asOfMonth),
    splitOptionsPercent: (
      (entryAt(c.P, 'iit_infant_care.split_options_percent', c.fam.asOfDay)?.value ?? []) as number[][]
    ).map(([mother, father]) => ({ mother, father })),
  }));
  family(publicRental, 'public_rental_housing_preference', 'none', (c) => ({
    minorChildren: minorChildren(c),
  }));
  family(guaranteedRental, 'guaranteed_rental_housing_tilt', 'none');
  family(purchaseSupport, 'housing_purchase_support', 'amountFen');
  family(schoolPlacement, 'school_sibling_placement', 'none');
  family(elderlyPriority, 'elderly_care_priority', 'none');
  family(specialFamily, 'special_family_support', 'none', (c, e) => ({
    services: e
      ? SPECIAL_FAMILY_SERVICES.filter((s) => !s.needsNoOwnHome || !c.fam.ownsHome).map((s) => ({
          id: s.id,
          clause: s.clause,
          zh: s.zh,
          en: s.en,
          text: s.text,
        }))
      : [],
  }));
  sortInPlace(out, (a, b) => ID_ORDER[a.id] - ID_ORDER[b.id]);
  return { asOf: input.asOf, entitlements: out };
}

/** Exposed for tests: the rule definitions by id. */
export const RULES: Record<EntitlementId, RuleDef<Ctx, number>> = {
  one_time_birth_subsidy: oneTimeBirthSubsidy,
  local_childcare_allowance: localAllowance,
  national_childcare_subsidy: nationalSubsidy,
  infant_accident_insurance_subsidy: insuranceSubsidy,
  maternity_leave: maternityLeave,
  paternity_leave: paternityLeave,
  parental_leave: parentalLeave,
  nursing_time: nursingTime,
  elder_care_leave: elderCareLeave,
  housing_fund_loan_uplift: loanUplift,
  housing_fund_rent_withdrawal: rentWithdrawal,
  iit_infant_care_deduction: iitDeduction,
  public_rental_housing_preference: publicRental,
  guaranteed_rental_housing_tilt: guaranteedRental,
  housing_purchase_support: purchaseSupport,
  school_sibling_placement: schoolPlacement,
  elderly_care_priority: elderlyPriority,
  special_family_support: specialFamily,
};
