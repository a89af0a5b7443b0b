/** Every durable job queue the server works, and its handler. */
import type { Handler } from '../jobs/queue.ts';
import { BUDGET_QUEUE, runSimulationJob } from './modules/budget/service.ts';

export const jobHandlers: Record<string, Handler> = {
  [BUDGET_QUEUE]: runSimulationJob,
};
