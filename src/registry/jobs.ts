/**
 * Imports submitted over HTTP run as durable jobs (queue `registry.import`): the upload is
 * kept in the data folder, the job row holds who submitted it, progress is written as rows
 * are read, and the report (or the refusal) becomes the job's result. The job is safe to run
 * again: a committed file is recognised by its content hash and changes nothing.
 */
import { rm } from 'node:fs/promises';
import { drain, type Handler } from '../jobs/queue.ts';
import { permissionsOf } from '../server/auth/permissions.ts';
import type { Actor, Deps } from '../server/context.ts';
import { AppError, toProblem } from '../server/errors.ts';
import { importFile } from './pipeline.ts';

export const IMPORT_QUEUE = 'registry.import';

export type ActorSnapshot = Pick<Actor, 'userId' | 'role' | 'areaCode' | 'departmentCode' | 'displayName'>;

export type ImportJobPayload = {
  feedId: string;
  source: string;
  file: string;
  fileName: string;
  actor: ActorSnapshot;
  requestId: string | null;
};

export function snapshotOf(actor: Actor): ActorSnapshot {
  return {
    userId: actor.userId,
    role: actor.role,
    areaCode: actor.areaCode,
    departmentCode: actor.departmentCode,
    displayName: actor.displayName,
  };
}

function actorOf(s: ActorSnapshot): Actor {
  const perms = s.role === 'anonymous' || s.role === 'system' ? new Set<never>() : permissionsOf(s.role);
  return { ...s, personId: null, permissions: perms };
}

/** The job handler: runs the import; a refusal is a result (not retried), not a failure. */
export function importJobHandler(deps: Deps): Handler {
  return async ({ job, progress }) => {
    const p = job.payload as unknown as ImportJobPayload;
    try {
      const report = await importFile(deps, actorOf(p.actor), {
        feedId: p.feedId,
        file: p.file,
        fileName: p.fileName,
        jobId: job.id,
        requestId: p.requestId,
        // PGlite has one connection, held by the import's transaction: progress (written on
        // another connection) is reported on a PostgreSQL server only.
        onProgress:
          deps.db.kind === 'server'
            ? (x) => progress({ done: x.bytesRead, total: x.totalBytes, message: `${x.rows} rows / 行` })
            : undefined,
      });
      await rm(p.file, { force: true });
      return { status: 'succeeded', report };
    } catch (e) {
      if (e instanceof AppError) {
        await rm(p.file, { force: true });
        const problem = toProblem(e, 'zh-CN');
        return { status: 'refused', error: { code: problem.code, messages: problem.messages } };
      }
      throw e;
    }
  };
}

// Leases use the wall clock (the job table's run_after defaults to the database's now(), in
// microseconds: a second's margin so a job queued this very millisecond is ready).
let running: Promise<void> = Promise.resolve();

/** Runs queued import jobs in this process, one after another (PGlite has one connection). */
export function kickImportJobs(deps: Deps): Promise<void> {
  running = running
    .then(() =>
      drain(deps.db, IMPORT_QUEUE, importJobHandler(deps), () => new Date(Date.now() + 1000), 10 * 60_000),
    )
    .then(
      () => undefined,
      () => undefined,
    );
  return running;
}

/** Resolves when the imports started so far have finished (tests, shutdown). */
export function importJobsIdle(): Promise<void> {
  return running;
}
