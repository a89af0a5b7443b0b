import { Type } from 'typebox';
import { type App, problemResponses, type ServerDeps } from '../../http.ts';

const Area = Type.Object({
  code: Type.String(),
  name: Type.String(),
  shortName: Type.String(),
  nameEn: Type.String(),
  kind: Type.String(),
  population2020: Type.Integer(),
  streets: Type.Integer(),
});
const Department = Type.Object({
  code: Type.String(),
  name: Type.String(),
  nameEn: Type.String(),
  level: Type.String(),
  areaCode: Type.Union([Type.String(), Type.Null()]),
});

export async function areaRoutes(app: App, deps: ServerDeps): Promise<void> {
  app.get(
    '/areas',
    {
      config: { access: 'public' },
      schema: {
        tags: ['reference'],
        summary: "Kunming's 16 management areas / 昆明市16个管理区域",
        response: { 200: Type.Object({ areas: Type.Array(Area) }) },
      },
    },
    async () => {
      const rows = await deps.db.kysely
        .selectFrom('management_area as a')
        .leftJoin('street as s', 's.area_code', 'a.code')
        .select(({ fn }) => [
          'a.code',
          'a.name',
          'a.short_name',
          'a.name_en',
          'a.kind',
          'a.population_2020',
          fn.count<number>('s.code').as('streets'),
        ])
        .groupBy(['a.code', 'a.name', 'a.short_name', 'a.name_en', 'a.kind', 'a.population_2020'])
        .orderBy('a.code')
        .execute();
      return {
        areas: rows.map((r) => ({
          code: r.code,
          name: r.name,
          shortName: r.short_name,
          nameEn: r.name_en,
          kind: r.kind,
          population2020: r.population_2020,
          streets: Number(r.streets),
        })),
      };
    },
  );

  app.get(
    '/departments',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['reference'],
        summary: 'Responsible units of the plan and their area counterparts / 责任单位',
        querystring: Type.Object(
          { areaCode: Type.Optional(Type.String({ pattern: '^\\d{6}(\\d{3})?$' })) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ departments: Type.Array(Department) }), ...problemResponses },
      },
    },
    async (req) => {
      let q = deps.db.kysely
        .selectFrom('department')
        .select(['code', 'name', 'name_en', 'level', 'area_code'])
        .orderBy('code');
      q = req.query.areaCode ? q.where('area_code', '=', req.query.areaCode) : q.where('level', '=', 'city');
      const rows = await q.execute();
      return {
        departments: rows.map((r) => ({
          code: r.code,
          name: r.name,
          nameEn: r.name_en,
          level: r.level,
          areaCode: r.area_code,
        })),
      };
    },
  );
}
