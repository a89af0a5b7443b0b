import { Type } from 'typebox';
import { verifyAudit } from '../../audit.ts';
import { inTransaction } from '../../context.ts';
import { type App, problemResponses, type ServerDeps } from '../../http.ts';

const Row = Type.Object({
  id: Type.Integer(),
  occurredAt: Type.String(),
  actorId: Type.Union([Type.Integer(), Type.Null()]),
  actorRole: Type.Union([Type.String(), Type.Null()]),
  actorArea: Type.Union([Type.String(), Type.Null()]),
  action: Type.String(),
  subjectType: Type.Union([Type.String(), Type.Null()]),
  subjectId: Type.Union([Type.String(), Type.Null()]),
  outcome: Type.String(),
  requestId: Type.Union([Type.String(), Type.Null()]),
  hash: Type.String(),
});

export async function auditRoutes(app: App, deps: ServerDeps): Promise<void> {
  app.get(
    '/audit',
    {
      config: { access: 'audit.read' },
      schema: {
        tags: ['audit'],
        summary: 'Read the audit log, newest first / 审计日志',
        querystring: Type.Object(
          {
            beforeId: Type.Optional(Type.Integer({ minimum: 1 })),
            action: Type.Optional(Type.String({ maxLength: 64 })),
            limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ rows: Type.Array(Row) }), ...problemResponses },
      },
    },
    async (req) =>
      inTransaction(deps, req.actor, req.id, async (ctx) => {
        let q = ctx.trx.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(req.query.limit);
        if (req.query.beforeId) q = q.where('id', '<', req.query.beforeId);
        if (req.query.action) q = q.where('action', '=', req.query.action);
        const rows = await q.execute();
        ctx.audit({ action: 'audit.read', outcome: 'success', details: { rows: rows.length } });
        return {
          rows: rows.map((r) => ({
            id: r.id,
            occurredAt: new Date(r.occurred_at).toISOString(),
            actorId: r.actor_id,
            actorRole: r.actor_role,
            actorArea: r.actor_area,
            action: r.action,
            subjectType: r.subject_type,
            subjectId: r.subject_id,
            outcome: r.outcome,
            requestId: r.request_id,
            hash: r.hash,
          })),
        };
      }),
  );

  app.post(
    '/audit/verify',
    {
      config: { access: 'audit.verify' },
      schema: {
        tags: ['audit'],
        summary: 'Verify the hash chain / 校验审计链',
        response: {
          200: Type.Object({
            ok: Type.Boolean(),
            rows: Type.Integer(),
            firstBadId: Type.Optional(Type.Integer()),
            reason: Type.Optional(Type.String()),
            lastHash: Type.Optional(Type.String()),
          }),
          ...problemResponses,
        },
      },
    },
    async () => verifyAudit(deps.db.kysely),
  );
}
