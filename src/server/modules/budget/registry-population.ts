/**
 * The registry as a population for budget runs (`junheng simulate --population db`): couples
 * are the distinct (mother, father) links of the registry's children; a family's area is its
 * children's hukou county. The registry holds no employment or housing facts yet, so leave and
 * housing programmes count only what the links prove; cash programmes are complete.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema.ts';
import { ColumnsBuilder, FF, type PopulationColumns } from '../../../rules/batch.ts';
import { parseIsoDate } from '../../../rules/dates.ts';

type Child = { birthDay: number; area: number; flags: number };

export async function registryPopulation(
  db: Kysely<Database>,
  pageSize = 50_000,
): Promise<PopulationColumns> {
  const families = new Map<string, { flags: number; children: Child[] }>();
  let afterId = 0;
  for (;;) {
    const rows = await db
      .selectFrom('person')
      .select(['id', 'mother_id', 'father_id', 'birth_date', 'hukou_area_code'])
      .where('id', '>', afterId)
      .where((eb) => eb.or([eb('mother_id', 'is not', null), eb('father_id', 'is not', null)]))
      .orderBy('id')
      .limit(pageSize)
      .execute();
    if (rows.length === 0) break;
    for (const r of rows) {
      const key = `${r.mother_id ?? ''}:${r.father_id ?? ''}`;
      let f = families.get(key);
      if (!f) {
        f = { flags: (r.mother_id ? FF.MOTHER : 0) | (r.father_id ? FF.FATHER : 0), children: [] };
        families.set(key, f);
      }
      const area =
        r.hukou_area_code && /^\d{6}/.test(r.hukou_area_code) ? Number(r.hukou_area_code.slice(0, 6)) : 0;
      const day = parseIsoDate(String(r.birth_date));
      if (day !== null) f.children.push({ birthDay: day, area, flags: 0 });
    }
    afterId = rows[rows.length - 1].id;
  }
  const total = await db
    .selectFrom('person')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const b = new ColumnsBuilder(families.size + 16, families.size * 2 + 16);
  let counted = 0;
  for (const f of families.values()) {
    const parents = (f.flags & FF.MOTHER ? 1 : 0) + (f.flags & FF.FATHER ? 1 : 0);
    b.addRaw(f.children[0]?.area ?? 0, f.flags, f.children, parents + f.children.length);
    counted += parents + f.children.length;
  }
  b.addPersons(Math.max(0, Number(total.n) - counted));
  return b.build();
}
