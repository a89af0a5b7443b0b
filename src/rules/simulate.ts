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
  difference: { cashTotalFen: number; programmes: Record<string, number> };
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
        difference: { cashTotalFen: ref.rep.cashTotalFen - cur.rep.cashTotalFen, programmes: diff },
        familiesGaining: gain,
        familiesLosing: lose,
      };
    }
    out.years.push(entry);
  }
  return out;
}
