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
