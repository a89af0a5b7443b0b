import { Type } from 'typebox';
import { inTransaction } from '../../context.ts';
import { type App, IdParams, problemResponses, type ServerDeps } from '../../http.ts';
import { importRoutes } from '../imports/routes.ts';
import {
  Decision,
  PersonPage,
  PersonSummary,
  QualityQuery,
  QualityView,
  RegistrySearch,
  ReviewsQuery,
  ReviewView,
} from './schema.ts';
import * as service from './service.ts';

/** The registry (search, person page, review queue, quality) and the department imports. */
export async function registryRoutes(app: App, deps: ServerDeps): Promise<void> {
  await importRoutes(app, deps);

  app.post(
    '/registry/search',
    {
      config: { access: 'person.search' },
      schema: {
        tags: ['registry'],
        summary:
          'Search the fused registry by masked or full ID number, name, area (in your scope; audited) / 人口库查询',
        body: RegistrySearch,
        response: { 200: Type.Object({ persons: Type.Array(PersonSummary) }), ...problemResponses },
      },
    },
    async (req) => ({
      persons: await inTransaction(deps, req.actor, req.id, (ctx) => service.search(ctx, req.body)),
    }),
  );

  app.get(
    '/registry/persons/:id',
    {
      config: { access: 'person.read' },
      schema: {
        tags: ['registry'],
        summary: 'The fused record of a person with the source of every field / 人员融合档案（逐字段来源）',
        params: IdParams,
        response: { 200: PersonPage, ...problemResponses },
      },
    },
    async (req) =>
      inTransaction(deps, req.actor, req.id, (ctx) => service.personPage(ctx, Number(req.params.id))),
  );

  app.get(
    '/registry/reviews',
    {
      config: { access: 'review.decide' },
      schema: {
        tags: ['registry'],
        summary: 'The linkage review queue of your area / 待人工核对的关联记录',
        querystring: ReviewsQuery,
        response: { 200: Type.Object({ items: Type.Array(ReviewView) }), ...problemResponses },
      },
    },
    async (req) => ({
      items: await inTransaction(deps, req.actor, req.id, (ctx) => service.reviews(ctx, req.query)),
    }),
  );

  app.post(
    '/registry/reviews/:id/decision',
    {
      config: { access: 'review.decide' },
      schema: {
        tags: ['registry'],
        summary: 'Decide a review item: same person or different (remembered) / 核对：同一人或不同人',
        params: IdParams,
        body: Decision,
        response: {
          200: Type.Object({ id: Type.Integer(), status: Type.String(), fieldsChanged: Type.Integer() }),
          ...problemResponses,
          409: problemResponses[404],
        },
      },
    },
    async (req) =>
      inTransaction(deps, req.actor, req.id, (ctx) =>
        service.decide(ctx, Number(req.params.id), req.body.decision),
      ),
  );

  app.get(
    '/registry/quality',
    {
      config: { access: 'quality.read' },
      schema: {
        tags: ['registry'],
        summary:
          'Data quality per department and area: completeness, validity, timeliness, linkage, open conflicts, trend / 数据质量',
        querystring: QualityQuery,
        response: { 200: QualityView, ...problemResponses },
      },
    },
    async (req) => inTransaction(deps, req.actor, req.id, (ctx) => service.quality(ctx, req.query)),
  );
}
