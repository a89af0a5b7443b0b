/** Every durable job queue the server works, and its handler. */
import type { Handler } from '../jobs/queue.ts';
import { IMPORT_QUEUE, importJobHandler } from '../registry/jobs.ts';
import type { Deps } from './context.ts';
import { BUDGET_QUEUE, simulationJob } from './modules/budget/service.ts';

export function jobHandlers(deps: Deps): Record<string, Handler> {
  return {
    [BUDGET_QUEUE]: simulationJob(deps),
    [IMPORT_QUEUE]: importJobHandler(deps),
  };
}
