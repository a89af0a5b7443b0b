/** Reference data every installation has: areas, streets and departments. Idempotent. */
import { type Kysely, sql } from 'kysely';
import departmentData from '../../../data/departments/departments.json' with { type: 'json' };
import type { Database } from '../../db/schema.ts';
import { managementAreas, streets } from '../../domain/areas.ts';

export type DepartmentDef = {
  key: string;
  name: string;
  nameEn: string;
  countyName: string;
  countyNameEn: string;
};
export const departmentDefs: readonly DepartmentDef[] = departmentData.departments;

/** Code of a department: `health` (city level) or `health@530102` (an area's counterpart). */
export function departmentCode(key: string, areaCode?: string | null): string {
  return areaCode ? `${key}@${areaCode}` : key;
}

export async function seedReference(
  db: Kysely<Database>,
): Promise<{ areas: number; streets: number; departments: number }> {
  await db
    .insertInto('management_area')
    .values(
      managementAreas.map((a) => ({
        code: a.code,
        name: a.name,
        short_name: a.shortName,
        name_en: a.nameEn,
        kind: a.kind,
        parent_county: a.parentCounty ?? null,
        population_2020: a.population2020,
        census_population_2020: a.censusPopulation2020,
      })),
    )
    .onConflict((oc) => oc.column('code').doNothing())
    .execute();
  await db
    .insertInto('street')
    .values(
      streets.map((s) => ({
        code: s.code,
        name: s.name,
        county_code: s.countyCode,
        area_code: s.managementArea,
      })),
    )
    .onConflict((oc) => oc.column('code').doNothing())
    .execute();
  const rows = departmentDefs.flatMap((d) => [
    {
      code: d.key,
      key: d.key,
      name: d.name,
      name_en: `Kunming ${d.nameEn}`,
      level: 'city' as const,
      area_code: null,
      parent_code: null,
    },
    ...managementAreas.map((a) => ({
      code: departmentCode(d.key, a.code),
      key: d.key,
      name: `${a.shortName}${d.countyName}`,
      name_en: `${a.nameEn} ${d.countyNameEn}`,
      level: 'area' as const,
      area_code: a.code,
      parent_code: d.key,
    })),
  ]);
  // City-level rows first (parents), then the areas' counterparts.
  for (const batch of [rows.filter((r) => r.level === 'city'), rows.filter((r) => r.level === 'area')]) {
    await db
      .insertInto('department')
      .values(batch)
      // Names follow the reference file: a corrected name reaches databases seeded before; rows
      // already right are not rewritten.
      .onConflict((oc) =>
        oc
          .column('code')
          .doUpdateSet((eb) => ({ name: eb.ref('excluded.name'), name_en: eb.ref('excluded.name_en') }))
          .where(
            sql<boolean>`(department.name, department.name_en) is distinct from (excluded.name, excluded.name_en)`,
          ),
      )
      .execute();
  }
  return { areas: managementAreas.length, streets: streets.length, departments: rows.length };
}
