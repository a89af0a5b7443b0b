import { describe, expect, it } from 'vitest';
import annex from '../../../../data/childcare/annex.json' with { type: 'json' };
import { slotTargets } from './targets.ts';

describe('the annex (县区托位建设任务表)', () => {
  it('city row equals the sum of the 16 areas, every year and column', () => {
    for (const y of annex.years) {
      for (const k of ['total', 'inclusive'] as const) {
        const sum = annex.areas.reduce((s, a) => s + a.slots[String(y) as '2023'][k], 0);
        expect(sum).toBe(annex.city.slots[String(y) as '2023'][k]);
      }
    }
    expect(annex.areas).toHaveLength(16);
  });
  it('2025 is 4.5 slots per 1,000 of each area’s 2020 population', () => {
    for (const r of slotTargets().rows) expect(r.slots['2025'].per1000).toBeCloseTo(4.5, 1);
  });
  it('flags the cells below the 80% 普惠 floor, e.g. 阳宗海 and 石林 in 2023', () => {
    const rows = slotTargets().rows;
    const cell = (name: string, y: string) => rows.find((r) => r.name === name)!.slots[y];
    expect(cell('阳宗海', '2023')).toMatchObject({ total: 121, inclusive: 96, belowFloor: true });
    expect(cell('石林县', '2023')).toMatchObject({ total: 727, inclusive: 580, belowFloor: true });
    expect(cell('晋宁区', '2023').belowFloor).toBe(false); // 840 / 1043 = 80.5%
  });
});
