import { Type } from 'typebox';
import { inTransaction } from '../../context.ts';
import { type App, IdParams, ProblemSchema, problemResponses, type ServerDeps } from '../../http.ts';
import * as service from './service.ts';

const UserRow = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  displayName: Type.String(),
  role: Type.String(),
  areaCode: Type.Union([Type.String(), Type.Null()]),
  departmentCode: Type.Union([Type.String(), Type.Null()]),
  disabled: Type.Boolean(),
  lockedUntil: Type.Union([Type.String(), Type.Null()]),
});

export async function userRoutes(app: App, deps: ServerDeps): Promise<void> {
  app.get(
    '/users',
    {
      config: { access: 'user.read' },
      schema: {
        tags: ['users'],
        summary: 'Staff-side accounts in your scope / 账号列表',
        response: { 200: Type.Object({ users: Type.Array(UserRow) }), ...problemResponses },
      },
    },
    async (req) => ({ users: await inTransaction(deps, req.actor, req.id, (ctx) => service.listUsers(ctx)) }),
  );

  app.post(
    '/users',
    {
      config: { access: 'user.manage' },
      schema: {
        tags: ['users'],
        summary: 'Create a staff-side account (returns its TOTP secret once) / 新建账号',
        body: Type.Object(
          {
            username: Type.String({ pattern: '^[a-z0-9][a-z0-9._-]{2,63}$' }),
            displayName: Type.String({ minLength: 1, maxLength: 64 }),
            role: Type.Union([
              Type.Literal('staff'),
              Type.Literal('area_admin'),
              Type.Literal('city_admin'),
              Type.Literal('auditor'),
            ]),
            areaCode: Type.Optional(Type.Union([Type.String({ pattern: '^\\d{6}(\\d{3})?$' }), Type.Null()])),
            departmentCode: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Null()])),
            password: Type.String({ minLength: 12, maxLength: 256 }),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({ id: Type.Integer(), totpSecret: Type.String(), totpUri: Type.String() }),
          ...problemResponses,
          409: ProblemSchema,
        },
      },
    },
    async (req, reply) => {
      const created = await inTransaction(deps, req.actor, req.id, (ctx) =>
        service.createUser(ctx, req.body),
      );
      reply.header('cache-control', 'no-store');
      return reply.status(201).send(created);
    },
  );

  app.delete(
    '/users/:id/sessions',
    {
      config: { access: 'session.revoke' },
      schema: {
        tags: ['users'],
        summary: "Revoke all of a user's sessions / 强制下线",
        params: IdParams,
        response: { 200: Type.Object({ revoked: Type.Integer() }), ...problemResponses },
      },
    },
    async (req) => ({
      revoked: await inTransaction(deps, req.actor, req.id, (ctx) =>
        service.revokeSessions(ctx, Number(req.params.id)),
      ),
    }),
  );
}
