import { Type } from 'typebox';
import { jobStatus } from '../../../jobs/queue.ts';
import { AppError } from '../../errors.ts';
import { type App, IdParams, problemResponses, type ServerDeps } from '../../http.ts';

export async function jobRoutes(app: App, deps: ServerDeps): Promise<void> {
  app.get(
    '/jobs/:id',
    {
      config: { access: 'job.read' },
      schema: {
        tags: ['jobs'],
        summary: 'State, progress and result of a job you started / 任务进度',
        params: IdParams,
        response: {
          200: Type.Object({
            id: Type.Integer(),
            queue: Type.String(),
            state: Type.String(),
            attempts: Type.Integer(),
            progress: Type.Union([Type.Object({}, { additionalProperties: true }), Type.Null()]),
            result: Type.Union([Type.Object({}, { additionalProperties: true }), Type.Null()]),
            error: Type.Union([Type.String(), Type.Null()]),
          }),
          ...problemResponses,
        },
      },
    },
    async (req) => {
      const row = await jobStatus(deps.db, Number(req.params.id));
      // A job is visible to whoever started it, and to the city administrator.
      if (!row || (row.created_by !== req.actor.userId && req.actor.role !== 'city_admin'))
        throw new AppError('job.not_found');
      return {
        id: row.id,
        queue: row.queue,
        state: row.state,
        attempts: row.attempts,
        progress: (row.progress as Record<string, unknown> | null) ?? null,
        result: (row.result as Record<string, unknown> | null) ?? null,
        error: row.error,
      };
    },
  );
}
