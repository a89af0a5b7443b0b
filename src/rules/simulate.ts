/**
 * Budget simulation: totals by programme, area and year over a population in columns, and with
 * a reform, the difference from current law and how many families gain or lose. Pure.
 */
import {
  CASH_PROGRAMMES,
  evaluateBatch,
  type PopulationColumns,
  PROGRAMMES,
  type Programme,
} from './batch.ts';
import { daysFromCivil } from './dates.ts';
import type { ParameterSet } from './params.ts';

const UNITS: Record<Programme, string> = {
  one_time_birth_subsidy: 'fen',
  local_childcare_allowance: 'fen',
  national_childcare_subsidy: 'fen',
  infant_accident_insurance_subsidy: 'fen',
  housing_purchase_support: 'fen',
  iit_infant_care_deduction: 'fen_deducted',
  maternity_leave: 'days',
  paternity_leave: 'days',
  parental_leave: 'days',
  nursing_time: 'minutes_per_day',
  elder_care_leave: 'days',
  housing_fund_loan_uplift: 'percent_points',
  housing_fund_rent_withdrawal: 'families',
  public_rental_housing_preference: 'families',
  guaranteed_rental_housing_tilt: 'families',
  school_sibling_placement: 'families',
  elderly_care_priority: 'families',
  special_family_support: 'families',
};

export interface ProgrammeTotal {
  amount: number;
  unit: string;
  eligible: number;
}

export interface YearReport {
  year: number;
  asOf: string;
  cashTotalFen: number;
  programmes: Record<string, ProgrammeTotal>;
  /** Cash (fen) by area code, then by cash programme. */
  byArea: Record<string, Record<string, number>>;
}

export interface ReformYearReport extends YearReport {
  /**
   * Reform minus current law: the cash total, every programme, and cash by area and programme
   * (every area either side has, so an area paid under only one of them is there too).
   */
  difference: {
    cashTotalFen: number;
    programmes: Record<string, number>;
    byArea: Record<string, Record<string, number>>;
  };
  familiesGaining: number;
  familiesLosing: number;
}

export interface SimulationReport {
  persons: number;
  families: number;
  children: number;
  reforms: readonly string[];
  /** Accounting conventions, so that a reader knows what the totals mean. */
  notes: Array<{ zh: string; en: string }>;
  years: Array<{ current: YearReport; reform?: ReformYearReport }>;
}

function report(cols: PopulationColumns, P: ParameterSet, year: number, familyCash: boolean) {
  const asOfDay = daysFromCivil(year, 12, 31);
  const r = evaluateBatch(cols, P, asOfDay, { budgetYear: true, familyCash });
  const programmes: Record<string, ProgrammeTotal> = {};
  PROGRAMMES.forEach((p, i) => {
    programmes[p] = { amount: r.amount[i], unit: UNITS[p], eligible: r.eligible[i] };
  });
  const byArea: Record<string, Record<string, number>> = {};
  for (const code of [...r.byArea.keys()].sort((a, b) => a - b)) {
    const v = r.byArea.get(code) as Float64Array;
    byArea[code === 0 ? 'unknown' : String(code)] = Object.fromEntries(
      CASH_PROGRAMMES.map((p, i) => [p, v[i]]),
    );
  }
  const cashTotalFen = CASH_PROGRAMMES.reduce((s, p) => s + programmes[p].amount, 0);
  const rep: YearReport = { year, asOf: `${year}-12-31`, cashTotalFen, programmes, byArea };
  return { rep, familyCash: r.familyCash };
}

/**
 * Cash by area, reform minus current law, over the areas of either side. No sort: area codes are
 * integer keys, which an object lists in numeric order whatever the insertion order (as `byArea`).
 */
function areaDifference(
  cur: YearReport['byArea'],
  ref: YearReport['byArea'],
): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const k of new Set([...Object.keys(cur), ...Object.keys(ref)])) {
    out[k] = Object.fromEntries(CASH_PROGRAMMES.map((p) => [p, (ref[k]?.[p] ?? 0) - (cur[k]?.[p] ?? 0)]));
  }
  return out;
}

/**
 * Years a simulation can be run for: the years the policy parameters are written for, from the
 * plan's first subsidies (2020 on, as the budget API) to the plan's horizon (到2035年). Outside
 * them the answer would be current law carried into years it was never meant for.
 */
export const SIMULATION_YEARS = { first: 2020, last: 2035 } as const;

/**
 * Parse a `--year` value: a year, a list or a range (`2025`, `2024,2025`, `2023-2027`), each in
 * SIMULATION_YEARS. Years are returned once each, in order.
 */
export function parseYears(
  spec: string,
): { ok: true; years: number[] } | { ok: false; message: { zh: string; en: string } } {
  const { first, last } = SIMULATION_YEARS;
  const bad = (zh: string, en: string) => ({ ok: false as const, message: { zh, en } });
  const years = new Set<number>();
  for (const raw of spec.split(',')) {
    const part = raw.trim();
    const m = /^(\d{4})(?:\s*[-–]\s*(\d{4}))?$/.exec(part);
    if (!m) {
      return bad(
        `--year 无效：${JSON.stringify(part)} 不是年份、年份列表或范围（如 2025、2024,2025、2023-2027）`,
        `invalid --year: ${JSON.stringify(part)} is not a year, list or range (e.g. 2025, 2024,2025, 2023-2027)`,
      );
    }
    const a = Number(m[1]);
    const b = Number(m[2] ?? m[1]);
    if (b < a) {
      return bad(
        `--year 范围无效：${part}（结束年份早于开始年份）`,
        `invalid --year range: ${part} (ends before it starts)`,
      );
    }
    if (a < first || b > last) {
      return bad(
        `--year ${part} 超出政策参数覆盖的年份 ${first}–${last}`,
        `--year ${part} is outside the years the policy parameters cover, ${first}–${last}`,
      );
    }
    for (let y = a; y <= b; y++) years.add(y);
  }
  return { ok: true, years: [...years].sort((x, y) => x - y) };
}

/**
 * Run current law (and optionally a reform) for each year. `onProgress(done, total)` is called
 * after each evaluation (for a progress line on stderr).
 */
export function simulate(
  cols: PopulationColumns,
  current: ParameterSet,
  years: number[],
  reform?: ParameterSet,
  onProgress?: (done: number, total: number) => void,
): SimulationReport {
  const out: SimulationReport = {
    persons: cols.personCount,
    families: cols.familyCount,
    children: cols.childCount,
    reforms: reform ? reform.reforms : [],
    notes: [
      {
        zh: '每年按当年 12 月 31 日的情况计算。',
        en: 'Each year is evaluated as of 31 December of that year.',
      },
      {
        zh: '现金项目以分为单位计算：一次性补贴计入出生当年，年度补贴计入当年。',
        en: 'Cash programmes are in fen: one-time subsidies for births in the year; yearly amounts for the calendar year.',
      },
      {
        zh: '个税专项附加扣除为全年扣除额（减少应纳税所得额，不是现金支出）。',
        en: 'iit_infant_care_deduction is the whole year of deductions (tax base, not cash paid).',
      },
      {
        zh: '产假、护理假按当年出生计算；其他假期为 12 月 31 日时的全年应享天数。',
        en: 'Maternity and paternity leave count births in the year; other leave is the yearly entitlement as of 31 December.',
      },
      ...(reform
        ? [
            {
              zh: '受益/受损家庭数按每个家庭当年现金合计（五个现金项目）比较；假期、扣除额和资格的变化只计入各项目的差额。',
              en: "Families gaining and losing compare each family's cash total for the year (the five cash programmes); changes in leave, deductions and eligibility count only in each programme's difference.",
            },
          ]
        : []),
    ],
    years: [],
  };
  const total = years.length * (reform ? 2 : 1);
  let done = 0;
  for (const year of years) {
    const cur = report(cols, current, year, reform !== undefined);
    onProgress?.(++done, total);
    const entry: SimulationReport['years'][number] = { current: cur.rep };
    if (reform) {
      const ref = report(cols, reform, year, true);
      onProgress?.(++done, total);
      const a = cur.familyCash as Float64Array;
      const b = ref.familyCash as Float64Array;
      let gain = 0;
      let lose = 0;
      for (let i = 0; i < a.length; i++) {
        if (b[i] > a[i]) gain++;
        else if (b[i] < a[i]) lose++;
      }
      const diff: Record<string, number> = {};
      for (const p of PROGRAMMES) diff[p] = ref.rep.programmes[p].amount - cur.rep.programmes[p].amount;
      entry.reform = {
        ...ref.rep,
        difference: {
          cashTotalFen: ref.rep.cashTotalFen - cur.rep.cashTotalFen,
          programmes: diff,
          byArea: areaDifference(cur.rep.byArea, ref.rep.byArea),
        },
        familiesGaining: gain,
        familiesLosing: lose,
      };
    }
    out.years.push(entry);
  }
  return out;
}
