import { describe, expect, it } from 'vitest';
import {
  asfrFromCounts,
  childcareSlotDemand,
  childcareSubsidyBudgetFen,
  crudeBirthRate,
  crudeDeathRate,
  dependencyRatios,
  imrFromCounts,
  imrFromQ0,
  maternalMortalityRatio,
  population0to2,
  roundHalfEven,
  sexRatioAtBirth,
  shareAged,
  tfrFromCounts,
  totalFertilityRate,
  u5mrFromCounts,
  u5mrFromQ,
} from './indicators.ts';
import { issueMessage } from './issues.ts';

describe('rates and ratios', () => {
  it('computes ASFR and TFR from counts', () => {
    const r = asfrFromCounts([10, 40, 20], [1000, 1000, 2000]);
    if (!r.ok) throw new Error('unexpected');
    expect(r.value).toEqual([0.01, 0.04, 0.01]);
    const t = tfrFromCounts([10, 40, 20], [1000, 1000, 2000]);
    expect(t.ok && t.value).toBeCloseTo(0.06, 12);
    expect(totalFertilityRate([0.01, 0.02], 5)).toBeCloseTo(0.15, 12);
    const bad = asfrFromCounts([1], [0]);
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.issues[0].code).toBe('indicator.zero_denominator');
  });

  it('matches Kunming 2023: 65,400 births, 66,500 deaths, ≈ 8.64 M mid-year', () => {
    const mid = (8_600_000 + 8_680_000) / 2;
    const cbr = crudeBirthRate(65400, mid);
    const cdr = crudeDeathRate(66500, mid);
    expect(cbr.ok && cbr.value).toBeCloseTo(7.57, 2);
    expect(cdr.ok && cdr.value).toBeCloseTo(7.7, 1);
  });

  it('sex ratio at birth per 100 girls; IMR, U5MR per 1,000; MMR per 100,000', () => {
    const srb = sexRatioAtBirth(1113, 1000);
    expect(srb.ok && srb.value).toBeCloseTo(111.3, 10);
    expect(imrFromQ0(0.0025)).toBeCloseTo(2.5, 12);
    expect(u5mrFromQ({ q0: 0.0025, q1to4: 0.001 })).toBeCloseTo(1000 * (1 - 0.9975 * 0.999), 12);
    expect(u5mrFromQ([0.0025, 0.0003, 0.0003, 0.0002, 0.0002])).toBeCloseTo(
      1000 * (1 - 0.9975 * 0.9997 ** 2 * 0.9998 ** 2),
      12,
    );
    const imr = imrFromCounts(195, 65400);
    expect(imr.ok && imr.value).toBeCloseTo(2.98, 2);
    const u5 = u5mrFromCounts(260, 65400);
    expect(u5.ok && u5.value).toBeLessThan(4);
    const mmr = maternalMortalityRatio(6, 65400);
    expect(mmr.ok && mmr.value).toBeCloseTo(9.17, 2);
    const zero = maternalMortalityRatio(1, 0);
    expect(zero.ok).toBe(false);
    if (!zero.ok) expect(issueMessage(zero.issues[0], 'zh-CN')).toContain('分母');
  });

  it('dependency ratios, shares aged 60+/65+, population 0–2', () => {
    const pop = Array.from({ length: 101 }, (_, x) => (x < 15 ? 10 : x < 65 ? 20 : 5));
    const d = dependencyRatios(pop);
    if (!d.ok) throw new Error('unexpected');
    expect(d.value.young).toBeCloseTo((150 / 1000) * 100, 12);
    expect(d.value.old).toBeCloseTo((180 / 1000) * 100, 12);
    expect(d.value.total).toBeCloseTo(d.value.young + d.value.old, 12);
    const s65 = shareAged(pop, 65);
    expect(s65.ok && s65.value).toBeCloseTo(180 / 1330, 12);
    const s60 = shareAged(pop, 60);
    expect(s60.ok && s60.value).toBeCloseTo(280 / 1330, 12);
    expect(population0to2(pop)).toBe(30);
    expect(dependencyRatios(new Array(101).fill(0)).ok).toBe(false);
  });
});

describe('childcare', () => {
  it('compares slot demand with 4.5 per 1,000 residents', () => {
    const r = childcareSlotDemand({ population0to2: 200000, enrolmentRate: 0.2, residents: 8_460_000 });
    if (!r.ok) throw new Error('unexpected');
    expect(r.value.demand).toBeCloseTo(40000, 9);
    expect(r.value.normSlots).toBeCloseTo(38070, 9);
    expect(r.value.gap).toBeCloseTo(1930, 9);
    expect(r.value.demandPer1000).toBeCloseTo(40000 / 8460, 9);
    expect(childcareSlotDemand({ population0to2: 1, enrolmentRate: 1.5, residents: 1 }).ok).toBe(false);
  });

  it('budgets the national subsidy in integer fen', () => {
    const full = childcareSubsidyBudgetFen({ children: 200_000 });
    expect(full.ok && full.value).toBe(72_000_000_000);
    const months = childcareSubsidyBudgetFen({ childMonths: 7 });
    expect(months.ok && months.value).toBe(210_000);
    const frac = childcareSubsidyBudgetFen({ childYears: 216_891.779544 });
    expect(frac.ok && Number.isSafeInteger(frac.value)).toBe(true);
    expect(frac.ok && frac.value).toBe(Math.round(216_891.779544 * 360000));
    // 1/720 child-year = 500 fen exactly; 1/720000 child-year = 0.5 fen → ties to even (0).
    const tie = childcareSubsidyBudgetFen({ childYears: 1 / 720000 });
    expect(tie.ok && tie.value).toBe(0);
    const tie2 = childcareSubsidyBudgetFen({ childYears: 3 / 720000 });
    expect(tie2.ok && tie2.value).toBe(2);
    expect(childcareSubsidyBudgetFen({ children: 1.5 }).ok).toBe(false);
    const huge = childcareSubsidyBudgetFen({ childYears: 1e13 });
    expect(huge.ok).toBe(false);
    if (!huge.ok) expect(huge.issues[0].code).toBe('money.not_safe_integer');
  });

  it('rounds half to even', () => {
    expect([0.5, 1.5, 2.5, -0.5, 2.4999, 2.6].map(roundHalfEven)).toEqual([0, 2, 2, 0, 2, 3]);
  });
});
