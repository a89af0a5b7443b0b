/**
 * A durable job queue in PostgreSQL (both database kinds): jobs are rows, claimed with
 * `FOR UPDATE SKIP LOCKED`, leased for a time (a crashed worker's job is claimed again when
 * its lease runs out), retried with back-off up to `max_attempts`, and de-duplicated by an
 * idempotency key so that submitting the same work twice makes one job.
 */
import type { Kysely } from 'kysely';
import type { Db } from '../db/connection.ts';
import type { Database } from '../db/schema.ts';

export type JobRow = {
  id: number;
  queue: string;
  payload: Record<string, unknown>;
  attempts: number;
  max_attempts: number;
};

export type JobContext = {
  job: JobRow;
  /** Records progress (shown in the UI and CLI); also renews the lease. */
  progress(p: { done: number; total?: number; message?: string }): Promise<void>;
};

export type Handler = (ctx: JobContext) => Promise<unknown>;

/**
 * Adds a job. `db` may be a transaction (`ctx.trx`) so that the job is created together with
 * the business write that asks for it — and, on PGlite's single connection, must be.
 */
export async function enqueue(
  db: Kysely<Database>,
  queue: string,
  payload: Record<string, unknown>,
  opts: { idempotencyKey?: string; maxAttempts?: number; createdBy?: number | null } = {},
): Promise<{ id: number; created: boolean }> {
  const inserted = await db
    .insertInto('job')
    .values({
      queue,
      payload: JSON.stringify(payload),
      idempotency_key: opts.idempotencyKey ?? null,
      max_attempts: opts.maxAttempts ?? 3,
      created_by: opts.createdBy ?? null,
    })
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (inserted) return { id: inserted.id, created: true };
  const existing = await db
    .selectFrom('job')
    .select('id')
    .where('idempotency_key', '=', opts.idempotencyKey!)
    .executeTakeFirstOrThrow();
  return { id: existing.id, created: false };
}

/** Claims one ready job of the queue (or one whose lease expired), or none. */
export async function claim(db: Db, queue: string, now: Date, leaseMs: number): Promise<JobRow | undefined> {
  return db.kysely.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('job')
      .select(['id', 'queue', 'payload', 'attempts', 'max_attempts'])
      .where('queue', '=', queue)
      .where((eb) =>
        eb.or([
          eb.and([eb('state', '=', 'queued'), eb('run_after', '<=', now)]),
          eb.and([eb('state', '=', 'running'), eb('locked_until', '<', now)]),
        ]),
      )
      .orderBy('id')
      .limit(1)
      .forUpdate()
      .skipLocked()
      .executeTakeFirst();
    if (!row) return undefined;
    await trx
      .updateTable('job')
      .set({
        state: 'running',
        attempts: row.attempts + 1,
        locked_until: new Date(now.getTime() + leaseMs),
        updated_at: now,
      })
      .where('id', '=', row.id)
      .execute();
    return { ...row, attempts: row.attempts + 1, payload: row.payload as Record<string, unknown> };
  });
}

/** Runs one claimed job to completion or failure (with back-off retry). */
export async function runJob(
  db: Db,
  job: JobRow,
  handler: Handler,
  clock: () => Date,
  leaseMs: number,
): Promise<'succeeded' | 'failed' | 'retry'> {
  const ctx: JobContext = {
    job,
    async progress(p) {
      await db.kysely
        .updateTable('job')
        .set({
          progress: JSON.stringify(p),
          locked_until: new Date(clock().getTime() + leaseMs),
          updated_at: clock(),
        })
        .where('id', '=', job.id)
        .execute();
    },
  };
  try {
    const result = await handler(ctx);
    await db.kysely
      .updateTable('job')
      .set({
        state: 'succeeded',
        result: JSON.stringify(result ?? null),
        locked_until: null,
        error: null,
        updated_at: clock(),
      })
      .where('id', '=', job.id)
      .execute();
    return 'succeeded';
  } catch (err) {
    const final = job.attempts >= job.max_attempts;
    const backoffMs = 1000 * 2 ** job.attempts;
    await db.kysely
      .updateTable('job')
      .set({
        state: final ? 'failed' : 'queued',
        error: err instanceof Error ? err.message : String(err),
        locked_until: null,
        run_after: new Date(clock().getTime() + backoffMs),
        updated_at: clock(),
      })
      .where('id', '=', job.id)
      .execute();
    return final ? 'failed' : 'retry';
  }
}

/** Processes ready jobs of a queue until none is left (used by the worker loop and tests). */
export async function drain(
  db: Db,
  queue: string,
  handler: Handler,
  clock: () => Date = () => new Date(),
  leaseMs = 60_000,
): Promise<number> {
  let n = 0;
  for (;;) {
    const job = await claim(db, queue, clock(), leaseMs);
    if (!job) return n;
    await runJob(db, job, handler, clock, leaseMs);
    n++;
  }
}

/** A polling worker: runs until `stop()` is called. */
export function startWorker(
  db: Db,
  handlers: Record<string, Handler>,
  opts: { pollMs?: number; leaseMs?: number } = {},
) {
  let stopped = false;
  const pollMs = opts.pollMs ?? 1000;
  const loop = async () => {
    while (!stopped) {
      let worked = 0;
      for (const [queue, handler] of Object.entries(handlers)) {
        worked += await drain(db, queue, handler, () => new Date(), opts.leaseMs).catch(() => 0);
      }
      if (!worked) await new Promise((r) => setTimeout(r, pollMs));
    }
  };
  const done = loop();
  return {
    async stop() {
      stopped = true;
      await done;
    },
  };
}

export async function jobStatus(db: Db, id: number) {
  return db.kysely
    .selectFrom('job')
    .select([
      'id',
      'queue',
      'state',
      'attempts',
      'progress',
      'result',
      'error',
      'created_by',
      'created_at',
      'updated_at',
    ])
    .where('id', '=', id)
    .executeTakeFirst();
}
