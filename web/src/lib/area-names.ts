import management from '../../../data/areas/management-areas.json' with { type: 'json' };
import type { SlotTargetRow } from '../api/types.ts';
import type { Language } from '../i18n/index.ts';

// English names come from the same area table the server uses (data/areas), until the API
// sends `nameEn` itself.
const english = new Map<string, string>([
  [management.city.code, management.city.nameEn],
  ...management.areas.map((a): [string, string] => [a.code, a.nameEn]),
]);
const shortNames = new Map<string, string>(
  management.areas.map((a): [string, string] => [a.code, a.shortName]),
);

export function areaName(row: Pick<SlotTargetRow, 'code' | 'name' | 'nameEn'>, lang: Language): string {
  if (lang === 'en') return row.nameEn ?? english.get(row.code) ?? row.name;
  return row.name;
}

// The zones' official English names are too long for a table cell or a map label.
const shortEnglish = new Map<string, string>([
  ['530111402', 'Economic Dev. Zone'],
  ['530125404', 'Yangzonghai'],
]);

/** A short label for tables and the map (石林县 rather than 石林彝族自治县). */
export function areaShortName(row: Pick<SlotTargetRow, 'code' | 'name' | 'nameEn'>, lang: Language): string {
  if (lang === 'en') return shortEnglish.get(row.code) ?? areaName(row, lang);
  return shortNames.get(row.code) ?? row.name;
}

type ManagementArea = (typeof management.areas)[number];

/** The 16 management areas (14 counties + 2 functional zones) in the table's order. */
export const managementAreas: readonly ManagementArea[] = management.areas;

/** The 6-digit county code a management area stands for (a functional zone: its host county). */
export function countyCodeOf(code: string): string {
  const area = management.areas.find((a) => a.code === code) as
    | (ManagementArea & { parentCounty?: string })
    | undefined;
  return area?.parentCounty ?? code.slice(0, 6);
}

/** A management area's short label by code, or undefined for a code outside the table. */
export function managementAreaLabel(code: string, lang: Language): string | undefined {
  const a = management.areas.find((x) => x.code === code);
  if (!a) return undefined;
  return areaShortName({ code: a.code, name: a.name, nameEn: a.nameEn }, lang);
}
