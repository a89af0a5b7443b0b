/**
 * Kunming's area hierarchy: the city (530100) → the plan's 16 management areas (14 counties
 * and two functional zones) → 150 streets/townships (街道/乡镇). Data lives in `data/areas/`.
 */

import streetData from '../../data/areas/kunming-streets.json' with { type: 'json' };
import managementData from '../../data/areas/management-areas.json' with { type: 'json' };

export const CITY_CODE = '530100';

export type ManagementArea = {
  code: string;
  name: string;
  shortName: string;
  nameEn: string;
  kind: 'county' | 'functional-zone';
  /** 2020 population as the plan's annex counted it (slots 2025 ÷ 4.5 × 1000). */
  population2020: number;
  censusPopulation2020: number | null;
  parentCounty?: string;
  managedStreets?: string[];
};

export type Street = {
  code: string;
  name: string;
  /** GB/T 2260 county the street belongs to statistically. */
  countyCode: string;
  /** Management area that runs it (a functional zone for the zones' streets). */
  managementArea: string;
};

export const city = managementData.city;
export const areaSources = managementData.sources;
export const managementAreas: readonly ManagementArea[] = managementData.areas as ManagementArea[];

const zoneOfStreet = new Map<string, string>();
for (const a of managementAreas) for (const s of a.managedStreets ?? []) zoneOfStreet.set(s, a.code);

export const streets: readonly Street[] = streetData.streets.map((s) => ({
  ...s,
  managementArea: zoneOfStreet.get(s.code) ?? s.countyCode,
}));

const byCode = new Map(managementAreas.map((a) => [a.code, a]));

export function managementArea(code: string): ManagementArea | undefined {
  return byCode.get(code);
}

export function isManagementAreaCode(code: string): boolean {
  return byCode.has(code);
}

/** true for any GB/T 2260 code inside Kunming (every code starting with 5301). */
export function isKunmingCode(code: string): boolean {
  return /^5301\d{2}/.test(code);
}

/** Management area of a street code (9 digits), or of a county code (6 digits). */
export function managementAreaOf(code: string): string | undefined {
  if (code.length >= 9)
    return (
      zoneOfStreet.get(code.slice(0, 9)) ?? (byCode.has(code.slice(0, 6)) ? code.slice(0, 6) : undefined)
    );
  return byCode.has(code) ? code : undefined;
}

export function streetsOf(areaCode: string): Street[] {
  return streets.filter((s) => s.managementArea === areaCode);
}
