/** SQL over import jobs and batches; every query takes the actor's scope (the submitter's area). */
import { type ExpressionBuilder, sql, type Transaction } from 'kysely';
import type { Database } from '../../../db/schema.ts';
import { IMPORT_QUEUE } from '../../../registry/jobs.ts';
import type { Actor } from '../../context.ts';

/** Staff and area administrators see the imports of their area; the city administrator all. */
function jobScope(actor: Actor) {
  return (eb: ExpressionBuilder<Database, 'job'>) => {
    if (actor.role === 'city_admin') return eb.val(true);
    if ((actor.role === 'staff' || actor.role === 'area_admin') && actor.areaCode)
      return eb(sql<string>`job.payload->'actor'->>'areaCode'`, '=', actor.areaCode);
    return eb.val(false);
  };
}

const jobColumns = [
  'job.id',
  'job.state',
  'job.payload',
  'job.progress',
  'job.result',
  'job.created_at',
] as const;

export function findJob(trx: Transaction<Database>, actor: Actor, id: number) {
  return trx
    .selectFrom('job')
    .select(jobColumns)
    .where('job.id', '=', id)
    .where('job.queue', '=', IMPORT_QUEUE)
    .where(jobScope(actor))
    .executeTakeFirst();
}

export function listJobs(trx: Transaction<Database>, actor: Actor, limit: number) {
  return trx
    .selectFrom('job')
    .select(jobColumns)
    .where('job.queue', '=', IMPORT_QUEUE)
    .where(jobScope(actor))
    .orderBy('job.id', 'desc')
    .limit(limit)
    .execute();
}

export function batchOfJob(trx: Transaction<Database>, jobId: number) {
  return trx
    .selectFrom('import_batch')
    .select(['id', 'feed_id', 'rejected'])
    .where('job_id', '=', jobId)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export function rejects(trx: Transaction<Database>, importId: number, offset: number, limit: number) {
  return trx
    .selectFrom('import_reject')
    .select(['line_no', 'record_id', 'reason', 'column_key', 'row_values'])
    .where('import_id', '=', importId)
    .orderBy('line_no')
    .offset(offset)
    .limit(limit)
    .execute();
}
