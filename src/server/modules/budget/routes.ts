import { Type } from 'typebox';
import { MAX_SEED } from '../../../rules/population.ts';
import { SIMULATION_YEARS } from '../../../rules/simulate.ts';
import { inTransaction } from '../../context.ts';
import { type App, problemResponses, type ServerDeps } from '../../http.ts';
import { listReforms, submitSimulation } from './service.ts';

export async function budgetRoutes(app: App, deps: ServerDeps): Promise<void> {
  app.get(
    '/budget/reforms',
    {
      config: { access: 'budget.simulate' },
      schema: {
        tags: ['budget'],
        summary: 'What-if reforms available / 可选的政策调整方案',
        response: {
          200: Type.Object({
            reforms: Type.Array(
              Type.Object({
                id: Type.String(),
                description: Type.Object({ zh: Type.String(), en: Type.String() }),
              }),
            ),
          }),
          ...problemResponses,
        },
      },
    },
    async () => ({ reforms: listReforms() }),
  );

  app.post(
    '/budget/simulations',
    {
      config: { access: 'budget.simulate' },
      schema: {
        tags: ['budget'],
        summary: 'Start a budget simulation (a durable job; poll /jobs/:id) / 发起预算测算',
        body: Type.Object(
          {
            years: Type.Array(
              Type.Integer({ minimum: SIMULATION_YEARS.first, maximum: SIMULATION_YEARS.last }),
              { minItems: 1, maxItems: SIMULATION_YEARS.last - SIMULATION_YEARS.first + 1 },
            ),
            reform: Type.Optional(Type.Union([Type.String({ pattern: '^[a-z0-9-]{1,64}$' }), Type.Null()])),
            population: Type.Union([Type.Literal('synthetic'), Type.Literal('registry')], {
              default: 'synthetic',
            }),
            persons: Type.Integer({ minimum: 1000, maximum: 9_000_000, default: 8_460_000 }),
            seed: Type.Integer({ minimum: 0, maximum: MAX_SEED, default: 20250101 }),
          },
          { additionalProperties: false },
        ),
        response: {
          202: Type.Object({ jobId: Type.Integer(), created: Type.Boolean() }),
          ...problemResponses,
        },
      },
    },
    async (req, reply) => {
      const job = await inTransaction(deps, req.actor, req.id, (ctx) => submitSimulation(ctx, req.body));
      return reply.status(202).send({ jobId: job.id, created: job.created });
    },
  );
}
