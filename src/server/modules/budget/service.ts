/**
 * Budget simulation for planners: current law against a reform overlay, run as a durable job
 * (progress shown, safe to submit twice) over a synthetic city or the registry.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { enqueue, type Handler } from '../../../jobs/queue.ts';
import { loadParameters, loadReform, policyDir } from '../../../rules/load.ts';
import { syntheticPopulation } from '../../../rules/population.ts';
import { simulate } from '../../../rules/simulate.ts';
import type { Ctx, Deps } from '../../context.ts';
import { registryPopulation } from './registry-population.ts';

export const BUDGET_QUEUE = 'budget.simulate';

export type ReformInfo = { id: string; description: { zh: string; en: string } };

export function listReforms(): ReformInfo[] {
  const dir = join(policyDir(), 'reforms');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => {
      const doc = parse(readFileSync(join(dir, f), 'utf8')) as {
        name: string;
        description: { zh: string; en: string };
      };
      return { id: f.replace(/\.yaml$/, ''), description: doc.description };
    });
}

export type SimulationRequest = {
  years: number[];
  reform?: string | null;
  population: 'synthetic' | 'registry';
  persons: number;
  seed: number;
};

export async function submitSimulation(ctx: Ctx, req: SimulationRequest) {
  // Submitting the same request twice makes one job. A synthetic city is deterministic, so its
  // result never goes stale; the registry changes, so its runs are keyed by day as well.
  const day = req.population === 'registry' ? ctx.now.toISOString().slice(0, 10) : null;
  const key = createHash('sha256')
    .update(JSON.stringify({ ...req, reform: req.reform ?? null, day }))
    .digest('hex');
  const job = await enqueue(
    ctx.trx,
    BUDGET_QUEUE,
    { ...req },
    { idempotencyKey: `budget:${key}`, createdBy: ctx.actor.userId },
  );
  ctx.audit({
    action: 'budget.simulate',
    subjectType: 'job',
    subjectId: job.id,
    outcome: 'success',
    details: { reform: req.reform ?? null, years: req.years.join(',') },
  });
  return job;
}

/** The job handler: builds the population, runs current law and the reform, year by year. */
export const simulationJob =
  (deps: Deps): Handler =>
  async ({ job, progress }) => {
    const req = job.payload as SimulationRequest;
    const current = loadParameters();
    const known = new Set(listReforms().map((r) => r.id));
    if (req.reform && !known.has(req.reform)) throw new Error(`unknown reform ${req.reform}`);
    const reform = req.reform
      ? loadReform(current, join(policyDir(), 'reforms', `${req.reform}.yaml`))
      : undefined;
    await progress({ done: 0, total: req.years.length, message: 'population' });
    const cols =
      req.population === 'registry'
        ? await registryPopulation(deps.db.kysely)
        : syntheticPopulation({ persons: req.persons, seed: req.seed });
    // One step per year (current law and reform), each recorded, so a long run shows progress.
    const total = req.years.length;
    let report: ReturnType<typeof simulate> | undefined;
    for (const [i, year] of req.years.entries()) {
      await progress({ done: i, total, message: `year ${year}` });
      const one = simulate(cols, current, [year], reform);
      report = report ? { ...report, years: [...report.years, ...one.years] } : one;
    }
    await progress({ done: total, total, message: 'done' });
    return report!;
  };
