import { Type } from 'typebox';
import { inTransaction } from '../../context.ts';
import { type App, IdParams, problemResponses, type ServerDeps } from '../../http.ts';
import { MyPerson, PersonView } from './schema.ts';
import * as service from './service.ts';

export async function personRoutes(app: App, deps: ServerDeps): Promise<void> {
  app.get(
    '/persons/:id',
    {
      config: { access: 'person.read' },
      schema: {
        tags: ['registry'],
        summary: 'One person (masked) / 人员信息',
        params: IdParams,
        response: { 200: Type.Object({ person: PersonView }), ...problemResponses },
      },
    },
    async (req) => ({
      person: await inTransaction(deps, req.actor, req.id, (ctx) =>
        service.getPerson(ctx, Number(req.params.id)),
      ),
    }),
  );

  app.post(
    '/persons/:id/reveal',
    {
      config: { access: 'person.reveal' },
      schema: {
        tags: ['registry'],
        summary:
          'Reveal a full ID number with a stated reason (audited) / 查看完整证件号码（须说明理由并留痕）',
        params: IdParams,
        body: Type.Object(
          { reason: Type.String({ minLength: 4, maxLength: 500 }) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ idNumber: Type.String() }), ...problemResponses },
      },
    },
    async (req, reply) => {
      const idNumber = await inTransaction(deps, req.actor, req.id, (ctx) =>
        service.revealIdNumber(ctx, Number(req.params.id), req.body.reason),
      );
      reply.header('cache-control', 'no-store');
      return { idNumber };
    },
  );

  app.get(
    '/me/person',
    {
      config: { access: 'self.read' },
      schema: {
        tags: ['citizen'],
        summary: 'My own record and children / 我的信息',
        response: { 200: MyPerson, ...problemResponses },
      },
    },
    async (req) => ({ person: await inTransaction(deps, req.actor, req.id, (ctx) => service.myPerson(ctx)) }),
  );
}
