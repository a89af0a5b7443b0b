import { sql } from 'kysely';
import { Type } from 'typebox';
import type { App, ServerDeps } from '../../http.ts';

export async function healthRoutes(app: App, deps: ServerDeps): Promise<void> {
  app.get(
    '/api/health',
    {
      config: { access: 'public' },
      schema: {
        tags: ['system'],
        summary: 'Liveness and database status / 服务与数据库状态',
        response: {
          200: Type.Object({
            status: Type.Literal('ok'),
            database: Type.Object({ kind: Type.String(), ok: Type.Boolean(), latencyMs: Type.Number() }),
          }),
          503: Type.Object({
            status: Type.Literal('degraded'),
            database: Type.Object({ kind: Type.String(), ok: Type.Boolean(), latencyMs: Type.Number() }),
          }),
        },
      },
    },
    async (_req, reply) => {
      const t = performance.now();
      const ok = await sql`select 1`.execute(deps.db.kysely).then(
        () => true,
        () => false,
      );
      const database = { kind: deps.db.kind, ok, latencyMs: Math.round((performance.now() - t) * 100) / 100 };
      if (!ok) return reply.status(503).send({ status: 'degraded' as const, database });
      return { status: 'ok' as const, database };
    },
  );
}
