import { Type } from 'typebox';
import { type App, problemResponses, type ServerDeps } from '../../http.ts';
import { slotTargets } from './targets.ts';

const Cell = Type.Object({
  total: Type.Integer(),
  inclusive: Type.Integer(),
  per1000: Type.Number(),
  inclusiveShare: Type.Number(),
  belowFloor: Type.Boolean(),
});
const Citation = Type.Object({ document: Type.String(), clause: Type.String(), text: Type.String() });

export async function childcareRoutes(app: App, _deps: ServerDeps): Promise<void> {
  const data = slotTargets();
  app.get(
    '/childcare/slot-targets',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['childcare'],
        summary: "The annex's childcare-slot targets per area / 县区托位建设任务表",
        response: {
          200: Type.Object({
            source: Citation,
            targets: Type.Object({
              slotsPer1000: Type.Number(),
              inclusiveShareMin: Type.Number(),
              source: Citation,
            }),
            years: Type.Array(Type.Integer()),
            rows: Type.Array(
              Type.Object({
                code: Type.String(),
                name: Type.String(),
                nameEn: Type.String(),
                kind: Type.String(),
                population2020: Type.Integer(),
                mapName: Type.Union([Type.String(), Type.Null()]),
                slots: Type.Record(Type.String(), Cell),
              }),
            ),
          }),
          ...problemResponses,
        },
      },
    },
    async () => data,
  );
}
