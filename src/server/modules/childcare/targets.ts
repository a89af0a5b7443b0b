/**
 * The plan's annex (县区托位建设任务表) with the derived per-1,000 rate and 普惠 share, and the
 * cells below the 80% 普惠 floor flagged (the annex has some through rounding).
 */
import annex from '../../../../data/childcare/annex.json' with { type: 'json' };
import { managementArea } from '../../../domain/areas.ts';

/** County names as they appear in the district GeoJSON features (null for functional zones). */
export type SlotCell = {
  total: number;
  inclusive: number;
  per1000: number;
  inclusiveShare: number;
  belowFloor: boolean;
};
export type SlotRow = {
  code: string;
  name: string;
  nameEn: string;
  kind: 'city' | 'county' | 'functional-zone';
  population2020: number;
  mapName: string | null;
  slots: Record<string, SlotCell>;
};

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

export function slotTargets() {
  const floor = annex.targets.inclusiveShareMin;
  const cityPopulation = annex.areas.reduce((s, r) => s + (managementArea(r.code)?.population2020 ?? 0), 0);
  const toRow = (
    r: (typeof annex.areas)[number],
    kind: SlotRow['kind'],
    population: number,
    name: string,
    nameEn: string,
    mapName: string | null,
  ): SlotRow => ({
    code: r.code,
    name,
    nameEn,
    kind,
    population2020: population,
    mapName,
    slots: Object.fromEntries(
      annex.years.map((y) => {
        const c = r.slots[String(y) as '2023'];
        const share = c.inclusive / c.total;
        return [
          String(y),
          {
            total: c.total,
            inclusive: c.inclusive,
            per1000: round((c.total / population) * 1000, 2),
            inclusiveShare: round(share, 4),
            belowFloor: share < floor,
          },
        ];
      }),
    ),
  });
  const rows: SlotRow[] = [
    toRow(annex.city as (typeof annex.areas)[number], 'city', cityPopulation, '昆明市', 'Kunming', null),
  ];
  for (const r of annex.areas) {
    const a = managementArea(r.code);
    if (!a) throw new Error(`annex row ${r.name} has no management area ${r.code}`);
    rows.push(toRow(r, a.kind, a.population2020, r.name, a.nameEn, a.kind === 'county' ? a.name : null));
  }
  return { source: annex.source, targets: annex.targets, years: annex.years, rows };
}
